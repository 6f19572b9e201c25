import { describe, expect, it } from 'vitest';
import { OverlayStore, selectForFrame, trailsAt } from '../../renderer/overlays/overlay-store.js';
import { layersOf } from '../../electron/contract/schemas.js';
import { initialWall, wallReducer } from '../../renderer/wall/wall-model.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
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

  it('the store keeps items in capture order per camera, bounded', () => {
    const s = new OverlayStore();
    s.add([item(1080), item(1000), item(1040)]);
    expect(s.forFrame('cam-a', 1050)[0]!.captureTime).toBe(1040);
    expect(s.forFrame('cam-b', 1050)).toEqual([]);
    s.add(Array.from({ length: 500 }, (_, i) => item(2000 + i, `k${i}`)));
    expect(s.forFrame('cam-a', 1050)).toEqual([]); // oldest items dropped beyond the bound
  });

  it('track trails: feet of one track up to the frame, never from its future', () => {
    const items = [item(1000, 't1', 0.1), item(1040, 't1', 0.2), item(1080, 't1', 0.3), item(1040, 'solo')];
    const tr = trailsAt(items, 1050, 4000);
    expect(tr).toHaveLength(1); // a track seen once has no trail yet
    expect(tr[0]!.points).toEqual([{ x: 0.15000000000000002, y: 0.2 }, { x: 0.25, y: 0.2 }]);
  });

  it('layers: global switches in the layout, per-tile overrides in its cells, both plain data', () => {
    let w = initialWall(makePresetLayout('2x2', ['a', 'b'], 'live', 'Live'));
    expect(layersOf(w.layout.layers, w.layout.cells[0]!.layers)).toEqual({ boxes: true, labels: true, tracks: true, zones: true });
    w = wallReducer(w, { type: 'layer', layer: 'boxes', on: false });
    w = wallReducer(w, { type: 'tile-layer', index: 1, layer: 'boxes', on: true });
    w = wallReducer(w, { type: 'tile-layer', index: 1, layer: 'zones', on: false });
    expect(layersOf(w.layout.layers, w.layout.cells[0]!.layers).boxes).toBe(false);
    expect(layersOf(w.layout.layers, w.layout.cells[1]!.layers)).toEqual({ boxes: true, labels: true, tracks: true, zones: false });
    // the override moves with the camera when tiles swap, survives a preset change, and is plain JSON
    w = wallReducer(w, { type: 'swap', from: 1, to: 0 });
    expect(w.layout.cells[0]!.layers).toEqual({ boxes: true, zones: false });
    w = wallReducer(w, { type: 'preset', preset: '3x3' });
    expect(JSON.parse(JSON.stringify(w.layout))).toEqual(w.layout);
    expect(w.layout.cells[0]!.layers).toEqual({ boxes: true, zones: false });
    expect(w.layout.layers!.boxes).toBe(false);
    // setting a tile back to the global value removes its override
    w = wallReducer(w, { type: 'tile-layer', index: 0, layer: 'boxes', on: false });
    w = wallReducer(w, { type: 'tile-layer', index: 0, layer: 'zones', on: null });
    expect(w.layout.cells[0]!.layers).toBeUndefined();
  });
});
