/**
 * Analytics boxes waiting for their frames. Per camera a short, time-ordered buffer of metadata; a frame
 * captured at T shows, per track, the newest item captured at or before T (metadata never runs ahead of its
 * picture) and not older than the hold time. Layer switches: global and per tile.
 */
import type { OverlayMeta } from '../../electron/contract/events-schema.js';
import type { BridgeClient } from '../bridge/client.js';
import { ValueStore } from '../bridge/stores.js';

/** Items kept per camera (about 8 s of one track at 25 fps). */
const PER_CAMERA = 200;
/** How long a box stays on the picture after its last observation. */
export const HOLD_MS = 1500;

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
  /** Global layer switch and the tiles (by index) switched off; the UI reads `switches`. */
  readonly switches = new ValueStore<{ global: boolean; offTiles: readonly number[] }>({ global: true, offTiles: [] });

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

  shown(tileIndex: number): boolean {
    const s = this.switches.get();
    return s.global && !s.offTiles.includes(tileIndex);
  }
  setGlobal(on: boolean): void { this.switches.set({ ...this.switches.get(), global: on }); }
  toggleTile(tileIndex: number): void {
    const s = this.switches.get();
    this.switches.set({ ...s, offTiles: s.offTiles.includes(tileIndex) ? s.offTiles.filter((i) => i !== tileIndex) : [...s.offTiles, tileIndex] });
  }
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
