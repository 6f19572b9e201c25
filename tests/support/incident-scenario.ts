/**
 * The incident the replay tests act out on a console recording one simulator camera (tests/integration/incident-package,
 * tests/e2e/replay): the wall shows the camera in four tiles; a tamper alarm is raised over MQTT, claimed, the wall goes
 * to one tile, the alarm is resolved; recording goes on until the footage covers it all. No fixed waits: each step
 * waits for the state the next one needs (below).
 */
import type { MqttClient } from 'mqtt';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { ApiClient } from './api-client.js';
import { waitFor } from './harness.js';
import { segmentsOf, waitSegments } from './recording.js';

/**
 * The alarm raised by event `eventId`, from the `alarms.changed` event that announced it. The host journals a raise
 * (the replay's `alarm.raise`, at the alarm's creation time) in the same turn as it sends that event; an operator action
 * before it would be journaled first and the raise, an older version of the alarm, would then never be.
 */
export function raisedAlarm(api: ApiClient, eventId: string, timeoutMs = 15_000): Promise<Alarm> {
  return waitFor(`the alarm of event ${eventId} announced`, () => api.events
    .flatMap((e) => (e.event === 'alarms.changed' ? e.payload as Alarm[] : []))
    .find((a) => a.lastEventId === eventId), timeoutMs, 50);
}

/**
 * Returns once the clock has passed `t`. Call it with the time a reply arrived: the host journaled the action before it
 * replied, so the next action is journaled at a later millisecond and the replay has a moment between the two.
 */
export async function clockPast(t: number): Promise<void> {
  while (Date.now() <= t) await new Promise((r) => setTimeout(r, 1));
}

/** Acts the incident out on `cameraId` (already recording); returns the alarm. `operator` claims and resolves it. */
export async function actOutIncident(api: ApiClient, pub: MqttClient, cameraId: string, eventId: string, operator: string): Promise<Alarm> {
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', [cameraId], 'live', 'Four') });
  await waitSegments(api, cameraId, 3, 90_000);
  await pub.publishAsync(`kuzet/events/${cameraId}`, JSON.stringify({ id: eventId, captureTime: Date.now(), type: 'tamper', confidence: 0.9, attributes: { kind: 'covered' } }), { qos: 1 });
  const alarm = await raisedAlarm(api, eventId);
  await api.call('alarms.act', { id: alarm.id, operator, action: { kind: 'claim' } });
  await clockPast(Date.now());
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('1', [cameraId], 'live', 'One') });
  await clockPast(Date.now());
  await api.call('alarms.act', { id: alarm.id, operator, action: { kind: 'resolve', verdict: 'confirmed', comment: 'checked' } });
  await waitSegments(api, cameraId, (await segmentsOf(api, cameraId)) + 2, 60_000); // the footage covers the whole incident
  return alarm;
}
