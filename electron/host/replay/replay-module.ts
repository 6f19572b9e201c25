/**
 * Incident replay's host side (issue 11): records every change of the console into the journal as it happens, with
 * the console and user it came from, and serves incidents and the console state at a moment of one.
 *
 * Layout changes are caught where the wall store reports them, so every path (setLayout, push, preset apply, a camera
 * removed from the registry) is recorded; the request that caused one names its actor. Alarm changes are recorded after
 * each operator action (with the operator), and from the engine's change stream for what the host did by itself
 * (raise, time-to-claim escalation, another console's action on the shared board).
 */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ContractError, type HostService } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import type { Alarm } from '../../contract/alarms-schema.js';
import type { replayRequests } from '../../contract/replay-api.js';
import { AlarmSnapshot, type ConsoleChange, type ConsoleEventKind, type Incident, type IncidentRecord } from '../../contract/replay-schema.js';
import { consoleStateAt } from '../../contract/replay-state.js';
import type { Layout, StreamProfile } from '../../contract/schemas.js';
import type { Bookmark, CameraTimeline, EvidenceLock, PlaybackSegment } from '../../contract/review-api.js';
import type { MaskPolygon } from '../masks/mask-raster.js';
import type { ReviewFiles } from '../review/review-http.js';
import type { Logger } from '../log.js';
import type { WallStore } from '../wall/store.js';
import { loadOrCreateSigningKey } from '../export/signing-key.js';
import { ConsoleJournal, journalFile } from './console-journal.js';
import { createTraining } from '../training/training-module.js';
import { archivePackage, buildIncidentPackage, copyPackage, readIncidentPackage, withPackageFolder, type PackageDeps, type ReadPackage } from './incident-package.js';
import { PackageFootage, type PackageVideo } from './package-footage.js';
import { alarmMarkers } from '../alarms/alarm-marker.js';
import { evidenceMarkers } from '../recording/timeline.js';
import { packageOverlays, packageTracks } from './package-answers.js';
import type { PackageEvents, PackageEvidence, PackageUnits, PackageZones } from '../../contract/replay-package.js';
import type { StoredOverlay } from '../../contract/alarms-api.js';
import type { UnitTrack } from '../../contract/map-api.js';
import type { CameraZones } from '../../contract/zones-schema.js';

/** An imported incident as replay reads it from its package: the journal's record, the video files, the alarms, events, unit tracks, zones, bookmarks and locks. */
interface ImportedIncident { record: IncidentRecord; videos: PackageVideo[]; alarms: Alarm[]; events: PackageEvents; units: PackageUnits | null; zones: PackageZones | null; evidence: PackageEvidence | null }
import type { PackageFootageFiles } from '../training/footage-feeder.js';

export type ReplayHandlers = Pick<HostService, keyof typeof replayRequests>;

/** What replay needs of the alarm module. */
export interface ReplayAlarmSource {
  onChange(cb: (alarms: Alarm[]) => void): () => void;
  get(id: string): Alarm | null;
  audit(entry: { user: string; action: string; target: string; details: Record<string, unknown>; console?: string }): void;
}

export interface ReplayModuleOptions {
  dataDir: string;
  wall: WallStore;
  alarms: ReplayAlarmSource;
  log: Logger;
  now?: () => number;
  /** What an incident package needs of the recordings and the alarm store (absent: packages are refused). */
  packages?: Omit<PackageDeps, 'packagesDir' | 'key'>;
  /** The cameras this console has (training scenarios naming others are refused); none known when absent. */
  cameraIds?: () => string[];
  /** Milliseconds of a camera's recorded footage in a range (a training scenario must not outlast its footage). */
  recordedMs?: (cameraId: string, fromMs: number, toMs: number) => number;
  /** This console's recordings, which a local incident's replay plays (an imported one plays its package's video). */
  recordings?: {
    /** `stream`: the stream the tile wants; the answer says which it lists (review's `playback.segments`). */
    segments(cameraId: string, fromMs: number, toMs: number, stream?: StreamProfile): Promise<{ cameraId: string; segments: PlaybackSegment[]; nextMs: number | null; stream?: StreamProfile }>;
    timeline(cameraIds: string[], fromMs: number, toMs: number): CameraTimeline[] | Promise<CameraTimeline[]>;
    /** A timeline hover thumbnail of this console's recording (a JPEG file), or null when nothing was recorded then. */
    thumbnail?(cameraId: string, atMs: number): Promise<string | null>;
  };
  /** This console's stored overlays (`events.query`) and recorded unit tracks (`units.tracks`), which its own incidents replay. */
  overlays?(cameraId: string, fromMs: number, toMs: number, limit: number): { events: StoredOverlay[]; truncated: boolean } | Promise<{ events: StoredOverlay[]; truncated: boolean }>;
  tracks?(fromMs: number, toMs: number, unitIds: readonly string[] | undefined, limit: number): { tracks: UnitTrack[]; truncated: boolean };
  /** This console's zones and lines of these cameras (`zones.list`), which its own incidents draw and its packages carry. */
  zones?(cameraIds: readonly string[]): CameraZones[];
  /** Bookmarks and evidence locks by id (review's store), that incidents are made from. */
  evidence?: { bookmark(id: string): Bookmark | null; lock(id: string): EvidenceLock | null; within(cameraIds: readonly string[], fromMs: number, toMs: number): { locks: EvidenceLock[] } };
  /** Permanent privacy masks of a camera: burned into an imported package's video when served, as into recordings. */
  masks?(cameraId: string, which: 'current' | 'permanent'): MaskPolygon[];
}

export interface ReplayModule {
  readonly handlers: ReplayHandlers;
  readonly journal: ConsoleJournal;
  /** Wraps the service's wall and alarm actions so that each recorded change names the console and user it came from. */
  attribute(service: HostService): void;
  /** The review routes' files of an imported incident's video (`/rec/pkg/<incident>/...`), once indexed; else null. */
  footage(incidentId: string): ReviewFiles | null;
  /**
   * A replay's timeline hover thumbnail (a JPEG file): an imported incident's from its package's video, this console's
   * own from its recordings; null when there is no footage then (or no such incident).
   */
  thumbnail(incidentId: string, cameraId: string, atMs: number): Promise<string | null>;
  /** An imported incident's video as a training scenario plays it (its start and each camera's pieces); null: not imported. */
  trainingFootage(incidentId: string): Promise<PackageFootageFiles | null>;
  close(): void;
}

/** Who did a recorded console action, where, and as which action (the journal's and the training session's). */
export interface Actor { user: string; console: string; action: string }
const SYSTEM: Actor = { user: 'system', console: 'host', action: 'wall.change' };
const WALL_ACTIONS = ['wall.setLayout', 'wall.push', 'wall.presets.apply'] as const;

export function createReplayModule(o: ReplayModuleOptions): ReplayModule {
  const log = o.log.child('replay');
  const now = o.now ?? Date.now;
  const journal = new ConsoleJournal(journalFile(o.dataDir), log);
  /** The operator each connection last acted as (alarm actions name one; wall requests do not yet). */
  const operatorOf = new Map<string, string>();
  let current: Actor | null = null;
  /** Alarms an operator action is changing right now: a change reported while it runs is that operator's. */
  const acting = new Map<string, Actor>();

  const record = (actor: Actor, change: ConsoleChange, at = now()) => {
    try { journal.record({ at, console: actor.console, user: actor.user, action: actor.action, change }); }
    catch (err) { log.error('console action not recorded', { action: actor.action, reason: (err as Error).message }); }
  };

  /** An operator action that leaves no state (journal marker), and in the audit chain unless it is in another already. */
  const recordEvent = (actor: Actor, what: ConsoleEventKind, displayId: string | null, cameraIds: string[], text: string, audited = false, index?: number) => {
    record({ ...actor, action: what }, { kind: 'event', what, displayId, cameraIds: cameraIds.slice(0, 64), text: text.slice(0, 500), ...(index === undefined ? {} : { index }) });
    if (audited) return;
    try { o.alarms.audit({ user: actor.user, console: actor.console, action: what, target: displayId ? `display:${displayId}` : `cameras:${cameraIds.join(',')}`, details: { cameraIds, text } }); }
    catch (err) { log.error('console action not audited', { action: what, reason: (err as Error).message }); }
  };

  const recordLayout = (actor: Actor, displayId: string, layout: Layout) => {
    const last = journal.last(`display:${displayId}`);
    if (last?.change.kind === 'layout' && JSON.stringify(last.change.layout) === JSON.stringify(layout)) return;
    record(actor, { kind: 'layout', displayId, layout });
    // a tour a cell did not run before started with this change (the layout holds it; the marker names it)
    const before = last?.change.kind === 'layout' ? last.change.layout.cells : [];
    for (const [k, cell] of layout.cells.entries()) {
      if (cell.tour && JSON.stringify(before[k]?.tour) !== JSON.stringify(cell.tour)) {
        recordEvent(actor, 'tour.start', displayId, cell.tour.cameraIds, `tile ${k + 1}: ${cell.tour.cameraIds.join(', ')} every ${cell.tour.seconds} s`);
      }
    }
    try {
      o.alarms.audit({ user: actor.user, console: actor.console, action: 'wall.layout', target: `display:${displayId}`,
        details: { via: actor.action, layoutId: layout.id, cols: layout.cols, rows: layout.rows, cameras: layout.cells.map((c) => c.cameraId) } });
    } catch (err) { log.error('layout change not audited', { reason: (err as Error).message }); }
  };
  const recordDisplays = () => { for (const d of o.wall.displays()) recordLayout(current ?? SYSTEM, d.id, d.layout); };

  const recordAlarm = (actor: Actor, a: Alarm, at?: number) => {
    const last = journal.last(`alarm:${a.id}`);
    if (last?.change.kind === 'alarm' && last.change.alarm.version >= a.version) return;
    record(actor, { kind: 'alarm', alarm: AlarmSnapshot.parse(a) }, at);
  };

  recordDisplays(); // the wall as it is when the host starts
  const offs = [
    o.wall.onChange((what) => { if (what === 'displays') recordDisplays(); }),
    o.alarms.onChange((list) => {
      for (const a of list) {
        const raised = a.version === 1;
        recordAlarm(acting.get(a.id) ?? { user: 'system', console: 'host', action: raised ? 'alarm.raise' : 'alarm.change' }, a, raised ? a.createdAt : undefined);
      }
    }),
  ];

  const incidentId = () => `inc-${now().toString(36)}-${randomUUID().slice(0, 8)}`;
  const findIncident = (id: string) => {
    const i = journal.incident(id);
    if (!i) throw new ContractError('not-found', `no incident ${id}`, reason('noIncident', { id }));
    return i;
  };
  const packagesDir = join(o.dataDir, 'incident-packages');
  const importDir = join(o.dataDir, 'imported-packages');
  /** Imported incidents' records and video files, read (and verified) once per host start. */
  const imported = new Map<string, ImportedIncident>();
  const remember = (id: string, dir: string, p: ReadPackage) => {
    // the package's video as its verified manifest lists it; burn-in copies are for presentation, not replay
    const videos = p.manifest.files.flatMap((f) => (f.kind !== 'data' && f.kind !== 'burn-in' && f.cameraId !== undefined && f.startMs !== undefined && f.endMs !== undefined
      ? [{ cameraId: f.cameraId, startMs: f.startMs, endMs: f.endMs, path: join(dir, f.name) }] : []));
    const x = { record: p.journal.record, videos, alarms: p.alarms.alarms.map((a) => a.alarm), events: p.events, units: p.units, zones: p.zones, evidence: p.evidence };
    imported.set(id, x);
    return x;
  };
  const reading = new Map<string, Promise<ImportedIncident>>();
  const readImported = (id: string, dir: string) => imported.get(id) ?? reading.get(id) ?? (() => {
    const r = readIncidentPackage(dir).then((p) => remember(id, dir, p)).finally(() => reading.delete(id)); // verified once, however many ask
    reading.set(id, r);
    return r;
  })();
  /** An imported incident replays from its package alone (read once, async); this console's own from its journal (sync). */
  const recordOf = (id: string): IncidentRecord | Promise<IncidentRecord> => {
    const i = findIncident(id);
    const dir = journal.importedFrom(id);
    if (!dir) return journal.incidentRecord(i);
    const x = readImported(id, dir);
    return x instanceof Promise ? x.then((y) => y.record) : x.record;
  };
  const footage = new PackageFootage(join(o.dataDir, 'cache', 'package-footage'), { log, ...(o.masks ? { masks: o.masks } : {}) });
  /** The package folder of an imported incident (null: this console's own) and its video files. */
  const packageOf = (id: string) => {
    findIncident(id);
    const dir = journal.importedFrom(id);
    return dir ? { videos: async () => (await readImported(id, dir)).videos, read: () => readImported(id, dir) } : null;
  };
  const localRecordings = () => {
    if (!o.recordings) throw new ContractError('unavailable', 'this console has no recordings to replay', reason('noRecordings'));
    return o.recordings;
  };

  const training = createTraining({
    dataDir: o.dataDir, log: log.child('training'), now, cameraIds: o.cameraIds ?? (() => []), incident: (id) => journal.incident(id),
    audit: (e) => o.alarms.audit(e), ...(o.recordedMs ? { recordedMs: o.recordedMs } : {}),
  });

  const handlers: ReplayHandlers = {
    ...training.handlers,
    'replay.incidents.list': () => journal.incidents(),
    'replay.incidents.fromAlarm': ({ alarmId, beforeMin, afterMin, operator, name }) => {
      const a = o.alarms.get(alarmId);
      if (!a) throw new ContractError('not-found', `no alarm ${alarmId}`, reason('noAlarm', { id: alarmId }));
      const end = a.resolvedAt ?? now();
      const incident: Incident = {
        id: incidentId(), name: name ?? `${a.ruleName}: ${a.summary}`.slice(0, 200), alarmId: a.id, cameraIds: [a.cameraId],
        fromMs: Math.max(0, Math.round(Math.min(a.firstAt, a.createdAt) - beforeMin * 60_000)), toMs: Math.round(end + afterMin * 60_000),
        createdAt: now(), createdBy: operator,
      };
      return journal.saveIncident(incident);
    },
    'replay.incidents.fromBookmark': ({ bookmarkId, beforeMin, afterMin, operator }) => {
      const b = o.evidence?.bookmark(bookmarkId);
      if (!b) throw new ContractError('not-found', `no bookmark ${bookmarkId}`, reason('noBookmark', { id: bookmarkId }));
      const name = `${b.comment || b.cameraId}`.slice(0, 200);
      return journal.saveIncident({ id: incidentId(), name, alarmId: null, cameraIds: [b.cameraId], createdAt: now(), createdBy: operator,
        fromMs: Math.max(0, Math.round(b.atMs - beforeMin * 60_000)), toMs: Math.round((b.endMs ?? b.atMs) + afterMin * 60_000) });
    },
    'replay.incidents.fromLock': ({ lockId, operator }) => {
      const l = o.evidence?.lock(lockId);
      if (!l) throw new ContractError('not-found', `no evidence lock ${lockId}`, reason('noLock', { id: lockId }));
      if (l.toMs - l.fromMs > 24 * 3_600_000) throw new ContractError('invalid', `evidence lock ${lockId} spans more than 24 hours, the most an incident spans`, reason('lockTooLong', { id: lockId, hours: 24 }));
      return journal.saveIncident({ id: incidentId(), name: l.reason.slice(0, 200), alarmId: null, cameraIds: [...new Set(l.cameraIds)], createdAt: now(), createdBy: operator, fromMs: l.fromMs, toMs: l.toMs });
    },
    'replay.journal.note': ({ what, displayId, cameraIds, operator, index }, ctx) => {
      const tile = index === undefined ? '' : ` (tile ${index + 1})`;
      recordEvent({ user: operator, console: ctx.clientId, action: what }, what, displayId, cameraIds, `${displayId}${tile}: ${cameraIds.join(', ') || '—'}`, false, index);
      return { ok: true as const };
    },
    'replay.incidents.create': ({ name, fromMs, toMs, cameraIds, operator }) =>
      journal.saveIncident({ id: incidentId(), name, fromMs, toMs, cameraIds: [...new Set(cameraIds)], alarmId: null, createdAt: now(), createdBy: operator }),
    'replay.incidents.get': ({ id }) => recordOf(id),
    'replay.stateAt': ({ id, atMs }) => {
      const i = findIncident(id);
      if (atMs < i.fromMs || atMs > i.toMs) throw new ContractError('invalid', `the moment is outside incident ${id}`, reason('momentOutside', { id }));
      const r = recordOf(id);
      return r instanceof Promise ? r.then((x) => consoleStateAt(x, atMs)) : consoleStateAt(r, atMs);
    },
    'replay.footage.segments': ({ id, cameraId, fromMs, toMs, stream }) => {
      if (toMs <= fromMs) throw new ContractError('invalid', 'the time range must end after it starts', reason('rangeBackwards'));
      const pkg = packageOf(id);
      // an imported incident has its package's main-stream video only: `stream` does not apply to it
      return pkg ? footage.segments(id, pkg.videos, cameraId, fromMs, toMs) : localRecordings().segments(cameraId, fromMs, toMs, stream);
    },
    'replay.footage.timeline': ({ id, cameraIds, fromMs, toMs }) => {
      if (toMs <= fromMs) throw new ContractError('invalid', 'the time range must end after it starts', reason('rangeBackwards'));
      const pkg = packageOf(id);
      if (!pkg) return localRecordings().timeline(cameraIds, fromMs, toMs);
      // an imported incident's timeline: the package's footage, alarms (alarms.json), bookmarks and locks (evidence.json), as this console's own
      return Promise.all([footage.timeline(id, pkg.videos, cameraIds, fromMs, toMs), pkg.read()]).then(([rows, x]) => {
        const marks = alarmMarkers(x.alarms, cameraIds, fromMs, toMs);
        return rows.map((r) => ({ ...r, markers: [...r.markers, ...evidenceMarkers(x.evidence?.bookmarks ?? [], x.evidence?.locks ?? [], r.cameraId, fromMs, toMs),
          ...marks.filter((m) => m.cameraId === r.cameraId)].sort((a, b) => a.atMs - b.atMs) }));
      });
    },
    // an imported incident's overlays and unit tracks from its package alone (events.json, units.json), never this console's stores
    'replay.footage.events': async ({ id, cameraId, fromMs, toMs, limit }) => {
      const pkg = packageOf(id);
      if (pkg) return packageOverlays((await pkg.read()).events, cameraId, fromMs, toMs, limit);
      if (!o.overlays) throw new ContractError('unavailable', 'this console has no event store to replay', reason('noRecordings'));
      return o.overlays(cameraId, fromMs, toMs, limit);
    },
    'replay.footage.tracks': async ({ id, fromMs, toMs, unitIds, limit }) => {
      const pkg = packageOf(id);
      const r = pkg ? packageTracks((await pkg.read()).units, fromMs, toMs, unitIds, limit) : o.tracks?.(fromMs, toMs, unitIds, limit) ?? { tracks: [], truncated: false };
      return { fromMs, toMs, ...r };
    },
    'replay.incidents.footage': ({ id }) => {
      const i = findIncident(id);
      if (packageOf(id)) return { recordedPercent: null, lockId: null };
      const toMs = Math.min(i.toMs, now());
      const spanMs = Math.max(0, toMs - i.fromMs) * i.cameraIds.length;
      const recorded = o.recordedMs ? i.cameraIds.reduce((n, c) => n + o.recordedMs!(c, i.fromMs, toMs), 0) : 0;
      // a lock keeps all of it when it spans the whole incident on every one of its cameras
      const lock = o.evidence?.within(i.cameraIds, i.fromMs, i.toMs).locks.find((l) => l.fromMs <= i.fromMs && l.toMs >= i.toMs && i.cameraIds.every((c) => l.cameraIds.includes(c)));
      return { recordedPercent: spanMs > 0 ? Math.min(100, Math.round((recorded / spanMs) * 100)) : 100, lockId: lock?.id ?? null };
    },
    'replay.footage.zones': async ({ id }) => {
      const pkg = packageOf(id);
      if (pkg) return { source: 'package' as const, cameras: (await pkg.read()).zones?.cameras ?? [] };
      return { source: 'console' as const, cameras: o.zones?.(findIncident(id).cameraIds) ?? [] };
    },
    'replay.packages.create': async ({ id, operator, archive }) => {
      if (!o.packages) throw new ContractError('unavailable', 'incident packages need the recordings, which this console does not have', reason('noRecordings'));
      const record = await recordOf(id);
      const r = await buildIncidentPackage(record, operator, `pkg-${id}-${now().toString(36)}`, { ...o.packages, ...(o.zones ? { zones: o.zones } : {}), packagesDir, key: loadOrCreateSigningKey(o.dataDir) });
      const tar = archive ? await archivePackage(r.dir) : null;
      o.alarms.audit({ user: operator, action: 'incident.package', target: `incident:${id}`, details: { dir: r.dir, archive: tar, signer: r.signer, files: r.files.map((f) => ({ name: f.name, sha256: f.sha256 })) } });
      return { ...r, archive: tar };
    },
    'replay.packages.import': ({ path, operator }) => withPackageFolder(resolve(path), async (src) => {
      const pkg = await readIncidentPackage(src);
      const incident = pkg.journal.record.incident;
      if (journal.incident(incident.id)) throw new ContractError('conflict', `this console has an incident ${incident.id} already`, reason('incidentExists', { id: incident.id }));
      const dir = copyPackage(src, importDir, incident.id);
      journal.saveImported(incident, dir, pkg.signer, now());
      remember(incident.id, dir, pkg);
      o.alarms.audit({ user: operator, action: 'incident.import', target: `incident:${incident.id}`, details: { from: resolve(path), dir, signer: pkg.signer } });
      return { incidentId: incident.id, dir, signer: pkg.signer, actions: pkg.journal.record.actions.length, alarms: pkg.alarms.alarms.length };
    }),
  };

  return {
    handlers, journal,
    footage: (incidentId) => footage.files(incidentId),
    async thumbnail(incidentId, cameraId, atMs) {
      if (!journal.incident(incidentId)) return null;
      const pkg = packageOf(incidentId);
      if (!pkg) return o.recordings?.thumbnail?.(cameraId, atMs) ?? null;
      await footage.pieces(incidentId, pkg.videos); // cut on first use, as for a segment list
      return footage.files(incidentId)?.thumbnail(cameraId, atMs) ?? null;
    },
    async trainingFootage(incidentId) {
      const i = journal.incident(incidentId);
      const pkg = i ? packageOf(incidentId) : null;
      if (!i || !pkg) return null;
      const pieces = await footage.pieces(incidentId, pkg.videos);
      return { fromMs: i.fromMs, files: (cameraId) => (pieces.get(cameraId) ?? []).map((s) => [s.file, s.startMs] as const) };
    },
    attribute(service) {
      for (const m of WALL_ACTIONS) {
        const inner = service[m] as (p: unknown, ctx: { clientId: string }) => unknown;
        (service as Record<string, unknown>)[m] = (p: unknown, ctx: { clientId: string }) => {
          current = { user: operatorOf.get(ctx.clientId) ?? ctx.clientId, console: ctx.clientId, action: m };
          try { return inner(p, ctx); } finally { current = null; } // the wall store is synchronous: its change fires inside
        };
      }
      // an evidence export is in the export chain already; the journal gets its marker (who, which cameras, which range)
      const exportCreate = service['export.create'];
      service['export.create'] = async (p, ctx) => {
        const r = await exportCreate(p, ctx);
        recordEvent({ user: p.by, console: ctx.clientId, action: 'export' }, 'export', null, p.cameraIds,
          `${r.id}: ${new Date(p.fromMs).toISOString()} .. ${new Date(p.toMs).toISOString()}`, true);
        return r;
      };
      const act = service['alarms.act'];
      service['alarms.act'] = async (p, ctx) => {
        const actor = { user: p.operator, console: ctx.clientId, action: `alarm.${p.action.kind}` };
        acting.set(p.id, actor);
        try {
          const a = await act(p, ctx);
          operatorOf.set(ctx.clientId, p.operator);
          recordAlarm(actor, a);
          return a;
        } finally { acting.delete(p.id); }
      };
      const bulk = service['alarms.bulk'];
      service['alarms.bulk'] = async (p, ctx) => {
        const actor = { user: p.operator, console: ctx.clientId, action: `alarm.${p.action.kind}` };
        for (const id of p.ids) acting.set(id, actor);
        try {
          const r = await bulk(p, ctx);
          operatorOf.set(ctx.clientId, p.operator);
          for (const x of r.results) {
            const a = x.ok ? o.alarms.get(x.id) : null;
            if (a) recordAlarm(actor, a);
          }
          return r;
        } finally { for (const id of p.ids) acting.delete(id); }
      };
    },
    close() { for (const off of offs) off(); journal.close(); training.close(); },
  };
}
