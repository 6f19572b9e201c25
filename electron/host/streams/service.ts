/**
 * StreamService: what the host composes. Collects every client's tile demands, runs the stream
 * policy, keeps one supervised decode per camera (however many tiles or clients show it), fans
 * frames out to subscribers and publishes StreamStatus on change and once a second.
 */
import { cpus } from 'node:os';
import { projectPath } from '../paths.js';
import type { StreamStatus, TileDemand } from '../../contract/schemas.js';
import { createLogger, type Logger } from '../log.js';
import { streamOf, type ResolvedCamera } from '../cameras/registry.js';
import { decideStreams, type StreamFacts, type StreamDecision } from './policy.js';
import { DEFAULT_TIMINGS, type StreamTimings } from './stream-state.js';
import { LoadGovernor, governorInput, machineBusySampler } from './load-governor.js';
import { StreamSupervisor, type CameraSource, type StreamTarget } from './supervisor.js';
import { StandbyPool } from './standby.js';
import type { Engine, RecordTarget, WorkerReport, WorkerRuntime } from './worker-process.js';
import { withRecording } from './recording-demand.js';
import { isMotionOnly, withMotion } from './motion-demand.js';
import type { MaskPolygon } from '../masks/mask-raster.js';

/** The recorder's side of the stream engine (issue 4): which cameras record where, and their reports. */
export interface RecordingHooks {
  /** Cameras being recorded now and where their segments go. */
  targets(): ReadonlyMap<string, RecordTarget>;
  report(cameraId: string, r: WorkerReport, worker: { pid: number | undefined; generation: number }): void;
  workerGone(cameraId: string, worker: { pid: number | undefined; generation: number }): void;
}

/** What the motion detector of a camera's worker saw. */
export type MotionListener = (cameraId: string, r: WorkerReport) => void;

export interface StreamServiceOptions {
  resolve: (cameraId: string) => ResolvedCamera | undefined;
  engine?: Engine;
  /** Share of the whole machine decoding may use, in % (default 85). */
  budgetPct?: number;
  /** How long a camera nobody shows keeps decoding (default 15 s). */
  graceMs?: number;
  log?: Logger;
  cores?: number;
  /** Python with gi (default /usr/bin/python3), the worker script, ffmpeg binary. */
  python?: string;
  workerPath?: string;
  ffmpeg?: string;
  /** Marks this service's worker processes in their argv (diagnostics, tests). */
  tag?: string;
  timings?: StreamTimings;
  /** Shrink the decode budget while the machine is saturated (default on; tests of the policy turn it off). */
  governor?: boolean;
  /**
   * 'auto' (default): send H.264 access units to renderers that decode them (WebCodecs) when every tile showing the
   * camera can; 'decoded': the host always decodes and sends pictures.
   */
  delivery?: 'auto' | 'decoded';
  /** Set by the recording service; without it nothing is recorded. */
  recording?: RecordingHooks;
  /** Cameras with motion on (resolve() says which) always keep a worker; their detections go here. */
  onMotion?: MotionListener;
  /** Every camera id the registry knows (motion may need a worker for a camera no tile shows). */
  cameraIds?: () => readonly string[];
  /** Keep one warm GStreamer worker for the next start or restart (default on; standby.ts). */
  standby?: boolean;
  /**
   * A camera's permanent privacy masks (the mask book): painted into its pictures by the worker, and such a camera is
   * never forwarded compressed. Call masksChanged() when they change.
   */
  privacyMasks?: (cameraId: string) => readonly MaskPolygon[];
}

export type FrameListener = (frame: Buffer) => void;

// stall detection resolution: a tile must look stale within 2 s of the last frame
const TICK_MS = 100;

export function defaultWorkerPath(): string {
  return process.env.KUZET_MEDIA_WORKER ?? projectPath('native', 'worker', 'media_worker.py');
}

export class StreamService {
  private readonly demands = new Map<string, TileDemand[]>();
  private readonly pins = new Set<string>();
  private decisions: Record<string, StreamDecision> = {};
  private readonly streams = new Map<string, StreamSupervisor>();
  private readonly frameListeners = new Map<string, Set<FrameListener>>();
  private readonly statusListeners = new Set<(s: StreamStatus) => void>();
  private readonly log: Logger;
  private readonly runtime: WorkerRuntime;
  private readonly standby: StandbyPool | null;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private closed = false;
  private readonly governor = new LoadGovernor();
  private readonly busy = machineBusySampler();
  /** Whole-machine busy % of the last second, shown in the status decisions. */
  private busyPct = 0;
  /** Share of received frames each window painted, as it last reported (streams.pageLoad). */
  private readonly pages = new Map<string, { paintedPct: number; at: number }>();

  constructor(private readonly o: StreamServiceOptions) {
    this.log = o.log ?? createLogger({ scope: 'streams' });
    this.runtime = { python: o.python ?? '/usr/bin/python3', workerPath: o.workerPath ?? defaultWorkerPath(), ffmpeg: o.ffmpeg ?? 'ffmpeg', ...(o.tag ? { tag: o.tag } : {}) };
    this.standby = o.standby === false ? null : new StandbyPool(this.runtime);
  }

  /** Replaces what one client shows. Invalid tiles are ignored (the transport validates first). */
  setDemand(clientId: string, tiles: TileDemand[]): void {
    this.demands.set(clientId, tiles.filter((t) => Number.isInteger(t.width) && Number.isInteger(t.height) && t.width > 0 && t.height > 0));
    this.reconcile();
  }

  removeClient(clientId: string): void {
    this.pages.delete(clientId);
    if (this.demands.delete(clientId)) this.reconcile();
  }

  /** A window says what share of the frames it receives it manages to paint (0-100). */
  reportPaint(clientId: string, paintedPct: number, now = Date.now()): void {
    if (Number.isFinite(paintedPct)) this.pages.set(clientId, { paintedPct: Math.max(0, Math.min(100, paintedPct)), at: now });
  }

  /** The lowest share painted by a window that reported in the last 5 s, or null. */
  private worstPaintedPct(now: number): number | null {
    let worst: number | null = null;
    for (const [id, p] of this.pages) {
      if (now - p.at > 5000) { this.pages.delete(id); continue; }
      worst = worst === null ? p.paintedPct : Math.min(worst, p.paintedPct);
    }
    return worst;
  }

  pin(cameraId: string, pinned: boolean): void {
    if (pinned) this.pins.add(cameraId); else this.pins.delete(cameraId);
    this.reconcile();
  }

  /** The recording service plugs in here (issue 4); call recordingChanged() when its targets change. */
  attachRecording(hooks: RecordingHooks): void { this.o.recording = hooks; this.reconcile(); }

  recordingChanged(): void { this.reconcile(); }

  /** Permanent masks were saved: workers of the cameras concerned are replaced by ones painting the new masks. */
  masksChanged(): void { this.reconcile(); }

  /** Plugs in the mask book (the host creates it after the streams). */
  setPrivacyMasks(source: (cameraId: string) => readonly MaskPolygon[]): void { this.o.privacyMasks = source; this.reconcile(); }

  /** Re-resolve every running camera after edits (URL, credentials, removal). */
  camerasChanged(): void {
    for (const [id, s] of this.streams) {
      const cam = this.o.resolve(id);
      if (cam) s.setSource(toSource(cam));
    }
    this.reconcile();
  }

  statuses(): StreamStatus[] {
    return [...this.streams.values()].map((s) => s.status());
  }

  onStatus(cb: (s: StreamStatus) => void): () => void {
    this.statusListeners.add(cb);
    return () => { this.statusListeners.delete(cb); };
  }

  /** Frames of one camera: full KZF1 messages (slot and sentMs not yet patched). Latest frame wins. */
  subscribeFrames(cameraId: string, cb: FrameListener): () => void {
    let set = this.frameListeners.get(cameraId);
    if (!set) { set = new Set(); this.frameListeners.set(cameraId, set); }
    set.add(cb);
    return () => {
      set.delete(cb);
      if (set.size === 0 && this.frameListeners.get(cameraId) === set) this.frameListeners.delete(cameraId);
    };
  }

  /** Process ids of every worker (diagnostics and tests). */
  workerPids(cameraId?: string): number[] {
    return [...this.streams.entries()].filter(([id]) => !cameraId || id === cameraId).flatMap(([, s]) => s.pids());
  }

  /** Process id of the warm standby worker waiting for a camera, if one is up (diagnostics and tests). */
  standbyPid(): number | undefined {
    return this.standby?.pid();
  }

  async stopAll(): Promise<void> {
    this.closed = true;
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
    const all = [...this.streams.values()];
    this.streams.clear();
    this.decisions = {};
    await Promise.all([...all.map((s) => s.stop()), this.standby?.stop()]);
  }

  // ---- internals -------------------------------------------------------------------------

  private reconcile(now = Date.now()): void {
    if (this.closed) return;
    const cameras: Record<string, StreamFacts> = {};
    const resolved = new Map<string, ResolvedCamera>();
    const recordTargets = this.o.recording?.targets() ?? new Map<string, RecordTarget>();
    const ids = new Set<string>([...[...this.demands.values()].flat().map((t) => t.cameraId), ...Object.keys(this.decisions), ...recordTargets.keys(), ...(this.o.cameraIds?.() ?? [])]);
    const analysed = new Set<string>();
    for (const id of ids) {
      const cam = this.o.resolve(id);
      if (!cam) continue;
      resolved.set(id, cam);
      if (cam.motion && (this.o.engine ?? 'gstreamer') === 'gstreamer') analysed.add(id);
      cameras[id] = { hasSub: !!cam.subUrl, ...(cam.mainSize ? { main: cam.mainSize } : {}), ...(cam.subSize ? { sub: cam.subSize } : {}) };
    }
    // a camera kept only for motion has no tile to keep a grace period for: it stops as soon as motion is off
    const previous = Object.fromEntries(Object.entries(this.decisions).filter(([, d]) => !isMotionOnly(d)));
    this.decisions = decideStreams({
      demands: [...this.demands.values()].flat(), cameras, previous, pinned: this.pins, now,
      budgetPct: (this.o.budgetPct ?? 85) * this.governor.scale, cores: this.o.cores ?? cpus().length, graceMs: this.o.graceMs,
    });
    if (analysed.size > 0) this.decisions = withMotion(this.decisions, analysed, cameras);
    if (recordTargets.size > 0) this.decisions = withRecording(this.decisions, new Set(recordTargets.keys()), cameras);
    const encodedOk = this.encodedCameras(resolved, new Set([...recordTargets.keys(), ...analysed]));
    for (const [id, d] of Object.entries(this.decisions)) {
      const cam = resolved.get(id);
      if (!cam) continue;
      const rec = recordTargets.get(id);
      const masks = this.o.privacyMasks?.(id) ?? [];
      const base = toTarget(d, encodedOk.has(id) && masks.length === 0);
      const target: StreamTarget = { ...base, ...(rec ? { record: rec } : {}), ...(cam.motion && analysed.has(id) ? { motion: cam.motion } : {}),
        ...(masks.length ? { privacyMasks: masks } : {}) };
      const s = this.streams.get(id);
      if (s) { s.retarget(target); continue; }
      const sup = new StreamSupervisor({
        cameraId: id, source: toSource(cam), target, engine: this.o.engine ?? 'gstreamer', runtime: this.runtime,
        log: this.log, ...(this.standby ? { standby: this.standby } : {}),
        ...(cam.retryCapMs !== undefined ? { timings: { ...(this.o.timings ?? DEFAULT_TIMINGS), maxBackoffMs: cam.retryCapMs } } : this.o.timings ? { timings: this.o.timings } : {}),
        onFrame: (f) => this.deliver(id, f),
        onChange: () => this.publish(sup),
        onRecording: (r, w) => this.o.recording?.report(id, r, w),
        onRecorderExit: (w) => this.o.recording?.workerGone(id, w),
        onMotion: (r) => this.o.onMotion?.(id, r),
      });
      this.streams.set(id, sup);
      sup.start();
    }
    for (const [id, s] of this.streams) {
      if (this.decisions[id]) continue;
      this.streams.delete(id);
      void s.stop().then(() => this.publish(s));
    }
    this.ensureTimer();
  }

  /**
   * Cameras whose frames may travel compressed: H.264 on the GStreamer engine, shown only by clients that decode
   * in the browser (one worker feeds every tile of a camera, so one client that cannot decode keeps pictures).
   */
  private encodedCameras(resolved: Map<string, ResolvedCamera>, recorded: ReadonlySet<string>): Set<string> {
    const out = new Set<string>();
    if (this.o.delivery === 'decoded' || (this.o.engine ?? 'gstreamer') !== 'gstreamer') return out;
    const refused = new Set<string>();
    for (const t of [...this.demands.values()].flat()) {
      if (t.browserDecode) out.add(t.cameraId); else refused.add(t.cameraId);
    }
    // a camera only recorded or analysed (no tile) needs no decoder for delivery: the worker forwards and records
    // (motion decodes key frames in its own branch)
    for (const id of recorded) if (!refused.has(id) && !out.has(id) && this.decisions[id]?.unseenSince === null) out.add(id);
    for (const id of [...out]) {
      const cam = resolved.get(id);
      const profile = this.decisions[id]?.profile ?? 'sub';
      // browsers have no software H.265 decoder: the host decodes what the probe says is not H.264
      if (refused.has(id) || !cam || streamOf(cam, profile).codec !== 'h264') out.delete(id);
    }
    return out;
  }

  private deliver(cameraId: string, frame: Buffer) {
    const set = this.frameListeners.get(cameraId);
    if (!set) return;
    for (const cb of set) {
      try { cb(frame); } catch (err) { this.log.error('frame subscriber failed', { camera: cameraId, error: String(err) }); }
    }
  }

  private publish(s: StreamSupervisor) {
    if (this.statusListeners.size === 0) return;
    const st = s.status();
    for (const cb of this.statusListeners) {
      try { cb(st); } catch (err) { this.log.error('status listener failed', { error: String(err) }); }
    }
  }

  private ensureTimer() {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => {
      const now = Date.now();
      for (const s of this.streams.values()) s.tick(now);
      if (++this.ticks % (1000 / TICK_MS) === 0) {
        this.busyPct = this.busy();
        const painted = this.worstPaintedPct(now);
        if (this.o.governor !== false && this.governor.sample(governorInput(this.busyPct, painted), now)) {
          this.log.info('decode budget follows machine load', { busyPct: Math.round(this.busyPct), windowPaintedPct: painted === null ? null : Math.round(painted), budgetScale: this.governor.scale, move: this.governor.move });
        }
        this.reconcile(now); // grace periods expire here
        for (const s of this.streams.values()) this.publish(s);
      }
    }, TICK_MS);
    this.timer.unref();
  }
}

function toSource(c: ResolvedCamera): CameraSource {
  // only what a connection depends on: a change here reconnects the camera (motion and sizes do not)
  return {
    mainUrl: c.mainUrl, ...(c.subUrl ? { subUrl: c.subUrl } : {}), ...(c.username ? { username: c.username } : {}),
    ...(c.password ? { password: c.password } : {}), ...(c.mainCodec ? { mainCodec: c.mainCodec } : {}), ...(c.subCodec ? { subCodec: c.subCodec } : {}),
  };
}

function toTarget(d: StreamDecision, encoded: boolean): StreamTarget {
  return { profile: d.profile, width: d.width, height: d.height, keyframeOnly: d.keyframeOnly, pinned: d.pinned, downgrade: d.downgrade, decision: d.decision, streamWidth: d.streamWidth, encoded };
}
