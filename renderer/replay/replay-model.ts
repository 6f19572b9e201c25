/**
 * What the replay view draws, derived from an incident's record: the cameras of a display's layout at a moment, and
 * the recorded actions as timeline markers. Pure.
 */
import type { TimelineMarker } from '../../electron/contract/review-api.js';
import type { ConsoleState, IncidentRecord } from '../../electron/contract/replay-schema.js';
import type { Layout } from '../../electron/contract/schemas.js';

export const MAX_TILES = 16;

/** The cameras a display showed at that moment, in tile order, once each (the review grid plays up to 16); its maximised tile's alone. */
export function camerasShown(state: ConsoleState, displayId: string): string[] {
  const d = state.displays.find((x) => x.displayId === displayId) ?? state.displays[0];
  if (!d) return [];
  const max = d.maximised === null ? undefined : d.layout.cells[d.maximised];
  return max ? (max.cameraId === null ? [] : [max.cameraId]) : tilesOf(d.layout);
}

/** A layout's cameras in tile order, once each, the first MAX_TILES. */
function tilesOf(layout: Layout): string[] {
  const ids = layout.cells.map((c) => c.cameraId).filter((id): id is string => id !== null);
  return [...new Set(ids)].slice(0, MAX_TILES);
}

/**
 * Every camera a display shows at some moment of the incident (its starting layout and each later one), in order of
 * first appearance, once each, up to `max`: the players replay opens ahead, so a seek that changes the layout finds
 * them open. The display as camerasShown picks it (the first display when this one has no layout yet).
 */
export function camerasEverShown(record: Pick<IncidentRecord, 'before' | 'actions'>, displayId: string, max = MAX_TILES): string[] {
  const layouts = [...record.before, ...record.actions].sort((x, y) => x.seq - y.seq).flatMap((a) => (a.change.kind === 'layout' ? [a.change] : []));
  const known = [...new Set(layouts.map((l) => l.displayId))].sort();
  const id = known.includes(displayId) ? displayId : known[0];
  const out = new Set<string>();
  for (const l of layouts) if (l.displayId === id) for (const c of tilesOf(l.layout)) if (out.size < max) out.add(c);
  return [...out];
}

/** The displays the record has a layout of (its starting state and later changes), sorted as consoleStateAt sorts them. */
export function displaysOf(record: Pick<IncidentRecord, 'before' | 'actions'>): string[] {
  const ids = [...record.before, ...record.actions].flatMap((a) => (a.change.kind === 'layout' ? [a.change.displayId] : []));
  return [...new Set(ids)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** camerasEverShown of several displays, merged in display order, once each, up to `max`. */
export function camerasEverShownOn(record: Pick<IncidentRecord, 'before' | 'actions'>, displayIds: readonly string[], max = MAX_TILES): string[] {
  const out = new Set<string>();
  for (const id of displayIds) for (const c of camerasEverShown(record, id, max)) if (out.size < max) out.add(c);
  return [...out];
}

/** Every recorded action inside the incident as a marker: on its alarm's camera row, layout changes on every row shown. */
export function actionMarkers(record: IncidentRecord, rows: readonly string[]): TimelineMarker[] {
  return record.actions.flatMap((a) => {
    const c = a.change;
    const text = c.kind === 'alarm' ? `${a.user}: ${a.action} ${c.alarm.id}` : c.kind === 'layout' ? `${a.user}: ${a.action} ${c.displayId}` : `${a.user}: ${c.what} ${c.text}`;
    // an event on its cameras' rows (on every row when it names none shown)
    const own = c.kind === 'event' ? rows.filter((r) => c.cameraIds.includes(r)) : [];
    const on = c.kind === 'alarm' ? rows.filter((r) => r === c.alarm.cameraId) : c.kind === 'event' && own.length ? own : rows;
    return on.map((cameraId) => ({ id: `act-${a.seq}-${cameraId}`, cameraId, kind: 'action' as const, atMs: a.at, text }));
  });
}

/** The bookmark at a moment (within `nearMs`, the nearest) and the evidence lock whose range holds it: what "Make incident" offers. */
export function markersAt(markers: readonly TimelineMarker[], atMs: number, nearMs = 2_000): { bookmark: TimelineMarker | null; lock: TimelineMarker | null } {
  let bookmark: TimelineMarker | null = null;
  for (const m of markers) {
    if (m.kind === 'bookmark' && Math.abs(m.atMs - atMs) <= nearMs && (!bookmark || Math.abs(m.atMs - atMs) < Math.abs(bookmark.atMs - atMs))) bookmark = m;
  }
  const lock = markers.find((m) => m.kind === 'lock' && m.atMs <= atMs && atMs <= (m.endMs ?? m.atMs)) ?? null;
  return { bookmark, lock };
}
