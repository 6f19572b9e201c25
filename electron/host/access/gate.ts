/**
 * The one place rights are enforced in the host (issue 12): every request of the contract (through the wrapped
 * HostService both transports dispatch to), every event a connection receives, every camera a frame socket subscribes
 * to and every /rec/ HTTP route. A refusal says `forbidden: <right> on <camera>` (or why no session applies) and is
 * written to the audit. Hiding a button in the renderer is only a courtesy on top of this.
 */
import { ContractError, type EventMessage, type HostService, type Method } from '../../contract/api.js';
import type { ErrorReason } from '../../contract/api-errors.js';
import type { Right } from '../../contract/access/access-schema.js';
import type { AccessModule, Binding, LiveSession } from './access-module.js';
import { decide, type Subject } from './policy.js';
import { ROUTE_RIGHTS, SEES, type May, type RouteRule } from './route-rights.js';

/** A session's rights, computed at most every few seconds (events and frames ask often; time windows move slowly). */
interface Snapshot { at: number; global: Set<Right>; cameras: Map<string, Set<Right>>; state: LiveSession['state'] }
const SNAPSHOT_MS = 2000;

export class AccessGate {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(private readonly access: AccessModule, private readonly now: () => number = Date.now) {
    access.onSessionChange((hash) => this.snapshots.delete(hash));
  }

  /** The service both transports dispatch to: each handler checked, actor set, result filtered. */
  wrap(inner: HostService): HostService {
    const out: Record<string, unknown> = {};
    for (const method of Object.keys(inner) as Method[]) {
      const handler = inner[method] as (p: unknown, ctx: { clientId: string; user?: string }) => unknown;
      const rule = ROUTE_RIGHTS[method] as RouteRule<Method>;
      out[method] = async (params: Record<string, unknown>, ctx: { clientId: string }) => {
        const { subject, b } = await this.check(method, rule, params, ctx.clientId, inner);
        if (subject && rule.actor) params = { ...params, [rule.actor]: subject.user };
        const result = await handler(params, subject ? { ...ctx, user: subject.user } : ctx);
        if (!rule.filter || !subject) return result;
        const may = this.mayFor(b);
        return (rule.filter as (r: unknown, m: May) => unknown)(result, may);
      };
    }
    return out as HostService;
  }

  private refuse(b: Binding | null, method: string, code: 'unauthenticated' | 'locked' | 'forbidden', message: string, reason: ErrorReason): never {
    this.access.audit(this.access.actorOf(b), 'access.refused', method, message, true); // in the chain before the caller hears no
    throw new ContractError(code, message, reason);
  }

  private async check(method: Method, rule: RouteRule<Method>, params: unknown, clientId: string, inner: HostService): Promise<{ subject: Subject | null; b: Binding | null }> {
    const b = this.access.binding(clientId);
    if (rule.need === 'public') return { subject: null, b };
    const s = this.access.sessionOf(b);
    if (!s) this.refuse(b, method, 'unauthenticated', `not signed in: sign in to use ${method}`, { code: 'notSignedIn', params: {} });
    const subject = this.access.subjectOf(s);
    if (!subject) this.refuse(b, method, 'unauthenticated', 'this user no longer exists: sign in again', { code: 'userGone', params: {} });
    if (s.state === 'locked' && (!rule.whileLocked || (rule.background && !this.access.policy.wallPlaysWhenLocked && method.startsWith('streams.')))) {
      this.refuse(b, method, 'locked', 'the console is locked: unlock it to continue', { code: 'locked', params: {} });
    }
    if (!rule.background) this.access.activity(s);
    if (rule.need === 'session') return { subject, b };
    const extra = rule.also?.(params as never);
    const t = this.now();
    const on = rule.on ?? 'any';
    const ids = typeof on === 'function' ? await on(params as never, inner) : null;
    if (ids && ids.length === 0 && rule.noCameraNeedsSession) return { subject, b };
    for (const right of extra ? [rule.need, extra] : [rule.need]) this.checkRight(b, method, subject, right, on, ids, t);
    return { subject, b };
  }

  private checkRight(b: Binding | null, method: Method, subject: Subject, right: Right, on: RouteRule<Method>['on'], ids: string[] | null, t: number): void {
    if (ids && ids.length) {
      for (const id of new Set(ids)) {
        const d = decide(subject, right, this.access.cameraTarget(id), t);
        const hours = d.reason === 'outside the allowed hours';
        if (!d.allowed) this.refuse(b, method, 'forbidden', `forbidden: ${right} on ${id}${hours ? ' (outside the allowed hours)' : ''}`, { code: hours ? 'forbiddenHours' : 'forbidden', params: { right, camera: id } });
      }
    } else {
      const target = on === 'all' ? { kind: 'all' as const } : { kind: 'any' as const };
      const d = decide(subject, right, target, t);
      const hours = d.reason === 'outside the allowed hours';
      if (!d.allowed) this.refuse(b, method, 'forbidden', `forbidden: ${right} on ${on === 'all' ? 'every camera' : 'any camera'}${hours ? ' (outside the allowed hours)' : ''}`, { code: on === 'all' ? 'forbiddenEvery' : 'forbiddenAny', params: { right, hours: hours ? 1 : 0 } });
    }
  }

  private snapshot(s: LiveSession): Snapshot | null {
    const t = this.now();
    const hit = this.snapshots.get(s.tokenHash);
    if (hit && t - hit.at < SNAPSHOT_MS && hit.state === s.state) return hit;
    const me = this.access.meOf(s);
    if (!me) return null;
    const snap: Snapshot = { at: t, global: new Set(me.global), cameras: new Map(Object.entries(me.cameras).map(([id, r]) => [id, new Set(r)])), state: s.state };
    this.snapshots.set(s.tokenHash, snap);
    return snap;
  }

  /** May-check of a binding for filters, events and frames (nobody may anything without a session). */
  mayFor(b: Binding | null): May {
    const s = this.access.sessionOf(b);
    const snap = s ? this.snapshot(s) : null;
    if (!snap) return () => false;
    return (right, cameraId) => snap.global.has(right) || !!snap.cameras.get(cameraId)?.has(right);
  }

  /** The event as this connection may see it, or null. */
  filterEvent(clientId: string, msg: EventMessage): EventMessage | null {
    const b = this.access.binding(clientId);
    if (!b) return null;
    if (msg.event === 'access.session') return (msg.payload as { sessionRef?: string }).sessionRef === b.lastRef ? msg : null;
    const s = this.access.sessionOf(b);
    if (!s) return null;
    const may = this.mayFor(b);
    const p = msg.payload as never;
    const keep = (payload: unknown): EventMessage => ({ event: msg.event, payload });
    switch (msg.event) {
      case 'stream.status': return may('viewLive', (p as { cameraId: string }).cameraId) ? msg : null;
      case 'cameras.changed': return keep((p as Array<{ id: string }>).filter((c) => SEES.some((r) => may(r, c.id))));
      case 'alarms.changed': { const a = (p as Array<{ cameraId: string }>).filter((x) => may('workAlarms', x.cameraId)); return a.length ? keep(a) : null; }
      case 'overlays.meta': { const o = (p as Array<{ cameraId: string }>).filter((x) => may('viewLive', x.cameraId)); return o.length ? keep(o) : null; }
      case 'zones.changed': case 'masks.changed': case 'recording.status': return SEES.some((r) => may(r, (p as { cameraId: string }).cameraId)) ? msg : null;
      // a training session's view (its alarms) only to those who may watch its cameras (issue 11 §2)
      case 'training.session': return (p as { status: { cameraIds: string[] } }).status.cameraIds.some((id) => may('viewLive', id)) ? msg : null;
      // the map window's "open this alarm" goes to the console that opened that map window only (map-window-api.ts)
      case 'map.alarmOpen': return (p as { consoleRef: string }).consoleRef === b.lastRef ? msg : null;
      case 'export.progress': { const id = (p as { cameraId: string | null }).cameraId; return id === null || may('export', id) ? msg : null; }
      default: return msg;
    }
  }

  /** The cameras a frame socket may receive now (live pictures need viewLive; a locked console only if the wall plays). */
  framesAllowed(b: Binding, cameraIds: readonly string[]): string[] {
    const s = this.access.sessionOf(b);
    if (!s || (s.state === 'locked' && !this.access.policy.wallPlaysWhenLocked)) return [];
    const may = this.mayFor(b);
    const ok = cameraIds.filter((id) => may('viewLive', id));
    const refused = cameraIds.filter((id) => !ok.includes(id));
    if (refused.length) this.access.audit(this.access.actorOf(b), 'access.refused', 'frames.subscribe', `forbidden: viewLive on ${refused.slice(0, 20).join(', ')}`);
    return ok;
  }

  /**
   * A /rec/ route: recorded video needs viewRecordings on its camera (any camera for a route that names none).
   * Returns null when allowed, else the HTTP status and message.
   */
  httpRefusal(token: string | null, cameraId: string | null, path: string): { status: number; message: string } | null {
    const s = token ? this.access.tokenSession(token) : null;
    const b = s ? { clientId: 'http', source: 'http', tokenHash: s.tokenHash, lastRef: s.ref } : null;
    const fail = (status: number, message: string) => { this.access.audit(this.access.actorOf(b), 'access.refused', path.slice(0, 120), message); return { status, message }; };
    if (!s || !b) return fail(403, 'not signed in');
    if (s.state === 'locked') return fail(403, 'the console is locked');
    const may = this.mayFor(b);
    if (cameraId ? !may('viewRecordings', cameraId) : !this.access.meOf(s)?.global.includes('viewRecordings') && !Object.values(this.access.meOf(s)?.cameras ?? {}).some((r) => r.includes('viewRecordings'))) {
      return fail(403, `forbidden: viewRecordings on ${cameraId ?? 'any camera'}`);
    }
    return null;
  }

  /** An HTTP route for any signed-in, unlocked session (the map's basemap and plans); null when allowed. */
  sessionRefusal(token: string | null, path: string): { status: number; message: string } | null {
    const s = token ? this.access.tokenSession(token) : null;
    const b = s ? { clientId: 'http', source: 'http', tokenHash: s.tokenHash, lastRef: s.ref } : null;
    const fail = (status: number, message: string) => { this.access.audit(this.access.actorOf(b), 'access.refused', path.slice(0, 120), message); return { status, message }; };
    if (!s) return fail(403, 'not signed in');
    if (s.state === 'locked') return fail(403, 'the console is locked');
    return null;
  }
}
