/**
 * Overlays on recorded video (issue 4 §2): the boxes of events stored in the alarm event store, drawn on the frame
 * each review player shows. The picture's wall time (the player's position on the recording's clock, which is the
 * host clock the events' capture times use) selects, per track, the newest event captured at or before it and not
 * older than the hold time — the live wall's rule, so a box never appears on a frame before its event.
 */
import type { StoredOverlay } from '../../electron/contract/alarms-api.js';
import type { Zone } from '../../electron/contract/zones-schema.js';
import { DEFAULT_LAYERS, type OverlayLayers } from '../../electron/contract/schemas.js';
import type { ReviewSources } from './review-sources.js';
import { paintOverlays } from '../overlays/overlay-layer.js';
import { NO_ZONES } from '../overlays/zone-store.js';
import { paintMasks } from '../wall/mask-layer.js';
import type { Mask } from '../../electron/contract/masks-schema.js';
import { selectForFrame, trailsAt } from '../overlays/overlay-store.js';
import { containRect } from './contain-rect.js';
import type { ClientSize } from '../element-size.js';

/** Events fetched around the playhead per request. */
const WINDOW_MS = 120_000;
/**
 * The picture's wall time is a position inside a frame's 40 ms, not the frame's start: an event belongs to the
 * shown frame when captured up to half a frame after that position (error at most half a frame either way).
 */
const HALF_FRAME_MS = 20;
/** Refetch this often while the picture stays inside the window (events keep arriving for recent footage). */
const REFRESH_MS = 5_000;

interface CameraEvents { fromMs: number; toMs: number; fetchedAt: number; events: StoredOverlay[]; loading: boolean }

export interface ReviewOverlayStats { boxes: number; frames: number; last: Record<string, { shownMs: number | null; boxes: number }> }

export class ReviewOverlays {
  private readonly cams = new Map<string, CameraEvents>();
  private readonly drawnKey = new Map<string, string>();
  /** Canvases (by slot) left blank by their last draw. */
  private readonly blank = new Set<string>();
  /** A number per zones list drawn (the stores replace a camera's list when it changes): the draw key without stringifying it every frame. */
  private readonly zoneIds = new WeakMap<readonly Zone[], number>();
  private zoneLists = 0;
  layers: OverlayLayers = DEFAULT_LAYERS;
  enabled = true;
  readonly stats: ReviewOverlayStats = { boxes: 0, frames: 0, last: {} };

  constructor(
    /** Where the events come from: this console's store, or an incident's (its package's when imported). */
    private readonly query: ReviewSources['events'], private readonly zonesOf: (cameraId: string) => readonly Zone[], private readonly onError: (text: string) => void,
    /** Privacy masks to cover on the recorded picture (drawn whether the overlay layers are on or not). */
    private readonly masksOf: (cameraId: string) => readonly Mask[] = () => [],
    /** A canvas's laid-out size (CSS px): the view's cached sizes (element-size.ts), or read from the element. */
    private readonly sizeOf: (el: Element) => ClientSize | null = (el) => ({ w: el.clientWidth, h: el.clientHeight }),
  ) {}

  private ensure(cameraId: string, ms: number): CameraEvents {
    const c = this.cams.get(cameraId);
    if (c?.loading) return c;
    const inside = !!c && ms >= c.fromMs + 10_000 && ms < c.toMs - 10_000;
    if (c && inside && Date.now() - c.fetchedAt < REFRESH_MS) return c;
    const fromMs = Math.max(0, Math.round(ms - WINDOW_MS / 2)), toMs = Math.round(ms + WINDOW_MS / 2);
    // a refresh keeps drawing the events it has until the new list arrives; a jump elsewhere starts empty
    const next: CameraEvents = { fromMs, toMs, fetchedAt: Date.now(), events: inside && c ? c.events : [], loading: true };
    this.cams.set(cameraId, next);
    this.query(cameraId, fromMs, toMs).then((r) => {
      next.events = r.events;
      next.fetchedAt = Date.now();
      next.loading = false;
    }, (e: unknown) => { next.loading = false; this.onError(`overlays of ${cameraId}: ${e instanceof Error ? e.message : String(e)}`); });
    return next;
  }

  /**
   * Draws camera's overlays for the picture at `shownMs` onto `canvas`, which lies exactly over `video` (or over a
   * mirror of its picture, drawn with the same fit). `slot` names the canvas when a camera has several (replay's tiles);
   * `layers`: the tile's own (replay: as the live wall drew it), else the review's.
   */
  draw(cameraId: string, canvas: HTMLCanvasElement, video: HTMLVideoElement, shownMs: number | null, slot = cameraId, layers = this.layers): void {
    const size = this.sizeOf(canvas);
    if (!size) return; // not laid out yet: the next frame
    const { w, h } = size;
    const c = shownMs === null ? undefined : this.ensure(cameraId, shownMs);
    const masks = this.masksOf(cameraId);
    const zones = layers.zones ? this.zonesOf(cameraId) : NO_ZONES;
    // zones in the key: a paused picture's zones drawn again when they come (an imported incident's from its package) or change
    let zonesId = this.zoneIds.get(zones);
    if (zonesId === undefined) this.zoneIds.set(zones, zonesId = ++this.zoneLists);
    const key = `${shownMs}|${w}x${h}|${c?.fetchedAt}|${c?.events.length}|${this.enabled}|${JSON.stringify(layers)}|${video.videoWidth}|${JSON.stringify(masks)}|${zonesId}`;
    if (this.drawnKey.get(slot) === key) return;
    this.drawnKey.set(slot, key);
    const content = this.enabled && shownMs !== null && c && video.videoWidth > 0
      ? { items: selectForFrame(c.events, shownMs + HALF_FRAME_MS), trails: layers.tracks ? trailsAt(c.events, shownMs + HALF_FRAME_MS) : [], zones }
      : null;
    const paintsMasks = masks.length > 0 && video.videoWidth > 0;
    const empty = !paintsMasks && (!content || (!content.items.length && !content.trails.length && !content.zones.length));
    const sized = canvas.width === w && canvas.height === h;
    // nothing to draw on a canvas already blank: leave it untouched (every clear makes Chromium produce the canvas's
    // whole bitmap again for the compositor: 16 tiles' blank overlays cost the page's main thread most of a seek)
    if (empty && sized && this.blank.has(slot)) { this.stats.frames++; if (slot === cameraId) this.stats.last[cameraId] = { shownMs, boxes: 0 }; return; }
    if (!sized) { canvas.width = w; canvas.height = h; }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    if (sized) ctx.clearRect(0, 0, w, h); // a resized canvas is blank already
    let boxes = 0;
    if (content && !empty) boxes = paintOverlays(ctx, containRect(w, h, video.videoWidth, video.videoHeight), layers, content);
    if (paintsMasks) paintMasks(ctx, containRect(w, h, video.videoWidth, video.videoHeight), masks);
    if (empty) this.blank.add(slot); else this.blank.delete(slot);
    this.stats.frames++;
    this.stats.boxes += boxes;
    if (slot === cameraId) this.stats.last[cameraId] = { shownMs, boxes };
  }
}
