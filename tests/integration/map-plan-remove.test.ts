/**
 * Removing a site plan from the map (issue 10 §1), `map.plans.remove` against the real web shell: map.json is written
 * without the plan (other plans and keys as written), its image is deleted only when it lies in `<dataDir>/plans` and no
 * other plan names it (an image elsewhere, a shared one and a link are kept), the loopback server stops serving it, and
 * the removal is in the audit with its user. Refused, with nothing written or deleted: an unknown plan (`noPlan`), a
 * user without manageCameras (the operator: `forbidden`, audited), a map.json that no longer reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { signIn, startWebShell, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { solidPng } from '../support/pmtiles-fixture.js';

let shell: RunningShell;
let api: ApiClient;
const png = solidPng(8, 6, [0, 128, 255]);
const pts = (lon: number) => [{ px: [0, 0], lon, lat: 43.2 }, { px: [8, 0], lon: lon + 0.001, lat: 43.2 }];
const PLANS = [
  { id: 'yard', name: 'Yard', image: 'plans/yard.png', points: pts(77) }, // added from the map: its own file in plans/
  { id: 'annex', name: 'Annex', image: 'annex.png', opacity: 0.5, points: pts(77.01) }, // a file beside map.json
  { id: 'twin-a', name: 'Twin A', image: 'plans/twin.png', points: pts(77.02) }, // one file named by two plans
  { id: 'twin-b', name: 'Twin B', image: 'plans/twin.png', points: pts(77.03) },
  { id: 'linked', name: 'Linked', image: 'plans/linked.png', points: pts(77.04) }, // a link in plans/ to a file elsewhere
];
const mapJson = () => join(shell.dataDir, 'map.json');
const written = () => JSON.parse(readFileSync(mapJson(), 'utf8')) as { v: number; klv: unknown[]; plans: Array<{ id: string }> };
const file = (rel: string) => join(shell.dataDir, rel);

function status(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: shell.info.port, path: `${path}?token=${shell.info.token}` }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
}
function audit(action: string): Array<{ actor: string; subject: string; detail: string }> {
  const db = new Database(join(shell.dataDir, 'access.sqlite'), { readonly: true });
  try { return db.prepare('SELECT actor, subject, detail FROM audit WHERE action = ? ORDER BY seq').all(action) as Array<{ actor: string; subject: string; detail: string }>; } finally { db.close(); }
}

beforeAll(async () => {
  shell = await startWebShell();
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  mkdirSync(file('plans'));
  for (const f of ['plans/yard.png', 'annex.png', 'plans/twin.png', 'elsewhere.png']) writeFileSync(file(f), png);
  symlinkSync(file('elsewhere.png'), file('plans/linked.png'));
  writeFileSync(mapJson(), JSON.stringify({ v: 1, plans: PLANS, klv: [] }, null, 2));
}, 120_000);
afterAll(async () => { api?.close(); await shell?.close(); });

describe('map.plans.remove on the real web shell', () => {
  it('refuses an unknown plan and a user without manageCameras, writing and deleting nothing', async () => {
    expect((await api.call('map.config', {})).plans.map((p) => p.id)).toEqual(PLANS.map((p) => p.id));
    const before = readFileSync(mapJson(), 'utf8');
    await expect(api.call('map.plans.remove', { id: 'nope' })).rejects.toThrow(/not-found: no site plan 'nope'/);
    const reply = await api.raw('map.plans.remove', { id: 'nope' });
    expect(!reply.ok && reply.error.reason).toEqual({ code: 'noPlan', params: { plan: 'nope' } });
    await expect(api.call('map.plans.remove', { id: '../map' } as never)).rejects.toThrow(/invalid/); // not a plan id: zod
    const operator = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, 'operator', 'kuzet-operator'));
    await expect(operator.call('map.plans.remove', { id: 'yard' })).rejects.toThrow(/forbidden: manageCameras on every camera/);
    operator.close();
    expect(audit('access.refused').some((r) => r.actor === 'operator' && r.subject === 'map.plans.remove')).toBe(true);
    expect(readFileSync(mapJson(), 'utf8')).toBe(before);
    expect(existsSync(file('plans/yard.png'))).toBe(true);
    expect(audit('map.plan.remove')).toEqual([]);
  });

  it('removes the plan from map.json, deletes its image in plans/ only, stops serving it, and audits it', async () => {
    expect(await status('/map/plan/yard')).toBe(200);
    const r = await api.call('map.plans.remove', { id: 'yard' });
    expect(r.imageDeleted).toBe(true);
    expect(r.config.plans.map((p) => p.id)).toEqual(['annex', 'twin-a', 'twin-b', 'linked']);
    const after = written();
    expect(after).toEqual({ v: 1, plans: PLANS.slice(1), klv: [] });
    expect(existsSync(file('plans/yard.png'))).toBe(false);
    expect(await status('/map/plan/yard')).toBe(404);
    expect(await status('/map/plan/annex')).toBe(200);
    const [entry] = audit('map.plan.remove');
    expect(entry).toMatchObject({ subject: 'plan:yard' });
    expect(entry!.actor).not.toBe('');
    expect(JSON.parse(entry!.detail)).toEqual({ image: file('plans/yard.png'), imageDeleted: true });

    // an image outside plans/: the plan goes, the file stays
    expect((await api.call('map.plans.remove', { id: 'annex' })).imageDeleted).toBe(false);
    expect(existsSync(file('annex.png'))).toBe(true);
    // one file named by two plans: kept while the other still names it, deleted with the last
    expect((await api.call('map.plans.remove', { id: 'twin-a' })).imageDeleted).toBe(false);
    expect(existsSync(file('plans/twin.png'))).toBe(true);
    expect(await status('/map/plan/twin-b')).toBe(200);
    expect((await api.call('map.plans.remove', { id: 'twin-b' })).imageDeleted).toBe(true);
    expect(existsSync(file('plans/twin.png'))).toBe(false);
    // a link in plans/ to a file elsewhere: neither is deleted
    expect((await api.call('map.plans.remove', { id: 'linked' })).imageDeleted).toBe(false);
    expect(existsSync(file('elsewhere.png'))).toBe(true);
    expect(written()).toEqual({ v: 1, plans: [], klv: [] });
    expect(audit('map.plan.remove').map((e) => e.subject)).toEqual(['plan:yard', 'plan:annex', 'plan:twin-a', 'plan:twin-b', 'plan:linked']);
    await expect(api.call('map.plans.remove', { id: 'yard' })).rejects.toThrow(/not-found/); // gone: a second remove is refused
  });

  it('leaves a map.json that no longer reads as it is, and the image on disk', async () => {
    writeFileSync(file('plans/late.png'), png);
    writeFileSync(mapJson(), '{ "v": 1, "plans": [ { "id": "late", "image": "plans/late.png"');
    const reply = await api.raw('map.plans.remove', { id: 'late' });
    expect(!reply.ok && reply.error.reason?.code).toBe('mapFileUnreadable');
    expect(readFileSync(mapJson(), 'utf8')).toBe('{ "v": 1, "plans": [ { "id": "late", "image": "plans/late.png"');
    expect(existsSync(file('plans/late.png'))).toBe(true);
  });
});
