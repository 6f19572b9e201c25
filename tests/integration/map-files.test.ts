/**
 * Issue 10 §1 against the real web shell: map.json names a PMTiles archive and a plan; `map.config` says where they are;
 * the loopback server serves them with HTTP range requests to a signed-in session only (refused without a session,
 * with the start token, from another page, and for any path map.json does not name), and a broken map.json is reported
 * in words while the shell keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWebShell, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { buildPmtiles } from '../support/pmtiles-writer.js';
import { PMTILES_FEATURES, solidPng } from '../support/pmtiles-fixture.js';

let shell: RunningShell;
let api: ApiClient;
const archive = buildPmtiles(PMTILES_FEATURES, { minZoom: 10, maxZoom: 12 });
const plan = solidPng(8, 6, [0, 128, 255]);

beforeAll(async () => {
  shell = await startWebShell();
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  writeFileSync(join(shell.dataDir, 'city.pmtiles'), archive);
  writeFileSync(join(shell.dataDir, 'plan.png'), plan);
  writeFileSync(join(shell.dataDir, 'map.json'), JSON.stringify({ v: 1, basemap: { pmtiles: 'city.pmtiles' }, plans: [
    { id: 'yard', name: 'Yard', image: 'plan.png', points: [{ px: [0, 0], lon: 77, lat: 43.2 }, { px: [8, 0], lon: 77.001, lat: 43.2 }] },
  ] }));
}, 120_000);
afterAll(async () => { api?.close(); await shell?.close(); });

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: shell.info.port, path, method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('map files over the loopback server', () => {
  it('map.config names the routes, sizes and points, with no problems', async () => {
    const c = await api.call('map.config', {});
    expect(c.problems).toEqual([]);
    expect(c.basemap).toEqual({ url: '/map/basemap.pmtiles', bytes: archive.length });
    expect(c.plans).toEqual([expect.objectContaining({ id: 'yard', url: '/map/plan/yard', width: 8, height: 6, opacity: 0.85 })]);
  });

  it('serves byte ranges of the archive and the whole plan to a signed-in session', async () => {
    const tok = `token=${shell.info.token}`;
    const head = await get(`/map/basemap.pmtiles?${tok}`, { range: 'bytes=0-126' });
    expect(head.status).toBe(206);
    expect(head.headers['content-range']).toBe(`bytes 0-126/${archive.length}`);
    expect(head.body.equals(archive.subarray(0, 127))).toBe(true);
    const tail = await get(`/map/basemap.pmtiles?${tok}`, { range: 'bytes=-20' });
    expect(tail.body.equals(archive.subarray(archive.length - 20))).toBe(true);
    expect((await get(`/map/basemap.pmtiles?${tok}`, { range: `bytes=${archive.length + 5}-` })).status).toBe(416);
    const png = await get(`/map/plan/yard?${tok}`);
    expect([png.status, png.headers['content-type']]).toEqual([200, 'image/png']);
    expect(png.body.equals(plan)).toBe(true);
  });

  it('refuses without a session, with the start token, from another page, and for paths map.json does not name', async () => {
    expect((await get('/map/basemap.pmtiles')).status).toBe(403);
    const start = await get(`/map/basemap.pmtiles?token=${shell.info.startToken}`);
    expect([start.status, start.body.toString()]).toEqual([403, 'not signed in']);
    expect((await get(`/map/basemap.pmtiles?token=${shell.info.token}`, { origin: 'http://attacker.example' })).status).toBe(403);
    for (const p of ['/map/plan/nope', '/map/../map.json', '/map/plan/..%2Fmap.json', '/map/city.pmtiles']) {
      expect((await get(`${p}?token=${shell.info.token}`)).status, p).toBe(404);
    }
  });

  it('a broken map.json is reported in words; the bundled map and the shell carry on', async () => {
    writeFileSync(join(shell.dataDir, 'map.json'), '{"v": 1, "basemap": {"pmtiles": "missing.pmtiles"}, "plans": [{"id": "BAD ID"}]}');
    const c = await api.call('map.config', {});
    expect(c.basemap).toBeNull();
    expect(c.problems).toEqual([expect.stringMatching(/^map\.json: plans\.0\.id: plan id: /)]);
    writeFileSync(join(shell.dataDir, 'map.json'), '{"v": 1, "basemap": {"pmtiles": "missing.pmtiles"}}');
    expect((await api.call('map.config', {})).problems).toEqual([expect.stringMatching(/^basemap: .*missing\.pmtiles: no such file$/)]);
    expect((await get(`/map/basemap.pmtiles?token=${shell.info.token}`)).status).toBe(404);
    expect((await get('/healthz')).status).toBe(200);
  });
});
