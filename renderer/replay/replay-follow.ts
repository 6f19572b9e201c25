/**
 * Replayed displays on the console's own monitors (issue 11 §1): the main replay window is the clock's controller, a
 * follower window shows one other display's replayed wall and follows that clock. The windows talk over a
 * BroadcastChannel of their browser profile (same origin); every message is validated with `ReplayFollowMessage`
 * (the one definition). Pure: no DOM, no React; the clock arithmetic is in `followStep`.
 */
import { z } from 'zod';

/** The BroadcastChannel every replay window of the profile shares; `session` keeps two replays apart. */
export const REPLAY_FOLLOW_CHANNEL = 'kuzet-replay-follow';

const Session = z.string().regex(/^[A-Za-z0-9_-]{4,64}$/);
const DisplayId = z.string().min(1).max(64);

/**
 * The controller's clock: the playhead `atMs` (wall time of the footage) at `sentAt` (the sender's `Date.now()`, the
 * same clock as the follower's on one machine), playing or paused, at `rate` (negative = reverse, 1/8x to 16x).
 */
export const ReplayClockMessage = z.object({
  kind: z.literal('clock'),
  session: Session,
  incidentId: z.string().min(1).max(64),
  atMs: z.number().finite(),
  playing: z.boolean(),
  rate: z.number().finite().refine((r) => r !== 0 && Math.abs(r) <= 16, 'rate between -16 and 16, not 0'),
  sentAt: z.number().finite(),
}).strict();
export type ReplayClockMessage = z.infer<typeof ReplayClockMessage>;

/**
 * The replay's keys a follower window passes to the main window, which alone runs the clock: play/pause, frame step and
 * jump to the previous or next mark (Shift), reverse, faster, slower. Enter (maximise the selected tile) and Escape
 * (leave) stay the window's own.
 */
export const FOLLOWER_KEYS = [' ', 'ArrowLeft', 'ArrowRight', 'r', 'R', '+', '=', '-'] as const;
export type FollowerKey = typeof FOLLOWER_KEYS[number];

/** Messages of the replay channel: the clock (controller), a follower's hello (asks for the clock now) and keys, the end of the replay. */
export const ReplayFollowMessage = z.discriminatedUnion('kind', [
  ReplayClockMessage,
  z.object({ kind: z.literal('hello'), session: Session, displayId: DisplayId }).strict(),
  z.object({ kind: z.literal('key'), session: Session, key: z.enum(FOLLOWER_KEYS), shift: z.boolean() }).strict(),
  z.object({ kind: z.literal('end'), session: Session }).strict(),
]);
export type ReplayFollowMessage = z.infer<typeof ReplayFollowMessage>;

/** A message of this replay's session, or null (another replay's, or anything that does not parse). */
export function followMessageOf(data: unknown, session: string): ReplayFollowMessage | null {
  const r = ReplayFollowMessage.safeParse(data);
  return r.success && r.data.session === session ? r.data : null;
}

/** A clock as one window runs it (renderer/review/playback-clock.ts): position, playing, rate. */
export interface FollowClock { atMs: number; playing: boolean; rate: number }

/** Where the controller's playhead is at `now` (ms since the epoch): it ran on at its rate since it was sent while playing. */
export function expectedPosition(msg: Pick<ReplayClockMessage, 'atMs' | 'playing' | 'rate' | 'sentAt'>, now: number): number {
  return msg.playing ? msg.atMs + Math.max(0, now - msg.sentAt) * msg.rate : msg.atMs;
}

/**
 * How far a playing follower may be from the controller before it seeks (footage ms): a seek costs a fetch and a
 * decode, so small drifts (a player that waited for data) are left to the next heartbeat unless they grow. Paused,
 * every difference is corrected (a frame step is 40 ms).
 */
export function driftTolerance(rate: number): number { return Math.max(400, 250 * Math.abs(rate)); }

/** What a follower does on a clock message: the rate and the playing state to set (null: as it is), and where to seek (null: stay). */
export interface FollowStep { rate: number | null; playing: boolean | null; seekMs: number | null }

/** The follower's moves to match the controller's clock `msg` at `now`, given its own clock `local` (read at `now`). */
export function followStep(local: FollowClock, msg: Pick<ReplayClockMessage, 'atMs' | 'playing' | 'rate' | 'sentAt'>, now: number): FollowStep {
  const target = expectedPosition(msg, now);
  const drift = Math.abs(local.atMs - target);
  const seekMs = msg.playing ? (drift > driftTolerance(msg.rate) ? target : null) : (drift > 0 ? target : null);
  return {
    rate: local.rate === msg.rate ? null : msg.rate,
    playing: local.playing === msg.playing ? null : msg.playing,
    seekMs,
  };
}

/** A follower window's address parameters. */
export interface FollowerParams { incidentId: string; displayId: string; session: string }

/** The follower window's address: the console's page with `view=replay`, the incident, the display and the session. */
export function followerUrl(pathname: string, p: FollowerParams, lang?: string): string {
  const q = new URLSearchParams({ view: 'replay', incident: p.incidentId, replayDisplay: p.displayId, follow: p.session });
  if (lang) q.set('lang', lang);
  return `${pathname}?${q.toString()}`;
}

/** The follower parameters of a page's address, or null when it is not a follower window (or names them badly). */
export function readFollowerParams(search: string): FollowerParams | null {
  const q = new URLSearchParams(search);
  if (q.get('view') !== 'replay') return null;
  const incidentId = q.get('incident') ?? '', displayId = q.get('replayDisplay') ?? '', session = q.get('follow') ?? '';
  if (!z.string().min(1).max(64).safeParse(incidentId).success || !DisplayId.safeParse(displayId).success || !Session.safeParse(session).success) return null;
  return { incidentId, displayId, session };
}

/** The window name of a display's follower (one per display and replay: a second open focuses it). */
export function followerWindowName(session: string, displayId: string): string {
  return `kuzet-replay-${session}-${displayId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The displays that get a window of their own: every display the incident has a layout of, except the one the main window shows. */
export function followerDisplays(displays: readonly string[], shownDisplayId: string): string[] {
  return displays.filter((d) => d !== shownDisplayId);
}
