/**
 * The host's alarm module: store + engine + MQTT ingest + camera-offline events, exposed as the contract's
 * alarm handlers. Configured from the environment (docs/alarms.md): KUZET_MQTT_URL, KUZET_MQTT_USER,
 * KUZET_MQTT_PASSWORD, KUZET_MQTT_CA, KUZET_MQTT_PORT (embedded broker; default 1883, 0 = any free port), KUZET_PG_URL
 * (share the alarm queue with other hosts through PostgreSQL), KUZET_FRIGATE_MAX_AGE_SEC (older Frigate events raise no alarm).
 */
import { join } from 'node:path';
import { ContractError, type HostService } from '../../contract/api.js';
import { reason, type ErrorReason } from '../../contract/api-errors.js';
import type { alarmRequests } from '../../contract/alarms-api.js';
import type { Alarm } from '../../contract/alarms-schema.js';
import { EVENT_MODEL_VERSION, KuzetEvent, type OverlayMeta, type StoredEvent } from '../../contract/events-schema.js';
import type { StreamStatus } from '../../contract/schemas.js';
import type { CameraZones } from '../../contract/zones-schema.js';
import type { TimelineMarker } from '../../contract/review-api.js';
import type { Logger } from '../log.js';
import { AlarmEngine, FRIGATE_MAX_AGE_MS, type CameraFacts } from './engine.js';
import { connectExternalBroker, FRIGATE_TOPIC, FRIGATE_UPDATE_TOPIC, KUZET_TOPIC, startEmbeddedBroker, type MqttIngest, type MqttOptions } from './mqtt-ingest.js';
import { SqliteAlarmStore } from './store-sqlite.js';
import type { AuditInput, AuditLog } from '../audit/audit-log.js';
import { startDemoEvents, type DemoEvents, type DemoEventsOptions } from './demo-events.js';
import { PgAlarmBoard } from './shared-board-pg.js';
import { describeEvent } from './describe-event.js';
import { alarmMarker } from './alarm-marker.js';
import { MaskBook } from '../masks/mask-book.js';
import { maskSnapshot } from '../masks/mask-burn.js';
import type { StorageAlarm } from '../recording/recording-service.js';

type AlarmHandlers = Pick<HostService, keyof typeof alarmRequests>;

/** What a media worker reports when its motion detector fires (native/worker/motion.py). */
export interface MotionReport { captureTime?: number; track?: string; area?: number; confidence?: number; boxes?: unknown }

export interface AlarmModule {
  readonly engine: AlarmEngine;
  readonly handlers: AlarmHandlers;
  onChange(cb: (alarms: Alarm[]) => void): () => void;
  /** Appends a typed entry to the alarm audit chain (console actions that are not alarm actions: layout changes). */
  audit(entry: AuditInput): void;
  /** The alarm audit chain for retention pruning, and its hold: entries from the oldest open alarm's creation on stay. */
  readonly auditChain: { log: AuditLog; keepFrom(): number | null };
  onOverlay(cb: (items: OverlayMeta[]) => void): () => void;
  onZones(cb: (z: CameraZones) => void): () => void;
  /** Privacy masks, stored beside the zones (issue 12 §3). */
  readonly masks: MaskBook;
  /** Alarm markers for the review timeline (at the capture time of the alarm's first event). */
  markers(cameraIds: readonly string[], fromMs: number, toMs: number): TimelineMarker[];
  /** Events with boxes on a camera in a range, as burn-in exports draw them. */
  overlayEvents(cameraId: string, fromMs: number, toMs: number): Array<{ atMs: number; label: string; boxes: Array<{ x: number; y: number; w: number; h: number; label?: string | undefined }> }>;
  /** Every stored event of a camera captured in [fromMs, toMs), oldest first (incident packages, issue 11). */
  eventsOf(cameraId: string, fromMs: number, toMs: number, limit: number): { events: StoredEvent[]; truncated: boolean };
  /** Recording storage in trouble (full, read-only, gone): a `storage` event on the first affected camera. */
  /** Resolves whether the queue took it (false: not stored; the recording service raises it again). */
  storageAlarm(a: StorageAlarm): Promise<boolean>;
  /** Stream health in: a camera going offline raises a camera_offline event. */
  streamStatus(s: StreamStatus): void;
  /** The media worker's motion detector saw motion: a `motion` event (event model v1) into the same ingest. */
  motionDetected(cameraId: string, report: MotionReport): void;
  /** The demo city's analytics (web shell / desktop `--demo`). */
  startDemoEvents(demoCityFile: string, scene: Pick<DemoEventsOptions, 'truth' | 'watchedCameras'>): Promise<void>;
  close(): Promise<void>;
}

export function mqttOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): MqttOptions {
  const port = env.KUZET_MQTT_PORT === undefined ? 1883 : Number(env.KUZET_MQTT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`KUZET_MQTT_PORT: not a port number: ${env.KUZET_MQTT_PORT}`);
  return {
    port,
    ...(env.KUZET_MQTT_URL ? { url: env.KUZET_MQTT_URL } : {}),
    ...(env.KUZET_MQTT_USER ? { username: env.KUZET_MQTT_USER } : {}),
    ...(env.KUZET_MQTT_PASSWORD ? { password: env.KUZET_MQTT_PASSWORD } : {}),
    ...(env.KUZET_MQTT_CA ? { caFile: env.KUZET_MQTT_CA } : {}),
  };
}

/** KUZET_FRIGATE_MAX_AGE_SEC: Frigate events older than this are stored as history without an alarm (default 300). */
export function frigateMaxAgeFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  if (env.KUZET_FRIGATE_MAX_AGE_SEC === undefined) return FRIGATE_MAX_AGE_MS;
  const sec = Number(env.KUZET_FRIGATE_MAX_AGE_SEC);
  if (!Number.isFinite(sec) || sec <= 0) throw new Error(`KUZET_FRIGATE_MAX_AGE_SEC: not a number of seconds above 0: ${env.KUZET_FRIGATE_MAX_AGE_SEC}`);
  return sec * 1000;
}

export function createAlarmModule(opts: { dataDir: string; cameras: () => CameraFacts[]; log: Logger; mqtt?: MqttOptions; pgUrl?: string }): AlarmModule {
  const log = opts.log;
  const store = new SqliteAlarmStore(join(opts.dataDir, 'alarms.sqlite'), { log: log.child('audit') });
  const masks = new MaskBook(store, log.child('masks'));
  const engine = new AlarmEngine({ store, cameras: opts.cameras, log, frigateMaxAgeMs: frigateMaxAgeFromEnv() });
  const mqttOpts = opts.mqtt ?? mqttOptionsFromEnv();
  const ingest: Promise<MqttIngest | null> = (mqttOpts.url
    ? connectExternalBroker(engine, { ...mqttOpts, url: mqttOpts.url }, log)
    : startEmbeddedBroker(engine, mqttOpts, log)
  ).catch((err: unknown) => { log.error('MQTT ingest did not start', { error: String(err) }); return null; });
  // Several consoles on several hosts: alarms shared through PostgreSQL (KUZET_PG_URL).
  const pgUrl = opts.pgUrl ?? process.env.KUZET_PG_URL;
  const board: Promise<PgAlarmBoard | null> = pgUrl
    ? PgAlarmBoard.open(pgUrl, log.child('pg'), (a) => engine.remote(a)).then(async (b) => { await engine.attachBoard(b); log.info('alarms shared through PostgreSQL'); return b; })
      .catch((err: unknown) => { log.error('PostgreSQL alarm sharing did not start', { error: String(err) }); return null; })
    : Promise.resolve(null);
  const lastState = new Map<string, string>();
  let demo: DemoEvents | null = null;

  const ready = async () => {
    const i = await ingest;
    if (!i) throw new ContractError('unavailable', 'MQTT ingest is not running (see the host log)', reason('mqttDown'));
    return i;
  };

  const handlers: AlarmHandlers = {
    'alarms.info': async () => {
      const i = await ready();
      return { mqttUrl: i.url, embedded: i.embedded, topics: [`${KUZET_TOPIC}<camera>`, FRIGATE_TOPIC, FRIGATE_UPDATE_TOPIC], eventModelVersion: EVENT_MODEL_VERSION };
    },
    'alarms.list': ({ states, cameraId, limit }) => {
      engine.flush();
      return store.listAlarms({ ...(states ? { states } : {}), ...(cameraId ? { cameraId } : {}), limit });
    },
    'alarms.get': ({ id }) => {
      const alarm = engine.get(id);
      if (!alarm) throw new ContractError('not-found', `no alarm ${id}`, reason('noAlarm', { id }));
      return { alarm, history: store.historyOf(id) };
    },
    'alarms.snapshot': async ({ id }) => {
      const data = store.snapshot(id);
      const cameraId = data ? engine.get(id)?.cameraId : undefined;
      // privacy masks as they apply now (issue 12 §3): permanent ones always, liftable ones unless lifted
      return { data: data && cameraId ? await maskSnapshot(data, masks.applied(cameraId, 'current').map((m) => m.polygon)) : data };
    },
    'alarms.act': ({ id, operator, action }) => engine.act(id, action, operator),
    'alarms.bulk': async ({ ids, operator, action }) => {
      const results: { id: string; ok: boolean; message: string | null; reason?: ErrorReason | null }[] = [];
      for (const id of ids) {
        try { await engine.act(id, action, operator); results.push({ id, ok: true, message: null }); } catch (e) { results.push({ id, ok: false, message: e instanceof Error ? e.message : String(e), reason: e instanceof ContractError ? e.reason ?? null : null }); }
      }
      return { results };
    },
    'alarms.stats': () => ({ ingest: engine.stats(), falseByCamera: store.falseAlarmStats('camera'), falseByRule: store.falseAlarmStats('rule_id') }),
    'alarms.rules.list': () => engine.listRules(),
    'alarms.rules.save': ({ rules, operator }) => engine.saveRules(rules as never, operator),
    'alarms.audit.verify': () => store.verifyAudit(),
    'zones.list': ({ cameraIds }) => engine.zones.list(cameraIds),
    'zones.save': ({ cameraId, zones, operator }) => {
      if (!opts.cameras().some((c) => c.id === cameraId)) throw new ContractError('not-found', `no camera '${cameraId}'`, reason('noCamera', { camera: cameraId }));
      return engine.zones.save(cameraId, zones, operator, Date.now());
    },
    'events.query': ({ cameraId, fromMs, toMs, limit }) => { engine.flush(); return store.overlaysOf(cameraId, fromMs, toMs, limit); },
  };

  return {
    engine, handlers, masks,
    onChange: (cb) => engine.onChange(cb),
    audit: (entry) => { store.auditLog.append(entry); },
    auditChain: { log: store.auditLog, keepFrom: () => store.oldestOpenAlarmAt() },
    onOverlay: (cb) => engine.onOverlay(cb),
    onZones: (cb) => engine.zones.onChange(cb),
    markers: (cameraIds, fromMs, toMs) => store.alarmsBetween(cameraIds, fromMs, toMs).map(alarmMarker),
    eventsOf(cameraId, fromMs, toMs, limit) { engine.flush(); return store.eventsOf(cameraId, fromMs, toMs, limit); },
    overlayEvents(cameraId, fromMs, toMs) {
      engine.flush();
      return store.eventsWithBoxes(cameraId, fromMs, toMs, 200).map((e) => ({ atMs: e.captureTime, label: describeEvent(e), boxes: e.boxes }));
    },
    storageAlarm(a) {
      const camera = a.cameraIds.find((id) => opts.cameras().some((c) => c.id === id));
      // nothing to attach it to (no camera records): logged, not raised again at every tick
      if (!camera) { log.warn('storage problem with no recorded camera to attach an alarm to', { ...a }); return Promise.resolve(true); }
      const attributes = { problem: a.problem, path: a.path.slice(0, 500), detail: a.detail.slice(0, 500), cameras: a.cameraIds.length,
        ...(a.freeBytes !== undefined ? { freeBytes: a.freeBytes } : {}), ...(a.shortfallBytes !== undefined ? { shortfallBytes: a.shortfallBytes } : {}) };
      return engine.submitEvent({ v: 1, camera, captureTime: Date.now(), confidence: 1, boxes: [], zones: [], type: 'storage', attributes }, 'recording')
        .then((r) => { if (!r.accepted) log.warn('storage event refused', { outcome: JSON.stringify(r) }); return r.accepted; },
          (e: unknown) => { log.warn('storage event not stored', { error: String(e) }); return false; });
    },
    streamStatus(s) {
      const prev = lastState.get(s.cameraId);
      lastState.set(s.cameraId, s.state);
      if (s.state === 'offline' && prev !== undefined && prev !== 'offline') {
        void engine.submitEvent({ v: 1, camera: s.cameraId, captureTime: Date.now(), confidence: 1, boxes: [], zones: [], type: 'camera_offline', attributes: { reason: s.message ?? s.reason } }, 'streams')
          .catch((e: unknown) => log.warn('camera_offline event not stored', { error: String(e) }));
      }
    },
    motionDetected(cameraId, r) {
      const parsed = KuzetEvent.safeParse({
        v: EVENT_MODEL_VERSION, camera: cameraId, captureTime: Math.round(r.captureTime ?? Date.now()), type: 'motion',
        confidence: r.confidence ?? 1, boxes: r.boxes ?? [], ...(r.track ? { track: r.track } : {}), attributes: { area: r.area ?? 0 },
      });
      if (!parsed.success) { log.warn('motion report dropped', { camera: cameraId, error: parsed.error.issues[0]?.message }); return; }
      void engine.submitEvent(parsed.data, 'motion').catch((e: unknown) => log.warn('motion event not stored', { error: String(e) }));
    },
    async startDemoEvents(demoCityFile, scene) {
      const i = await ready();
      demo = startDemoEvents({ mqttUrl: i.url, demoCityFile, knownCameras: () => opts.cameras().map((c) => c.id), log: log.child('demo-events'), ...scene });
    },
    async close() {
      await demo?.stop();
      const i = await ingest;
      await i?.close();
      await (await board)?.close();
      engine.close();
      masks.close();
      store.close();
    },
  };
}
