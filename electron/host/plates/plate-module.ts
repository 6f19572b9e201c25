/**
 * The host's plate module (issue 10 §4): the plate index fed by the alarm engine's ingest (a tap: every committed
 * plate and traffic-violation event, whatever its source: MQTT analytics, Frigate's recognized plates, the demo), the
 * watch list (a sighting of a listed plate is marked as a watch-list hit before the rules run, so the alarm rules raise
 * it, with the plate's last known route in the alarm's details), and the violation review list. Configured from the
 * environment: KUZET_PLATE_RETENTION_DAYS (sightings kept, default 30; accepted violations are kept).
 */
import { join } from 'node:path';
import { ContractError, type HostService } from '../../contract/api.js';
import { reason as refusal, type ErrorReason } from '../../contract/api-errors.js';
import type { StoredEvent } from '../../contract/events-schema.js';
import type { GeoPosition } from '../../contract/schemas.js';
import { checkPattern, checkPlate, patternMatches } from '../../contract/plates/plate-text.js';
import type { platesRequests, Sighting, WatchEntry } from '../../contract/plates/plates-api.js';
import type { EventTap } from '../alarms/engine.js';
import type { AuditInput } from '../audit/audit-log.js';
import type { Logger } from '../log.js';
import { PlateIndex, type SightingInput, type ViolationInput } from './plate-index.js';

type PlateHandlers = Pick<HostService, keyof typeof platesRequests>;

/** How many earlier sightings a watch-list alarm lists as the plate's last known route, and how far back. */
const ROUTE_IN_ALARM = 10;
const ROUTE_WINDOW_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;

export interface PlateModuleOptions {
  dataDir: string;
  log: Logger;
  /** Where each camera stands now (the registry): a sighting keeps its camera's position at the time it is stored. */
  cameras: () => Array<{ id: string; name: string; location?: GeoPosition | undefined }>;
  /** The alarm audit chain (watch-list edits, violation decisions). */
  audit: (entry: AuditInput) => void;
  /** A picture with the camera's privacy masks applied (as the alarm snapshot is). */
  maskPicture: (cameraId: string, dataUrl: string) => Promise<string | null>;
  /** The centre's time zone, for the route text in alarm details. */
  timeZone: () => string;
  now?: () => number;
  retentionDays?: number;
}

export interface PlateModule {
  readonly index: PlateIndex;
  readonly handlers: PlateHandlers;
  /** Give this to `AlarmEngine.addTap`. */
  readonly tap: EventTap;
  close(): void;
}

export function retentionDaysFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  if (env.KUZET_PLATE_RETENTION_DAYS === undefined) return 30;
  const d = Number(env.KUZET_PLATE_RETENTION_DAYS);
  if (!Number.isFinite(d) || d <= 0) throw new Error(`KUZET_PLATE_RETENTION_DAYS: not a number of days above 0: ${env.KUZET_PLATE_RETENTION_DAYS}`);
  return d;
}

export function createPlateModule(opts: PlateModuleOptions): PlateModule {
  const index = new PlateIndex(join(opts.dataDir, 'plates.sqlite'));
  const now = opts.now ?? Date.now;
  const log = opts.log;
  let watch: WatchEntry[] = index.watchList();
  let unreadable = 0;
  let lastWarn = 0;

  const retentionDays = opts.retentionDays ?? retentionDaysFromEnv();
  const prune = () => { try { const n = index.prune(now() - retentionDays * DAY_MS); if (n) log.info('plate retention', { deleted: n, days: retentionDays }); } catch (e) { log.warn('plate retention failed', { error: String(e) }); } };
  prune();
  const pruneTimer = setInterval(prune, 6 * 3_600_000);
  pruneTimer.unref();

  const positions = () => {
    const m = new Map<string, { name: string; position: { lat: number; lon: number } | null }>();
    for (const c of opts.cameras()) m.set(c.id, { name: c.name, position: c.location ? { lat: c.location.lat, lon: c.location.lon } : null });
    return m;
  };
  const refuse = (what: string, problem: string) => {
    unreadable++;
    if (now() - lastWarn > 10_000) { lastWarn = now(); log.warn('plate not indexed', { text: what.slice(0, 40), problem, unreadable }); }
  };

  const formatAt = (ms: number) => {
    try { return new Intl.DateTimeFormat('en-GB', { timeZone: opts.timeZone(), hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(ms); } catch { return new Date(ms).toISOString().slice(11, 19); }
  };
  /** The route as one line of the alarm's details: "14:02:10 Abay / Dostyk -> 14:05:31 KBTU crossing -> ...". */
  const routeText = (route: readonly Pick<Sighting, 'cameraId' | 'atMs'>[]) => {
    const cams = positions();
    return route.map((s) => `${formatAt(s.atMs)} ${cams.get(s.cameraId)?.name ?? s.cameraId}`).join(' → ');
  };

  const tap: EventTap = {
    beforeRules(ev: StoredEvent) {
      if (ev.type !== 'plate' || ev.attributes.watchlistHit || watch.length === 0) return { event: ev };
      const p = checkPlate(ev.attributes.text);
      if (!p.ok) return { event: ev };
      const entry = watch.find((w) => patternMatches(w.pattern, p.plate));
      if (!entry) return { event: ev };
      const earlier = index.route(p.plate, { fromMs: ev.captureTime - ROUTE_WINDOW_MS, toMs: ev.captureTime }, 5000).sightings.slice(-(ROUTE_IN_ALARM - 1));
      const route = [...earlier, { cameraId: ev.camera, atMs: ev.captureTime }];
      return {
        event: { ...ev, attributes: { ...ev.attributes, watchlistHit: true, watchlist: entry.list } },
        details: { route: routeText(route), routeSightings: route.length, ...(entry.note ? { watchNote: entry.note } : {}) },
      };
    },
    committed(events) {
      const sightings: SightingInput[] = [];
      const violations: ViolationInput[] = [];
      let cams: ReturnType<typeof positions> | null = null;
      const at = (id: string) => (cams ??= positions()).get(id)?.position ?? null;
      for (const ev of events) {
        if (ev.type !== 'plate' && ev.type !== 'traffic_violation') continue;
        const text = ev.type === 'plate' ? ev.attributes.text : ev.attributes.plate;
        const box = ev.boxes[0] ?? null;
        if (ev.type === 'traffic_violation') {
          const p = text ? checkPlate(text) : null;
          if (p && !p.ok) refuse(text!, p.problem);
          violations.push({ id: ev.id, cameraId: ev.camera, atMs: ev.captureTime, violation: ev.attributes.violation, plate: p?.ok ? p.plate : null,
            speedKmh: ev.attributes.speedKmh ?? null, limitKmh: ev.attributes.limitKmh ?? null, box, position: at(ev.camera), snapshot: ev.snapshot ?? null });
        }
        if (!text) continue;
        const p = checkPlate(text);
        if (!p.ok) { if (ev.type === 'plate') refuse(text, p.problem); continue; }
        sightings.push({ eventId: ev.id, plate: p.plate, text, cameraId: ev.camera, atMs: ev.captureTime, confidence: ev.confidence, box, position: at(ev.camera),
          kind: ev.type === 'plate' ? 'plate' : 'violation' });
      }
      if (sightings.length || violations.length) index.add(sightings, violations);
    },
  };

  const invalid = (problem: string, why: ErrorReason) => new ContractError('invalid', problem, why);
  const noViolation = (id: string) => new ContractError('not-found', `no violation ${id}`, refusal('noViolation', { id }));
  const handlers: PlateHandlers = {
    'plates.search': ({ pattern, fromMs, toMs, limit }) => {
      const p = checkPattern(pattern);
      if (!p.ok) throw invalid(`plate pattern ${p.problem}`, p.reason);
      return { pattern: p.pattern, ...index.search(p, { fromMs, toMs }, limit) };
    },
    'plates.route': ({ plate, fromMs, toMs, limit }) => {
      const p = checkPlate(plate);
      if (!p.ok) throw invalid(`plate ${p.problem}`, p.reason);
      return { plate: p.plate, ...index.route(p.plate, { fromMs, toMs }, limit) };
    },
    'plates.watchlist.get': () => watch.slice(),
    'plates.watchlist.save': ({ entries, operator }) => {
      const seen = new Set<string>();
      const next: WatchEntry[] = [];
      for (const e of entries) {
        const p = checkPattern(e.pattern);
        if (!p.ok) throw invalid(`watch list: '${e.pattern.slice(0, 40)}': ${p.problem}`, p.reason);
        if (seen.has(p.pattern)) continue;
        seen.add(p.pattern);
        next.push({ ...e, pattern: p.pattern });
      }
      index.saveWatchList(next);
      watch = next;
      opts.audit({ user: operator, action: 'plates.watchlist.save', target: 'watchlist', details: { entries: next.length, patterns: next.map((e) => `${e.pattern}:${e.list}`).join(' ').slice(0, 2000) } });
      return next.slice();
    },
    'violations.list': ({ states, limit }) => index.violations(states, limit),
    'violations.get': ({ id }) => {
      const v = index.violation(id);
      if (!v) throw noViolation(id);
      return v;
    },
    'violations.decide': ({ id, verdict, reason, operator }) => {
      const v = index.violation(id);
      if (!v) throw noViolation(id);
      if (v.state !== 'pending') throw new ContractError('conflict', `violation ${id} was already ${v.state} by ${v.decidedBy ?? '?'}`,
        refusal(v.state === 'accepted' ? 'violationAccepted' : 'violationRejected', { id, by: v.decidedBy ?? '?' }));
      const at = now();
      if (!index.decide(id, verdict, operator, at, reason)) throw new ContractError('conflict', `violation ${id} was decided meanwhile`, refusal('violationDecidedMeanwhile', { id }));
      opts.audit({ user: operator, action: verdict === 'accepted' ? 'violation.accept' : 'violation.reject', target: id,
        details: { reason, camera: v.cameraId, violation: v.violation, plate: v.plate ?? '', at: v.atMs } });
      return index.violation(id)!;
    },
    'violations.picture': async ({ id }) => {
      const p = index.picture(id);
      if (!p) throw noViolation(id);
      return { data: p.data ? await opts.maskPicture(p.cameraId, p.data) : null };
    },
  };

  return {
    index, handlers, tap,
    close() { clearInterval(pruneTimer); index.close(); },
  };
}
