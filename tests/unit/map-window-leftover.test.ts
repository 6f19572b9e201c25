/**
 * A map browser left behind by a killed host (electron/host/map/map-window.ts `endLeftoverBrowser`): the profile's
 * SingletonLock names its pid; a live process of that profile is stopped, anything else is left alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { endLeftoverBrowser } from '../../electron/host/map/map-window.js';
import { createLogger } from '../../electron/host/log.js';
import { untilAsync } from '../support/until.js';

const log = createLogger({ quiet: true });
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => { for (const c of children.splice(0)) c.kill('SIGKILL'); for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A long-running process whose command line carries `--user-data-dir=<dir>`, as Chromium's does. */
function fakeBrowser(profileArg: string): ChildProcess {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', `--user-data-dir=${profileArg}`], { stdio: 'ignore' });
  children.push(c);
  return c;
}
const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

describe('a map browser left by an earlier host', () => {
  it('is stopped when the lock names a live process of this profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-map-profile-')); dirs.push(dir);
    const old = fakeBrowser(dir);
    await untilAsync('the process started', async () => old.pid !== undefined);
    symlinkSync(`somehost-${old.pid}`, join(dir, 'SingletonLock'));
    expect(await endLeftoverBrowser(dir, log)).toBe(old.pid);
    await untilAsync('the old browser gone', async () => !running(old));
    expect(running(old)).toBe(false);
  });

  it('leaves alone a process of another profile, a dead pid and a profile without a lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-map-profile-')); dirs.push(dir);
    const other = fakeBrowser(`${dir}-wall`);
    await untilAsync('the process started', async () => other.pid !== undefined);
    expect(await endLeftoverBrowser(dir, log)).toBeNull(); // no lock
    symlinkSync(`somehost-${other.pid}`, join(dir, 'SingletonLock'));
    expect(await endLeftoverBrowser(dir, log)).toBeNull(); // the pid is not a browser of this profile
    expect(running(other)).toBe(true);
    rmSync(join(dir, 'SingletonLock'));
    symlinkSync('somehost-999999999', join(dir, 'SingletonLock'));
    expect(await endLeftoverBrowser(dir, log)).toBeNull(); // no such process
  });
});
