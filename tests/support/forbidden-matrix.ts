/**
 * The forbidden-request matrix of issue 12 §2, ONE definition for tests/integration/access-forbidden.test.ts and
 * `npm run bench:access`: every route of the contract with valid sample params, which of them each role may call (from
 * the policy and the route table), the cameras the matrix needs on the shell, and one pass of a role's forbidden routes.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { requests, type Method, type ReplyMessage } from '../../electron/contract/api.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { CONTRACTOR_ROLE } from '../../electron/host/access/access-module.js';
import { BUILT_IN_ROLE_DEFS, can, grantsOf, type Target } from '../../electron/host/access/policy.js';
import { ROUTE_RIGHTS } from '../../electron/host/access/route-rights.js';
import type { ApiClient } from './api-client.js';

export const CAM = 'gate-2'; // group Almaly: the contractor's grant covers Medeu only
const t0 = Date.now();
const layout = makePresetLayout('2x2', [], 'live', 'Live');
/** Valid params for every method (the gate, not the schema, must be what refuses). */
export const SAMPLE: { [M in Method]: unknown } = {
  'session.info': {},
  'cameras.list': {}, 'cameras.add': { camera: { name: 'X', mainUrl: 'rtsp://127.0.0.1:1/x' }, probe: false },
  'cameras.update': { id: CAM, camera: { name: 'Y', mainUrl: 'rtsp://127.0.0.1:1/y' } }, 'cameras.remove': { id: CAM },
  'cameras.probe': { id: CAM }, 'cameras.import': { format: 'json', text: '[]' }, 'cameras.export': { format: 'json' },
  'layouts.list': {}, 'layouts.save': { layout }, 'layouts.remove': { id: 'nope' },
  'wall.displays': {}, 'wall.setLayout': { displayId: 'matrix', layout }, 'wall.push': { displayId: 'matrix', cameraId: CAM },
  'wall.presets.list': {}, 'wall.presets.save': { name: 'p' }, 'wall.presets.apply': { id: 'nope' }, 'wall.presets.remove': { id: 'nope' },
  'streams.demand': { clientId: 'matrix', tiles: [{ cameraId: CAM, width: 320, height: 180 }] }, 'streams.status': {},
  'streams.pageLoad': { clientId: 'matrix', paintedPct: 100 }, 'streams.pin': { cameraId: CAM, pinned: true },
  'notices.list': {}, 'notices.dismiss': { id: 'nope' }, 'log.report': { level: 'info', message: 'matrix' },
  'alarms.info': {}, 'alarms.list': { cameraId: CAM }, 'alarms.get': { id: 'nope' }, 'alarms.snapshot': { id: 'nope' },
  'alarms.act': { id: 'nope', operator: 'x', action: { kind: 'claim' } }, 'alarms.bulk': { ids: ['nope'], operator: 'x', action: { kind: 'claim' } },
  'alarms.stats': {}, 'alarms.rules.list': {}, 'alarms.rules.save': { rules: [], operator: 'x' },
  'zones.list': {}, 'zones.save': { cameraId: CAM, zones: [], operator: 'x' },
  'masks.list': {}, 'masks.save': { cameraId: CAM, masks: [], operator: 'x' },
  'masks.lift': { cameraId: CAM, minutes: 5, reason: 'checking the gate', operator: 'x' }, 'masks.restore': { cameraId: CAM, operator: 'x' },
  'events.query': { cameraId: CAM, fromMs: t0 - 60_000, toMs: t0 }, 'alarms.audit.verify': {},
  'recording.status': {}, 'recording.configure': { cameraId: CAM, mode: 'continuous' }, 'recording.retention': {},
  'recording.trigger': { cameraId: CAM }, 'recording.rebuildIndex': {},
  'recording.timeline': { cameraIds: [CAM], fromMs: t0 - 60_000, toMs: t0 }, 'playback.clip': { cameraId: CAM, atMs: t0 - 30_000 },
  'playback.segments': { cameraId: CAM, fromMs: t0 - 60_000, toMs: t0 }, 'bookmarks.list': { cameraIds: [CAM], fromMs: t0 - 60_000, toMs: t0 },
  'bookmarks.add': { cameraId: CAM, atMs: t0, comment: 'x' }, 'bookmarks.remove': { id: 'nope' }, 'evidence.locks': {},
  'evidence.lock': { cameraIds: [CAM], fromMs: t0 - 60_000, toMs: t0, reason: 'x' }, 'evidence.unlock': { id: 'nope' },
  'export.create': { cameraIds: [CAM], fromMs: t0 - 60_000, toMs: t0, reason: 'x', by: 'x' }, 'export.cancel': { id: 'nope' }, 'export.verify': { id: 'nope' },
  'access.whoami': {}, 'access.signIn': { user: 'nobody', password: 'x' }, 'access.signOut': {}, 'access.activity': {}, 'access.lock': {},
  'access.unlock': { password: 'x' }, 'access.handOver': { user: 'nobody', password: 'x' }, 'access.changePassword': { current: 'x', next: 'long-enough-1' },
  'access.users.list': {}, 'access.users.save': { user: { name: 'someone', password: 'long-enough-1', roles: ['operator'] } },
  'access.users.remove': { name: 'someone' }, 'access.roles.list': {},
  'access.roles.save': { role: { id: 'x', name: 'X', grants: [] } }, 'access.roles.remove': { id: 'x' },
  'access.signInTicket': { ticket: 'forged-ticket' }, 'map.openWindow': { displayId: 'main', lang: 'en' }, 'map.interacting': {}, 'map.openAlarm': { alarmId: 'nope' },
  'units.list': {}, 'units.watch': { on: true }, 'map.config': {}, 'map.plans.place': { id: 'hq', points: [{ px: [0, 0], lon: 76.9, lat: 43.2 }, { px: [10, 0], lon: 76.91, lat: 43.2 }] },
  'map.plans.add': { name: 'Refused plan', image: 'iVBORw0KGgo=', at: { lon: 76.9, lat: 43.2 }, widthM: 100 }, 'map.plans.remove': { id: 'hq' }, 'map.attention': { hours: 24 }, 'units.tracks': { fromMs: t0 - 60_000, toMs: t0 },
  'follow.start': { displayId: 'main', unitId: 'nobody' }, 'follow.stop': { displayId: 'main' }, 'follow.list': {},
  'plates.search': { pattern: '777AB*' }, 'plates.route': { plate: '777ABZ02' }, 'plates.watchlist.get': {},
  'plates.watchlist.save': { entries: [{ pattern: '777ABZ02' }], operator: 'x' }, 'violations.list': {}, 'violations.get': { id: 'nope' },
  'violations.picture': { id: 'nope' }, 'violations.decide': { id: 'nope', verdict: 'rejected', reason: 'x', operator: 'x' }, 'replay.incidents.list': {}, 'replay.incidents.fromAlarm': { alarmId: 'nope', operator: 'x' },
  'replay.incidents.create': { name: 'x', fromMs: t0 - 60_000, toMs: t0, cameraIds: [CAM], operator: 'x' },
  'replay.incidents.get': { id: 'nope' }, 'replay.incidents.footage': { id: 'nope' }, 'replay.stateAt': { id: 'nope', atMs: t0 },
  'replay.incidents.fromBookmark': { bookmarkId: 'nope', operator: 'x' }, 'replay.incidents.fromLock': { lockId: 'nope', operator: 'x' },
  'replay.journal.note': { what: 'tile.maximise', displayId: 'main', cameraIds: [CAM], operator: 'x' },
  'replay.footage.segments': { id: 'nope', cameraId: CAM, fromMs: t0 - 60_000, toMs: t0 }, 'replay.footage.timeline': { id: 'nope', cameraIds: [CAM], fromMs: t0 - 60_000, toMs: t0 },
  'replay.footage.events': { id: 'nope', cameraId: CAM, fromMs: t0 - 60_000, toMs: t0 }, 'replay.footage.tracks': { id: 'nope', fromMs: t0 - 60_000, toMs: t0 }, 'replay.footage.zones': { id: 'nope' },
  'replay.packages.create': { id: 'nope', operator: 'x' }, 'replay.packages.import': { path: '/nonexistent-package', operator: 'x' },
  'training.scenarios.list': {}, 'training.scenarios.get': { id: 'nope' }, 'training.scenarios.save': { scenario: { cameraIds: [CAM] }, operator: 'x' },
  'training.scenarios.remove': { id: 'nope', operator: 'x' },
  'training.score': { session: { scenarioId: 'nope', trainee: 'x', console: 'c', startedAt: t0, endedAt: t0, alarms: {}, before: [], actions: [] } },
  'training.sessions.start': { scenarioId: 'nope', operator: 'x' }, 'training.sessions.join': { id: 'nope', operator: 'x' },
  'training.sessions.stop': { id: 'nope', operator: 'x' }, 'training.sessions.status': { id: 'nope' }, 'training.sessions.list': {},
  'training.sessions.act': { id: 'nope', alarmId: 'nope', operator: 'x', action: { kind: 'claim' } },
  'training.sessions.mark': { id: 'nope', operator: 'x', mark: { kind: 'look' } }, 'training.sessions.score': { id: 'nope' },
  'training.sessions.alarm': { id: 'nope', alarmId: 'nope' },
  'training.sessions.comment': { id: 'nope', operator: 'x', atMs: 0, text: 'x' }, 'training.sessions.report': { id: 'nope' },
  'training.sessions.results': {}, 'training.sessions.export': { id: 'nope', format: 'json', language: 'en' },
  'access.language': { language: 'ru' }, 'audit.query': { filter: { cameraId: CAM } }, 'audit.report': { filter: { cameraId: CAM }, reason: 'x' },
  'audit.reportArchive': { id: 'audit-nope' }, 'audit.retention': { days: 400 },
  'audit.load': { perSecond: 10, seconds: 0.1, cameraIds: [CAM] },
};

/** Routes without side effects, called where allowed to show the gate lets them through. */
export const READ_ONLY: Method[] = ['cameras.list', 'cameras.export', 'streams.status', 'alarms.list', 'alarms.stats', 'events.query', 'alarms.audit.verify',
  'recording.timeline', 'playback.segments', 'bookmarks.list', 'evidence.locks', 'access.users.list', 'access.roles.list', 'audit.query'];

const roles = new Map([...BUILT_IN_ROLE_DEFS, CONTRACTOR_ROLE].map((r) => [r.id, r]));
export const METHODS = Object.keys(requests) as Method[];

/** Whether the role may call the method with the sample params (from the policy; the route table says which right where). */
export function allowed(roleId: string, method: Method): boolean {
  const rule = ROUTE_RIGHTS[method];
  if (rule.need === 'public' || rule.need === 'session') return true;
  const subject = { user: 'x', disabled: false, grants: grantsOf([roleId], [], roles) };
  const now = Date.now();
  const on = rule.on ?? 'any';
  if (on === 'all' || on === 'any') return can(subject, rule.need, { kind: on }, now);
  // the sample's camera is gate-2; lookups of unknown ids (alarms, locks) fall back to "any camera"
  const lookups = ['alarms.get', 'alarms.snapshot', 'alarms.act', 'alarms.bulk', 'evidence.unlock', 'replay.incidents.get', 'replay.incidents.footage', 'replay.stateAt', 'replay.packages.create',
    'training.sessions.start', 'training.sessions.stop', 'training.sessions.join', 'training.sessions.status', 'training.sessions.act', 'training.sessions.mark', 'training.sessions.alarm', 'training.sessions.score', 'training.sessions.comment', 'training.sessions.report', 'training.sessions.export'];
  const target: Target = lookups.includes(method) ? { kind: 'any' } : { kind: 'camera', cameraId: CAM, group: 'Almaly' };
  return can(subject, rule.need, target, now);
}

/** The two cameras the matrix names (gate-2 in Almaly, outside the contractor's Medeu grant); added by an administrator. */
export async function addMatrixCameras(admin: ApiClient): Promise<void> {
  for (const [id, group] of [['gate-1', 'Medeu district'], ['gate-2', 'Almaly']] as const) {
    await admin.call('cameras.add', { camera: { id, name: id, mainUrl: `rtsp://127.0.0.1:9/${id}`, group }, probe: false });
  }
}

/** One role's pass over every route it may not call: each reply, and whether it was the expected refusal. */
export interface ForbiddenPass {
  tried: number;
  refused: number;
  /** "<method>: ok" or "<method>: <code>: <message>" for every reply that was not a `forbidden` refusal. */
  leaked: string[];
  /** Methods whose sample params the contract rejected (the matrix is wrong, not the gate). */
  invalid: string[];
  /** Refusal messages that do not name the right and the camera(s) as the gate words them. */
  badMessages: string[];
}

/** Calls every route `roleId` may not call on `api` (signed in as a user of that role) with the sample params. */
export async function tryForbidden(api: ApiClient, roleId: string): Promise<ForbiddenPass> {
  const pass: ForbiddenPass = { tried: 0, refused: 0, leaked: [], invalid: [], badMessages: [] };
  for (const method of METHODS) {
    if (allowed(roleId, method)) continue;
    const reply: ReplyMessage = await api.raw(method, SAMPLE[method]);
    pass.tried++;
    if (!reply.ok && reply.error.code === 'invalid') pass.invalid.push(`${method}: ${reply.error.message}`);
    if (!reply.ok && reply.error.code === 'forbidden') {
      pass.refused++;
      if (!/^forbidden: \w+ on (gate-2|any camera|every camera)/.test(reply.error.message)) pass.badMessages.push(`${method}: ${reply.error.message}`);
    } else pass.leaked.push(`${roleId} ${method}: ${reply.ok ? 'ok' : `${reply.error.code}: ${reply.error.message}`}`);
  }
  return pass;
}

/** How many refusals of `user` the access chain holds (table `audit` in access.sqlite, read-only beside the running host). */
export function auditedRefusals(dataDir: string, user: string): number {
  const db = new Database(join(dataDir, 'access.sqlite'), { readonly: true });
  try { return (db.prepare(`SELECT COUNT(*) AS n FROM audit WHERE action = 'access.refused' AND actor = ?`).get(user) as { n: number }).n; } finally { db.close(); }
}
