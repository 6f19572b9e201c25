/**
 * Analytics boxes waiting for their frames. Per camera a short, time-ordered buffer of metadata. On the live wall a
 * picture captured at T shows, per track, the observation of that very picture; a track the analytics observe less
 * often than every picture shows its newest observation at or before T (never one from T's future) within the hold
 * time. A track observed on every picture whose observation of T has not arrived (or never came) is withheld, never
 * replaced by an older picture's box: the layer repaints the picture when it arrives (see selectForPicture).
 * Which layers each tile draws comes from the layout (WallView sets it).
 */
import type { OverlayMeta } from '../../electron/contract/events-schema.js';
import { DEFAULT_LAYERS, type OverlayLayers } from '../../electron/contract/schemas.js';
import type { BridgeClient } from '../bridge/client.js';

/** Items kept per camera (about 8 s of one track at 25 fps). */
const PER_CAMERA = 200;
/** How long a box stays on the picture after its last observation. */
export const HOLD_MS = 1500;
/** How much of a track's past the tracks layer draws. */
export const TRAIL_MS = 4000;

/** Per track (with at least two observations), the box feet it stood on in (t - windowMs, t], oldest first. Pure. */
export function trailsAt(items: readonly OverlayMeta[], t: number, windowMs = TRAIL_MS): { track: string; type: OverlayMeta['type']; points: { x: number; y: number }[] }[] {
  const byTrack = new Map<string, { track: string; type: OverlayMeta['type']; points: { x: number; y: number }[] }>();
  for (const it of items) {
    if (!it.track || it.captureTime > t || t - it.captureTime > windowMs || !it.boxes[0]) continue;
    const b = it.boxes[0];
    let tr = byTrack.get(it.track);
    if (!tr) { tr = { track: it.track, type: it.type, points: [] }; byTrack.set(it.track, tr); }
    tr.points.push({ x: b.x + b.w / 2, y: b.y + b.h });
  }
  return [...byTrack.values()].filter((tr) => tr.points.length > 1);
}

/**
 * The items to draw on a frame captured at `t`: per track the newest at or before `t`, within `holdMs`. Pure. For
 * recorded video (review), where every observation is already stored; the live wall uses selectForPicture.
 */
export function selectForFrame(items: readonly OverlayMeta[], t: number, holdMs = HOLD_MS): OverlayMeta[] {
  const byTrack = new Map<string, OverlayMeta>();
  for (const it of items) {
    if (it.captureTime > t || t - it.captureTime > holdMs) continue;
    const key = it.track ?? `${it.type}@${it.captureTime}`;
    const cur = byTrack.get(key);
    if (!cur || it.captureTime >= cur.captureTime) byTrack.set(key, it);
  }
  return [...byTrack.values()];
}

/** Capture-time rounding: an observation stamped up to this much after a picture still belongs to it. */
export const SAME_PICTURE_MS = 1;
/** A track observed at least every 1.5 frame intervals is followed picture by picture (analytics on every frame). */
const EVERY_PICTURE = 1.5;
/** Observations of a track used for its cadence (the median gap between them). */
const CADENCE_OBSERVATIONS = 9;
/** Frame interval assumed until a camera's pictures show theirs (25 fps). */
const DEFAULT_FRAME_MS = 40;

/** What a live picture shows: `items` to draw, and how many tracks' boxes are withheld (their observation of this picture is missing). */
export interface PictureSelection { items: OverlayMeta[]; withheld: number }

/** Median gap (ms, the lower one of an even count) between a track's last observations, or null with fewer than two. `obs` in capture order. */
function cadenceOf(obs: readonly OverlayMeta[]): number | null {
  const gaps: number[] = [];
  for (let i = Math.max(1, obs.length - CADENCE_OBSERVATIONS + 1); i < obs.length; i++) {
    const g = obs[i]!.captureTime - obs[i - 1]!.captureTime;
    if (g > SAME_PICTURE_MS) gaps.push(g);
  }
  if (!gaps.length) return null;
  gaps.sort((a, b) => a - b);
  return gaps[(gaps.length - 1) >> 1]!;
}

/**
 * The items to draw on a live picture captured at `t` from a camera whose pictures come every `frameMs`. Pure.
 * Per track (untracked items each stand alone):
 * - its observation of this picture is drawn: captured at or less than one frame interval (or the track's own
 *   cadence, when shorter) before `t` (the
 *   analytics stamp the moment they saw; the picture's capture time comes from the camera's RTCP sender reports,
 *   which put it at or after that moment: the simulator's by 20-40 ms), give or take SAME_PICTURE_MS of rounding;
 * - else, a track observed on every picture (median gap <= 1.5 frames) is withheld: its observation of `t` is
 *   still on its way (analytics slower than the picture this time) or was never made, and an older picture's box
 *   would sit where the object was, not where it is;
 * - else (analytics that look at some pictures only, or a first observation) the newest observation at or before
 *   `t` within `holdMs` is drawn, as on recorded video.
 */
export function selectForPicture(items: readonly OverlayMeta[], t: number, frameMs = DEFAULT_FRAME_MS, holdMs = HOLD_MS): PictureSelection {
  const byTrack = new Map<string, OverlayMeta[]>();
  for (const it of items) {
    const key = it.track ?? `${it.type}@${it.captureTime}`;
    const list = byTrack.get(key);
    if (list) list.push(it); else byTrack.set(key, [it]);
  }
  const out: OverlayMeta[] = [];
  let withheld = 0;
  for (const obs of byTrack.values()) {
    obs.sort((a, b) => a.captureTime - b.captureTime);
    let latest: OverlayMeta | undefined;
    for (const it of obs) { if (it.captureTime <= t + SAME_PICTURE_MS) latest = it; else break; }
    if (!latest || t - latest.captureTime > holdMs) continue;
    const cadence = cadenceOf(obs);
    // A frame-by-frame track's own cadence is the camera's true frame interval; the interval seen in painted pictures
    // can be longer (a loaded wall paints every other picture), and a window that long would take the previous
    // picture's observation for this one's.
    if (t - latest.captureTime < Math.min(frameMs, cadence ?? frameMs)) { out.push(latest); continue; }
    if (cadence !== null && cadence <= EVERY_PICTURE * frameMs) { withheld++; continue; }
    out.push(latest);
  }
  return { items: out, withheld };
}

/**
 * A camera's frame interval as its pictures show it: the median of the recent gaps between their capture times. The
 * median, not the shortest: a picture whose capture time is off by a few ms (the RTP receiver re-anchoring its clock
 * under load) makes one short gap, and a frame interval taken from it would call an every-picture track sparse and draw
 * an older picture's box (seen in CI: gaps of 44.8 and 34.8 ms among 40s). Dropped pictures make longer gaps, also outvoted.
 */
export class FrameInterval {
  private last = 0;
  private readonly gaps: number[] = [];
  ms = DEFAULT_FRAME_MS;

  see(t: number): void {
    const g = t - this.last;
    this.last = t;
    if (g <= SAME_PICTURE_MS || g > 1000) return; // a repaint of the same picture, or a gap in the stream
    this.gaps.push(g);
    if (this.gaps.length > 16) this.gaps.shift();
    const sorted = [...this.gaps].sort((a, b) => a - b);
    this.ms = sorted[(sorted.length - 1) >> 1]!;
  }
}

export class OverlayStore {
  private readonly byCamera = new Map<string, OverlayMeta[]>();
  private tileLayers = new Map<number, OverlayLayers>();
  private readonly frameIntervals = new Map<string, FrameInterval>();
  private readonly listeners = new Set<(cameraIds: ReadonlySet<string>) => void>();
  /** The tile whose zones are being edited: the editor draws them, the layer does not. */
  editingTile: number | null = null;

  add(items: readonly OverlayMeta[]): void {
    const cameras = new Set<string>();
    for (const it of items) {
      cameras.add(it.cameraId);
      let list = this.byCamera.get(it.cameraId);
      if (!list) { list = []; this.byCamera.set(it.cameraId, list); }
      // Usually in order; an out-of-order item is inserted in place.
      let i = list.length;
      while (i > 0 && list[i - 1]!.captureTime > it.captureTime) i--;
      list.splice(i, 0, it);
      if (list.length > PER_CAMERA) list.splice(0, list.length - PER_CAMERA);
    }
    if (cameras.size) for (const l of this.listeners) l(cameras);
  }

  /** Called after items arrived, with the cameras they belong to. Returns the unsubscribe. */
  onAdd(cb: (cameraIds: ReadonlySet<string>) => void): () => void {
    this.listeners.add(cb);
    return () => { this.listeners.delete(cb); };
  }

  /** What the live picture of `cameraId` captured at `t` shows (see selectForPicture); `paint` records `t` as painted (frame interval). */
  forPicture(cameraId: string, t: number, paint = true): PictureSelection {
    let fi = this.frameIntervals.get(cameraId);
    if (!fi) { fi = new FrameInterval(); this.frameIntervals.set(cameraId, fi); }
    if (paint) fi.see(t);
    const list = this.byCamera.get(cameraId);
    return list ? selectForPicture(list, t, fi.ms) : { items: [], withheld: 0 };
  }

  /** The frame interval the live selection uses for this camera (diagnostics). */
  frameMs(cameraId: string): number { return this.frameIntervals.get(cameraId)?.ms ?? DEFAULT_FRAME_MS; }

  forFrame(cameraId: string, t: number): OverlayMeta[] {
    const list = this.byCamera.get(cameraId);
    return list ? selectForFrame(list, t) : [];
  }

  trails(cameraId: string, t: number): ReturnType<typeof trailsAt> {
    const list = this.byCamera.get(cameraId);
    return list ? trailsAt(list, t) : [];
  }

  /** The layers each tile draws (global switches with the tile's overrides applied), by tile index. */
  setTileLayers(layers: Map<number, OverlayLayers>): void { this.tileLayers = layers; }
  layers(tileIndex: number): OverlayLayers { return this.tileLayers.get(tileIndex) ?? DEFAULT_LAYERS; }
}

const stores = new WeakMap<BridgeClient, OverlayStore>();

/** One overlay store per connection to the host, fed by `overlays.meta`. */
export function overlaysFor(client: BridgeClient): OverlayStore {
  let s = stores.get(client);
  if (!s) {
    const store = new OverlayStore();
    client.on('overlays.meta', (items) => store.add(items));
    stores.set(client, store);
    s = store;
  }
  return s;
}
