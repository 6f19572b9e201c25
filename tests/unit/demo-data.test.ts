/**
 * `--reset-demo` (electron/host/demo-data.ts): clears only the demo's own data dir, says what it removed, and refuses
 * anything that is not marked as the demo's (a user's real configuration, the home folder).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimDemoDataDir, DEMO_MARKER, demoDataDir, describeReset, openDemoDataDir, resetDemoData } from '../../electron/host/demo-data.js';

const dirs: string[] = [];
const fresh = () => { const d = mkdtempSync(join(tmpdir(), 'kuzet-demo-data-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('demo data dir', () => {
  it('is ~/.config/kuzet-demo unless KUZET_DEMO_DATA_DIR says otherwise, never the real data dir', () => {
    expect(demoDataDir({})).toBe(join(homedir(), '.config', 'kuzet-demo'));
    expect(demoDataDir({ KUZET_DEMO_DATA_DIR: '/tmp/x' })).toBe('/tmp/x');
  });

  it('a new or empty dir becomes the demo\'s; a dir with data in it is never adopted', () => {
    const empty = join(fresh(), 'new');
    expect(claimDemoDataDir(empty)).toBe(true);
    expect(existsSync(join(empty, DEMO_MARKER))).toBe(true);
    const used = fresh();
    writeFileSync(join(used, 'cameras.json'), '{"cameras":[]}');
    expect(claimDemoDataDir(used)).toBe(false);
    expect(existsSync(join(used, DEMO_MARKER))).toBe(false);
  });

  it('reset removes alarms, recordings and settings, keeps the marker, and lists what it removed', () => {
    const d = join(fresh(), 'demo');
    claimDemoDataDir(d);
    writeFileSync(join(d, 'alarms.sqlite'), Buffer.alloc(3000));
    writeFileSync(join(d, 'review.json'), '{}');
    mkdirSync(join(d, 'recordings', 'abay-dostyk', '2026-12-01'), { recursive: true });
    writeFileSync(join(d, 'recordings', 'abay-dostyk', '2026-12-01', '1.mp4'), Buffer.alloc(5000));
    writeFileSync(join(d, 'recordings', 'index.jsonl'), 'x');
    const r = resetDemoData(d);
    expect(readdirSync(d)).toEqual([DEMO_MARKER]);
    expect(r.removed).toEqual([
      { name: 'alarms.sqlite', files: 1, bytes: 3000 },
      { name: 'recordings', files: 2, bytes: 5001 },
      { name: 'review.json', files: 1, bytes: 2 },
    ]);
    expect(describeReset(r)).toContain('recordings (2 files)');
    expect(describeReset(resetDemoData(d))).toContain('held nothing to remove');
  });

  it('refuses a dir without the marker, the home folder and the real data dir, and deletes nothing', () => {
    const user = fresh();
    writeFileSync(join(user, 'cameras.json'), '{"cameras":[{"id":"front-door"}]}');
    expect(() => resetDemoData(user)).toThrow(/no \.kuzet-demo marker/);
    expect(readdirSync(user)).toEqual(['cameras.json']);
    expect(() => resetDemoData(homedir())).toThrow(/not a demo data dir/);
    const real = fresh();
    writeFileSync(join(real, DEMO_MARKER), ''); // even a marker does not make the real data dir resettable
    expect(() => resetDemoData(real, real)).toThrow(/not a demo data dir/);
    expect(() => openDemoDataDir(user, true, () => undefined)).toThrow(/no \.kuzet-demo marker/);
  });

  it('a dir that does not exist yet resets to nothing and is then created as the demo\'s', () => {
    const d = join(fresh(), 'later');
    const said: string[] = [];
    expect(openDemoDataDir(d, true, (l) => said.push(l))).toBe(d);
    expect(said[0]).toContain('held nothing to remove');
    expect(readdirSync(d)).toEqual([DEMO_MARKER]);
  });
});
