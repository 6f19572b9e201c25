/**
 * Issue 10 §3 in a real Chromium with the demo city: the simulator's KLV drone (MISB ST 0601 in its MPEG-TS stream)
 * reaches the map as a unit with a footprint, and the map draws that footprint where its corners say: deck's picking
 * at the footprint's centre (projected from the corners the host reports) finds the drone, a point well behind the
 * drone finds no footprint.
 * Screenshot: tests/.artifacts/e2e/map-klv-footprint.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { watchOutside } from '../support/offline.js';
import { ApiClient } from '../support/api-client.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import en from '../../resources/locales/en.json' with { type: 'json' };

let shell: RunningShell;
let api: ApiClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = join(artifactsDir(), 'e2e');
const outside: string[] = [];
type Probe = { project(lon: number, lat: number): [number, number] | null; pick(x: number, y: number): string | null; redraws(): number };

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  shell = await startWebShell({ demo: true });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  browser = await launchBrowser();
  watchOutside(browser.context, outside);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  api?.close();
  await shell?.close();
});

const drone = async (): Promise<MapUnit | null> => (await api.call('units.list', {})).units.find((u) => u.id === 'drone-klv' && u.footprint) ?? null;
const centre = (f: LonLat[]): LonLat => [f.reduce((s, p) => s + p[0], 0) / 4, f.reduce((s, p) => s + p[1], 0) / 4];

describe('KLV drone on the map', () => {
  it('draws the footprint the drone\'s KLV reports, where its corners say', async () => {
    const first = await waitFor('the KLV drone with a footprint', drone, 90_000);
    expect(first.kind).toBe('drone');
    const map: Page = browser.page;
    await map.setViewportSize({ width: 1280, height: 800 });
    await map.goto(`${shell.info.url}&view=map`);
    await map.waitForFunction(() => ((window as unknown as { __kuzetMap?: Probe }).__kuzetMap?.redraws() ?? 0) > 0, null, { timeout: 60_000 });
    const c0 = centre(first.footprint as LonLat[]);
    await map.getByRole('textbox', { name: en.map.search }).fill(`${c0[1]}, ${c0[0]}`);
    await map.getByRole('button', { name: en.map.search, exact: true }).click();
    // the drone flies on (18 m/s): read where it is now and pick there at once; the footprint is about 200 m deep
    const seen: string[] = [];
    const hit = await waitFor('the footprint picked at its centre', async () => {
      const u = await drone();
      if (!u) return null;
      const c = centre(u.footprint as LonLat[]);
      const px = await map.evaluate(([lon, lat]) => (window as unknown as { __kuzetMap: Probe }).__kuzetMap.project(lon, lat), c);
      if (!px || px[0] < 100 || px[0] > 1180 || px[1] < 100 || px[1] > 700) {
        // it flew out of view (18 m/s on a busy machine): find it again
        await map.getByRole('textbox', { name: en.map.search }).fill(`${c[1]}, ${c[0]}`);
        await map.getByRole('button', { name: en.map.search, exact: true }).click();
        return null;
      }
      const id = await map.evaluate(([x, y]) => (window as unknown as { __kuzetMap: Probe }).__kuzetMap.pick(x, y), px);
      if (id !== 'drone-klv') { seen.push(`${String(id)} at ${px.map(Math.round).join(',')}`); await map.screenshot({ path: join(shots, 'map-klv-footprint.png') }); }
      return id === 'drone-klv' ? { u, px } : null;
    }, 120_000, 500).catch((e: Error) => { throw new Error(`${e.message}; picked: ${seen.slice(-5).join(' | ')}`); });
    await map.screenshot({ path: join(shots, 'map-klv-footprint.png') });
    // 150 m behind the drone, against its heading: no footprint there
    const behind = offset([hit.u.lon, hit.u.lat], (hit.u.heading! + 180) % 360, 150);
    const bpx = (await map.evaluate(([lon, lat]) => (window as unknown as { __kuzetMap: Probe }).__kuzetMap.project(lon, lat), behind))!;
    expect(await map.evaluate(([x, y]) => (window as unknown as { __kuzetMap: Probe }).__kuzetMap.pick(x, y), bpx)).not.toBe('drone-klv');
    expect(outside).toEqual([]);
  }, 240_000);
});
