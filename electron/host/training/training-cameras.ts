/**
 * Training cameras on a trainee's console (issue 11 §2, docs/training.md): the trainee's console keeps asking for the
 * scenario's camera ids (same tiles, names and controls as production); the host maps them, for that console only, to a
 * stream-engine camera of the session (`tr~<session>~<camera>`) whose source is the session's footage feeder. A console
 * is the trainee's by its sign-in (the token hash of the connection that joined): every window of that sign-in (the API
 * connection that asks for streams, the frame socket that receives them) gets the session's pictures; every other
 * console, the production cameras.
 */
import { FRAME_AT, FRAME_FLAG_ENCODED, FRAME_FLAG_KEY, FRAME_HEADER_BYTES, FRAME_MAGIC } from '../../contract/frames.js';
import type { EventMessage } from '../../contract/api.js';
import type { StreamStatus, VideoCodec } from '../../contract/schemas.js';
import type { MapUnit, UnitsDelta, UnitsSnapshot } from '../../contract/units-schema.js';
import type { ResolvedCamera } from '../cameras/registry.js';
import type { FrameSource } from '../frame-server.js';

export interface TrainingCamerasOptions {
  /** The sign-in (token hash) of a connection, or null. */
  signInOf(clientId: string): string | null;
  /** The session camera's feeder URL, or null while it has none (starting, stopped). */
  url(sessionId: string, cameraId: string): string | null;
  /** The codec the session camera's footage is served in (its recording's); undefined: not known yet (H.264 assumed). */
  codec?(sessionId: string, cameraId: string): VideoCodec | undefined;
}

const PREFIX = 'tr~';
/**
 * A session camera's stream retries at least this often: its source is the session's own feeder on this machine (cheap to
 * ask again), and a gap in the footage (a recorded outage) must end on the trainee's tile when the footage does, not at
 * the end of a camera's back-off of up to a minute.
 */
export const SESSION_RETRY_CAP_MS = 2000;

export class TrainingCameras {
  /** session id -> the trainee's sign-in */
  private readonly trainees = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly o: TrainingCamerasOptions) {}

  /** The trainee's connection joined the session: its sign-in's consoles show the session's cameras. */
  join(sessionId: string, clientId: string): void {
    const signIn = this.o.signInOf(clientId);
    if (signIn !== null) this.joinSignIn(sessionId, signIn);
  }

  /** A sign-in is the session's trainee (a join, or one kept across a host restart). */
  joinSignIn(sessionId: string, signIn: string): void {
    this.trainees.set(sessionId, signIn);
    this.changed();
  }

  /** The session ended: its trainee's consoles are back on the production cameras (and units). */
  end(sessionId: string): void { this.lost.delete(sessionId); if (this.trainees.delete(sessionId)) this.changed(); }

  /** session id -> unit id -> the unit as its telemetry stopped (a scripted telemetry loss) and until when (null: the session's end) */
  private readonly lost = new Map<string, Map<string, { unit: MapUnit | null; until: number | null }>>();

  /**
   * A scripted telemetry loss (issue 11 §2): on the session trainee's consoles only, the unit stays where it was at `unit`
   * (the map's unit now; null: not on the map, then as first seen), stale, until `until` (null: the session's end).
   * Production consoles and the unit store are untouched.
   */
  loseTelemetry(sessionId: string, unitId: string, unit: MapUnit | null, until: number | null): void {
    const m = this.lost.get(sessionId) ?? new Map<string, { unit: MapUnit | null; until: number | null }>();
    m.set(unitId, { unit: unit ? { ...unit, stale: true } : null, until });
    this.lost.set(sessionId, m);
  }

  /** The units a connection's trainee holds now (a scripted telemetry loss not over), by id. */
  private heldFor(clientId: string, now: number): Map<string, { unit: MapUnit | null; until: number | null }> {
    const held = new Map<string, { unit: MapUnit | null; until: number | null }>();
    if (this.lost.size === 0) return held;
    const signIn = this.o.signInOf(clientId);
    for (const [sessionId, units] of this.lost) {
      if (signIn === null || this.trainees.get(sessionId) !== signIn) continue;
      for (const [id, h] of units) if (h.until === null || now < h.until) held.set(id, h);
    }
    return held;
  }

  /** The units as a connection sees them: for a session's trainee, a unit whose telemetry the scenario cut is held. */
  unitsFor(clientId: string, snap: UnitsSnapshot, now = Date.now()): UnitsSnapshot {
    const held = this.heldFor(clientId, now);
    if (held.size === 0) return snap;
    return {
      ...snap,
      units: snap.units.map((u) => {
        const h = held.get(u.id);
        if (!h) return u;
        h.unit ??= { ...u, stale: true };
        return h.unit;
      }),
    };
  }

  /** The feeders changed (one started or stopped): mappings may resolve differently. */
  changed(): void { for (const l of this.listeners) l(); }

  onChange(cb: () => void): () => void { this.listeners.add(cb); return () => { this.listeners.delete(cb); }; }

  /** The stream-engine camera a connection's tile of `cameraId` pulls. */
  liveId(clientId: string, cameraId: string): string {
    if (this.trainees.size === 0) return cameraId;
    const signIn = this.o.signInOf(clientId);
    if (signIn === null) return cameraId;
    for (const [sessionId, s] of this.trainees) if (s === signIn && this.o.url(sessionId, cameraId)) return `${PREFIX}${sessionId}~${cameraId}`;
    return cameraId;
  }

  /** A session camera's source (its feeder's stream, main only, in its recording's codec); undefined for one whose feeder is gone; null: not a session camera. */
  resolve(id: string): ResolvedCamera | undefined | null {
    if (!id.startsWith(PREFIX)) return null;
    const [sessionId = '', cameraId = ''] = id.slice(PREFIX.length).split('~');
    const url = this.o.url(sessionId, cameraId);
    const codec = this.o.codec?.(sessionId, cameraId);
    return url ? { mainUrl: url, ...(codec ? { mainCodec: codec } : {}), retryCapMs: SESSION_RETRY_CAP_MS } : undefined;
  }

  static isSessionCamera(id: string): boolean { return id.startsWith(PREFIX); }

  /**
   * A stream status as a connection sees it: its session camera's under the scenario camera's id (the tile's state is
   * the training stream's), the production camera's hidden from the trainee while mapped; other consoles never see a
   * session camera. Null: not for this connection.
   */
  statusFor(clientId: string, s: StreamStatus): StreamStatus | null {
    if (TrainingCameras.isSessionCamera(s.cameraId)) {
      const cameraId = s.cameraId.slice(PREFIX.length).split('~')[1] ?? '';
      return this.liveId(clientId, cameraId) === s.cameraId ? { ...s, cameraId } : null;
    }
    return this.liveId(clientId, s.cameraId) === s.cameraId ? s : null;
  }

  /** Connections sent a `resync` delta while they held units: they get one more after the hold, back to the broadcast's units. */
  private readonly unitsResync = new Set<string>();

  /**
   * A units delta as a connection may apply it: a trainee holding units gets `resync` instead (its `units.list` is
   * mapped by unitsFor), and once more after the hold; every other connection, the delta.
   */
  unitsDeltaFor(clientId: string, d: UnitsDelta, now = Date.now()): UnitsDelta {
    if (this.heldFor(clientId, now).size > 0) this.unitsResync.add(clientId);
    else if (!this.unitsResync.delete(clientId)) return d;
    return { seq: d.seq, added: [], changed: [], removed: [], rejected: d.rejected, resync: true };
  }

  /** A connection went away. */
  forget(clientId: string): void { this.unitsResync.delete(clientId); }

  /** An event for one connection: `stream.status` through `statusFor`, `units.changed` through `unitsDeltaFor`, the others unchanged. */
  eventFor(clientId: string, msg: EventMessage): EventMessage | null {
    if (msg.event === 'units.changed') return { event: msg.event, payload: this.unitsDeltaFor(clientId, msg.payload as UnitsDelta) };
    if (msg.event !== 'stream.status') return msg;
    const s = this.statusFor(clientId, msg.payload as StreamStatus);
    return s ? { event: msg.event, payload: s } : null;
  }

  /**
   * A frame socket's subscription to `cameraId` for `clientId`, following the mapping: when the console joins or leaves
   * a session it switches source, and (encoded delivery) waits for the new source's key frame so the decoder never gets
   * a delta frame of another stream.
   */
  follow(source: FrameSource, clientId: () => string, cameraId: string, cb: (frame: Buffer) => void): () => void {
    let current = this.liveId(clientId(), cameraId);
    let needKey = false;
    const deliver = (frame: Buffer) => {
      if (needKey) {
        if (frame.length < FRAME_HEADER_BYTES || frame.readUInt32LE(FRAME_AT.magic) !== FRAME_MAGIC) return;
        const flags = frame.readUInt16LE(FRAME_AT.flags);
        if ((flags & FRAME_FLAG_ENCODED) && !(flags & FRAME_FLAG_KEY)) return;
        needKey = false;
      }
      cb(frame);
    };
    let off = source.subscribeFrames(current, deliver);
    const offChange = this.onChange(() => {
      const next = this.liveId(clientId(), cameraId);
      if (next === current) return;
      off();
      current = next;
      needKey = true;
      off = source.subscribeFrames(current, deliver);
    });
    return () => { offChange(); off(); };
  }
}
