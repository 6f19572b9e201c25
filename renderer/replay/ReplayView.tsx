/**
 * Incident replay (issue 11): the review player's grid and controls on one clock, showing the cameras the chosen
 * display had at the playhead, the alarm queue as it was then, and the recorded operator actions as timeline markers
 * (jump to the next one with the marker buttons or Shift+Right). The state comes from consoleStateAt over the record.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentRecord } from '../../electron/contract/replay-schema.js';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { ReviewView } from '../review/ReviewView.js';
import type { Footage } from '../review/review-player.js';
import { actionMarkers, camerasEverShown, camerasShown, MAX_TILES } from './replay-model.js';
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
  const shownIds = state ? camerasShown(state, displayId) : [];
  const idsKey = shownIds.join(',');
  const ids = useMemo(() => (idsKey ? idsKey.split(',') : []), [idsKey]);
  const markers = useMemo(() => (record ? actionMarkers(record, ids) : []), [record, ids]);
  // a seek starts the players of the cameras the display showed at the new moment before the grid re-renders
  const camerasAt = useCallback((ms: number) => (record ? camerasShown(consoleStateAt(record, ms), displayId) : []), [record, displayId]);
  // and every camera the display shows during the incident has its player opened ahead (parked)
  const warmIds = useMemo(() => (record ? camerasEverShown(record, displayId, 2 * MAX_TILES) : []), [record, displayId]);

  useEffect(() => {
    exposeDiagnostics('__kuzetReplay', { state: () => state, cameras: () => ids });
  }, [state, ids]);

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
        <select value={displayId} onChange={(e) => setDisplayId(e.target.value)} aria-label={t('replay.display')}>
          {state.displays.map((d) => <option key={d.displayId} value={d.displayId}>{d.displayId}</option>)}
        </select>
        <span className="muted">{t('replay.layout', { name: state.displays.find((d) => d.displayId === displayId)?.layout.name ?? '—' })}</span>
      </div>
      <ReplayQueue state={state} />
    </div>
  );
  return (
    <ReviewView host={host} cameraIds={ids} onExit={onExit} startMs={record.incident.fromMs} onPosition={setPosition}
      extraMarkers={markers} aside={aside} testId="replay" footage={footage} camerasAt={camerasAt} warmIds={warmIds} sources={sources} />
  );
}
