/**
 * Review mode: synchronised playback of up to 16 cameras in a grid, a per-camera timeline, speeds 1/8x-16x,
 * reverse, frame steps, jump to the previous/next alarm or bookmark, bookmarks, evidence locks, export.
 * Keys: Space play/pause, Left/Right one frame, Shift+Left/Right previous/next marker, R reverse, +/- speed,
 * Enter (or a double-click) maximises the selected camera and restores it, Esc restores (or leaves review).
 * Each player is told its tile's height: small tiles play the recorded sub-stream, a maximised one the main stream.
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type MutableRefObject, type ReactNode } from 'react';
import type { CameraTimeline, TimelineMarker } from '../../electron/contract/review-api.js';
import type { OverlayLayers } from '../../electron/contract/schemas.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { errorMessage } from '../app/ui-errors.js';
import { PlaybackClock } from './playback-clock.js';
import { ReviewPlayer, type Footage } from './review-player.js';
import { PlayerPool } from './player-pool.js';
import { batchedFootage, fetchBytes } from './seek-parts.js';
import { Timeline } from './Timeline.js';
import { ExportDialog } from './ExportDialog.js';
import { ReviewOverlays } from './review-overlays.js';
import { masksFor, masksToDraw } from '../overlays/mask-store.js';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../i18n/format.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { centreOn, FRAME_MS, formatTime, SPEEDS, type TimelineView } from './timeline-model.js';
import { BRAND } from '../i18n/i18n.js';
import { IncidentFromMarker } from '../replay/IncidentFromMarker.js';
import { UnitReplayMap } from '../map/UnitReplayMap.js';
import { consoleFootage, consoleSources, type ReviewSources } from './review-sources.js';
import { containRect } from './contain-rect.js';
import { DEFAULT_SUB_SIZE } from '../../electron/contract/stream-choice.js';
import { nextToWarm } from './warm-up.js';
import { LayoutSizes } from '../element-size.js';
import { useCameraNames } from '../bridge/camera-name.js';

const MAX_CAMERAS = 16;
/**
 * Players of cameras that left the grid kept open for when they come back (replay's layouts change what it shows). 24:
 * a replay whose layouts show 24 cameras kept disposing and re-making players at 16 (a one-tile layout parks 23).
 */
const MAX_PARKED = 24;
/** The longest a paused seek's render of its new moment waits for the tiles' footage (ms). */
const SEEK_RENDER_WAIT_MS = 200;
/** The tile height (device px) players are opened ahead at: the sub-stream's (stream-choice.ts's threshold is above it). */
const WARM_TILE_PX = DEFAULT_SUB_SIZE.height;

/** The grid alone, or beside a panel (replay's alarm queue). */
/**
 * The grid with a panel on the right (incident replay's queue, the after-action review's differences and comments):
 * the unit map heads the panel's column instead of floating over the top-right tile.
 */
/** The unit map's canvas in a panel's column: the column's 280 px less the map's padding and border. */
const ASIDE_MAP = { width: 270, height: 200 } as const;
const withAside = (aside: ReactNode, grid: ReactNode, map: ReactNode) => (aside ? <div className="review-body">{grid}<div className="review-aside">{map}{aside}</div></div> : grid);

/** Base URL for HTTP routes of the host (same server as the frame channel; token included). */
function httpUrl(framesUrl: string, path: string): string {
  const u = new URL(framesUrl, window.location.href);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  const token = u.searchParams.get('token') ?? '';
  const out = new URL(path, u.origin);
  out.searchParams.set('token', token);
  return out.toString();
}

/** A tile a layout of its own places (replay's walls): which camera, where, and whether it mirrors another tile's picture. */
export interface ReviewCellSpec {
  /** React key, stable while the tile shows the same camera in the same role. */
  key: string;
  cameraId: string;
  /** Another tile holds the camera's player (its <video>): this one draws that picture (one decode per camera). */
  mirror: boolean;
  style: CSSProperties;
  className?: string;
  /** The overlay layers the tile had on the live wall (replay: overlays as they were drawn); absent: the review's own. */
  layers?: OverlayLayers;
}

/** A mirror tile's canvases: the picture copied from the camera's player, and its overlays. */
interface Mirror { cameraId: string; pic: HTMLCanvasElement | null; over: HTMLCanvasElement | null; drawn: string }

/** Copies the player's current picture into a mirror tile's canvas (letterboxed as the <video> is), when it changed. */
function drawMirror(m: Mirror, video: HTMLVideoElement, sizes: LayoutSizes): void {
  const pic = m.pic;
  if (!pic) return;
  const dpr = window.devicePixelRatio || 1;
  const size = sizes.of(pic);
  if (!size) return; // not laid out yet: the next frame
  const w = Math.round(size.w * dpr), h = Math.round(size.h * dpr);
  const ready = video.readyState >= 2 && video.videoWidth > 0;
  const key = `${video.currentTime}|${w}x${h}|${ready}|${video.seeking}`;
  if (m.drawn === key) return;
  m.drawn = key;
  if (pic.width !== w || pic.height !== h) { pic.width = w; pic.height = h; }
  const ctx = pic.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, w, h);
  if (!ready) return;
  const fit = containRect(w, h, video.videoWidth, video.videoHeight);
  ctx.drawImage(video, fit.x, fit.y, fit.w, fit.h);
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
  /** Under the timeline, on the window it draws (the after-action review's lanes line up with it). */
  below?(view: TimelineView): ReactNode;
  /** The timeline's window at first (absent: ten minutes around `startMs`). */
  initialView?: TimelineView;
  /** Set to the view's seek, so a panel beside it can move the playhead (the review's differences and lanes). */
  seekRef?: MutableRefObject<((ms: number) => void) | null>;
  /** An incident made from the bookmark or lock at the playhead: open it (the console's replay). */
  onIncident?(incidentId: string): void;
  /**
   * The cameras the grid will show at a moment (replay: the display's layout then): a seek starts their players at once,
   * each on the stream its tile's height there (CSS px, `heights`; absent: the tile's height now) wants.
   */
  camerasAt?(ms: number): { cameras: string[]; heights?: ReadonlyMap<string, number> };
  /**
   * Cameras the grid may show later (replay: every camera of the display's layouts in the incident): their players are
   * opened ahead, one at a time while every shown tile has its picture, and parked, so a seek that shows them is a seek,
   * not a new player.
   */
  warmIds?: string[];
  /** Overlays, unit tracks and hover thumbnails from elsewhere than this console's stores (replay: the incident's). */
  sources?: ReviewSources;
  /**
   * Lays the tiles out itself instead of the review grid (replay: each display's layout in its own geometry): `cell`
   * gives a tile of one of `cameraIds`, positioned by `style`.
   */
  layoutCells?(cell: (tile: ReviewCellSpec) => ReactNode): ReactNode;
  /** Told whenever the operator changes the clock here (play, pause, speed, seek, frame step): replay's followers follow it. */
  onClock?(clock: ReviewClockState): void;
  /** Set to the view's clock, read and driven from outside (replay: the main window reads it, a follower window drives it). */
  clockRef?: MutableRefObject<ReviewClockControl | null>;
  /**
   * A head instead of the control bar, and no timeline, keys or unit map: a follower window's wall, whose clock the
   * main replay window drives (through `clockRef`).
   */
  head?: ReactNode;
}

/** The review clock as a window runs it: the playhead (wall ms), playing or paused, the rate (negative = reverse). */
export interface ReviewClockState { atMs: number; playing: boolean; rate: number }

/** The review clock from outside: its state, and the moves the control bar makes. */
export interface ReviewClockControl {
  state(): ReviewClockState;
  seek(ms: number): void;
  setPlaying(on: boolean): void;
  setRate(rate: number): void;
}

/**
 * The height in device pixels of the tile a player's <video> sits in; null while it is parked (no tile), undefined for
 * a tile not laid out since it came (its size is known from the next frame on: the player keeps its height until then).
 */
function slotHeight(video: HTMLVideoElement, sizes: LayoutSizes): number | null | undefined {
  // the slot is `display: contents` (no box of its own: its height read 0, and every tile got the grid's estimate by
  // camera count): the tile is the slot's parent
  const tile = video.parentElement?.parentElement;
  if (!tile?.isConnected) return null;
  const size = sizes.of(tile);
  if (!size) return undefined;
  return size.h > 0 ? size.h * (window.devicePixelRatio || 1) : null;
}

export function ReviewView({ host, cameraIds, onExit, startMs, onPosition, extraMarkers, aside, testId, footage, below, initialView, seekRef, onIncident, camerasAt, warmIds, sources, layoutCells, onClock, clockRef, head }: { host: HostState; cameraIds: string[]; onExit(): void } & ReviewExtras) {
  const { t } = useTranslation();
  const cameras = useValue(host.cameras);
  const names = useCameraNames(host);
  // review of the wall with no camera on it plays every camera; a view laying out its own tiles (replay) plays what it says
  const ownLayout = layoutCells !== undefined;
  const ids = useMemo(() => (cameraIds.length || ownLayout ? cameraIds : cameras.map((c) => c.id)).slice(0, MAX_CAMERAS), [cameraIds, cameras, ownLayout]);
  const clock = useRef(new PlaybackClock(startMs ?? Date.now() - 60_000)).current;
  const [view, setView] = useState<TimelineView>(() => initialView ?? centreOn(startMs ?? Date.now() - 60_000, 10 * 60_000));
  const [fetchedRows, setRows] = useState<CameraTimeline[]>([]);
  const rows = useMemo(() => {
    if (!extraMarkers?.length) return fetchedRows;
    // grouped once (a replay's actions are thousands of markers on up to 16 rows: a filter per row cost a seek ~10 ms)
    const byCamera = new Map<string, TimelineMarker[]>();
    for (const m of extraMarkers) { const l = byCamera.get(m.cameraId); if (l) l.push(m); else byCamera.set(m.cameraId, [m]); }
    return fetchedRows.map((r) => { const extra = byCamera.get(r.cameraId); return extra ? { ...r, markers: [...r.markers, ...extra] } : r; });
  }, [fetchedRows, extraMarkers]);
  const onPositionRef = useRef(onPosition);
  onPositionRef.current = onPosition;
  const onClockRef = useRef(onClock);
  onClockRef.current = onClock;
  const told = useCallback(() => onClockRef.current?.({ atMs: clock.now(), playing: clock.playing, rate: clock.rate }), [clock]);
  const [position, setPosition] = useState(clock.now());
  const tellPosition = useCallback((ms: number) => { setPosition(ms); onPositionRef.current?.(ms); }, []);
  const [playing, setPlaying] = useState(false);
  const [rate, setRate] = useState(1);
  const [selected, setSelected] = useState(0);
  /** The camera maximised to the whole grid (null: the grid). */
  const [maximised, setMaximised] = useState<string | null>(null);
  const maximisedRef = useRef(maximised);
  maximisedRef.current = maximised;
  /** The grid's height in CSS pixels (ResizeObserver): every tile's height follows from it and the number of rows. */
  const gridHeight = useRef(0);
  const gridObserver = useRef<ResizeObserver | null>(null);
  const gridRef = useCallback((el: HTMLDivElement | null) => {
    gridObserver.current?.disconnect();
    gridObserver.current = null;
    if (!el) return;
    gridHeight.current = el.clientHeight;
    gridObserver.current = new ResizeObserver(() => { gridHeight.current = el.clientHeight; });
    gridObserver.current.observe(el);
  }, []);
  const [exporting, setExporting] = useState(false);
  const [note, setNote] = useState('');
  const [, redraw] = useState(0);
  const canvases = useRef(new Map<string, HTMLCanvasElement>());
  /** A tile's own overlay layers (ReviewCellSpec.layers), by its overlay canvas's slot: the camera, or a mirror's key. */
  const tileLayers = useRef(new Map<string, OverlayLayers>());
  /** Mirror tiles by key (a camera shown in several tiles: one player, its picture copied). */
  const mirrors = useRef(new Map<string, Mirror>());
  const [overlaysOn, setOverlaysOn] = useState(true);
  const src = useMemo(() => sources ?? consoleSources(host.client), [sources, host]);
  /** The tiles' and canvases' sizes as last laid out (the players' loop reads them every frame). */
  const sizes = useMemo(() => new LayoutSizes(), []);
  useEffect(() => () => sizes.dispose(), [sizes]);
  const overlays = useMemo(() => { const m = masksFor(host.client); return new ReviewOverlays(src.events, src.zones, setNote, (id) => masksToDraw(m.get(id)), (el) => sizes.of(el)); }, [host, src, sizes]);
  overlays.enabled = overlaysOn;
  const urlOf = useCallback((path: string) => httpUrl(host.session.framesUrl, path), [host]);
  // one player per camera, kept while the camera is in the grid and parked (MediaSource and decoder open) after
  // a player's state change redraws the grid once per animation frame, not once per player (16 of them in a seek)
  const redrawSoon = useMemo(() => {
    let queued = false;
    return () => { if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; redraw((n) => n + 1); }); } };
  }, []);
  /** A seek's first parts in one request (off: one request each; diagnostics, the bench's A/B). */
  const batchParts = useRef(true);
  /**
   * Footage decoded as recorded streams (frame threads; markRecorded) rather than live ones (low-delay: every player's
   * decoding on the renderer's one media thread). Off: measured no faster for 10-16 tiles (docs/replay.md, "Seek, seventh
   * pass"); on for the bench's A/B (`--ab-recorded`) and the gap-edge test.
   */
  const recordedStreams = useRef(false);
  const pool = useMemo(() => {
    const othersSettling = (id: string) => () => made.shown().some((p) => p.cameraId !== id && p.settling());
    // a seek's first parts of every tile in one request (Chromium has 6 connections to the host for up to 16 tiles)
    const load = batchedFootage(fetchBytes(urlOf), urlOf, () => batchParts.current);
    const made: PlayerPool<ReviewPlayer> = new PlayerPool((id) => new ReviewPlayer(id, host.client, urlOf, redrawSoon, footage, othersSettling(id), load, () => recordedStreams.current), MAX_PARKED);
    return made;
  }, [host, urlOf, footage, redrawSoon]);
  useEffect(() => () => pool.disposeAll(), [pool]);
  const camerasAtRef = useRef(camerasAt);
  camerasAtRef.current = camerasAt;
  const warmIdsRef = useRef(warmIds ?? []);
  warmIdsRef.current = warmIds ?? [];
  // the segment lists of every camera shown now or later, both streams, asked once when replay opens (not in a seek)
  const preloadKey = [...ids, ...(warmIds ?? [])].join(',');
  useEffect(() => {
    if (preloadKey) void footage?.preload?.([...new Set(preloadKey.split(','))], ['sub', 'main']);
  }, [footage, preloadKey]);
  /** The timeline's window and rows as drawn, and those wanted (since when: 0 once drawn). */
  const [drawnTimeline, setDrawnTimeline] = useState({ view, rows });
  const wantedTimeline = useRef({ view, rows, since: 0 });
  useEffect(() => { wantedTimeline.current = { view, rows, since: performance.now() }; }, [view, rows]);
  /** The player being opened ahead (warmIds) and the moment it opens at. */
  const warming = useRef<{ id: string; ms: number; since: number } | null>(null);
  /** A paused seek whose new moment is not rendered yet (the players' loop renders it once its footage is in). */
  const toldAfterSeek = useRef<{ since: number } | null>(null);
  /** Frames for which the loop still gives no tile heights after a seek's moment was told (its render is on its way). */
  const heightsHeld = useRef(0);
  /** Cameras whose player did not open within the warm-up's 10 s: not opened ahead again (they open when shown). */
  const warmGaveUp = useRef(new Set<string>());

  // the rows as last set: a refresh that brings the same rows (a finished incident, every 5 s) does not re-render the
  // timeline's thousands of markers (a long task that fell into seeks)
  const rowsJson = useRef('');
  const refreshTimeline = useCallback(async () => {
    if (ids.length === 0) return;
    const range = { fromMs: Math.max(0, view.startMs), toMs: view.startMs + view.spanMs };
    try {
      const next = await (footage ?? consoleFootage(host.client)).timeline(ids, range.fromMs, range.toMs);
      const json = JSON.stringify(next);
      if (json !== rowsJson.current) { rowsJson.current = json; setRows(next); }
    } catch (err) { setNote(errorMessage(err)); }
  }, [host, ids, view, footage]);
  const withTimeline = !head; // a follower window draws no timeline
  useEffect(() => {
    if (!withTimeline) return;
    void refreshTimeline(); const t = setInterval(() => void refreshTimeline(), 5000); return () => clearInterval(t);
  }, [refreshTimeline, withTimeline]);

  /** The tiles' height in device pixels when the grid shows n cameras (the grid's rows share its height; 2 px gaps and padding). */
  const tileHeight = useCallback((n: number) => {
    const cols = Math.ceil(Math.sqrt(Math.max(1, n)));
    const rows = Math.ceil(Math.max(1, n) / cols);
    // a view laying its tiles out itself (replay walls) has no grid: about the window's height less the bars and the
    // timeline, until the player's own tile is on screen (slotHeight)
    const area = gridHeight.current > 0 ? gridHeight.current : window.innerHeight * 0.75;
    return ((area - 4 - 2 * (rows - 1)) / rows) * (window.devicePixelRatio || 1);
  }, []);

  /** The tile height (device px) the loop last gave each player: it gives one again when its tile's height changes. */
  const [appliedPx] = useState(() => new WeakMap<ReviewPlayer, number>());
  /** A shown player's tile height (device px): its tile's, the grid's estimate while it has none, as applied while its new tile is not laid out yet. */
  const heightOf = useCallback((p: ReviewPlayer, tilePx: number) => {
    const h = slotHeight(p.video, sizes);
    return h === undefined ? appliedPx.get(p) ?? tilePx : h ?? tilePx;
  }, [sizes, appliedPx]);
  // one loop drives every player from the clock (players correct their own drift)
  useEffect(() => {
    let raf = 0;
    let last = 0;
    const loop = (t: number) => {
      raf = requestAnimationFrame(loop);
      const shown = pool.shown();
      const held = clock.playing && clock.rate > 0 && shown.some((p) => p.stalled());
      clock.hold(held);
      const ms = clock.now();
      const tilePx = tileHeight(shown.length);
      // not while a paused seek's moment is not rendered yet (and the frame after): its players have the new moment's
      // heights from the seek, and their <video> still sits in the old moment's tile, whose first size report (a tile
      // never measured before) switched a tile to the other stream and back within one seek (2026-12-06)
      const holdHeights = toldAfterSeek.current !== null || heightsHeld.current > 0;
      if (heightsHeld.current > 0) heightsHeld.current--;
      for (const p of shown) {
        // a tile's height when it changes (a seek may have given the player the new moment's before the grid shows it)
        const px = holdHeights ? appliedPx.get(p) : heightOf(p, tilePx);
        if (px !== undefined && appliedPx.get(p) !== px) { appliedPx.set(p, px); p.setTileHeight(px); }
        p.follow(ms, clock.playing, clock.rate, held);
        const canvas = canvases.current.get(p.cameraId);
        if (canvas) overlays.draw(p.cameraId, canvas, p.video, p.shownMs(), p.cameraId, tileLayers.current.get(p.cameraId));
      }
      for (const [key, m] of mirrors.current) {
        if (!m.pic?.isConnected) { if (!m.over?.isConnected) mirrors.current.delete(key); continue; }
        if (!pool.isShown(m.cameraId)) continue;
        const p = pool.player(m.cameraId);
        drawMirror(m, p.video, sizes);
        if (m.over) overlays.draw(m.cameraId, m.over, p.video, p.shownMs(), key, tileLayers.current.get(key));
      }
      // players of cameras shown later, opened one at a time while every shown tile has its picture, then parked
      const w = warming.current;
      if (w) {
        const p = pool.has(w.id) && !pool.isShown(w.id) ? pool.player(w.id) : null; // shown by a seek meanwhile: the grid drives it
        // opened, or given up after 10 s (it keeps what it has; the next camera's turn, and this one is not tried again)
        if (p && !p.opened() && t - w.since > 10_000) warmGaveUp.current.add(w.id);
        // opened on the sub-stream: a small tile shows it, and a large one's progressive seek shows its picture first
        // (stand-in.ts); opened on the main stream, the first seek that shows it small changed stream (2026-12-06:
        // the first seeks after opening a replay were the slowest, their tiles 150-200 ms behind the others)
        if (!p || p.opened() || t - w.since > 10_000) { p?.park(); warming.current = null; } else { p.setTileHeight(Math.min(tilePx, WARM_TILE_PX)); p.follow(w.ms, false, 1); }
      } else if (warmIdsRef.current.length && !shown.some((p) => p.settling())) {
        const id = nextToWarm(warmIdsRef.current, (c) => (pool.has(c) ? { shown: pool.isShown(c), opened: pool.player(c).opened() } : null), pool.size, MAX_PARKED, warmGaveUp.current);
        if (id) { pool.player(id); warming.current = { id, ms, since: t }; }
      }
      const tl = wantedTimeline.current;
      if (tl.since && (!shown.some((p) => p.settling()) || t - tl.since > 1000)) { tl.since = 0; startTransition(() => setDrawnTimeline({ view: tl.view, rows: tl.rows })); }
      const pendingRender = toldAfterSeek.current;
      if (pendingRender) {
        // a paused seek's new moment is rendered once its tiles' footage is appended (or after SEEK_RENDER_WAIT_MS): the
        // page's main thread hands the first parts to the players and appends them before React renders the walls,
        // queue and timeline of the moment, and renders while the media thread decodes
        if (t - pendingRender.since > SEEK_RENDER_WAIT_MS || !shown.some((p) => p.awaitingFootage())) { toldAfterSeek.current = null; heightsHeld.current = 2; last = t; tellPosition(ms); }
      } else if (t - last > 100) { last = t; tellPosition(ms); }
    };
    raf = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(raf);
  }, [clock, overlays, pool, tileHeight, sizes, tellPosition, appliedPx, heightOf]);

  // keep the playhead in view while playing
  useEffect(() => {
    if (position < view.startMs || position > view.startMs + view.spanMs) setView(centreOn(position, view.spanMs));
  }, [position, view]);

  const seek = useCallback((ms: number) => {
    // the cameras shown at the new moment: their players start now, before React renders the grid they appear in
    const at = camerasAtRef.current?.(ms);
    const next = at?.cameras.slice(0, MAX_CAMERAS);
    const max = maximisedRef.current;
    const shown = next ? pool.show(max && next.includes(max) ? [max] : next) : pool.shown();
    for (const p of shown) p.traceSeek(ms);
    clock.seek(ms);
    // start the segment list and fetch in this task rather than on the next animation frame, of the stream the tile
    // wants at the new moment: a tile maximised or restored there switches stream now, its first part in the seek's
    // batch, not after React has laid the new walls out (the loop applies a tile's height when it changes)
    const tilePx = tileHeight(shown.length);
    const dpr = window.devicePixelRatio || 1;
    for (const p of shown) {
      const css = at?.heights?.get(p.cameraId);
      const now = heightOf(p, tilePx);
      appliedPx.set(p, now); // the tile as it is until React lays out the new moment: not applied again by the loop
      p.setTileHeight(css !== undefined && !max ? css * dpr : now);
      // a progressive seek: a tile that wants the main stream shows the sub-stream's picture of the moment first and the
      // main stream's once every tile has its picture (ReviewPlayer.beginSeek; docs/replay.md, "Seek, eleventh pass")
      p.beginSeek(ms, clock.playing);
      p.follow(ms, clock.playing, clock.rate);
    }
    if (!clock.playing && shown.length > 0) toldAfterSeek.current = { since: performance.now() };
    else { toldAfterSeek.current = null; tellPosition(ms); }
  }, [clock, pool, tileHeight, tellPosition, appliedPx, heightOf]);
  const setPlayingTo = useCallback((on: boolean) => { if (clock.playing !== on) clock.play(on); setPlaying(on); }, [clock]);
  const setRateTo = useCallback((r: number) => { clock.setRate(r); setRate(r); }, [clock]);
  if (clockRef) clockRef.current = { state: () => ({ atMs: clock.now(), playing: clock.playing, rate: clock.rate }), seek, setPlaying: setPlayingTo, setRate: setRateTo };
  // the operator's moves: the clock changes, then whoever follows it is told
  const seekHere = useCallback((ms: number) => { seek(ms); told(); }, [seek, told]);
  const togglePlay = useCallback(() => { setPlayingTo(!clock.playing); told(); }, [clock, setPlayingTo, told]);
  const setSpeed = useCallback((r: number) => { setRateTo(r); told(); }, [setRateTo, told]);
  const step = useCallback((frames: number) => { clock.play(false); setPlaying(false); seekHere(clock.now() + frames * FRAME_MS); }, [clock, seekHere]);
  if (seekRef) seekRef.current = seekHere;
  // every marker once per change of the rows, not per render (a seek renders the view for each player's state change)
  const allMarkers = useMemo(() => rows.flatMap((r) => r.markers), [rows]);
  const markers = useMemo(() => allMarkers.filter((m) => m.kind !== 'lock').sort((a, b) => a.atMs - b.atMs), [allMarkers]);
  const markersRef = useRef(markers);
  markersRef.current = markers;
  const jump = useCallback((dir: 1 | -1) => {
    const now = clock.now();
    const m: TimelineMarker | undefined = dir > 0 ? markers.find((x) => x.atMs > now + 500) : [...markers].reverse().find((x) => x.atMs < now - 500);
    if (m) seekHere(m.atMs);
  }, [clock, markers, seekHere]);

  useEffect(() => {
    if (!withTimeline) return; // a follower window has no controls: the main replay window has them
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
      else if (e.key === 'Enter') setMaximised((m) => (m ? null : ids[selected] ?? null));
      else if (e.key === 'Escape') { if (maximisedRef.current) setMaximised(null); else onExit(); }
      else handled = false;
      if (handled) { e.preventDefault(); e.stopImmediatePropagation(); }
    };
    window.addEventListener('keydown', onKey, true); // capture: the live wall's own keys do not see these
    return () => window.removeEventListener('keydown', onKey, true);
  }, [togglePlay, step, jump, setSpeed, clock, onExit, ids, selected, withTimeline]);

  // a cell holds its camera's player's <video>, moved in rather than made (ref callbacks run on every render)
  const attach = useCallback((cameraId: string, slot: HTMLDivElement | null) => {
    if (!slot) return;
    const video = pool.player(cameraId).video;
    if (video.parentElement !== slot) slot.prepend(video);
  }, [pool]);
  // the grid's cameras: all of them, or the maximised one alone (the others parked, their players kept for the way back)
  const gridIds = useMemo(() => (maximised && ids.includes(maximised) ? [maximised] : ids), [ids, maximised]);
  useEffect(() => { pool.show(gridIds); }, [gridIds, pool]);

  // test and diagnostics hook: wall time of the picture each player shows
  useEffect(() => {
    exposeDiagnostics('__kuzetReview', {
      // the settled picture (a progressive seek's sub-stream stand-in is not: tests compare the main stream's picture)
      shown: () => Object.fromEntries(pool.shown().map((p) => [p.cameraId, p.settledMs()])),
      // the picture on screen, a progressive seek's stand-in included (the seek's figure, bench:replay)
      pictures: () => Object.fromEntries(pool.shown().map((p) => [p.cameraId, p.pictureMs()])),
      position: () => clock.now(),
      overlays: () => overlays.stats,
      markers: () => markersRef.current,
      players: () => pool.shown().map((p) => ({ camera: p.cameraId, state: p.state, message: p.message, src: p.video.currentSrc, ready: p.video.readyState, error: p.video.error?.message ?? null, t: p.video.currentTime, segments: p.segments.length, lastSeekMs: p.lastSeekMs, recoveries: p.recoveries, stream: p.stream, standIn: p.standingIn, recorded: p.recordedStream, width: p.video.videoWidth, height: p.video.videoHeight, paused: p.video.paused, seeking: p.video.seeking, rate: p.video.playbackRate, shownMs: p.shownMs(), base: p.mediaBaseMs, buffered: Array.from({ length: p.video.buffered.length }, (_, k) => [p.video.buffered.start(k), p.video.buffered.end(k)]), near: p.segments.map((s) => [(s.startMs - p.mediaBaseMs) / 1000, (s.endMs - p.mediaBaseMs) / 1000]).filter(([a]) => Math.abs(a! - p.video.currentTime) < 12) })),
      seek: (ms: number) => seekHere(ms),
      traces: () => Object.fromEntries(pool.shown().map((p) => [p.cameraId, p.trace])),
      warm: () => pool.all().map((p) => p.cameraId),
      batchParts: (on: boolean) => { batchParts.current = on; },
      // every player opens a new MediaSource decoded the other way (parked ones are opened ahead again by the warm-up)
      recordedStreams: (on: boolean) => { recordedStreams.current = on; warmGaveUp.current.clear(); for (const p of pool.all()) p.reopen(); },
      // players not shown: opened ahead or not, and on which stream
      parked: () => pool.all().filter((p) => !pool.isShown(p.cameraId)).map((p) => ({ camera: p.cameraId, opened: p.opened(), stream: p.stream })),
      // players the warm-up has still to open (not those it gave up on)
      unopened: () => pool.all().filter((p) => !p.opened() && !pool.isShown(p.cameraId) && !warmGaveUp.current.has(p.cameraId)).map((p) => p.cameraId),
    });
  }, [clock, overlays, seekHere, pool]);

  // the timeline (every marker of every row: thousands in a replay) is not redrawn when only the players' states change
  const thumbUrl = useCallback((cameraId: string, ms: number) => urlOf(src.thumbPath(cameraId, ms)), [urlOf, src]);
  // and draws only the markers in its window (a replay's actions, on every row, run to thousands; jumps use them all).
  // A seek that moves the window or changes the cameras re-makes thousands of marker elements: the timeline takes the
  // new window and rows once every tile shows its picture (at most a second later, the players' loop applies them), so
  // that render does not take CPU from the 16 decoders of the seek; then as a transition (rendered in slices)
  const { view: timelineView, rows: timelineRows } = drawnTimeline;
  const rowsInView = useMemo(() => timelineRows.map((r) => ({ ...r, markers: r.markers.filter((m) => (m.endMs ?? m.atMs) >= timelineView.startMs && m.atMs <= timelineView.startMs + timelineView.spanMs) })), [timelineRows, timelineView]);
  const timeline = useMemo(() => <Timeline view={timelineView} rows={rowsInView} names={names} playheadMs={position} onView={setView} onSeek={seekHere} thumbUrl={thumbUrl} />,
    [timelineView, rowsInView, names, position, seekHere, thumbUrl]);

  const mirrorRef = (key: string, cameraId: string, which: 'pic' | 'over', el: HTMLCanvasElement | null) => {
    let m = mirrors.current.get(key);
    if (!m) { if (!el) return; m = { cameraId, pic: null, over: null, drawn: '' }; mirrors.current.set(key, m); }
    m[which] = el;
  };
  // one tile: the camera's player's <video> moved in (or a mirror of its picture), the overlays, the name, the state
  const cell = (c: ReviewCellSpec) => {
    const i = ids.indexOf(c.cameraId);
    const p = pool.has(c.cameraId) ? pool.player(c.cameraId) : undefined;
    const slot = c.mirror ? c.key : c.cameraId;
    if (c.layers) tileLayers.current.set(slot, c.layers); else tileLayers.current.delete(slot);
    return (
      <div key={c.key} className={`review-cell${c.className ? ` ${c.className}` : ''}${i === selected ? ' selected' : ''}`} style={c.style}
        onClick={() => setSelected(Math.max(0, i))} data-camera={c.mirror ? undefined : c.cameraId} data-mirror={c.mirror ? c.cameraId : undefined}
        onDoubleClick={layoutCells ? undefined : () => { setSelected(Math.max(0, i)); setMaximised((m) => (m ? null : c.cameraId)); }} title={layoutCells ? undefined : t('review.maximiseHint')}>
        {c.mirror
          ? <canvas className="review-mirror" ref={(el) => mirrorRef(c.key, c.cameraId, 'pic', el)} />
          : <div className="review-slot" ref={(el) => attach(c.cameraId, el)} />}
        <canvas className="review-overlay" ref={c.mirror ? (el) => mirrorRef(c.key, c.cameraId, 'over', el) : (el) => { if (el) canvases.current.set(c.cameraId, el); else canvases.current.delete(c.cameraId); }} />
        <div className="review-cell-label">{names[c.cameraId] ?? c.cameraId}</div>
        {p && p.state !== 'ready' && <div className="review-cell-state">{p.message || t(`review.player.${p.state}`, { defaultValue: p.state })}</div>}
      </div>
    );
  };

  const selectedId = ids[selected] ?? ids[0];
  const cols = Math.ceil(Math.sqrt(Math.max(1, gridIds.length)));
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

  // in a panel's column it takes the panel's width (280 px: the tiles keep theirs), floating its own
  const unitMap = <UnitReplayMap host={host} atMs={position} cameraIds={ids} tracksOf={src.tracks} {...(aside ? { size: ASIDE_MAP } : {})} />;
  const grid = withAside(aside, layoutCells ? layoutCells(cell) : (
      <div className="review-grid" ref={gridRef} style={{ gridTemplateColumns: `repeat(${cols}, 1fr)` }} data-maximised={maximised ?? undefined}>
        {gridIds.map((id) => cell({ key: id, cameraId: id, mirror: false, style: {} }))}
        {ids.length === 0 && <div className="pad muted">{t('review.noCameras')}</div>}
      </div>), unitMap);
  // a follower window: its head and the wall, nothing to control
  if (head) return <div className="review review-follower" data-testid={testId ?? 'review'}>{head}{note && <div className="banner banner-info"><span>{note}</span></div>}{grid}</div>;
  return (
    <div className={aside ? 'review review-with-aside' : 'review'} data-testid={testId ?? 'review'}>
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
        <IncidentFromMarker host={host} markers={allMarkers} positionMs={position} onIncident={onIncident} onNote={setNote} />
        <button className="on" onClick={() => setExporting(true)} data-testid="export">{t('review.export')}</button>
      </div>
      {note && <div className="banner banner-info"><span>{note}</span><button className="link" onClick={() => setNote('')}>{t('common.dismiss')}</button></div>}
      {grid}
      {timeline}
      {below?.(timelineView)}
      <div className="tl-zoom muted">{t('review.zoomHelp', { window: formatDuration(view.spanMs) })}</div>
      {!aside && unitMap}
      {exporting && <ExportDialog host={host} cameraIds={ids} atMs={position} onClose={() => setExporting(false)} />}
    </div>
  );
}
