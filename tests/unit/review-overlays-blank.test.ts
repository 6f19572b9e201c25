/**
 * The review overlays leave a blank canvas untouched: every clear or resize makes Chromium produce the canvas's
 * whole bitmap again for the compositor, and 16 tiles' blank overlays cost a replay seek most of the page's main
 * thread (docs/replay.md, "Fourth pass"). A canvas is cleared once when its boxes go, and drawn when they come.
 */
import { describe, expect, it } from 'vitest';
import { ReviewOverlays } from '../../renderer/review/review-overlays.js';
import type { StoredOverlay } from '../../electron/contract/alarms-api.js';

/** A canvas that counts what is done to its bitmap (the 2D context's clears, paths, fills, strokes; size changes). */
function fakeCanvas(w: number, h: number) {
  const ops: string[] = [];
  const ctx = new Proxy({}, {
    get: (_t, k: string) => (k === 'measureText' ? () => ({ width: 10 }) : (...a: unknown[]) => { ops.push(k); void a; }),
    set: () => true,
  });
  let width = 0, height = 0;
  const canvas = {
    clientWidth: w, clientHeight: h,
    get width() { return width; }, set width(v: number) { width = v; ops.push('resize'); },
    get height() { return height; }, set height(v: number) { height = v; ops.push('resize'); },
    getContext: () => ctx,
  };
  return { canvas: canvas as unknown as HTMLCanvasElement, ops, resize(nw: number) { canvas.clientWidth = nw; } };
}

const video = { videoWidth: 1280, videoHeight: 720 } as unknown as HTMLVideoElement;
const box = (t: number): StoredOverlay => ({ id: `e${t}`, cameraId: 'cam-1', captureTime: t, type: 'object', track: 'p1', label: 'person', boxes: [{ x: 0.1, y: 0.1, w: 0.2, h: 0.4 }] });

async function overlays(events: StoredOverlay[]) {
  const o = new ReviewOverlays(async () => ({ events, truncated: false }), () => [], () => undefined);
  o.draw('cam-1', fakeCanvas(1, 1).canvas, video, 10_000); // starts the events' fetch
  await new Promise((r) => setTimeout(r, 0));
  return o;
}

describe('review overlays on a blank canvas', () => {
  it('draws nothing again while nothing is to be drawn, also as the picture moves on', async () => {
    const o = await overlays([]);
    const c = fakeCanvas(640, 360);
    o.draw('cam-1', c.canvas, video, 10_000);
    const first = c.ops.length;
    expect(first).toBeGreaterThan(0); // sized once (a new canvas's bitmap)
    for (let t = 10_040; t < 12_000; t += 40) o.draw('cam-1', c.canvas, video, t);
    expect(c.ops.length).toBe(first);
    expect(o.stats.frames).toBeGreaterThanOrEqual(50); // every picture was still looked at
  });

  it('draws the boxes when they come, clears once when they go, then leaves the canvas alone', async () => {
    const o = await overlays([box(10_100)]);
    const c = fakeCanvas(640, 360);
    o.draw('cam-1', c.canvas, video, 10_000); // before the event: blank
    const blank = c.ops.length;
    o.draw('cam-1', c.canvas, video, 10_120); // the event's picture: a box
    expect(c.ops.slice(blank)).toContain('clearRect');
    expect(c.ops.slice(blank).some((k) => k === 'strokeRect' || k === 'stroke' || k === 'rect')).toBe(true);
    expect(o.stats.last['cam-1']?.boxes).toBe(1);
    const drawn = c.ops.length;
    o.draw('cam-1', c.canvas, video, 30_000); // long after: the box is gone, cleared once
    expect(c.ops.slice(drawn)).toEqual(['clearRect']);
    const cleared = c.ops.length;
    o.draw('cam-1', c.canvas, video, 30_040);
    o.draw('cam-1', c.canvas, video, 30_080);
    expect(c.ops.length).toBe(cleared);
  });

  it("draws a tile's own layers when given (replay: as the live wall drew the tile), else the review's", async () => {
    const o = await overlays([box(10_100)]);
    const own = fakeCanvas(640, 360), off = fakeCanvas(640, 360);
    o.draw('cam-1', own.canvas, video, 10_120);
    expect(o.stats.last['cam-1']?.boxes).toBe(1);
    o.draw('cam-1', off.canvas, video, 10_120, 'cam-1', { boxes: false, labels: false, tracks: false, zones: false });
    expect(o.stats.last['cam-1']?.boxes).toBe(0);
    expect(off.ops.some((k) => k === 'strokeRect' || k === 'fillText')).toBe(false);
  });

  it('draws a camera\'s zones again when its list is replaced, not while it is the same list', async () => {
    let zones = [{ kind: 'zone' as const, name: 'Gate', points: [{ x: 0.1, y: 0.1 }, { x: 0.5, y: 0.1 }, { x: 0.5, y: 0.5 }] }];
    const o = new ReviewOverlays(async () => ({ events: [], truncated: false }), () => zones, () => undefined);
    const c = fakeCanvas(640, 360);
    o.draw('cam-1', c.canvas, video, 10_000);
    await new Promise((r) => setTimeout(r, 0));
    o.draw('cam-1', c.canvas, video, 10_000);
    const drawn = c.ops.length;
    o.draw('cam-1', c.canvas, video, 10_000); // the same picture, the same list: nothing
    expect(c.ops.length).toBe(drawn);
    zones = [{ ...zones[0]!, name: 'Gate 2' }]; // the store replaces a changed list
    o.draw('cam-1', c.canvas, video, 10_000);
    expect(c.ops.slice(drawn)).toContain('clearRect');
    expect(c.ops.slice(drawn)).toContain('fillText');
  });

  it('a resized blank canvas takes its new size (its bitmap is blank by that)', async () => {
    const o = await overlays([]);
    const c = fakeCanvas(640, 360);
    o.draw('cam-1', c.canvas, video, 10_000);
    const before = c.ops.length;
    c.resize(1280);
    o.draw('cam-1', c.canvas, video, 10_040);
    expect(c.ops.slice(before)).toContain('resize');
    expect(c.ops.slice(before)).not.toContain('clearRect');
    expect(c.canvas.width).toBe(1280);
  });
});
