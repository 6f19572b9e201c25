/**
 * consoleStateAt: the console as it was at one moment of an incident, computed only from what the journal recorded
 * (docs/replay.md). Pure: the host answers `replay.stateAt` with it and the replay view runs it at its playhead.
 */
import { compareAlarms } from './alarms-schema.js';
import type { AlarmSnapshot, ConsoleAction, ConsoleState, IncidentRecord } from './replay-schema.js';
import type { Layout } from './schemas.js';

/** Actions of the record at or before `atMs`, in journal order (the starting state first). */
function actionsUpTo(record: Pick<IncidentRecord, 'before' | 'actions'>, atMs: number): ConsoleAction[] {
  return [...record.before, ...record.actions].filter((a) => a.at <= atMs).sort((x, y) => x.seq - y.seq);
}

/**
 * Each display's last recorded layout and each alarm's last recorded snapshot at `atMs`. An alarm snapshot never goes
 * back to an older version (two consoles' records of one shared alarm may interleave).
 */
export function consoleStateAt(record: Pick<IncidentRecord, 'before' | 'actions'>, atMs: number): ConsoleState {
  const displays = new Map<string, Layout>();
  const alarms = new Map<string, AlarmSnapshot>();
  for (const a of actionsUpTo(record, atMs)) {
    const c = a.change;
    if (c.kind === 'layout') displays.set(c.displayId, c.layout);
    else if (c.kind === 'alarm' && (alarms.get(c.alarm.id)?.version ?? -1) <= c.alarm.version) alarms.set(c.alarm.id, c.alarm);
  }
  return {
    atMs,
    displays: [...displays].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([displayId, layout]) => ({ displayId, layout })),
    queue: [...alarms.values()].sort(compareAlarms),
  };
}

/** The moments replay can jump to (operator actions and alarm changes inside the incident), oldest first, no repeats. */
export function actionMoments(record: Pick<IncidentRecord, 'actions'>): number[] {
  return [...new Set(record.actions.map((a) => a.at))].sort((x, y) => x - y);
}
