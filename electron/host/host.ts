/**
 * The host: composes the camera registry, wall store, stream service and notices into the contract's
 * HostService, and fans their changes out as contract events. Plain Node: both shells run it.
 */
import { join } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { ContractError, type EventMessage, type EventName, type EventPayload, type HostService } from '../contract/api.js';
import { reason } from '../contract/api-errors.js';
import type { SessionInfo, TileDemand } from '../contract/schemas.js';
import { PACKAGE_MAX_UNIT_REPORTS } from '../contract/replay-package.js';
import type { ConsoleAction } from '../contract/replay-schema.js';
import { createLogger, type Logger } from './log.js';
import { NoticeBoard } from './notices.js';
import { SettingsStore } from './settings/store.js';
import { CameraRegistry } from './cameras/registry.js';
import { WallStore } from './wall/store.js';
import { StreamService } from './streams/service.js';
import { createDefaultSecretBox, type SecretBox } from './settings/secrets.js';
import type { FrameSource } from './frame-server.js';
import { createAlarmModule, type AlarmModule } from './alarms/alarm-module.js';
import { createReviewModule, type ReviewModule } from './review/review-module.js';
import { AccessModule } from './access/access-module.js';
import { AccessGate } from './access/gate.js';
import { buildSpans } from './recording/timeline.js';
import { createReplayModule, type ReplayModule } from './replay/replay-module.js';
import { createMapModule, type MapModule } from './map/map-module.js';
import { mqttOptionsFromEnv } from './alarms/alarm-module.js';
import { auditRetention, createAuditHandlers, startAuditPruning } from './audit/audit-handlers.js';
import { loadOrCreateSigningKey } from './export/signing-key.js';
import { createTrainingSessions } from './training/session-runtime.js';
import { createTrainingReview } from './training/review-export.js';
import { createPlateModule, type PlateModule } from './plates/plate-module.js';
import { maskSnapshot } from './masks/mask-burn.js';
import { createFootageFeeder } from './training/footage-feeder.js';
import { TrainingCameras } from './training/training-cameras.js';
import { openMapWindow, type MapWindowLauncher } from './map/map-window.js';
import { StaleSpellStore } from './streams/stale-spells.js';
import { createFollowHost, SavedFollows } from './map/follow-host.js';
import { openVersionedStore } from './settings/versioned-store.js';
import { can } from './access/policy.js';

export const VERSION = '0.1.0';

export interface HostOptions {
  dataDir: string;
  shell: SessionInfo['shell'];
  log?: Logger;
  secretBox?: SecretBox;
  /** The frame channel URL a renderer should open (known once the frame server listens). */
  framesUrl: () => string;
  /** Seed one user per role with the README's demo passwords (the demo city; tests set KUZET_DEMO_USERS=1). */
  demoUsers?: boolean;
  /** The diagnostics switch (KUZET_DIAGNOSTICS=1, read by the shell): measurement hooks for tests and benchmarks. */
  diagnostics?: boolean;
  /** The shell's map window launcher (issue 10), known once its server listens; null: the page opens the map itself. */
  mapWindow?: () => MapWindowLauncher | null;
}

export interface Host {
  /** The contract as transports see it: every request checked against the caller's session and rights (access/gate.ts). */
  readonly service: HostService;
  /** The same handlers unchecked, for in-process callers (tests, benchmarks); never given to a transport. */
  readonly internal: HostService;
  /** People, sessions and rights (issue 12). */
  readonly access: AccessModule;
  readonly gate: AccessGate;
  /** Resolves once the user store is ready (first-start users seeded). */
  ready(): Promise<void>;
  readonly frames: FrameSource;
  readonly log: Logger;
  readonly registry: CameraRegistry;
  readonly wall: WallStore;
  readonly streams: StreamService;
  readonly notices: NoticeBoard;
  readonly settings: SettingsStore;
  readonly alarms: AlarmModule;
  /** Recording, review and evidence export (issue 4). */
  readonly review: ReviewModule;
  /** The console journal and incident replay (issue 11). */
  readonly replay: ReplayModule;
  /** The city map's moving units (issue 10). */
  readonly map: MapModule;
  /** Where did it go (issue 10 §4): plate sightings, the watch list, traffic violations. */
  readonly plates: PlateModule;
  /** A trainee console's scenario cameras mapped to its training session's footage streams (issue 11 §2). */
  readonly trainingCameras: TrainingCameras;
  onEvent(cb: (msg: EventMessage) => void): () => void;
  /**
   * An event as one connection gets it, or null: `units.changed` only if it asked (`units.watch`), a trainee's events
   * through the training mapping, then what its user may see (the access gate). Every transport sends through this.
   */
  eventFor(clientId: string, msg: EventMessage): EventMessage | null;
  /** A renderer connection went away: forget its stream demand and its units watch. */
  clientGone(clientId: string): void;
  close(): Promise<void>;
}

export function createHost(opts: HostOptions): Host {
  mkdirSync(opts.dataDir, { recursive: true });
  const log = opts.log ?? createLogger({ scope: 'host', file: join(opts.dataDir, 'kuzet.log') });
  const notices = new NoticeBoard();
  const settings = new SettingsStore({ dataDir: opts.dataDir, notices, log: log.child('settings') });
  const secrets = opts.secretBox ?? createDefaultSecretBox(opts.dataDir);
  const registry = new CameraRegistry({ dataDir: opts.dataDir, secrets, notices, log: log.child('cameras'), fileRoots: () => settings.get().fileRoots });
  const wall = new WallStore({ dataDir: opts.dataDir, notices, log: log.child('wall'), cameraIds: () => registry.list().map((c) => c.id) });
  let motionSink: (cameraId: string, r: Parameters<AlarmModule['motionDetected']>[1]) => void = () => {};
  // training footage (issue 11 §2): a trainee console's tiles pull its session's feeder streams (training-cameras.ts)
  const trainingCameras = new TrainingCameras({
    signInOf: (clientId) => access.binding(clientId)?.tokenHash ?? null,
    url: (sessionId, cameraId) => trainingFootage.url(sessionId, cameraId),
    codec: (sessionId, cameraId) => trainingFootage.codec(sessionId, cameraId),
  });
  const streams = new StreamService({
    resolve: (id) => { const t = trainingCameras.resolve(id); return t === null ? registry.resolve(id) : t; },
    cameraIds: () => registry.list().map((c) => c.id),
    onMotion: (id, r) => motionSink(id, r),
    engine: (process.env.KUZET_ENGINE === 'ffmpeg' || process.env.KUZET_ENGINE === 'gstreamer') ? process.env.KUZET_ENGINE : settings.get().engine,
    budgetPct: settings.get().decodeBudgetPct,
    log: log.child('streams'),
  });

  const listeners = new Set<(msg: EventMessage) => void>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    const msg: EventMessage = { event, payload };
    for (const l of listeners) l(msg);
  };
  const offs = [
    registry.onChange((cameras) => {
      wall.retainCameras(cameras.map((c) => c.id)); // tiles of a removed camera are cleared
      streams.camerasChanged();
      emit('cameras.changed', cameras);
    }),
    wall.onChange((what) => {
      if (what === 'layouts') emit('layouts.changed', wall.listLayouts());
      else emit('wall.changed', wall.displays());
    }),
    streams.onStatus((s) => emit('stream.status', s)),
    notices.onNotice((n) => emit('notice', n)),
  ];
  // Alarm queue (issue 3): events in over MQTT, rules, alarms; camera health feeds camera_offline events.
  const alarms = createAlarmModule({ dataDir: opts.dataDir, log: log.child('alarms'), cameras: () => registry.list() });
  motionSink = (id, r) => alarms.motionDetected(id, r);
  offs.push(alarms.onChange((a) => emit('alarms.changed', a)), alarms.onOverlay((o) => emit('overlays.meta', o)), streams.onStatus((s) => { if (!TrainingCameras.isSessionCamera(s.cameraId)) alarms.streamStatus(s); }));
  // Health (issue 10 §5): a live camera's stale spells (stalled until live again), kept beside the offline events.
  const staleSpells = new StaleSpellStore(join(opts.dataDir, 'stream-health.sqlite'));
  offs.push(streams.onStatus((s) => { if (!TrainingCameras.isSessionCamera(s.cameraId)) staleSpells.record(s.cameraId, s.state, s.lastFrameAt); }));
  // Where did it go (issue 10 §4): every plate and violation event of the ingest, in an index of its own.
  const plates = createPlateModule({ dataDir: opts.dataDir, log: log.child('plates'), cameras: () => registry.list(), audit: (e) => alarms.audit(e),
    maskPicture: (id, data) => maskSnapshot(data, alarms.masks.applied(id, 'current').map((m) => m.polygon)), timeZone: () => settings.get().timeZone });
  offs.push(alarms.engine.addTap(plates.tap));
  const review = createReviewModule({
    dataDir: opts.dataDir, streams, notices, log, emit, software: `Kuzet ${VERSION}`,
    cameraName: (id) => registry.get(id)?.name ?? id,
    hasSubStream: (id) => !!registry.resolve(id)?.subUrl,
    overlays: (cameraId, fromMs, toMs) => alarms.overlayEvents(cameraId, fromMs, toMs),
    storageAlarm: (a) => alarms.storageAlarm(a),
    diagnostics: opts.diagnostics ?? false,
    masks: (id, which) => alarms.masks.applied(id, which),
  });
  // Review (issue 4) shows the alarm store's alarms as timeline markers; zones reach every console.
  offs.push(review.recording.addMarkerSource((ids, from, to) => alarms.markers(ids, from, to)), alarms.onZones((z) => emit('zones.changed', z)));
  // Incident replay (issue 11): the journal of what the console showed, who changed it, and incidents made from it.
  /** Milliseconds of a camera's recorded footage inside [fromMs, toMs] (a training scenario's footage is checked by it). */
  const recordedMs = (c: string, fromMs: number, toMs: number) => buildSpans(review.recording.index.camera(c), fromMs, toMs).filter((x) => x.kind === 'recorded').reduce((n, x) => n + x.endMs - x.startMs, 0);
  const replay = createReplayModule({ dataDir: opts.dataDir, wall, log, alarms: { onChange: alarms.onChange, get: (id) => alarms.engine.get(id), audit: alarms.audit },
    packages: { // an incident package's video is an evidence export; its alarms and events come from the alarm store
      segments: (c) => review.recording.index.camera(c), filePath: (s) => review.recording.filePath(s),
      cameraName: (id) => registry.get(id)?.name ?? id, software: `Kuzet ${VERSION}`, progress: (p) => emit('export.progress', p),
      alarm: (id) => Promise.resolve(alarms.handlers['alarms.get']({ id }, { clientId: 'host' })).catch(() => null),
      events: (cameraId, fromMs, toMs) => Promise.resolve(alarms.eventsOf(cameraId, fromMs, toMs, 100_000)),
      // every unit's recorded track in the range, named after its camera (the map module is made below; asked later)
      units: (fromMs, toMs) => {
        const r = map.tracks.tracks(fromMs, toMs, undefined, PACKAGE_MAX_UNIT_REPORTS);
        return Promise.resolve({ units: r.tracks.map((u) => ({ ...u, name: (u.cameraId && registry.get(u.cameraId)?.name) || u.id })), truncated: r.truncated });
      },
      evidence: (ids, fromMs, toMs) => review.evidence.within(ids, fromMs, toMs),
    },
    cameraIds: () => registry.list().map((c) => c.id),
    // replay plays this console's recordings for its own incidents (an imported one plays its package's video)
    recordings: {
      segments: (cameraId, fromMs, toMs, stream) => review.recordedSegments(cameraId, fromMs, toMs, stream),
      timeline: (ids, fromMs, toMs) => review.recording.timeline(ids, fromMs, toMs),
      thumbnail: (cameraId, atMs) => review.clips.thumbnail(cameraId, atMs),
    },
    overlays: (cameraId, fromMs, toMs, limit) => alarms.handlers['events.query']({ cameraId, fromMs, toMs, limit }, { clientId: 'host' }),
    tracks: (fromMs, toMs, unitIds, limit) => map.tracks.tracks(fromMs, toMs, unitIds, limit),
    zones: (ids) => alarms.engine.zones.list(ids),
    masks: (id, which) => alarms.masks.applied(id, which).map((m) => m.polygon),
    evidence: review.evidence,
    recordedMs });
  offs.push(alarms.masks.onChange((m) => emit('masks.changed', m)));
  // permanent masks are painted by the media workers (issue 12 §3): a saved mask replaces the camera's worker
  streams.setPrivacyMasks((id) => alarms.masks.permanentPolygons(id));
  offs.push(alarms.masks.onChange(() => streams.masksChanged()));
  // The map (issue 10): unit telemetry from the alarm queue's broker (embedded or external), a client of its own.
  // For the benchmark's A/B only (docs/map.md, "Units on the wire"): KUZET_UNITS_WIRE=whole sends every unit whole to
  // every connection (the wire before 2026-12-05); KUZET_UNITS_WIRE=ab does so while the file <dataDir>/units-wire-whole
  // exists (looked at once a second).
  let wholeUnits = process.env.KUZET_UNITS_WIRE === 'whole';
  if (process.env.KUZET_UNITS_WIRE === 'ab') {
    const wireFile = join(opts.dataDir, 'units-wire-whole');
    const look = setInterval(() => { wholeUnits = existsSync(wireFile); }, 1000);
    look.unref();
    offs.push(() => { clearInterval(look); });
  }
  /** Connections that asked for `units.changed` (`units.watch`), dropped with the connection. */
  const unitWatchers = new Set<string>();
  const map = createMapModule({ log: log.child('map'), dataDir: opts.dataDir, emit: (delta) => emit('units.changed', delta), wholeUnits: () => wholeUnits, cameraIds: () => registry.list().map((c) => c.id),
    retentionDays: async () => (await review.handlers['recording.retention']({}, { clientId: 'map' })).maxAgeDays,
    events: (id, fromMs, toMs) => alarms.eventsOf(id, fromMs, toMs, 10_000).events,
    staleHealth: (fromMs, toMs) => staleSpells.health(fromMs, toMs),
    audit: (user, action, target, details) => access.audit(user, action, target, details, true) });
  // Follow a unit (issue 10 §3): the host moves each display's follow tile, with or without a map window open.
  // It acts for the operator who started it (the cameras they may view live) and survives a restart (follows.json).
  const followLog = log.child('follow');
  const savedFollows = openVersionedStore<SavedFollows>({ dataDir: opts.dataDir, name: 'follows', label: 'unit follow', schema: SavedFollows,
    defaults: () => ({ follows: [] }), version: 1, notices, log: followLog });
  const follow = createFollowHost({ log: followLog, onAccept: (cb) => map.store.onAccept(cb), unit: (id) => map.store.snapshot().units.find((u) => u.id === id) ?? null,
    cameras: () => registry.list(), push: (p) => wall.push(p), emit: (f) => emit('follow.changed', f),
    saved: { read: () => savedFollows.read().follows, write: (follows) => savedFollows.write({ follows }) },
    viewer: (operator) => {
      const subject = access.subjectOfUser(operator);
      if (!subject || subject.disabled) return 'operatorGone';
      const t = Date.now();
      if (!can(subject, 'viewLive', { kind: 'any' }, t)) return 'noRight';
      return (cameraId) => can(subject, 'viewLive', access.cameraTarget(cameraId), t);
    },
    // a unit exists while the map knows it, or its last recorded report is newer than the map's forget time
    unitExists: (id) => map.store.snapshot().units.some((u) => u.id === id) || (map.tracks.lastReportAt(id) ?? -Infinity) >= Date.now() - map.store.forgetMs,
    ended: ({ displayId, unitId, reason, at }) => {
      emit('follow.ended', { displayId, unitId, reason, at }); // the map says why its follow bar went (no user name)
      const params = { unit: unitId, display: displayId };
      const said = `Following ${unitId} on display ${displayId} ended`;
      if (reason === 'unitGone') notices.add('warning', `${said}: the unit no longer reports.`, { key: 'followEndedUnitGone', params });
      else if (reason === 'operatorGone') notices.add('warning', `${said}: the user who started it no longer exists or is disabled.`, { key: 'followEndedOperatorGone', params });
      else notices.add('warning', `${said}: the user who started it may no longer view live video.`, { key: 'followEndedNoRight', params });
    } });
  const { username, password } = mqttOptionsFromEnv();
  void Promise.resolve().then(() => alarms.handlers['alarms.info']({}, { clientId: 'host' }))
    .then((i) => map.listen(i.mqttUrl, { ...(username ? { username } : {}), ...(password ? { password } : {}) }))
    .catch((err: unknown) => log.child('map').warn('unit telemetry unavailable', { error: err instanceof Error ? err.message : String(err) }));

  // People and rights (issue 12): every request, event, frame and recording passes the gate.
  const access = new AccessModule({
    dataDir: opts.dataDir, log: log.child('access'), notices,
    cameras: () => registry.list(),
    openAlarms: () => alarms.handlers['alarms.list']({ states: ['new', 'claimed', 'escalated'], limit: 5000 }, { clientId: 'host' }),
    demoUsers: opts.demoUsers ?? process.env.KUZET_DEMO_USERS === '1',
  });
  const accessReady = access.seed();
  // follows saved before a restart come back once the users are known (their rights decide whether they run on)
  void accessReady.then(() => follow.restore()).catch((err: unknown) => followLog.error('saved follows not restored', { error: err instanceof Error ? err.message : String(err) }));
  const gate = new AccessGate(access);
  offs.push(access.onSession((e) => emit('access.session', e)));

  // Training sessions (issue 11 §2): scripted alarms into each session's own store, never the production queue;
  // the scenario's recorded footage served as live RTSP streams by a feeder per session
  const trainingFootage = createFootageFeeder({
    log: log.child('training'), segments: (c) => review.recording.index.camera(c), filePath: (s) => review.recording.filePath(s),
    packageFootage: (incidentId) => replay.trainingFootage(incidentId),
    onChange: () => trainingCameras.changed(),
  });
  /** What each connection's wall asked for, before the training mapping (re-mapped when a session starts or ends). */
  const demands = new Map<string, TileDemand[]>();
  const applyDemand = (clientId: string, tiles: TileDemand[]) =>
    streams.setDemand(clientId, tiles.map((t) => ({ ...t, cameraId: trainingCameras.liveId(clientId, t.cameraId) })));
  // a mapping changed (a trainee joined or moved, a feeder started or stopped, a session ended): each connection is sent
  // the statuses as it now sees them (the mapping picks per connection); a status changes only with its stream, so a
  // console moved back to a camera that is down would otherwise keep the session stream's `live` until the next retry
  offs.push(trainingCameras.onChange(() => {
    for (const [c, tiles] of demands) applyDemand(c, tiles);
    streams.camerasChanged();
    for (const s of streams.statuses()) emit('stream.status', s);
  }));
  const training = createTrainingSessions({
    dataDir: opts.dataDir, log: log.child('training'), cameras: () => registry.list(), rules: () => alarms.engine.listRules(), footage: trainingFootage,
    scenario: (id) => Promise.resolve(replay.handlers['training.scenarios.get']({ id }, { clientId: 'host' })).catch(() => null),
    refuseOnDuty: process.env.KUZET_TRAINING_REFUSE_ON_DUTY === '1',
    openProductionAlarms: async () => (await alarms.handlers['alarms.list']({ states: ['new', 'claimed', 'escalated'], limit: 5000 }, { clientId: 'host' })).length,
    layouts: (fromMs, toMs) => {
      const r = replay.journal.incidentRecord({ id: 'training', name: '', fromMs, toMs, cameraIds: ['training'], alarmId: null, createdAt: 0, createdBy: '' });
      // the walls: layouts and maximised tiles (the after-action review replays both)
      const wall = (a: ConsoleAction) => a.change.kind === 'layout' || (a.change.kind === 'event' && (a.change.what === 'tile.maximise' || a.change.what === 'tile.restore'));
      return { before: r.before.filter(wall), actions: r.actions.filter(wall) };
    },
    emit: (v) => { if (v.status.state === 'ended') trainingCameras.end(v.status.id); emit('training.session', v); },
    signInOf: (clientId) => access.sessionOf(access.binding(clientId))?.ref ?? null,
    // a start checks the footage the trainee's tiles will play (not when they stay on the live cameras: diagnostics)
    ...(process.env.KUZET_TRAINING_FOOTAGE !== '0' ? { recordedMs } : {}),
    telemetryLost: (unitId, sessionId, durationMs) => {
      void Promise.resolve(map.handlers['units.list']({}, { clientId: 'host' })).then((snap) => {
        trainingCameras.loseTelemetry(sessionId, unitId, snap.units.find((u) => u.id === unitId) ?? null, durationMs === undefined ? null : Date.now() + durationMs);
        map.push(); // the trainee's map holds the unit now (its delta says resync), not at the next change
      });
    },
  });
  // a trainee's consoles stay on the session's footage across a host restart: the sign-in it joined with, if still live
  if (process.env.KUZET_TRAINING_FOOTAGE !== '0') {
    for (const t of training.trainees()) { const s = access.sessionByRef(t.signIn); if (s) trainingCameras.joinSignIn(t.id, s.tokenHash); }
  }
  // after-action review (issue 11 §3): results for the trainer's dashboard, report files (JSON, HTML, PDF)
  const trainingReview = createTrainingReview({ sessions: training.handlers, log: log.child('training'), cameraName: (id) => registry.get(id)?.name ?? id });
  /** The recordings' age limit in days (the audit's retention never goes below it). */
  const footageDays = async () => (await review.handlers['recording.retention']({}, { clientId: 'audit' })).maxAgeDays;
  const internal: HostService = {
    'session.info': ({ displayId }) => ({
      shell: opts.shell, version: VERSION, displayId: displayId ?? 'main', framesUrl: opts.framesUrl(),
      compositorHint: settings.get().compositor, diagnostics: opts.diagnostics ?? false,
      timeZone: settings.get().timeZone,
      language: settings.get().language,
      mapWindow: !!opts.mapWindow?.(),
    }),
    'cameras.list': () => registry.list(),
    'cameras.add': ({ camera, probe }) => registry.add(camera, { probe }),
    'cameras.update': ({ id, camera, probe }) => registry.update(id, camera, { probe }),
    'cameras.remove': ({ id }) => { registry.remove(id); return { ok: true as const }; },
    'cameras.probe': ({ id, profile }) => registry.probe(id, profile),
    'cameras.import': ({ format, text }) => registry.import(format, text),
    'cameras.export': ({ format }) => ({ text: registry.export(format) }),
    'layouts.list': () => wall.listLayouts(),
    'layouts.save': ({ layout }) => wall.saveLayout(layout),
    'layouts.remove': ({ id }) => { wall.removeLayout(id); return { ok: true as const }; },
    'wall.displays': () => wall.displays(),
    'wall.setLayout': ({ displayId, layout }) => wall.setLayout(displayId, layout),
    'wall.push': (p) => wall.push(p),
    'wall.presets.list': () => wall.listPresets(),
    'wall.presets.save': ({ id, name }) => wall.savePreset(name, id),
    'wall.presets.apply': ({ id }) => wall.applyPreset(id),
    'wall.presets.remove': ({ id }) => { wall.removePreset(id); return { ok: true as const }; },
    'streams.demand': ({ tiles }, ctx) => { demands.set(ctx.clientId, tiles); applyDemand(ctx.clientId, tiles); return { ok: true as const }; },
    'streams.status': (_p, ctx) => streams.statuses().flatMap((x) => trainingCameras.statusFor(ctx.clientId, x) ?? []),
    'streams.pin': ({ cameraId, pinned }) => { streams.pin(cameraId, pinned); return { ok: true as const }; },
    'streams.pageLoad': ({ paintedPct }, ctx) => { streams.reportPaint(ctx.clientId, paintedPct); return { ok: true as const }; },
    'notices.list': () => notices.list(),
    'notices.dismiss': ({ id }) => { notices.dismiss(id); return { ok: true as const }; },
    'log.report': ({ level, message }, ctx) => {
      log.child('renderer')[level === 'warning' ? 'warn' : level](message, { client: ctx.clientId });
      return { ok: true as const };
    },
    'masks.list': ({ cameraIds }) => alarms.masks.list(cameraIds),
    'masks.save': ({ cameraId, masks, operator }, ctx) => {
      if (!registry.get(cameraId)) throw new ContractError('not-found', `no camera '${cameraId}'`, reason('noCamera', { camera: cameraId }));
      return alarms.masks.save(cameraId, masks, operator, ctx.clientId);
    },
    'masks.lift': ({ cameraId, minutes, reason, operator }, ctx) => alarms.masks.lift(cameraId, minutes, reason, operator, ctx.clientId),
    'masks.restore': ({ cameraId, operator }, ctx) => alarms.masks.restore(cameraId, operator, ctx.clientId),
    ...alarms.handlers,
    ...review.handlers,
    ...access.handlers,
    ...replay.handlers,
    ...map.handlers,
    'follow.start': ({ displayId, unitId }, ctx) => follow.start(displayId, unitId, ctx.user ?? null),
    'follow.stop': ({ displayId }) => { follow.stop(displayId); return { ok: true as const }; },
    'follow.list': () => follow.list(),
    ...training.handlers,
    ...plates.handlers,
    // a scripted telemetry loss holds the unit on the session trainee's map only (training-cameras.ts)
    'units.list': async (p, ctx) => trainingCameras.unitsFor(ctx.clientId, await map.handlers['units.list'](p, ctx)),
    'units.watch': ({ on }, ctx) => { if (on) unitWatchers.add(ctx.clientId); else unitWatchers.delete(ctx.clientId); return { ok: true as const }; },
    ...trainingReview.handlers,
    // issue 10: the map in a browser of its own, signed in with a one-time ticket of the caller's session (map/map-window.ts)
    'map.openWindow': (p, ctx) => openMapWindow({
      launcher: opts.mapWindow?.() ?? null,
      mintTicket: () => access.mintTicket(ctx.clientId),
      audit: (action, detail) => access.audit(ctx.user ?? access.actorOf(access.binding(ctx.clientId)), action, 'map', detail, true),
    }, p),
    'map.interacting': () => ({ yielded: opts.mapWindow?.()?.interacting() ?? false }),
    'map.openAlarm': ({ alarmId }, ctx) => {
      const consoleRef = access.consoleRefOf(ctx.clientId);
      if (consoleRef) emit('map.alarmOpen', { alarmId, consoleRef });
      return { ok: true as const };
    },
    'training.sessions.join': async (p, ctx) => {
      const v = await training.handlers['training.sessions.join'](p, ctx);
      // the trainee's tiles show the session's footage; KUZET_TRAINING_FOOTAGE=0 keeps them on the live cameras (diagnostics)
      if (process.env.KUZET_TRAINING_FOOTAGE !== '0') trainingCameras.join(v.status.id, ctx.clientId);
      return v;
    },
    // issue 12: the auditor's search, signed reports and their download, the audit's retention (electron/host/audit/)
    ...createAuditHandlers({
      dataDir: opts.dataDir, key: () => loadOrCreateSigningKey(opts.dataDir), software: `Kuzet ${VERSION}`, settings: access.store, footageDays,
      audit: (user, action, target, details, durable) => access.audit(user, action, target, details, durable), diagnostics: opts.diagnostics ?? false,
    }),
  };
  replay.attribute(internal);
  const service = gate.wrap(internal);
  // every chain is pruned to the audit's retention (docs/audit.md, "Retention"): custody not past the oldest evidence
  // lock, the alarms chain (also the alarms' history) not past the oldest open alarm
  offs.push(startAuditPruning({
    logs: [access.store.auditLog, review.custody, alarms.auditChain.log], effectiveDays: async () => auditRetention(access.store, await footageDays()).effectiveDays, log,
    keepFrom: (chain) => (chain === review.custody.chain ? review.lockedFromMs() : chain === alarms.auditChain.log.chain ? alarms.auditChain.keepFrom() : null),
  }));

  return {
    service, internal, access, gate, log, registry, wall, streams, notices, settings, alarms, review, replay, map, plates,
    ready: () => accessReady,
    frames: streams, trainingCameras,
    onEvent(cb) { listeners.add(cb); return () => listeners.delete(cb); },
    eventFor(clientId, raw) {
      if (raw.event === 'units.changed' && !wholeUnits && !unitWatchers.has(clientId)) return null;
      const mapped = trainingCameras.eventFor(clientId, raw); // a trainee's tiles show the session's stream states, its map the held units
      return mapped && gate.filterEvent(clientId, mapped); // issue 12: each window sees what its user may
    },
    clientGone(clientId) { demands.delete(clientId); streams.removeClient(clientId); unitWatchers.delete(clientId); trainingCameras.forget(clientId); },
    async close() {
      for (const off of offs) off();
      listeners.clear();
      await streams.stopAll();
      follow.close();
      await map.close();
      await alarms.close();
      staleSpells.close(); // after the streams stopped: a running spell ends 'stopped'
      plates.close(); // after the alarms: their last batch is indexed on close
      await review.close();
      training.close();
      trainingFootage.close();
      replay.close();
      await accessReady.catch(() => {});
      access.close();
    },
  };
}
