/**
 * Timeline model: recorded spans and gaps of one camera between two instants, from its segments.
 * Pure. Adjacent segments closer than the tolerance merge into one recorded span (segment joins
 * and timestamp jitter are not gaps); anything longer is a gap, shown as one.
 */
import type { Bookmark, EvidenceLock, TimelineMarker, TimelineSpan } from '../../contract/review-api.js';
import type { Segment } from './segment.js';

/** Joins shorter than this are not gaps (a segment boundary costs up to a frame or two of jitter). */
export const GAP_TOLERANCE_MS = 1500;

/** Segments overlapping [fromMs, toMs), sorted by start. */
export function segmentsIn(sorted: readonly Segment[], fromMs: number, toMs: number): Segment[] {
  // binary search for the first segment that may end after fromMs (segments are sorted by start, mostly disjoint)
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as Segment).startMs < fromMs - 3_600_000) lo = mid + 1; else hi = mid;
  }
  const out: Segment[] = [];
  for (let i = lo; i < sorted.length; i++) {
    const s = sorted[i] as Segment;
    if (s.startMs >= toMs) break;
    if (s.endMs > fromMs) out.push(s);
  }
  return out;
}

export function buildSpans(sorted: readonly Segment[], fromMs: number, toMs: number, toleranceMs = GAP_TOLERANCE_MS): TimelineSpan[] {
  const spans: TimelineSpan[] = [];
  let cursor = fromMs;
  const push = (startMs: number, endMs: number, kind: TimelineSpan['kind']) => {
    if (endMs <= startMs) return;
    const last = spans[spans.length - 1];
    if (last && last.kind === kind && startMs - last.endMs <= (kind === 'gap' ? 0 : toleranceMs)) { last.endMs = Math.max(last.endMs, endMs); return; }
    spans.push({ startMs, endMs, kind });
  };
  for (const s of segmentsIn(sorted, fromMs, toMs)) {
    const start = Math.max(s.startMs, fromMs);
    const end = Math.min(s.endMs, toMs);
    if (end <= cursor) continue;
    if (start - cursor > toleranceMs) push(cursor, start, 'gap');
    const from = Math.max(start, cursor);
    const last = spans[spans.length - 1];
    const kind = s.status === 'corrupt' ? 'corrupt' : 'recorded';
    // a short join between two recorded spans is bridged rather than shown as a sliver of gap
    push(last && last.kind === kind && from - last.endMs <= toleranceMs ? last.endMs : from, end, kind);
    cursor = Math.max(cursor, end);
  }
  if (toMs - cursor > toleranceMs) push(cursor, toMs, 'gap');
  return spans;
}

/** A bookmark belongs to [fromMs, toMs) when it is at a moment inside it; a lock when it overlaps it. */
export const bookmarkIn = (b: Bookmark, fromMs: number, toMs: number): boolean => b.atMs >= fromMs && b.atMs < toMs;
export const lockOverlaps = (l: EvidenceLock, fromMs: number, toMs: number): boolean => l.fromMs < toMs && l.toMs > fromMs;

/**
 * A camera's timeline marks of bookmarks (at a moment in [fromMs, toMs)) and evidence locks (overlapping it): this
 * console's (recording-service) and an imported incident package's (evidence.json), by one rule.
 */
export function evidenceMarkers(bookmarks: readonly Bookmark[], locks: readonly EvidenceLock[], cameraId: string, fromMs: number, toMs: number): TimelineMarker[] {
  return [
    ...bookmarks.filter((b) => b.cameraId === cameraId && bookmarkIn(b, fromMs, toMs))
      .map((b) => ({ id: b.id, cameraId, kind: 'bookmark' as const, atMs: b.atMs, ...(b.endMs !== undefined ? { endMs: b.endMs } : {}), text: b.comment })),
    ...locks.filter((l) => l.cameraIds.includes(cameraId) && lockOverlaps(l, fromMs, toMs))
      .map((l) => ({ id: l.id, cameraId, kind: 'lock' as const, atMs: l.fromMs, endMs: l.toMs, text: l.reason })),
  ];
}
