/**
 * Training's host side (issue 11 §2-3, docs/training.md): keeps the trainers' scenarios (validated, with the cameras and
 * the incident package they need checked against this console) and scores a trainee's session with the pure scorer.
 */
import { ContractError, type HostService } from '../../contract/api.js';
import { reason, reasonOfIssue } from '../../contract/api-errors.js';
import { footageFromMs, Scenario, type RecordedSource } from '../../contract/training/scenario-schema.js';
import { SEGMENT_MS } from '../recording/recording-service.js';
import { scoreSession } from '../../contract/training/score.js';
import type { Logger } from '../log.js';
import { ScenarioStore, trainingFile } from './scenario-store.js';

type TrainingMethod = 'training.scenarios.list' | 'training.scenarios.get' | 'training.scenarios.save' | 'training.scenarios.remove' | 'training.score';
export type TrainingHandlers = Pick<HostService, TrainingMethod>;

export interface TrainingOptions {
  dataDir: string;
  log: Logger;
  /** The cameras this console has (a scenario naming others is refused). */
  cameraIds(): string[];
  /** The incident's range when this console holds it (its own or imported from a package), else null. */
  incident(id: string): { fromMs: number; toMs: number } | null;
  /** Milliseconds of recorded footage of a camera inside [fromMs, toMs] (absent: not checked). */
  recordedMs?(cameraId: string, fromMs: number, toMs: number): number;
  audit(entry: { user: string; action: string; target: string; details: Record<string, unknown> }): void;
  now?: () => number;
}

/** What a scenario's footage must have: 90 % of its range recorded, or the trainee would see black tiles. */
export const FOOTAGE_COVER = 0.9;

/**
 * The cameras whose recordings cover less than FOOTAGE_COVER of [fromMs, toMs) (none for a range under 10 s: too
 * little to tell, the recorder's segments are seconds long).
 */
export function camerasShortOfFootage(cameraIds: readonly string[], fromMs: number, toMs: number, recordedMs: (cameraId: string, fromMs: number, toMs: number) => number): string[] {
  if (toMs - fromMs < 10_000) return [];
  return cameraIds.filter((c) => recordedMs(c, fromMs, toMs) < FOOTAGE_COVER * (toMs - fromMs));
}

/** What the recorder may still be writing and has not indexed: two segments, one of them cut late at a key frame. */
const UNINDEXED_MS = 2 * SEGMENT_MS;

/**
 * The part of a scenario's footage that must be in the recordings when a session starts at `now`: from its first moment
 * to its end or to the present, less what the recorder has not indexed yet (what is not recorded yet is waited for, as
 * a live camera's next picture).
 */
export function pastFootage(source: RecordedSource, durationMs: number, now: number): [number, number] {
  const fromMs = footageFromMs(source, now);
  return [fromMs, Math.min(now - UNINDEXED_MS, fromMs + durationMs)];
}

/** Zod's issues as one sentence a trainer can act on: "events.1.atMs: events a and b overlap ...". */
export function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues.slice(0, 5).map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

export function createTraining(o: TrainingOptions): { handlers: TrainingHandlers; store: ScenarioStore; close(): void } {
  const store = new ScenarioStore(trainingFile(o.dataDir), o.log);
  const now = o.now ?? Date.now;
  const find = (id: string) => {
    const s = store.get(id);
    if (!s) throw new ContractError('not-found', `no training scenario ${id}`, reason('noScenario', { id }));
    return s;
  };
  const handlers: TrainingHandlers = {
    'training.scenarios.list': () => store.list(),
    'training.scenarios.get': ({ id }) => find(id),
    'training.scenarios.save': ({ scenario, operator }) => {
      const p = Scenario.safeParse(scenario);
      if (!p.success) throw new ContractError('invalid', `the scenario is not valid: ${describeIssues(p.error.issues)}`, reasonOfIssue(p.error.issues[0]!) ?? undefined);
      const have = new Set(o.cameraIds());
      const lacking = p.data.cameraIds.filter((c) => !have.has(c));
      if (lacking.length) throw new ContractError('invalid', `the scenario names cameras this console lacks: ${lacking.join(', ')}`, reason('scenarioCameras', { cameras: lacking.join(', ') }));
      const src = p.data.source;
      if (src.kind === 'package') {
        const i = o.incident(src.incidentId);
        if (!i) throw new ContractError('invalid', `the scenario plays incident ${src.incidentId}, which this console has not imported`, reason('scenarioNoIncident', { id: src.incidentId }));
        if (p.data.durationMs > i.toMs - i.fromMs) throw new ContractError('invalid', `the scenario lasts ${p.data.durationMs / 1000} s, longer than incident ${src.incidentId} (${(i.toMs - i.fromMs) / 1000} s)`,
          reason('scenarioTooLong', { seconds: p.data.durationMs / 1000, id: src.incidentId, incidentSeconds: (i.toMs - i.fromMs) / 1000 }));
      } else if (o.recordedMs) {
        // a scenario longer than its footage would show the trainee black tiles; one on the latest recordings needs its
        // cameras recorded (their lead before a session's start)
        const [fromMs, toMs] = src.kind === 'recording' ? [src.fromMs, src.fromMs + p.data.durationMs] : pastFootage(src, p.data.durationMs, now());
        const short = camerasShortOfFootage(p.data.cameraIds, fromMs, toMs, o.recordedMs);
        if (short.length) throw new ContractError('invalid', `the recordings do not cover the scenario (${(toMs - fromMs) / 1000} s from ${new Date(fromMs).toISOString()}) for ${short.join(', ')}`,
          reason('recordingsShort', { seconds: (toMs - fromMs) / 1000, cameras: short.join(', ') }));
      }
      const saved = store.save(p.data, operator, now());
      o.audit({ user: operator, action: 'training.scenario.save', target: `scenario:${saved.id}`, details: { name: saved.name, cameras: saved.cameraIds, events: saved.events.length } });
      return saved;
    },
    'training.scenarios.remove': ({ id, operator }) => {
      if (!store.remove(id)) throw new ContractError('not-found', `no training scenario ${id}`, reason('noScenario', { id }));
      o.audit({ user: operator, action: 'training.scenario.remove', target: `scenario:${id}`, details: {} });
      return { ok: true as const };
    },
    'training.score': ({ session }) => scoreSession(find(session.scenarioId), session),
  };
  return { handlers, store, close: () => store.close() };
}
