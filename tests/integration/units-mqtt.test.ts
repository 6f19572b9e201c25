/**
 * Issue 10 §3, §7 through real processes: unit telemetry published to the web shell's embedded MQTT broker reaches
 * the host's unit store (units.list, units.changed), and bad messages are counted by reason without moving the unit.
 * Only a connection that asked (`units.watch`) gets the units' deltas, and applying them (renderer/map/unit-feed.ts)
 * gives what `units.list` holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { UnitsDelta, type UnitTelemetry } from '../../electron/contract/units-schema.js';
import { UnitFeed } from '../../renderer/map/unit-feed.js';

let shell: RunningShell;
let api: ApiClient;
/** A connection that never asks for units (a wall window). */
let wall: ApiClient;
let pub: MqttClient;

beforeAll(async () => {
  shell = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  wall = await ApiClient.connect(shell.info.origin, shell.info.token);
  await api.call('units.watch', { on: true });
  const info = await api.call('alarms.info', {});
  pub = await mqtt.connectAsync(info.mqttUrl, { clientId: 'units-test' });
}, 120_000);

afterAll(async () => {
  await pub?.endAsync(true);
  api?.close();
  wall?.close();
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
    // the watcher's deltas, applied from the start, hold what the store holds (the first one asks units.list)
    const feed = new UnitFeed({ list: () => api.call('units.list', {}) }, () => {});
    feed.catchUp();
    const deltas = () => api.events.filter((e) => e.event === 'units.changed').map((e) => UnitsDelta.parse(e.payload));
    let applied = 0;
    await waitFor('a units.changed delta with the last report', () => {
      for (const d of deltas().slice(applied)) { feed.delta(d); applied++; }
      return feed.get().units.get('robot-9')?.ts === ts + 3000 && feed.get().rejected['unknown-version'] === 1;
    });
    expect([...feed.get().units.values()]).toEqual(snap.units);
    expect(feed.get().rejected).toEqual(snap.rejected); // the rejected counts reach the map with the deltas
    // a connection that did not ask never gets them
    expect(wall.events.filter((e) => e.event === 'units.changed')).toEqual([]);
    await api.call('units.watch', { on: false });
    const before = deltas().length;
    await pub.publishAsync('kuzet/units/robot-9', JSON.stringify({ ...good, lat: 43.26002, ts: ts + 4000 }), { qos: 1 });
    await waitFor('the report in the store', async () => (await api.call('units.list', {})).units[0]?.ts === ts + 4000);
    await new Promise((r) => setTimeout(r, 700)); // past the next delta's time
    expect(deltas().length).toBe(before);
    await api.call('units.watch', { on: true });

  }, 120_000);
  it('records every accepted report, and units.tracks returns a unit\'s track for a time range (issue 10 §3: replay with the footage)', async () => {
    const t0 = Date.now() - 120_000; // reports of two minutes ago, as review asks for them
    const at = (i: number): UnitTelemetry => ({ v: 1, id: 'patrol-4', kind: 'patrol_car', lat: 43.25, lon: 76.94 + i * 0.0005, heading: 90, ts: t0 + i * 1000 });
    for (let i = 0; i < 6; i++) await pub.publishAsync('kuzet/units/patrol-4', JSON.stringify(at(i)), { qos: 1 });
    await pub.publishAsync('kuzet/units/patrol-4', JSON.stringify({ ...at(6), lat: 47.76 }), { qos: 1 }); // 500 km: refused
    await pub.publishAsync('kuzet/units/patrol-4', JSON.stringify(at(7)), { qos: 1 });
    const r = await waitFor('the recorded track', async () => {
      const x = await api.call('units.tracks', { fromMs: t0 + 2000, toMs: t0 + 10_000, unitIds: ['patrol-4'] });
      return x.tracks[0]?.points.at(-1)?.[2] === t0 + 7000 ? x : null;
    });
    expect(r.truncated).toBe(false);
    expect(r.tracks).toHaveLength(1);
    expect(r.tracks[0]).toMatchObject({ id: 'patrol-4', kind: 'patrol_car' });
    // the lead-in (t0+1000: where it was when the range starts), the range, never the refused report
    expect(r.tracks[0]!.points.map((p) => p[2] - t0)).toEqual([1000, 2000, 3000, 4000, 5000, 7000]);
    expect(r.tracks[0]!.points[2]).toEqual([76.94 + 3 * 0.0005, 43.25, t0 + 3000, 90]);
    expect(r.tracks[0]!.points.every((p) => p[1] === 43.25)).toBe(true);
    // all units in the range (robot-9 of the test above reported now, outside it)
    const all = await api.call('units.tracks', { fromMs: t0, toMs: t0 + 10_000 });
    expect(all.tracks.map((t) => t.id)).toEqual(['patrol-4']);
    // a range the contract refuses gets a clear error
    await expect(api.call('units.tracks', { fromMs: t0 + 10_000, toMs: t0 })).rejects.toThrow(/toMs must be after fromMs/);
  }, 120_000);
  it('counts a camera\'s tamper events over the attention window (issue 10 §5: health)', async () => {
    await api.call('cameras.add', { probe: false, camera: { id: 'health-cam', name: 'Health', mainUrl: 'rtsp://127.0.0.1:9/none', location: { lat: 43.25, lon: 76.95 } } });
    await pub.publishAsync('kuzet/events/health-cam', JSON.stringify({ id: 'tamper-1', captureTime: Date.now() - 1000, type: 'tamper', attributes: { kind: 'covered' } }), { qos: 1 });
    const cam = await waitFor('the tamper event counted', async () => (await api.call('map.attention', { hours: 24 })).cameras.find((c) => c.cameraId === 'health-cam' && c.tamperEvents > 0));
    expect(cam.tamperEvents).toBe(1);
    expect(cam.watchedMs).toBe(0);
  }, 120_000);
});
