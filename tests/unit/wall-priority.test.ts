/**
 * The wall browser yields the CPU to the map window (electron/host/map/wall-priority.ts): which process is the wall's
 * browser, when an autogroup's nice would change anything, and the nice set and given back on real processes of this
 * machine (a detached process leads a session of its own, as every Chromium the project starts does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { autogroupRefusal, autogroupRefusalNow, browserOfProfile, cpuCgroup, sessionNice, setSessionNice, WALL_NICE_WITH_MAP, WallYield } from '../../electron/host/map/wall-priority.js';
import { untilAsync } from '../support/until.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) { try { process.kill(c.pid!, 'SIGKILL'); } catch { /* gone */ } }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A long-running process with `--user-data-dir=<dir>` on its command line, as Chromium has; `detached`: its own session. */
async function fakeBrowser(profileArg: string, detached: boolean): Promise<ChildProcess> {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', `--user-data-dir=${profileArg}`], { stdio: 'ignore', detached });
  children.push(c);
  await untilAsync('the process started', async () => c.pid !== undefined && existsSync(`/proc/${c.pid}/stat`));
  return c;
}
// autogroups on, and this process in the root CPU cgroup (its children are too): as on the project's machines
const autogroups = existsSync('/proc/self/autogroup') && !/autogroups are off|CPU cgroup/.test(autogroupRefusalNow(process.pid) ?? '');

describe('the CPU cgroup of a process', () => {
  it('is the cpu controller\'s hierarchy (cgroup v1) or the unified one (v2)', () => {
    expect(cpuCgroup('12:pids:/\n4:cpu,cpuacct:/user.slice\n0::/user.slice/app.scope\n')).toBe('/user.slice');
    expect(cpuCgroup('0::/\n')).toBe('/');
    expect(cpuCgroup('0::/user.slice/user-1000.slice/app-chromium.scope\n')).toBe('/user.slice/user-1000.slice/app-chromium.scope');
    expect(cpuCgroup('1:name=systemd:/\n')).toBeNull();
  });
});

describe('when an autogroup nice changes a browser\'s share', () => {
  const stat = (pid: number, session: number) => `${pid} (chromium (x) y) S 1 ${pid} ${session} 0 -1 4194560`;
  it('does when autogroups are on, the process leads its session and is in the root CPU cgroup', () => {
    expect(autogroupRefusal(42, { enabled: '1\n', stat: stat(42, 42), cgroup: '0::/\n' })).toBeNull();
  });
  it('does not, and says why, otherwise', () => {
    expect(autogroupRefusal(42, { enabled: '0\n', stat: stat(42, 42), cgroup: '0::/' })).toMatch(/autogroups are off/);
    expect(autogroupRefusal(42, { enabled: null, stat: stat(42, 42), cgroup: '0::/' })).toMatch(/autogroups are off/);
    expect(autogroupRefusal(42, { enabled: '1', stat: null, cgroup: '0::/' })).toMatch(/gone/);
    expect(autogroupRefusal(42, { enabled: '1', stat: stat(42, 7), cgroup: '0::/' })).toMatch(/does not lead its session/);
    expect(autogroupRefusal(42, { enabled: '1', stat: stat(42, 42), cgroup: '0::/user.slice/app.scope' })).toMatch(/CPU cgroup \/user\.slice\/app\.scope/);
  });
});

describe('the wall browser of a profile', () => {
  it('is the live process the SingletonLock names, with that profile on its command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-wall-profile-')); dirs.push(dir);
    expect(browserOfProfile(dir)).toBeNull(); // no lock
    const other = await fakeBrowser(`${dir}-map`, false);
    symlinkSync(`somehost-${other.pid}`, join(dir, 'SingletonLock'));
    expect(browserOfProfile(dir)).toBeNull(); // a process of another profile
    rmSync(join(dir, 'SingletonLock'));
    const wall = await fakeBrowser(dir, true);
    symlinkSync(`somehost-${wall.pid}`, join(dir, 'SingletonLock'));
    expect(browserOfProfile(dir)).toBe(wall.pid);
  });
});

describe.runIf(autogroups)('the wall browser\'s session nice (this machine has autogroups)', () => {
  it('is set and given back for a process that leads its session, and refused for one that does not', async () => {
    const wall = await fakeBrowser('wall', true);
    expect(sessionNice(wall.pid!)).toBe(0);
    expect(setSessionNice(wall.pid!, 10)).toBeNull();
    expect(sessionNice(wall.pid!)).toBe(10);
    expect(setSessionNice(wall.pid!, 0)).toBeNull();
    expect(sessionNice(wall.pid!)).toBe(0);
    const inOurSession = await fakeBrowser('not-a-leader', false);
    const before = sessionNice(process.pid);
    expect(setSessionNice(inOurSession.pid!, 10)).toMatch(/does not lead its session/);
    expect(sessionNice(process.pid)).toBe(before); // our own session untouched
  });
});

describe('the wall yielding to the map window, driven by the map\'s input (fake clock, no processes)', () => {
  function setup(opts: { wall?: number | null; refuse?: string } = {}) {
    let wall: number | null = opts.wall === undefined ? 77 : opts.wall;
    const calls: Array<[number, number]> = [];
    const warnings: string[] = [];
    const y = new WallYield({
      findWall: () => wall,
      setNice: (pid, nice) => { if (opts.refuse) return opts.refuse; calls.push([pid, nice]); return null; },
      log: { info: () => {}, warn: (m) => { warnings.push(m); } },
      holdMs: 5000,
    });
    return { y, calls, warnings, setWall: (p: number | null) => { wall = p; } };
  }
  afterEach(() => { vi.useRealTimers(); });

  it('lowers the wall on the first input, keeps it while input goes on, and gives it back 5 s after the last one', () => {
    vi.useFakeTimers();
    const { y, calls } = setup();
    expect(y.interacting()).toBe(true);
    expect(calls).toEqual([[77, WALL_NICE_WITH_MAP]]);
    vi.advanceTimersByTime(4000);
    expect(y.interacting()).toBe(true); // the hold starts again, the nice written again (a reset from outside does not last)
    vi.advanceTimersByTime(4000);
    expect(calls).toEqual([[77, WALL_NICE_WITH_MAP], [77, WALL_NICE_WITH_MAP]]); // still lowered 8 s after the first input
    vi.advanceTimersByTime(1001);
    expect(calls).toEqual([[77, WALL_NICE_WITH_MAP], [77, WALL_NICE_WITH_MAP], [77, 0]]);
  });

  it('gives the priority back at once when the map window goes, and not to a pid that is no longer the wall', () => {
    vi.useFakeTimers();
    const a = setup();
    a.y.interacting();
    a.y.release();
    expect(a.calls).toEqual([[77, WALL_NICE_WITH_MAP], [77, 0]]);
    vi.advanceTimersByTime(10_000);
    expect(a.calls).toHaveLength(2); // the hold's timer went with it
    const b = setup();
    b.y.interacting();
    b.setWall(null); // the wall's browser went (its pid may be reused by anything)
    vi.advanceTimersByTime(5001);
    expect(b.calls).toEqual([[77, WALL_NICE_WITH_MAP]]);
  });

  it('does nothing without a wall browser, and says once why a refused one keeps its priority', () => {
    const none = setup({ wall: null });
    expect(none.y.interacting()).toBe(false);
    expect(none.calls).toEqual([]);
    const refused = setup({ refuse: 'autogroups are off (kernel.sched_autogroup_enabled)' });
    expect(refused.y.interacting()).toBe(false);
    expect(refused.y.interacting()).toBe(false);
    expect(refused.warnings).toEqual(['the wall browser keeps its CPU priority']);
  });
});
