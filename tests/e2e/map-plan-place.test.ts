/**
 * Placing a site plan by dragging its reference points on the map (issue 10 §1) in a real Chromium: the plan's edit
 * mode shows its two reference points where map.json puts them; dragging both 160 px east and 40 px south and saving
 * writes map.json (only that plan's points change, the other plan and keys stay), and the plan is drawn where the saved
 * points say (its magenta at the new centre, the background at the old one). Refused: points on one place (the bar says
 * why, Save stays off; the host refuses them too and writes nothing), a user without manageCameras (forbidden), and a
 * map.json that no longer reads when Save is pressed (a translated message; the file is left as it was).
 * Screenshots: tests/.artifacts/e2e/map-plan-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signIn, waitFor } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { drag, handleAt, pixelsAt, settledPixels } from '../support/map-page.js';
import { centreOn, mapProbe as probe, mapShots as shots, openMap, startMapConsole, type MapConsole } from '../support/map-console.js';
import { closeConsole } from '../support/e2e-console.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';
import { planPixelToLonLat, planTransform } from '../../renderer/map/plan-geo.js';
import { solidPng } from '../support/pmtiles-fixture.js';
import type { PlanPoint } from '../../electron/contract/map-api.js';
import en from '../../resources/locales/en.json' with { type: 'json' };

let con: MapConsole;
const BACKGROUND = [11, 15, 20];
const MAGENTA: [number, number, number] = [255, 0, 255];
// The plan: 64x64 pixels, its top-left corner here, 200 m wide (north up), away from the demo district.
const PLAN_TL: LonLat = [77.0, 43.2];
const EAST = offset(PLAN_TL, 90, 200);
const OTHER = { id: 'annex', name: 'Annex', image: 'plan.png', opacity: 0.5, points: [{ px: [0, 0], lon: 77.02, lat: 43.2 }, { px: [64, 0], lon: 77.021, lat: 43.2 }] };
const near = (got: readonly number[], want: readonly number[], tol: number) => { for (let i = 0; i < 3; i++) expect(Math.abs(got[i]! - want[i]!), `channel ${i}: got ${got.join(',')} want ${want.join(',')}`).toBeLessThan(tol); };
const mapJson = () => join(con.shell.dataDir, 'map.json');
const savedPlan = () => (JSON.parse(readFileSync(mapJson(), 'utf8')) as { plans: Array<{ id: string; points: PlanPoint[] }> }).plans;


beforeAll(async () => {
  con = await startMapConsole({ emptyWall: true });
  writeFileSync(join(con.shell.dataDir, 'plan.png'), solidPng(64, 64, MAGENTA));
  writeFileSync(mapJson(), JSON.stringify({ v: 1, plans: [
    { id: 'depot', name: 'Depot', image: 'plan.png', opacity: 1, points: [{ px: [0, 0], lon: PLAN_TL[0], lat: PLAN_TL[1] }, { px: [64, 0], lon: EAST[0], lat: EAST[1] }] },
    OTHER,
  ], klv: [] }, null, 2));
}, 180_000);
afterAll(() => closeConsole(con));

describe('placing a site plan by dragging its reference points', () => {
  it('drags the points, saves map.json atomically, draws the plan where the points say, and refuses bad input', async () => {
    const { map } = await openMap(con);
    const oldCentre = offset(offset(PLAN_TL, 90, 100), 180, 100);
    const zoomTo = async (z: number, minWidthPx: number, maxWidthPx: number) => {
      await probe(map).zoomTo(z);
      return waitFor(`zoom ${z}`, async () => { const e = await probe(map).project(EAST); const w = await probe(map).project(PLAN_TL); return e && w && e[0] - w[0] > minWidthPx && e[0] - w[0] < maxWidthPx; });
    };
    await centreOn(map, oldCentre);
    await zoomTo(17, 400, 520); // the plan is about 460 px wide (deck: 512 px tiles): a drop is within half a metre of where it is aimed

    // edit mode: the two handles sit where map.json puts the points
    await map.getByTestId('map-plan-place').click();
    let p1 = (await probe(map).project(PLAN_TL))!, p2 = (await probe(map).project(EAST))!;
    await expect.poll(async () => { const h = await handleAt(map, 1); return Math.hypot(h[0] - p1[0], h[1] - p1[1]); }).toBeLessThan(2);
    expect(Math.hypot((await handleAt(map, 2))[0] - p2[0], (await handleAt(map, 2))[1] - p2[1])).toBeLessThan(2);
    await expect.poll(() => map.locator('.map-plan-edit').innerText()).toContain(en.mapWall.placePlanHint);

    // points on one place: the bar says why and Save is off
    await drag(map, await handleAt(map, 2), await handleAt(map, 1));
    await expect.poll(() => map.locator('.map-plan-edit').innerText()).toContain(en.apiErrors.planSamePlace);
    expect(await map.getByTestId('map-plan-save').isDisabled()).toBe(true);
    await map.screenshot({ path: join(shots, 'map-plan-refused.png') });
    await map.getByRole('button', { name: en.mapWall.cancelPlan }).click();
    await expect.poll(() => map.getByTestId('map-plan-point-1').count()).toBe(0);

    // move the plan: both points 160 px east and 40 px south, at zoom 15 (the plan about 115 px wide)
    await centreOn(map, offset(oldCentre, 90, 120));
    await zoomTo(15, 100, 130);
    const oldAt = (await probe(map).project(oldCentre))!;
    await waitFor('the plan drawn with its image', async () => (await probe(map).plansDrawn()).includes('depot'), 60_000);
    await settledPixels(map, [oldAt]);
    near((await pixelsAt(map, [oldAt]))[0]!, MAGENTA, 12);
    p1 = (await probe(map).project(PLAN_TL))!; p2 = (await probe(map).project(EAST))!;
    await map.getByTestId('map-plan-place').click();
    const D: [number, number] = [160, 40];
    for (const n of [1, 2]) { const h = await handleAt(map, n); await drag(map, h, [h[0] + D[0], h[1] + D[1]]); }
    await map.screenshot({ path: join(shots, 'map-plan-dragged.png') });
    const before = readFileSync(mapJson(), 'utf8');
    await map.getByTestId('map-plan-save').click();
    await expect.poll(() => map.locator('.map-message').innerText()).toContain('Depot: placement saved');
    expect(readFileSync(mapJson(), 'utf8')).not.toBe(before);

    // map.json: the depot's points moved where they were dropped, their pixels kept; the annex and the other keys as written
    const plans = savedPlan();
    const depot = plans.find((p) => p.id === 'depot')!;
    expect(depot.points.map((p) => p.px)).toEqual([[0, 0], [64, 0]]);
    for (const [i, was] of [p1, p2].entries()) {
      const now = (await probe(map).project([depot.points[i]!.lon, depot.points[i]!.lat]))!;
      expect(Math.hypot(now[0] - was[0] - D[0], now[1] - was[1] - D[1]), `point ${i + 1}`).toBeLessThan(3);
    }
    expect(plans.find((p) => p.id === 'annex')).toEqual(OTHER);
    expect(JSON.parse(readFileSync(mapJson(), 'utf8'))).toMatchObject({ v: 1, klv: [] });

    // the plan is drawn where the saved points say: magenta at its new centre, background at the old one
    const newCentre = planPixelToLonLat(planTransform(depot.points), [32, 32]);
    const newAt = (await probe(map).project(newCentre))!;
    const [atNew, atOld] = await settledPixels(map, [newAt, oldAt]);
    await map.screenshot({ path: join(shots, 'map-plan-placed.png') });
    near(atNew!, MAGENTA, 12);
    near(atOld!, BACKGROUND, 8);
    expect(Math.hypot(newAt[0] - oldAt[0] - D[0], newAt[1] - oldAt[1] - D[1])).toBeLessThan(3);

    // the host refuses what cannot place a plan, and writes nothing
    const placed = readFileSync(mapJson(), 'utf8');
    const same = { px: [64, 0] as [number, number], lon: depot.points[0]!.lon, lat: depot.points[0]!.lat };
    await expect(con.api.call('map.plans.place', { id: 'depot', points: [depot.points[0]!, same] })).rejects.toThrow(/invalid: plan depot: planSamePlace/);
    await expect(con.api.call('map.plans.place', { id: 'depot', points: [depot.points[0]!, { ...depot.points[1]!, px: [65, 0] }] })).rejects.toThrow(/invalid: plan depot: planPixelOutside/);
    await expect(con.api.call('map.plans.place', { id: 'nope', points: depot.points })).rejects.toThrow(/not-found: no site plan 'nope'/);
    // a user whose role may not place things on the map (the operator: no manageCameras)
    const operator = await ApiClient.connect(con.shell.info.origin, await signIn(con.shell.info.origin, con.shell.info.startToken, 'operator', 'kuzet-operator'));
    await expect(operator.call('map.plans.place', { id: 'depot', points: depot.points })).rejects.toThrow(/forbidden/);
    operator.close();
    expect(readFileSync(mapJson(), 'utf8')).toBe(placed);

    // map.json broken behind the map's back: Save says so, in words, and the file is left as it is
    await map.getByTestId('map-plan-place').click();
    const h = await handleAt(map, 1);
    await drag(map, h, [h[0] - 30, h[1]]);
    writeFileSync(mapJson(), '{ "v": 1, "plans": [');
    await map.getByTestId('map-plan-save').click();
    await expect.poll(() => map.locator('.map-message').innerText()).toContain('map.json cannot be read');
    expect(await map.locator('.map-message').innerText()).toContain('Depot: placement not saved');
    expect(readFileSync(mapJson(), 'utf8')).toBe('{ "v": 1, "plans": [');
    await map.screenshot({ path: join(shots, 'map-plan-unreadable.png') });
  }, 240_000);
});
