/**
 * Analytics boxes waiting for their frames. Per camera a short, time-ordered buffer of metadata; a frame
 * captured at T shows, per track, the newest item captured at or before T (metadata never runs ahead of its
 * picture) and not older than the hold time. Which layers each tile draws comes from the layout (WallView sets it).
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

/** The items to draw on a frame captured at `t`: per track the newest at or before `t`, within `holdMs`. Pure. */
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

export class OverlayStore {
  private readonly byCamera = new Map<string, OverlayMeta[]>();
  private tileLayers = new Map<number, OverlayLayers>();
  /** The tile whose zones are being edited: the editor draws them, the layer does not. */
  editingTile: number | null = null;

  add(items: readonly OverlayMeta[]): void {
    for (const it of items) {
      let list = this.byCamera.get(it.cameraId);
      if (!list) { list = []; this.byCamera.set(it.cameraId, list); }
      // Usually in order; an out-of-order item is inserted in place.
      let i = list.length;
      while (i > 0 && list[i - 1]!.captureTime > it.captureTime) i--;
      list.splice(i, 0, it);
      if (list.length > PER_CAMERA) list.splice(0, list.length - PER_CAMERA);
    }
  }

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
