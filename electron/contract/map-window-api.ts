/**
 * The map window (issue 10): the signed-in wall asks the host to open the city map in a browser process of its own
 * (DESIGN.md: without a GPU, deck.gl's SwiftShader must not share the wall's GPU process). The host starts that browser
 * with a one-time sign-in ticket in its address (`access.signInTicket` exchanges it for a session of the same user).
 * Merged into api.ts.
 */
import { z } from 'zod';

/**
 * Where the map opened: `window`, a browser the host started now (its own profile and process); `alreadyOpen`, the one
 * it started before is still running (one map window at a time); `popup`, the host opens no windows here (no display
 * was given to it: a remote browser, or a shell without a window launcher), so the page opens the map itself with
 * `window.open` (the popup shares the wall's session).
 */
export const MapWindowOpened = z.object({
  opened: z.enum(['window', 'alreadyOpen', 'popup']),
  /** The X display (or the shell's name for the screen) the window is on; null for `popup`. */
  display: z.string().nullable(),
});
export type MapWindowOpened = z.infer<typeof MapWindowOpened>;

/**
 * "Open this alarm in the queue", from the map window to the console that opened it. The map window of the host has
 * a browser profile of its own, so the BroadcastChannel a popup uses (renderer/map/map-channel.ts) does not reach
 * the wall: the host relays it, to the connections of the session that opened the map (`consoleRef`) only.
 */
export const MapAlarmOpen = z.object({ alarmId: z.string().min(1).max(64), consoleRef: z.string().max(64) }).strict();
export type MapAlarmOpen = z.infer<typeof MapAlarmOpen>;

export const mapWindowEvents = {
  'map.alarmOpen': MapAlarmOpen,
} as const;

export const mapWindowRequests = {
  /** Opens the city map for the signed-in user, in the wall's language, pushing cameras to the wall's display. */
  'map.openWindow': {
    params: z.object({ displayId: z.string().min(1).max(64), lang: z.enum(['kk', 'ru', 'en', 'pseudo']) }).strict(),
    result: MapWindowOpened,
  },
  /**
   * The operator pans or zooms the map (sent on the input, at most once a second while it goes on): the wall's browser
   * yields the CPU to the map for a few seconds (host/map/wall-priority.ts). `yielded`: it does now (false: no map
   * window of the host's, no wall browser known, or the machine does not allow it).
   */
  'map.interacting': { params: z.object({}).strict(), result: z.object({ yielded: z.boolean() }) },
  /** The map window asks the console that opened it to open this alarm in its queue (`map.alarmOpen`). */
  'map.openAlarm': { params: z.object({ alarmId: z.string().min(1).max(64) }).strict(), result: z.object({ ok: z.literal(true) }) },
} as const;
