/**
 * Adding a site plan from the map (issue 10 §1), the host's part: the image is recognised by its magic bytes (a PNG of
 * zlib, a JPEG of FFmpeg, not by its name), stored in the data dir and named in map.json placed where asked; refused
 * with its reason (not an image, too large, a size out of range, map.json unreadable) and then nothing is written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addPlan, planIdFor } from '../../electron/host/map/plan-save.js';
import { imageInfo, readMapFiles } from '../../electron/host/map/map-files.js';
import { PLAN_MAX_BYTES } from '../../electron/contract/map-api.js';
import { ContractError } from '../../electron/contract/api.js';
import { planPixelToLonLat, planTransform } from '../../renderer/map/plan-geo.js';
import { distanceM } from '../../renderer/map/geo.js';
import { solidJpeg, solidPng } from '../support/pmtiles-fixture.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const dataDir = () => { const d = mkdtempSync(join(tmpdir(), 'kuzet-plan-add-')); dirs.push(d); return d; };
const reasonOf = (f: () => unknown): string | undefined => { try { f(); } catch (e) { return (e as ContractError).reason?.code; } return undefined; };
const AT = { lon: 77.0, lat: 43.2 };

describe('plan images', () => {
  it('reads the type and size from the bytes', async () => {
    expect(imageInfo(solidPng(64, 48, [255, 0, 255]))).toEqual({ type: 'png', width: 64, height: 48 });
    expect(imageInfo(await solidJpeg(96, 40, 'ff00ff'))).toEqual({ type: 'jpeg', width: 96, height: 40 });
    expect(imageInfo(Buffer.from('GIF89a............................'))).toMatch(/not a PNG or JPEG/);
    expect(imageInfo((await solidJpeg(96, 40, 'ff00ff')).subarray(0, 20))).toMatch(/truncated JPEG/);
    const huge = solidPng(1, 1, [0, 0, 0]); huge.writeUInt32BE(20_000, 16);
    expect(imageInfo(huge)).toMatch(/outside 1\.\.16384/);
  });
  it('names plans after their ASCII words, unique', () => {
    expect(planIdFor('HQ ground floor', new Set())).toBe('hq-ground-floor');
    expect(planIdFor('HQ ground floor', new Set(['hq-ground-floor']))).toBe('hq-ground-floor-2');
    expect(planIdFor('Штаб', new Set(['plan']))).toBe('plan-2');
  });
});

describe('addPlan', () => {
  it('stores a JPEG and a PNG, names them in map.json placed where asked, and keeps what map.json had', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'map.json'), JSON.stringify({ v: 1, klv: [] }));
    const jpeg = await solidJpeg(200, 100, 'ff00ff');
    const id = addPlan(dir, { name: 'Depot yard', image: jpeg.toString('base64'), at: AT, widthM: 300 });
    expect(id).toBe('depot-yard');
    expect(readFileSync(join(dir, 'plans', 'depot-yard.jpg')).equals(jpeg)).toBe(true);
    const png = solidPng(64, 64, [0, 255, 0]);
    expect(addPlan(dir, { name: 'Depot yard', image: png.toString('base64'), at: AT, widthM: 100 })).toBe('depot-yard-2');
    const r = readMapFiles(dir);
    expect(r.config.problems).toEqual([]);
    expect(r.config.plans.map((p) => [p.id, p.width, p.height])).toEqual([['depot-yard', 200, 100], ['depot-yard-2', 64, 64]]);
    expect(r.files.get('/map/plan/depot-yard')?.type).toBe('image/jpeg');
    expect(r.files.get('/map/plan/depot-yard-2')?.type).toBe('image/png');
    // placed: the image's centre at `at`, its middle row 300 m long, north up
    const t = planTransform(r.config.plans[0]!.points);
    const c = planPixelToLonLat(t, [100, 50]);
    expect(distanceM(c, [AT.lon, AT.lat])).toBeLessThan(0.5);
    expect(distanceM(planPixelToLonLat(t, [0, 50]), planPixelToLonLat(t, [200, 50]))).toBeCloseTo(300, 0);
    expect(planPixelToLonLat(t, [100, 0])[1]).toBeGreaterThan(AT.lat); // the image's top is north
    expect(JSON.parse(readFileSync(join(dir, 'map.json'), 'utf8'))).toMatchObject({ v: 1, klv: [] });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('creates map.json when there is none', () => {
    const dir = dataDir();
    addPlan(dir, { name: 'HQ', image: solidPng(8, 8, [1, 2, 3]).toString('base64'), at: AT, widthM: 50 });
    expect(readMapFiles(dir).config.plans.map((p) => p.id)).toEqual(['hq']);
  });

  it('refuses what is not an image, too large, out of size, or a map.json that does not read, and writes nothing', () => {
    const dir = dataDir();
    const add = (image: Buffer) => () => addPlan(dir, { name: 'X', image: image.toString('base64'), at: AT, widthM: 100 });
    expect(reasonOf(add(Buffer.from('%PDF-1.7 this is a document, named plan.png')))).toBe('planNotImage');
    const big = Buffer.concat([solidPng(8, 8, [0, 0, 0]), Buffer.alloc(PLAN_MAX_BYTES)]);
    expect(reasonOf(add(big))).toBe('planTooLarge');
    const huge = solidPng(1, 1, [0, 0, 0]); huge.writeUInt32BE(20_000, 16);
    expect(reasonOf(add(huge))).toBe('planImageSize');
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(dir, 'map.json'), '{ "v": 1, "plans": [');
    expect(reasonOf(add(solidPng(8, 8, [0, 0, 0])))).toBe('mapFileUnreadable');
    expect(readFileSync(join(dir, 'map.json'), 'utf8')).toBe('{ "v": 1, "plans": [');
    expect(existsSync(join(dir, 'plans'))).toBe(false);
  });
});
