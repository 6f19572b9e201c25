/**
 * A follower window (issue 11 §1, "Displays on their monitors"): one replayed display's wall, full window, on the clock
 * of the main replay window that opened it. It runs no clock of its own: the replay's keys pressed here, and its head's
 * clock buttons (marks, frame steps, play and pause, speed), go to the main window, which runs the clock
 * (`FOLLOWER_KEYS`); clock messages on the replay channel (validated,
 * renderer/replay/replay-follow.ts) drive its review clock (`followStep`: the rate, playing or paused, and a seek when
 * it is off by more than it may drift). Its head names the incident and the display and shows the replay time. When the
 * main replay ends, the window closes (or says so where the browser keeps it open).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { BRAND } from '../i18n/i18n.js';
import { ReviewView, type ReviewClockControl, type ReviewClockState } from '../review/ReviewView.js';
import { formatTime } from '../review/timeline-model.js';
import { camerasEverShownOn, MAX_TILES } from './replay-model.js';
import { displayAspect, gridAt, replayWalls } from './replay-walls.js';
import { ReplayWalls, useWallsArea } from './ReplayWalls.js';
import { useIncidentReplay } from './use-incident.js';
import { FOLLOWER_KEYS, followMessageOf, type FollowerKey, followStep, REPLAY_FOLLOW_CHANNEL, type FollowerParams, type ReplayFollowMessage } from './replay-follow.js';
import { useCameraNames } from '../bridge/camera-name.js';

/** The main window sends its clock at least once a second while followers are open: this long without one, it is gone. */
const SILENT_MS = 5000;

export function ReplayFollower({ host, follow }: { host: HostState; follow: FollowerParams }) {
  const { t } = useTranslation();
  const { incidentId, displayId, session } = follow;
  const { record, error, footage, sources } = useIncidentReplay(host, incidentId);
  const [position, setPosition] = useState<number | null>(null);
  /** The controller's clock as last followed (null: not heard yet). */
  const [clock, setClock] = useState<ReviewClockState | null>(null);
  const [ended, setEnded] = useState(false);
  const clockRef = useRef<ReviewClockControl | null>(null);
  /** Clock messages followed (diagnostics: a test waits for heartbeats rather than for a time), and when the last came. */
  const heard = useRef(0);
  const lastHeard = useRef(0);
  /** No heartbeat for a while: the main window is gone (closed without ending, or stuck). */
  const [silent, setSilent] = useState(false);
  const liveDisplays = useValue(host.displays);
  const names = useCameraNames(host);

  const at = position ?? record?.incident.fromMs ?? 0;
  const state = useMemo(() => (record ? consoleStateAt(record, at) : null), [record, at]);
  // this display only: no other display stands in when it had no layout at that moment
  const { walls, cameras } = useMemo(() => (state ? replayWalls(state, [displayId], MAX_TILES) : { walls: [], cameras: [] }), [state, displayId]);
  const idsKey = cameras.join(',');
  const ids = useMemo(() => (idsKey ? idsKey.split(',') : []), [idsKey]);
  const { area, onArea } = useWallsArea();
  const camerasAt = useCallback((ms: number) => (record
    ? gridAt(replayWalls(consoleStateAt(record, ms), [displayId], MAX_TILES), () => displayAspect(liveDisplays, displayId), area.current.w, area.current.h)
    : { cameras: [] }), [record, displayId, liveDisplays]);
  const warmIds = useMemo(() => (record ? camerasEverShownOn(record, [displayId], 2 * MAX_TILES) : []), [record, displayId]);

  // the main window's clock drives this one; asked for at once (hello), then every change and a heartbeat a second
  const loaded = record !== null;
  const channel = useRef<BroadcastChannel | null>(null);
  /** A replay key or button here: to the main window, which runs the clock (this window follows what it then does). */
  const press = useCallback((key: FollowerKey, shift = false) => {
    channel.current?.postMessage({ kind: 'key', session, key, shift } satisfies ReplayFollowMessage);
  }, [session]);
  useEffect(() => {
    if (!loaded || typeof BroadcastChannel === 'undefined') return;
    const ch = channel.current = new BroadcastChannel(REPLAY_FOLLOW_CHANNEL);
    ch.onmessage = (e: MessageEvent) => {
      const m = followMessageOf(e.data, session);
      if (m?.kind === 'end') { setEnded(true); window.close(); return; }
      if (m?.kind !== 'clock' || m.incidentId !== incidentId) return;
      const c = clockRef.current;
      if (!c) return;
      heard.current++;
      lastHeard.current = Date.now();
      setSilent(false);
      const step = followStep(c.state(), m, Date.now());
      if (step.rate !== null) c.setRate(step.rate);
      if (step.playing !== null) c.setPlaying(step.playing);
      if (step.seekMs !== null) c.seek(step.seekMs);
      setClock({ atMs: m.atMs, playing: m.playing, rate: m.rate });
    };
    ch.postMessage({ kind: 'hello', session, displayId } satisfies ReplayFollowMessage);
    // the replay's keys pressed here: to the main window (this one follows what it then does)
    const onKey = (e: KeyboardEvent) => {
      const key = FOLLOWER_KEYS.find((k) => k === e.key);
      if (!key || e.ctrlKey || e.altKey || e.metaKey) return;
      e.preventDefault();
      press(key, e.shiftKey);
    };
    window.addEventListener('keydown', onKey);
    const watch = setInterval(() => { if (lastHeard.current && Date.now() - lastHeard.current > SILENT_MS) setSilent(true); }, 1000);
    return () => { clearInterval(watch); window.removeEventListener('keydown', onKey); ch.close(); channel.current = null; };
  }, [loaded, session, incidentId, displayId, press]);

  const title = record ? `${BRAND} — ${record.incident.name} — ${displayId}` : BRAND;
  useEffect(() => { document.title = title; }, [title]);
  useEffect(() => {
    exposeDiagnostics('__kuzetReplay', { state: () => state, cameras: () => ids, walls: () => walls, follower: () => ({ ...follow, controller: clock, ended, heard: heard.current, clock: clockRef.current?.state() ?? null }) });
  }, [state, ids, walls, follow, clock, ended]);

  const rate = clock ? (Math.abs(clock.rate) < 1 ? `1/${1 / Math.abs(clock.rate)}` : `${Math.abs(clock.rate)}`) : '1';
  const head = (
    <div className="topbar review-bar replay-follower-head" data-testid="follower-head">
      <span className="brand">{BRAND}</span>
      <b>{record?.incident.name ?? ''}</b>
      <span>{t('replay.followerDisplay', { display: displayId })}</span>
      <span className="review-time" data-testid="follower-position">{formatTime(at)}</span>
      {/* the review bar's clock buttons, run by the main window (as this window's keys are) */}
      <button onClick={() => press('ArrowLeft', true)} title={t('review.prevMarkHint')}>◀ {t('review.mark')}</button>
      <button onClick={() => press('ArrowLeft')} title={t('review.frameBack')} data-testid="follower-step-back">◀|</button>
      <button className={clock?.playing ? 'on' : ''} onClick={() => press(' ')} title={t('review.playPause')} data-testid="follower-play">{clock?.playing ? '❚❚' : '▶'}</button>
      <button onClick={() => press('ArrowRight')} title={t('review.frameForward')} data-testid="follower-step-forward">|▶</button>
      <button onClick={() => press('ArrowRight', true)} title={t('review.nextMarkHint')}>{t('review.mark')} ▶</button>
      <button onClick={() => press('-')} title={t('review.speed')} aria-label={`${t('review.speed')} −`}>−</button>
      <button onClick={() => press('+')} title={t('review.speed')} aria-label={`${t('review.speed')} +`} data-testid="follower-faster">+</button>
      <span className="muted" data-testid="follower-clock" data-playing={clock?.playing ? 'true' : 'false'}>
        {ended ? t('replay.followerEnded') : !clock || silent ? t('replay.followerWaiting')
          : clock.playing ? t(clock.rate < 0 ? 'replay.followerReverse' : 'replay.followerPlaying', { rate }) : t('replay.followerPaused')}
      </span>
    </div>
  );
  if (error || !record) return <div className="review review-follower" data-testid="replay-follower">{head}<div className="pad muted">{error || t('replay.loading')}</div></div>;
  return (
    <ReviewView host={host} cameraIds={ids} onExit={() => window.close()} startMs={record.incident.fromMs} onPosition={setPosition}
      testId="replay-follower" footage={footage} camerasAt={camerasAt} warmIds={warmIds} sources={sources} clockRef={clockRef} head={head}
      layoutCells={(cell) => (walls.length === 0
        ? <div className="pad muted">{t('replay.followerNoLayout', { display: displayId })}</div>
        : <ReplayWalls walls={walls} aspects={[displayAspect(liveDisplays, displayId)]} names={names} cell={cell} onArea={onArea} />)} />
  );
}
