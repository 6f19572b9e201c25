/**
 * Who watched what (issue 12, section 4): live viewing and recorded viewing turned into view intervals in the access
 * chain. Live: a camera's interval for a session starts when its frames first go to one of the session's frame sockets
 * and ends when no socket of that session receives it any more, after a short debounce (a layout change drops and
 * re-adds the same camera within milliseconds: that is one interval, not two). Recorded: /rec/ fetches of one camera
 * by one session are coalesced into an interval that ends when no fetch came for `recordingGapMs`.
 *
 * Entries (written when the interval ends): action `view.live` or `view.recording`, target `camera:<id>`, details
 * `{ from, to, session, source, display }` (ms since the epoch; the session's reference; where the console connected
 * from; which display or window). Plain Node; the clock and timers are injectable for tests.
 */

export interface Viewer {
  /** The session's reference (not its token). */
  session: string;
  user: string;
  /** Where the console connected from ('web:127.0.0.1', 'desktop', ...). */
  source: string;
  /** The display or window of the console, when known. */
  display?: string | undefined;
}

export interface ViewRecord {
  action: 'view.live' | 'view.recording';
  user: string;
  cameraId: string;
  from: number;
  to: number;
  session: string;
  source: string;
  display: string | null;
}

export interface ViewAuditOptions {
  write: (r: ViewRecord) => void;
  /** How long a camera may be gone from a session's sockets and still count as the same interval (default 3 s). */
  liveDebounceMs?: number;
  /** A recorded interval ends when no fetch came for this long (default 60 s: a player fetches a segment every few s). */
  recordingGapMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

interface Open { viewer: Viewer; cameraId: string; from: number; to: number; holders: Set<string>; timer: unknown }

const key = (session: string, cameraId: string) => `${session}\u0000${cameraId}`;

export const LIVE_DEBOUNCE_MS = 3000;
export const RECORDING_GAP_MS = 60_000;

export class ViewAudit {
  private readonly live = new Map<string, Open>();
  private readonly recorded = new Map<string, Open>();
  /** What each frame socket (by its id) sends now, and for which session. */
  private readonly sockets = new Map<string, { viewer: Viewer; cameras: Set<string> }>();
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;
  private readonly debounce: number;
  private readonly gap: number;

  constructor(private readonly o: ViewAuditOptions) {
    this.now = o.now ?? Date.now;
    this.setTimer = o.setTimer ?? ((fn, ms) => { const t = setTimeout(fn, ms); t.unref?.(); return t; });
    this.clearTimer = o.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
    this.debounce = o.liveDebounceMs ?? LIVE_DEBOUNCE_MS;
    this.gap = o.recordingGapMs ?? RECORDING_GAP_MS;
  }

  /**
   * Frame socket `socketId` now sends exactly `cameraIds` for `viewer` (null: no session, nothing is sent). Called
   * every time the socket's subscription is applied (subscribe, rights re-check, close with []).
   */
  liveSet(socketId: string, viewer: Viewer | null, cameraIds: readonly string[]): void {
    const before = this.sockets.get(socketId);
    const t = this.now();
    // another session behind the same socket (hand-over, sign-out): the previous one's intervals end now, undebounced
    if (before && (!viewer || before.viewer.session !== viewer.session)) {
      for (const id of before.cameras) this.release(socketId, before.viewer.session, id, t, true);
      this.sockets.delete(socketId);
    }
    if (!viewer) return;
    const now = new Set(cameraIds);
    const prev = this.sockets.get(socketId)?.cameras ?? new Set<string>();
    for (const id of prev) if (!now.has(id)) this.release(socketId, viewer.session, id, t, false);
    for (const id of now) {
      if (prev.has(id)) continue;
      const k = key(viewer.session, id);
      const open = this.live.get(k);
      if (open) {
        if (open.timer !== null) { this.clearTimer(open.timer); open.timer = null; }
        open.holders.add(socketId);
      } else {
        this.live.set(k, { viewer, cameraId: id, from: t, to: t, holders: new Set([socketId]), timer: null });
      }
    }
    if (now.size) this.sockets.set(socketId, { viewer, cameras: now });
    else this.sockets.delete(socketId);
  }

  private release(socketId: string, session: string, cameraId: string, t: number, immediate: boolean): void {
    const k = key(session, cameraId);
    const open = this.live.get(k);
    if (!open) return;
    open.holders.delete(socketId);
    if (open.holders.size) return;
    open.to = t;
    if (open.timer !== null) this.clearTimer(open.timer);
    open.timer = null;
    if (immediate || this.debounce <= 0) { this.live.delete(k); this.emit('view.live', open); return; }
    open.timer = this.setTimer(() => { if (this.live.get(k) === open && !open.holders.size) { this.live.delete(k); this.emit('view.live', open); } }, this.debounce);
  }

  /** A /rec/ fetch of `cameraId`'s recordings by `viewer` was served. */
  recordingFetched(viewer: Viewer, cameraId: string): void {
    const t = this.now();
    const k = key(viewer.session, cameraId);
    let open = this.recorded.get(k);
    if (!open) {
      open = { viewer, cameraId, from: t, to: t, holders: new Set(), timer: null };
      this.recorded.set(k, open);
    } else if (open.timer !== null) this.clearTimer(open.timer);
    open.to = t;
    const mine = open;
    open.timer = this.setTimer(() => { if (this.recorded.get(k) === mine) { this.recorded.delete(k); this.emit('view.recording', mine); } }, this.gap);
  }

  /** Ends every interval still open (the host stops): written with the time they last held. */
  flush(): void {
    const t = this.now();
    for (const open of this.live.values()) { if (open.timer !== null) this.clearTimer(open.timer); else open.to = t; this.emit('view.live', open); }
    for (const open of this.recorded.values()) { if (open.timer !== null) this.clearTimer(open.timer); this.emit('view.recording', open); }
    this.live.clear();
    this.recorded.clear();
    this.sockets.clear();
  }

  /** Cameras being watched live now, per session (diagnostics, tests). */
  openLive(): Array<{ session: string; user: string; cameraId: string; from: number }> {
    return [...this.live.values()].map((o) => ({ session: o.viewer.session, user: o.viewer.user, cameraId: o.cameraId, from: o.from }));
  }

  private emit(action: ViewRecord['action'], o: Open): void {
    this.o.write({ action, user: o.viewer.user, cameraId: o.cameraId, from: o.from, to: o.to, session: o.viewer.session, source: o.viewer.source, display: o.viewer.display ?? null });
  }
}
