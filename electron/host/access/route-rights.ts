/**
 * What every request of the contract needs, in one table typed over every method: adding a request to the contract
 * without saying who may call it does not compile. The gate (gate.ts) applies it before the service runs.
 *
 * - `public`: no session needed (a console that has not signed in yet).
 * - `session`: any signed-in user (the wall's own state: layouts, notices, displays).
 * - a right: checked on the cameras `on` names (every one must pass), on every camera (`'all'`: administration), or on
 *   at least one camera (`'any'`, the default).
 * Results that list cameras' things are filtered to what the caller may see (`filter`).
 */
import type { HostService, Method, Result } from '../../contract/api.js';
import type { Right } from '../../contract/access/access-schema.js';
import type { ConsoleAction } from '../../contract/replay-schema.js';

/** May the caller hold `right` on this camera (now)? */
export type May = (right: Right, cameraId: string) => boolean;
type RouteParams<M extends Method> = Parameters<HostService[M]>[0];

export interface RouteRule<M extends Method> {
  need: 'public' | 'session' | Right;
  /** A second right this request needs on the same cameras, depending on its parameters (or null). */
  also?: (p: RouteParams<M>) => Right | null;
  on?: 'all' | 'any' | ((p: RouteParams<M>, svc: HostService) => string[] | Promise<string[]>);
  /** Allowed while the console is locked (the wall keeps playing behind the lock if policy says so). */
  whileLocked?: boolean;
  /** Background traffic of the wall: does not count as the operator touching the console. */
  background?: boolean;
  /** The parameter naming who acts: set to the signed-in user, whatever the page sent. */
  actor?: 'operator' | 'by';
  filter?: (result: Result<M>, may: May) => Result<M>;
  /** A request whose `on` names no camera needs only a session (a wall withdrawing its demand asks for nothing). */
  noCameraNeedsSession?: boolean;
}

type Table = { [M in Method]: RouteRule<M> };

/** A camera is listed to those who may see it live or recorded, work its alarms or manage it. */
export const SEES: readonly Right[] = ['viewLive', 'viewRecordings', 'workAlarms', 'manageCameras'];
const sees = (may: May, id: string) => SEES.some((r) => may(r, id));
const byCamera = <T extends { cameraId: string }>(right: Right) => (items: T[], may: May) => items.filter((x) => may(right, x.cameraId));

/** An incident's cameras (none when there is no such incident: the route then says so itself). */
async function incidentCameras(svc: HostService, id: string): Promise<string[]> {
  try { return (await svc['replay.incidents.get']({ id }, { clientId: 'gate' })).incident.cameraIds; } catch { return []; }
}
/** The replayed queue holds the whole console's alarms: only those of cameras whose recordings the user may view. */
const replayedAlarm = (may: May) => (a: ConsoleAction) => a.change.kind !== 'alarm' || may('viewRecordings', a.change.alarm.cameraId);

async function sessionCameras(svc: HostService, id: string): Promise<string[]> {
  try { return (await svc['training.sessions.status']({ id }, { clientId: 'gate' })).status.cameraIds; } catch { return []; }
}

async function alarmCamera(svc: HostService, id: string): Promise<string[]> {
  try { return [(await svc['alarms.get']({ id }, { clientId: 'gate' })).alarm.cameraId]; } catch { return []; }
}

async function violationCamera(svc: HostService, id: string): Promise<string[]> {
  try { return [(await svc['violations.get']({ id }, { clientId: 'gate' })).cameraId]; } catch { return []; }
}

export const ROUTE_RIGHTS: Table = {
  'session.info': { need: 'public', whileLocked: true, background: true },

  'cameras.list': { need: 'session', whileLocked: true, background: true, filter: (cams, may) => cams.filter((c) => sees(may, c.id)) },
  'cameras.add': { need: 'manageCameras', on: 'all' },
  'cameras.update': { need: 'manageCameras', on: (p) => [p.id] },
  'cameras.remove': { need: 'manageCameras', on: (p) => [p.id] },
  'cameras.probe': { need: 'manageCameras', on: (p) => [p.id] },
  'cameras.import': { need: 'manageCameras', on: 'all' },
  'cameras.export': { need: 'manageCameras', on: 'all' },

  'layouts.list': { need: 'session', whileLocked: true, background: true },
  'layouts.save': { need: 'session' },
  'layouts.remove': { need: 'session' },
  'wall.displays': { need: 'session', whileLocked: true, background: true },
  'wall.setLayout': { need: 'session' },
  'wall.push': { need: 'viewLive', on: (p) => (p.cameraId ? [p.cameraId] : []) },
  'wall.presets.list': { need: 'session', whileLocked: true, background: true },
  'wall.presets.save': { need: 'session' },
  'wall.presets.apply': { need: 'session' },
  'wall.presets.remove': { need: 'session' },

  'streams.demand': { need: 'viewLive', on: (p) => p.tiles.map((t) => t.cameraId), noCameraNeedsSession: true, whileLocked: true, background: true },
  'streams.status': { need: 'session', whileLocked: true, background: true, filter: byCamera('viewLive') },
  'streams.pageLoad': { need: 'session', whileLocked: true, background: true },
  'streams.pin': { need: 'control', on: (p) => [p.cameraId] },

  'notices.list': { need: 'session', whileLocked: true, background: true },
  'notices.dismiss': { need: 'session' },
  'log.report': { need: 'session', whileLocked: true, background: true },

  'alarms.info': { need: 'session', whileLocked: true, background: true },
  'alarms.list': { need: 'workAlarms', on: (p) => (p.cameraId ? [p.cameraId] : []), whileLocked: true, background: true, filter: byCamera('workAlarms') },
  'alarms.get': { need: 'workAlarms', on: (p, svc) => alarmCamera(svc, p.id) },
  'alarms.snapshot': { need: 'workAlarms', on: (p, svc) => alarmCamera(svc, p.id) },
  'alarms.act': { need: 'workAlarms', on: (p, svc) => alarmCamera(svc, p.id), actor: 'operator' },
  'alarms.bulk': { need: 'workAlarms', on: async (p, svc) => (await Promise.all(p.ids.map((id) => alarmCamera(svc, id)))).flat(), actor: 'operator' },
  'alarms.stats': { need: 'workAlarms', on: 'any' },
  'alarms.rules.list': { need: 'session', background: true },
  'alarms.rules.save': { need: 'editRules', on: 'all', actor: 'operator' },
  'zones.list': { need: 'session', whileLocked: true, background: true, filter: (zs, may) => zs.filter((z) => sees(may, z.cameraId)) },
  'zones.save': { need: 'editRules', on: (p) => [p.cameraId], actor: 'operator' },
  'events.query': { need: 'viewRecordings', on: (p) => [p.cameraId] },
  'masks.list': { need: 'session', whileLocked: true, background: true, filter: (ms, may) => ms.filter((m) => sees(may, m.cameraId)) },
  'masks.save': { need: 'editRules', on: (p) => [p.cameraId], actor: 'operator' },
  'masks.lift': { need: 'liftMasks', on: (p) => [p.cameraId], actor: 'operator' },
  'masks.restore': { need: 'liftMasks', on: (p) => [p.cameraId], actor: 'operator' },
  'alarms.audit.verify': { need: 'viewAudit', on: 'all' },

  'recording.status': { need: 'session', background: true, filter: (rs, may) => rs.filter((r) => sees(may, r.cameraId)) },
  'recording.configure': { need: 'manageCameras', on: (p) => [p.cameraId] },
  'recording.retention': { need: 'manageCameras', on: 'all' },
  'recording.trigger': { need: 'control', on: (p) => [p.cameraId] },
  'recording.rebuildIndex': { need: 'manageCameras', on: 'all' },
  'recording.timeline': { need: 'viewRecordings', on: (p) => p.cameraIds },
  // incident replay (issue 11): recorded footage and the console's history, so the recordings right; an incident is
  // listed only to a user who may see the recordings of every camera in it (get/stateAt: any camera, coarse for now)
  // the map's moving units (issue 10): positions of the centre's own units, for every signed-in console
  'units.list': { need: 'session', background: true },
  'units.watch': { need: 'session', background: true },
  'map.config': { need: 'session', background: true },
  // editing map.json is placing things on the map, as placing and aiming cameras is
  'map.plans.place': { need: 'manageCameras', on: 'all' },
  'map.plans.add': { need: 'manageCameras', on: 'all' },
  'map.plans.remove': { need: 'manageCameras', on: 'all' },
  'map.openWindow': { need: 'session' },
  'map.interacting': { need: 'session' },
  'map.openAlarm': { need: 'workAlarms', on: (p, svc) => alarmCamera(svc, p.alarmId) },
  // recorded unit tracks replay with the footage (review, incident replay): the recordings right
  'units.tracks': { need: 'viewRecordings', on: 'any' },
  // where did it go (issue 10 §4): plate sightings are recorded footage's facts, so the recordings right on their
  // camera; sightings and violations of cameras the user may not view recordings of are removed from every reply
  'plates.search': { need: 'viewRecordings', on: 'any', filter: (r, may) => ({ ...r, sightings: r.sightings.filter((s) => may('viewRecordings', s.cameraId)) }) },
  'plates.route': { need: 'viewRecordings', on: 'any', filter: (r, may) => ({ ...r, sightings: r.sightings.filter((s) => may('viewRecordings', s.cameraId)) }) },
  'plates.watchlist.get': { need: 'viewRecordings', on: 'any' },
  'plates.watchlist.save': { need: 'editRules', on: 'all', actor: 'operator' },
  'violations.list': { need: 'viewRecordings', on: 'any', filter: byCamera('viewRecordings') },
  'violations.get': { need: 'viewRecordings', on: (p, svc) => violationCamera(svc, p.id) },
  'violations.picture': { need: 'viewRecordings', on: (p, svc) => violationCamera(svc, p.id) },
  'violations.decide': { need: 'workAlarms', on: (p, svc) => violationCamera(svc, p.id), actor: 'operator' },
  // watched time per camera (view audit, no user names): of the cameras this user sees
  // following moves a wall's follow tile (wall.push's right); the host puts there only fixed cameras the starting user
  // may view live, acting for that user while the follow runs (map/follow-host.ts)
  'follow.start': { need: 'viewLive', on: 'any' },
  'follow.stop': { need: 'viewLive', on: 'any' },
  'follow.list': { need: 'session', background: true },
  'map.attention': { need: 'session', background: true, filter: (r, may) => ({ ...r, cameras: r.cameras.filter((c) => sees(may, c.cameraId)) }) },
  'replay.incidents.list': { need: 'viewRecordings', on: 'any', filter: (is, may) => is.filter((i) => i.cameraIds.every((c) => may('viewRecordings', c))) },
  'replay.incidents.fromAlarm': { need: 'viewRecordings', on: 'any', actor: 'operator' },
  'replay.incidents.create': { need: 'viewRecordings', on: (p) => p.cameraIds, actor: 'operator' },
  // an incident: the recordings right on every one of its cameras (as the list shows it); its queue, of the others
  'replay.incidents.get': { need: 'viewRecordings', on: (p, svc) => incidentCameras(svc, p.id), filter: (r, may) => ({ ...r, before: r.before.filter(replayedAlarm(may)), actions: r.actions.filter(replayedAlarm(may)) }) },
  'replay.incidents.footage': { need: 'viewRecordings', on: (p, svc) => incidentCameras(svc, p.id) },
  'replay.stateAt': { need: 'viewRecordings', on: (p, svc) => incidentCameras(svc, p.id), filter: (r, may) => ({ ...r, queue: r.queue.filter((a) => may('viewRecordings', a.cameraId)) }) },
  'replay.incidents.fromBookmark': { need: 'viewRecordings', on: 'any', actor: 'operator' },
  'replay.incidents.fromLock': { need: 'viewRecordings', on: 'any', actor: 'operator' },
  'replay.journal.note': { need: 'session', actor: 'operator' },
  'replay.footage.segments': { need: 'viewRecordings', on: (p) => [p.cameraId] },
  'replay.footage.timeline': { need: 'viewRecordings', on: (p) => p.cameraIds },
  // the incident's overlays and unit tracks: the rights of events.query and units.tracks (from a package or not)
  'replay.footage.events': { need: 'viewRecordings', on: (p) => [p.cameraId] },
  'replay.footage.tracks': { need: 'viewRecordings', on: 'any' },
  'replay.footage.zones': { need: 'viewRecordings', on: 'any', filter: (r, may) => ({ ...r, cameras: r.cameras.filter((c) => may('viewRecordings', c.cameraId)) }) },
  // a package holds the footage of every camera of the incident: the export right on each; importing brings in footage
  'replay.packages.create': { need: 'export', on: (p, svc) => incidentCameras(svc, p.id), actor: 'operator' },
  'replay.packages.import': { need: 'viewRecordings', on: 'all', actor: 'operator' }, // a trainer who sees every recording here
  // training (issue 11 §2): scenarios replay recorded footage, so the recordings right on their cameras
  'training.scenarios.list': { need: 'viewRecordings', on: 'any', filter: (ss, may) => ss.filter((s) => s.cameraIds.every((c) => may('viewRecordings', c))) },
  'training.scenarios.get': { need: 'viewRecordings', on: async (p, svc) => { try { return (await svc['training.scenarios.get'](p, { clientId: 'gate' })).cameraIds; } catch { return []; } } },
  'training.scenarios.save': { need: 'viewRecordings', on: (p) => { const c = (p.scenario as { cameraIds?: unknown } | null)?.cameraIds; return Array.isArray(c) ? c.filter((x): x is string => typeof x === 'string') : []; }, actor: 'operator' },
  'training.scenarios.remove': { need: 'viewRecordings', on: 'any', actor: 'operator' },
  'training.score': { need: 'viewRecordings', on: 'any' },
  // training sessions (issue 11 §2): a trainer (recordings of the scenario's cameras) starts and stops; the trainee joins
  // and works the session's alarms with the rights a live console needs on its cameras
  'training.sessions.start': { need: 'viewRecordings', on: async (p, svc) => { try { return (await svc['training.scenarios.get']({ id: p.scenarioId }, { clientId: 'gate' })).cameraIds; } catch { return []; } }, actor: 'operator' },
  'training.sessions.stop': { need: 'viewRecordings', on: (p, svc) => sessionCameras(svc, p.id), actor: 'operator' },
  'training.sessions.join': { need: 'viewLive', on: (p, svc) => sessionCameras(svc, p.id), actor: 'operator' },
  'training.sessions.status': { need: 'viewLive', on: (p, svc) => sessionCameras(svc, p.id), whileLocked: true, background: true },
  'training.sessions.list': { need: 'session', whileLocked: true, background: true, filter: (list, may) => list.filter((s) => s.cameraIds.some((c) => may('viewLive', c))) },
  'training.sessions.act': { need: 'workAlarms', on: (p, svc) => sessionCameras(svc, p.id), actor: 'operator' },
  'training.sessions.mark': { need: 'viewLive', on: (p, svc) => sessionCameras(svc, p.id), actor: 'operator' },
  'training.sessions.alarm': { need: 'viewLive', on: (p, svc) => sessionCameras(svc, p.id) },
  'training.sessions.score': { need: 'viewRecordings', on: (p, svc) => sessionCameras(svc, p.id) },
  'training.sessions.comment': { need: 'viewRecordings', on: (p, svc) => sessionCameras(svc, p.id), actor: 'operator' },
  'training.sessions.report': { need: 'viewRecordings', on: (p, svc) => sessionCameras(svc, p.id) },
  // after-action review (issue 11 §3): the trainer's dashboard lists sessions on cameras whose recordings they may see
  'training.sessions.results': { need: 'viewRecordings', on: 'any', filter: (list, may) => list.filter((r) => r.cameraIds.every((c) => may('viewRecordings', c))) },
  'training.sessions.export': { need: 'viewRecordings', on: (p, svc) => sessionCameras(svc, p.id) },
  'playback.clip': { need: 'viewRecordings', on: (p) => [p.cameraId] },
  'playback.segments': { need: 'viewRecordings', on: (p) => [p.cameraId] },
  'bookmarks.list': { need: 'viewRecordings', on: (p) => p.cameraIds ?? [], filter: byCamera('viewRecordings') },
  'bookmarks.add': { need: 'viewRecordings', on: (p) => [p.cameraId], actor: 'by' },
  'bookmarks.remove': { need: 'viewRecordings', on: 'any' },
  'evidence.locks': { need: 'viewRecordings', on: 'any', filter: (ls, may) => ls.filter((l) => l.cameraIds.every((c) => may('viewRecordings', c))) },
  'evidence.lock': { need: 'export', on: (p) => p.cameraIds, actor: 'by' },
  'evidence.unlock': {
    need: 'export',
    on: async (p, svc) => (await svc['evidence.locks']({}, { clientId: 'gate' })).find((l) => l.id === p.id)?.cameraIds ?? [],
  },
  'export.create': { need: 'export', on: (p) => p.cameraIds, actor: 'by', also: (p) => (p.unmasked ? 'exportUnmasked' : null) },
  'export.cancel': { need: 'export', on: 'any' },
  'export.verify': { need: 'export', on: 'any' },

  'access.whoami': { need: 'public', whileLocked: true, background: true },
  'access.signIn': { need: 'public', whileLocked: true },
  'access.signInTicket': { need: 'public', whileLocked: true },
  'access.signOut': { need: 'session', whileLocked: true },
  'access.activity': { need: 'session' },
  'access.lock': { need: 'session' },
  'access.unlock': { need: 'session', whileLocked: true },
  'access.handOver': { need: 'public', whileLocked: true },
  'access.changePassword': { need: 'session' },
  'access.users.list': { need: 'manageUsers', on: 'all' },
  'access.users.save': { need: 'manageUsers', on: 'all' },
  'access.users.remove': { need: 'manageUsers', on: 'all' },
  'access.roles.list': { need: 'session', background: true },
  'access.roles.save': { need: 'manageUsers', on: 'all' },
  'access.roles.remove': { need: 'manageUsers', on: 'all' },
  'access.language': { need: 'session' },
  'audit.query': { need: 'viewAudit', on: 'all' },
  'audit.report': { need: 'viewAudit', on: 'all', actor: 'by' },
  'audit.reportArchive': { need: 'viewAudit', on: 'all' },
  // the audit's retention is a policy of the centre: set by an administrator (manageUsers), never by the auditor it binds
  'audit.retention': { need: 'manageUsers', on: 'all' },
  // a measurement hook that writes to the audit (diagnostics only): administrators
  'audit.load': { need: 'manageUsers', on: 'all' },
};


