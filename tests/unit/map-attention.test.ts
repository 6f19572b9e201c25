/**
 * Issue 10 §5, attention: watched time per camera from view.live audit rows, the union of intervals (two consoles at
 * once count once) clipped to the window; cameras without an interval were watched by nobody; junk details are skipped.
 */
import { describe, expect, it } from 'vitest';
import { attentionFrom, healthFrom } from '../../electron/host/map/attention.js';
import type { AuditRow } from '../../electron/contract/audit-api.js';

const row = (camera: string, from: number, to: number, user = 'op1', action = 'view.live'): AuditRow => ({
  chain: 'access', seq: 0, at: to, user, console: 'c', action, target: `camera:${camera}`, details: JSON.stringify({ from, to, session: 's', source: 'web', display: 'main' }),
});

describe('attention from the view audit', () => {
  it('adds the union of a camera\'s intervals inside the window and lists unwatched cameras first', () => {
    const rows = [
      row('a', 1000, 5000), row('a', 3000, 7000, 'op2'), // overlap: 1000..7000 = 6000
      row('a', 9000, 9500),
      row('b', 0, 2000), // clipped to the window start (1000): 1000
      row('c', 500, 900), // before the window: nothing
      row('b', 1500, 1600, 'op1', 'view.recording'), // recorded viewing is not the wall
      { ...row('b', 1, 2), details: 'not json' },
    ];
    const r = attentionFrom(rows, ['a', 'b', 'c', 'd'], 1000, 10_000);
    expect(r).toEqual([
      { cameraId: 'c', watchedMs: 0, viewers: 0 },
      { cameraId: 'd', watchedMs: 0, viewers: 0 },
      { cameraId: 'b', watchedMs: 1000, viewers: 1 },
      { cameraId: 'a', watchedMs: 6500, viewers: 2 },
    ]);
  });
});

describe('camera health over the window', () => {
  it('counts offline and tamper events, nothing else', () => {
    expect(healthFrom([])).toEqual({ offlineEvents: 0, tamperEvents: 0 });
    expect(healthFrom([{ type: 'camera_offline' }, { type: 'tamper' }, { type: 'camera_offline' }, { type: 'motion' }])).toEqual({ offlineEvents: 2, tamperEvents: 1 });
  });
});
