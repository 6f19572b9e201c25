/**
 * Pacing of a camera's pictures on their way to the wall, the way video players do: a picture that arrives while the
 * camera's previous one still waits unpainted queues behind it (they are painted on consecutive paints) when the two
 * came closer together than they were captured, a burst of the network or of the host's coalescing (frame-server.ts);
 * otherwise, or once MAX_WAITING wait, the page is behind and the latest wins. Pure: the relay (frame-relay.ts) keeps
 * the lists and releases (recycles) what this returns.
 */

/** Pictures of one camera that may wait for the main thread: one to paint next, one after it. */
export const MAX_WAITING = 2;
/** Spacing assumed when a camera's capture times are unknown (25 fps, what the cameras send). */
export const FALLBACK_INTERVAL_MS = 40;

export interface PacedPicture { captureMs: number; receivedAt: number }

/** Whether `next` came less than a frame interval (its capture spacing) after `prev`: a burst, not a page behind. */
export function arrivedInBurst(prev: PacedPicture, next: PacedPicture): boolean {
  const interval = prev.captureMs > 0 && next.captureMs > prev.captureMs ? next.captureMs - prev.captureMs : FALLBACK_INTERVAL_MS;
  return next.receivedAt - prev.receivedAt < interval;
}

/**
 * Adds `next` to a camera's waiting list (oldest first, changed in place) and returns the pictures it replaced, which
 * the caller releases exactly once. `paced` false: latest wins (the list holds only `next`). The list never holds more
 * than MAX_WAITING.
 */
export function admit<T extends PacedPicture>(waiting: T[], next: T, paced: boolean): T[] {
  const out: T[] = [];
  while (waiting.length >= MAX_WAITING) out.push(waiting.shift()!);
  const last = waiting[waiting.length - 1];
  if (last && !(paced && arrivedInBurst(last, next))) out.push(...waiting.splice(0));
  waiting.push(next);
  return out;
}
