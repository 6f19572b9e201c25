/**
 * `node scripts/bench-worker.mjs [--n 4 --sec 30 --rounds 2 --variants file.json]`: CPU of the per-camera media
 * worker, as ratios within one run. One simulator; N workers per variant run at the same time on N cameras (so the
 * machine's other load hits every variant alike); CPU of each worker process from /proc over `sec` seconds, `rounds`
 * windows in a row. Every variant must deliver: access units per second and the capture clock (rtcp) are printed
 * beside the CPU, and recording variants count closed segments.
 * Default variants: the worker and pipeline before the CPU work (git ref BEFORE_REF) against the current ones, for
 * encoded delivery of a 360p sub-stream (a tile) and for a recorded 720p main stream no tile shows (key frames only
 * to the host, recording at the `rec` tee), and gst-launch-1.0 receiving the same stream without Python (the floor). `--variants` takes a JSON array of {name, pipeline?, worker?, profile?,
 * cfg?} to try other pipelines or worker files against each other.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGstPassthroughPipeline } from '../../native/pipelines/gstreamer.js';
import { startSimulator } from '../../native/simulator/control.js';
import { ROOT } from '../support/harness.js';
import { readProc } from '../support/procfs.js';

const arg = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1]! : d; };
const N = Number(arg('--n', '4'));
const SEC = Number(arg('--sec', '30'));
const ROUNDS = Number(arg('--rounds', '2'));
const BEFORE_REF = arg('--before', '576812e');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The encoded-delivery pipeline as BEFORE_REF built it (buildGstPassthroughPipeline('h264')). */
const BEFORE_PIPELINE = 'rtspsrc name=src ! rtph264depay name=depay ! h264parse name=parse ! tee name=rec'
  + ' ! queue name=decq max-size-buffers=0 max-size-bytes=0 max-size-time=2000000000 ! h264parse name=wparse config-interval=-1'
  + ' ! capsfilter caps="video/x-h264,stream-format=byte-stream,alignment=au" ! appsink name=sink sync=false enable-last-sample=false max-buffers=0';

/** A worker (pipeline, worker file, extra config), or with `gstLaunch` a plain gst-launch-1.0 description (URL for the camera) as the floor. */
interface Variant { name: string; pipeline?: string; worker?: string; profile?: 'main' | 'sub'; cfg?: Record<string, unknown>; gstLaunch?: string }

function beforeWorker(): string | null {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'kuzet-worker-before-'));
    for (const f of ['media_worker.py', 'motion.py']) {
      writeFileSync(join(dir, f), execFileSync('git', ['show', `${BEFORE_REF}:native/worker/${f}`], { cwd: ROOT }));
    }
    return join(dir, 'media_worker.py');
  } catch {
    return null;
  }
}

function defaultVariants(): Variant[] {
  const before = beforeWorker();
  const now = buildGstPassthroughPipeline('h264');
  const record = { main: true, keyframeOnly: true, record: { segmentMs: 4000 } };
  const floor = 'rtspsrc location=URL protocols=tcp latency=200 add-reference-timestamp-meta=true ! rtph264depay ! h264parse ! fakesink';
  return [
    { name: '360p, gst-launch receive only (the floor)', gstLaunch: floor, profile: 'sub' },
    ...(before ? [{ name: `360p tile, before (${BEFORE_REF})`, pipeline: BEFORE_PIPELINE, worker: before, profile: 'sub' as const }] : []),
    { name: '360p tile, now', pipeline: now, profile: 'sub' },
    { name: '720p, gst-launch receive only (the floor)', gstLaunch: floor, profile: 'main' },
    ...(before ? [{ name: `720p recorded, no tile, before (${BEFORE_REF})`, pipeline: BEFORE_PIPELINE, worker: before, profile: 'main' as const, cfg: record }] : []),
    { name: '720p recorded, no tile, now', pipeline: now, profile: 'main', cfg: record },
  ];
}

interface Running { v: Variant; proc: ChildProcess; frames: number; clock: string; segments: number; errors: string[] }

async function main(): Promise<void> {
  const file = arg('--variants', '');
  const variants: Variant[] = file ? JSON.parse(readFileSync(file, 'utf8')) as Variant[] : defaultVariants();
  const recDir = mkdtempSync(join(tmpdir(), 'kuzet-worker-bench-'));
  const sim = await startSimulator({ camerasFile: 'none', extra: N });
  const ids = Array.from({ length: N }, (_, i) => `cam-extra-${String(i + 1).padStart(2, '0')}`);
  const workers: Running[] = [];
  // interleaved start order: no variant always connects first
  for (const id of ids) {
    for (const [vi, v] of variants.entries()) {
      const url = sim.url(id, v.profile ?? 'sub');
      const proc = v.gstLaunch
        ? spawn('gst-launch-1.0', ['-q', ...v.gstLaunch.replace('URL', url).split(' ')], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] })
        : spawn('/usr/bin/python3', [v.worker ?? join(ROOT, 'native/worker/media_worker.py')], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
      const w: Running = { v, proc, frames: 0, clock: '-', segments: 0, errors: [] };
      proc.stdout!.resume();
      let tail = '';
      proc.stderr!.setEncoding('utf8');
      proc.stderr!.on('data', (d: string) => {
        const lines = (tail + d).split('\n');
        tail = lines.pop() ?? '';
        for (const l of lines) {
          try {
            const r = JSON.parse(l) as { type: string; frames?: number; source?: string; event?: string; state?: string; message?: string };
            if (r.type === 'stats' && typeof r.frames === 'number') w.frames = r.frames;
            else if (r.type === 'clock' && r.source) w.clock = r.source;
            else if (r.type === 'segment' && r.event === 'closed') w.segments += 1;
            else if ((r.type === 'state' && r.state === 'error') || (r.type === 'recording' && r.state === 'error')) w.errors.push(r.message ?? '');
          } catch { /* not a report */ }
        }
      });
      workers.push(w);
      if (v.gstLaunch) continue;
      const cfg: Record<string, unknown> = { pipeline: v.pipeline ?? buildGstPassthroughPipeline('h264'), url, encoded: true, latencyMs: 200, generation: 1, ...v.cfg };
      if (cfg.record) {
        const dir = join(recDir, `v${vi}`, id);
        mkdirSync(dir, { recursive: true });
        cfg.record = { ...(cfg.record as object), dir };
      }
      proc.stdin!.write(JSON.stringify(cfg) + '\n');
    }
  }
  await sleep(8000); // Python + GStreamer start-up, first key frame, first RTCP sender report
  process.stdout.write(`worker CPU: ${N} workers per variant, simulator cameras (360p sub 1 Mbit/s, 720p main 4 Mbit/s, 25 fps), ${ROUNDS} x ${SEC} s\n\n`);
  const results = variants.map(() => [] as string[]);
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = workers.map((w) => readProc(w.proc.pid!)?.ticks ?? 0);
    const f0 = workers.map((w) => w.frames);
    const load0 = loadavg()[0]!;
    await sleep(SEC * 1000);
    const t1 = workers.map((w) => readProc(w.proc.pid!)?.ticks ?? 0);
    const f1 = workers.map((w) => w.frames);
    process.stdout.write(`round ${r + 1}: load average ${load0.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)}\n`);
    variants.forEach((v, vi) => {
      const idx = workers.map((w, i) => (w.v === v ? i : -1)).filter((i) => i >= 0);
      const pct = idx.reduce((s, i) => s + (t1[i]! - t0[i]!), 0) / idx.length / SEC; // ticks are 1/100 s: % of one core
      const fps = idx.reduce((s, i) => s + (f1[i]! - f0[i]!), 0) / idx.length / SEC;
      results[vi]!.push(`${pct.toFixed(2)} (${fps.toFixed(1)}/s)`);
    });
  }
  for (const w of workers) { try { process.kill(-w.proc.pid!, 'SIGKILL'); } catch { /* gone */ } }
  await sim.close();
  process.stdout.write('\n| variant | CPU per worker, % of one core (units to the host per second), per round | clock | segments closed | errors |\n|---|---|---|---|---|\n');
  variants.forEach((v, vi) => {
    const mine = workers.filter((w) => w.v === v);
    const clocks = [...new Set(mine.map((w) => w.clock))].join(',');
    const errors = mine.flatMap((w) => w.errors).slice(0, 2).join('; ') || '-';
    process.stdout.write(`| ${v.name} | ${results[vi]!.join(' / ')} | ${clocks} | ${mine.reduce((s, w) => s + w.segments, 0)} | ${errors} |\n`);
  });
  rmSync(recDir, { recursive: true, force: true });
}

await main();
