/** Issue 10 §3: recorded unit tracks (SQLite) and where a unit was at the player's time (never past its last report). */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrackStore } from '../../electron/host/map/track-store.js';
import { UnitStore } from '../../electron/host/map/unit-store.js';
import { mapRequests, type UnitTrack } from '../../electron/contract/map-api.js';
import { REPLAY_GONE_MS, REPLAY_STALE_MS, fitView, unitsAt, unitsKey } from '../../renderer/map/unit-replay.js';

const T0 = 1_780_000_000_000;
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function tracksFile(): string { const d = mkdtempSync(join(tmpdir(), 'kuzet-tracks-')); dirs.push(d); return join(d, 'units.sqlite'); }
const msg = (id: string, over: Record<string, unknown>) => JSON.stringify({ v: 1, id, kind: 'robot', lat: 43.24, lon: 76.95, ts: T0, ...over });

describe('recorded unit tracks', () => {
  it('stores every accepted report by unit and time, never a refused one, and reads a range with its lead-in', () => {
    const units = new UnitStore({ now: () => T0 });
    const tracks = new TrackStore(tracksFile());
    units.onAccept((u) => tracks.record(u));
    for (let i = 0; i < 10; i++) units.ingest('kuzet/units/r1', msg('r1', { ts: T0 + i * 1000, lon: 76.95 + i * 0.0001, heading: 90 }));
    units.ingest('kuzet/units/r1', msg('r1', { ts: T0 + 10_000, lat: 47.76 })); // 500 km: refused
    units.ingest('kuzet/units/r1', msg('r1', { ts: T0 + 5_000 })); // out of order: refused
    units.ingest('kuzet/units/d2', msg('d2', { kind: 'drone', ts: T0 + 2500, cameraId: 'drone-cam' }));
    expect(tracks.count()).toBe(11);
    const all = tracks.tracks(T0 + 3000, T0 + 6000, undefined, 1000);
    expect(all.truncated).toBe(false);
    expect(all.tracks.map((t) => t.id)).toEqual(['d2', 'r1']);
    const r1 = all.tracks.find((t) => t.id === 'r1')!;
    // the lead-in is the last report before the range (T0+2000), then the range itself
    expect(r1.points.map((p) => p[2] - T0)).toEqual([2000, 3000, 4000, 5000, 6000]);
    expect(r1.points[1]).toEqual([76.95 + 3 * 0.0001, 43.24, T0 + 3000, 90]);
    expect(r1.points.some((p) => p[1] > 44)).toBe(false);
    expect(all.tracks.find((t) => t.id === 'd2')).toMatchObject({ kind: 'drone', cameraId: 'drone-cam', points: [[76.95, 43.24, T0 + 2500, null]] });
    expect(() => mapRequests['units.tracks'].result.parse({ fromMs: 0, toMs: 1, ...all })).not.toThrow();
    // one unit only, and a limit that truncates
    const one = tracks.tracks(T0, T0 + 9000, ['r1'], 3);
    expect(one.truncated).toBe(true);
    expect(one.tracks.map((t) => [t.id, t.points.length])).toEqual([['r1', 3]]);
    // retention deletes what was measured before the cut, and survives a reopen
    expect(tracks.prune(T0 + 5000)).toBe(6);
    tracks.close();
  });

  it('keeps what it wrote across a restart', () => {
    const file = tracksFile();
    const a = new TrackStore(file);
    a.record({ id: 'b1', kind: 'body', lat: 43.2, lon: 76.9, ts: T0, stale: false, track: [] });
    a.close();
    const b = new TrackStore(file);
    expect(b.tracks(T0, T0, undefined, 10).tracks).toEqual([{ id: 'b1', kind: 'body', points: [[76.9, 43.2, T0, null]] }]);
    b.close();
  });
});

describe('a unit at the player time', () => {
  const track: UnitTrack = { id: 'r1', kind: 'robot', points: [[76.95, 43.24, T0, 90], [76.951, 43.24, T0 + 5000, 90], [76.952, 43.241, T0 + 10_000, 0]] };
  it('is at its last report at or before that time, never between or after reports', () => {
    expect(unitsAt([track], T0 - 1)).toEqual([]);
    expect(unitsAt([track], T0)[0]).toMatchObject({ position: [76.95, 43.24], reportedMs: T0, stale: false, trail: [[76.95, 43.24]] });
    expect(unitsAt([track], T0 + 4999)[0]!.position).toEqual([76.95, 43.24]);
    expect(unitsAt([track], T0 + 5000)[0]).toMatchObject({ position: [76.951, 43.24], heading: 90 });
    const late = unitsAt([track], T0 + 10_000 + REPLAY_STALE_MS + 1)[0]!;
    expect(late).toMatchObject({ position: [76.952, 43.241], stale: true, trail: [[76.95, 43.24], [76.951, 43.24], [76.952, 43.241]] });
    expect(unitsAt([track], T0 + 10_000 + REPLAY_GONE_MS + 1)).toEqual([]);
  });
  it('changes its key only when what is shown changes', () => {
    expect(unitsKey(unitsAt([track], T0 + 100))).toBe(unitsKey(unitsAt([track], T0 + 4000)));
    expect(unitsKey(unitsAt([track], T0 + 4000))).not.toBe(unitsKey(unitsAt([track], T0 + 5000)));
  });
  it('fits every point inside the canvas, north up', () => {
    const pts = track.points.map((p): [number, number] => [p[0], p[1]]);
    const project = fitView(pts, 320, 240, 20)!;
    for (const p of pts) { const [x, y] = project(p); expect(x).toBeGreaterThanOrEqual(20 - 1e-6); expect(x).toBeLessThanOrEqual(300 + 1e-6); expect(y).toBeGreaterThanOrEqual(20 - 1e-6); expect(y).toBeLessThanOrEqual(220 + 1e-6); }
    expect(project([76.952, 43.241])[1]).toBeLessThan(project([76.952, 43.24])[1]); // north is up
    expect(project([76.952, 43.24])[0]).toBeGreaterThan(project([76.95, 43.24])[0]); // east is right
  });
});
