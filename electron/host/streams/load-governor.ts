/**
 * The decode budget measured, not guessed: the policy's cost model is an estimate (streams differ in
 * bitrate and content), so the service also watches how busy the machine really is and shrinks the
 * budget while the CPU is saturated (the policy then downgrades the smallest tiles first), and grows
 * it back slowly when there is clear headroom. Pure state machine; the service feeds it samples.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

export interface GovernorOptions {
  /** Busy % (whole machine) at which the budget shrinks, and the one below which it may grow. */
  highPct?: number;
  lowPct?: number;
  /** Consecutive 1-second samples needed before acting. */
  highSamples?: number;
  lowSamples?: number;
  minScale?: number;
}

export class LoadGovernor {
  scale = 1;
  private high = 0;
  private low = 0;
  constructor(private readonly o: GovernorOptions = {}) {}

  /** Feeds one busy % sample; returns true when the budget scale changed. */
  sample(busyPct: number): boolean {
    const { highPct = 95, lowPct = 85, highSamples = 3, lowSamples = 5, minScale = 0.25 } = this.o;
    if (busyPct >= highPct) { this.high++; this.low = 0; } else if (busyPct <= lowPct) { this.low++; this.high = 0; } else { this.high = 0; this.low = 0; }
    if (this.high >= highSamples && this.scale > minScale) {
      this.scale = Math.max(minScale, Math.round(this.scale * 0.85 * 100) / 100);
      this.high = 0;
      return true;
    }
    if (this.low >= lowSamples && this.scale < 1) {
      this.scale = Math.min(1, Math.round(this.scale * 1.1 * 100) / 100);
      this.low = 0;
      return true;
    }
    return false;
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
