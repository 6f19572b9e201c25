/**
 * The operator's console: top bar, camera list, the wall of this display, notices, and the camera
 * management panel. Owns the wall state (useReducer over wall-model) and keeps it in sync with the host.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { makePresetLayout, PRESET_IDS } from '../../electron/contract/layout-presets.js';
import type { Layout } from '../../electron/contract/schemas.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { initialWall, wallReducer, type WallAction } from '../wall/wall-model.js';
import { WallView } from '../wall/WallView.js';
import { CameraList } from '../panels/CameraList.js';
import { TopBar } from '../panels/TopBar.js';
import { NoticeBanner } from '../panels/NoticeBanner.js';
import { CameraPanel } from '../panels/CameraPanel.js';
import { useUiErrors } from './ui-errors.js';
import { AlarmQueue } from '../alarms/AlarmQueue.js';
import { useAutoPop } from '../alarms/auto-pop-wiring.js';
import { ReviewView } from '../review/ReviewView.js';
import { ReplayView } from '../replay/ReplayView.js';
import { IncidentList } from '../replay/IncidentList.js';
import { useOperator } from '../alarms/operator.js';
import { RuleEditor } from '../alarms/RuleEditor.js';
import { useTranslation } from 'react-i18next';
import { setCentreTimeZone } from '../i18n/format.js';
import { setLanguage } from '../i18n/i18n.js';
import { hasChosenLanguage } from '../i18n/language-pref.js';
import { UserMenu } from '../access/UserMenu.js';
import { mayAll, mayAny, mayOn, useMe } from '../access/access-state.js';
import { AuditView } from '../audit/AuditView.js';
import { UsersView } from '../admin/UsersView.js';
import { currentLanguage } from '../i18n/i18n.js';
import { TrainingPanel } from '../training/TrainingPanel.js';
import { SessionReview } from '../training/SessionReview.js';
import { TrainingQueue } from '../training/TrainingQueue.js';
import { traineeSession, trainingSessions } from '../training/training-store.js';

const CLIENT_ID = `r-${Math.random().toString(36).slice(2, 10)}`;

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function App({ host }: { host: HostState }) {
  // every time the console shows is in the centre's zone; the centre's language unless this user or window chose one
  useEffect(() => { setCentreTimeZone(host.session.timeZone); if (!hasChosenLanguage()) void setLanguage(host.session.language); }, [host]);
  const { t } = useTranslation();
  const displayId = host.session.displayId;
  const displays = useValue(host.displays);
  const connected = useValue(host.connected);
  const hostLayout = displays.find((d) => d.id === displayId)?.layout ?? null;
  const [wall, dispatch] = useReducer(wallReducer, hostLayout, (l: Layout | null) => initialWall(l ?? makePresetLayout('2x2', [], 'live', 'Live')));
  const [statsOn, setStatsOn] = useState(false);
  const [panelOpen, setPanelOpen] = useState(false);
  const [rulesOpen, setRulesOpen] = useState(false);
  const errors = useUiErrors(host);
  // Map: in a browser of its own when the host opens windows (issue 10), else a popup of this browser; the tooltip says where
  const [mapWhere, setMapWhere] = useState<string | null>(null);
  const openMap = () => {
    if (!host.session.mapWindow) { openMapPopup(); setMapWhere(t('map.openedPopup')); return; }
    host.client.call('map.openWindow', { displayId, lang: currentLanguage() }).then(
      (r) => setMapWhere(t(r.opened === 'alreadyOpen' ? 'map.openedAlready' : 'map.openedWindow', { display: r.display ?? '' })),
      (e: unknown) => { setMapWhere(null); errors.report(t('map.openFailed'), e); });
  };
  // A display the host does not know yet (a new window) registers itself by sending its first layout.
  const synced = useRef(hostLayout ? JSON.stringify(wall.layout) : '');

  // Host -> wall: another console or a preset changed this display.
  useEffect(() => {
    if (!hostLayout) return;
    const json = JSON.stringify(hostLayout);
    if (json === synced.current) return;
    synced.current = json;
    dispatch({ type: 'load', layout: hostLayout });
  }, [hostLayout]);

  // a tile maximised or restored stays on this display, but the console journal records it (replay maximises the tile).
  // Told before the layout below: a preset that restores the grid is journalled restore first, then the new layout.
  const [operator] = useOperator();
  const maximised = useRef(wall.maximised);
  useEffect(() => {
    if (maximised.current === wall.maximised) return;
    const index = wall.maximised ?? maximised.current;
    maximised.current = wall.maximised;
    const cameraId = index === null ? null : wall.layout.cells[index]?.cameraId ?? null;
    host.client.call('replay.journal.note', { what: wall.maximised === null ? 'tile.restore' : 'tile.maximise', displayId, cameraIds: cameraId ? [cameraId] : [], operator, ...(index === null ? {} : { index }) }).catch(() => {});
  }, [wall.maximised, wall.layout, displayId, host, operator]);

  // Wall -> host: every change the operator makes.
  useEffect(() => {
    const json = JSON.stringify(wall.layout);
    if (json === synced.current) return;
    synced.current = json;
    host.client.call('wall.setLayout', { displayId, layout: wall.layout }).catch((e: unknown) => errors.report(t('wall.savingLayout'), e));
  }, [wall.layout, displayId, host, errors]);

  const act = useCallback((a: WallAction) => dispatch(a), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      if (e.altKey && /^Digit[1-9]$/.test(e.code)) {
        const preset = PRESET_IDS[Number(e.code.slice(5)) - 1];
        if (preset) { dispatch({ type: 'preset', preset }); e.preventDefault(); }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const moves: Record<string, 'left' | 'right' | 'up' | 'down'> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
      const dir = moves[e.key];
      if (dir) { dispatch({ type: 'move', direction: dir }); e.preventDefault(); return; }
      switch (e.key) {
        case 'Enter': dispatch({ type: 'toggle-maximise', index: wallRef.current.selected }); break;
        case 'Escape': dispatch({ type: 'restore' }); break;
        case 'Delete': dispatch({ type: 'clear', index: wallRef.current.selected }); break;
        case 'i': case 'I': setStatsOn((s) => !s); break;
        case 'f': case 'F': toggleFullscreen(); break;
        default: return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const wallRef = useRef(wall);
  wallRef.current = wall;

  // Alarm queue -> wall: the operator puts the alarm's camera into the selected tile.
  const showAlarmCamera = useCallback((cameraId: string) => dispatch({ type: 'assign', index: wallRef.current.selected, cameraId }), []);
  const autoPop = useAutoPop(wallRef, dispatch);

  const otherDisplays = useMemo(() => displays.filter((d) => d.id !== displayId), [displays, displayId]);

  // ---- review mode (issue 4): recorded video of the wall's cameras replaces the live wall ----
  const [reviewing, setReviewing] = useState(false);
  const me = useMe();
  // ---- incident replay (issue 11): the console as it was, from an alarm or the list of incidents ----
  const [replaying, setReplaying] = useState<string | null>(null);
  const [incidentsOpen, setIncidentsOpen] = useState(false);
  // ---- the auditor's screen and the administrator's users (issue 12): shown only to those the host would serve ----
  const [auditOpen, setAuditOpen] = useState(false);
  const [usersOpen, setUsersOpen] = useState(false);
  // ---- training (issue 11 §2): the trainer's panel; the trainee's session queue beside the live one ----
  const [trainingOpen, setTrainingOpen] = useState(false);
  const [debriefing, setDebriefing] = useState<string | null>(null);
  const training = traineeSession(useValue(trainingSessions(host)), me?.user);
  const wallCameraIds = useMemo(() => [...new Set(wall.layout.cells.map((c) => c.cameraId).filter((id): id is string => !!id && mayOn(me, 'viewRecordings', id)))], [wall.layout, me]);
  if (reviewing) return <ReviewView host={host} cameraIds={wallCameraIds} onExit={() => setReviewing(false)} onIncident={(id) => { setReviewing(false); setReplaying(id); }} />;
  if (replaying) return <ReplayView host={host} incidentId={replaying} onExit={() => setReplaying(null)} />;
  if (debriefing && me) return <SessionReview host={host} sessionId={debriefing} operator={me.user} onExit={() => setDebriefing(null)} />;

  return (
    <div className="console">
      <div className="topbar-row">
        <TopBar
          host={host} wall={wall} act={act} statsOn={statsOn} onStats={() => setStatsOn((s) => !s)}
          onCameras={() => setPanelOpen(true)} onFullscreen={toggleFullscreen} onRules={() => setRulesOpen(true)} errors={errors}
        />
        <button className="review-switch" onClick={() => setReviewing(true)} disabled={!mayAny(me, 'viewRecordings')} title={t('review.switchHint')}>{t('review.switch')}</button>
        <button className="review-switch" onClick={() => setIncidentsOpen(true)} disabled={!mayAny(me, 'viewRecordings')} data-testid="incidents">{t('replay.incidents')}</button>
        <button className="map-open" onClick={openMap} title={mapWhere ?? t('map.openHint')} data-testid="map-open">{t('map.open')}</button>
        {mayAny(me, 'viewRecordings') && <button className="review-switch" onClick={() => setTrainingOpen(true)} data-testid="training-open">{t('training.open')}</button>}
        {mayAll(me, 'viewAudit') && <button className="review-switch" onClick={() => setAuditOpen(true)} data-testid="audit-open">{t('audit.open')}</button>}
        {mayAll(me, 'manageUsers') && <button className="review-switch" onClick={() => setUsersOpen(true)} data-testid="users-open">{t('admin.open')}</button>}
        <UserMenu />
      </div>
      <NoticeBanner host={host} connected={connected} errors={errors} />
      <div className="console-body">
        <CameraList host={host} onPick={(cameraId) => act({ type: 'assign', index: wall.selected, cameraId })} />
        <WallView
          host={host} wall={wall} act={act} statsOn={statsOn} clientId={CLIENT_ID}
          otherDisplays={otherDisplays} errors={errors}
        />
        {training && me && <TrainingQueue host={host} session={training} operator={me.user} onShowCamera={showAlarmCamera} />}
        {mayAny(me, 'workAlarms') && <AlarmQueue host={host} errors={errors} onShowCamera={showAlarmCamera} onArrival={autoPop} onReplay={setReplaying} />}
      </div>
      {panelOpen && <CameraPanel host={host} onClose={() => setPanelOpen(false)} errors={errors} />}
      {rulesOpen && <RuleEditor host={host} onClose={() => setRulesOpen(false)} />}
      {auditOpen && mayAll(me, 'viewAudit') && <AuditView host={host} onClose={() => setAuditOpen(false)} />}
      {usersOpen && mayAll(me, 'manageUsers') && <UsersView host={host} onClose={() => setUsersOpen(false)} />}
      {trainingOpen && me && <TrainingPanel host={host} operator={me.user} onClose={() => setTrainingOpen(false)} onReview={(id) => { setTrainingOpen(false); setDebriefing(id); }} />}
      {incidentsOpen && <IncidentList host={host} onClose={() => setIncidentsOpen(false)} onOpen={(id) => { setIncidentsOpen(false); setReplaying(id); }} />}
    </div>
  );
}

/**
 * The map in a popup of this browser, where the host opens no windows (a remote browser; docs/map.md "The map window"):
 * the popup shares this window's session (sessionStorage is copied to it), but also this browser's GPU process.
 */
function openMapPopup(): void {
  window.open(`${window.location.pathname}?view=map&lang=${currentLanguage()}`, 'kuzet-map', 'width=1280,height=800');
}

function toggleFullscreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
  else void document.documentElement.requestFullscreen().catch(() => {});
}
