import { describe, expect, it } from 'vitest';
import type { TimelineMarker } from '../../electron/contract/review-api.js';
import { markAt, markRects } from '../../renderer/review/timeline-marks.js';

const view = { startMs: 1_000_000, spanMs: 100_000 }; // 1,000 px wide below: 100 ms a pixel
const mark = (id: string, kind: TimelineMarker['kind'], atMs: number, endMs?: number): TimelineMarker => ({ id, cameraId: 'cam-1', kind, atMs, ...(endMs ? { endMs } : {}) });

describe('timeline markers on a row canvas', () => {
  it('places each marker at its moment: an alarm centred 5 px wide, the others at least 3 px, ranges as long as they last', () => {
    const rects = markRects(view, [mark('a', 'alarm', 1_050_000), mark('b', 'bookmark', 1_020_000), mark('m', 'motion', 1_030_000, 1_031_000)], 1000);
    expect(rects.map((r) => [r.marker.id, r.x, r.w])).toEqual([['a', 498, 5], ['b', 200, 3], ['m', 300, 10]]);
  });

  it('leaves out markers outside the window, and draws evidence locks first (under the rest)', () => {
    const rects = markRects(view, [mark('before', 'action', 990_000), mark('x', 'action', 1_010_000), mark('lock', 'lock', 980_000, 1_020_000), mark('after', 'alarm', 1_200_000)], 1000);
    expect(rects.map((r) => r.marker.id)).toEqual(['lock', 'x']);
    expect(rects[0]).toMatchObject({ range: true, x: -200, w: 400 });
  });

  it('finds the marker under the pointer within a pixel, the topmost first, a lock only where nothing else is', () => {
    const rects = markRects(view, [mark('lock', 'lock', 1_000_000, 1_100_000), mark('b', 'bookmark', 1_020_000), mark('a', 'action', 1_020_100)], 1000);
    expect(markAt(rects, 202)?.marker.id).toBe('a'); // a (201..204) is drawn over b (200..203)
    expect(markAt(rects, 199.5)?.marker.id).toBe('b');
    expect(markAt(rects, 600)?.marker.id).toBe('lock');
    expect(markAt(markRects(view, [mark('b', 'bookmark', 1_020_000)], 1000), 600)).toBeNull();
  });
});
