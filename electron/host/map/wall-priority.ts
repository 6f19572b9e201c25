/**
 * The map before the wall while the operator's hand is on it (issue 10 §6, docs/map.md "The map window first").
 * Without a GPU the map's pan and zoom frames are composited in software on the same two cores the wall paints sixteen
 * cameras on; at equal priority a frame of the map waits behind the wall's painting (pan/zoom first frame p95 46-89 ms
 * against 27-39 with the wall at a lower priority, in the same runs). So while the operator pans or zooms the host's
 * map window (the page says so, `map.interacting`), the wall's browser runs at a lower CPU priority, as a desktop
 * boosts the window in the user's hand: its session's autogroup (Linux, `/proc/<pid>/autogroup`: every Chromium the
 * project starts is a session of its own) gets nice WALL_NICE_WITH_MAP, and 0 again WALL_YIELD_MS after the last input
 * or when the map window closes. At any other time the wall keeps its full share (with the wall yielding for as long
 * as the map was open, its slowest tile painted 23.6 fps while units moved, under the 24 the issue asks).
 * Where autogroups do not apply (turned off, or the browser in a CPU cgroup of its own, as desktop sessions under
 * systemd do) nothing is changed and the reason is returned, for the log. Plain Node; the pure parts unit-tested.
 */
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The wall browser's autogroup nice while the map is in the operator's hand (weight 110 against 1,024 at nice 0). */
export const WALL_NICE_WITH_MAP = 10;
/** How long after the map's last pan or zoom input the wall yields (a gesture's pauses, the sharp draw after it). */
export const WALL_YIELD_MS = 5000;

const read = (path: string): string | null => { try { return readFileSync(path, 'utf8'); } catch { return null; } };

/**
 * The pid of the Chromium running with this profile: Chromium's `SingletonLock` names `<host>-<pid>`, and the process
 * must be alive with `--user-data-dir=<profileDir>` on its command line (a stale lock or a reused pid is not it).
 */
export function browserOfProfile(profileDir: string): number | null {
  let pid: number;
  try { pid = Number(/-(\d+)$/.exec(readlinkSync(join(profileDir, 'SingletonLock')))?.[1]); } catch { return null; }
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) return null;
  return read(`/proc/${pid}/cmdline`)?.split('\0').includes(`--user-data-dir=${profileDir}`) ? pid : null;
}

/** The CPU cgroup a process is in, from /proc/<pid>/cgroup: the v1 hierarchy with the `cpu` controller, else v2's. */
export function cpuCgroup(cgroupFile: string): string | null {
  const lines = cgroupFile.split('\n').filter(Boolean).map((l) => l.split(':'));
  const v1 = lines.find((f) => f.length >= 3 && f[1]!.split(',').includes('cpu'));
  if (v1) return v1.slice(2).join(':');
  const v2 = lines.find((f) => f[0] === '0' && f[1] === '');
  return v2 ? v2.slice(2).join(':') : null;
}

/** Why a process's autogroup nice would not change its share of the CPU (null: it would). Pure, for the unit tests. */
export function autogroupRefusal(pid: number, f: { enabled: string | null; stat: string | null; cgroup: string | null }): string | null {
  if (f.enabled?.trim() !== '1') return 'autogroups are off (kernel.sched_autogroup_enabled)';
  if (!f.stat) return `process ${pid} is gone`;
  // /proc/<pid>/stat: "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses
  const session = Number(f.stat.slice(f.stat.lastIndexOf(')') + 2).split(' ')[3]);
  if (session !== pid) return `process ${pid} does not lead its session (its autogroup is shared)`;
  const cg = f.cgroup ? cpuCgroup(f.cgroup) : null;
  if (cg !== '/') return `process ${pid} is in the CPU cgroup ${cg ?? '(unknown)'}: autogroups apply only in the root one`;
  return null;
}

/** Why process `pid`'s autogroup nice would not change its share of the CPU on this machine now (null: it would). */
export function autogroupRefusalNow(pid: number): string | null {
  return autogroupRefusal(pid, { enabled: read('/proc/sys/kernel/sched_autogroup_enabled'), stat: read(`/proc/${pid}/stat`), cgroup: read(`/proc/${pid}/cgroup`) });
}

/**
 * Sets the autogroup nice of the session `pid` leads. Returns null when set, otherwise why not (nothing was changed).
 * A nice of 0 or more needs no privilege on a process of the same user.
 */
export function setSessionNice(pid: number, nice: number): string | null {
  const refusal = autogroupRefusalNow(pid);
  if (refusal) return refusal;
  try { writeFileSync(`/proc/${pid}/autogroup`, String(nice)); } catch (err) { return `cannot write /proc/${pid}/autogroup: ${err instanceof Error ? err.message : String(err)}`; }
  return null;
}

/** A session's autogroup nice now (null: unknown), as /proc/<pid>/autogroup says it ("/autogroup-N nice K"). */
export function sessionNice(pid: number): number | null {
  const m = /nice\s+(-?\d+)/.exec(read(`/proc/${pid}/autogroup`) ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * The wall's yielding to the map window, driven by the map's input: `interacting()` on every `map.interacting` (the
 * wall's browser found by `findWall` and lowered, a timer re-armed), `release()` when the map window goes. Timers and
 * the two system calls are given, so the unit tests run it on a fake clock without processes.
 */
export class WallYield {
  private pid: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private refusedWhy: string | null = null;

  constructor(private readonly d: {
    findWall: () => number | null;
    setNice: (pid: number, nice: number) => string | null;
    log: { info(msg: string, data?: Record<string, unknown>): void; warn(msg: string, data?: Record<string, unknown>): void };
    holdMs?: number;
  }) {}

  /**
   * The operator pans or zooms the map now: true when the wall yields (for the next holdMs). The nice is written on
   * every call (once a second while the hand moves: one small write), so a reset from outside does not last.
   */
  interacting(): boolean {
    const pid = this.pid ?? this.d.findWall();
    if (pid === null) return false;
    const why = this.d.setNice(pid, WALL_NICE_WITH_MAP);
    if (why) {
      if (why !== this.refusedWhy) this.d.log.warn('the wall browser keeps its CPU priority', { pid, why });
      this.refusedWhy = why;
      return false;
    }
    if (this.pid === null) this.d.log.info('the wall browser yields the CPU to the map window', { pid, nice: WALL_NICE_WITH_MAP });
    this.pid = pid;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.release(), this.d.holdMs ?? WALL_YIELD_MS);
    this.timer.unref?.();
    return true;
  }

  /** The wall's priority back (the hand left the map, or the map window went); only while that pid is still the wall's. */
  release(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const pid = this.pid;
    this.pid = null;
    if (pid === null || this.d.findWall() !== pid) return;
    const why = this.d.setNice(pid, 0);
    if (why) this.d.log.warn('the wall browser did not get its CPU priority back', { pid, why });
    else this.d.log.info('the wall browser has its CPU priority back', { pid });
  }
}
