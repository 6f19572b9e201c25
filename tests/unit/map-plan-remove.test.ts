/**
 * Removing a site plan (issue 10 §1), the host's part (electron/host/map/plan-save.ts `removePlan`): map.json without
 * the plan, the image deleted only from `<dataDir>/plans` and only when no other plan names it; a plan added later
 * never takes the file name of an image still in `plans/`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addPlan, removePlan } from '../../electron/host/map/plan-save.js';
import type { ContractError } from '../../electron/contract/api.js';
import { solidPng } from '../support/pmtiles-fixture.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const png = solidPng(8, 8, [255, 0, 255]);
const pts = [{ px: [0, 0], lon: 77, lat: 43.2 }, { px: [8, 0], lon: 77.001, lat: 43.2 }];
function dataDir(plans: Array<{ id: string; image: string }>): string {
  const d = mkdtempSync(join(tmpdir(), 'kuzet-plan-remove-')); dirs.push(d);
  mkdirSync(join(d, 'plans'));
  for (const p of plans) writeFileSync(join(d, p.image), png);
  writeFileSync(join(d, 'map.json'), JSON.stringify({ v: 1, plans: plans.map((p) => ({ ...p, name: p.id, points: pts })) }));
  return d;
}
const ids = (d: string) => (JSON.parse(readFileSync(join(d, 'map.json'), 'utf8')) as { plans: Array<{ id: string }> }).plans.map((p) => p.id);
const reasonOf = (f: () => unknown): string | undefined => { try { f(); } catch (e) { return (e as ContractError).reason?.code; } return undefined; };

describe('removePlan', () => {
  it('writes map.json without the plan and deletes its image in plans/', () => {
    const d = dataDir([{ id: 'hq', image: 'plans/hq.png' }, { id: 'annex', image: 'annex.png' }]);
    expect(removePlan(d, 'hq')).toEqual({ imageDeleted: true, image: join(d, 'plans', 'hq.png') });
    expect(ids(d)).toEqual(['annex']);
    expect(existsSync(join(d, 'plans', 'hq.png'))).toBe(false);
    // outside plans/: kept
    expect(removePlan(d, 'annex').imageDeleted).toBe(false);
    expect(existsSync(join(d, 'annex.png'))).toBe(true);
    expect(ids(d)).toEqual([]);
  });
  it('keeps an image another plan names, and refuses an unknown plan or a broken map.json with nothing changed', () => {
    const d = dataDir([{ id: 'a', image: 'plans/shared.png' }, { id: 'b', image: 'plans/shared.png' }]);
    expect(removePlan(d, 'a').imageDeleted).toBe(false);
    expect(existsSync(join(d, 'plans', 'shared.png'))).toBe(true);
    const before = readFileSync(join(d, 'map.json'), 'utf8');
    expect(reasonOf(() => removePlan(d, 'a'))).toBe('noPlan');
    expect(readFileSync(join(d, 'map.json'), 'utf8')).toBe(before);
    writeFileSync(join(d, 'map.json'), '{ "v": 1, "plans": [');
    expect(reasonOf(() => removePlan(d, 'b'))).toBe('mapFileUnreadable');
    expect(existsSync(join(d, 'plans', 'shared.png'))).toBe(true);
  });
  it('a plan added later does not take the name of an image still in plans/', () => {
    const d = dataDir([{ id: 'other', image: 'plans/yard.png' }]); // a plan named by hand after a file Add plan would use
    const id = addPlan(d, { name: 'Yard', image: png.toString('base64'), at: { lon: 77, lat: 43.2 }, widthM: 100 });
    expect(id).toBe('yard-2');
    expect(readFileSync(join(d, 'plans', 'yard.png')).equals(png)).toBe(true);
  });
});
