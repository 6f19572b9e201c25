/**
 * Frigate pointed at Kuzet unchanged: Frigate's own messages (tests/support/frigate/*.json) published to the real
 * embedded broker (aedes), stored in a real SQLite file, mapped through cameras set up with the camera registry (one with
 * Frigate's detect size set, one with the size probed by ffprobe from its sub-stream).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { AlarmEngine } from '../../electron/host/alarms/engine.js';
import { SqliteAlarmStore } from '../../electron/host/alarms/store-sqlite.js';
import { startEmbeddedBroker, type MqttIngest } from '../../electron/host/alarms/mqtt-ingest.js';
import { CameraRegistry } from '../../electron/host/cameras/registry.js';
import { FileKeySecretBox } from '../../electron/host/settings/secrets.js';
import { createLogger } from '../../electron/host/log.js';
import type { StoredEvent } from '../../electron/contract/events-schema.js';
import { ROOT } from '../support/harness.js';
import { FIXTURE_EPOCH_S, frigateMessage, frigateMessages, shiftTimes, type FrigateFixture } from '../support/frigate-fixtures.js';

let dir: string, store: SqliteAlarmStore, engine: AlarmEngine, ingest: MqttIngest, client: MqttClient, registry: CameraRegistry;
const log = createLogger({ quiet: true });
/** The fixtures' objects happened 30 s ago. */
const shift = Math.floor(Date.now() / 1000) - 30 - FIXTURE_EPOCH_S;
const publish = (m: FrigateFixture, moveToNow = true) => client.publishAsync(m.topic, JSON.stringify(moveToNow ? shiftTimes(m.payload, shift) : m.payload), { qos: 1 });
const frigateEvents = () => (store.db.prepare(`SELECT body FROM events WHERE source = 'frigate' ORDER BY rowid`).pluck().all() as string[]).map((b) => JSON.parse(b) as StoredEvent);
/** Epoch ms of a fixture time given as seconds after FIXTURE_EPOCH_S, moved to now. */
const ms = (afterEpoch: number) => Math.round((FIXTURE_EPOCH_S + afterEpoch + shift) * 1000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-frigate-'));
  const clips = realpathSync(join(ROOT, 'resources', 'clips'));
  registry = new CameraRegistry({ dataDir: dir, secrets: new FileKeySecretBox(dir), log, fileRoots: () => [clips] });
  // Frigate's detect size set by the operator: 1280x720
  await registry.add({ id: 'porch', name: 'Porch', mainUrl: 'rtsp://10.0.0.5/main', frigate: { names: ['front_door'], detectWidth: 1280, detectHeight: 720 } });
  // no size set: the probed sub-stream's (640x360)
  await registry.add({ id: 'abay-dostyk', name: 'Abay / Dostyk', mainUrl: pathToFileURL(join(clips, 'crossing-720p.h264')).href,
    subUrl: pathToFileURL(join(clips, 'crossing-360p.h264')).href, frigate: { names: ['abay_crossing'] } }, { probe: true });
  store = new SqliteAlarmStore(join(dir, 'alarms.sqlite'));
  engine = new AlarmEngine({ store, log, cameras: () => registry.list() });
  ingest = await startEmbeddedBroker(engine, { port: 0 }, log);
  client = await mqtt.connectAsync(ingest.url, { clientId: 'frigate' });
});
afterAll(async () => {
  await client?.endAsync();
  await ingest?.close();
  engine?.close();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Frigate over MQTT', () => {
  it('the camera registry holds the Frigate mapping; the unset detect size comes from the probe', () => {
    expect(registry.get('porch')?.frigate).toEqual({ names: ['front_door'], detectWidth: 1280, detectHeight: 720 });
    expect(registry.get('abay-dostyk')?.probe?.sub).toMatchObject({ ok: true, width: 640, height: 360 });
  });

  it('a person: new, update with a face, face and description updates, end -> stored events, one alarm that records the end', async () => {
    const messages = frigateMessages('person-front-door');
    for (const m of messages) await publish(m); // each PUBACK follows the commit
    const events = frigateEvents().filter((e) => e.track === '1796290200.512381-k2x9qa');
    expect(events.map((e) => e.type)).toEqual(['object', 'face_match', 'face_match', 'object', 'face_match']);
    expect(events.every((e) => e.camera === 'porch')).toBe(true);
    const [first, , , described, last] = events;
    expect(first!.boxes[0]!.x).toBeCloseTo(424 / 1280, 6); // pixels of 1280x720
    expect(first!.boxes[0]!.h).toBeCloseTo(212 / 720, 6);
    expect(described!.attributes).toMatchObject({ description: expect.stringContaining('rings the bell') });
    expect(last).toMatchObject({ captureTime: ms(9.731284), endTime: ms(10.532017) });
    expect(last!.boxes[0]!.x).toBeCloseTo(640 / 1280, 6);

    const alarms = engine.openAlarms().filter((a) => a.cameraId === 'porch');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ type: 'face_match', ruleId: 'watchlist-face', count: 3, endedAt: ms(10.532017), lastAt: ms(10.532017), firstAt: ms(2.084975) });
    expect(alarms[0]!.boxes[0]!.x).toBeCloseTo(0.5, 6); // the final box
    expect(alarms[0]!.summary).toContain('Aidos Serikbayev');
  });

  it('a car: boxes in pixels of the probed sub-stream, the plate read and the lpr update stored, no alarm for an unknown plate', async () => {
    for (const m of frigateMessages('car-abay-crossing')) await publish(m);
    const events = frigateEvents().filter((e) => e.track === '1796290204.118214-r7m1zt');
    expect(events.map((e) => e.type)).toEqual(['object', 'plate', 'plate', 'plate']);
    expect(events[0]!.boxes[0]).toMatchObject({ x: 0.15, y: 0.5, w: 0.25, h: 0.25 }); // [96, 180, 256, 270] of 640x360
    expect(events[1]).toMatchObject({ camera: 'abay-dostyk', zones: ['crossing'], attributes: { text: '777ABZ02', watchlistHit: false } });
    expect(events[3]).toMatchObject({ endTime: ms(17.2) });
    expect(engine.openAlarms().filter((a) => a.cameraId === 'abay-dostyk')).toHaveLength(0);
  });

  it('a year-old event is stored as history and raises no alarm', async () => {
    const alarmsBefore = engine.stats().alarms, staleBefore = engine.stats().stale;
    await publish(frigateMessage('old-event'), false);
    expect(frigateEvents().some((e) => e.track === '1764767400.207752-old1aa' && e.type === 'face_match')).toBe(true);
    engine.flush();
    expect(engine.stats()).toMatchObject({ alarms: alarmsBefore, stale: staleBefore + 1 });
  });

  it('false positives, unmapped cameras and malformed messages are counted with their reason, stored nowhere, alarmed never', async () => {
    const before = engine.stats().rejected;
    const eventsBefore = store.countEvents();
    const skipped = frigateMessages('skipped');
    for (const m of skipped) await publish(m);
    await client.publishAsync('frigate/events', '{"type": "new", "after": {', { qos: 1 });
    const s = engine.stats();
    const delta = (k: string) => (s.rejected[k] ?? 0) - (before[k] ?? 0);
    const expected: Record<string, number> = { 'malformed-json': 1 };
    for (const m of skipped) expected[m.expect!] = (expected[m.expect!] ?? 0) + 1;
    expect(expected).toEqual({ 'malformed-json': 1, 'false-positive': 1, 'unknown-camera': 1, invalid: 1, unsupported: 2, 'unknown-track': 1 });
    for (const [reason, n] of Object.entries(expected)) expect(delta(reason), reason).toBe(n);
    expect(store.countEvents()).toBe(eventsBefore);
    expect(s.lastRejects.some((r) => r.reason === 'unknown-camera' && r.detail.includes("'garage'") && r.topic === 'frigate/events')).toBe(true);
    expect(s.lastRejects.some((r) => r.reason === 'unknown-track' && r.topic === 'frigate/tracked_object_update')).toBe(true);
    expect(store.rejects()['false-positive']).toBeGreaterThanOrEqual(1); // counters survive a restart
    expect(engine.openAlarms().filter((a) => a.cameraId === 'porch')).toHaveLength(1); // still only the face alarm
    expect(store.verifyAudit().ok).toBe(true);
  });
});
