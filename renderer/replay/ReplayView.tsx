/**
 * Incident replay (issue 11): the review player's controls on one clock, showing the chosen display's wall (or every
 * display's, side by side) at the playhead in its layout's own geometry, the alarm queue as it was then, and the recorded operator actions as timeline markers
 * (jump to the next one with the marker buttons or Shift+Right). The state comes from consoleStateAt over the record.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useValue } from '../bridge/stores.js';
import type { IncidentRecord } from '../../electron/contract/replay-schema.js';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { ReviewView } from '../review/ReviewView.js';
import type { Footage } from '../review/review-player.js';
import { actionMarkers, camerasEverShownOn, displaysOf, MAX_TILES } from './replay-model.js';
import { displayAspect, replayScreen } from './replay-walls.js';
import { ReplayWalls } from './ReplayWalls.js';
import { ReplayQueue } from './ReplayQueue.js';
import { cachedFootage } from './footage-cache.js';
import { incidentSources } from '../review/review-sources.js';

/** The player lists 2 minutes before and 4 after its position: the cached lists reach that far around the incident. */
const LIST_MARGIN_MS = 5 * 60_000;

export function ReplayView({ host, incidentId, onExit }: { host: HostState; incidentId: string; onExit(): void }) {
  const { t } = useTranslation();
  const [record, setRecord] = useState<IncidentRecord | null>(null);
  const [error, setError] = useState('');
  const [position, setPosition] = useState(0);
  const [displayId, setDisplayId] = useState('main');
  /** Every display of the console side by side, or the chosen one. */
  const [allDisplays, setAllDisplays] = useState(false);
  const liveDisplays = useValue(host.displays);
  const cameraList = useValue(host.cameras);
  const names = useMemo(() => Object.fromEntries(cameraList.map((c) => [c.id, c.name])), [cameraList]);

  useEffect(() => {
    host.client.call('replay.incidents.get', { id: incidentId })
      .then((r) => { setRecord(r); setPosition(r.incident.fromMs); })
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [host, incidentId]);

  const state = useMemo(() => (record ? consoleStateAt(record, position) : null), [record, position]);
  // the incident's footage: an imported incident's package video, this console's recordings for its own
  const incident = record?.incident;
  const footage = useMemo<Footage>(() => {
    const direct: Footage = {
      segments: (cameraId, fromMs, toMs, stream) => host.client.call('replay.footage.segments', { id: incidentId, cameraId, fromMs, toMs, ...(stream ? { stream } : {}) }),
      timeline: (cameraIds, fromMs, toMs) => host.client.call('replay.footage.timeline', { id: incidentId, cameraIds, fromMs, toMs }),
    };
    // each camera's segment list of the incident (and the players' list windows around it) asked once: a seek finds
    // its tiles' lists in the page; footage still being recorded (the last half minute) is asked of the host each time
    return incident ? cachedFootage(direct, incident.fromMs - LIST_MARGIN_MS, Math.min(incident.toMs + LIST_MARGIN_MS, Date.now() - 30_000)) : direct;
  }, [host, incidentId, incident]);
  // overlays, unit tracks and thumbnails of the incident (an imported one's from its package alone)
  const sources = useMemo(() => incidentSources(host.client, incidentId), [host, incidentId]);
  const { walls, cameras: shownIds } = useMemo(() => (state && incident ? replayScreen(state, allDisplays, displayId, incident.cameraIds, MAX_TILES) : { walls: [], cameras: [] }), [state, incident, allDisplays, displayId]);
  const idsKey = shownIds.join(',');
  const ids = useMemo(() => (idsKey ? idsKey.split(',') : []), [idsKey]);
  const markers = useMemo(() => (record ? actionMarkers(record, ids) : []), [record, ids]);
  // a seek starts the players of the cameras the displays showed at the new moment before the walls re-render
  const camerasAt = useCallback((ms: number) => {
    return record ? replayScreen(consoleStateAt(record, ms), allDisplays, displayId, record.incident.cameraIds, MAX_TILES).cameras : [];
  }, [record, displayId, allDisplays]);
  // and every camera the displays show during the incident has its player opened ahead (parked)
  const warmIds = useMemo(() => (record ? camerasEverShownOn(record, allDisplays ? displaysOf(record) : [displayId], 2 * MAX_TILES) : []), [record, displayId, allDisplays]);

  useEffect(() => {
    exposeDiagnostics('__kuzetReplay', { state: () => state, cameras: () => ids, walls: () => walls });
  }, [state, ids, walls]);

  if (error || !record || !state) {
    return (
      <div className="review" data-testid="replay">
        <div className="topbar review-bar"><button onClick={onExit}>◀ {t('review.live')}</button></div>
        <div className="pad muted">{error || t('replay.loading')}</div>
      </div>
    );
  }
  const aside = (
    <div className="replay-side">
      <div className="replay-head">
        <b>{record.incident.name}</b>
        <button className={allDisplays ? 'on' : ''} onClick={() => setAllDisplays((a) => !a)} title={t('replay.allDisplaysHint')}
          data-testid="replay-all-displays" aria-pressed={allDisplays}>{t('replay.allDisplays', { count: state.displays.length })}</button>
        <select value={displayId} onChange={(e) => { setDisplayId(e.target.value); setAllDisplays(false); }} aria-label={t('replay.display')} disabled={allDisplays}>
          {state.displays.map((d) => <option key={d.displayId} value={d.displayId}>{d.displayId}</option>)}
        </select>
        {!allDisplays && <span className="muted">{t('replay.layout', { name: state.displays.find((d) => d.displayId === displayId)?.layout.name ?? '—' })}</span>}
      </div>
      <ReplayQueue state={state} />
    </div>
  );
  return (
    <ReviewView host={host} cameraIds={ids} onExit={onExit} startMs={record.incident.fromMs} onPosition={setPosition}
      extraMarkers={markers} aside={aside} testId="replay" footage={footage} camerasAt={camerasAt} warmIds={warmIds} sources={sources}
      layoutCells={walls.length === 0 ? undefined : (cell) => <ReplayWalls walls={walls} aspects={walls.map((w) => displayAspect(liveDisplays, w.displayId))} names={names} cell={cell} />} />
  );
}
