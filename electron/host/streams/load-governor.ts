/**
 * The decode budget measured, not guessed: the policy's cost model is an estimate (streams differ in
 * bitrate and content), so the service also watches how busy the machine really is and shrinks the
 * budget while the CPU is saturated (the policy then downgrades the smallest tiles first). It grows the
 * budget back as fast as the headroom allows: a load spike that has passed must not leave the wall on key
 * frames for a minute (issue 12: ~1 fps for more than 73 s after an audit burst with the old x1.1 per 5 s).
 *
 * The policy, a pure reducer fed one busy % sample a second (docs/architecture.md, "The load governor"):
 * - overload (>= highPct for highMs): the scale shrinks x0.85, floor minScale; if the scale grew less than
 *   probeMs ago, that growth overshot: it goes straight back to where it was and the scale it tried becomes a
 *   ceiling for ceilingMs (so the governor does not probe the same height again and again);
 * - quiet (<= lowPct for lowMs): the scale grows to what the headroom says fits in the middle of the dead band,
 *   assuming the whole busy share scales with it (scale x targetPct / busy: exact when the wall is the whole load,
 *   cautious otherwise), at least x minGrowth while no ceiling stands and at most x maxGrowth a step; or it jumps
 *   back to the last scale that held for holdMs without overload, whichever is larger. Under a ceiling only the
 *   headroom rule grows it, to no more than halfway between the scale it fell back to and the ceiling;
 * - in between (the dead band) nothing moves, so a steady load there cannot make the budget oscillate.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

export interface GovernorOptions {
  /** Busy % (whole machine) at or above which the budget shrinks, and the one at or below which it may grow. */
  highPct?: number;
  lowPct?: number;
  /** How long (ms) the machine must stay overloaded before a cut, and quiet before a growth. */
  highMs?: number;
  lowMs?: number;
  /** A cut this soon (ms) after a growth undoes the growth. */
  probeMs?: number;
  /** How long (ms) a scale that overloaded the machine right after a growth stays a ceiling. */
  ceilingMs?: number;
  /** A scale held this long (ms) without overload is remembered as sustainable. */
  holdMs?: number;
  minScale?: number;
  /** Busy % a growth aims at (the middle of the dead band). */
  targetPct?: number;
  /** Smallest and largest growth factor of one step (the smallest only while no ceiling stands). */
  minGrowth?: number;
  maxGrowth?: number;
}

export const GOVERNOR_DEFAULTS: Required<GovernorOptions> = {
  highPct: 95, lowPct: 85, highMs: 3000, lowMs: 2000, probeMs: 6000, ceilingMs: 60_000, holdMs: 10_000, minScale: 0.25, targetPct: 90, minGrowth: 1.5, maxGrowth: 4,
};

/** Why the scale last moved (logged with it). */
export type GovernorMove = 'overload' | 'overshoot' | 'headroom' | 'restore';

export interface GovernorState {
  /** Share of the decode budget the policy may use, minScale..1. */
  scale: number;
  /** Epoch ms of the previous sample (a sample covers the time since it), null before the first. */
  prevAt: number | null;
  /** Start of the current run of overloaded / quiet samples, null outside one. */
  highSince: number | null;
  lowSince: number | null;
  /** Start of the current time without overload at this scale (reset by every move and every overloaded sample). */
  steadySince: number | null;
  /** The last scale that held holdMs without overload, null before one did. */
  sustainable: number | null;
  /** The last growth (from -> to, at), for undoing it when it overloads the machine. */
  grew: { from: number; at: number } | null;
  /** A scale that overloaded the machine right after growing to it, the scale that held below it, and until when it caps growth. */
  ceiling: { scale: number; below: number; until: number } | null;
  /** The last move, for the log. */
  move: GovernorMove | null;
}

export function initialGovernor(): GovernorState {
  return { scale: 1, prevAt: null, highSince: null, lowSince: null, steadySince: null, sustainable: null, grew: null, ceiling: null, move: null };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** One busy % sample (the whole machine since the previous sample) taken at epoch ms `at`: the next state. */
export function reduceGovernor(s: GovernorState, busyPct: number, at: number, options: GovernorOptions = {}): GovernorState {
  const o = { ...GOVERNOR_DEFAULTS, ...options };
  const start = s.prevAt ?? at; // this sample covers [start, at]
  const high = busyPct >= o.highPct;
  const low = busyPct <= o.lowPct;
  const ceiling = s.ceiling && s.ceiling.until > at ? s.ceiling : null;
  const next: GovernorState = {
    ...s, prevAt: at, ceiling,
    highSince: high ? (s.highSince ?? start) : null,
    lowSince: low ? (s.lowSince ?? start) : null,
    steadySince: high ? null : (s.steadySince ?? start),
  };
  if (next.steadySince !== null && at - next.steadySince >= o.holdMs) next.sustainable = next.scale;
  const moved = (scale: number, move: GovernorMove, extra: Partial<GovernorState> = {}): GovernorState =>
    ({ ...next, scale, move, highSince: null, lowSince: null, steadySince: at, ...extra });

  if (next.highSince !== null && at - next.highSince >= o.highMs) {
    if (s.grew && at - s.grew.at <= o.probeMs && s.grew.from < next.scale) {
      // the last growth overloaded the machine: back to where it held, and do not try that height again soon
      return moved(s.grew.from, 'overshoot', { grew: null, ceiling: { scale: next.scale, below: s.grew.from, until: at + o.ceilingMs }, sustainable: s.grew.from });
    }
    if (next.scale > o.minScale) return moved(Math.max(o.minScale, round2(next.scale * 0.85)), 'overload', { grew: null });
    return { ...next, highSince: at }; // at the floor: nothing left to cut
  }
  if (next.lowSince !== null && at - next.lowSince >= o.lowMs && next.scale < 1) {
    const headroom = o.targetPct / Math.max(1, busyPct);
    const fits = next.scale * Math.min(o.maxGrowth, ceiling ? headroom : Math.max(o.minGrowth, headroom));
    const restore = ceiling ? 0 : (next.sustainable ?? 0);
    const cap = ceiling ? Math.floor((ceiling.scale + ceiling.below) * 50) / 100 : 1;
    const target = Math.min(1, cap, round2(Math.max(fits, restore)));
    if (target > next.scale) return moved(target, restore > fits ? 'restore' : 'headroom', { grew: { from: next.scale, at } });
    return { ...next, lowSince: at };
  }
  return next;
}

/** The service's handle on the reducer: feeds samples, says when the scale moved. */
export class LoadGovernor {
  private state = initialGovernor();
  constructor(private readonly o: GovernorOptions = {}) {}

  get scale(): number { return this.state.scale; }
  /** Why the scale last moved. */
  get move(): GovernorMove | null { return this.state.move; }

  /** Feeds one busy % sample taken at epoch ms `at`; returns true when the budget scale changed. */
  sample(busyPct: number, at: number): boolean {
    const before = this.state.scale;
    this.state = reduceGovernor(this.state, busyPct, at, this.o);
    return this.state.scale !== before;
  }
}

/** A window painting less than this share of the frames it receives is behind: the budget shrinks as if saturated. */
export const PAGE_BEHIND_PCT = 75;
/** Between behind and this share the budget holds (a dead band, so a window at its limit does not oscillate). */
export const PAGE_OK_PCT = 90;

/**
 * What the governor is fed: the machine's busy %, raised when some window paints too few of the frames it receives
 * (its main thread, not the machine, is the limit: the smallest tiles then go to key frames only, visibly, instead of
 * every tile stuttering). `worstPaintedPct` is the lowest share reported by a window in the last seconds, or null.
 */
export function governorInput(busyPct: number, worstPaintedPct: number | null): number {
  if (worstPaintedPct === null) return busyPct;
  if (worstPaintedPct < PAGE_BEHIND_PCT) return Math.max(busyPct, 100);
  if (worstPaintedPct < PAGE_OK_PCT) return Math.max(busyPct, 90);
  return busyPct;
}

/** Whole-machine busy % since the previous call, from /proc/stat (load average elsewhere). */
export function machineBusySampler(): () => number {
  let prev: { busy: number; total: number } | null = null;
  const read = () => {
    const v = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  };
  return () => {
    try {
      const now = read();
      const pct = prev ? ((now.busy - prev.busy) / Math.max(1, now.total - prev.total)) * 100 : 0;
      prev = now;
      return pct;
    } catch {
      return Math.min(100, (loadavg()[0]! / cpus().length) * 100);
    }
  };
}
