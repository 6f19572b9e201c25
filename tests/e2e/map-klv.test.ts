/**
 * Issue 10 §3 in a real Chromium with the demo city: the simulator's KLV drone (MISB ST 0601 in its MPEG-TS stream)
 * reaches the map as a unit with a footprint, and the map draws that footprint where its corners say: deck's picking
 * at the footprint's centre (projected from the corners the host reports) finds the drone, a point well behind the
 * drone finds no footprint.
 * Screenshot: tests/.artifacts/e2e/map-klv-footprint.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/harness.js';
import { closeConsole } from '../support/e2e-console.js';
import { mapProbe, mapShots as shots, searchMap, startMapConsole, type MapConsole, type MapProbe as Probe } from '../support/map-console.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';

let con: MapConsole;

beforeAll(async () => { con = await startMapConsole({ shell: { demo: true } }); }, 180_000);
afterAll(() => closeConsole(con));

const drone = async (): Promise<MapUnit | null> => (await con.api.call('units.list', {})).units.find((u) => u.id === 'drone-klv' && u.footprint) ?? null;
const centre = (f: LonLat[]): LonLat => [f.reduce((s, p) => s + p[0], 0) / 4, f.reduce((s, p) => s + p[1], 0) / 4];

describe('KLV drone on the map', () => {
  it('draws the footprint the drone\'s KLV reports, where its corners say', async () => {
    const first = await waitFor('the KLV drone with a footprint', drone, 90_000);
    expect(first.kind).toBe('drone');
    const map: Page = con.browser.page;
    await map.setViewportSize({ width: 1280, height: 800 });
    await map.goto(`${con.shell.info.url}&view=map`);
    await map.waitForFunction(() => ((window as unknown as { __kuzetMap?: Probe }).__kuzetMap?.redraws() ?? 0) > 0, null, { timeout: 60_000 });
    const c0 = centre(first.footprint as LonLat[]);
    await searchMap(map, c0);
    const { project, pick } = mapProbe(map);
    // the drone flies on (18 m/s): read where it is now and pick there at once; the footprint is about 200 m deep
    const seen: string[] = [];
    const hit = await waitFor('the footprint picked at its centre', async () => {
      const u = await drone();
      if (!u) return null;
      const c = centre(u.footprint as LonLat[]);
      const px = await project(c);
      if (!px || px[0] < 100 || px[0] > 1180 || px[1] < 100 || px[1] > 700) {
        // it flew out of view (18 m/s on a busy machine): find it again
        await searchMap(map, c);
        return null;
      }
      const id = await pick(px);
      if (id !== 'drone-klv') { seen.push(`${String(id)} at ${px.map(Math.round).join(',')}`); await map.screenshot({ path: join(shots, 'map-klv-footprint.png') }); }
      return id === 'drone-klv' ? { u, px } : null;
    }, 120_000, 500).catch((e: Error) => { throw new Error(`${e.message}; picked: ${seen.slice(-5).join(' | ')}`); });
    await map.screenshot({ path: join(shots, 'map-klv-footprint.png') });
    // 150 m behind the drone, against its heading: no footprint there
    const behind = offset([hit.u.lon, hit.u.lat], (hit.u.heading! + 180) % 360, 150);
    const bpx = (await project(behind))!;
    expect(await pick(bpx)).not.toBe('drone-klv');
    expect(con.outside).toEqual([]);
  }, 240_000);
});
