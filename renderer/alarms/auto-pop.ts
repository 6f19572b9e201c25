/**
 * Auto-pop policy: which tile, if any, shows a new alarm's camera. Pure: state in, decision out.
 * - Only tiles designated as alarm tiles are ever used, so a storm takes at most those tiles.
 * - A pinned tile is never taken.
 * - Each alarm tile changes at most once per `minIntervalMs` (rate limit) ...
 * - ... unless the new alarm is more urgent than what the tile shows (priority pre-emption).
 */
export interface AutoPopConfig {
  /** Tile indexes designated for alarms, in order of preference. */
  alarmTiles: readonly number[];
  minIntervalMs: number;
  /** Alarms with a priority number above this never pop (5 = all). */
  maxPriority: number;
}
export interface AutoPopSlot { alarmId: string; cameraId: string; priority: number; at: number }
export type AutoPopState = ReadonlyMap<number, AutoPopSlot>;
export interface PopCandidate { id: string; cameraId: string; priority: number }

export type AutoPopDecision = { kind: 'pop'; tile: number; preempted: string | null } | { kind: 'skip'; reason: string };

export const DEFAULT_AUTO_POP: AutoPopConfig = { alarmTiles: [], minIntervalMs: 10_000, maxPriority: 2 };

export function decideAutoPop(cfg: AutoPopConfig, state: AutoPopState, alarm: PopCandidate, pinned: (tile: number) => boolean, now: number): AutoPopDecision {
  if (alarm.priority > cfg.maxPriority) return { kind: 'skip', reason: `priority ${alarm.priority} does not pop (P1-P${cfg.maxPriority} do)` };
  const tiles = cfg.alarmTiles.filter((t) => !pinned(t));
  if (!tiles.length) return { kind: 'skip', reason: cfg.alarmTiles.length ? 'every alarm tile is pinned' : 'no alarm tile designated' };
  if (tiles.some((t) => state.get(t)?.cameraId === alarm.cameraId)) return { kind: 'skip', reason: 'camera already on an alarm tile' };
  const empty = tiles.find((t) => !state.has(t));
  if (empty !== undefined) return { kind: 'pop', tile: empty, preempted: null };
  const slots = tiles.map((t) => ({ t, s: state.get(t)! }));
  // Free after the rate limit: least urgent first, then the oldest.
  const free = slots.filter(({ s }) => now - s.at >= cfg.minIntervalMs && s.priority >= alarm.priority)
    .sort((a, b) => b.s.priority - a.s.priority || a.s.at - b.s.at)[0];
  if (free) return { kind: 'pop', tile: free.t, preempted: free.s.alarmId };
  // Within the rate limit only a more urgent alarm pre-empts a less urgent one.
  const weaker = slots.filter(({ s }) => s.priority > alarm.priority).sort((a, b) => b.s.priority - a.s.priority || a.s.at - b.s.at)[0];
  if (weaker) return { kind: 'pop', tile: weaker.t, preempted: weaker.s.alarmId };
  return { kind: 'skip', reason: 'alarm tiles busy with alarms as urgent (rate limit)' };
}

export function applyPop(state: AutoPopState, tile: number, alarm: PopCandidate, now: number): Map<number, AutoPopSlot> {
  const next = new Map(state);
  next.set(tile, { alarmId: alarm.id, cameraId: alarm.cameraId, priority: alarm.priority, at: now });
  return next;
}
