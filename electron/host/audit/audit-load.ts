/**
 * The audit under load (issue 12 §6, `npm run bench:access`): appends entries at a set rate on the host's own thread, in
 * 10 ms ticks, through the same path as every access entry (sealed, hash-chained, stored, checkpointed every 1,000), so
 * a benchmark can watch the wall while the audit writes 5,000 entries a second. A diagnostics hook: the host refuses it
 * unless started with diagnostics on.
 */
import type { AuditLoadResult } from '../../contract/audit-api.js';

export const LOAD_TICK_MS = 10;
/** At most this many ticks' worth of entries in one tick: a backlog is carried over, so frames still go out between ticks. */
const MAX_TICKS_PER_TICK = 4;
/** What the synthetic entries are called (an auditor's search can leave them out: `actions`). */
export const LOAD_ACTION = 'diagnostics.load';

export interface AuditLoadPlan { perSecond: number; seconds: number; cameraIds: readonly string[]; user: string }

/**
 * Appends `perSecond x seconds` entries, each tick catching up with the schedule (at most MAX_TICKS_PER_TICK ticks' worth,
 * as requests queued on a socket would be taken between frames); resolves with the rate achieved. When appending is
 * slower than the schedule the backlog grows and the run lasts longer: `perSecond` is then what the audit can carry,
 * not the rate asked for, and `lagMsMax` how far behind it fell.
 */
export async function runAuditLoad(plan: AuditLoadPlan, append: (user: string, action: string, target: string, details: string) => void, now: () => number = () => performance.now()): Promise<AuditLoadResult> {
  const total = Math.max(1, Math.round(plan.perSecond * plan.seconds));
  const maxPerTick = Math.max(1, Math.ceil((plan.perSecond * LOAD_TICK_MS * MAX_TICKS_PER_TICK) / 1000));
  const t0 = now();
  const ticks: number[] = [];
  let appended = 0, lagMsMax = 0;
  while (appended < total) {
    await new Promise((r) => setTimeout(r, LOAD_TICK_MS));
    const start = now();
    const scheduled = Math.min(total, Math.floor(((start - t0) / 1000) * plan.perSecond));
    if (scheduled > appended) lagMsMax = Math.max(lagMsMax, ((scheduled - appended) / plan.perSecond) * 1000);
    const due = Math.min(scheduled, appended + maxPerTick);
    for (; appended < due; appended++) {
      const at = Date.now();
      // the size and shape of a view interval (view-audit.ts), so the cost per entry is the real one
      append(plan.user, LOAD_ACTION, `camera:${plan.cameraIds[appended % plan.cameraIds.length]!}`,
        JSON.stringify({ display: 'bench', from: at - 60_000, n: appended, session: 'diagnostics', source: 'diagnostics', to: at }));
    }
    ticks.push(now() - start);
  }
  const seconds = (now() - t0) / 1000;
  const sorted = ticks.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return {
    appended, seconds: r2(seconds), perSecond: Math.round(appended / seconds), lagMsMax: r2(lagMsMax),
    tickMsP50: r2(at(50)), tickMsP99: r2(at(99)), tickMsMax: r2(sorted.at(-1) ?? 0),
  };
}
