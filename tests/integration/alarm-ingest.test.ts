/**
 * MQTT ingest against a real embedded broker (aedes) and a real SQLite file: Kuzet and Frigate messages become
 * events and alarms, every bad message is rejected with a reason and the broker keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { AlarmEngine } from '../../electron/host/alarms/engine.js';
import { SqliteAlarmStore } from '../../electron/host/alarms/store-sqlite.js';
import { startEmbeddedBroker, type MqttIngest } from '../../electron/host/alarms/mqtt-ingest.js';
import { createLogger } from '../../electron/host/log.js';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { until } from '../support/until.js';

let dir: string, store: SqliteAlarmStore, engine: AlarmEngine, ingest: MqttIngest, client: MqttClient;
const changed: Alarm[] = [];
const log = createLogger({ quiet: true });
const pub = (topic: string, payload: string | Buffer) => client.publishAsync(topic, payload, { qos: 1 });
const now = Date.now();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-alarm-ingest-'));
  store = new SqliteAlarmStore(join(dir, 'alarms.sqlite'));
  engine = new AlarmEngine({ store, log, cameras: () => [{ id: 'cam-a', group: 'Medeu' }, { id: 'cam-b' }, { id: 'front_door', frigate: { names: [], detectWidth: 1280, detectHeight: 720 } }] });
  engine.onChange((a) => changed.push(...a));
  ingest = await startEmbeddedBroker(engine, { port: 0 }, log);
  client = await mqtt.connectAsync(ingest.url, { clientId: 'test-publisher' });
});
afterAll(async () => {
  await client?.endAsync();
  await ingest?.close();
  engine?.close();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('MQTT ingest', () => {
  it('a Kuzet event is committed before its PUBACK and raises an alarm; redelivery of the same id is stored once', async () => {
    const ev = { id: 'plate-1', captureTime: now, type: 'plate', track: 'v1', attributes: { text: '777ABZ02', watchlistHit: true, watchlist: 'wanted' } };
    await pub('kuzet/events/cam-a', JSON.stringify(ev));
    expect(store.hasEvent('plate-1')).toBe(true); // PUBACK came after the commit
    await pub('kuzet/events/cam-a', JSON.stringify(ev));
    expect(store.countEvents()).toBe(1);
    await until(() => changed.some((a) => a.summary === 'Plate 777ABZ02 on list wanted'));
    const a = changed.find((x) => x.ruleId === 'watchlist-plate')!;
    expect(a).toMatchObject({ priority: 1, cameraId: 'cam-a', state: 'new', count: 1 });
    // the same plate seen on another camera: a new alarm linked to the same incident
    await pub('kuzet/events/cam-b', JSON.stringify({ ...ev, id: 'plate-2', captureTime: now + 5000 }));
    await until(() => changed.some((x) => x.cameraId === 'cam-b' && x.incidentId === a.id));
  });

  it('the same track within the window folds into one alarm with a count', async () => {
    for (let i = 0; i < 5; i++) await pub('kuzet/events/cam-a', JSON.stringify({ captureTime: now + i * 1000, type: 'abandoned_object', track: 'bag-7', attributes: { dwellSec: 60 + i } }));
    await until(() => engine.openAlarms().some((x) => x.type === 'abandoned_object' && x.count === 5));
    expect(engine.openAlarms().filter((x) => x.type === 'abandoned_object')).toHaveLength(1);
  });

  it('Frigate events feed Kuzet as they are', async () => {
    const msg = { type: 'new', before: {}, after: { id: '1712345.678-abc', camera: 'front_door', label: 'person', sub_label: ['P-0417', 0.93], top_score: 0.88, box: [640, 180, 768, 540], frame_time: now / 1000, current_zones: ['porch'] } };
    const n0 = store.countEvents();
    await pub('frigate/events', JSON.stringify(msg));
    const face = await (async () => { await until(() => engine.openAlarms().some((x) => x.cameraId === 'front_door')); return engine.openAlarms().find((x) => x.cameraId === 'front_door')!; })();
    expect(face).toMatchObject({ type: 'face_match', ruleId: 'watchlist-face' });
    expect(face.boxes[0]).toMatchObject({ x: 0.5, y: 0.25, w: 0.1, h: 0.5 });
    await pub('frigate/events', JSON.stringify({ ...msg, type: 'end', after: { ...msg.after, end_time: now / 1000 + 2 } })); // the final observation
    expect(store.countEvents() - n0).toBe(2);
    await until(() => engine.get(face.id)?.endedAt === Math.round(now + 2000));
  });

  it('bad input is rejected with a reason and the broker keeps working', async () => {
    const before = engine.stats().rejected;
    await pub('kuzet/events/cam-a', '{not json');
    await pub('kuzet/events/cam-a', JSON.stringify({ captureTime: 'yesterday', type: 'motion' }));
    await pub('kuzet/events/nowhere', JSON.stringify({ captureTime: now, type: 'motion' }));
    await pub('kuzet/events/cam-a', Buffer.alloc(1_100_000, 32));
    await pub('kuzet/events/cam-a', JSON.stringify({ captureTime: now, type: 'plate', attributes: { text: '<script>alert(1)</script>', watchlistHit: true } }));
    await pub('kuzet/events/cam-a', JSON.stringify({ captureTime: now, type: 'crowd', attributes: { count: 5 }, boxes: [{ x: 0.9, y: 0, w: 0.5, h: 0.1 }] }));
    const s = engine.stats();
    const delta = (k: string) => (s.rejected[k] ?? 0) - (before[k] ?? 0);
    expect(delta('malformed-json')).toBe(1);
    expect(delta('unknown-camera')).toBe(1);
    expect(delta('too-large')).toBe(1);
    expect(delta('invalid')).toBe(3); // wrong type, 25-char plate, box outside the frame
    expect(s.lastRejects.at(-2)?.detail).toContain('attributes.text');
    // HTML in a text field within limits is stored as text, untouched
    await pub('kuzet/events/cam-a', JSON.stringify({ captureTime: now, type: 'camera_offline', attributes: { reason: '<img src=x onerror=alert(1)>' } }));
    await until(() => engine.openAlarms().some((x) => x.summary === 'Camera offline: <img src=x onerror=alert(1)>'));
    expect(store.verifyAudit().ok).toBe(true);
  });

  it('a thousand events in a burst are all committed and acknowledged', async () => {
    const n0 = store.countEvents();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => pub('kuzet/events/cam-b', JSON.stringify({ id: `burst-${i}`, captureTime: now + i, type: 'motion', track: `m${i % 10}`, confidence: 0.9, attributes: { area: 0.05 } }))));
    expect(store.countEvents() - n0).toBe(1000);
  });
});
