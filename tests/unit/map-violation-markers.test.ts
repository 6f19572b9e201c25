/** Traffic violation markers on the map (renderer/map/violation-markers.ts): one per place, the newest opened. */
import { describe, expect, it } from 'vitest';
import { markerAt, markerText, VIOLATION_OFFSET_PX, violationMarkers } from '../../renderer/map/violation-markers.js';
import { Violation } from '../../electron/contract/plates/plates-api.js';

const at = (id: string, atMs: number, position: { lat: number; lon: number } | null) => Violation.parse({
  id, cameraId: 'gate-1', atMs, violation: 'red_light', plate: '123ABC02', speedKmh: null, limitKmh: null, box: null, position,
  hasSnapshot: false, state: 'pending', decidedBy: null, decidedAt: null, reason: null,
});
const A = { lat: 43.2395, lon: 76.953 }, B = { lat: 43.24, lon: 76.95 };

describe('violation markers', () => {
  it('puts the violations of one place under one marker that opens the newest, newest place first', () => {
    const m = violationMarkers([at('a1', 1000, A), at('b1', 1500, B), at('a2', 3000, A), at('a0', 500, A)]);
    expect(m.map((x) => [x.newest.id, x.count])).toEqual([['a2', 3], ['b1', 1]]);
    expect(m[0]!.position).toEqual([A.lon, A.lat]); // deck's order: longitude first
    expect(m.map(markerText)).toEqual(['!3', '!']);
  });

  it('leaves out a violation without a position (its camera was never placed)', () => {
    expect(violationMarkers([at('x', 1000, null)])).toEqual([]);
    expect(violationMarkers([])).toEqual([]);
  });

  it('finds the marker whose tag is under a screen point, beside its camera, not on the camera itself', () => {
    const m = violationMarkers([at('a1', 1000, A), at('b1', 2000, B)]);
    const project = (p: readonly number[]) => (p[0] === A.lon ? [100, 200] : [300, 200]);
    const tagA: [number, number] = [100 + VIOLATION_OFFSET_PX[0], 200 + VIOLATION_OFFSET_PX[1]];
    expect(markerAt(m, project, tagA)?.newest.id).toBe('a1');
    expect(markerAt(m, project, [tagA[0] + 8, tagA[1] - 8])?.newest.id).toBe('a1');
    expect(markerAt(m, project, [300 + VIOLATION_OFFSET_PX[0], 200 + VIOLATION_OFFSET_PX[1]])?.newest.id).toBe('b1');
    expect(markerAt(m, project, [100, 200])).toBeNull(); // the camera's dot stays the camera's
    expect(markerAt(m, project, [tagA[0] + 30, tagA[1]])).toBeNull();
  });
});
