/**
 * How often the demo city raises alarms: at a rate an operator can work. Pure scheduling over injected timers
 * (unit-tested with fake timers); demo-events.ts decides what each alarm is.
 *  - an opening burst: one alarm of each kind, `openingGapMs` apart, so a newcomer sees every kind in the first seconds;
 *  - then a steady `perMinute` (intervals drawn between 0.5x and 1.5x of the mean);
 *  - and now and then (`burstEveryMs`, +-25 %) a burst of `burstSize` alarms `burstGapMs` apart;
 *  - never the same camera and kind twice within `noRepeatMs`; among the candidates, the kind raised longest ago first.
 */

/** Something the demo can raise: `kind` is the alarm's event type (and variant), `key` is camera + kind. */
export interface PaceCandidate { key: string; kind: string }

export interface PaceOptions {
  perMinute: number;
  burstEveryMs: number;
  burstSize: number;
  burstGapMs: number;
  openingGapMs: number;
  noRepeatMs: number;
  /** Seed of the jitter (same seed, same schedule). */
  seed: number;
}

/** The demo's default: 3 a minute, a burst of 4 about every 5 minutes (about 3.8 a minute in all). */
export const DEMO_PACE: PaceOptions = { perMinute: 3, burstEveryMs: 5 * 60_000, burstSize: 4, burstGapMs: 2000, openingGapMs: 1500, noRepeatMs: 10 * 60_000, seed: 1 };

/** mulberry32: a small seeded generator, 0 <= x < 1. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Pacer { stop(): void }

/**
 * Starts raising alarms: `candidates()` is asked at each moment (cameras come and go), `fire` raises the one chosen.
 * Timers are the global setTimeout (fake timers in tests); `now` defaults to Date.now.
 */
export function startPacer<C extends PaceCandidate>(candidates: () => C[], fire: (c: C) => void, opts: PaceOptions = DEMO_PACE, now: () => number = Date.now): Pacer {
  const rnd = random(opts.seed);
  const lastByKey = new Map<string, number>();
  const lastByKind = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => { timers.delete(t); if (!stopped) fn(); }, ms);
    t.unref?.();
    timers.add(t);
  };

  /** Raises one alarm: eligible candidates (not repeated too soon), the kind raised longest ago, a random one of those. */
  const raise = (onlyKind?: string): boolean => {
    const t = now();
    const eligible = candidates().filter((c) => (onlyKind === undefined || c.kind === onlyKind) && t - (lastByKey.get(c.key) ?? -Infinity) >= opts.noRepeatMs);
    if (!eligible.length) return false;
    const age = (c: C) => lastByKind.get(c.kind) ?? -Infinity;
    const oldest = Math.min(...eligible.map(age));
    const pool = eligible.filter((c) => age(c) === oldest);
    const pick = pool[Math.floor(rnd() * pool.length)]!;
    lastByKey.set(pick.key, t);
    lastByKind.set(pick.kind, t);
    fire(pick);
    return true;
  };

  const steady = () => { raise(); later((60_000 / opts.perMinute) * (0.5 + rnd()), steady); };
  const burst = () => {
    for (let i = 0; i < opts.burstSize; i++) later(i * opts.burstGapMs, () => { raise(); });
    later(opts.burstEveryMs * (0.75 + rnd() * 0.5), burst);
  };
  // opening: each kind once, in the order the candidates list them
  const kinds = [...new Set(candidates().map((c) => c.kind))];
  kinds.forEach((kind, i) => later(i * opts.openingGapMs, () => { raise(kind); }));
  const opened = kinds.length * opts.openingGapMs;
  later(opened + (60_000 / opts.perMinute) * (0.5 + rnd()), steady);
  later(opened + opts.burstEveryMs * (0.75 + rnd() * 0.5), burst);
  return { stop() { stopped = true; for (const t of timers) clearTimeout(t); timers.clear(); } };
}
