/** Builders for alarm tests: valid events and alarms with only the fields a test cares about. */
import { Rule, type Alarm, type RuleInput } from '../../electron/contract/alarms-schema.js';
import { KuzetEvent, type KuzetEventInput } from '../../electron/contract/events-schema.js';

export const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);

export const rule = (r: Partial<RuleInput> = {}): Rule => Rule.parse({ id: 'r1', name: 'Rule one', priority: 3, ...r });

export function event(e: Partial<KuzetEventInput> & { type?: KuzetEventInput['type'] } = {}): KuzetEvent {
  const base = { camera: 'cam-a', captureTime: T0 };
  const type = e.type ?? 'object';
  const attributes = (e as { attributes?: unknown }).attributes ?? ({
    object: { class: 'person' }, plate: { text: '777ABZ02', watchlistHit: true, watchlist: 'wanted' }, motion: { area: 0.1 },
    face_match: { watchlist: 'wanted', personId: 'P1', similarity: 0.9 }, crowd: { count: 100 }, tamper: { kind: 'covered' },
    traffic_violation: { violation: 'speeding', speedKmh: 120, limitKmh: 90 }, abandoned_object: { dwellSec: 100 }, camera_offline: { reason: 'eos' },
  } as Record<string, unknown>)[type];
  return KuzetEvent.parse({ ...base, ...e, type, attributes });
}

export function alarm(a: Partial<Alarm> = {}): Alarm {
  return {
    id: 'A1', ruleId: 'r1', ruleName: 'Rule one', priority: 3, type: 'object', cameraId: 'cam-a', state: 'new', owner: null, count: 1,
    firstAt: T0, lastAt: T0, createdAt: T0, claimedAt: null, escalatedAt: null, resolvedAt: null, escalation: null, verdict: null, comment: null,
    incidentId: null, summary: 'person detected', lastEventId: 'e1', attributes: {}, boxes: [], hasSnapshot: false,
    sop: [{ text: 'Look', state: 'pending', by: null, at: null }, { text: 'Call', state: 'pending', by: null, at: null }], version: 1, ...a,
  };
}
