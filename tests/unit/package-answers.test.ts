/**
 * Issue 11 §1 / issue 10 §3: an imported incident's unit tracks and overlays answered from its package alone equal
 * what the console that made it answers (the track store over SQLite, `events.query`'s rule) for windows inside the
 * incident; a package without units.json answers no units.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrackStore } from '../../electron/host/map/track-store.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import { INCIDENT_PACKAGE_FORMAT, PACKAGE_MAX_UNIT_REPORTS, PackageEvents, PackageUnits } from '../../electron/contract/replay-package.js';
import { packageOverlays, packageTracks } from '../../electron/host/replay/package-answers.js';

const T0 = 1_780_000_000_000;
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A small deterministic random sequence (the test fails the same way every run). */
function rng(seed: number): () => number {
  let x = seed;
  return () => { x = (x * 1_103_515_245 + 12_345) % 2 ** 31; return x / 2 ** 31; };
}

describe('package answers', () => {
  it('answer units.tracks from units.json exactly as the track store does, for any window inside the incident', () => {
    const d = mkdtempSync(join(tmpdir(), 'kuzet-pkg-answers-')); dirs.push(d);
    const store = new TrackStore(join(d, 'units.sqlite'));
    const r = rng(7);
    // four units reporting at their own irregular rates from 3 minutes before the incident to 3 minutes after it
    const units = [['car-1', 'patrol_car', undefined], ['drone-2', 'drone', 'cam-d'], ['robot-3', 'robot', undefined], ['body-4', 'body', 'cam-b']] as const;
    for (const [id, kind, cameraId] of units) {
      let ts = T0 - 180_000 + Math.round(r() * 5000);
      while (ts < T0 + 780_000) {
        store.record({ id, kind, lat: 43.2 + r() * 0.01, lon: 76.9 + r() * 0.01, ts, heading: r() < 0.2 ? undefined : Math.round(r() * 359), ...(cameraId ? { cameraId } : {}), stale: false, track: [] } as MapUnit);
        // body-4 goes silent for two minutes in the middle of the incident (a lead-in that is missing for some windows)
        ts += id === 'body-4' && ts > T0 + 200_000 && ts < T0 + 330_000 ? 130_000 : 200 + Math.round(r() * 3000);
      }
    }
    const fromMs = T0, toMs = T0 + 600_000;
    const made = store.tracks(fromMs, toMs, undefined, PACKAGE_MAX_UNIT_REPORTS);
    const pkg = PackageUnits.parse({ format: INCIDENT_PACKAGE_FORMAT, fromMs, toMs, units: made.tracks.map((u) => ({ ...u, name: u.cameraId ?? u.id })), truncated: made.truncated });
    expect(pkg.units.map((u) => u.id)).toEqual(['body-4', 'car-1', 'drone-2', 'robot-3']);
    for (let k = 0; k < 200; k++) {
      const f = fromMs + Math.round(r() * 590_000);
      const t = Math.min(toMs, f + Math.round(r() * 200_000));
      const ids = r() < 0.3 ? [units[Math.floor(r() * 4)]![0]] : undefined;
      const limit = r() < 0.2 ? 1 + Math.floor(r() * 50) : 50_000;
      const a = store.tracks(f, t, ids, limit);
      const b = packageTracks(pkg, f, t, ids, limit);
      expect(b.truncated, `window ${f - T0}..${t - T0}`).toBe(a.truncated);
      if (!a.truncated) expect(b.tracks, `window ${f - T0}..${t - T0}`).toEqual(a.tracks);
      else expect(b.tracks.reduce((n, u) => n + u.points.length, 0)).toBe(a.tracks.reduce((n, u) => n + u.points.length, 0));
    }
    // the incident's starting window: the lead-in from before the incident is in the package too
    expect(packageTracks(pkg, fromMs, fromMs + 10_000, undefined, 50_000)).toEqual(store.tracks(fromMs, fromMs + 10_000, undefined, 50_000));
    // a package made before units.json: no units, never an error
    expect(packageTracks(null, fromMs, toMs, undefined, 50_000)).toEqual({ tracks: [], truncated: false });
    store.close();
  });

  it('answer events.query from events.json: the camera\'s boxed events in [from, to), oldest first, capped', () => {
    const ev = (id: string, captureTime: number, boxes: Array<{ x: number; y: number; w: number; h: number }>, camera = 'cam-a') =>
      ({ id, camera, captureTime, type: 'object', confidence: 1, boxes, zones: [], attributes: { class: 'person' }, receivedAt: captureTime + 5, source: 'mqtt' });
    const box = { x: 0.1, y: 0.2, w: 0.3, h: 0.4 };
    const events = PackageEvents.parse({ format: INCIDENT_PACKAGE_FORMAT, cameras: [
      { cameraId: 'cam-a', truncated: false, events: [ev('e3', T0 + 3000, [box]), ev('e1', T0 + 1000, [box]), ev('e2', T0 + 2000, []), ev('e4', T0 + 4000, [box])] },
      { cameraId: 'cam-b', truncated: false, events: [ev('b1', T0 + 1000, [box], 'cam-b')] },
    ] });
    const r = packageOverlays(events, 'cam-a', T0 + 1000, T0 + 4000, 10);
    expect(r.truncated).toBe(false);
    expect(r.events.map((e) => e.id)).toEqual(['e1', 'e3']); // e2 has no box, e4 is at the window's end (excluded)
    expect(r.events[0]).toMatchObject({ id: 'e1', cameraId: 'cam-a', captureTime: T0 + 1000, type: 'object', label: 'person detected', boxes: [box] });
    expect(packageOverlays(events, 'cam-a', T0, T0 + 10_000, 2)).toMatchObject({ truncated: true, events: [{ id: 'e1' }, { id: 'e3' }] });
    expect(packageOverlays(events, 'cam-c', T0, T0 + 10_000, 10)).toEqual({ events: [], truncated: false });
  });
});
