/**
 * A site plan's third reference point and its removal from the map (issue 10 §1) in a real Chromium. The administrator
 * opens the plan's editor, adds point 3 (a handle at the plan's bottom-left corner, where the two points put it),
 * drags it onto the line of the other two (the bar says why in words, Save is off), then 200 px east and saves:
 * map.json has three points (the two as they were, the third where it was dropped), the other plan and keys unchanged,
 * and the plan is drawn skewed where the three points say (its magenta beyond the old square's right edge, the
 * background inside its old bottom-left). Removing point 3 again draws the square; Cancel keeps the skew. Then Remove
 * plan asks first (Keep changes nothing), and Remove takes the plan out of map.json, deletes its image from
 * `<dataDir>/plans` (the other plan's image beside map.json stays) and the map stops drawing it.
 * Screenshots: tests/.artifacts/e2e/map-plan-third*.png, map-plan-remove*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/harness.js';
import { drag, handleAt, pixelsAt } from '../support/map-page.js';
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
const TWO: PlanPoint[] = [{ px: [0, 0], lon: PLAN_TL[0], lat: PLAN_TL[1] }, { px: [64, 0], lon: EAST[0], lat: EAST[1] }];
const SQUARE = planTransform(TWO);
const OTHER = { id: 'annex', name: 'Annex', image: 'annex.png', opacity: 0.5, points: [{ px: [0, 0], lon: 77.02, lat: 43.2 }, { px: [64, 0], lon: 77.021, lat: 43.2 }] };
const mapJson = () => join(con.shell.dataDir, 'map.json');
const savedPlans = () => (JSON.parse(readFileSync(mapJson(), 'utf8')) as { plans: Array<{ id: string; points: PlanPoint[] }> }).plans;
const close = (got: readonly number[], want: readonly number[], tol: number) => [0, 1, 2].every((i) => Math.abs(got[i]! - want[i]!) < tol);

/** Waits until every point of the window shows its colour (within tol per channel); fails with what it shows. */
async function looks(map: Page, want: Array<{ at: [number, number]; rgb: readonly number[]; tol: number; what: string }>): Promise<void> {
  await expect.poll(async () => {
    const got = await pixelsAt(map, want.map((w) => w.at));
    return want.map((w, i) => (close(got[i]!, w.rgb, w.tol) ? 'ok' : `${w.what}: ${got[i]!.join(',')}`));
  }, { timeout: 30_000, interval: 200 }).toEqual(want.map(() => 'ok'));
}

beforeAll(async () => {
  con = await startMapConsole({ emptyWall: true });
  mkdirSync(join(con.shell.dataDir, 'plans'));
  writeFileSync(join(con.shell.dataDir, 'plans', 'depot.png'), solidPng(64, 64, MAGENTA)); // where Add plan stores images
  writeFileSync(join(con.shell.dataDir, 'annex.png'), solidPng(64, 64, MAGENTA));
  writeFileSync(mapJson(), JSON.stringify({ v: 1, plans: [{ id: 'depot', name: 'Depot', image: 'plans/depot.png', opacity: 1, points: TWO }, OTHER], klv: [] }, null, 2));
}, 180_000);
afterAll(() => closeConsole(con));

describe('a third reference point and removing a plan, from the map', () => {
  it('adds point 3 by dragging, saves the skewed placement, draws it, then removes the plan from map.json, the disk and the picture', async () => {
    const { map } = await openMap(con);
    await centreOn(map, planPixelToLonLat(SQUARE, [32, 32]));
    await probe(map).zoomTo(17);
    // the plan about 460 px wide (deck: 512 px tiles): a drop lands within half a metre of where it is aimed
    await waitFor('zoom 17', async () => { const e = await probe(map).project(EAST); const w = await probe(map).project(PLAN_TL); return e && w && e[0] - w[0] > 400 && e[0] - w[0] < 520; });

    // edit mode, point 3 added: its handle on the plan's bottom-left corner, where the two points put that pixel
    await map.getByTestId('map-plan-place').click();
    await map.getByTestId('map-plan-add-point').click();
    const corner = (await probe(map).project(planPixelToLonLat(SQUARE, [0, 64])))!;
    await expect.poll(async () => { const h = await handleAt(map, 3); return Math.hypot(h[0] - corner[0], h[1] - corner[1]); }).toBeLessThan(2);
    await expect.poll(() => map.locator('.map-plan-edit').innerText()).toContain(en.mapWall.placePlanHint);

    // dropped on the line of the other two (the middle of the plan's top edge): refused in words, Save off
    const top = (await probe(map).project(planPixelToLonLat(SQUARE, [32, 0])))!;
    await drag(map, await handleAt(map, 3), top);
    await expect.poll(() => map.locator('.map-plan-edit').innerText()).toContain(en.apiErrors.planOnLine);
    expect(await map.getByTestId('map-plan-save').isDisabled()).toBe(true);
    await map.screenshot({ path: join(shots, 'map-plan-third-refused.png') });

    // dropped 200 px east of the corner: the plan is skewed through the three points; Save writes them
    const drop: [number, number] = [corner[0] + 200, corner[1]];
    await drag(map, await handleAt(map, 3), drop);
    await expect.poll(() => map.locator('.map-plan-edit').innerText()).toContain(en.mapWall.placePlanHint);
    const before = readFileSync(mapJson(), 'utf8');
    await map.getByTestId('map-plan-save').click();
    await expect.poll(() => map.locator('.map-message').innerText()).toContain('Depot: placement saved');
    expect(readFileSync(mapJson(), 'utf8')).not.toBe(before);
    const depot = savedPlans().find((p) => p.id === 'depot')!;
    expect(depot.points.slice(0, 2)).toEqual(TWO);
    expect(depot.points.map((p) => p.px)).toEqual([[0, 0], [64, 0], [0, 64]]);
    const third = (await probe(map).project([depot.points[2]!.lon, depot.points[2]!.lat]))!;
    expect(Math.hypot(third[0] - drop[0], third[1] - drop[1])).toBeLessThan(3);
    expect(savedPlans().find((p) => p.id === 'annex')).toEqual(OTHER);
    expect(JSON.parse(readFileSync(mapJson(), 'utf8'))).toMatchObject({ v: 1, klv: [] });

    // drawn where the three points say: near the bottom-right corner (beyond the old square's right edge) magenta, near
    // the old bottom-left corner (now outside the plan) the background
    const SKEW = planTransform(depot.points);
    const at = async (t: typeof SKEW, px: [number, number]) => (await probe(map).project(planPixelToLonLat(t, px)))!;
    const skewedRight = await at(SKEW, [60, 60]), oldLeft = await at(SQUARE, [4, 60]), middle = await at(SKEW, [32, 32]);
    expect(skewedRight[0]).toBeGreaterThan((await at(SQUARE, [64, 60]))[0] + 100); // the checks mean something
    await looks(map, [
      { at: skewedRight, rgb: MAGENTA, tol: 12, what: 'the skewed plan beyond the old edge' },
      { at: middle, rgb: MAGENTA, tol: 12, what: 'the skewed plan\'s middle' },
      { at: oldLeft, rgb: BACKGROUND, tol: 8, what: 'the old bottom-left corner' },
    ]);
    await map.screenshot({ path: join(shots, 'map-plan-third.png') });

    // point 3 removed again: two handles, the plan square again (drawn while editing); Cancel keeps the skew
    await map.getByTestId('map-plan-place').click();
    await expect.poll(() => map.getByTestId('map-plan-point-3').count()).toBe(1);
    await map.getByTestId('map-plan-remove-point').click();
    await expect.poll(() => map.getByTestId('map-plan-point-3').count()).toBe(0);
    expect(await map.getByTestId('map-plan-point-2').count()).toBe(1);
    await looks(map, [{ at: oldLeft, rgb: MAGENTA, tol: 12, what: 'the square plan\'s bottom-left' }, { at: skewedRight, rgb: BACKGROUND, tol: 8, what: 'beyond the square' }]);
    await map.getByRole('button', { name: en.mapWall.cancelPlan }).click();
    await looks(map, [{ at: oldLeft, rgb: BACKGROUND, tol: 8, what: 'the old bottom-left corner' }, { at: skewedRight, rgb: MAGENTA, tol: 12, what: 'the skewed plan' }]);
    expect(savedPlans().find((p) => p.id === 'depot')!.points).toHaveLength(3);

    // Remove plan asks first; Keep changes nothing
    const kept = readFileSync(mapJson(), 'utf8');
    await map.getByTestId('map-plan-remove').click();
    await expect.poll(() => map.getByTestId('map-plan-remove-confirm').innerText()).toContain(en.mapWall.removePlanConfirm.split('{{plan}}')[0]!);
    expect(await map.getByTestId('map-plan-remove-confirm').innerText()).toContain('Depot');
    await map.screenshot({ path: join(shots, 'map-plan-remove-confirm.png') });
    await map.getByRole('button', { name: en.mapWall.removePlanNo }).click();
    await expect.poll(() => map.getByTestId('map-plan-remove-confirm').count()).toBe(0);
    expect(readFileSync(mapJson(), 'utf8')).toBe(kept);

    // Remove: out of map.json (the annex and the keys stay), its image deleted from plans/, no longer drawn
    await map.getByTestId('map-plan-remove').click();
    await map.getByTestId('map-plan-remove-yes').click();
    await expect.poll(() => map.locator('.map-message').innerText()).toContain(en.mapWall.planRemoved.replace('{{plan}}', 'Depot'));
    expect(JSON.parse(readFileSync(mapJson(), 'utf8'))).toEqual({ v: 1, plans: [OTHER], klv: [] });
    expect(existsSync(join(con.shell.dataDir, 'plans', 'depot.png'))).toBe(false);
    expect(existsSync(join(con.shell.dataDir, 'annex.png'))).toBe(true);
    await looks(map, [
      { at: skewedRight, rgb: BACKGROUND, tol: 8, what: 'where the plan was (right)' },
      { at: middle, rgb: BACKGROUND, tol: 8, what: 'where the plan was (middle)' },
    ]);
    await map.screenshot({ path: join(shots, 'map-plan-removed.png') });
    // the place and remove buttons now act on the annex, the only plan left
    expect(await map.locator('select[aria-label="' + en.mapWall.placePlan + '"]').count()).toBe(0);
    expect(con.outside).toEqual([]);
  }, 240_000);
});
