/**
 * Supervises one camera's decode: runs the pure state machine (stream-state.ts) against real
 * worker processes, timers and frames. Make-before-break profile switches, live resizes,
 * back-off retries, stall detection and the FFmpeg fallback live here.
 */
import { FRAME_AT, FRAME_HEADER_BYTES } from '../../contract/frames.js';
import type { RetryReason, StreamStatus } from '../../contract/schemas.js';
import type { Logger } from '../log.js';
import { chooseScaleMethod } from '../../../native/pipelines/gstreamer.js';
import { streamOf, type ResolvedCamera } from '../cameras/registry.js';
import { DEFAULT_TIMINGS, initialStream, reduceStream, type StreamEvent, type StreamMachine, type StreamTimings } from './stream-state.js';
import { WorkerProcess, type Engine, type MotionConfig, type RecordTarget, type StartupMarks, type WorkerReport, type WorkerRuntime } from './worker-process.js';
import type { StandbyPool } from './standby.js';
import { polygonsKey, type MaskPolygon } from '../masks/mask-raster.js';
import type { StreamDecision } from './policy.js';

/** Where a camera's streams are and what they carry; resolved by the host from its camera registry. */
export type CameraSource = Pick<ResolvedCamera, 'mainUrl' | 'subUrl' | 'username' | 'password' | 'mainCodec' | 'subCodec'>;

/**
 * What the policy decided this camera should deliver (the policy's decision without its bookkeeping), and whether
 * its frames travel compressed (decoded by the renderer) or as pictures.
 */
export type StreamTarget = Pick<StreamDecision, 'profile' | 'width' | 'height' | 'keyframeOnly' | 'pinned' | 'downgrade' | 'decision' | 'streamWidth'> & {
  record?: RecordTarget; encoded?: boolean; motion?: MotionConfig;
  /** Permanent privacy masks the worker paints into every picture (a masked camera is always decoded in the host). */
  privacyMasks?: readonly MaskPolygon[];
};

const maskKeys = new WeakMap<readonly MaskPolygon[], string>();
/** The key of a target's permanent masks ('' for none), computed once per masks list (it is checked per frame). */
function masksKeyOf(t: StreamTarget): string {
  const m = t.privacyMasks;
  if (!m?.length) return '';
  let k = maskKeys.get(m);
  if (k === undefined) { k = polygonsKey(m); maskKeys.set(m, k); }
  return k;
}

export interface SupervisorOptions {
  cameraId: string;
  source: CameraSource;
  target: StreamTarget;
  engine: Engine;
  runtime: WorkerRuntime;
  log: Logger;
  timings?: StreamTimings;
  /** Warm GStreamer workers to take instead of spawning (shared by the service's cameras). */
  standby?: StandbyPool;
  /** Called with every delivered frame (full KZF1 message). */
  onFrame(frame: Buffer): void;
  /** Called when the visible status changed (state, profile, size...). */
  onChange(): void;
  /** Recording reports of every worker of this camera (current, pending or old: each one's segments count). */
  onRecording?(r: WorkerReport, worker: { pid: number | undefined; generation: number }): void;
  /** A worker that was recording is gone: its open segment (if any) is final now. */
  onRecorderExit?(worker: { pid: number | undefined; generation: number }): void;
  /** The current worker's motion detector saw motion (report type 'motion'). */
  onMotion?(r: WorkerReport): void;
}

interface Attached {
  worker: WorkerProcess; generation: number; target: StreamTarget; droppedBase: number; damagedBase: number; bytesLast: number; bytesAt: number;
  /** Start-up timeline: epoch ms the worker it replaces was seen to exit (a restart), its first frame here, its marks. */
  startup: { previousExitAt: number | null; firstFrameAt: number | null; marks: StartupMarks | null; logged: boolean };
}

export class StreamSupervisor {
  private m: StreamMachine;
  private current: Attached | null = null;
  private pending: Attached | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private engine: Engine;
  private target: StreamTarget;
  private source: CameraSource;
  private readonly timings: StreamTimings;
  private lastDeliveredAt: number | null = null;
  private dropsTotal = 0;
  /** Damage the decoders of replaced workers reported (see WorkerReport.damaged). */
  private damagedTotal = 0;
  private windowFrames = 0;
  private windowStart = Date.now();
  private fps = 0;
  private bitrateKbps = 0;
  private latencyMs: number | null = null;
  private windowLatency = 0;
  private windowLatencyN = 0;
  private rtcpClock = false;
  private stopped = false;
  /** Workers that started from the warm standby (StreamStatus counters.warmStarts). */
  private warmStarts = 0;
  /** When the current worker was last seen to exit, until its replacement is spawned. */
  private lastExitAt: number | null = null;

  constructor(private readonly o: SupervisorOptions) {
    this.m = initialStream(Date.now());
    this.engine = o.engine;
    this.target = o.target;
    this.source = o.source;
    this.timings = o.timings ?? DEFAULT_TIMINGS;
  }

  start(): void { this.dispatch({ type: 'start', at: Date.now() }); }

  /** Applies a new policy decision: same profile -> live resize / mode change; new profile -> make-before-break. */
  retarget(target: StreamTarget): void {
    const prev = this.target;
    this.target = target;
    const cur = this.current;
    if (!cur || !cur.worker.alive || this.m.state === 'idle') { this.o.onChange(); return; }
    // a replacement already on its way for another profile is no longer wanted
    if (this.pending && this.pending.target.profile !== target.profile) { void this.pending.worker.stop(); this.pending = null; }
    const upcoming = this.pending ?? cur;
    // recording on/off or to another folder, or a change of delivery, needs a worker built for it
    if (target.profile !== upcoming.target.profile || !!target.encoded !== this.deliversEncoded(upcoming.target)
      || JSON.stringify(target.record) !== JSON.stringify(upcoming.target.record) || !!target.motion !== !!upcoming.target.motion
      || masksKeyOf(target) !== masksKeyOf(upcoming.target)) this.switchProfile();
    else this.adjust(upcoming, target);
    if (JSON.stringify(prev.decision) !== JSON.stringify(target.decision) || prev.downgrade !== target.downgrade || prev.pinned !== target.pinned) this.o.onChange();
  }

  /** Encoded delivery needs the GStreamer engine (FFmpeg always decodes). */
  private deliversEncoded(t: StreamTarget): boolean { return !!t.encoded && this.engine === 'gstreamer' && !t.privacyMasks?.length; }

  /** Size and mode changes within a profile go to the running worker as commands (no reconnect). */
  private adjust(a: Attached, target: StreamTarget): void {
    if (target.motion && JSON.stringify(target.motion) !== JSON.stringify(a.target.motion)) {
      // new sensitivity or masks: the running detector takes them (no reconnect)
      if (!a.worker.command({ cmd: 'motion', ...target.motion })) { this.switchProfile(); return; }
      a.target = { ...a.target, motion: target.motion };
    }
    if (this.deliversEncoded(a.target)) {
      a.target = { ...a.target, width: target.width, height: target.height }; // the renderer scales
    } else if (target.width !== a.target.width || target.height !== a.target.height) {
      const method = chooseScaleMethod(target.streamWidth, target.width);
      if (!a.worker.command({ cmd: 'resize', width: target.width, height: target.height, method })) { this.switchProfile(); return; }
      a.target = { ...a.target, width: target.width, height: target.height };
    }
    if (target.keyframeOnly !== a.target.keyframeOnly) {
      // the FFmpeg engine cannot change either live: it is replaced make-before-break
      if (!a.worker.command({ cmd: 'keyframe-only', on: target.keyframeOnly })) { this.switchProfile(); return; }
      a.target = { ...a.target, keyframeOnly: target.keyframeOnly };
    }
  }

  /** Camera edited: new URLs/credentials apply on a fresh connection. */
  setSource(source: CameraSource): void {
    const changed = JSON.stringify(source) !== JSON.stringify(this.source);
    this.source = source;
    if (changed && this.current) this.switchProfile();
  }

  /** Drives stall/timeout detection and the once-a-second measurements. */
  tick(now = Date.now()): void {
    if (now - this.windowStart >= 1000) {
      const secs = (now - this.windowStart) / 1000;
      this.fps = Math.round((this.windowFrames / secs) * 10) / 10;
      // mean capture-to-host delay over the last second (RTCP clock only; arrival time would say 0)
      this.latencyMs = this.rtcpClock && this.windowLatencyN > 0 ? Math.round((this.windowLatency / this.windowLatencyN) * 10) / 10 : null;
      this.windowFrames = 0;
      this.windowLatency = 0;
      this.windowLatencyN = 0;
      this.windowStart = now;
    }
    this.dispatch({ type: 'tick', at: now });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) { clearTimeout(this.retryTimer); this.retryTimer = null; }
    const workers = [this.current?.worker, this.pending?.worker];
    this.dispatch({ type: 'stop', at: Date.now() });
    this.current = null;
    this.pending = null;
    // resolve only once every worker of this camera has been reaped
    await Promise.all(workers.map((w) => w?.stop()));
  }

  /** Process ids of this camera's live workers (tests and diagnostics). */
  pids(): number[] {
    return [this.current?.worker, this.pending?.worker].flatMap((w) => (w?.alive && w.pid ? [w.pid] : []));
  }

  status(): StreamStatus {
    const m = this.m;
    const active = this.current?.target ?? this.target;
    const fresh = this.lastDeliveredAt !== null && Date.now() - this.lastDeliveredAt < 2000;
    return {
      cameraId: this.o.cameraId, state: m.state, reason: m.reason, ...(m.message ? { message: m.message } : {}),
      engine: this.engine, profile: active.profile, codec: streamOf(this.source, active.profile).codec, decision: this.target.decision,
      width: active.width, height: active.height, keyframeOnly: active.keyframeOnly, encoded: this.deliversEncoded(active), pinned: this.target.pinned,
      downgrade: this.target.downgrade, generation: m.generation, lastFrameAt: this.lastDeliveredAt,
      fps: fresh ? this.fps : 0, bitrateKbps: fresh ? this.bitrateKbps : 0, latencyMs: fresh ? this.latencyMs : null,
      counters: { ...m.counters, drops: this.dropsTotal + (this.current?.droppedBase ?? 0), damaged: this.damagedTotal + (this.current?.damagedBase ?? 0), warmStarts: this.warmStarts }, since: m.since,
    };
  }

  // ---- state machine plumbing ------------------------------------------------------------

  private dispatch(e: StreamEvent): void {
    const before = this.m;
    const { next, effects } = reduceStream(before, e, this.timingsNow());
    this.m = next;
    for (const fx of effects) {
      if (fx.kind === 'spawn') this.spawnCurrent(fx.generation);
      else if (fx.kind === 'kill') this.killGeneration(fx.generation);
      else this.scheduleRetry(fx.generation, fx.delayMs);
    }
    if (next.state !== before.state || next.reason !== before.reason || next.generation !== before.generation) {
      if (next.state !== before.state) this.o.log.info('stream state', { camera: this.o.cameraId, from: before.state, to: next.state, reason: next.reason, message: next.message });
      this.o.onChange();
    }
  }

  /** Key frames only arrive about once per GOP (1-4 s on cameras): judge stalls on that scale then. */
  private timingsNow(): StreamTimings {
    if (!this.current?.target.keyframeOnly) return this.timings;
    return { ...this.timings, stallMs: Math.max(this.timings.stallMs, 4500), frameTimeoutMs: Math.max(this.timings.frameTimeoutMs, 12_000) };
  }

  private spawnCurrent(generation: number): void {
    if (this.stopped) return;
    this.current = this.attach(generation, this.target, 'current');
  }

  private killGeneration(generation: number): void {
    for (const slot of ['current', 'pending'] as const) {
      const a = this[slot];
      if (a && a.generation === generation) {
        this.dropsTotal += a.droppedBase;
        this.damagedTotal += a.damagedBase;
        void a.worker.stop();
        this[slot] = null;
      }
    }
  }

  private scheduleRetry(generation: number, delayMs: number): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.dispatch({ type: 'retry', generation, at: Date.now() });
    }, delayMs);
  }

  /** Starts a replacement worker; it takes over when its first frame arrives (make-before-break). */
  private switchProfile(): void {
    if (this.pending) { void this.pending.worker.stop(); this.pending = null; }
    if (this.m.state !== 'live' && this.m.state !== 'stalled') {
      // nothing worth keeping on screen: replace the current attempt directly
      if (this.current) this.dispatch({ type: 'failed', generation: this.m.generation, reason: 'none', message: 'profile changed', at: Date.now() });
      this.retryNow();
      return;
    }
    this.pending = this.attach(this.m.generation + 1, this.target, 'pending');
  }

  private retryNow(): void {
    if (this.retryTimer) { clearTimeout(this.retryTimer); this.retryTimer = null; }
    this.dispatch({ type: 'retry', generation: this.m.generation, at: Date.now() });
  }

  private attach(generation: number, target: StreamTarget, role: 'current' | 'pending'): Attached {
    const { url, codec } = streamOf(this.source, target.profile);
    const a: Attached = {
      generation, target: { ...target }, droppedBase: 0, damagedBase: 0, bytesLast: 0, bytesAt: 0, worker: undefined as unknown as WorkerProcess,
      startup: { previousExitAt: role === 'current' ? this.lastExitAt : null, firstFrameAt: null, marks: null, logged: false },
    };
    if (role === 'current') this.lastExitAt = null;
    const warm = this.engine === 'gstreamer' ? this.o.standby?.take() ?? null : null;
    if (warm) this.warmStarts++;
    a.worker = new WorkerProcess({
      engine: this.engine, url, username: this.source.username, password: this.source.password,
      codec, width: target.width, height: target.height,
      keyframeOnly: target.keyframeOnly, main: target.profile === 'main', generation,
      scaleMethod: chooseScaleMethod(target.streamWidth, target.width), encoded: this.deliversEncoded(target),
      ...(target.record && this.engine === 'gstreamer' ? { record: target.record } : {}),
      ...(target.record?.sub && this.source.subUrl && this.engine === 'gstreamer'
        ? { recordSub: { dir: target.record.sub.dir, ...streamOf(this.source, 'sub') } } : {}),
      ...(target.motion && this.engine === 'gstreamer' ? { motion: target.motion } : {}),
      ...(target.privacyMasks?.length ? { privacyMasks: target.privacyMasks } : {}),
    }, this.o.runtime, {
      frame: (f) => this.onWorkerFrame(a, f),
      report: (r) => this.onWorkerReport(a, r),
      exit: (reason, message, engineFailure) => this.onWorkerExit(a, reason, message, engineFailure),
    }, warm);
    this.o.log.debug('worker spawned', { camera: this.o.cameraId, role, generation, engine: this.engine, pid: a.worker.pid, warm: a.worker.warm, profile: target.profile, width: target.width, height: target.height });
    return a;
  }

  private onWorkerFrame(a: Attached, frame: Buffer): void {
    // a worker started before the camera's permanent masks changed paints the old ones (or none): its pictures wait
    // for the replacement that paints the new ones (make-before-break), they are never shown
    const masks = masksKeyOf(this.target);
    if (masks && masksKeyOf(a.target) !== masks) return;
    const now = Date.now();
    if (a.startup.firstFrameAt === null) { a.startup.firstFrameAt = now; this.logStartup(a); }
    if (a === this.pending) {
      // the replacement has a picture: it becomes current and the old worker goes
      this.pending = null;
      this.dispatch({ type: 'takeover', at: now });
      this.current = a;
      a.generation = this.m.generation;
    }
    if (a !== this.current || a.generation !== this.m.generation) return;
    this.windowFrames++;
    this.lastDeliveredAt = now;
    if (this.rtcpClock) {
      const capture = frame.readDoubleLE(FRAME_AT.captureMs);
      if (capture > 0) { this.windowLatency += now - capture; this.windowLatencyN++; }
    }
    this.dispatch({ type: 'frame', generation: a.generation, at: now });
    if (frame.length > FRAME_HEADER_BYTES) this.o.onFrame(frame);
  }

  private onWorkerReport(a: Attached, r: WorkerReport): void {
    if (r.type === 'segment' || r.type === 'recording') { this.o.onRecording?.(r, { pid: a.worker.pid, generation: a.generation }); return; }
    if (r.type === 'startup') { a.startup.marks = r.marks ?? null; this.logStartup(a); return; }
    // what the worker noticed but carried on with (a recording gap after a burst, motion settings refused)
    if (r.type === 'log') { (r.level === 'warn' ? this.o.log.warn : this.o.log.info).call(this.o.log, 'media worker notice', { camera: this.o.cameraId, message: String(r.message ?? '') }); return; }
    if (a !== this.current) return;
    if (r.type === 'motion') { this.o.onMotion?.(r); return; }
    if (r.type === 'stats') {
      if (typeof r.dropped === 'number') a.droppedBase = r.dropped;
      if (typeof r.damaged === 'number') a.damagedBase = r.damaged;
      if (typeof r.bytes === 'number') {
        // rate between two reports of the worker's byte counter (reports and our window are not in step)
        const now = Date.now();
        if (a.bytesAt > 0 && now > a.bytesAt && r.bytes >= a.bytesLast) this.bitrateKbps = Math.round(((r.bytes - a.bytesLast) * 8) / (now - a.bytesAt));
        a.bytesLast = r.bytes;
        a.bytesAt = now;
      }
    } else if (r.type === 'clock') {
      this.rtcpClock = r.source === 'rtcp';
      if (!this.rtcpClock) this.latencyMs = null;
    }
  }

  private onWorkerExit(a: Attached, reason: RetryReason, message: string, engineFailure: boolean): void {
    if (a.worker.spec.record) this.o.onRecorderExit?.({ pid: a.worker.pid, generation: a.generation });
    this.o.log.debug('worker exited', { camera: this.o.cameraId, generation: a.generation, pid: a.worker.pid, reason, message, role: a === this.pending ? 'pending' : a === this.current ? 'current' : 'old' });
    if (a === this.pending) {
      this.pending = null;
      this.o.log.warn('replacement worker failed; keeping the current one', { camera: this.o.cameraId, reason, message });
      return;
    }
    if (a !== this.current || this.stopped) return;
    this.lastExitAt = Date.now();
    this.dropsTotal += a.droppedBase;
    a.droppedBase = 0;
    this.damagedTotal += a.damagedBase;
    a.damagedBase = 0;
    this.current = null;
    if (this.engine === 'gstreamer' && engineFailure) {
      this.o.log.warn('GStreamer cannot build this pipeline; falling back to FFmpeg', { camera: this.o.cameraId, message });
      this.engine = 'ffmpeg';
      this.dispatch({ type: 'failed', generation: a.generation, reason, message: `GStreamer failed (${message}); using FFmpeg`, at: Date.now() });
      this.retryNow(); // a different engine is worth trying at once, not after the back-off
      return;
    }
    this.dispatch({ type: 'failed', generation: a.generation, reason, message, at: Date.now() });
  }

  /**
   * Where a worker's start went (docs/performance.md, "Restart of a media worker"): once its marks and its first
   * frame at the host are both known. bench:restart reads these lines.
   */
  private logStartup(a: Attached): void {
    const st = a.startup;
    if (st.logged || st.marks === null || st.firstFrameAt === null) return;
    st.logged = true;
    this.o.log.debug('worker startup', {
      camera: this.o.cameraId, generation: a.generation, pid: a.worker.pid, warm: a.worker.warm, previousExitAt: st.previousExitAt,
      spawnedAt: a.worker.spawnedAt, configuredAt: a.worker.configuredAt, marks: st.marks, firstFrameAt: st.firstFrameAt,
    });
  }
}
