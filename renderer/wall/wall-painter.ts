/**
 * The wall's paint loop: one requestAnimationFrame callback paints only dirty tiles (a new frame, a
 * dim/undim transition, a geometry change) into the one canvas; each camera's frame is turned into a
 * picture once and drawn into every tile showing it. A 250 ms tick derives tile states from host
 * status + frame age, updates age labels in place (no React render) and publishes state transitions.
 */
import type { StreamStatus } from '../../electron/contract/schemas.js';
import { KeyedStore } from '../bridge/stores.js';
import { BACKGROUND_RGB, EMPTY_TILE_RGB, type Compositor, type DrawTarget } from './compositor.js';
import type { Frame, FrameChannel } from './frame-channel.js';
import { paintRect, type Rect } from './tile-geometry.js';
import { formatAge, isDimmed, paintedShare, tileState, type TilePaintRate, type TileState } from './tile-state.js';
import type { OverlayLayer } from '../overlays/overlay-layer.js';
import type { MaskLayer } from './mask-layer.js';
import { t as tr } from '../i18n/i18n.js';
import { CROWD_LIMIT, decisionText } from '../../electron/contract/stream-choice.js';

export interface PainterTile { index: number; cameraId: string | null; box: Rect }

interface TileRuntime extends PainterTile {
  paintedVersion: number;
  needsClear: boolean;
  fit: Rect | null;
  dim: boolean;
  state: TileState;
  painted: number;
  paintedAtLastSecond: number;
  fps: number;
  lastPaintAt: number;
  latencyMs: number | null;
}

/** Per-tile numbers for tests, the benchmark and the stats overlay. */
export interface TileSnapshot {
  index: number; cameraId: string | null; state: TileState; rect: Rect;
  painted: number; lastPaintAt: number; drops: number; fps: number; latencyMs: number | null;
  /** Frames received for this tile's camera (all tiles of a camera share it). */
  received: number;
  /** Of `drops`, those replaced in the frame worker before reaching the main thread. */
  relayDrops: number;
}

const TICK_MS = 200;
/** Rest after a paint, as a share of its duration: 0.5 keeps painting to at most 2/3 of the main thread. */
const PAINT_REST_RATIO = 0.5;
const LATENCY_SAMPLES = 2000;

export class WallPainter {
  /** Tile state by tile index (String(index)); changes only on transitions. */
  readonly states = new KeyedStore<TileState>();
  private tiles: TileRuntime[] = [];
  private readonly byIndex = new Map<number, TileRuntime>();
  private byCamera = new Map<string, TileRuntime[]>();
  private readonly ageEls = new Map<number, Set<HTMLElement>>();
  private readonly statsEls = new Map<number, HTMLElement>();
  private readonly targets: DrawTarget[] = [];
  private readonly latency: number[] = [];
  private latencyNext = 0;
  private rafId = 0;
  private ticks = 0;
  private width = 0;
  private height = 0;
  private readonly tickTimer: ReturnType<typeof setInterval>;
  channel: FrameChannel | null = null;
  /** Analytics boxes drawn onto each tile right after its frame (renderer/overlays). */
  overlay: OverlayLayer | null = null;
  /** Privacy masks drawn over each tile's picture in the same paint (renderer/wall/mask-layer.ts). */
  masks: MaskLayer | null = null;
  /** Diagnostics: a new frame of `cameraId` was drawn (still valid only during the call), at `drawnAt` (epoch ms). */
  onDrawn: ((cameraId: string, frame: Frame, drawnAt: number) => void) | null = null;
  /** Every 2 s: the share of delivered frames this window painted over the last 3 s (see paintedShare). */
  onPaintShare: ((pct: number) => void) | null = null;
  private readonly shares: number[] = [];

  constructor(
    readonly canvas: HTMLCanvasElement,
    readonly compositor: Compositor,
    private readonly statusOf: (cameraId: string) => StreamStatus | undefined,
  ) {
    this.tickTimer = setInterval(() => this.tick(), TICK_MS);
  }

  dispose(): void {
    clearInterval(this.tickTimer);
    if (this.rafId) cancelAnimationFrame(this.rafId);
    clearTimeout(this.waitTimer);
    this.compositor.dispose();
  }

  /** New geometry or cameras: every visible tile repaints; counters stay with the tile index. */
  setTiles(tiles: readonly PainterTile[], width: number, height: number): void {
    if (width !== this.width || height !== this.height) {
      this.width = width;
      this.height = height;
      this.compositor.resize(width, height);
    }
    this.compositor.fill({ x: 0, y: 0, w: width, h: height }, BACKGROUND_RGB);
    const next: TileRuntime[] = [];
    const byCamera = new Map<string, TileRuntime[]>();
    for (const t of tiles) {
      const prev = this.byIndex.get(t.index);
      const rt: TileRuntime = prev ?? {
        ...t, paintedVersion: -1, needsClear: true, fit: null, dim: false, state: 'empty',
        painted: 0, paintedAtLastSecond: 0, fps: 0, lastPaintAt: 0, latencyMs: null,
      };
      if (prev && prev.cameraId !== t.cameraId) { prev.latencyMs = null; prev.fps = 0; }
      rt.cameraId = t.cameraId;
      rt.box = t.box;
      rt.paintedVersion = -1;
      rt.needsClear = true;
      rt.fit = null;
      this.byIndex.set(t.index, rt);
      next.push(rt);
      if (t.cameraId !== null) {
        const list = byCamera.get(t.cameraId);
        if (list) list.push(rt); else byCamera.set(t.cameraId, [rt]);
      }
    }
    for (const idx of [...this.byIndex.keys()]) if (!tiles.some((t) => t.index === idx)) this.byIndex.delete(idx);
    this.tiles = next;
    this.byCamera = byCamera;
    this.tick();
    this.requestPaint();
  }

  /**
   * Paints are spaced so the main thread spends at most two thirds of its time painting: after a paint of D ms the
   * next waits at least D/2 ms (16 browser-decoded tiles at 25 fps need ~55 %: scaled VideoFrame draws cost ~1.3 ms).
   * On a saturated machine frames then drop (latest wins) instead of starving input, menus and status updates.
   */
  requestPaint = (): void => {
    if (this.rafId !== 0 || this.waitTimer !== undefined) return;
    const wait = this.notBefore - performance.now();
    if (wait <= 0) { this.rafId = requestAnimationFrame(this.paint); return; }
    this.waitTimer = setTimeout(() => { this.waitTimer = undefined; this.requestPaint(); }, wait);
  };
  private notBefore = 0;
  private waitTimer: ReturnType<typeof setTimeout> | undefined;

  /** Animation frames that painted, and the main-thread ms they took (for the benchmark). */
  readonly work = { paints: 0, ms: 0 };

  private paint = (): void => {
    this.rafId = 0;
    const t0 = performance.now();
    this.paintTiles();
    this.channel?.painted();
    const t1 = performance.now();
    this.notBefore = t1 + (t1 - t0) * PAINT_REST_RATIO;
    this.work.paints++;
    this.work.ms += t1 - t0;
  };

  private paintTiles(): void {
    const comp = this.compositor;
    for (const t of this.tiles) {
      // Tiles with nothing to show yet: an opaque black box once.
      if (t.needsClear && (t.cameraId === null || !this.channel?.feeds.get(t.cameraId)?.frame)) {
        comp.fill(t.box, EMPTY_TILE_RGB);
        t.needsClear = false;
      }
    }
    const channel = this.channel;
    if (!channel) return;
    for (const [cameraId, list] of this.byCamera) {
      const feed = channel.feeds.get(cameraId);
      const frame = feed?.frame;
      if (!feed || !frame) continue;
      const targets = this.targets;
      targets.length = 0;
      for (const t of list) {
        if (t.paintedVersion === feed.version) continue;
        const fit = paintRect(t.box, frame.width, frame.height);
        const moved = !t.fit || t.fit.x !== fit.x || t.fit.y !== fit.y || t.fit.w !== fit.w || t.fit.h !== fit.h;
        targets.push({ box: t.box, fit, dim: t.dim, clearBox: moved || t.needsClear });
        t.fit = fit;
        t.needsClear = false;
      }
      if (targets.length === 0) continue;
      const fresh = feed.unpainted;
      if (!comp.draw(frame, targets)) continue;
      const drawnAt = Date.now(); // latency ends once the picture is drawn, not when the paint began
      feed.unpainted = false;
      if (fresh) this.onDrawn?.(cameraId, frame, drawnAt);
      const latency = frame.captureMs > 0 ? drawnAt - frame.captureMs : null;
      for (const t of list) {
        if (t.paintedVersion === feed.version) continue;
        t.paintedVersion = feed.version;
        if (t.fit && !t.dim) this.overlay?.draw(t.index, cameraId, frame.captureMs, t.fit);
        if (t.fit && this.masks) this.masks.draw(cameraId, t.fit, (r, rgb) => comp.fill(r, rgb));
        if (!fresh) continue; // a repaint (dim, resize) is not a new frame
        t.painted++;
        t.lastPaintAt = drawnAt;
        t.latencyMs = latency;
      }
      if (fresh && latency !== null) {
        if (this.latency.length < LATENCY_SAMPLES) this.latency.push(latency);
        else this.latency[this.latencyNext] = latency;
        this.latencyNext = (this.latencyNext + 1) % LATENCY_SAMPLES;
      }
    }
  }

  private tick(): void {
    const now = Date.now();
    const second = ++this.ticks % (1000 / TICK_MS) === 0;
    let repaint = false;
    const rates: TilePaintRate[] = [];
    for (const t of this.tiles) {
      const feed = t.cameraId === null ? undefined : this.channel?.feeds.get(t.cameraId);
      const lastFrameAt = feed?.frame?.receivedAt ?? null;
      const state = tileState(t.cameraId, t.cameraId === null ? undefined : this.statusOf(t.cameraId), lastFrameAt, now);
      if (state !== t.state) {
        t.state = state;
        this.states.set(String(t.index), state);
      }
      const dim = isDimmed(state);
      if (dim !== t.dim) { t.dim = dim; t.paintedVersion = -1; repaint = true; }
      const els = this.ageEls.get(t.index);
      if (els) { const text = formatAge(lastFrameAt, now); for (const el of els) if (el.textContent !== text) el.textContent = text; }
      if (second) {
        t.fps = t.painted - t.paintedAtLastSecond;
        t.paintedAtLastSecond = t.painted;
        const statsEl = this.statsEls.get(t.index);
        if (statsEl) statsEl.textContent = this.statsText(t, feed?.drops ?? 0);
        const s = t.cameraId === null ? undefined : this.statusOf(t.cameraId);
        if (s && state === 'live') rates.push({ paintedFps: t.fps, hostFps: s.fps, keyframeOnly: s.keyframeOnly });
      }
    }
    if (second) {
      const share = paintedShare(rates);
      if (share === null) this.shares.length = 0; else { this.shares.push(share); if (this.shares.length > 3) this.shares.shift(); }
      if (this.ticks % (2000 / TICK_MS) === 0 && this.shares.length > 0) this.onPaintShare?.(this.shares.reduce((a, b) => a + b, 0) / this.shares.length);
    }
    if (repaint) this.requestPaint();
  }

  private statsText(t: TileRuntime, drops: number): string {
    const s = t.cameraId === null ? undefined : this.statusOf(t.cameraId);
    const lines = [
      tr('stats.paint', { fps: t.fps, hostFps: s ? s.fps.toFixed(1) : '-', kbps: s ? Math.round(s.bitrateKbps) : '-' }),
      tr('stats.latency', { latency: t.latencyMs === null ? '-' : `${Math.round(t.latencyMs)} ms`, drops, hostDrops: s ? tr('stats.hostDrops', { n: s.counters.drops }) : '' }) + (s?.counters.damaged ? tr('stats.damaged', { n: s.counters.damaged }) : ''),
      s ? `${tr(`stats.profile_${s.profile}`)}${s.encoded ? '' : ` ${s.width}x${s.height}`}${s.keyframeOnly ? tr('stats.keyframesOnly') : ''} · ${s.encoded ? tr('stats.decodedHere') : tr('stats.decodedBy', { codec: s.codec === 'h265' ? 'H.265' : 'H.264', engine: s.engine })}` : tr('stats.noStatus'),
    ];
    if (s?.decision.length) lines.push(decisionText(s.decision, tr));
    if (s?.downgrade) lines.push(tr('stats.downgraded', { reason: tr(`downgrade.${s.downgrade}`, { limit: CROWD_LIMIT }) }));
    return lines.join('\n');
  }

  /** Repaints every tile's last frame (an overlay layer or the zones changed; no new frame needed). */
  invalidate(): void {
    for (const t of this.tiles) t.paintedVersion = -1;
    this.requestPaint();
  }

  /** Repaints the last frame of one camera's tiles (overlay boxes withheld from it arrived; no new frame). */
  repaintCamera(cameraId: string): void {
    const list = this.byCamera.get(cameraId);
    if (!list) return;
    for (const t of list) t.paintedVersion = -1;
    this.requestPaint();
  }

  /** Where tile `index`'s picture is on the canvas (device pixels), once a frame was painted; else null. */
  pictureRect(index: number): Rect | null { return this.byIndex.get(index)?.fit ?? null; }

  /** Tile label elements whose text is the age of the last frame, kept current by the tick. */
  bindAge(index: number, el: HTMLElement | null, prev?: HTMLElement | null): void {
    let set = this.ageEls.get(index);
    if (prev) set?.delete(prev);
    if (!el) return;
    if (!set) { set = new Set(); this.ageEls.set(index, set); }
    set.add(el);
  }
  unbindAge(index: number, el: HTMLElement): void { this.ageEls.get(index)?.delete(el); }

  bindStats(index: number, el: HTMLElement | null): void {
    if (el) { this.statsEls.set(index, el); el.textContent = ''; } else this.statsEls.delete(index);
  }

  stateOf(index: number): TileState { return this.byIndex.get(index)?.state ?? 'empty'; }

  snapshot(): TileSnapshot[] {
    const bounds = this.canvas.getBoundingClientRect();
    const sx = this.width > 0 ? bounds.width / this.width : 1;
    const sy = this.height > 0 ? bounds.height / this.height : 1;
    return this.tiles.map((t) => ({
      index: t.index, cameraId: t.cameraId, state: t.state,
      rect: { x: bounds.left + t.box.x * sx, y: bounds.top + t.box.y * sy, w: t.box.w * sx, h: t.box.h * sy },
      painted: t.painted, lastPaintAt: t.lastPaintAt,
      drops: t.cameraId === null ? 0 : this.channel?.feeds.get(t.cameraId)?.drops ?? 0,
      received: t.cameraId === null ? 0 : this.channel?.feeds.get(t.cameraId)?.received ?? 0,
      relayDrops: t.cameraId === null ? 0 : this.channel?.feeds.get(t.cameraId)?.relayDrops ?? 0,
      fps: t.fps, latencyMs: t.latencyMs,
    }));
  }

  latencySamples(): number[] { return this.latency.slice(); }
}
