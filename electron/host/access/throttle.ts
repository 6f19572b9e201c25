/**
 * Brute-force throttling per user name and per source (a browser's address, the desktop console): after a few free
 * failures every further attempt waits a growing delay, and after `lockAfter` failures the user (or the source) is
 * locked for `lockMs`. Failures older than `windowMs` are forgotten. Pure apart from the clock it is given.
 */

export interface ThrottlePolicy {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** First delay; doubles with each further failure up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failures of one user name within windowMs that lock it. */
  lockAfter: number;
  /** Failures from one source within windowMs that lock the source (several user names tried). */
  sourceLockAfter: number;
  lockMs: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 30_000, lockAfter: 10, sourceLockAfter: 30, lockMs: 15 * 60_000, windowMs: 15 * 60_000,
};

export type ThrottleVerdict =
  | { ok: true }
  | { ok: false; kind: 'wait' | 'locked'; scope: 'user' | 'source'; until: number };

interface Counter { failures: number; first: number; last: number; lockedUntil: number }

export class BruteForceGuard {
  private readonly users = new Map<string, Counter>();
  private readonly sources = new Map<string, Counter>();

  constructor(private readonly policy: ThrottlePolicy, private readonly now: () => number = Date.now) {}

  /** May this user try from this source now? */
  check(user: string, source: string): ThrottleVerdict {
    const t = this.now();
    for (const [scope, map, key] of [['user', this.users, user], ['source', this.sources, source]] as const) {
      const c = this.current(map, key, t);
      if (!c) continue;
      if (c.lockedUntil > t) return { ok: false, kind: 'locked', scope, until: c.lockedUntil };
      const wait = this.delayAfter(c.failures);
      if (wait > 0 && t < c.last + wait) return { ok: false, kind: 'wait', scope, until: c.last + wait };
    }
    return { ok: true };
  }

  /** Records a failed attempt; returns the verdict for the next one (locked or wait). */
  failure(user: string, source: string): ThrottleVerdict {
    const t = this.now();
    this.bump(this.users, user, t, this.policy.lockAfter);
    this.bump(this.sources, source, t, this.policy.sourceLockAfter);
    if (this.users.size > 10_000) this.sweep(this.users, t);
    if (this.sources.size > 10_000) this.sweep(this.sources, t);
    return this.check(user, source);
  }

  /** A successful sign-in clears the user's failures (not the source's: one good account must not reset a spray). */
  success(user: string): void { this.users.delete(user); }

  /** An administrator unlocked the user. */
  clear(user: string): void { this.users.delete(user); }

  /** Seeds a lock kept in the store (a lockout survives a restart). */
  restoreLock(user: string, until: number): void {
    if (until > this.now()) this.users.set(user, { failures: this.policy.lockAfter, first: this.now(), last: this.now(), lockedUntil: until });
  }

  lockedUntil(user: string): number | null {
    const c = this.users.get(user);
    return c && c.lockedUntil > this.now() ? c.lockedUntil : null;
  }

  private delayAfter(failures: number): number {
    const over = failures - this.policy.freeFailures - 1;
    if (over < 0) return 0;
    return Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** Math.min(over, 20));
  }

  private current(map: Map<string, Counter>, key: string, t: number): Counter | null {
    const c = map.get(key);
    if (!c) return null;
    if (c.lockedUntil <= t && t - c.last > this.policy.windowMs) { map.delete(key); return null; }
    return c;
  }

  private bump(map: Map<string, Counter>, key: string, t: number, lockAfter: number): void {
    let c = this.current(map, key, t);
    if (!c || (c.lockedUntil > 0 && c.lockedUntil <= t)) { c = { failures: 0, first: t, last: t, lockedUntil: 0 }; map.set(key, c); }
    c.failures++;
    c.last = t;
    if (c.failures >= lockAfter && c.lockedUntil <= t) c.lockedUntil = t + this.policy.lockMs;
  }

  private sweep(map: Map<string, Counter>, t: number): void {
    for (const [k, c] of map) if (c.lockedUntil <= t && t - c.last > this.policy.windowMs) map.delete(k);
  }
}
