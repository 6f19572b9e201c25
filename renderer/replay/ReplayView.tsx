/**
 * Incident replay (issue 11): the review player's controls on one clock, showing the chosen display's wall (or every
 * display's, side by side) at the playhead in its layout's own geometry, the alarm queue as it was then, and the recorded operator actions as timeline markers
 * (jump to the next one with the marker buttons or Shift+Right). The state comes from consoleStateAt over the record.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useValue } from '../bridge/stores.js';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import type { HostState } from '../bridge/host-state.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { ReviewView, type ReviewClockControl } from '../review/ReviewView.js';
import { actionMarkers, camerasEverShownOn, displaysOf, MAX_TILES } from './replay-model.js';
import { displayAspect, gridAt, replayScreen } from './replay-walls.js';
import { ReplayWalls, useWallsArea } from './ReplayWalls.js';
import { ReplayQueue } from './ReplayQueue.js';
import { useIncidentReplay } from './use-incident.js';
import { useMonitorWindows } from './use-monitor-windows.js';
import { followerDisplays } from './replay-follow.js';
import { useCameraNames } from '../bridge/camera-name.js';

export function ReplayView({ host, incidentId, onExit }: { host: HostState; incidentId: string; onExit(): void }) {
  const { t } = useTranslation();
  const { record, error, footage, sources } = useIncidentReplay(host, incidentId);
  const [position, setPosition] = useState<number | null>(null);
  const [displayId, setDisplayId] = useState('main');
  /** Every display of the console side by side, or the chosen one. */
  const [allDisplays, setAllDisplays] = useState(false);
  const liveDisplays = useValue(host.displays);
  const names = useCameraNames(host);

  const state = useMemo(() => (record ? consoleStateAt(record, position ?? record.incident.fromMs) : null), [record, position]);
  const incident = record?.incident;
  const { walls, cameras: shownIds } = useMemo(() => (state && incident ? replayScreen(state, allDisplays, displayId, incident.cameraIds, MAX_TILES) : { walls: [], cameras: [] }), [state, incident, allDisplays, displayId]);
  const idsKey = shownIds.join(',');
  const ids = useMemo(() => (idsKey ? idsKey.split(',') : []), [idsKey]);
  const markers = useMemo(() => (record ? actionMarkers(record, ids) : []), [record, ids]);
  // a seek starts the players of the cameras the displays showed at the new moment before the walls re-render
  // (each on the stream its tile at that moment wants: the walls laid out in their area as ReplayWalls will)
  const { area, onArea } = useWallsArea();
  const camerasAt = useCallback((ms: number) => {
    if (!record) return { cameras: [] };
    const screen = replayScreen(consoleStateAt(record, ms), allDisplays, displayId, record.incident.cameraIds, MAX_TILES);
    return gridAt(screen, (id) => displayAspect(liveDisplays, id), area.current.w, area.current.h);
  }, [record, displayId, allDisplays, liveDisplays]);
  // and every camera the displays show during the incident has its player opened ahead (parked)
  const warmIds = useMemo(() => (record ? camerasEverShownOn(record, allDisplays ? displaysOf(record) : [displayId], 2 * MAX_TILES) : []), [record, displayId, allDisplays]);

  // every other display of the incident on a window of its own (its monitor), following this window's clock
  const clockRef = useRef<ReviewClockControl | null>(null);
  const others = useMemo(() => (record ? followerDisplays(displaysOf(record), displayId) : []), [record, displayId]);
  const boxOf = useCallback((id: string) => liveDisplays.find((d) => d.id === id)?.bounds, [liveDisplays]);
  const monitors = useMonitorWindows(incidentId, others, boxOf, clockRef);

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
        <button className={monitors.open ? 'on' : ''} onClick={monitors.toggle} disabled={others.length === 0 && !monitors.open} title={t('replay.monitorsHint')}
          data-testid="replay-monitors" aria-pressed={monitors.open}>{t('replay.monitors')}</button>
        {monitors.refused.length > 0 && <span className="muted" data-testid="replay-monitors-refused">{t('replay.monitorsRefused', { displays: monitors.refused.join(', ') })}</span>}
      </div>
      <ReplayQueue host={host} state={state} />
    </div>
  );
  return (
    <ReviewView host={host} cameraIds={ids} onExit={onExit} startMs={record.incident.fromMs} onPosition={setPosition}
      extraMarkers={markers} aside={aside} testId="replay" footage={footage} camerasAt={camerasAt} warmIds={warmIds} sources={sources}
      clockRef={clockRef} onClock={monitors.tell}
      layoutCells={walls.length === 0 ? undefined : (cell) => <ReplayWalls walls={walls} aspects={walls.map((w) => displayAspect(liveDisplays, w.displayId))} names={names} cell={cell} onArea={onArea} />} />
  );
}
