/**
 * Follow a unit runs in the host (issue 10 §3): a map window's connection starts following a unit and then goes away
 * (the map window closed); the unit's telemetry keeps arriving over the web shell's real MQTT broker and the wall's
 * follow tile still hands over to the fixed camera that sees the unit, until the wall stops the follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import type { UnitTelemetry } from '../../electron/contract/units-schema.js';
import type { FollowStatus } from '../../electron/contract/follow-api.js';

const M = 111_320;
const O: [number, number] = [76.95, 43.25];
/** x metres east and y metres north of O, as [lon, lat]. */
const at = (x: number, y: number): [number, number] => [O[0] + x / (M * Math.cos((O[1] * Math.PI) / 180)), O[1] + y / M];

let shell: RunningShell;
let wallApi: ApiClient;
let pub: MqttClient;

beforeAll(async () => {
  shell = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
  wallApi = await ApiClient.connect(shell.info.origin, shell.info.token);
  const info = await wallApi.call('alarms.info', {});
  pub = await mqtt.connectAsync(info.mqttUrl, { clientId: 'follow-test' });
  const [west, east] = [at(0, 0), at(100, 0)];
  await wallApi.call('cameras.add', { probe: false, camera: { id: 'follow-west', name: 'West, looking east', mainUrl: 'rtsp://127.0.0.1:9/none', kind: 'fixed', location: { lon: west[0], lat: west[1], heading: 90, fov: 90 } } });
  await wallApi.call('cameras.add', { probe: false, camera: { id: 'follow-east', name: 'East, looking west', mainUrl: 'rtsp://127.0.0.1:9/none', kind: 'fixed', location: { lon: east[0], lat: east[1], heading: 270, fov: 90 } } });
}, 120_000);

afterAll(async () => {
  await pub?.endAsync(true);
  wallApi?.close();
  await shell?.close();
});

describe('follow a unit in the host', () => {
  it('keeps handing the follow tile over after the map window that started it is gone', async () => {
    let ts = Date.now();
    const report = async (p: [number, number]) => {
      ts += 1000;
      const t: UnitTelemetry = { v: 1, id: 'robot-77', kind: 'robot', lon: p[0], lat: p[1], heading: 90, ts };
      await pub.publishAsync('kuzet/units/robot-77', JSON.stringify(t), { qos: 1 });
      await waitFor('the report in the unit store', async () => (await wallApi.call('units.list', {})).units.some((u) => u.id === 'robot-77' && u.ts === ts));
    };
    const followCell = async () => {
      const f = (await wallApi.call('follow.list', {})).find((x) => x.displayId === 'main');
      const d = (await wallApi.call('wall.displays', {})).find((x) => x.id === 'main');
      return { f, camera: f?.cellIndex != null ? d?.layout.cells[f.cellIndex]?.cameraId ?? null : null };
    };
    await report(at(10, 2)); // 10 m ahead of the west camera, 90 m from the east one (out of its 60 m)

    // the map window: its own connection starts following, then closes
    const mapApi = await ApiClient.connect(shell.info.origin, shell.info.token);
    const started = await mapApi.call('follow.start', { displayId: 'main', unitId: 'robot-77' });
    expect(started).toMatchObject({ unitId: 'robot-77', cameraId: 'follow-west', handovers: 0 });
    expect(started.cellIndex).not.toBeNull();
    expect((await followCell()).camera).toBe('follow-west');
    mapApi.close();

    // the unit drives east, into the east camera's cone: the tile hands over with no map window open
    await report(at(50, 2));
    await report(at(85, 2));
    const after = await waitFor('the handover', async () => { const x = await followCell(); return x.camera === 'follow-east' ? x : null; });
    expect(after.f).toMatchObject({ cellIndex: started.cellIndex, handovers: 1, error: null });
    expect(wallApi.events.some((e) => e.event === 'follow.changed' && (e.payload as FollowStatus[]).some((f) => f.cameraId === 'follow-east'))).toBe(true);

    // back west; then the wall stops following and the tile stays as it was
    await report(at(10, 2));
    await waitFor('the handover back', async () => (await followCell()).camera === 'follow-west');
    await wallApi.call('follow.stop', { displayId: 'main' });
    expect(await wallApi.call('follow.list', {})).toEqual([]);
    await report(at(85, 2));
    const cells = (await wallApi.call('wall.displays', {})).find((x) => x.id === 'main')!.layout.cells;
    expect(cells[started.cellIndex!]?.cameraId).toBe('follow-west');
  }, 120_000);
});
