/**
 * Review mode: synchronised playback of up to 16 cameras in a grid, a per-camera timeline, speeds 1/8x-16x,
 * reverse, frame steps, jump to the previous/next alarm or bookmark, bookmarks, evidence locks, export.
 * Keys: Space play/pause, Left/Right one frame, Shift+Left/Right previous/next marker, R reverse, +/- speed.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { CameraTimeline, TimelineMarker } from '../../electron/contract/review-api.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { errorMessage } from '../app/ui-errors.js';
import { PlaybackClock } from './playback-clock.js';
import { ReviewPlayer, type Footage } from './review-player.js';
import { Timeline } from './Timeline.js';
import { ExportDialog } from './ExportDialog.js';
import { ReviewOverlays } from './review-overlays.js';
import { zonesFor } from '../overlays/zone-store.js';
import { masksFor, masksToDraw } from '../overlays/mask-store.js';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../i18n/format.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { centreOn, FRAME_MS, formatTime, SPEEDS, type TimelineView } from './timeline-model.js';
import { BRAND } from '../i18n/i18n.js';
import { UnitReplayMap } from '../map/UnitReplayMap.js';

const MAX_CAMERAS = 16;

/** The grid alone, or beside a panel (replay's alarm queue). */
const withAside = (aside: ReactNode, grid: ReactNode) => (aside ? <div className="review-body">{grid}{aside}</div> : grid);

/** Base URL for HTTP routes of the host (same server as the frame channel; token included). */
function httpUrl(framesUrl: string, path: string): string {
  const u = new URL(framesUrl, window.location.href);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  const token = u.searchParams.get('token') ?? '';
  const out = new URL(path, u.origin);
  out.searchParams.set('token', token);
  return out.toString();
}

/** Incident replay (renderer/replay) reuses this view: a start time, a panel beside the grid, the console's actions as markers. */
export interface ReviewExtras {
  startMs?: number;
  /** Told the playhead about ten times a second. */
  onPosition?(ms: number): void;
  /** More markers for the timeline and for jumping (replay: operator actions). */
  extraMarkers?: TimelineMarker[];
  aside?: ReactNode;
  testId?: string;
  /** Segments and timeline from elsewhere than this console's recordings (replay: the incident's footage). */
  footage?: Footage;
}

export function ReviewView({ host, cameraIds, onExit, startMs, onPosition, extraMarkers, aside, testId, footage }: { host: HostState; cameraIds: string[]; onExit(): void } & ReviewExtras) {
  const { t } = useTranslation();
  const cameras = useValue(host.cameras);
  const names = useMemo(() => Object.fromEntries(cameras.map((c) => [c.id, c.name])), [cameras]);
  const ids = useMemo(() => (cameraIds.length ? cameraIds : cameras.map((c) => c.id)).slice(0, MAX_CAMERAS), [cameraIds, cameras]);
  const clock = useRef(new PlaybackClock(startMs ?? Date.now() - 60_000)).current;
  const [view, setView] = useState<TimelineView>(() => centreOn(startMs ?? Date.now() - 60_000, 10 * 60_000));
  const [fetchedRows, setRows] = useState<CameraTimeline[]>([]);
  const rows = useMemo(() => (extraMarkers?.length
    ? fetchedRows.map((r) => ({ ...r, markers: [...r.markers, ...extraMarkers.filter((m) => m.cameraId === r.cameraId)] }))
    : fetchedRows), [fetchedRows, extraMarkers]);
  const onPositionRef = useRef(onPosition);
  onPositionRef.current = onPosition;
  const [position, setPosition] = useState(clock.now());
  const [playing, setPlaying] = useState(false);
  const [rate, setRate] = useState(1);
  const [selected, setSelected] = useState(0);
  const [exporting, setExporting] = useState(false);
  const [note, setNote] = useState('');
  const [, redraw] = useState(0);
  const players = useRef(new Map<string, ReviewPlayer>());
  const canvases = useRef(new Map<string, HTMLCanvasElement>());
  const [overlaysOn, setOverlaysOn] = useState(true);
  const overlays = useMemo(() => { const z = zonesFor(host.client), m = masksFor(host.client); return new ReviewOverlays(host.client, (id) => z.get(id) ?? [], setNote, (id) => masksToDraw(m.get(id))); }, [host]);
  overlays.enabled = overlaysOn;
  const urlOf = useCallback((path: string) => httpUrl(host.session.framesUrl, path), [host]);

  const refreshTimeline = useCallback(async () => {
    if (ids.length === 0) return;
    const range = { fromMs: Math.max(0, view.startMs), toMs: view.startMs + view.spanMs };
    try { setRows(await (footage ? footage.timeline(ids, range.fromMs, range.toMs) : host.client.call('recording.timeline', { cameraIds: ids, ...range }))); } catch (err) { setNote(errorMessage(err)); }
  }, [host, ids, view, footage]);
  useEffect(() => { void refreshTimeline(); const t = setInterval(() => void refreshTimeline(), 5000); return () => clearInterval(t); }, [refreshTimeline]);

  // one loop drives every player from the clock (players correct their own drift)
  useEffect(() => {
    let raf = 0;
    let last = 0;
    const loop = (t: number) => {
      raf = requestAnimationFrame(loop);
      const held = clock.playing && clock.rate > 0 && [...players.current.values()].some((p) => p.stalled());
      clock.hold(held);
      const ms = clock.now();
      for (const p of players.current.values()) {
        p.follow(ms, clock.playing, clock.rate, held);
        const canvas = canvases.current.get(p.cameraId);
        if (canvas) overlays.draw(p.cameraId, canvas, p.video, p.shownMs());
      }
      if (t - last > 100) { last = t; setPosition(ms); onPositionRef.current?.(ms); }
    };
    raf = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(raf);
  }, [clock, overlays]);

  // keep the playhead in view while playing
  useEffect(() => {
    if (position < view.startMs || position > view.startMs + view.spanMs) setView(centreOn(position, view.spanMs));
  }, [position, view]);

  const seek = useCallback((ms: number) => {
    for (const p of players.current.values()) p.traceSeek(ms);
    clock.seek(ms);
    // start the segment list and fetch in this task rather than on the next animation frame
    for (const p of players.current.values()) p.follow(ms, clock.playing, clock.rate);
    setPosition(ms);
    onPositionRef.current?.(ms);
  }, [clock]);
  const togglePlay = useCallback(() => { clock.play(!clock.playing); setPlaying(clock.playing); }, [clock]);
  const setSpeed = useCallback((r: number) => { clock.setRate(r); setRate(r); }, [clock]);
  const step = useCallback((frames: number) => { clock.play(false); setPlaying(false); seek(clock.now() + frames * FRAME_MS); }, [clock, seek]);
  const markers = useMemo(() => rows.flatMap((r) => r.markers).filter((m) => m.kind !== 'lock').sort((a, b) => a.atMs - b.atMs), [rows]);
  const markersRef = useRef(markers);
  markersRef.current = markers;
  const jump = useCallback((dir: 1 | -1) => {
    const now = clock.now();
    const m: TimelineMarker | undefined = dir > 0 ? markers.find((x) => x.atMs > now + 500) : [...markers].reverse().find((x) => x.atMs < now - 500);
    if (m) seek(m.atMs);
  }, [clock, markers, seek]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
      let handled = true;
      if (e.key === ' ') togglePlay();
      else if (e.key === 'ArrowRight') { if (e.shiftKey) jump(1); else step(1); }
      else if (e.key === 'ArrowLeft') { if (e.shiftKey) jump(-1); else step(-1); }
      else if (e.key === 'r' || e.key === 'R') setSpeed(-clock.rate);
      else if (e.key === '+' || e.key === '=') setSpeed(Math.sign(clock.rate) * (SPEEDS.find((s) => s > Math.abs(clock.rate)) ?? 16));
      else if (e.key === '-') setSpeed(Math.sign(clock.rate) * ([...SPEEDS].reverse().find((s) => s < Math.abs(clock.rate)) ?? 0.125));
      else if (e.key === 'Escape') onExit();
      else handled = false;
      if (handled) { e.preventDefault(); e.stopImmediatePropagation(); }
    };
    window.addEventListener('keydown', onKey, true); // capture: the live wall's own keys do not see these
    return () => window.removeEventListener('keydown', onKey, true);
  }, [togglePlay, step, jump, setSpeed, clock, onExit]);

  // players live as long as their camera is in view (ref callbacks run on every render: never rebuild there)
  const attach = useCallback((cameraId: string, el: HTMLVideoElement | null) => {
    if (!el || players.current.get(cameraId)?.video === el) return;
    players.current.set(cameraId, new ReviewPlayer(cameraId, el, host.client, urlOf, () => redraw((n) => n + 1), footage));
  }, [host, urlOf, footage]);
  useEffect(() => {
    for (const [id, p] of players.current) {
      if (ids.includes(id)) continue;
      p.dispose();
      players.current.delete(id);
    }
  }, [ids]);

  // test and diagnostics hook: wall time of the picture each player shows
  useEffect(() => {
    exposeDiagnostics('__kuzetReview', {
      shown: () => Object.fromEntries([...players.current.values()].map((p) => [p.cameraId, p.shownMs()])),
      position: () => clock.now(),
      overlays: () => overlays.stats,
      markers: () => markersRef.current,
      players: () => [...players.current.values()].map((p) => ({ camera: p.cameraId, state: p.state, message: p.message, src: p.video.currentSrc, ready: p.video.readyState, error: p.video.error?.message ?? null, t: p.video.currentTime, segments: p.segments.length, lastSeekMs: p.lastSeekMs })),
      seek: (ms: number) => seek(ms),
      traces: () => Object.fromEntries([...players.current.values()].map((p) => [p.cameraId, p.trace])),
    });
  }, [clock, overlays, seek]);

  const selectedId = ids[selected] ?? ids[0];
  const cols = Math.ceil(Math.sqrt(Math.max(1, ids.length)));
  const addBookmark = async () => {
    if (!selectedId) return;
    const comment = window.prompt(t('review.bookmarkPrompt', { camera: names[selectedId] ?? selectedId, time: formatTime(position) }), '') ?? null;
    if (comment === null) return;
    try { await host.client.call('bookmarks.add', { cameraId: selectedId, atMs: Math.round(position), comment }); await refreshTimeline(); } catch (err) { setNote(errorMessage(err)); }
  };
  const lockRange = async () => {
    const reason = window.prompt(t('review.lockPrompt'), '') ?? '';
    if (!reason.trim()) return;
    try { await host.client.call('evidence.lock', { cameraIds: ids, fromMs: Math.round(position - 60_000), toMs: Math.round(position + 60_000), reason }); await refreshTimeline(); setNote(t('review.locked')); } catch (err) { setNote(errorMessage(err)); }
  };

  return (
    <div className="review" data-testid={testId ?? 'review'}>
      <div className="topbar review-bar">
        <span className="brand">{BRAND}</span>
        <button onClick={onExit} title={t('review.backHint')}>◀ {t('review.live')}</button>
        <span className="review-time" data-testid="position">{formatTime(position)}</span>
        <button onClick={() => jump(-1)} title={t('review.prevMarkHint')}>◀ {t('review.mark')}</button>
        <button onClick={() => step(-1)} title={t('review.frameBack')} data-testid="step-back">◀|</button>
        <button className={playing && rate < 0 ? 'on' : ''} onClick={() => { setSpeed(-Math.abs(rate)); if (!clock.playing) togglePlay(); }} title={t('review.reverse')}>◀◀</button>
        <button className={playing && rate > 0 ? 'on' : ''} onClick={() => { if (rate < 0) setSpeed(Math.abs(rate)); togglePlay(); }} data-testid="play" title={t('review.playPause')}>{playing ? '❚❚' : '▶'}</button>
        <button onClick={() => step(1)} title={t('review.frameForward')} data-testid="step-forward">|▶</button>
        <button onClick={() => jump(1)} title={t('review.nextMarkHint')}>{t('review.mark')} ▶</button>
        <select value={Math.abs(rate)} onChange={(e) => setSpeed(Math.sign(rate || 1) * Number(e.target.value))} data-testid="speed" aria-label={t('review.speed')}>
          {SPEEDS.map((s) => <option key={s} value={s}>{s < 1 ? `1/${1 / s}` : s}x</option>)}
        </select>
        <span className="spacer" />
        <button className={overlaysOn ? 'on' : ''} onClick={() => setOverlaysOn((o) => !o)} title={t('review.overlaysHint')}>{t('review.overlays')}</button>
        <button onClick={() => void addBookmark()}>{t('review.bookmark')}</button>
        <button onClick={() => void lockRange()}>{t('review.evidenceLock')}</button>
        <button className="on" onClick={() => setExporting(true)} data-testid="export">{t('review.export')}</button>
      </div>
      {note && <div className="banner banner-info"><span>{note}</span><button className="link" onClick={() => setNote('')}>{t('common.dismiss')}</button></div>}
      {withAside(aside,
      <div className="review-grid" style={{ gridTemplateColumns: `repeat(${cols}, 1fr)` }}>
        {ids.map((id, i) => {
          const p = players.current.get(id);
          return (
            <div key={id} className={`review-cell${i === selected ? ' selected' : ''}`} onClick={() => setSelected(i)} data-camera={id}>
              <video ref={(el) => attach(id, el)} muted playsInline />
              <canvas className="review-overlay" ref={(el) => { if (el) canvases.current.set(id, el); else canvases.current.delete(id); }} />
              <div className="review-cell-label">{names[id] ?? id}</div>
              {p && p.state !== 'ready' && <div className="review-cell-state">{p.message || t(`review.player.${p.state}`, { defaultValue: p.state })}</div>}
            </div>
          );
        })}
        {ids.length === 0 && <div className="pad muted">{t('review.noCameras')}</div>}
      </div>)}
      <Timeline view={view} rows={rows} names={names} playheadMs={position} onView={setView} onSeek={seek}
        thumbUrl={(cameraId, ms) => urlOf(`/rec/thumb/${cameraId}/${ms}.jpg`)} />
      <div className="tl-zoom muted">{t('review.zoomHelp', { window: formatDuration(view.spanMs) })}</div>
      <UnitReplayMap host={host} atMs={position} cameraIds={ids} />
      {exporting && <ExportDialog host={host} cameraIds={ids} atMs={position} onClose={() => setExporting(false)} />}
    </div>
  );
}
