/**
 * Deletion policies. Pure: the recording service applies the plans.
 * - Retention: by age, then by quota / free disk, oldest first; segments overlapping an evidence lock
 *   of their camera are never deleted (a plan reports what locks kept instead).
 * - Event mode: footage outside every trigger's [at - pre, at + post] goes once it is older than
 *   the pre-event buffer (until then it may become the buffer of a trigger to come).
 */
import type { Segment } from './segment.js';

export interface LockRange { cameraIds: readonly string[]; fromMs: number; toMs: number }

export interface RetentionInput {
  segments: readonly Segment[];
  locks: readonly LockRange[];
  now: number;
  maxAgeMs: number;
  /** Bytes recordings may use; 0 = no quota. */
  quotaBytes: number;
  /** Further bytes to free (the disk is short of its free-space floor). */
  mustFreeBytes: number;
}

export interface RetentionPlan {
  delete: Segment[];
  /** Bytes that should have gone but are evidence-locked (0 when the plan meets every limit). */
  shortfallBytes: number;
}

export function isLocked(s: Segment, locks: readonly LockRange[]): boolean {
  return locks.some((l) => l.cameraIds.includes(s.cameraId) && s.startMs < l.toMs && s.endMs > l.fromMs);
}

export function planRetention(i: RetentionInput): RetentionPlan {
  const oldestFirst = [...i.segments].sort((a, b) => a.endMs - b.endMs || a.startMs - b.startMs || a.file.localeCompare(b.file));
  const doomed = new Set<Segment>();
  for (const s of oldestFirst) if (i.now - s.endMs > i.maxAgeMs && !isLocked(s, i.locks)) doomed.add(s);
  const used = oldestFirst.reduce((n, s) => n + (doomed.has(s) ? 0 : s.bytes), 0);
  let need = Math.max(i.quotaBytes > 0 ? used - i.quotaBytes : 0, 0) + Math.max(i.mustFreeBytes, 0);
  for (const s of oldestFirst) {
    if (need <= 0) break;
    if (doomed.has(s) || isLocked(s, i.locks)) continue;
    doomed.add(s);
    need -= s.bytes;
  }
  return { delete: oldestFirst.filter((s) => doomed.has(s)), shortfallBytes: Math.max(need, 0) };
}

export interface EventWindowInput {
  /** One camera's segments. */
  segments: readonly Segment[];
  /** Epoch ms of that camera's triggers. */
  triggers: readonly number[];
  preMs: number;
  postMs: number;
  now: number;
  locks: readonly LockRange[];
}

export function planEventDiscard(i: EventWindowInput): Segment[] {
  return i.segments.filter((s) => s.endMs < i.now - i.preMs
    && !i.triggers.some((t) => s.startMs < t + i.postMs && s.endMs > t - i.preMs)
    && !isLocked(s, i.locks));
}
