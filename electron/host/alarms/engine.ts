/**
 * The alarm engine: incoming messages -> validated events -> rules -> de-duplicated alarms, committed in
 * groups (one transaction per batch, so thousands of events a second cost a few fsyncs). `submit` resolves only
 * after the event is committed, which is when MQTT may acknowledge it. Operator actions commit before they
 * return, so anything the UI shows as done is on disk.
 */
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import { Rule, type Alarm, type AlarmAction, type IngestStats, type RuleInput } from '../../contract/alarms-schema.js';
import { KuzetEvent, MAX_EVENT_BYTES, type EventSource, type OverlayMeta, type RejectReason, type StoredEvent } from '../../contract/events-schema.js';
import type { Logger } from '../log.js';
import { decide, emptyDedup, prune, record } from './dedup.js';
import { describeEvent, inZonesEnglish } from './describe-event.js';
import { FRIGATE_UPDATE_TOPIC, frigateDirectory, fromFrigateEvent, fromFrigateUpdate, type FrigateCameraFacts, type FrigateContext, type FrigateTarget, type FrigateTrack } from './frigate-adapter.js';
import { applyAction, dueForEscalation, escalateUnclaimed } from './lifecycle.js';
import { matchRule } from './rules.js';
import { DEFAULT_RULES, DEFAULT_SOP, SYSTEM_RULE_IDS } from './sop.js';
import type { SqliteAlarmStore } from './store-sqlite.js';
import type { PgAlarmBoard } from './shared-board-pg.js';
import { ZoneBook } from './zone-book.js';

/** What the engine needs of a camera (a contract `Camera` fits): its group for rules, its Frigate mapping and probed sizes. */
export interface CameraFacts extends FrigateCameraFacts { id: string; group?: string | undefined }
export interface EngineOptions {
  store: SqliteAlarmStore;
  cameras: () => CameraFacts[];
  log: Logger;
  now?: () => number;
  /** Events older than this are deleted (alarms and audit stay). */
  retentionDays?: number;
  /** Most events committed in one transaction. */
  maxBatch?: number;
  /** Frigate events whose frame time is older than this are stored as history and raise no alarm (default 5 minutes). */
  frigateMaxAgeMs?: number;
}

/**
 * Another module's look at the ingest (the plate index, issue 10): `beforeRules` may mark an event (a watch-list hit)
 * and give the alarm more details (the plate's last known route); `committed` gets each committed batch's new events.
 */
export interface EventTap {
  beforeRules?(ev: StoredEvent): { event: StoredEvent; details?: Record<string, unknown> };
  committed?(events: readonly StoredEvent[]): void;
}

export type SubmitOutcome = { accepted: true; id: string } | { accepted: false; reason: RejectReason; detail: string };
type Pending = { ev: KuzetEvent; source: EventSource; receivedAt: number; done: (o: SubmitOutcome) => void; fail: (e: unknown) => void };

const MAX_LAST_REJECTS = 20;
/** Frigate tracked objects remembered for `tracked_object_update` (oldest forgotten first). */
const MAX_FRIGATE_TRACKS = 5000;
export const FRIGATE_MAX_AGE_MS = 5 * 60_000;
/**
 * Overlay items go out apart from the alarm batches, at most every OVERLAY_EMIT_MS: a box must reach the renderer
 * before the frame it belongs to is painted (frames take about 25-50 ms from capture to paint), and the 50 ms alarm
 * batch made half of the boxes miss their frame and show a frame late (measured against the simulator's ground
 * truth, docs/alarms.md). At most MAX_OVERLAYS_PER_EMIT per emit (4,000 a second): a flood thins the boxes, it never
 * floods the renderers.
 */
const OVERLAY_EMIT_MS = 10;
const MAX_OVERLAYS_PER_EMIT = 40;
let alarmSeq = 0;

/** The queue's line for an alarm: the event, plus the zones or lines that made a zone rule match ("person detected in Gate"). */
function alarmSummary(rule: Rule, ev: StoredEvent): string {
  const zones = rule.zones.length ? ev.zones.filter((z) => rule.zones.includes(z)) : [];
  return zones.length ? inZonesEnglish({ what: describeEvent(ev), zones: zones.join(', ') }) : describeEvent(ev);
}

export class AlarmEngine {
  private readonly store: SqliteAlarmStore;
  private readonly log: Logger;
  private readonly now: () => number;
  private rules: Rule[];
  private readonly open = new Map<string, Alarm>();
  private readonly dedup = emptyDedup();
  private pending: Pending[] = [];
  private flushScheduled = false;
  private readonly listeners = new Set<(alarms: Alarm[]) => void>();
  private readonly changed = new Map<string, Alarm>();
  private overlays: OverlayMeta[] = [];
  private readonly overlayListeners = new Set<(items: OverlayMeta[]) => void>();
  private emitTimer: NodeJS.Timeout | null = null;
  private overlayTimer: NodeJS.Timeout | null = null;
  private lastOverlayEmit = 0;
  private readonly tickTimer: NodeJS.Timeout;
  private accepted = 0;
  private raised = 0;
  private readonly rejected: Record<string, number> = {};
  private readonly lastRejects: IngestStats['lastRejects'] = [];
  private cameraIndex = new Map<string, CameraFacts>();
  private cameraIndexAt = 0;
  private frigateTargets: (name: string) => FrigateTarget | null = () => null;
  private readonly frigateTracks = new Map<string, FrigateTrack>();
  private readonly noDetectSizeWarned = new Set<string>();
  private stale = 0;
  private closed = false;
  private readonly taps = new Set<EventTap>();
  /** Set when alarms are shared with other hosts through PostgreSQL. */
  private board: PgAlarmBoard | null = null;
  /** Operators' zones and lines: events get the names of those their boxes hit before rules run. */
  readonly zones: ZoneBook;

  constructor(private readonly opts: EngineOptions) {
    this.store = opts.store;
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.zones = new ZoneBook(this.store, this.log);
    const saved = this.store.rules();
    this.rules = saved.length ? saved : DEFAULT_RULES.map((r) => Rule.parse(r));
    // a rule set saved before a system alarm existed (storage) gets that rule added
    const missing = DEFAULT_RULES.filter((r) => SYSTEM_RULE_IDS.includes(r.id) && !this.rules.some((x) => x.id === r.id));
    if (missing.length) this.rules = [...this.rules, ...missing.map((r) => Rule.parse(r))];
    if (!saved.length || missing.length) this.store.saveRules(this.rules);
    for (const a of this.store.openAlarms()) this.open.set(a.id, a);
    Object.assign(this.rejected, this.store.rejects());
    this.tickTimer = setInterval(() => this.tick(), 1000);
    this.tickTimer.unref();
    this.applyRetention();
  }

  // ---- ingest ---------------------------------------------------------------------------------------------

  /** Parses, validates and queues one message; resolves after commit (accepted) or with the reject reason. */
  submit(payload: Buffer | string, topic: string, source: EventSource): Promise<SubmitOutcome> {
    const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (size > MAX_EVENT_BYTES) return Promise.resolve(this.reject('too-large', `${size} bytes > ${MAX_EVENT_BYTES}`, topic));
    let json: unknown;
    try { json = JSON.parse(payload.toString()); } catch (e) { return Promise.resolve(this.reject('malformed-json', (e as Error).message, topic)); }
    if (source === 'frigate') {
      const mapped = topic === FRIGATE_UPDATE_TOPIC ? fromFrigateUpdate(json, this.frigateContext()) : fromFrigateEvent(json, this.frigateContext());
      if ('skip' in mapped) return Promise.resolve(this.reject(mapped.skip, mapped.detail, topic));
      this.rememberFrigateTrack(mapped.frigateId, mapped.track);
      json = mapped.event;
    } else if (json && typeof json === 'object' && !Array.isArray(json) && topic.startsWith('kuzet/events/')) {
      const fromTopic = topic.slice('kuzet/events/'.length);
      const body = json as { camera?: unknown };
      if (body.camera === undefined) body.camera = fromTopic;
      else if (fromTopic && body.camera !== fromTopic) return Promise.resolve(this.reject('invalid', `camera '${String(body.camera).slice(0, 64)}' does not match topic`, topic));
    }
    const parsed = KuzetEvent.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return Promise.resolve(this.reject('invalid', `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`, topic));
    }
    return this.submitEvent(parsed.data, source, topic);
  }

  /** Queues an already-valid event (demo generator, camera health, motion). */
  submitEvent(ev: KuzetEvent, source: EventSource, topic = 'internal'): Promise<SubmitOutcome> {
    if (this.closed) return Promise.reject(new Error('alarm engine closed'));
    if (!this.knownCamera(ev.camera)) return Promise.resolve(this.reject('unknown-camera', `no camera '${ev.camera}'`, topic));
    return new Promise((done, fail) => {
      this.pending.push({ ev, source, receivedAt: this.now(), done, fail });
      if (this.pending.length >= (this.opts.maxBatch ?? 2000)) this.flush();
      else if (!this.flushScheduled) { this.flushScheduled = true; setImmediate(() => this.flush()); }
    });
  }

  private knownCamera(id: string): boolean {
    if (this.now() - this.cameraIndexAt > 1000 || !this.cameraIndex.has(id)) this.refreshCameras();
    return this.cameraIndex.has(id);
  }

  private refreshCameras(): void {
    const cameras = this.opts.cameras();
    this.cameraIndex = new Map(cameras.map((c) => [c.id, c]));
    this.frigateTargets = frigateDirectory(cameras);
    this.cameraIndexAt = this.now();
  }

  /** Frigate camera names -> Kuzet cameras (re-read every second, and at once for a name not mapped yet). */
  private frigateContext(): FrigateContext {
    return {
      target: (name) => {
        if (this.now() - this.cameraIndexAt > 1000) this.refreshCameras();
        let t = this.frigateTargets(name);
        if (!t) { this.refreshCameras(); t = this.frigateTargets(name); }
        if (t && !t.detect && !this.noDetectSizeWarned.has(t.cameraId)) {
          this.noDetectSizeWarned.add(t.cameraId);
          this.log.warn('Frigate boxes dropped: no detect size for this camera (set it, or probe the camera)', { camera: t.cameraId, frigateCamera: name });
        }
        return t;
      },
      track: (id) => this.frigateTracks.get(id),
    };
  }

  private rememberFrigateTrack(id: string, track: FrigateTrack): void {
    this.frigateTracks.delete(id);
    this.frigateTracks.set(id, track);
    if (this.frigateTracks.size > MAX_FRIGATE_TRACKS) this.frigateTracks.delete(this.frigateTracks.keys().next().value!);
  }

  private reject(reason: RejectReason, detail: string, topic: string): SubmitOutcome {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
    this.lastRejects.push({ at: this.now(), reason, detail: detail.slice(0, 300), topic: topic.slice(0, 200) });
    if (this.lastRejects.length > MAX_LAST_REJECTS) this.lastRejects.shift();
    try { this.store.countReject(reason); } catch { /* counters are best effort */ }
    return { accepted: false, reason, detail };
  }

  /** Commits everything queued in one transaction, then settles the submitters (acks follow this). */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    if (!batch.length) return;
    this.pending = [];
    const outcomes: SubmitOutcome[] = [];
    const touched = new Map<string, Alarm>();
    const snapshots = new Map<string, string>();
    const fresh: StoredEvent[] = [];
    try {
      this.store.transaction(() => {
        for (const p of batch) {
          const id = p.ev.id ?? `${p.source}-${p.receivedAt.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
          let stored: StoredEvent = { ...this.zones.annotate(p.ev), id, receivedAt: p.receivedAt, source: p.source };
          let details: Record<string, unknown> | undefined;
          for (const tap of this.taps) {
            try { const r = tap.beforeRules?.(stored); if (r) { stored = r.event; details = { ...details, ...r.details }; } } catch (e) { this.log.warn('event tap failed', { error: String(e) }); }
          }
          if (!this.store.insertEvent(stored)) { outcomes.push({ accepted: true, id }); this.rejected.duplicate = (this.rejected.duplicate ?? 0) + 1; continue; }
          this.accepted++;
          outcomes.push({ accepted: true, id });
          fresh.push(stored);
          // an ended object is gone from the picture: its final box is stored, not drawn again
          if (stored.boxes.length && stored.endTime === undefined && this.overlayListeners.size && this.overlays.length < MAX_OVERLAYS_PER_EMIT) {
            this.overlays.push({ cameraId: stored.camera, captureTime: stored.captureTime, type: stored.type, ...(stored.track ? { track: stored.track } : {}), label: describeEvent(stored), attributes: stored.attributes, boxes: stored.boxes });
          }
          const alarm = this.raise(stored, details);
          if (alarm) { touched.set(alarm.id, alarm); if (stored.snapshot) snapshots.set(alarm.id, id); }
        }
        for (const a of touched.values()) this.store.saveAlarm(a, snapshots.get(a.id) ?? null);
      });
    } catch (err) {
      this.store.reloadChainHead();
      for (const a of touched.values()) { const saved = this.store.getAlarm(a.id); if (saved && saved.state !== 'resolved') this.open.set(a.id, saved); else this.open.delete(a.id); }
      this.log.error('event batch not committed', { events: batch.length, error: String(err) });
      for (const p of batch) p.fail(err);
      return;
    }
    batch.forEach((p, i) => p.done(outcomes[i]!));
    for (const tap of this.taps) { try { tap.committed?.(fresh); } catch (e) { this.log.warn('event tap failed', { error: String(e) }); } }
    if (this.board && touched.size) this.board.publish([...touched.values()]).catch((e: unknown) => this.log.warn('alarms not shared', { error: String(e) }));
    for (const a of touched.values()) this.changed.set(a.id, a);
    if (touched.size) this.scheduleEmit();
    if (this.overlays.length) this.scheduleOverlayEmit();
  }

  /** Runs rules and de-duplication for one stored event; returns the alarm it created or updated. */
  private raise(ev: StoredEvent, details?: Record<string, unknown>): Alarm | null {
    const group = (id: string) => this.cameraIndex.get(id)?.group;
    const rule = matchRule(this.rules, ev, { groupOf: group, now: new Date(this.now()) });
    if (!rule) return null;
    // Frigate stamps frames with its host's clock: a frame far in the past is history (a replay, a backlog), not an alarm.
    // Other sources are not judged so: their capture times come from camera clocks, which are often minutes off.
    if (ev.source === 'frigate' && this.now() - ev.captureTime > (this.opts.frigateMaxAgeMs ?? FRIGATE_MAX_AGE_MS)) { this.stale++; return null; }
    // the track's last event closes it: the alarm records when the object left (and stays for the operator to work)
    const at = ev.endTime ?? ev.captureTime;
    const d = decide(this.dedup, rule, ev, at, (id) => this.open.has(id));
    if (d.kind === 'fold') {
      const prev = this.open.get(d.alarmId)!;
      const a: Alarm = { ...prev, count: prev.count + 1, lastAt: Math.max(prev.lastAt, at), lastEventId: ev.id, attributes: { ...ev.attributes, ...details }, boxes: ev.boxes,
        hasSnapshot: prev.hasSnapshot || !!ev.snapshot, summary: alarmSummary(rule, ev), version: prev.version + 1,
        ...(ev.endTime !== undefined ? { endedAt: ev.endTime } : {}) };
      this.open.set(a.id, a);
      record(this.dedup, rule, ev, at, a.id, a.incidentId);
      return a;
    }
    const now = this.now();
    const id = `A${now.toString(36).toUpperCase()}-${(++alarmSeq).toString(36)}`;
    const a: Alarm = {
      id, ruleId: rule.id, ruleName: rule.name, priority: rule.priority, type: ev.type, cameraId: ev.camera, state: 'new', owner: null,
      count: 1, firstAt: ev.captureTime, lastAt: at, createdAt: now, claimedAt: null, escalatedAt: null, resolvedAt: null, escalation: null,
      verdict: null, comment: null, incidentId: d.incidentId, summary: alarmSummary(rule, ev), lastEventId: ev.id, attributes: { ...ev.attributes, ...details },
      boxes: ev.boxes, hasSnapshot: !!ev.snapshot, ...(ev.endTime !== undefined ? { endedAt: ev.endTime } : {}), sop: (DEFAULT_SOP[ev.type] ?? []).map((text) => ({ text, state: 'pending', by: null, at: null })), version: 1,
    };
    this.open.set(id, a);
    this.raised++;
    record(this.dedup, rule, ev, at, id, d.incidentId);
    this.store.audit({ at: now, actor: 'system', action: 'alarm.raise', subject: id, detail: `${rule.name}: ${a.summary} on ${ev.camera}${d.incidentId ? ` (incident ${d.incidentId})` : ''}` });
    return a;
  }

  // ---- operator actions -----------------------------------------------------------------------------------

  /** Operator action; with a shared board it is decided in PostgreSQL (row lock) and mirrored here. */
  act(alarmId: string, action: AlarmAction, operator: string): Alarm | Promise<Alarm> {
    this.flush(); // an action never overtakes events already received
    if (this.board) return this.actShared(this.board, alarmId, action, operator);
    const a = this.open.get(alarmId) ?? this.store.getAlarm(alarmId);
    if (!a) throw new ContractError('not-found', `no alarm ${alarmId}`, reason('noAlarm', { id: alarmId }));
    const t = applyAction(a, action, operator, this.now());
    if (!t.ok) throw new ContractError(t.code, t.message, t.reason);
    if (!t.changed) return t.alarm;
    this.commitChange(t.alarm, operator, `alarm.${action.kind}`, t.audit);
    return t.alarm;
  }

  private async actShared(board: PgAlarmBoard, alarmId: string, action: AlarmAction, operator: string): Promise<Alarm> {
    const { alarm, audit } = await board.act(alarmId, action, operator, this.now());
    this.commitChange(alarm, operator, `alarm.${action.kind}`, audit);
    return alarm;
  }

  /** Shares alarms with other hosts from now on; alarms already open there appear here. */
  async attachBoard(board: PgAlarmBoard): Promise<void> {
    this.board = board;
    for (const a of await board.openAlarms()) this.remote(a);
    await board.publish(this.openAlarms());
  }

  /** Another host raised or changed an alarm (PostgreSQL NOTIFY): store it locally and tell the consoles. */
  remote(a: Alarm): void {
    if (this.closed) return;
    this.store.saveAlarm(a);
    if (a.state === 'resolved') this.open.delete(a.id); else this.open.set(a.id, a);
    this.changed.set(a.id, a);
    this.scheduleEmit();
  }

  private commitChange(a: Alarm, actor: string, action: string, detail: string): void {
    try {
      this.store.transaction(() => { this.store.saveAlarm(a); this.store.audit({ at: this.now(), actor, action, subject: a.id, detail }); });
    } catch (err) { this.store.reloadChainHead(); throw err; }
    if (a.state === 'resolved') this.open.delete(a.id); else this.open.set(a.id, a);
    this.changed.set(a.id, a);
    this.scheduleEmit();
  }

  /** Time-to-claim escalation and dedup housekeeping; runs every second. */
  tick(): void {
    const now = this.now();
    const ruleById = new Map(this.rules.map((r) => [r.id, r]));
    for (const a of [...this.open.values()]) {
      const limit = ruleById.get(a.ruleId)?.claimWithinSec ?? 120;
      if (!dueForEscalation(a, limit, now)) continue;
      const t = escalateUnclaimed(a, limit, now);
      if (t.ok) this.commitChange(t.alarm, 'system', 'alarm.escalate', t.audit);
    }
    prune(this.dedup, now, 86_400_000);
    this.zones.prune(now - 60_000);
  }

  applyRetention(): number {
    const days = this.opts.retentionDays ?? 30;
    const n = this.store.applyRetention(this.now() - days * 86_400_000);
    if (n) this.log.info('event retention', { deleted: n, days });
    return n;
  }

  // ---- queries and rules ----------------------------------------------------------------------------------

  get(id: string): Alarm | null { return this.open.get(id) ?? this.store.getAlarm(id); }
  openAlarms(): Alarm[] { return [...this.open.values()]; }
  listRules(): Rule[] { return this.rules.slice(); }
  saveRules(rules: RuleInput[], actor: string): Rule[] {
    const parsed = rules.map((r) => Rule.parse(r));
    const ids = new Set<string>();
    for (const r of parsed) { if (ids.has(r.id)) throw new ContractError('invalid', `rule id '${r.id}' is used twice`, reason('ruleIdTwice', { id: r.id })); ids.add(r.id); }
    this.store.transaction(() => {
      this.store.saveRules(parsed);
      this.store.audit({ at: this.now(), actor, action: 'rules.save', subject: 'rules', detail: parsed.map((r) => `${r.id}:p${r.priority}${r.enabled ? '' : ':off'}`).join(' ') });
    });
    this.rules = parsed;
    return this.listRules();
  }

  stats(): IngestStats { return { accepted: this.accepted, alarms: this.raised, stale: this.stale, rejected: { ...this.rejected }, lastRejects: this.lastRejects.slice() }; }

  onChange(cb: (alarms: Alarm[]) => void): () => void { this.listeners.add(cb); return () => this.listeners.delete(cb); }
  addTap(tap: EventTap): () => void { this.taps.add(tap); return () => this.taps.delete(tap); }
  onOverlay(cb: (items: OverlayMeta[]) => void): () => void { this.overlayListeners.add(cb); return () => this.overlayListeners.delete(cb); }

  /** Changes go out at most every 50 ms as one batch, so a flood costs the renderer a few messages a second. */
  private scheduleEmit(): void {
    if (this.emitTimer || this.closed) return;
    this.emitTimer = setTimeout(() => {
      this.emitTimer = null;
      const batch = [...this.changed.values()];
      this.changed.clear();
      if (batch.length) for (const l of this.listeners) { try { l(batch); } catch (e) { this.log.warn('alarm listener failed', { error: String(e) }); } }
    }, 50);
  }

  /** Overlay items go out right after their commit, at most every OVERLAY_EMIT_MS (see there). */
  private scheduleOverlayEmit(): void {
    if (this.overlayTimer || this.closed) return;
    const wait = Math.max(0, this.lastOverlayEmit + OVERLAY_EMIT_MS - performance.now());
    this.overlayTimer = setTimeout(() => {
      this.overlayTimer = null;
      this.lastOverlayEmit = performance.now();
      const overlays = this.overlays;
      this.overlays = [];
      if (overlays.length) for (const l of this.overlayListeners) { try { l(overlays); } catch (e) { this.log.warn('overlay listener failed', { error: String(e) }); } }
    }, wait);
  }

  close(): void {
    this.flush();
    this.closed = true;
    clearInterval(this.tickTimer);
    if (this.emitTimer) clearTimeout(this.emitTimer);
    if (this.overlayTimer) clearTimeout(this.overlayTimer);
  }
}
