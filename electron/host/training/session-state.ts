/**
 * A training session's clock as a pure reducer (like streams/stream-state.ts): no timers, no stores. The runtime feeds
 * it the time and carries out its effects: raise a scripted alarm through the ingest, take a camera's training picture
 * down and back, lose a unit's telemetry, end the session. The clock is the scenario's: offset 0 is `startedAt`, and
 * it runs as live (a lost console or a host restart does not stop it; a resumed session fires what fell due meanwhile).
 */
import type { Scenario, ScriptedEvent } from '../../contract/training/scenario-schema.js';

export interface SessionMachine {
  state: 'running' | 'ended';
  /** Epoch ms of the scenario's offset 0. */
  startedAt: number;
  durationMs: number;
  endedAt: number | null;
  endReason: 'completed' | 'stopped' | null;
  /** Scripted events fired, in firing order. */
  fired: string[];
  /** Cameras whose training picture is down, with the offset it comes back at. */
  failing: Record<string, number>;
}

export type SessionInput =
  | { type: 'tick'; at: number }
  | { type: 'stop'; at: number };

export type SessionEffect =
  /** A real or false alarm: the event goes through the alarm ingest, marked training. `late`: fired after its time (a resume). */
  | { kind: 'raise'; event: ScriptedEvent; late: boolean }
  | { kind: 'camera-down'; cameraId: string; eventId: string }
  | { kind: 'camera-up'; cameraId: string }
  | { kind: 'telemetry-lost'; unitId: string; eventId: string }
  | { kind: 'ended'; reason: 'completed' | 'stopped' };

export function startSession(scenario: Pick<Scenario, 'durationMs'>, at: number): SessionMachine {
  return { state: 'running', startedAt: at, durationMs: scenario.durationMs, endedAt: null, endReason: null, fired: [], failing: {} };
}

/** The scenario's clock at `at` (ms from offset 0, never past the end; frozen once ended). */
export function clockOf(m: SessionMachine, at: number): number {
  const t = (m.endedAt ?? at) - m.startedAt;
  return Math.max(0, Math.min(m.durationMs, t));
}

/** A tolerance for "late": a tick every 250 ms fires an event up to that much after its time; later is a resume. */
const LATE_MS = 2_000;

export function reduceSession(m: SessionMachine, events: readonly ScriptedEvent[], input: SessionInput): { next: SessionMachine; effects: SessionEffect[] } {
  if (m.state === 'ended') return { next: m, effects: [] };
  const effects: SessionEffect[] = [];
  const clock = Math.max(0, input.at - m.startedAt);
  const due = Math.min(clock, m.durationMs);
  const fired = [...m.fired];
  const failing = { ...m.failing };
  // cameras come back before new events fire at the same moment (a second failure on the camera restarts the outage)
  for (const [cameraId, until] of Object.entries(failing)) {
    if (until <= due) { delete failing[cameraId]; effects.push({ kind: 'camera-up', cameraId }); }
  }
  const pending = events.filter((e) => e.atMs <= due && !fired.includes(e.id)).sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : 1));
  for (const e of pending) {
    fired.push(e.id);
    switch (e.kind) {
      case 'real-alarm': case 'false-alarm':
        effects.push({ kind: 'raise', event: e, late: clock - e.atMs > LATE_MS });
        break;
      case 'camera-failure': {
        const until = e.atMs + (e.durationMs ?? 0);
        if (until > due) { failing[e.cameraId] = until; effects.push({ kind: 'camera-down', cameraId: e.cameraId, eventId: e.id }); }
        break; // an outage that ended while the session was not running is not replayed
      }
      case 'telemetry-lost':
        effects.push({ kind: 'telemetry-lost', unitId: e.unitId ?? '', eventId: e.id });
        break;
    }
  }
  const over = input.type === 'stop' || clock >= m.durationMs;
  if (!over) return { next: { ...m, fired, failing }, effects };
  for (const cameraId of Object.keys(failing)) effects.push({ kind: 'camera-up', cameraId });
  const reason = input.type === 'stop' && clock < m.durationMs ? 'stopped' : 'completed';
  effects.push({ kind: 'ended', reason });
  return { next: { ...m, fired, failing: {}, state: 'ended', endedAt: Math.min(input.at, m.startedAt + m.durationMs), endReason: reason }, effects };
}
