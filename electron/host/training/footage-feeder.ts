/**
 * The training footage feeder (issue 11 §2, docs/training.md): per training session from recordings, one process
 * (native/feeder/feeder.py, a GStreamer RTSP server on 127.0.0.1 that dies with the host) serves each scenario camera's
 * recorded segments as a live RTSP stream paced on the session's clock, with RTCP sender reports on the wall clock.
 * It is the `TrainingFootage` of the session runtime: a scripted camera failure unmounts that camera's stream for its
 * duration, and it comes back at the scenario's time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { z } from 'zod';
import { footageFromMs, type Scenario } from '../../contract/training/scenario-schema.js';
import { VideoCodec } from '../../contract/schemas.js';
import type { Logger } from '../log.js';
import { projectPath } from '../paths.js';
import type { Segment } from '../recording/segment.js';
import type { TrainingFootage } from './session-runtime.js';

/** What the feeder prints on stdout: its ready line, then one answer per command (validated: it crosses a process). */
const FeederReady = z.object({ ready: z.literal(true), rtspPort: z.number().int().min(1).max(65535) });
const FeederAnswer = z.object({
  ok: z.boolean(), error: z.string().optional(),
  /** A `serve` answer: the camera and the codec its stream is served in (its recording's; null: no footage read yet). */
  serve: z.string().optional(), codec: VideoCodec.nullable().optional(),
});
const FeederLine = z.union([FeederReady, FeederAnswer]);

export interface FootageFeederOptions {
  log: Logger;
  /** A camera's recorded segments, sorted by start (the recording index). */
  segments(cameraId: string): readonly Segment[];
  /** A segment's absolute path. */
  filePath(seg: Segment): string;
  /**
   * The footage of a scenario from an incident package (replay's package pieces: fragmented MP4 cut from the package's
   * video, no re-encoding): where its clock starts (the incident's start) and each camera's pieces. Null: not imported.
   */
  packageFootage?(incidentId: string): Promise<PackageFootageFiles | null>;
  python?: string;
  /** A session's feeder started or stopped (its cameras' URLs changed). */
  onChange?(): void;
}

/** A package scenario's footage as the feeder plays it. */
export interface PackageFootageFiles { fromMs: number; files(cameraId: string): ReadonlyArray<readonly [string, number]> }

interface Feed {
  child: ChildProcess; port: number; cameraIds: string[]; send(cmd: object): void;
  /** The camera's playable segments as [path, startMs], in the scenario's range. */
  files(cameraId: string): ReadonlyArray<readonly [string, number]>;
  /** What was last sent per camera (a list is re-sent only when it changed). */
  sent: Map<string, string>;
  /** Cameras served with at least one segment (a camera with none keeps its production stream on the trainee's wall). */
  withFootage: Set<string>;
  /** Cameras stopped by a scripted failure (not re-served by the refresh): the session's, kept across a restart. */
  down: Set<string>;
  /** The codec each camera's stream is served in, as the feeder answered (its recording's). */
  codecs: Map<string, VideoCodec>;
}

/**
 * How often a running feeder's segment lists are looked at (footage recorded since the session started: a scenario near
 * the present plays each segment a few seconds after it is written, so this is short; a list is sent only when it changed).
 */
const REFRESH_MS = 1000;
/** Segments this long before the scenario's start are served too (the one holding its first moment). */
const LEAD_MS = 60_000;

export interface FootageFeeder extends TrainingFootage {
  /** The session camera's RTSP URL, or null (no feeder for that session, or the camera is not in it). */
  url(sessionId: string, cameraId: string): string | null;
  /** The codec the session camera is served in (its recording's), or undefined while not known. */
  codec(sessionId: string, cameraId: string): VideoCodec | undefined;
  close(): void;
}

const READY_MS = 20_000;
/**
 * A feeder that exits while its session runs is started again (its pacing is the session's clock, so it goes on where
 * the session is): after 1 s, doubling up to 15 s while it keeps failing; a run of a minute resets the wait.
 */
const RESTART_FIRST_MS = 1000;
const RESTART_CAP_MS = 15_000;
const RESTART_RESET_MS = 60_000;

export function createFootageFeeder(o: FootageFeederOptions): FootageFeeder {
  const log = o.log.child('footage');
  const feeds = new Map<string, Feed>();
  const starting = new Map<string, Promise<Feed | null>>();
  /** The sessions that want a feeder (started, not stopped): what a restart needs. */
  const wanted = new Map<string, { scenario: Scenario; startedAt: number; down: Set<string>; restartMs: number; timer?: NodeJS.Timeout }>();

  /** A recording scenario's playable segments of a camera (not corrupt, in its range) as the feeder's [path, startMs] list. */
  const recorded = (fromMs: number, toMs: number) => (cameraId: string) => o.segments(cameraId)
    .filter((s) => s.status !== 'corrupt' && s.endMs > fromMs - LEAD_MS && s.startMs < toMs).map((s) => [o.filePath(s), s.startMs] as const);
  /** Sends the camera's segments when they changed; true when whether it has footage changed. */
  const serve = (f: Feed, cameraId: string, force = false): boolean => {
    const list = f.files(cameraId);
    const key = `${list.length}:${list[0]?.[1] ?? ''}:${list[list.length - 1]?.[1] ?? ''}`;
    if (force || f.sent.get(cameraId) !== key) { f.send({ serve: cameraId, files: list }); f.sent.set(cameraId, key); }
    const had = f.withFootage.has(cameraId);
    if (list.length > 0) f.withFootage.add(cameraId); else f.withFootage.delete(cameraId);
    return had !== list.length > 0;
  };

  /** Where the scenario's footage is: its clock's start and each camera's files; null when there is none to serve. */
  const footageOf = async (sessionId: string, scenario: Scenario, startedAt: number): Promise<{ fromMs: number; files: Feed['files'] } | null> => {
    const src = scenario.source;
    if (src.kind !== 'package') {
      const fromMs = footageFromMs(src, startedAt);
      return { fromMs, files: recorded(fromMs, fromMs + scenario.durationMs) };
    }
    const pkg = await o.packageFootage?.(src.incidentId);
    if (!pkg) log.warn('no footage for the scenario: its incident package is not imported', { id: sessionId, incident: src.incidentId });
    return pkg ? { fromMs: pkg.fromMs, files: (c) => pkg.files(c) } : null;
  };

  const launch = async (sessionId: string, scenario: Scenario, startedAt: number, down: Set<string>): Promise<Feed | null> => {
    const footage = await footageOf(sessionId, scenario, startedAt);
    return footage ? spawnFeeder(sessionId, scenario, startedAt, footage, down) : null;
  };

  /** Starts the session's feeder (first, or again after it exited) unless one runs or starts; resolves when it is ready. */
  const run = async (sessionId: string): Promise<void> => {
    const w = wanted.get(sessionId);
    if (!w || feeds.has(sessionId) || starting.has(sessionId)) return;
    const p = launch(sessionId, w.scenario, w.startedAt, w.down);
    starting.set(sessionId, p);
    try {
      const f = await p;
      if (f && wanted.get(sessionId) === w) { feeds.set(sessionId, f); o.onChange?.(); } else if (f) { f.child.stdin?.end(); f.child.kill('SIGTERM'); }
    } finally { starting.delete(sessionId); }
  };

  /** The session's feeder exited by itself (or did not start again): started again after a wait, while the session wants it. */
  const restartLater = (sessionId: string) => {
    const w = wanted.get(sessionId);
    if (!w || w.timer) return;
    const waitMs = w.restartMs;
    w.restartMs = Math.min(w.restartMs * 2, RESTART_CAP_MS);
    w.timer = setTimeout(() => {
      w.timer = undefined;
      run(sessionId).catch((err: unknown) => { log.warn('footage feeder did not start again', { id: sessionId, error: String(err) }); restartLater(sessionId); });
    }, waitMs);
    w.timer.unref();
  };

  const spawnFeeder = (sessionId: string, scenario: Scenario, startedAt: number, footage: { fromMs: number; files: Feed['files'] }, down: Set<string>): Promise<Feed> => new Promise((resolve, reject) => {
    const spawnedAt = Date.now();
    const child = spawn(o.python ?? '/usr/bin/python3', [projectPath('native/feeder/feeder.py'), '--from-ms', String(footage.fromMs), '--started-at', String(startedAt)],
      { stdio: ['pipe', 'pipe', 'pipe'] });
    let pending = '';
    let feed: Feed | null = null;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('the footage feeder did not start in time')); }, READY_MS);
    child.stderr?.on('data', (d: Buffer) => { const t = d.toString().trim(); if (t) log.warn('feeder', { id: sessionId, stderr: t.slice(0, 500) }); });
    child.stdout?.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) {
        let msg: z.infer<typeof FeederLine>;
        try { msg = FeederLine.parse(JSON.parse(l)); } catch { log.warn('feeder line not understood', { id: sessionId, line: l.slice(0, 200) }); continue; }
        if ('ready' in msg) {
          clearTimeout(timer);
          const f: Feed = {
            child, port: msg.rtspPort, cameraIds: scenario.cameraIds, withFootage: new Set(), down, files: footage.files, sent: new Map(), codecs: new Map(),
            send: (cmd) => { if (child.stdin?.writable) child.stdin.write(`${JSON.stringify(cmd)}\n`); },
          };
          feed = f;
          for (const c of scenario.cameraIds) if (!down.has(c)) serve(f, c);
          log.info('footage feeder started', { id: sessionId, port: msg.rtspPort, cameras: scenario.cameraIds.length });
          resolve(f);
        } else if (!msg.ok) log.warn('feeder refused a command', { id: sessionId, error: msg.error });
        else if (feed && msg.serve !== undefined && msg.codec) {
          const was = feed.codecs.get(msg.serve);
          feed.codecs.set(msg.serve, msg.codec);
          if (was !== msg.codec) o.onChange?.(); // the trainee's stream is asked for again in its codec
        }
      }
    });
    child.stdin?.on('error', () => {}); // a feeder that died: its exit is logged below
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!feed) { reject(new Error(`the footage feeder exited before it was ready (${code ?? signal})`)); return; }
      if (feeds.get(sessionId)?.child !== child) return; // stopped, or replaced
      // it exited by itself while its session runs: its trainees' tiles lose the footage until it is started again
      feeds.delete(sessionId);
      o.onChange?.();
      const w = wanted.get(sessionId);
      if (w && Date.now() - spawnedAt >= RESTART_RESET_MS) w.restartMs = RESTART_FIRST_MS;
      log.warn('footage feeder exited: starting it again', { id: sessionId, code, signal, inMs: w?.restartMs });
      restartLater(sessionId);
    });
  });

  // footage recorded since a session started (a scenario that reaches into the present) is served as it arrives
  const refresh = setInterval(() => {
    let changed = false;
    for (const f of feeds.values()) for (const c of f.cameraIds) if (!f.down.has(c)) changed = serve(f, c) || changed;
    if (changed) o.onChange?.();
  }, REFRESH_MS);
  refresh.unref();

  const feedOf = async (sessionId: string) => feeds.get(sessionId) ?? await starting.get(sessionId) ?? null;

  return {
    async start(sessionId, scenario, startedAt) {
      if (!wanted.has(sessionId)) wanted.set(sessionId, { scenario, startedAt, down: new Set(), restartMs: RESTART_FIRST_MS });
      // a first start that fails (the caller logs it) is tried again like a feeder that exited
      try { await run(sessionId); } catch (err) { restartLater(sessionId); throw err; }
    },
    async stop(sessionId) {
      const w = wanted.get(sessionId);
      clearTimeout(w?.timer);
      wanted.delete(sessionId);
      const f = await feedOf(sessionId).catch(() => null);
      feeds.delete(sessionId);
      if (f) { f.child.stdin?.end(); f.child.kill('SIGTERM'); log.info('footage feeder stopped', { id: sessionId }); o.onChange?.(); }
    },
    async cameraDown(sessionId, cameraId) { wanted.get(sessionId)?.down.add(cameraId); const f = await feedOf(sessionId).catch(() => null); f?.send({ stop: cameraId }); },
    async cameraUp(sessionId, cameraId) { wanted.get(sessionId)?.down.delete(cameraId); const f = await feedOf(sessionId).catch(() => null); if (f && serve(f, cameraId, true)) o.onChange?.(); },
    url(sessionId, cameraId) {
      const f = feeds.get(sessionId);
      return f && f.cameraIds.includes(cameraId) && f.withFootage.has(cameraId) ? `rtsp://127.0.0.1:${f.port}/${encodeURIComponent(cameraId)}` : null;
    },
    codec: (sessionId, cameraId) => feeds.get(sessionId)?.codecs.get(cameraId),
    close() {
      clearInterval(refresh);
      for (const w of wanted.values()) clearTimeout(w.timer);
      wanted.clear();
      for (const f of feeds.values()) { f.child.stdin?.end(); f.child.kill('SIGTERM'); }
      feeds.clear();
    },
  };
}
