/**
 * Issue 10 §3, §7 through real processes: unit telemetry published to the web shell's embedded MQTT broker reaches
 * the host's unit store (units.list, units.changed), and bad messages are counted by reason without moving the unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import type { UnitTelemetry, UnitsSnapshot } from '../../electron/contract/units-schema.js';

let shell: RunningShell;
let api: ApiClient;
let pub: MqttClient;

beforeAll(async () => {
  shell = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  const info = await api.call('alarms.info', {});
  pub = await mqtt.connectAsync(info.mqttUrl, { clientId: 'units-test' });
}, 120_000);

afterAll(async () => {
  await pub?.endAsync(true);
  api?.close();
  await shell?.close();
});

describe('unit telemetry over MQTT', () => {
  it('reaches the unit store, and bad telemetry is counted by reason without moving the unit', async () => {
    const ts = Date.now();
    const good: UnitTelemetry = { v: 1, id: 'robot-9', kind: 'robot', lat: 43.26, lon: 76.97, heading: 45, speed: 1.5, battery: 70, ts };
    await pub.publishAsync('kuzet/units/robot-9', JSON.stringify(good), { qos: 1 });
    await pub.publishAsync('kuzet/units/robot-9', JSON.stringify({ ...good, lat: 47.76, ts: ts + 1000 }), { qos: 1 }); // 500 km in a second
    await pub.publishAsync('kuzet/units/robot-9', '{"v":1,"id":"robot-9","lat":NaN}', { qos: 1 });
    await pub.publishAsync('kuzet/units/robot-9', JSON.stringify({ ...good, lon: 190, ts: ts + 2000 }), { qos: 1 });
    await pub.publishAsync('kuzet/units/robot-9', JSON.stringify({ ...good, v: 7 }), { qos: 1 });
    await pub.publishAsync('kuzet/units/robot-9', JSON.stringify({ ...good, lat: 43.26001, ts: ts + 3000 }), { qos: 1 });
    const snap = await waitFor('the units in the store', async () => {
      const s = await api.call('units.list', {});
      return s.units[0]?.ts === ts + 3000 && Object.values(s.rejected).reduce((a, b) => a + b, 0) === 4 ? s : null;
    });
    expect(snap.units).toHaveLength(1);
    expect(snap.units[0]).toMatchObject({ id: 'robot-9', kind: 'robot', lat: 43.26001, lon: 76.97, stale: false });
    expect(snap.units[0]!.track.map((p) => p[1])).toEqual([43.26, 43.26001]); // never the refused 47.76
    expect(snap.rejected).toEqual({ 'implausible-jump': 1, 'not-json': 1, 'bad-coordinates': 1, 'unknown-version': 1 });
    await waitFor('a units.changed event', () => api.events.some((e) => e.event === 'units.changed' && (e.payload as UnitsSnapshot).units[0]?.ts === ts + 3000));

  }, 120_000);
});
