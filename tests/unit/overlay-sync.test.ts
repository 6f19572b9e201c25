import { describe, expect, it } from 'vitest';
import { OverlayStore, selectForFrame } from '../../renderer/overlays/overlay-store.js';
import type { OverlayMeta } from '../../electron/contract/events-schema.js';

const item = (captureTime: number, track = 't1', x = 0.1): OverlayMeta => ({ cameraId: 'cam-a', captureTime, type: 'object', track, label: 'person', boxes: [{ x, y: 0.1, w: 0.1, h: 0.1 }] });

describe('overlay sync', () => {
  it('a frame shows, per track, the newest metadata captured at or before it; never metadata from its future', () => {
    const items = [item(1000, 't1', 0.1), item(1040, 't1', 0.2), item(1080, 't1', 0.3), item(1040, 't2')];
    expect(selectForFrame(items, 1039).map((i) => [i.track, i.captureTime])).toEqual([['t1', 1000]]);
    expect(selectForFrame(items, 1040).map((i) => [i.track, i.captureTime])).toEqual([['t1', 1040], ['t2', 1040]]);
    expect(selectForFrame(items, 1079)[0]!.boxes[0]!.x).toBe(0.2);
    expect(selectForFrame(items, 999)).toEqual([]);
  });

  it('boxes expire after the hold time', () => {
    expect(selectForFrame([item(1000)], 2500, 1500)).toHaveLength(1);
    expect(selectForFrame([item(1000)], 2501, 1500)).toHaveLength(0);
  });

  it('the store keeps items in capture order per camera, bounded, and switches per tile and globally', () => {
    const s = new OverlayStore();
    s.add([item(1080), item(1000), item(1040)]);
    expect(s.forFrame('cam-a', 1050)[0]!.captureTime).toBe(1040);
    expect(s.forFrame('cam-b', 1050)).toEqual([]);
    s.add(Array.from({ length: 500 }, (_, i) => item(2000 + i, `k${i}`)));
    expect(s.forFrame('cam-a', 1050)).toEqual([]); // oldest items dropped beyond the bound
    expect(s.shown(3)).toBe(true);
    s.toggleTile(3);
    expect(s.shown(3)).toBe(false);
    expect(s.shown(2)).toBe(true);
    s.setGlobal(false);
    expect(s.shown(2)).toBe(false);
    s.toggleTile(3); s.setGlobal(true);
    expect(s.shown(3)).toBe(true);
  });
});
