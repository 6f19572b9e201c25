/**
 * What the after-action review and the trainer's dashboard draw, as data (pure): the differences as markers on the
 * replay's timeline rows, the timeline's window at first, and the dashboard's filter and sort.
 */
import type { TimelineMarker } from '../../electron/contract/review-api.js';
import type { ReviewDifference } from '../../electron/contract/training/review-lanes.js';
import type { TrainingResult } from '../../electron/contract/training/review-api.js';
import { clampSpan, type TimelineView } from '../review/timeline-model.js';

/** Each difference as a marker on its event's camera row (on every row shown when that camera is not), at wall time. */
export function differenceMarkers(differences: readonly ReviewDifference[], startedAt: number, rows: readonly string[], label: (d: ReviewDifference) => string): TimelineMarker[] {
  return differences.flatMap((d) => {
    const on = rows.includes(d.cameraId) ? [d.cameraId] : rows;
    return on.map((cameraId) => ({ id: `diff-${d.id}-${cameraId}`, cameraId, kind: 'action' as const, atMs: startedAt + d.atMs, text: label(d) }));
  });
}

/** The review's timeline window at first: the whole session, with a margin either side (a twentieth, 5 s at least). */
export function sessionView(startedAt: number, durationMs: number): TimelineView {
  const margin = Math.max(5000, Math.round(durationMs / 20));
  return { startMs: startedAt - margin, spanMs: clampSpan(durationMs + 2 * margin) };
}

export type ResultColumn = 'startedAt' | 'trainee' | 'scenarioName' | 'percent' | 'differences';
export interface ResultQuery { trainee: string | null; scenarioId: string | null; sort: ResultColumn; descending: boolean }

/** The dashboard's rows: filtered by trainee and scenario, sorted by a column (ties: newest first). */
export function queryResults(results: readonly TrainingResult[], q: ResultQuery): TrainingResult[] {
  const rows = results.filter((r) => (q.trainee === null || r.trainee === q.trainee) && (q.scenarioId === null || r.scenarioId === q.scenarioId));
  const cmp = (a: TrainingResult, b: TrainingResult): number => {
    const x = a[q.sort], y = b[q.sort];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (q.descending ? -c : c) || b.startedAt - a.startedAt;
  };
  return [...rows].sort(cmp);
}

/** A column clicked: the same one flips the order, another sorts by it (numbers and dates highest first). */
export function toggleSort(q: ResultQuery, column: ResultColumn): ResultQuery {
  if (q.sort === column) return { ...q, descending: !q.descending };
  return { ...q, sort: column, descending: column === 'startedAt' || column === 'percent' || column === 'differences' };
}
