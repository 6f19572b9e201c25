/**
 * The supervised life of one camera stream as a pure reducer (go2rtc producer + GStreamer
 * fallbacksrc vocabulary). No timers and no processes here: the supervisor feeds events with
 * the current time and carries out the effects. Every worker belongs to a generation; events
 * from an older generation are ignored, so a stale worker or retry loop cannot touch the stream.
 */
import type { RetryReason, StreamState } from '../../contract/schemas.js';

export interface StreamCounters { connects: number; retries: number; errors: number; frames: number; drops: number }

export interface StreamMachine {
  state: StreamState;
  reason: RetryReason;
  message?: string;
  generation: number;
  counters: StreamCounters;
  /** Epoch ms of the last state change. */
  since: number;
  /** Epoch ms of the last frame of the current generation, null before the first. */
  lastFrameAt: number | null;
  /** Epoch ms the current worker was spawned (connect timeout runs from here). */
  spawnedAt: number | null;
  /** Consecutive failures without a frame in between (drives the back-off). */
  failures: number;
  /** Consecutive failures that said the camera cannot be reached (drives 'offline'). */
  unreachable: number;
  /** A retry is scheduled for the current generation. */
  retryPending: boolean;
  /** Epoch ms of the last retry made without back-off (at most one per QUICK_RETRY_WINDOW_MS), null before any. */
  quickRetryAt: number | null;
}

export type StreamEvent =
  | { type: 'start'; at: number }
  | { type: 'stop'; at: number }
  | { type: 'frame'; generation: number; at: number }
  | { type: 'failed'; generation: number; reason: RetryReason; message?: string; at: number }
  | { type: 'retry'; generation: number; at: number }
  /** A make-before-break replacement delivered its first frame: it becomes the current worker. */
  | { type: 'takeover'; at: number }
  | { type: 'tick'; at: number };

export type StreamEffect =
  | { kind: 'spawn'; generation: number }
  | { kind: 'kill'; generation: number }
  | { kind: 'schedule-retry'; generation: number; delayMs: number };

export interface StreamTimings {
  /** No frame for this long while live: 'stalled' (a tile must look stale within 2 s). */
  stallMs: number;
  /** No frame for this long: the worker is replaced. */
  frameTimeoutMs: number;
  /** No first frame this long after spawning: the attempt failed with 'timeout'. */
  connectTimeoutMs: number;
  /** Consecutive failures, the last one unreachable/timeout, before the camera shows 'offline'. */
  offlineAfter: number;
  /** The longest back-off between attempts that may succeed (absent: BACKOFF_MS's last, 1 min). */
  maxBackoffMs?: number;
}

export const DEFAULT_TIMINGS: StreamTimings = { stallMs: 1500, frameTimeoutMs: 5000, connectTimeoutMs: 10_000, offlineAfter: 2 };

/** Capped back-off after the n-th consecutive failure (1-based): 1 s, 5 s, 10 s, then 1 min. */
export const BACKOFF_MS = [1000, 5000, 10_000, 60_000] as const;
export function backoffMs(failures: number): number {
  return BACKOFF_MS[Math.min(Math.max(failures, 1), BACKOFF_MS.length) - 1] ?? 60_000;
}

/**
 * A stream that was showing pictures and fails (a crashed worker, a dropped connection) retries at once instead of
 * after the first back-off step, at most once in this window: a worker that keeps failing right after going live
 * backs off as before.
 */
export const QUICK_RETRY_WINDOW_MS = 10_000;

export function initialStream(at: number): StreamMachine {
  return {
    state: 'idle', reason: 'none', generation: 0, since: at, lastFrameAt: null, spawnedAt: null,
    failures: 0, unreachable: 0, retryPending: false, quickRetryAt: null,
    counters: { connects: 0, retries: 0, errors: 0, frames: 0, drops: 0 },
  };
}

const RUNNING: ReadonlySet<StreamState> = new Set(['connecting', 'live', 'stalled', 'reconnecting', 'offline', 'error']);

function moveTo(m: StreamMachine, state: StreamState, at: number): StreamMachine {
  return m.state === state ? m : { ...m, state, since: at };
}

export function reduceStream(m: StreamMachine, e: StreamEvent, t: StreamTimings = DEFAULT_TIMINGS): { next: StreamMachine; effects: StreamEffect[] } {
  switch (e.type) {
    case 'start': {
      if (RUNNING.has(m.state)) return { next: m, effects: [] };
      const generation = m.generation + 1;
      const next = moveTo({
        ...m, generation, reason: 'none', message: undefined, lastFrameAt: null, spawnedAt: e.at,
        failures: 0, unreachable: 0, retryPending: false, counters: { ...m.counters, connects: m.counters.connects + 1 },
      }, 'connecting', e.at);
      return { next, effects: [{ kind: 'spawn', generation }] };
    }
    case 'stop': {
      if (m.state === 'idle') return { next: m, effects: [] };
      const next = moveTo({ ...m, generation: m.generation + 1, reason: 'none', message: undefined, retryPending: false, spawnedAt: null }, 'idle', e.at);
      return { next, effects: [{ kind: 'kill', generation: m.generation }] };
    }
    case 'frame': {
      if (e.generation !== m.generation || !RUNNING.has(m.state)) return { next: m, effects: [] };
      const base = { ...m, lastFrameAt: e.at, failures: 0, unreachable: 0, counters: { ...m.counters, frames: m.counters.frames + 1 } };
      if (m.state === 'live') return { next: base, effects: [] };
      return { next: moveTo({ ...base, reason: 'none', message: undefined }, 'live', e.at), effects: [] };
    }
    case 'takeover': {
      if (!RUNNING.has(m.state)) return { next: m, effects: [] };
      const generation = m.generation + 1;
      const next = moveTo({ ...m, generation, lastFrameAt: e.at, spawnedAt: e.at, failures: 0, unreachable: 0, retryPending: false, reason: 'none', message: undefined }, 'live', e.at);
      return { next, effects: [{ kind: 'kill', generation: m.generation }] };
    }
    case 'failed': {
      if (e.generation !== m.generation || !RUNNING.has(m.state)) return { next: m, effects: [] };
      return fail(m, e.reason, e.message, e.at, t);
    }
    case 'retry': {
      if (e.generation !== m.generation || !m.retryPending) return { next: m, effects: [] };
      const next = { ...m, retryPending: false, spawnedAt: e.at, counters: { ...m.counters, retries: m.counters.retries + 1, connects: m.counters.connects + 1 } };
      return { next, effects: [{ kind: 'spawn', generation: m.generation }] };
    }
    case 'tick': {
      if (m.retryPending || !RUNNING.has(m.state)) return { next: m, effects: [] };
      if (m.lastFrameAt !== null && (m.state === 'live' || m.state === 'stalled')) {
        const age = e.at - m.lastFrameAt;
        if (age >= t.frameTimeoutMs) return fail(m, 'timeout', `no frame for ${Math.round(age / 100) / 10} s`, e.at, t);
        if (age >= t.stallMs && m.state === 'live') return { next: moveTo(m, 'stalled', e.at), effects: [] };
        return { next: m, effects: [] };
      }
      const waited = m.spawnedAt === null ? 0 : e.at - m.spawnedAt;
      if (m.lastFrameAt === null || m.state !== 'live') {
        if (waited >= t.connectTimeoutMs) return fail(m, 'timeout', `no picture ${Math.round(waited / 1000)} s after connecting`, e.at, t);
      }
      return { next: m, effects: [] };
    }
  }
}

/** The current worker failed: kill it, pick the state the operator sees, schedule the retry. */
function fail(m: StreamMachine, reason: RetryReason, message: string | undefined, at: number, t: StreamTimings) {
  const failures = m.failures + 1;
  const unreachable = reason === 'unreachable' || reason === 'timeout' ? m.unreachable + 1 : 0;
  const hard = reason === 'auth' || reason === 'codec';
  // offline: the camera cannot be reached now and has not delivered for several attempts in a row
  const state: StreamState = hard ? 'error' : unreachable > 0 && failures >= t.offlineAfter ? 'offline' : 'reconnecting';
  const generation = m.generation + 1;
  // the stream was up a moment ago: the first retry goes at once (issue 9), later ones back off
  const quick = !hard && (m.state === 'live' || m.state === 'stalled')
    && (m.quickRetryAt === null || at - m.quickRetryAt >= QUICK_RETRY_WINDOW_MS);
  // wrong credentials or an unplayable codec will not fix themselves in a second
  const delayMs = hard ? BACKOFF_MS[BACKOFF_MS.length - 1] : quick ? 0 : Math.min(backoffMs(failures), t.maxBackoffMs ?? Infinity);
  const next = moveTo({
    ...m, reason, message, generation, failures, unreachable, retryPending: true, spawnedAt: null,
    quickRetryAt: quick ? at : m.quickRetryAt,
    counters: { ...m.counters, errors: m.counters.errors + 1 },
  }, state, at);
  return { next, effects: [{ kind: 'kill', generation: m.generation } as StreamEffect, { kind: 'schedule-retry', generation, delayMs } as StreamEffect] };
}
