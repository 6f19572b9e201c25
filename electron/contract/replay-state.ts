/**
 * consoleStateAt: the console as it was at one moment of an incident, computed only from what the journal recorded
 * (docs/replay.md). Pure: the host answers `replay.stateAt` with it and the replay view runs it at its playhead.
 */
import { compareAlarms } from './alarms-schema.js';
import type { AlarmSnapshot, ConsoleAction, ConsoleState, IncidentRecord, ReplayDisplay } from './replay-schema.js';
import { maximisedIn, type Layout } from './schemas.js';

/** Actions of the record at or before `atMs`, in journal order (the starting state first). */
function actionsUpTo(record: Pick<IncidentRecord, 'before' | 'actions'>, atMs: number): ConsoleAction[] {
  return [...record.before, ...record.actions].filter((a) => a.at <= atMs).sort((x, y) => x.seq - y.seq);
}

/**
 * Each display's last recorded layout and maximised tile, and each alarm's last recorded snapshot at `atMs`. An alarm
 * snapshot never goes back to an older version (two consoles' records of one shared alarm may interleave). A tile stays
 * maximised from its `tile.maximise` to the display's `tile.restore`, through layout changes that keep the tile (the
 * live wall's rule, `maximisedIn`).
 */
export function consoleStateAt(record: Pick<IncidentRecord, 'before' | 'actions'>, atMs: number): ConsoleState {
  const layouts = new Map<string, Layout>();
  // a starting state holds each display's last layout and last maximise, in either order: a maximise before its
  // display's layout keeps its index until the layout comes
  const maximised = new Map<string, number | null>();
  const alarms = new Map<string, AlarmSnapshot>();
  for (const a of actionsUpTo(record, atMs)) {
    const c = a.change;
    if (c.kind === 'layout') { layouts.set(c.displayId, c.layout); maximised.set(c.displayId, maximisedIn(c.layout, maximised.get(c.displayId) ?? null)); }
    else if (c.kind === 'alarm' && (alarms.get(c.alarm.id)?.version ?? -1) <= c.alarm.version) alarms.set(c.alarm.id, c.alarm);
    else if (c.kind === 'event' && c.displayId !== null && c.what === 'tile.restore') maximised.set(c.displayId, null);
    else if (c.kind === 'event' && c.displayId !== null && c.what === 'tile.maximise') {
      const layout = layouts.get(c.displayId);
      const index = layout ? maximisedTile(layout, c) : c.index ?? null;
      if (index !== null) maximised.set(c.displayId, index);
    }
  }
  return {
    atMs,
    displays: [...layouts].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([displayId, layout]) => ({ displayId, layout, maximised: maximised.get(displayId) ?? null })),
    queue: [...alarms.values()].sort(compareAlarms),
  };
}

/**
 * The cameras a display shows: every tile's camera, or while a tile is maximised only that tile's (the others are
 * hidden behind it). The training score's "camera on the wall at its event" uses it (docs/training.md).
 */
export function visibleCameraIds(display: ReplayDisplay): string[] {
  const cells = display.maximised !== null && display.maximised < display.layout.cells.length ? [display.layout.cells[display.maximised]!] : display.layout.cells;
  return cells.flatMap((c) => (c.cameraId !== null ? [c.cameraId] : []));
}

/** Whether `cameraId` is visible on some display of `state` (`visibleCameraIds`). */
export function cameraVisible(state: ConsoleState, cameraId: string): boolean {
  return state.displays.some((d) => visibleCameraIds(d).includes(cameraId));
}

/**
 * The tile a `tile.maximise` names in the display's layout: its recorded index, or (a journal recorded before the index
 * was) the first tile of its camera; null when the layout has no such tile (the live wall ignores it too).
 */
function maximisedTile(layout: Layout, c: { index?: number | undefined; cameraIds: string[] }): number | null {
  const i = c.index ?? layout.cells.findIndex((cell) => cell.cameraId !== null && cell.cameraId === c.cameraIds[0]);
  return i >= 0 && i < layout.cells.length ? i : null;
}

/** The moments replay can jump to (operator actions and alarm changes inside the incident), oldest first, no repeats. */
export function actionMoments(record: Pick<IncidentRecord, 'actions'>): number[] {
  return [...new Set(record.actions.map((a) => a.at))].sort((x, y) => x - y);
}
