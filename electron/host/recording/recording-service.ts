/**
 * RecordingService: which cameras record, the segment index, retention and the recording health the
 * operator sees. Recording itself runs inside each camera's media worker (the `rec` tee: no second
 * connection, no re-encode); this service tells the stream engine which cameras to record where
 * (RecordingHooks), indexes every segment the workers report, recovers the segment a dead worker
 * left open, and applies retention and event-mode windows every few seconds.
 */
import { mkdirSync, statfsSync, unlinkSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CameraRecording, CameraTimeline, RecordingStatus, RetentionSettings, TimelineMarker } from '../../contract/review-api.js';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import type { Logger } from '../log.js';
import type { NoticeBoard } from '../notices.js';
import type { RecordingHooks } from '../streams/service.js';
import { RecordingFailure, recordingFailureText, type RecordTarget, type WorkerReport } from '../streams/worker-process.js';
import { parseSegmentFile, streamOfSegment, SUB_FOLDER, type Segment } from './segment.js';
import { SegmentIndex, probeFiles } from './segment-index.js';
import { planEventDiscard, planRetention, type RetentionPlan } from './retention.js';
import { buildSpans, evidenceMarkers } from './timeline.js';
import { insideRoot, rootProblem } from './recordings-root.js';
import type { ReviewStore } from './review-store.js';
import { readSegmentLayout } from '../review/segment-layout.js';

export const SEGMENT_MS = 4000;
const TICK_MS = 2000;
/** A camera whose recording branch failed tries again this often (while its folder is writable). */
const RETRY_MS = 10_000;
/**
 * A camera's recording that fails for the first time since it last wrote a segment is retried at the next tick without
 * a notice: at start-up on a busy machine splitmuxsink stopped 2 of the demo's 4 recorded cameras with "Queued GOP time
 * is negative" within 5 s (the jitter buffer re-timing the first frames) and the next start recorded. Failing again
 * before a segment was written is reported and retried every RETRY_MS, as before.
 */
const QUICK_RETRY_MS = 1_000;
const TRIGGER_KEEP_MS = 7 * 24 * 3_600_000;

/** Other timeline markers (alarms and motion from the event store, issue 3) plug in here. */
export type MarkerSource = (cameraIds: readonly string[], fromMs: number, toMs: number) => TimelineMarker[];

interface CameraRuntime {
  state: RecordingStatus['state'];
  message?: string;
  attempt: number;
  failedAt: number;
  lastSegmentEndMs: number | null;
  /** This failure is being retried at once, unreported (QUICK_RETRY_MS); cleared when a segment is written. */
  quickRetried?: boolean;
  /** Wait before the retry of the current failure. */
  retryAfterMs?: number;
  /** The sub-stream's recording (null until its worker reports; it fails and retries inside the worker, alone). */
  sub: { state: 'starting' | 'recording' | 'error'; message?: string } | null;
}

/** Recording storage in trouble, for the alarm queue (raised at each change of problem, again at most every 10 minutes). */
export interface StorageAlarm {
  problem: 'disk_full' | 'locked_full' | 'read_only' | 'missing' | 'unwritable';
  detail: string;
  path: string;
  /** Cameras set to record (whose recording the problem stops or threatens). */
  cameraIds: string[];
  freeBytes?: number;
  shortfallBytes?: number;
}
const ALARM_REPEAT_MS = 600_000;

export interface RecordingServiceOptions {
  root: string;
  store: ReviewStore;
  notices: NoticeBoard;
  log: Logger;
  /** Tells the stream engine the recorded set changed. */
  changed(): void;
  segmentMs?: number;
  /** Free bytes of the disk holding the root (tests fake a nearly full disk). */
  freeBytes?: (root: string) => number;
  now?: () => number;
  /**
   * Raises a storage alarm in the alarm queue (the host wires it to the alarm engine); resolves false when the queue
   * did not take it (the store busy, the engine closing): the service raises it again at its next tick.
   */
  alarm?(a: StorageAlarm): void | Promise<boolean>;
  /** Does the camera have a sub-stream URL? (Its sub-stream is recorded only then; unknown: assumed yes.) */
  hasSubStream?(cameraId: string): boolean;
}

export class RecordingService implements RecordingHooks {
  readonly index: SegmentIndex;
  private readonly runtime = new Map<string, CameraRuntime>();
  /** Segments a worker has open: `${cameraId}:${pid}:${stream}` -> absolute path and start. */
  private readonly open = new Map<string, { cameraId: string; path: string; startMs: number }>();
  private readonly triggers = new Map<string, Array<{ atMs: number; reason: string }>>();
  private readonly listeners = new Set<(s: RecordingStatus) => void>();
  private readonly markerSources = new Set<MarkerSource>();
  private rootIssue: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private lastShortfallNotice = 0;
  private readonly lastAlarm = new Map<string, number>();
  private diskWasShort = false;
  readonly ready: Promise<void>;
  private isReady = false;

  constructor(private readonly o: RecordingServiceOptions) {
    mkdirSync(o.root, { recursive: true });
    this.index = new SegmentIndex(o.root);
    this.ready = this.index.open().then((r) => {
      if (r.added || r.dropped) o.log.info('recording index reconciled with the disk', r);
      this.isReady = true;
      o.changed();
    }, (err: unknown) => {
      o.log.error('recording index could not be opened', { error: String(err) });
      this.isReady = true;
    });
    this.rootIssue = rootProblem(o.root);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  get root(): string { return this.o.root; }
  private now(): number { return this.o.now?.() ?? Date.now(); }

  // ---- stream engine hooks ----------------------------------------------------------------

  targets(): ReadonlyMap<string, RecordTarget> {
    const out = new Map<string, RecordTarget>();
    if (!this.isReady || this.rootIssue) return out;
    for (const c of this.o.store.cameraModes()) {
      if (c.mode === 'off') continue;
      const rt = this.rt(c.cameraId);
      if (rt.state === 'error') continue; // retried by tick()
      const dir = join(this.o.root, c.cameraId);
      // the sub-stream (default on; the stream engine drops it for a camera without a sub-stream URL)
      out.set(c.cameraId, { dir, segmentMs: this.o.segmentMs ?? SEGMENT_MS, attempt: rt.attempt, ...(c.subStream !== false ? { sub: { dir: join(dir, SUB_FOLDER) } } : {}) });
    }
    return out;
  }

  report(cameraId: string, r: WorkerReport, worker: { pid: number | undefined }): void {
    const stream = r.stream === 'sub' ? 'sub' : 'main';
    const key = `${cameraId}:${worker.pid ?? 0}:${stream}`;
    if (r.type === 'recording' && stream === 'sub') { this.subReport(cameraId, r, key); return; }
    if (r.type === 'recording') {
      if (r.state === 'error') {
        const f = RecordingFailure.safeParse({ message: r.message ?? 'recording failed', element: r.element, detail: r.detail });
        this.fail(cameraId, f.success ? recordingFailureText(f.data) : (r.message ?? 'recording failed'), f.success ? f.data : undefined);
      }
      else this.setState(cameraId, 'recording');
      return;
    }
    if (!r.path || typeof r.startMs !== 'number') return;
    const rel = this.relative(r.path);
    if (!rel) return;
    if (r.event === 'opened') {
      this.open.set(key, { cameraId, path: r.path, startMs: r.startMs });
      if (stream === 'sub') this.setSub(cameraId, 'recording');
      else this.setState(cameraId, 'recording');
    } else if (r.event === 'closed' && typeof r.endMs === 'number') {
      if (this.open.get(key)?.path === r.path) this.open.delete(key);
      const seg: Segment = { cameraId, startMs: r.startMs, endMs: Math.max(r.endMs, r.startMs), file: rel, bytes: r.bytes ?? 0, status: 'ok', ...(stream === 'sub' ? { stream } : {}) };
      void this.indexClosed(seg, r.path);
    }
  }

  /**
   * A closed segment ends where its file's frames end (start + the fragments' sample durations), not at the end the
   * worker reports: that is splitmuxsink's running time, the jitter buffer's arrival clock, which under load differed
   * from the frames by up to ±270 ms (e2e/review with the sub-stream). An end past the next file's start made a seek
   * wait for a picture that file does not have; an end short of it left a hole where there is footage.
   */
  private async indexClosed(seg: Segment, path: string): Promise<void> {
    const layout = await readSegmentLayout(path).catch(() => null);
    if (layout && layout.durationMs > 0) seg.endMs = seg.startMs + Math.round(layout.durationMs);
    try { this.index.add(seg); } catch (err) { this.o.log.warn('a closed segment could not be indexed', { file: seg.file, error: String(err) }); return; }
    if (streamOfSegment(seg) === 'main') { const rt = this.rt(seg.cameraId); rt.lastSegmentEndMs = seg.endMs; rt.quickRetried = false; }
    this.publish(seg.cameraId);
  }

  workerGone(cameraId: string, worker: { pid: number | undefined }): void {
    for (const stream of ['main', 'sub'] as const) {
      const key = `${cameraId}:${worker.pid ?? 0}:${stream}`;
      const open = this.open.get(key);
      if (!open) continue;
      this.open.delete(key);
      void this.recover(open.path);
    }
  }

  /**
   * The sub-stream's recording state. Its failure is the worker's own business (it stops that connection and tries it
   * again by itself, docs/recording.md): the main recording and the tile never see it, nothing is rebuilt here; the
   * segment it had open is kept as far as it plays.
   */
  private subReport(cameraId: string, r: WorkerReport, key: string): void {
    if (r.state !== 'error') { this.setSub(cameraId, 'recording'); return; }
    const message = r.message ?? 'sub-stream recording failed';
    if (this.rt(cameraId).sub?.state !== 'error') this.o.log.warn('sub-stream recording failed; the main recording goes on', { camera: cameraId, message, ...(r.detail ? { detail: r.detail } : {}) });
    this.setSub(cameraId, 'error', message);
    const open = this.open.get(key);
    if (open) { this.open.delete(key); void this.recover(open.path); }
  }

  private setSub(cameraId: string, state: 'starting' | 'recording' | 'error', message?: string) {
    const rt = this.rt(cameraId);
    if (rt.sub?.state === state && rt.sub.message === message) return;
    rt.sub = { state, ...(message ? { message } : {}) };
    this.publish(cameraId);
  }

  // ---- operator requests ------------------------------------------------------------------

  configure(input: CameraRecording): RecordingStatus {
    // a request without subStream (the mode select) keeps the camera's sub-stream choice
    const before = this.o.store.cameraMode(input.cameraId)?.subStream;
    const c = input.subStream === undefined && before !== undefined ? { ...input, subStream: before } : input;
    this.o.store.setCameraMode(c);
    const rt = this.rt(c.cameraId);
    rt.state = c.mode === 'off' ? 'off' : 'starting';
    delete rt.message;
    rt.sub = null;
    this.o.changed();
    this.publish(c.cameraId);
    return this.status(c.cameraId);
  }

  setRetention(r: RetentionSettings): RetentionSettings { this.o.store.setRetention(r); this.applyRetention(); return r; }

  trigger(cameraId: string, atMs: number, reason: string): void {
    const list = this.triggers.get(cameraId) ?? [];
    list.push({ atMs, reason });
    this.triggers.set(cameraId, list.filter((t) => this.now() - t.atMs < TRIGGER_KEEP_MS));
  }

  statuses(): RecordingStatus[] {
    const ids = new Set([...this.o.store.cameraModes().map((c) => c.cameraId), ...this.index.cameras()]);
    return [...ids].sort().map((id) => this.status(id));
  }

  status(cameraId: string): RecordingStatus {
    const mode = this.o.store.cameraMode(cameraId)?.mode ?? 'off';
    const rt = this.rt(cameraId);
    const segs = this.index.camera(cameraId);
    const state = mode === 'off' ? 'off' : this.rootIssue ? 'error' : rt.state === 'off' ? 'starting' : rt.state;
    const message = this.rootIssue ?? rt.message;
    const subSegs = this.index.camera(cameraId, 'sub');
    const subOn = mode !== 'off' && this.o.store.cameraMode(cameraId)?.subStream !== false && (this.o.hasSubStream?.(cameraId) ?? true);
    return {
      cameraId, mode, state, ...(state === 'error' && message ? { message } : {}),
      lastSegmentEndMs: segs.length ? (segs[segs.length - 1] as Segment).endMs : null,
      bytes: segs.reduce((n, s) => n + s.bytes, 0), segments: segs.length,
      ...(subOn ? {
        sub: { state: rt.sub?.state ?? 'starting', ...(rt.sub?.message ? { message: rt.sub.message } : {}), bytes: subSegs.reduce((n, s) => n + s.bytes, 0), segments: subSegs.length },
      } : {}),
    };
  }

  onStatus(cb: (s: RecordingStatus) => void): () => void { this.listeners.add(cb); return () => { this.listeners.delete(cb); }; }
  addMarkerSource(src: MarkerSource): () => void { this.markerSources.add(src); return () => { this.markerSources.delete(src); }; }

  timeline(cameraIds: readonly string[], fromMs: number, toMs: number): CameraTimeline[] {
    if (toMs <= fromMs) throw new ContractError('invalid', 'the time range must end after it starts', reason('rangeBackwards'));
    if (toMs - fromMs > 31 * 86_400_000) throw new ContractError('invalid', 'a timeline covers at most 31 days', reason('rangeTooLong', { days: 31 }));
    const bookmarks = this.o.store.bookmarks();
    const locks = this.o.store.locks();
    const external = [...this.markerSources].flatMap((src) => { try { return src(cameraIds, fromMs, toMs); } catch { return []; } });
    return cameraIds.map((cameraId) => {
      const markers: TimelineMarker[] = [
        ...evidenceMarkers(bookmarks, locks, cameraId, fromMs, toMs),
        ...(this.triggers.get(cameraId) ?? []).filter((t) => t.atMs >= fromMs && t.atMs < toMs)
          .map((t, i) => ({ id: `trigger-${cameraId}-${t.atMs}-${i}`, cameraId, kind: 'alarm' as const, atMs: t.atMs, text: t.reason })),
        ...external.filter((m) => m.cameraId === cameraId),
      ].sort((a, b) => a.atMs - b.atMs);
      return { cameraId, spans: buildSpans(this.index.camera(cameraId), fromMs, toMs), markers };
    });
  }

  async rebuildIndex(): Promise<{ segments: number; corrupt: number; tookMs: number }> {
    const t0 = Date.now();
    await this.ready;
    const r = await this.index.rebuild();
    if (r.corrupt) this.o.notices.add('warning', `Recording index rebuilt: ${r.corrupt} damaged segment(s) are skipped in playback and export.`, { key: 'recordingIndexRebuilt', params: { count: r.corrupt } });
    for (const id of this.index.cameras()) this.publish(id);
    return { ...r, tookMs: Date.now() - t0 };
  }

  /** Absolute path of an indexed segment (confined to the root). */
  filePath(seg: Segment): string { return insideRoot(this.o.root, seg.file); }

  async close(): Promise<void> {
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
    this.listeners.clear();
    await this.ready;
  }

  // ---- internals --------------------------------------------------------------------------

  private rt(cameraId: string): CameraRuntime {
    let rt = this.runtime.get(cameraId);
    if (!rt) { rt = { state: 'off', attempt: 0, failedAt: 0, lastSegmentEndMs: null, sub: null }; this.runtime.set(cameraId, rt); }
    return rt;
  }

  private relative(abs: string): string | null {
    const rel = relative(this.o.root, abs).split('\\').join('/');
    return parseSegmentFile(rel) ? rel : null;
  }

  private setState(cameraId: string, state: CameraRuntime['state'], message?: string) {
    const rt = this.rt(cameraId);
    if (rt.state === state && rt.message === message) return;
    rt.state = state;
    if (message) rt.message = message; else delete rt.message;
    this.publish(cameraId);
  }

  private fail(cameraId: string, message: string, gst?: RecordingFailure) {
    const rt = this.rt(cameraId);
    const first = rt.state !== 'error';
    rt.failedAt = this.now();
    this.setState(cameraId, 'error', message);
    if (first && !rt.quickRetried) {
      rt.quickRetried = true;
      rt.retryAfterMs = QUICK_RETRY_MS;
      this.o.log.warn('recording failed; retrying at once before reporting it', { camera: cameraId, message, ...(gst?.detail ? { detail: gst.detail } : {}) });
    } else if (first) {
      rt.retryAfterMs = RETRY_MS;
      this.o.log.warn('recording failed; the wall goes on', { camera: cameraId, message, ...(gst?.element ? { element: gst.element } : {}), ...(gst?.detail ? { detail: gst.detail } : {}) });
      this.o.notices.add('error', `Recording of ${cameraId} stopped: ${message}. Live video is not affected; recording retries every ${RETRY_MS / 1000} s.`,
        { key: 'recordingCameraStopped', params: { camera: cameraId, reason: message, seconds: RETRY_MS / 1000 } });
    }
    this.o.changed(); // rebuild the worker without the failed branch (make-before-break: the tile keeps its picture)
  }

  /** A worker died with a segment open: keep it if it plays (partial), mark it if not. */
  private async recover(path: string) {
    const rel = this.relative(path);
    if (!rel) return;
    let bytes = 0;
    try { bytes = statSync(path).size; } catch { return; }
    if (bytes === 0) { try { unlinkSync(path); } catch { /* gone */ } return; }
    const [seg] = await probeFiles(this.o.root, [rel], 'partial');
    if (!seg) return; // headers only: removed
    this.index.add(seg);
    this.publish(seg.cameraId);
  }

  private publish(cameraId: string) {
    const st = this.status(cameraId);
    for (const cb of this.listeners) { try { cb(st); } catch { /* a broken listener must not stop the others */ } }
  }

  private tick() {
    if (!this.isReady) return;
    const issue = rootProblem(this.o.root);
    if (issue !== this.rootIssue) {
      this.rootIssue = issue;
      if (issue) {
        this.o.log.error('recordings folder unusable', { issue });
        this.o.notices.add('error', `Recording stopped: ${issue}. Live video is not affected; recording resumes when the folder is back.`, { key: 'recordingStopped', params: { reason: issue } });
        this.raise({ problem: /read-only/.test(issue) ? 'read_only' : /missing/.test(issue) ? 'missing' : /full/.test(issue) ? 'disk_full' : 'unwritable', detail: `recording stopped: ${issue}` }, true);
      } else {
        this.o.notices.add('info', 'The recordings folder is back: recording resumes.', { key: 'recordingFolderBack' });
      }
      for (const id of this.runtime.keys()) this.publish(id);
      this.o.changed();
    }
    const now = this.now();
    let retry = false;
    for (const [id, rt] of this.runtime) {
      if (rt.state === 'error' && !this.rootIssue && now - rt.failedAt >= (rt.retryAfterMs ?? RETRY_MS)) { rt.state = 'starting'; rt.attempt++; delete rt.message; retry = true; this.publish(id); }
    }
    if (retry) this.o.changed();
    const short = this.diskShortBytes();
    if (short > 0 && !this.diskWasShort && this.raise({ problem: 'disk_full', detail: `the recordings disk is below its free-space floor; the oldest footage is being deleted by policy`, freeBytes: this.freeBytes() ?? 0 })) {
      // on a disk that stays at its floor this repeats at every segment: the alarm and the log line at most every 10 minutes
      this.o.log.warn('recordings disk below its free-space floor: deleting the oldest footage', { shortBytes: short });
    }
    this.diskWasShort = short > 0;
    if (++this.ticks % 5 === 0 || short > 0) this.applyRetention();
  }

  /** Hands a storage problem to the alarm queue: at once when it is new, else at most every 10 minutes. */
  private raise(a: Omit<StorageAlarm, 'path' | 'cameraIds'>, fresh = false): boolean {
    const now = this.now();
    if (!fresh && now - (this.lastAlarm.get(a.problem) ?? 0) < ALARM_REPEAT_MS) return false;
    this.lastAlarm.set(a.problem, now);
    const cameraIds = this.o.store.cameraModes().filter((c) => c.mode !== 'off').map((c) => c.cameraId).sort();
    // an alarm the queue did not take is raised again at the next tick, not 10 minutes later (a full disk went unalarmed)
    const notTaken = (why: string) => {
      this.o.log.warn('storage alarm not raised: raising it again', { problem: a.problem, why });
      if (this.lastAlarm.get(a.problem) === now) this.lastAlarm.delete(a.problem);
      if (a.problem === 'disk_full') this.diskWasShort = false;
    };
    try {
      const taken = this.o.alarm?.({ ...a, path: this.o.root, cameraIds });
      if (taken instanceof Promise) void taken.then((ok) => { if (!ok) notTaken('not stored'); }, (err: unknown) => notTaken(String(err)));
    } catch (err) { notTaken(String(err)); }
    return true;
  }

  private freeBytes(): number | null {
    try { return this.o.freeBytes ? this.o.freeBytes(this.o.root) : (() => { const s = statfsSync(this.o.root); return s.bavail * s.bsize; })(); } catch { return null; }
  }

  private diskShortBytes(): number {
    if (this.rootIssue && !/full/.test(this.rootIssue)) return 0;
    const free = this.freeBytes();
    return free === null ? 0 : Math.max(0, this.o.store.retention().minFreeBytes - free);
  }

  /** Event-mode windows, then age / quota / free-space retention. Returns the retention plan applied. */
  applyRetention(): RetentionPlan {
    const now = this.now();
    const locks = this.o.store.locks();
    for (const c of this.o.store.cameraModes()) {
      if (c.mode !== 'event') continue;
      for (const stream of ['main', 'sub'] as const) {
        const discard = planEventDiscard({ segments: this.index.camera(c.cameraId, stream), triggers: (this.triggers.get(c.cameraId) ?? []).map((t) => t.atMs), preMs: c.preMs, postMs: c.postMs, now, locks });
        this.deleteSegments(discard, 'outside every event window');
      }
    }
    const r = this.o.store.retention();
    const plan = planRetention({ segments: this.index.all(), locks, now, maxAgeMs: r.maxAgeDays * 86_400_000, quotaBytes: r.quotaBytes, mustFreeBytes: this.diskShortBytes() });
    this.deleteSegments(plan.delete, 'retention');
    if (plan.shortfallBytes > 0 && now - this.lastShortfallNotice > 600_000) {
      this.lastShortfallNotice = now;
      const mb = (plan.shortfallBytes / 1e6).toFixed(1);
      this.o.notices.add('error', `Recording storage is full and ${mb} MB more should be freed, but the oldest footage is evidence-locked. Free disk space or release a lock.`, { key: 'storageFullLocked', params: { mb } });
    }
    if (plan.shortfallBytes > 0) {
      this.raise({ problem: 'locked_full', detail: `storage full: ${(plan.shortfallBytes / 1e6).toFixed(1)} MB more should be freed but the footage left is evidence-locked`, shortfallBytes: plan.shortfallBytes, freeBytes: this.freeBytes() ?? 0 });
    }
    return plan;
  }

  private deleteSegments(segs: readonly Segment[], why: string) {
    if (segs.length === 0) return;
    const touched = new Set<string>();
    for (const s of segs) {
      try { unlinkSync(insideRoot(this.o.root, s.file)); } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') { this.o.log.warn('cannot delete segment', { file: s.file, error: String(err) }); continue; }
      }
      this.index.delete(s.file);
      touched.add(s.cameraId);
    }
    this.o.log.info('segments deleted', { why, count: segs.length });
    for (const id of touched) this.publish(id);
  }
}
