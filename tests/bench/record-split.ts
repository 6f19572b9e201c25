/**
 * Where a recorded camera's worker CPU goes, measured within one run on the same simulator cameras (720p main):
 * (a) what the host runs for a recorded camera no tile shows: encoded passthrough (no decoder), key frames only to
 * the host (health), recording at the tee; (b) the same without recording (the connection alone); (c) for scale,
 * the older record-only worker that decoded a key frame a second at 160x90, without recording; (d) as (a), also
 * recording the camera's 360p sub-stream (its own connection in the same worker, remux only).
 * recording = a - b, sub-stream recording = d - a. Percent of one core per worker.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGstDecodePipeline, buildGstPassthroughPipeline, buildGstRecordPipeline } from '../../native/pipelines/gstreamer.js';
import type { Simulator } from '../../native/simulator/control.js';
import { ROOT } from '../support/harness.js';

const ticks = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return Number(f[11]) + Number(f[12]); };

export async function recordSplit(sim: Simulator, cams: [string, string, string, string?], seconds: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-split-'));
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'd'));
  const worker = (cam: string, cfg: Record<string, unknown>) => {
    const p = spawn('/usr/bin/python3', [join(ROOT, 'native/worker/media_worker.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
    p.stdout.resume();
    p.stderr.resume();
    p.stdin.write(JSON.stringify({ url: sim.url(cam, 'main'), latencyMs: 200, generation: 1, main: true, ...cfg }) + '\n');
    return p;
  };
  const dec = buildGstDecodePipeline({ codec: 'h264', width: 160, height: 90, threads: 1, scaleMethod: 'bilinear' });
  const pass = buildGstPassthroughPipeline('h264');
  const ws = {
    recordingWorker: worker(cams[0], { pipeline: pass, encoded: true, keyframeOnly: true, record: { dir: join(dir, 'a'), segmentMs: 4000 } }),
    withoutRecording: worker(cams[1], { pipeline: pass, encoded: true, keyframeOnly: true }),
    keyframeDecodeWorker: worker(cams[2], { pipeline: dec, keyframeOnly: true }),
    ...(cams[3] ? { withSubStream: worker(cams[3], { pipeline: pass, encoded: true, keyframeOnly: true,
      record: { dir: join(dir, 'd'), segmentMs: 4000, sub: { dir: join(dir, 'd', 'sub'), url: sim.url(cams[3], 'sub'), pipeline: buildGstRecordPipeline('h264') } } }) } : {}),
  };
  try {
    await new Promise((r) => setTimeout(r, 8000)); // past Python + GStreamer start-up
    const t0 = Object.fromEntries(Object.entries(ws).map(([k, p]) => [k, ticks(p.pid!)]));
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const out: Record<string, number> = {};
    for (const [k, p] of Object.entries(ws)) out[k] = Math.round(((ticks(p.pid!) - (t0[k] as number)) / seconds) * 100) / 100; // ticks are 1/100 s
    out.recordingBranch = Math.round(((out.recordingWorker as number) - (out.withoutRecording as number)) * 100) / 100;
    if (out.withSubStream !== undefined) out.subStreamRecording = Math.round((out.withSubStream - (out.recordingWorker as number)) * 100) / 100;
    return out;
  } finally {
    for (const p of Object.values(ws)) p.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
