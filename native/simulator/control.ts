/**
 * Node client for the camera simulator (native/simulator/simulator.py): starts it as a child
 * process in its own process group, waits for its ready line and drives its control API.
 * Used by tests, the benchmark and the demo start script.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';

const ROOT = PROJECT_ROOT; // found by walking up: this file is also bundled into dist/
const PYTHON = '/usr/bin/python3'; // Debian's Python has gi; the pyenv one on PATH does not
const SCRIPT = path.join(ROOT, 'native/simulator/simulator.py');
const MAKE_CLIPS = path.join(ROOT, 'native/simulator/make_clips.sh');
export const DEMO_CITY_FILE = path.join(ROOT, 'resources/demo-city.json');
export const CLIPS_DIR = path.join(ROOT, 'resources/clips');

export type SimProfile = 'main' | 'sub';
export type SimMainSize = '1080p' | '720p' | '480p';
/** What a simulated camera's streams carry (H.265 plays the scenes make_clips.sh transcodes, manifest-h265.json). */
export type SimCodec = 'h264' | 'h265';

/** One stream of a simulated camera as the simulator reports it. */
export interface SimStream {
  url: string;
  /** Scene actually played (a size missing for the camera's scene falls back to one that has it). */
  scene: string;
  file: string;
  codec: SimCodec;
  width: number;
  height: number;
  slicesPerFrame: number;
}

/** State of a simulated camera (GET /cameras). */
export interface SimCamera {
  id: string;
  name: string;
  kind: string;
  scene: string;
  online: boolean;
  stalled: boolean;
  corrupting: boolean;
  timestamp: boolean;
  /** Ground-truth mode: every frame sent is reported to `onTruth` listeners. */
  truth: boolean;
  mainSize: SimMainSize;
  codec: SimCodec;
  /** Streams of this camera with at least one RTSP client right now. */
  activeStreams: number;
  streams: Record<SimProfile, SimStream>;
}

/** A moving object of a scene at one frame, as drawn (native/simulator/sim_scenes.py), normalised 0..1. */
export interface SimTruthObject { track: string; label: string; colour: string; x: number; y: number; w: number; h: number }

/** Ground truth of one frame the simulator sent on one stream (truth mode). */
export interface SimTruth {
  camera: string;
  profile: SimProfile;
  scene: string;
  /** Frame index in the clip loop (0..249): the objects' positions are a function of it. */
  frame: number;
  /** The frame's capture time on the sender's wall clock, as RTCP sender reports carry it to receivers. */
  captureMs: number;
  /** Visible moving objects at this frame. */
  objects: SimTruthObject[];
}

/** A camera of resources/demo-city.json. */
export interface DemoCamera {
  id: string;
  name: string;
  kind: 'fixed' | 'ptz' | 'drone' | 'robot' | 'body';
  group: string;
  tags: string[];
  location: { lat: number; lon: number; heading?: number; fov?: number };
  scene: string;
}

export interface SimulatorOptions {
  /** 0 or absent = a free port chosen by the simulator. */
  rtspPort?: number;
  controlPort?: number;
  /** Generic cameras cam-extra-01.. added after the demo city ones. */
  extra?: number;
  /** Demo-city style JSON; 'none' serves only the extra cameras. Default resources/demo-city.json. */
  camerasFile?: string;
  /** Start every camera in time-stamp mode (live encoding, wall clock burned into each frame). */
  timestampAll?: boolean;
  /** Serve only these camera ids (fewer mounts, faster start). */
  only?: string[];
  /** The clip frame sent at capture time c is floor(c / 40 ms) mod the loop on every stream (sceneTruthTable). */
  sceneClock?: boolean;
  /** Also serve the KLV drone (resources/map/klv-drone.json): MPEG-TS with MISB ST 0601 metadata over TCP. */
  klv?: boolean;
  clipsDir?: string;
}

/** The simulator's KLV drone: its camera, its unit id and the tcp:// URL of its MPEG-TS stream. */
export interface SimKlvDrone { camera: string; unitId: string; url: string }

/** A running simulator. The caller owns it and must close() it. */
export interface Simulator {
  rtspBase: string;
  rtspPort: number;
  controlPort: number;
  pid: number;
  /** With `klv: true`: the KLV drone's stream. */
  klv: SimKlvDrone | null;
  url(cameraId: string, profile: SimProfile): string;
  cameras(): Promise<SimCamera[]>;
  /** Camera offline: existing sessions are dropped, new ones get 404. */
  stop(id: string): Promise<SimCamera>;
  start(id: string): Promise<SimCamera>;
  restart(id: string): Promise<SimCamera>;
  /** Keep RTSP/RTP sessions open but send no video. */
  stall(id: string): Promise<SimCamera>;
  unstall(id: string): Promise<SimCamera>;
  /** Damage slice data for `seconds`; decoders report errors. */
  corrupt(id: string, seconds: number): Promise<SimCamera>;
  /** Main stream size; switches at the next keyframe on the same mount (new SPS). */
  resolution(id: string, size: SimMainSize): Promise<SimCamera>;
  /** Codec of both streams; a change drops the camera's sessions so clients reconnect to the new streams. */
  codec(id: string, codec: SimCodec): Promise<SimCamera>;
  /** Time-stamp mode; toggling drops the camera's sessions so clients reconnect into the new mode. */
  timestamp(id: string, on: boolean): Promise<SimCamera>;
  /** Ground-truth mode: each frame sent on any of the camera's streams is reported to `onTruth` listeners. */
  truth(id: string, on: boolean): Promise<SimCamera>;
  /** Listens to ground truth of cameras in truth mode; returns the unsubscribe function. */
  onTruth(cb: (t: SimTruth) => void): () => void;
  close(): Promise<void>;
}

/** Cameras of resources/demo-city.json (or another file of the same shape). */
export function demoCameras(file = DEMO_CITY_FILE): DemoCamera[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { cameras?: DemoCamera[] };
  if (!Array.isArray(doc.cameras)) throw new Error(`${file}: no "cameras" array`);
  return doc.cameras;
}

/** Per scene, the visible moving objects at each clip frame (0..249), from sim_scenes.py (one definition). */
export type SceneTruthTable = Record<string, SimTruthObject[][]>;

/** Evaluates every scene's object paths once (about a second). With `sceneClock`, frame = floor(captureMs / 40) mod 250. */
export function sceneTruthTable(): Promise<SceneTruthTable> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [path.join(ROOT, 'native/simulator/sim_scenes.py'), 'table'], { maxBuffer: 16 << 20 }, (err, out) => {
      if (err) { reject(new Error(`sim_scenes.py table failed: ${err.message}`)); return; }
      try { resolve(JSON.parse(out) as SceneTruthTable); } catch (e) { reject(new Error(`sim_scenes.py table: ${(e as Error).message}`)); }
    });
  });
}

let clipsRun: Promise<void> | undefined;

/** Generates resources/clips when missing or stale (about 80 s once; instant afterwards). */
export function ensureClips(): Promise<void> {
  clipsRun ??= new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [MAKE_CLIPS], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`make_clips.sh failed (exit ${code}): ${err.slice(-2000)}`));
    });
  }).finally(() => { clipsRun = undefined; });
  return clipsRun;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}

function waitReady(child: ChildProcess, timeoutMs: number): Promise<{ rtspPort: number; controlPort: number; klv?: SimKlvDrone }> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`simulator not ready after ${timeoutMs} ms: ${err.slice(-2000)}`)), timeoutMs);
    const fail = (e: Error): void => { clearTimeout(timer); killGroup(child, 'SIGKILL'); reject(e); };
    child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
    const onData = (d: Buffer): void => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes('"ready"'));
      if (!line) return;
      child.stdout?.off('data', onData);
      clearTimeout(timer);
      const ready = JSON.parse(line) as { rtspPort: number; controlPort: number; klv?: SimKlvDrone };
      resolve({ rtspPort: ready.rtspPort, controlPort: ready.controlPort, ...(ready.klv ? { klv: ready.klv } : {}) });
    };
    child.stdout?.on('data', onData);
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`simulator exited (${code}) before ready: ${err.slice(-2000)}`)));
  });
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  if (!opts.clipsDir) await ensureClips();
  const args = [SCRIPT, '--rtsp-port', String(opts.rtspPort ?? 0), '--control-port', String(opts.controlPort ?? 0),
    '--cameras', opts.camerasFile ?? DEMO_CITY_FILE, '--extra', String(opts.extra ?? 0),
    '--clips', opts.clipsDir ?? CLIPS_DIR];
  if (opts.timestampAll) args.push('--timestamp-all');
  if (opts.sceneClock) args.push('--scene-clock');
  if (opts.klv) args.push('--klv');
  if (opts.only?.length) args.push('--only', opts.only.join(','));
  const child = spawn(PYTHON, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const onExit = (): void => killGroup(child, 'SIGKILL');
  process.on('exit', onExit);
  let ready: { rtspPort: number; controlPort: number; klv?: SimKlvDrone };
  try {
    ready = await waitReady(child, 30_000);
  } catch (e) {
    process.off('exit', onExit);
    throw e;
  }
  const truthListeners = new Set<(t: SimTruth) => void>();
  let pending = '';
  child.stdout?.on('data', (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    if (!truthListeners.size) return;
    for (const l of lines) {
      if (!l.startsWith('{"truth"')) continue;
      let t: SimTruth;
      try { t = (JSON.parse(l) as { truth: SimTruth }).truth; } catch { continue; }
      for (const cb of truthListeners) cb(t);
    }
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const rtspBase = `rtsp://127.0.0.1:${ready.rtspPort}`;
  const control = `http://127.0.0.1:${ready.controlPort}`;

  async function call<T>(method: 'GET' | 'POST', route: string): Promise<T> {
    const res = await fetch(control + route, { method });
    const body = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`simulator ${method} ${route}: ${res.status} ${body.error ?? ''}`);
    return body;
  }
  const act = (id: string, action: string, query = ''): Promise<SimCamera> =>
    call<SimCamera>('POST', `/cameras/${encodeURIComponent(id)}/${action}${query}`);

  return {
    rtspBase,
    rtspPort: ready.rtspPort,
    controlPort: ready.controlPort,
    pid: child.pid ?? -1,
    klv: ready.klv ?? null,
    url: (id, profile) => `${rtspBase}/${id}/${profile}`,
    cameras: () => call<SimCamera[]>('GET', '/cameras'),
    stop: (id) => act(id, 'stop'),
    start: (id) => act(id, 'start'),
    restart: (id) => act(id, 'restart'),
    stall: (id) => act(id, 'stall'),
    unstall: (id) => act(id, 'unstall'),
    corrupt: (id, seconds) => act(id, 'corrupt', `?seconds=${seconds}`),
    resolution: (id, size) => act(id, 'resolution', `?size=${size}`),
    codec: (id, codec) => act(id, 'codec', `?codec=${codec}`),
    timestamp: (id, on) => act(id, 'timestamp', `?on=${on ? 1 : 0}`),
    truth: (id, on) => act(id, 'truth', `?on=${on ? 1 : 0}`),
    onTruth(cb) { truthListeners.add(cb); return () => { truthListeners.delete(cb); }; },
    async close() {
      process.off('exit', onExit);
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL'); // anything the simulator itself left in its group
    },
  };
}
