/**
 * `npm run bench:motion [-- --n 4 --sec 20]`: what built-in motion detection costs per camera, as ratios within one
 * run. Against one simulator, N media workers per variant run at the same time (so the machine's other load hits
 * every variant alike) on the sub-streams of N cameras; CPU of each worker process from /proc over `sec` seconds.
 * Variants: encoded delivery without motion / + motion on key frames / + motion decoding every frame; host-decoded
 * 480x270 without / with motion (tap after the wall's decoder). Prints a Markdown table (docs/performance.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { buildGstDecodePipeline, buildGstPassthroughPipeline } from '../../native/pipelines/gstreamer.js';
import { startSimulator } from '../../native/simulator/control.js';
import { ROOT } from '../support/harness.js';
import { readProc } from '../support/procfs.js';

const arg = (name: string, d: number) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : d; };
const N = arg('--n', 4);
const SEC = arg('--sec', 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Variant { name: string; pipeline: string; encoded: boolean; motion?: { decode: 'keyframes' | 'all' } }
const VARIANTS: Variant[] = [
  { name: 'encoded, no motion', pipeline: buildGstPassthroughPipeline('h264'), encoded: true },
  { name: 'encoded + motion on key frames (default)', pipeline: buildGstPassthroughPipeline('h264', 'keyframes'), encoded: true, motion: { decode: 'keyframes' } },
  { name: 'encoded + motion decoding every frame', pipeline: buildGstPassthroughPipeline('h264', 'all'), encoded: true, motion: { decode: 'all' } },
  { name: 'host-decoded 480x270, no motion', pipeline: buildGstDecodePipeline({ codec: 'h264', width: 480, height: 272 }), encoded: false },
  { name: 'host-decoded 480x270 + motion (tap, 5 fps)', pipeline: buildGstDecodePipeline({ codec: 'h264', width: 480, height: 272, motion: true }), encoded: false, motion: { decode: 'all' } },
];

async function main(): Promise<void> {
  const sim = await startSimulator({ camerasFile: 'none', extra: N });
  const ids = Array.from({ length: N }, (_, i) => `cam-extra-${String(i + 1).padStart(2, '0')}`);
  const workers: { v: Variant; proc: ChildProcess; motionEvents: number }[] = [];
  for (const v of VARIANTS) {
    for (const id of ids) {
      const proc = spawn('/usr/bin/python3', [join(ROOT, 'native/worker/media_worker.py')], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
      const w = { v, proc, motionEvents: 0 };
      proc.stdout!.resume();
      proc.stderr!.on('data', (d: Buffer) => { w.motionEvents += (d.toString().match(/"type": "motion"/g) ?? []).length; });
      proc.stdin!.write(JSON.stringify({ pipeline: v.pipeline, url: sim.url(id, 'sub'), encoded: v.encoded, ...(v.motion ? { motion: { sensitivity: 50, masks: [], decode: v.motion.decode } } : {}) }) + '\n');
      workers.push(w);
    }
  }
  await sleep(6000); // connect, first key frame, background learnt
  const t0 = workers.map((w) => readProc(w.proc.pid!)?.ticks ?? 0);
  const load0 = loadavg()[0]!;
  await sleep(SEC * 1000);
  const t1 = workers.map((w) => readProc(w.proc.pid!)?.ticks ?? 0);
  const load1 = loadavg()[0]!;
  for (const w of workers) { try { process.kill(-w.proc.pid!, 'SIGKILL'); } catch { /* gone */ } }
  await sim.close();
  const rows = VARIANTS.map((v) => {
    const idx = workers.map((w, i) => (w.v === v ? i : -1)).filter((i) => i >= 0);
    const pct = idx.reduce((s, i) => s + (t1[i]! - t0[i]!), 0) / idx.length / SEC; // ticks are 1/100 s: % of one core
    const events = idx.reduce((s, i) => s + workers[i]!.motionEvents, 0);
    return { name: v.name, pct, events };
  });
  const base = (name: string) => rows.find((r) => r.name.startsWith(name))!.pct;
  process.stdout.write(`motion cost: ${N} workers per variant on simulator sub-streams (640x360, 25 fps, GOP 25), ${SEC} s, load average ${load0.toFixed(1)} -> ${load1.toFixed(1)}\n\n`);
  process.stdout.write('| variant | CPU per worker, % of one core | extra over its baseline | motion events |\n|---|---|---|---|\n');
  for (const r of rows) {
    const b = r.name.startsWith('encoded') ? base('encoded, no') : base('host-decoded 480x270, no');
    process.stdout.write(`| ${r.name} | ${r.pct.toFixed(2)} | ${r.pct === b ? '-' : `+${(r.pct - b).toFixed(2)}`} | ${r.events} |\n`);
  }
}

await main();
