/**
 * One media worker child process (GStreamer Python worker or FFmpeg) for one camera stream.
 * Spawned detached into its own process group so stop() kills the worker and anything it
 * started; the worker itself dies with the host (PR_SET_PDEATHSIG). Credentials go to the
 * GStreamer worker on stdin; FFmpeg can only take them in the URL (see FfmpegDecodeOptions). A GStreamer worker may
 * be a warm standby spawned earlier (standby.ts): it initialised GStreamer while it waited for its config.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { z } from 'zod';
import { FRAME_AT, FRAME_FLAG_ENCODED, FRAME_FLAG_KEYFRAME_ONLY, FRAME_FLAG_MAIN_STREAM, FRAME_HEADER_BYTES } from '../../contract/frames.js';
import type { MotionConfig, RetryReason } from '../../contract/schemas.js';
import { redact } from '../log.js';
import { paintI420, type MaskPolygon } from '../masks/mask-raster.js';
import { buildFfmpegDecodeArgs } from '../../../native/pipelines/ffmpeg.js';
import { buildGstDecodePipeline, buildGstPassthroughPipeline, buildGstRecordPipeline, type ScaleMethod, type VideoCodec } from '../../../native/pipelines/gstreamer.js';
import { CorruptFrameStream, KzfFrameReader, RawI420FrameReader } from './frame-reader.js';

export type Engine = 'gstreamer' | 'ffmpeg';

export interface WorkerSpec {
  engine: Engine;
  url: string;
  username?: string;
  password?: string;
  codec: VideoCodec;
  width: number;
  height: number;
  keyframeOnly: boolean;
  main: boolean;
  generation: number;
  latencyMs?: number;
  scaleMethod?: ScaleMethod;
  /** Deliver compressed access units for the renderer to decode (GStreamer engine, H.264 only). */
  encoded?: boolean;
  /** Record the compressed stream at the worker's `rec` tee (GStreamer engine only). */
  record?: RecordTarget;
  /** With `record`: record the sub-stream too (its own connection; its failure never stops the main recording). */
  recordSub?: RecordSubStream;
  /** Run the motion detector (GStreamer engine only; see native/worker/motion.py). */
  motion?: MotionConfig;
  /**
   * Permanent privacy masks painted into every picture before it leaves the worker (GStreamer: in the worker,
   * native/worker/privacy_mask.py; FFmpeg: here, as frames arrive). Never combined with `encoded`.
   */
  privacyMasks?: readonly MaskPolygon[];
}

export type { MotionConfig } from '../../contract/schemas.js';

/** Where and how a worker records (issue 4): segments go to `<dir>/<UTC day>/<startEpochMs>.mp4`. */
export interface RecordTarget {
  dir: string; segmentMs: number; /** Bumped to rebuild a failed recording branch. */ attempt?: number;
  /** Also record the camera's sub-stream, into this folder (the supervisor adds its URL; dropped without one). */
  sub?: { dir: string };
}

/** The sub-stream a worker records beside the main one: its own RTSP connection in its own pipeline, remux only. */
export interface RecordSubStream { dir: string; url: string; codec: VideoCodec }

export interface WorkerRuntime {
  python: string;
  workerPath: string;
  ffmpeg: string;
  /** Extra argv element that marks this host's workers (tests scan /proc for it). */
  tag?: string;
}

/** What a worker reports on stderr (GStreamer engine) or what its exit means. */
export interface WorkerReport {
  type: 'state' | 'stats' | 'clock' | 'log' | 'segment' | 'recording' | 'motion' | 'startup';
  state?: 'connecting' | 'live' | 'eos' | 'error';
  reason?: RetryReason;
  message?: string;
  engineFailure?: boolean;
  frames?: number;
  dropped?: number;
  /** type 'stats': damage the decoders reported since the worker started (concealed corrupt slices, undecodable pictures). */
  damaged?: number;
  bytes?: number;
  source?: 'rtcp' | 'arrival';
  /** type 'segment' | 'recording': of the sub-stream's recording ('sub'), else of the main stream's. */
  stream?: 'sub';
  /** type 'segment': a recording segment was opened or closed (recording state: state 'recording' | 'error'). */
  event?: 'opened' | 'closed';
  path?: string;
  startMs?: number;
  endMs?: number;
  /** type 'motion': what the detector saw on the picture captured at captureTime. */
  captureTime?: number;
  track?: string;
  area?: number;
  confidence?: number;
  boxes?: { x: number; y: number; w: number; h: number; label?: string }[];
  /** type 'startup': when the worker reached each start-up phase (StartupMarks). */
  marks?: StartupMarks;
  /** type 'log': how much the worker's notice matters. */
  level?: 'info' | 'warn';
  /** type 'recording', state 'error': the GStreamer element that posted the error and its debug string (RecordingFailure). */
  element?: string;
  detail?: string;
}

/**
 * What a failed recording branch reports beside its message: the element that posted the error (e.g. `recmux`) and
 * GStreamer's debug string, whose last line says why ("Buffer has no PTS."). Diagnostics: a malformed field is dropped.
 */
export const RecordingFailure = z.object({
  message: z.string().max(2000),
  element: z.string().max(200).optional(),
  detail: z.string().max(2000).optional(),
});
export type RecordingFailure = z.infer<typeof RecordingFailure>;

/** The sentence the operator sees for a failed recording branch: GStreamer's message, and why, from its debug string. */
export function recordingFailureText(f: RecordingFailure): string {
  const why = f.detail?.trim().split('\n').at(-1)?.trim();
  return why && why !== f.message ? `${f.message} (${f.element ? `${f.element}: ` : ''}${why})` : f.message;
}

/**
 * Start-up timeline a GStreamer worker reports once, after its first frame (epoch ms, same clock as the host):
 * script (interpreter running), imports, gst (Gst.init done), plugins (loaded), config (camera received), pipeline
 * (built), playing (PLAYING requested), described (RTSP DESCRIBE answered), rtp (first RTP packet), parsed (first
 * parsed unit), key (first key unit), frame (first frame written). A phase the worker did not reach is absent.
 */
export const StartupMarks = z.record(z.string().max(32), z.number().finite().nonnegative());
export type StartupMarks = z.infer<typeof StartupMarks>;

/** A spawned GStreamer worker nobody has given a camera yet (standby.ts). */
export interface WarmWorker { child: ChildProcess; spawnedAt: number }

/** Spawns a GStreamer worker: it initialises GStreamer, then waits for its config line on stdin. */
export function spawnGstWorker(rt: WorkerRuntime): ChildProcess {
  return spawn(rt.python, [rt.workerPath, ...(rt.tag ? [`--tag=${rt.tag}`] : [])], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface WorkerHandlers {
  frame(frame: Buffer): void;
  report(r: WorkerReport): void;
  /**
   * The process is gone. reason says why in the contract's words ('crash' for signals and corrupt
   * output); engineFailure: the engine itself cannot run this stream (missing element or plugin).
   */
  exit(reason: RetryReason, message: string, engineFailure: boolean): void;
}

const KILL_GRACE_MS = 1000;

/**
 * rtspsrc's jitter buffer latency. The worker receives RTSP over TCP (nothing arrives out of order or goes missing),
 * and a connection that joins a running stream had its first packet held about this long: 200 ms held a restart
 * 160 ms longer (docs/performance.md, "Restart of a media worker"); steady-state packets are not held either way.
 */
export const RTSP_LATENCY_MS = 50;

export class WorkerProcess {
  readonly spec: WorkerSpec;
  /** Epoch ms the process was spawned (earlier than configuredAt for a warm standby). */
  readonly spawnedAt: number;
  /** Epoch ms the camera's config was handed to the process. */
  readonly configuredAt: number;
  /** It was a warm standby. */
  readonly warm: boolean;
  private child: ChildProcess;
  private exited = false;
  private exitPromise: Promise<void>;
  private lastError: { reason: RetryReason; message: string; engineFailure?: boolean } | null = null;
  private stderrTail = '';

  constructor(spec: WorkerSpec, rt: WorkerRuntime, private readonly h: WorkerHandlers, warm?: WarmWorker | null) {
    this.spec = spec;
    this.warm = !!warm && spec.engine === 'gstreamer';
    this.spawnedAt = this.warm && warm ? warm.spawnedAt : Date.now();
    const masks = spec.privacyMasks ?? [];
    if (masks.length && spec.encoded) throw new Error('a camera with permanent privacy masks is never forwarded compressed');
    const flags = (spec.keyframeOnly ? FRAME_FLAG_KEYFRAME_ONLY : 0) | (spec.main ? FRAME_FLAG_MAIN_STREAM : 0);
    if (spec.engine === 'gstreamer') {
      this.child = this.warm && warm ? warm.child : spawnGstWorker(rt);
      const cfg = {
        pipeline: spec.encoded ? buildGstPassthroughPipeline(spec.codec, spec.motion ? 'keyframes' : undefined)
          : buildGstDecodePipeline({ codec: spec.codec, width: spec.width, height: spec.height, threads: 1, scaleMethod: spec.scaleMethod ?? 'bilinear', motion: !!spec.motion }),
        url: spec.url, username: spec.username, password: spec.password, latencyMs: spec.latencyMs ?? RTSP_LATENCY_MS,
        generation: spec.generation, main: spec.main, keyframeOnly: spec.keyframeOnly, encoded: spec.encoded === true,
        ...(spec.record ? { record: { dir: spec.record.dir, segmentMs: spec.record.segmentMs,
          ...(spec.recordSub ? { sub: { dir: spec.recordSub.dir, url: spec.recordSub.url, pipeline: buildGstRecordPipeline(spec.recordSub.codec) } } : {}) } } : {}),
        ...(spec.motion ? { motion: { sensitivity: spec.motion.sensitivity, masks: spec.motion.masks, decode: 'keyframes' } } : {}),
        ...(masks.length ? { privacyMasks: masks } : {}),
      };
      this.child.stdin?.write(JSON.stringify(cfg) + '\n');
    } else {
      if (warm) void killWarm(warm); // not for FFmpeg: nobody else will take it now
      const args = buildFfmpegDecodeArgs({ url: withCredentials(spec.url, spec.username, spec.password), width: spec.width, height: spec.height, keyframeOnly: spec.keyframeOnly });
      this.child = spawn(rt.ffmpeg, [...args, ...(rt.tag ? ['-metadata', `comment=${rt.tag}`] : [])], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    }
    this.configuredAt = Date.now();
    const reader = spec.engine === 'gstreamer' ? new KzfFrameReader()
      : new RawI420FrameReader(spec.width, spec.height, { flags, generation: spec.generation });
    this.child.stdin?.on('error', () => { /* the worker exited; exit handler reports it */ });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      if (this.exited) return;
      let frames: Buffer[];
      try {
        frames = reader.push(chunk);
      } catch (err) {
        if (!(err instanceof CorruptFrameStream)) throw err;
        this.lastError = { reason: 'crash', message: `corrupt worker output: ${err.message}` };
        void this.stop();
        return;
      }
      // FFmpeg cannot paint polygons: its pictures are masked here, before anything else sees them
      if (spec.engine === 'ffmpeg' && masks.length) for (const f of frames) paintFrame(f, masks);
      for (const f of frames) this.h.frame(f);
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (text: string) => this.onStderr(text));
    this.exitPromise = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.lastError = { reason: 'state-change-failure', message: `cannot start ${spec.engine}: ${err.message}` };
        this.finish(resolve);
      });
      this.child.on('exit', (code, signal) => {
        if (!this.lastError) {
          this.lastError = signal ? { reason: 'crash', message: `worker killed by ${signal}` }
            : code === 0 ? { reason: 'eos', message: 'worker ended' }
              : { reason: spec.engine === 'ffmpeg' ? classifyFfmpeg(this.stderrTail) : 'error', message: this.stderrTail.trim().slice(-300) || `worker exited with code ${String(code)}` };
        }
        this.finish(resolve);
      });
    });
  }

  get pid(): number | undefined { return this.child.pid; }
  get alive(): boolean { return !this.exited; }

  /** Sends a control command (GStreamer worker only); returns false when it cannot be applied live. */
  command(cmd: { cmd: 'resize'; width: number; height: number; method?: ScaleMethod } | { cmd: 'keyframe-only'; on: boolean } | ({ cmd: 'motion' } & MotionConfig)): boolean {
    if (this.spec.engine !== 'gstreamer' || this.exited || !this.child.stdin?.writable) return false;
    this.child.stdin.write(JSON.stringify(cmd) + '\n');
    return true;
  }

  /** Kills the whole process group and resolves once the worker is reaped. */
  stop(): Promise<void> {
    if (!this.exited && this.child.pid) {
      signalGroup(this.child.pid, 'SIGTERM');
      const pid = this.child.pid;
      const t = setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
      void this.exitPromise.then(() => clearTimeout(t));
    }
    return this.exitPromise;
  }

  private finish(resolve: () => void) {
    if (this.exited) return;
    this.exited = true;
    // the worker may have left children in its group (decoder helpers): take them down too
    if (this.child.pid) signalGroup(this.child.pid, 'SIGKILL');
    const e = this.lastError ?? { reason: 'error' as RetryReason, message: 'worker ended' };
    resolve();
    // FFmpeg echoes the URL it was given, credentials included: never pass that on to a status
    this.h.exit(e.reason, String(redact(e.message)), e.engineFailure === true);
  }

  private onStderr(text: string) {
    this.stderrTail = (this.stderrTail + text).slice(-4000);
    if (this.spec.engine !== 'gstreamer') return;
    const lines = this.stderrTail.split('\n');
    this.stderrTail = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      let r: WorkerReport;
      try { r = JSON.parse(line) as WorkerReport; } catch { continue; }
      if (r.type === 'state' && (r.state === 'error' || r.state === 'eos')) {
        this.lastError = { reason: r.reason ?? (r.state === 'eos' ? 'eos' : 'error'), message: r.message ?? r.state, engineFailure: r.engineFailure === true };
      }
      if (r.type === 'startup') {
        const marks = StartupMarks.safeParse(r.marks);
        if (!marks.success) continue; // diagnostics only: a malformed timeline is dropped, never trusted
        r = { type: 'startup', marks: marks.data };
      }
      if (typeof r.message === 'string') r.message = String(redact(r.message));
      if (typeof r.detail === 'string') r.detail = String(redact(r.detail));
      this.h.report(r);
    }
  }
}

/** Paints permanent masks into one decoded KZF1 frame in place (an encoded frame is never masked: it never gets here). */
function paintFrame(f: Buffer, masks: readonly MaskPolygon[]): void {
  if (f.readUInt16LE(FRAME_AT.flags) & FRAME_FLAG_ENCODED) return;
  const w = f.readUInt16LE(FRAME_AT.width);
  const h = f.readUInt16LE(FRAME_AT.height);
  paintI420(f.subarray(FRAME_HEADER_BYTES), w, h, masks);
}

/** Kills a warm worker's process group and resolves once it is reaped. */
export function killWarm(w: WarmWorker): Promise<void> {
  const { child } = w;
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGKILL');
  return gone;
}

function signalGroup(pid: number, sig: NodeJS.Signals) {
  try { process.kill(-pid, sig); } catch { /* already gone */ }
}

function withCredentials(url: string, username?: string, password?: string): string {
  if (!username) return url;
  try {
    const u = new URL(url);
    u.username = username;
    u.password = password ?? '';
    return u.toString();
  } catch {
    return url;
  }
}

function classifyFfmpeg(stderr: string): RetryReason {
  const s = stderr.toLowerCase();
  if (s.includes('401') || s.includes('unauthorized')) return 'auth';
  if (s.includes('connection refused') || s.includes('404') || s.includes('no route') || s.includes('not found')) return 'unreachable';
  if (s.includes('timed out') || s.includes('timeout')) return 'timeout';
  if (s.includes('decoder') || s.includes('codec') || s.includes('invalid data')) return 'codec';
  return 'error';
}
