/**
 * Stale streams in the map's health list (issue 10 §5) in a real Chromium: a simulator camera on the map goes live,
 * stalls (the simulator's control) and comes back; the map's attention panel lists it with one stale spell and its
 * time, beside the offline and tampered counts. Screenshot: tests/.artifacts/e2e/map-health.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { waitFor } from '../support/harness.js';
import { mapShots as shots, openMap, startMapConsole, type MapConsole } from '../support/map-console.js';
import { closeConsole } from '../support/e2e-console.js';
import { staleTime } from '../../renderer/map/coverage.js';
import en from '../../resources/locales/en.json' with { type: 'json' };

const CAM = 'cam-extra-01';
let sim: Simulator;
let con: MapConsole;

beforeAll(async () => {
  sim = await startSimulator({ camerasFile: 'none', extra: 1 });
  con = await startMapConsole({ emptyWall: true });
  await con.api.call('cameras.add', { probe: false, camera: { id: CAM, name: 'Stalling camera', mainUrl: sim.url(CAM, 'main'), subUrl: sim.url(CAM, 'sub'), kind: 'fixed', location: { lat: 43.245, lon: 76.945, heading: 0, fov: 60 } } });
}, 180_000);
afterAll(async () => { await sim?.unstall(CAM).catch(() => {}); await closeConsole(con); await sim?.close(); });

describe('the map\'s health list', () => {
  it('lists a camera that stalled and came back with its stale spell and time', async () => {
    const state = async () => (await con.api.call('streams.status', {})).find((s) => s.cameraId === CAM);
    await con.api.call('streams.demand', { clientId: 'health-e2e', tiles: [{ cameraId: CAM, width: 320, height: 180 }] });
    await waitFor('the camera live', async () => (await state())?.state === 'live', 60_000, 200);
    const liveSince = (await state())!.since;
    await sim.stall(CAM);
    await waitFor('the camera stalled', async () => { const s = await state(); return s?.state === 'stalled' && s.since >= liveSince; }, 30_000, 100);
    await sim.unstall(CAM);
    await waitFor('the camera live again', async () => { const s = await state(); return s?.state === 'live' && s.since > liveSince; }, 60_000, 100);
    const h = (await con.api.call('map.attention', { hours: 24 })).cameras.find((c) => c.cameraId === CAM)!;
    expect(h.staleSpells).toBeGreaterThanOrEqual(1);

    const { map } = await openMap(con);
    await map.getByRole('checkbox', { name: en.coverage.attention }).check();
    const row = map.locator('.map-coverage-health li', { hasText: 'Stalling camera' });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    const time = staleTime(h.staleMs);
    expect(time).toMatch(/^\d+\.\d\ss$/); // the stall lasted seconds: at least the supervisor's 1.5 s without a frame
    expect(await row.innerText()).toBe(en.mapWall.healthRowStale.replace('{{name}}', 'Stalling camera').replace('{{offline}}', '0').replace('{{stale}}', String(h.staleSpells)).replace('{{time}}', time).replace('{{tampered}}', '0'));
    expect(await map.locator('.map-coverage-health b').innerText()).toBe(en.mapWall.unhealthyStale_one.replace('{{count}}', '1'));
    await map.screenshot({ path: join(shots, 'map-health.png') });
  }, 240_000);
});
