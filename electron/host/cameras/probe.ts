/**
 * Asks ffprobe what a camera stream carries (codec, size, fps) and classifies failures in the
 * operator's words. Credentials travel to ffprobe inside the URL argument (ffprobe has no other
 * way to take RTSP credentials); that argv is never logged, and error text is redacted.
 * ffprobe runs in its own process group, killed on timeout and when the host exits.
 */
import { spawn } from 'node:child_process';
import type { ProbeResult, VideoCodec } from '../../contract/schemas.js';
import { redact, type Logger } from '../log.js';
import { withCredentials } from './url-policy.js';

export const FFPROBE = '/usr/bin/ffprobe';
export const PROBE_TIMEOUT_MS = 8000;
export const SUPPORTED_CODECS = ['h264', 'hevc'] as const;

/** ffprobe's codec name as Kuzet's VideoCodec; undefined for anything Kuzet does not decode. */
export function videoCodecOf(ffprobeCodec: string | undefined): VideoCodec | undefined {
  return ffprobeCodec === 'h264' ? 'h264' : ffprobeCodec === 'hevc' ? 'h265' : undefined;
}

export interface ProbeOptions {
  timeoutMs?: number;
  ffprobe?: string;
  log?: Logger | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;
function killGroup(pid: number): void {
  try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
}
function trackGroup(pid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => { for (const p of liveGroups) killGroup(p); });
  }
  liveGroups.add(pid);
}

/** ffprobe's argv for a URL; rtsp gets TCP transport and a socket timeout, http a read timeout. */
export function probeArgs(url: string, timeoutMs = PROBE_TIMEOUT_MS): string[] {
  const io = String(Math.max(1000, timeoutMs - 2000) * 1000); // microseconds, below the hard timeout
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  const transport = scheme === 'rtsp' || scheme === 'rtsps' ? ['-rtsp_transport', 'tcp', '-timeout', io]
    : scheme === 'http' || scheme === 'https' ? ['-rw_timeout', io] : [];
  return ['-v', 'error', ...transport, '-show_streams', '-show_entries', 'packet=stream_index,pts_time,dts_time,flags',
    '-read_intervals', `%+${KEYFRAME_READ_S}`, '-of', 'json', url];
}

/** Seconds of packets the probe reads to time the key frames (a live stream takes this long to probe). */
export const KEYFRAME_READ_S = 2.5;

/**
 * The key-frame interval from the probe's packets of one stream: the mean gap between key packets (ms; 12 and 13
 * frames alternating at 25 fps are 0.5 s), or, with fewer than two, a lower bound: the longest stretch of the read
 * without a key frame on either side.
 */
export function keyframeInterval(packets: Array<{ t: number; key: boolean }>): Pick<ProbeResult, 'keyframeIntervalMs' | 'keyframeIntervalAtLeast'> {
  if (packets.length < 2) return {};
  const ts = packets.map((p) => p.t);
  const first = Math.min(...ts);
  const last = Math.max(...ts);
  const keys = [...new Set(packets.filter((p) => p.key).map((p) => p.t))].sort((a, b) => a - b);
  const ms = (s: number) => Math.round(s * 1000);
  if (keys.length >= 2) return { keyframeIntervalMs: ms((keys.at(-1)! - keys[0]!) / (keys.length - 1)) };
  const bound = keys.length === 1 ? Math.max(keys[0]! - first, last - keys[0]!) : last - first;
  return { keyframeIntervalMs: ms(bound), keyframeIntervalAtLeast: true };
}

function fps(rate: unknown): number | undefined {
  if (typeof rate !== 'string') return undefined;
  const [n, d] = rate.split('/').map(Number);
  if (!n || !d || !Number.isFinite(n / d)) return undefined;
  return Math.round((n / d) * 100) / 100;
}

/** Turns ffprobe's stderr into an error kind and a sentence; exported for unit tests. */
export function classifyProbeError(stderr: string): Pick<ProbeResult, 'errorKind' | 'error'> {
  const text = stderr.toLowerCase();
  const has = (...needles: string[]) => needles.some((n) => text.includes(n));
  if (has('unauthorized', 'authorization failed')) return { errorKind: 'auth', error: 'wrong user name or password (the camera answered 401 Unauthorized)' };
  if (has('connection refused')) return { errorKind: 'unreachable', error: 'camera unreachable: connection refused (nothing listens at that host and port)' };
  if (has('no route to host', 'network is unreachable', 'host is unreachable')) return { errorKind: 'unreachable', error: 'camera unreachable: no route to the host' };
  if (has('name or service not known', 'temporary failure in name resolution', 'failed to resolve', 'cannot resolve')) return { errorKind: 'unreachable', error: 'camera unreachable: the host name does not resolve' };
  if (has('timed out', 'timeout')) return { errorKind: 'unreachable', error: 'camera unreachable: the connection timed out' };
  if (has('not found', 'no such file')) return { errorKind: 'invalid', error: 'no stream at this address (404 Not Found / no such file): check the path' };
  if (has('invalid data found', 'unsupported protocol', 'protocol not found')) return { errorKind: 'invalid', error: 'the address does not serve a video stream Kuzet can read' };
  const first = stderr.split('\n').map((l) => l.trim()).find(Boolean) ?? 'ffprobe failed without a message';
  return { errorKind: 'other', error: String(redact(first)).slice(0, 300) };
}

/** Classifies ffprobe's JSON; exported for unit tests. */
export function readProbeJson(stdout: string): ProbeResult {
  let parsed: { streams?: Array<Record<string, unknown>>; packets?: Array<Record<string, unknown>> } | null;
  try { parsed = JSON.parse(stdout) as typeof parsed; } catch {
    return { ok: false, errorKind: 'invalid', error: 'ffprobe returned unreadable output' };
  }
  const streams = Array.isArray(parsed?.streams) ? parsed.streams : [];
  const video = streams.find((s) => s.codec_type === 'video');
  if (!video) return { ok: false, errorKind: 'invalid', error: 'the stream has no video' };
  const codec = String(video.codec_name ?? 'unknown');
  const packets = (Array.isArray(parsed?.packets) ? parsed.packets : []).flatMap((p) => {
    const t = Number(p.pts_time ?? p.dts_time);
    return p.stream_index === video.index && Number.isFinite(t) ? [{ t, key: String(p.flags ?? '').includes('K') }] : [];
  });
  const facts = {
    ...keyframeInterval(packets),
    codec,
    ...(typeof video.width === 'number' ? { width: video.width } : {}),
    ...(typeof video.height === 'number' ? { height: video.height } : {}),
    ...((fps(video.avg_frame_rate) ?? fps(video.r_frame_rate)) !== undefined ? { fps: fps(video.avg_frame_rate) ?? fps(video.r_frame_rate)! } : {}),
  };
  if (!(SUPPORTED_CODECS as readonly string[]).includes(codec)) {
    return { ok: false, ...facts, errorKind: 'codec', error: `unsupported codec ${codec}: Kuzet decodes H.264 and H.265` };
  }
  return { ok: true, ...facts };
}

/** Never rejects: every failure becomes a ProbeResult with ok: false. */
export function probeStream(url: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const target = withCredentials(url, opts.username, opts.password);
  const started = Date.now();
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(opts.ffprobe ?? FFPROBE, probeArgs(target, timeoutMs), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ ok: false, errorKind: 'other', error: `cannot start ffprobe: ${(err as Error).message}` });
      return;
    }
    const pid = child.pid;
    if (pid) trackGroup(pid);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { if (stdout.length < 4_000_000) stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (stderr.length < 100_000) stderr += d; });
    const timer = setTimeout(() => { timedOut = true; if (pid) killGroup(pid); }, timeoutMs);
    const finish = (result: ProbeResult) => {
      clearTimeout(timer);
      if (pid) { killGroup(pid); liveGroups.delete(pid); }
      opts.log?.info('probe finished', { url, ms: Date.now() - started, ok: result.ok, errorKind: result.errorKind, codec: result.codec });
      resolve(result);
    };
    child.on('error', (err) => finish({ ok: false, errorKind: 'other', error: `cannot start ffprobe: ${err.message}` }));
    child.on('close', (code) => {
      if (timedOut) finish({ ok: false, errorKind: 'timeout', error: `no answer within ${Math.round(timeoutMs / 1000)} s (camera unreachable or too slow)` });
      else if (code === 0) finish(readProbeJson(stdout));
      else finish({ ok: false, ...classifyProbeError(stderr) });
    });
  });
}
