/**
 * Issue 10 §4 through real processes: 1,200 plate reads published to the web shell's embedded MQTT broker go through
 * the alarm ingest into the plate index; search and route answer them correctly; a user whose recordings right covers
 * one camera group gets only those cameras' sightings; a plate on the watch list raises an alarm carrying its last
 * known route; bad patterns are refused with their reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { signIn, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import type { KuzetEventInput } from '../../electron/contract/events-schema.js';

let shell: RunningShell;
let api: ApiClient;
let pub: MqttClient;
const CAMS = [
  { id: 'anpr-1', group: 'Almaly', lat: 43.2393, lon: 76.9573 },
  { id: 'anpr-2', group: 'Almaly', lat: 43.2553, lon: 76.9459 },
  { id: 'anpr-3', group: 'Medeu district', lat: 43.161, lon: 77.047 },
];
const T0 = Date.now() - 3_600_000;
const PLATES = Array.from({ length: 40 }, (_, i) => `${String(100 + i)}KZA0${i % 3}`);
const N = 1200;

beforeAll(async () => {
  shell = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  for (const c of CAMS) await api.call('cameras.add', { camera: { id: c.id, name: `ANPR ${c.id}`, mainUrl: `rtsp://127.0.0.1:9/${c.id}`, group: c.group, location: { lat: c.lat, lon: c.lon } }, probe: false });
  const info = await api.call('alarms.info', {});
  pub = await mqtt.connectAsync(info.mqttUrl, { clientId: 'plates-test' });
}, 120_000);

afterAll(async () => {
  await pub?.endAsync(true);
  api?.close();
  await shell?.close();
});

/** Sighting i: plate i % 40 on camera i % 3, one a second from T0 (so each plate's route visits the cameras in turn). */
const event = (i: number): KuzetEventInput & { id: string } => ({
  id: `anpr-test-${i}`, camera: CAMS[i % 3]!.id, captureTime: T0 + i * 1000, type: 'plate', confidence: 0.93,
  boxes: [{ x: 0.4, y: 0.6, w: 0.1, h: 0.05, label: PLATES[i % 40]! }], attributes: { text: PLATES[i % 40]! },
});

describe('plate index through the MQTT ingest', () => {
  it('indexes 1,200 plate reads; search and route are right; the rights filter removes other groups\' cameras', async () => {
    for (let i = 0; i < N; i += 100) await Promise.all(Array.from({ length: 100 }, (_, k) => pub.publishAsync(`kuzet/events/${CAMS[(i + k) % 3]!.id}`, JSON.stringify(event(i + k)), { qos: 1 })));
    // a redelivery is stored once
    await pub.publishAsync('kuzet/events/anpr-1', JSON.stringify(event(0)), { qos: 1 });
    const route = await waitFor('every sighting of plate 0 indexed', async () => {
      const r = await api.call('plates.route', { plate: PLATES[0]! });
      return r.sightings.length === N / 40 ? r : null;
    }, 60_000);
    // plate 0 is read at i = 0, 40, 80, ...: cameras i % 3 in turn, in time order, with each camera's position
    expect(route.sightings.map((s) => s.atMs)).toEqual(Array.from({ length: 30 }, (_, k) => T0 + k * 40_000));
    expect(route.sightings.map((s) => s.cameraId)).toEqual(Array.from({ length: 30 }, (_, k) => CAMS[(k * 40) % 3]!.id));
    expect(route.sightings[0]).toMatchObject({ plate: '100KZA00', position: { lat: 43.2393, lon: 76.9573 }, box: { x: 0.4, w: 0.1 }, kind: 'plate' });
    expect(route.truncated).toBe(false);

    const all = await api.call('plates.search', { pattern: '1??KZA0*', limit: 1000 });
    expect(all).toMatchObject({ pattern: '1??KZA0*', truncated: true });
    const wild = await api.call('plates.search', { pattern: '1?0 kza 0?', limit: 1000 }); // 100, 110, 120, 130
    expect(new Set(wild.sightings.map((s) => s.plate))).toEqual(new Set(['100KZA00', '110KZA01', '120KZA02', '130KZA00']));
    expect(wild.sightings).toHaveLength(4 * 30);
    expect(wild.sightings.map((s) => s.atMs)).toEqual([...wild.sightings.map((s) => s.atMs)].sort((a, b) => b - a));
    const ranged = await api.call('plates.search', { pattern: PLATES[5]!, fromMs: T0 + 100_000, toMs: T0 + 300_000 });
    expect(ranged.sightings.map((s) => s.atMs)).toEqual([T0 + 285_000, T0 + 245_000, T0 + 205_000, T0 + 165_000, T0 + 125_000]);

    // a user who may view the recordings of group Almaly only
    await api.call('access.users.save', { user: { name: 'almaly-reviewer', password: 'long-enough-1', roles: [], grants: [{ rights: ['viewRecordings'], scope: { kind: 'groups', names: ['Almaly'] } }] } });
    const token = await signIn(shell.info.origin, shell.info.startToken, 'almaly-reviewer', 'long-enough-1');
    const limited = await ApiClient.connect(shell.info.origin, token);
    const seen = await limited.call('plates.route', { plate: PLATES[0]! });
    expect(seen.sightings.length).toBe(20);
    expect(seen.sightings.every((s) => s.cameraId !== 'anpr-3')).toBe(true);
    expect((await limited.call('plates.search', { pattern: '1?0KZA0?', limit: 1000 })).sightings.some((s) => s.cameraId === 'anpr-3')).toBe(false);
    // and may not edit the watch list
    expect(await limited.raw('plates.watchlist.save', { entries: [], operator: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    limited.close();
  }, 180_000);

  it('a plate on the watch list raises an alarm with its last known route', async () => {
    await api.call('plates.watchlist.save', { entries: [{ pattern: '101KZA01', list: 'stolen', note: 'stolen in Almaty' }], operator: 'x' });
    const at = T0 + N * 1000 + 5000;
    await pub.publishAsync('kuzet/events/anpr-2', JSON.stringify({ id: 'anpr-watch-1', camera: 'anpr-2', captureTime: at, type: 'plate', confidence: 0.95, attributes: { text: '101 KZA 01' } }), { qos: 1 });
    const alarm = await waitFor('the watch-list alarm', async () => (await api.call('alarms.list', { limit: 100 })).find((a) => a.lastEventId === 'anpr-watch-1'));
    expect(alarm).toMatchObject({ ruleId: 'watchlist-plate', priority: 1, type: 'plate', cameraId: 'anpr-2', attributes: { watchlistHit: true, watchlist: 'stolen', watchNote: 'stolen in Almaty', routeSightings: 10 } });
    // the 9 sightings before it (plate 1 at i = 1041, 1081, ..., 1161) and this one
    expect(String(alarm.attributes.route).split(' → ')).toHaveLength(10);
    expect(String(alarm.attributes.route)).toMatch(/ANPR anpr-\d → .* ANPR anpr-2$/);
  }, 60_000);

  it('refuses bad patterns and plates with the reason', async () => {
    const refused = async (method: 'plates.search' | 'plates.route', params: Record<string, unknown>) => {
      const r = await api.raw(method, params);
      return r.ok ? 'accepted' : `${r.error.code}: ${r.error.message}`;
    };
    expect(await refused('plates.search', { pattern: '' })).toMatch(/^invalid: .*empty/);
    expect(await refused('plates.search', { pattern: '*?*' })).toMatch(/^invalid: .*only wildcards/);
    expect(await refused('plates.search', { pattern: 'A'.repeat(10_000) })).toMatch(/^invalid: .*too long: 10000 characters/);
    expect(await refused('plates.search', { pattern: '77\u0001AB' })).toMatch(/^invalid: .*control character \(U\+0001\)/);
    expect(await refused('plates.route', { plate: '777AB*' })).toMatch(/^invalid: .*not a plate character/);
    // an event whose plate text holds a control character is stored as an event but not indexed
    await pub.publishAsync('kuzet/events/anpr-1', JSON.stringify({ id: 'anpr-bad-1', camera: 'anpr-1', captureTime: T0, type: 'plate', attributes: { text: '999\u0007ZZZ' } }), { qos: 1 });
    await pub.publishAsync('kuzet/events/anpr-1', JSON.stringify({ id: 'anpr-ok-2', camera: 'anpr-1', captureTime: T0, type: 'plate', attributes: { text: '999ZZZ01' } }), { qos: 1 });
    await waitFor('the good plate after the bad one', async () => (await api.call('plates.search', { pattern: '999ZZZ*' })).sightings.length === 1);
    expect((await api.call('plates.search', { pattern: '999*' })).sightings.map((s) => s.plate)).toEqual(['999ZZZ01']);
  }, 60_000);

  it("indexes Frigate's recognized plates and traffic violations from the same ingest", async () => {
    // Frigate camera 'anpr-3' feeds the Kuzet camera of that id (matched by slug)
    const frameTime = (T0 + 7_000_000) / 1000;
    await pub.publishAsync('frigate/events', JSON.stringify({ type: 'new', before: {}, after: { id: `${frameTime}-lpr`, camera: 'anpr-3', label: 'car', top_score: 0.8, frame_time: frameTime,
      recognized_license_plate: '555 XYZ 02', recognized_license_plate_score: 0.91 } }), { qos: 1 });
    await pub.publishAsync('kuzet/events/anpr-1', JSON.stringify({ id: 'anpr-violation-1', camera: 'anpr-1', captureTime: T0 + 7_000_500, type: 'traffic_violation',
      attributes: { violation: 'wrong_way', plate: '555XYZ02' } }), { qos: 1 });
    const r = await waitFor('the Frigate plate and the violation', async () => { const x = await api.call('plates.route', { plate: '555XYZ02' }); return x.sightings.length === 2 ? x : null; });
    expect(r.sightings).toMatchObject([{ cameraId: 'anpr-3', text: '555 XYZ 02', confidence: 0.91, kind: 'plate' }, { cameraId: 'anpr-1', kind: 'violation' }]);
    expect(await api.call('violations.list', { states: ['pending'] })).toMatchObject([{ id: 'anpr-violation-1', violation: 'wrong_way', plate: '555XYZ02', position: { lat: 43.2393 } }]);
    const done = await api.call('violations.decide', { id: 'anpr-violation-1', verdict: 'accepted', reason: 'clearly against the arrows', operator: 'ignored' });
    expect(done).toMatchObject({ state: 'accepted', decidedBy: 'admin', reason: 'clearly against the arrows' }); // the signed-in user, not what the page sent
    expect(await api.raw('violations.decide', { id: 'anpr-violation-1', verdict: 'rejected', reason: 'x', operator: 'x' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  }, 60_000);
});
