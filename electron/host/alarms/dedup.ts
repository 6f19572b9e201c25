/**
 * De-duplication and incident linking: pure state + decisions, no clock of its own.
 * - The same rule, camera, type and track (or plate/face identity) within the rule's window folds into one
 *   open alarm, which counts the events.
 * - The same plate or face on another camera within the incident window links the new alarm to the
 *   earlier alarm's incident.
 */
import type { KuzetEvent } from '../../contract/events-schema.js';
import type { Rule } from '../../contract/alarms-schema.js';
import { normalisePlate } from '../../contract/plates/plate-text.js';

export interface DedupState {
  /** dedup key -> the open alarm it folds into and the time of its last event (ms). */
  open: Map<string, { alarmId: string; lastAt: number }>;
  /** identity (plate:TEXT, face:ID) -> the incident, the camera that last saw it, and when. */
  identities: Map<string, { incidentId: string; cameraId: string; lastAt: number }>;
}

export const emptyDedup = (): DedupState => ({ open: new Map(), identities: new Map() });

/** Plate text or face id that identifies the same subject across cameras, normalised. */
export function identityOf(ev: KuzetEvent): string | null {
  if (ev.type === 'face_match') return `face:${ev.attributes.watchlist}:${ev.attributes.personId}`;
  if (ev.type === 'plate') return `plate:${normalisePlate(ev.attributes.text)}`;
  if (ev.type === 'traffic_violation' && ev.attributes.plate) return `plate:${normalisePlate(ev.attributes.plate)}`;
  return null;
}

export function dedupKey(rule: Rule, ev: KuzetEvent): string {
  const subject = ev.track ?? identityOf(ev) ?? '';
  return `${rule.id}|${ev.camera}|${ev.type}|${subject}`;
}

export type DedupDecision =
  | { kind: 'fold'; alarmId: string }
  | { kind: 'new'; incidentId: string | null };

/** Decides whether `ev` folds into an open alarm. `isOpen` tells whether that alarm is still unresolved. */
export function decide(state: DedupState, rule: Rule, ev: KuzetEvent, at: number, isOpen: (alarmId: string) => boolean): DedupDecision {
  const key = dedupKey(rule, ev);
  const prev = state.open.get(key);
  if (prev && at - prev.lastAt <= rule.dedupWindowSec * 1000 && isOpen(prev.alarmId)) return { kind: 'fold', alarmId: prev.alarmId };
  const id = identityOf(ev);
  const seen = id ? state.identities.get(id) : undefined;
  const linked = seen && seen.cameraId !== ev.camera && at - seen.lastAt <= rule.incidentWindowSec * 1000 ? seen.incidentId : null;
  return { kind: 'new', incidentId: linked };
}

/** Records the outcome: the alarm this event now belongs to, and the identity sighting. */
export function record(state: DedupState, rule: Rule, ev: KuzetEvent, at: number, alarmId: string, incidentId: string | null): void {
  state.open.set(dedupKey(rule, ev), { alarmId, lastAt: at });
  const id = identityOf(ev);
  if (id) state.identities.set(id, { incidentId: incidentId ?? alarmId, cameraId: ev.camera, lastAt: at });
}

/** Drops entries older than `maxAgeMs` so the maps stay bounded during a storm. */
export function prune(state: DedupState, now: number, maxAgeMs: number): void {
  for (const [k, v] of state.open) if (now - v.lastAt > maxAgeMs) state.open.delete(k);
  for (const [k, v] of state.identities) if (now - v.lastAt > maxAgeMs) state.identities.delete(k);
}
