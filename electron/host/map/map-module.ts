/**
 * The map's host side (issue 10): the unit store fed by MQTT `kuzet/units/+` from the same broker the alarm queue
 * uses (a client of its own, so event ingest is untouched), a sweep that marks silent units stale, and the
 * `units.changed` delta (units-delta.ts) at most twice a second, only when something changed.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../log.js';
import type { HostService } from '../../contract/api.js';
import type { MapUnit, UnitsDelta, UnitsSnapshot } from '../../contract/units-schema.js';
import { UNITS_TOPIC } from '../../contract/units-schema.js';
import { UnitStore, type UnitStoreOptions } from './unit-store.js';
import { unitsDelta } from './units-delta.js';
import { MAP_CONFIG_FILE, readMapFiles, type MapFiles } from './map-files.js';
import type { KlvSourceConfig } from '../../contract/map-api.js';
import { startKlvSource, type KlvSourceOptions } from './klv-source.js';
import { attentionFrom, healthFrom } from './attention.js';
import { queryAudit } from '../audit/audit-report.js';
import { TrackStore } from './track-store.js';
import { addPlan, placePlan, removePlan } from './plan-save.js';
import type { StaleHealth } from '../streams/stale-spells.js';
import { unwatchFile, watchFile } from 'node:fs';
import { join } from 'node:path';

export interface MapModule {
  readonly store: UnitStore;
  /** Every accepted report, for review and replay (`units.tracks`). */
  readonly tracks: TrackStore;
  readonly handlers: Pick<HostService, 'units.list' | 'map.config' | 'map.attention' | 'units.tracks' | 'map.plans.place' | 'map.plans.add' | 'map.plans.remove'>;
  /** The basemap and plan files map.json named when a window last asked for `map.config` (map-http.ts serves them). */
  files(): MapFiles;
  /** Subscribes to unit telemetry on the broker at `mqttUrl`. */
  listen(mqttUrl: string, auth?: { username?: string; password?: string }): Promise<void>;
  /** A drone whose position and footprint come from the KLV (MISB ST 0601) in its MPEG-TS stream; stops with the module. */
  addKlvSource(source: KlvSourceOptions): void;
  /** Sends the units' delta now (an empty one when nothing changed: a training hold makes its trainees ask `units.list`). */
  push(): void;
  /** A demo publisher stopped when the module closes. */
  addDemo(demo: { stop(): void }): void;
  close(): Promise<void>;
}

export function createMapModule(opts: { log: Logger; dataDir: string; emit: (delta: UnitsDelta) => void; store?: UnitStoreOptions; emitEveryMs?: number; cameraIds?: () => string[];
  /** Every unit whole in every delta (the wire before 2026-12-05): the benchmark's A/B only (KUZET_UNITS_WIRE, host.ts). */
  wholeUnits?: () => boolean;
  /** Days recorded tracks are kept: the recordings' age limit (recorded tracks replay with the footage). */
  retentionDays?: () => Promise<number> | number;
  /** A camera's stored events in a window (the alarm store), for its health over the attention window. */
  events?: (cameraId: string, fromMs: number, toMs: number) => ReadonlyArray<{ type: string }>;
  /** Each camera's stale spells over the window (streams/stale-spells.ts), for its health. */
  staleHealth?: (fromMs: number, toMs: number) => ReadonlyMap<string, StaleHealth>;
  /** How often map.json's modification time is polled for KLV sources (ms; tests make it short). */
  configPollMs?: number;
  /** Writes a change made from the map to the audit (who, action, target, details), durably. */
  audit?: (user: string, action: string, target: string, details: string) => void }): MapModule {
  const store = new UnitStore(opts.store);
  const tracks = new TrackStore(join(opts.dataDir, 'units.sqlite'));
  const offRecord = store.onAccept((u) => tracks.record(u));
  const write = setInterval(() => { try { tracks.flush(); } catch (e) { opts.log.warn('unit track write failed', { error: String(e) }); } }, 1000);
  const prune = async () => {
    if (!opts.retentionDays) return;
    try {
      const days = await opts.retentionDays();
      const n = tracks.prune(Date.now() - days * 86_400_000);
      if (n) opts.log.info('unit track retention', { deleted: n, days });
    } catch (e) { opts.log.warn('unit track retention failed', { error: String(e) }); }
  };
  void prune();
  const pruneTimer = setInterval(() => { void prune(); }, 3_600_000);
  write.unref(); pruneTimer.unref();
  const every = opts.emitEveryMs ?? 500;
  let dirty = false;
  let client: MqttClient | null = null;
  const off = store.onChange(() => { dirty = true; });
  const sweep = setInterval(() => store.sweep(), 1000);
  // what the last delta left every window with (the store replaces a unit's object on each change), and its number
  let sent = new Map<string, MapUnit>();
  let seq = 0;
  const send = (): void => {
    dirty = false;
    const now = store.snapshot();
    const delta = unitsDelta(sent, now.units, ++seq, now.rejected, opts.wholeUnits?.() ?? false);
    sent = new Map(now.units.map((u) => [u.id, u]));
    opts.emit(delta);
  };
  /** The units as of the last delta: anything pending is sent first, so the answer and the deltas after it line up. */
  const snapshot = (): UnitsSnapshot => {
    if (dirty) send();
    return { seq, ...store.snapshot() };
  };
  const flush = setInterval(() => { if (dirty) send(); }, every);
  sweep.unref(); flush.unref();
  let lastWarn = 0;
  let closed = false;
  const demos: Array<{ stop(): void }> = [];
  let mapFiles: MapFiles | null = null;
  const reload = (): MapFiles => {
    mapFiles = readMapFiles(opts.dataDir);
    for (const p of mapFiles.config.problems) opts.log.warn('map file refused', { problem: p });
    return mapFiles;
  };

  // Drones read from their KLV that map.json names: started when the host starts and, as the file changes (watched,
  // and re-read whenever a window asks for map.config), started and stopped to match it without a restart.
  const configured = new Map<string, { stop(): void }>();
  const klvKey = (k: KlvSourceConfig): string => JSON.stringify([k.unitId, k.url, k.cameraId ?? null]);
  const matchKlv = (wanted: KlvSourceConfig[] | null): void => {
    if (wanted === null || closed) return; // a refused file keeps what runs (its problem is in map.config)
    const keys = new Set(wanted.map(klvKey));
    for (const [key, source] of configured) if (!keys.has(key)) { source.stop(); configured.delete(key); opts.log.info('KLV source removed', { source: key }); }
    for (const k of wanted) {
      const key = klvKey(k);
      if (configured.has(key)) continue;
      configured.set(key, startKlvSource({ url: k.url, unitId: k.unitId, ...(k.cameraId ? { cameraId: k.cameraId } : {}), store, log: opts.log.child('klv') }));
    }
  };
  const configFile = join(opts.dataDir, MAP_CONFIG_FILE);
  const onConfigFile = (): void => { matchKlv(reload().klv); };
  watchFile(configFile, { interval: opts.configPollMs ?? 2000 }, onConfigFile).unref();
  matchKlv(reload().klv);

  return {
    store,
    tracks,
    handlers: {
      'units.tracks': ({ fromMs, toMs, unitIds, limit }) => ({ fromMs, toMs, ...tracks.tracks(fromMs, toMs, unitIds, limit) }),
      'units.list': () => snapshot(),
      'map.config': () => { const f = reload(); matchKlv(f.klv); return f.config; },
      'map.plans.place': ({ id, points }) => {
        placePlan(opts.dataDir, id, points);
        opts.log.info('site plan placed', { plan: id, points: points.length });
        return reload().config;
      },
      'map.plans.add': (p) => {
        const id = addPlan(opts.dataDir, p);
        opts.log.info('site plan added', { plan: id, name: p.name, widthM: p.widthM });
        return { id, config: reload().config };
      },
      'map.plans.remove': ({ id }, ctx) => {
        const r = removePlan(opts.dataDir, id);
        opts.log.info('site plan removed', { plan: id, image: r.image, imageDeleted: r.imageDeleted });
        opts.audit?.(ctx.user ?? ctx.clientId, 'map.plan.remove', `plan:${id}`, JSON.stringify({ image: r.image, imageDeleted: r.imageDeleted }));
        return { config: reload().config, imageDeleted: r.imageDeleted };
      },
      'map.attention': ({ hours }) => {
        const toMs = Date.now();
        const fromMs = toMs - hours * 3_600_000;
        // an interval is written when it ends: entries written in the window cover every interval that reached into it
        const rows = queryAudit(opts.dataDir, { chains: ['access'], actions: ['view.live'], fromMs, limit: 100_000 }).entries;
        const stale = opts.staleHealth?.(fromMs, toMs);
        const cameras = attentionFrom(rows, opts.cameraIds?.() ?? [], fromMs, toMs)
          .map((c) => ({ ...c, ...healthFrom(opts.events?.(c.cameraId, fromMs, toMs) ?? []), ...(stale?.get(c.cameraId) ?? { staleSpells: 0, staleMs: 0 }) }));
        return { fromMs, toMs, cameras };
      },
    },
    files: () => mapFiles ?? reload(),
    async listen(mqttUrl, auth) {
      const c = await mqtt.connectAsync(mqttUrl, { clientId: `kuzet-units-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, reconnectPeriod: 2000, ...auth });
      if (closed) { await c.endAsync(true); return; }
      client = c;
      client.on('message', (topic, payload) => {
        const r = store.ingest(topic, payload);
        // A flood of bad telemetry is counted, and logged at most once every 10 s.
        if (!r.ok && Date.now() - lastWarn > 10_000) { lastWarn = Date.now(); opts.log.warn('unit telemetry rejected', { topic, reason: r.reason, message: r.message }); }
      });
      await client.subscribeAsync(`${UNITS_TOPIC}+`, { qos: 0 });
      opts.log.info('listening for unit telemetry', { topic: `${UNITS_TOPIC}+` });
    },
    push: send,
    addDemo(demo) { if (closed) demo.stop(); else demos.push(demo); },
    addKlvSource(source) { if (!closed) demos.push(startKlvSource({ ...source, store, log: opts.log.child('klv') })); },
    async close() {
      closed = true;
      for (const d of demos.splice(0)) d.stop();
      unwatchFile(configFile, onConfigFile);
      for (const source of configured.values()) source.stop();
      configured.clear();
      off(); offRecord(); clearInterval(sweep); clearInterval(flush); clearInterval(write); clearInterval(pruneTimer);
      await client?.endAsync(true).catch(() => {});
      tracks.close();
    },
  };
}
