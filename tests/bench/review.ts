/**
 * `npm run bench:review [-- --quick]`: recording, seek, sync and export figures on this machine, written to
 * bench/results/review.json and docs/benchmarks/review.md.
 *  - recordCpuPctPerStream: CPU of the media workers of 4 recorded 720p cameras no tile shows, per camera (% of one core).
 *    Each worker holds the camera connection, records at the `rec` tee and hands key frames to the host for health
 *    (encoded passthrough, no decoder). recordSplit (record-split.ts) separates the recording branch's share.
 *  The simulator's cameras run in time-stamp mode: each recorded frame carries its capture time burnt into its top
 *  band (native/simulator/timestamp-code.ts), so the figures below read the pictures, not the players' clocks.
 *  - seekP50Ms / seekP99Ms: on a realistic index (every segment its own file, a copy of a recorded segment: 2 hours,
 *    1,800 files with --quick; 24 hours, 21,600 files otherwise, when the disk has room), with the page cache dropped
 *    first (`echo 1 > /proc/sys/vm/drop_caches` as root, and posix_fadvise(DONTNEED) on every file; `cacheDrop` says
 *    which ran), the review grid in Chromium seeks to a random instant; time from the seek until a picture painted
 *    by the player carries the time stamp of that instant (read back in the page each animation frame: the video
 *    drawn into a canvas, its band decoded).
 *  - syncDriftMs: Chromium review grid, 4 cameras playing at 1x: median over samples of the largest difference
 *    between the time stamps read back from the four players' pictures in one task (syncClockDriftMs: the same from
 *    the players' clocks, for comparison).
 *  - exportRealtimeFactor: footage seconds exported per wall second (4 cameras, remux without re-encode + SHA-256 + signature).
 *  - exportVerified / tamperedRejected: export.verify and `kuzet verify` on the export, then on it with one byte changed.
 * Chromium runs as the app window (`npm start`'s flags, on an X display); `--headless` runs it headless (`details.display`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync, appendFileSync, statfsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { ApiClient } from '../support/api-client.js';
import { launchBrowser, ROOT, startWebShell, waitFor } from '../support/harness.js';
import { launchAppWindowBrowser } from '../support/app-window-browser.js';
import { measureCpu, median, percentile, tree } from '../support/procfs.js';
import { isWaitingStandby } from '../support/standby.js';
import { addRecordedCameras, segmentsOf, waitSegments } from '../support/recording.js';
import { segmentFile } from '../../electron/host/recording/segment.js';
import { recordSplit } from './record-split.js';
import { framesOf, installStampReader, readPaintedStamps, type StampWindow } from '../support/stamps.js';

const quick = process.argv.includes('--quick');
/** `--only seek,export` runs those phases (recording always runs: they need footage); results are not written. */
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice(7).split(',')) : null;
const phase = (name: string) => !only || only.has(name);
/** `--headless`: Chromium headless instead of the app window on an X display (the user's figure is the window's). */
const headless = process.argv.includes('--headless');
/** `--verbose`: the sync phase prints every sample's players (position, rate, paused, buffered) and the clock. */
const verbose = process.argv.includes('--verbose');
const launchPage = () => (headless ? launchBrowser() : launchAppWindowBrowser());
/** One seek as the review player traced it (ms after the request; see SeekTrace in renderer/review/review-player.ts). */
type SeekTrace = { list?: [number, number]; fetch?: [number, number]; bytes?: number; append?: [number, number]; seekIssued?: number; seeked?: number; painted?: number; recovered?: string[] };
const CAMS = ['cam-extra-01', 'cam-extra-02', 'cam-extra-03', 'cam-extra-04'];
const log = (m: string) => console.log(`[bench:review] ${m}`);
const round = (n: number | null, d = 1) => (n === null ? null : Math.round(n * 10 ** d) / 10 ** d);

/** Where a seek's time goes (ms after the request, [p50, p99] over the seeks), from the player's trace of each. */
function breakdownOf(traces: SeekTrace[]) {
  const pct = (xs: number[]) => (xs.length ? [round(median(xs)), round(percentile(xs, 99))] : null);
  const took = (k: 'list' | 'fetch' | 'append') => traces.flatMap((t) => (t[k] ? [t[k]![1] - t[k]![0]] : []));
  const at = (k: 'seekIssued' | 'seeked' | 'painted') => traces.flatMap((t) => (t[k] !== undefined ? [t[k]!] : []));
  return {
    listMs: pct(took('list')), fetchMs: pct(took('fetch')), appendMs: pct(took('append')),
    fetchBytes: pct(traces.flatMap((t) => (t.bytes ? [t.bytes] : []))),
    // from the later of the append's end and the seek's start to 'seeked': the decoder reaching the target
    decodeMs: pct(traces.flatMap((t) => (t.append && t.seeked !== undefined ? [t.seeked - Math.max(t.append[1], t.seekIssued ?? 0)] : []))),
    seekIssuedAtMs: pct(at('seekIssued')), appendEndAtMs: pct(traces.flatMap((t) => (t.append ? [t.append[1]] : []))),
    seekedAtMs: pct(at('seeked')), paintedAtMs: pct(at('painted')),
    samples: traces.length,
    // seeks whose player recovered a picture that did not come (refetch or reopen; renderer/review/seek-recovery.ts)
    recovered: traces.filter((t) => t.recovered?.length).length,
  };
}

function seekRows(b: ReturnType<typeof breakdownOf> | undefined): string[] {
  if (!b) return [];
  const f = (x: Array<number | null> | null) => (x ? `${String(x[0])} / ${String(x[1])}` : 'n/a');
  return [
    `| seek breakdown, p50 / p99 (ms): segment list | ${f(b.listMs)} | |`,
    `| fetch of the GOP holding the picture (bytes p50 ${String(b.fetchBytes?.[0])}) | ${f(b.fetchMs)} | |`,
    `| appendBuffer to updateend | ${f(b.appendMs)} | |`,
    `| decoder reaching the picture ('seeked' after the later of append end and seek start) | ${f(b.decodeMs)} | |`,
    `| after the request: seek issued / append done / 'seeked' / first frame at the target painted (requestVideoFrameCallback) | ${f(b.seekIssuedAtMs)} · ${f(b.appendEndAtMs)} · ${f(b.seekedAtMs)} · ${f(b.paintedAtMs)} | |`,
  ];
}

/** Drops the page cache of `files`: drop_caches when root may write it, and posix_fadvise(DONTNEED) per file. */
function dropPageCache(files: string[]): string {
  spawnSync('sync');
  const ran: string[] = [];
  try { writeFileSync('/proc/sys/vm/drop_caches', '1'); ran.push('drop_caches'); } catch (e) { log(`drop_caches not allowed here (${(e as Error).message.slice(0, 80)})`); }
  const py = [
    'import os, sys', 'n = 0',
    'for p in sys.stdin.read().split("\\n"):',
    '    if not p: continue',
    '    fd = os.open(p, os.O_RDONLY); os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd); n += 1',
    'print(n)'].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', py], { input: files.join('\n'), encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status === 0 && Number(r.stdout.trim()) === files.length) ran.push('posix_fadvise');
  else log(`posix_fadvise failed: ${r.stderr.slice(-300)}`);
  return ran.join('+') || 'none';
}

const sim = await startSimulator({ camerasFile: 'none', extra: CAMS.length });
const dataDir = mkdtempSync(join(tmpdir(), 'kuzet-bench-review-'));
let shell = await startWebShell({ dataDir });
let api = await ApiClient.connect(shell.info.origin, shell.info.token);
const results: Record<string, unknown> = { quick, display: headless ? 'headless' : 'window', at: new Date().toISOString() };
try {
  // ---- recording ---------------------------------------------------------------------------
  // main streams only: the seek and sync figures stay those of 720p (as before the sub-stream was recorded), and the
  // simulator's time-stamp mode encodes four streams, not eight; the sub-stream's own cost is recordSplit's
  await addRecordedCameras(api, sim, CAMS, 'continuous', { subStream: false });
  for (const c of CAMS) await waitSegments(api, c, 2, 60_000);
  if (phase('rec')) {
    await new Promise((r) => setTimeout(r, 5000)); // past worker start-up (Python + GStreamer init)
    // only workers alive for the whole window: a worker (re)started inside it would add its start-up to the figure
    const before = new Set(tree(shell.proc.pid!).filter((p) => p.cmdline.includes('media_worker.py') && !isWaitingStandby(p.pid)).map((p) => p.pid));
    const cpu = await measureCpu((p) => (p.cmdline.includes('media_worker.py') && before.has(p.pid) ? 'worker' : null), quick ? 15_000 : 40_000);
    results.recordCpuPctPerStream = round((cpu.byGroup.worker ?? 0) / Math.max(1, before.size), 2);
    results.recordWorkers = before.size;
    results.machineBusyPctDuringRecording = round(cpu.machineBusyPct);
    log(`recording: ${String(results.recordCpuPctPerStream)} % of a core per 720p stream (machine ${String(results.machineBusyPctDuringRecording)} % busy)`);
    // the same cameras, three workers side by side: what the recording branch itself costs, and what the rest is
    results.recordSplit = await recordSplit(sim, CAMS.slice(0, 4) as [string, string, string, string], quick ? 20 : 60);
    log(`recording split (% of a core per worker): ${JSON.stringify(results.recordSplit)}`);
  }

  // From here on the cameras burn their capture time into every frame (time-stamp mode: live x264 in the simulator,
  // about 20 % of a core per camera; switched on after the recording CPU phase so that figure stays the clips' one).
  // Switching drops the sessions: the workers reconnect and recording goes on in new segments.
  /** The start of the first stretch from `fromMs` on that every camera recorded without a gap, 15 s or longer. */
  const commonFootage = async (fromMs: number): Promise<number> => {
    const starts: number[] = [];
    const spans = await Promise.all(CAMS.map(async (cameraId) => {
      const { segments } = await api.call('playback.segments', { cameraId, fromMs, toMs: Date.now() });
      starts.push(...segments.map((sg) => sg.startMs));
      const out: Array<[number, number]> = [];
      for (const sg of segments) {
        const last = out.at(-1);
        if (last && sg.startMs - last[1] < 1500) last[1] = Math.max(last[1], sg.endMs); else out.push([sg.startMs, sg.endMs]);
      }
      return out;
    }));
    // switching to time-stamp mode dropped the sessions: the stamped footage starts with a new stretch after it
    for (const a of starts.filter((x) => x >= fromMs).sort((x, y) => x - y)) {
      const at = a + 1000;
      if (spans.every((sp) => sp.some(([s0, s1]) => s0 <= at && s1 >= at + 15_000))) return at;
    }
    throw new Error('no 15 s stretch recorded by all four cameras in time-stamp mode');
  };
  for (const c of CAMS) await sim.timestamp(c, true);
  const stampedFrom = Date.now(); // every camera's sessions were dropped by now: footage after this is stamped
  for (const c of CAMS) await waitSegments(api, c, (await segmentsOf(api, c)) + (quick ? 8 : 20), 240_000);

  if (phase('sync')) {
    // ---- synchronised playback in Chromium -----------------------------------------------------
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', CAMS, 'live', 'Live') });
    const b = await launchPage();
    try { // a phase that fails records why and the others still run

      const { page } = b;
      await page.goto(shell.info.url);
      await page.getByRole('button', { name: 'Review' }).click();
      await waitFor('spans', async () => (await page.locator('.tl-recorded').count()) >= 4, 20_000);
      const box = (await page.locator('.tl-row[data-camera="cam-extra-01"] .tl-recorded').first().boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.2, box.y + box.height / 2);
      // to the stamped footage: 2 s into the first stretch after the switch that all four cameras recorded
      const shown = () => page.evaluate(() => (window as unknown as { __kuzetReview: { shown(): Record<string, number | null> } }).__kuzetReview.shown());
      // a start where some player shows nothing within 30 s (seen on the loaded machine) is replaced by a later one
      const startsAt = [await commonFootage(stampedFrom) + 1000, stampedFrom + 12_000, stampedFrom + 20_000];
      for (const [k, at] of startsAt.entries()) {
        await page.evaluate((ms) => (window as unknown as { __kuzetReview: { seek(ms: number): void } }).__kuzetReview.seek(ms), at);
        try { await waitFor('pictures', async () => Object.values(await shown()).every((v) => v !== null), 30_000); break; } catch (e) {
          log(`sync: no picture on every player 30 s after seeking to ${new Date(at).toISOString()}: ${JSON.stringify(await shown())}; players ${JSON.stringify(await page.evaluate(() => (window as unknown as { __kuzetReview: { players(): unknown } }).__kuzetReview.players()))}`);
          await page.screenshot({ path: join(tmpdir(), 'kuzet-review-sync.png') }).catch(() => {});
          if (k === startsAt.length - 1) throw e;
        }
      }
      results.syncStartRecoveries = await page.evaluate(() => (window as unknown as { __kuzetReview: { players(): Array<{ recoveries: number }> } }).__kuzetReview.players().reduce((n, p) => n + p.recoveries, 0));
      await page.getByTestId('play').click();
      await page.waitForTimeout(2000); // the players get going before the sampled window (a benchmark: drift is its output)
      await installStampReader(page);
      // the time stamps of the four pictures as painted, read back in one task (video -> canvas -> band decoded)
      const stamps = () => readPaintedStamps(page);
      const spreads: number[] = [];
      const clockSpreads: number[] = [];
      /** Per camera, the picture's time stamp minus the player's position: constant parts are capture-to-record latency. */
      const offsets: number[][] = CAMS.map(() => []);
      let unreadable = 0;
      const position = () => page.evaluate(() => (window as unknown as { __kuzetReview: { position(): number } }).__kuzetReview.position());
      const p0 = await position();
      const t0 = Date.now();
      for (let i = 0; i < (quick ? 20 : 60); i++) {
        const { v, pos } = await stamps();
        if (v.length === 4 && v.every((x) => x !== null)) {
          spreads.push(Math.max(...(v as number[])) - Math.min(...(v as number[])));
          v.forEach((x, k) => offsets[k]!.push(x! - pos));
        } else unreadable++;
        const c = Object.values(await shown());
        if (verbose) log(`sync sample ${i}: clock ${String(await position())} stamps ${JSON.stringify(v)} pos ${String(pos)} players ${JSON.stringify(await page.evaluate(() => (window as unknown as { __kuzetReview: { players(): Array<Record<string, unknown>> } }).__kuzetReview.players().map((p) => ({ c: p.camera, st: p.stream, s: p.state, t: p.t, sh: p.shownMs, r: p.rate, p: p.paused, sk: p.seeking, rs: p.ready, b: p.buffered, n: p.near })))) }`);
        if (c.every((x) => x !== null)) clockSpreads.push(Math.max(...(c as number[])) - Math.min(...(c as number[])));
        await page.waitForTimeout(200);
      }
      // the clock waits for the slowest camera: how much of the sampling time it actually played
      results.syncPlayedPct = round(((await position()) - p0) / (Date.now() - t0) * 100);
      results.syncDriftMs = round(median(spreads));
      results.syncDriftP95Ms = round(percentile(spreads, 95));
      results.syncDriftMaxMs = spreads.length ? Math.max(...spreads) : null;
      results.syncSamples = spreads.length;
      results.syncUnreadable = unreadable;
      results.syncClockDriftMs = round(median(clockSpreads));
      results.syncStampMinusPositionMs = offsets.map((o) => round(median(o)));
      log(`sync (time stamps in the pictures): median ${String(results.syncDriftMs)} ms, p95 ${String(results.syncDriftP95Ms)} ms over ${spreads.length} samples (${unreadable} unreadable); players' clocks ${String(results.syncClockDriftMs)} ms; stamp - position per camera ${JSON.stringify(results.syncStampMinusPositionMs)} ms; the clock played ${String(results.syncPlayedPct)} % of the time`);
    } catch (err) {
      results.syncError = String(err).slice(0, 300);
      log(`sync: FAILED ${String(results.syncError)}`);
    } finally { await b.close(); }
  }

  if (phase('export')) {
    // ---- export, verify, tamper ----------------------------------------------------------------
    const status = await api.call('recording.status', {});
    const toMs = Math.min(...status.map((s) => s.lastSegmentEndMs ?? 0)) - 1000;
    const fromMs = toMs - (quick ? 25_000 : 60_000);
    const ex = await api.call('export.create', { cameraIds: CAMS, fromMs, toMs, reason: 'benchmark', by: 'bench' });
    results.exportRealtimeFactor = round(ex.footageMs / ex.tookMs);
    results.exportFootageS = round(ex.footageMs / 1000);
    results.exportTookMs = ex.tookMs;
    results.exportProfile = ex.profile;
    const v = await api.call('export.verify', { id: ex.id });
    const cli = () => spawnSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', ex.dir, '--data-dir', dataDir], { encoding: 'utf8' }).status;
    results.exportVerified = v.ok && cli() === 0;
    const f = join(ex.dir, ex.files[0]!.file);
    const bytes = readFileSync(f);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 1;
    writeFileSync(f, bytes);
    results.tamperedRejected = !(await api.call('export.verify', { id: ex.id })).ok && cli() === 1;
    log(`export: ${String(results.exportRealtimeFactor)}x real time (${String(results.exportFootageS)} s of footage in ${ex.tookMs} ms), verified ${String(results.exportVerified)}, tampered rejected ${String(results.tamperedRejected)}`);
  }

  if (phase('seek')) {
    // ---- seek on a realistic index: every segment its own file, the page cache dropped ----------
    api.close();
    await shell.close();
    const recRoot = join(dataDir, 'recordings');
    const camDir = join(recRoot, CAMS[0]!);
    // the recorded segments of one camera in time-stamp mode (from the second after the switch: the first may be cut
    // short) with the time stamp of each one's first frame
    const recorded = readdirSync(camDir, { recursive: true }).map(String).filter((x) => x.endsWith('.mp4')).sort()
      .filter((f) => Number(f.split('/').at(-1)!.split('.')[0]) > stampedFrom + 4000).slice(0, -1);
    const sources = recorded.flatMap((f) => {
      const path = join(camDir, f);
      const durMs = Math.round(Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path], { encoding: 'utf8' })) * 1000);
      const frames = framesOf(path, Date.now());
      return durMs >= 3000 && frames.filter((x) => x.stamp !== null).length > frames.length * 0.9 ? [{ path, durMs, frames, bytes: statSync(path).size }] : [];
    });
    if (!sources.length) throw new Error('no recorded segment with a readable time stamp to build the index from');
    const segMs = Math.min(...sources.map((x) => x.durMs)); // each slot plays the first segMs of its file
    const meanBytes = sources.reduce((a, x) => a + x.bytes, 0) / sources.length;
    // 2 hours with --quick, a day otherwise, within a quarter of the free disk
    const free = statfsSync(recRoot).bavail * statfsSync(recRoot).bsize;
    const wanted = Math.floor((quick ? 7_200_000 : 86_400_000) / segMs);
    const slots = Math.max(100, Math.min(wanted, Math.floor(free / 4 / meanBytes)));
    const spanMs = slots * segMs;
    const dayStart = Date.now() - 26 * 3_600_000;
    const synth = 'cam-day';
    const lines: string[] = [];
    const files: string[] = [];
    const slotSource: number[] = [];
    const tCopy = Date.now();
    for (let i = 0; i < slots; i++) {
      const start = dayStart + i * segMs;
      const file = segmentFile(synth, start);
      mkdirSync(join(recRoot, file, '..'), { recursive: true });
      const src = sources[i % sources.length]!;
      copyFileSync(src.path, join(recRoot, file)); // a file of its own: its own inode and blocks, cold after the drop
      files.push(join(recRoot, file));
      slotSource.push(i % sources.length);
      lines.push(JSON.stringify({ add: { cameraId: synth, startMs: start, endMs: start + segMs, file, bytes: src.bytes, status: 'ok' } }));
    }
    appendFileSync(join(recRoot, 'index.jsonl'), lines.join('\n') + '\n');
    results.indexSegments = lines.length;
    results.indexSpanHours = round(spanMs / 3_600_000, 2);
    results.indexBytes = Math.round(meanBytes * slots);
    log(`index: ${slots} distinct segment files (${round(meanBytes * slots / 1e9, 2)} GB, ${round(spanMs / 3_600_000, 2)} h) written in ${Date.now() - tCopy} ms`);
    results.cacheDrop = dropPageCache(files);
    log(`page cache dropped with: ${String(results.cacheDrop)}`);
    shell = await startWebShell({ dataDir });
    api = await ApiClient.connect(shell.info.origin, shell.info.token);
    await api.call('cameras.add', { camera: { id: synth, name: 'Day', mainUrl: sim.url(CAMS[0]!, 'main') }, probe: false });
    // the review grid in Chromium on that camera alone: seek to random instants, time until the picture at the target is painted
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('1', [synth], 'live', 'Live') });
    const seeks: number[] = [];
    const traces: SeekTrace[] = [];
    /** Frames between the picture painted and the frame at the target (-1: the one before), by count. */
    const landed: Record<string, number> = {};
    results.seekLandedFrameOffset = landed;
    const seekFailures: string[] = [];
    results.seekFailures = seekFailures;
    /** A random instant of the span (the middle of a frame) and the time stamp of the picture there. */
    const target = () => {
      for (;;) {
        const i = Math.floor(Math.random() * slots);
        const src = sources[slotSource[i]!]!;
        const k = Math.floor(Math.random() * (src.frames.length - 2));
        const f = src.frames[k]!;
        if (f.stamp === null || f.ptsMs + 60 > segMs) continue;
        const near = [src.frames[k - 1]?.stamp ?? null, f.stamp, src.frames[k + 1]?.stamp ?? null];
        return { at: dayStart + i * segMs + f.ptsMs + 20, stamp: f.stamp, near, frames: src.frames.map((x) => x.stamp) };
      }
    };
    const sb = await launchPage();
    try {
      const { page } = sb;
      await page.goto(shell.info.url);
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByTestId('review').waitFor();
      await installStampReader(page);
      // each animation frame, the picture the player shows is drawn into a canvas and its time stamp decoded: the seek
      // ends in the first frame whose painted picture is the one at the target (the frame holding it: stamp <= target
      // < stamp + 40 ms). Then the player's own trace of that seek (list, fetch, append, seek issued, seeked, painted).
      const seekOnce = (t: { at: number; stamp: number; near: Array<number | null> }) => page.evaluate(async ({ at, stamp, near, cam }) => {
        const r = (window as unknown as { __kuzetReview: { seek(ms: number): void; traces(): Record<string, unknown> } }).__kuzetReview;
        const dec = (window as unknown as StampWindow).__kuzetStamp.decodeTimestampBlocks;
        const video = document.querySelector<HTMLVideoElement>(`.review-cell[data-camera="${cam}"] video`)!;
        const c = document.createElement('canvas');
        c.width = 640; c.height = 360;
        const ctx = c.getContext('2d', { willReadFrequently: true })!;
        const t0 = performance.now();
        r.seek(at);
        let ms = -1, seen: number | null = null;
        for (;;) {
          await new Promise((res) => requestAnimationFrame(res));
          if (video.videoWidth) {
            ctx.drawImage(video, 0, 0, 640, 360);
            seen = dec(ctx.getImageData(0, 0, 640, 360).data, 640, 360, 640 * 4, 4, stamp, 600_000);
            // the frame at the target, or a neighbour (which one landed is counted: MSE and ffprobe may disagree by a
            // frame about where a file's first picture sits)
            if (seen !== null && near.includes(seen)) { ms = performance.now() - t0; break; }
          }
          if (performance.now() - t0 > 15_000) break;
        }
        for (let i = 0; i < 30 && ms >= 0 && (r.traces()[cam] as { painted?: number } | null)?.painted === undefined; i++) await new Promise((res) => requestAnimationFrame(res));
        return { ms, seen, trace: r.traces()[cam] as SeekTrace | null };
      }, { at: t.at, stamp: t.stamp, near: t.near, cam: synth });
      await seekOnce(target()); // the first seek opens the MediaSource and the decoder: not counted
      for (let i = 0; i < (quick ? 30 : 100); i++) {
        const t = target();
        const { ms, seen, trace } = await seekOnce(t);
        if (ms < 0) { // a finding, not a reason to lose the run: counted, described, and left out of the percentiles
          seekFailures.push(`wanted frame ${t.frames.indexOf(t.stamp)} of its file (stamp ${t.stamp}); the picture shown was ${seen === null ? 'unreadable' : t.frames.includes(seen) ? `frame ${t.frames.indexOf(seen)} of it` : `of another file (stamp ${seen - t.stamp} ms from the target's)`}`);
          log(`seek ${i}: no picture at the target within 15 s: ${seekFailures.at(-1)!}`);
          continue;
        }
        if (ms > 1500 || trace?.recovered) log(`seek ${i}: ${Math.round(ms)} ms, trace ${JSON.stringify(trace)}`);
        seeks.push(ms);
        landed[String(t.frames.indexOf(seen) - t.frames.indexOf(t.stamp))] = (landed[String(t.frames.indexOf(seen) - t.frames.indexOf(t.stamp))] ?? 0) + 1;
        if (trace) traces.push(trace);
      }
    } finally { await sb.close(); }
    results.seekSamples = seeks.length;
    results.seekBreakdown = breakdownOf(traces);
    log(`seek breakdown (p50/p99 ms): ${JSON.stringify(results.seekBreakdown)}`);
    // the host's share of a seek: the segment list and the HTTP fetch of the segment (what Chromium waits for before decoding)
    const hostSeeks: number[] = [];
    const hostLists: number[] = [];
    for (let i = 0; i < seeks.length; i++) {
      const { at } = target();
      const t0 = performance.now();
      const l = await api.call('playback.segments', { cameraId: synth, fromMs: at - 120_000, toMs: at + 240_000 });
      hostLists.push(performance.now() - t0);
      const sg = l.segments.find((x) => x.startMs <= at && x.endMs > at) ?? l.segments[0]!;
      await (await fetch(`${shell.info.origin}${sg.url}?token=${shell.info.token}`)).arrayBuffer();
      hostSeeks.push(performance.now() - t0);
    }
    results.seekHostListP50Ms = round(median(hostLists));
    results.seekHostP50Ms = round(median(hostSeeks));
    results.seekHostP99Ms = round(percentile(hostSeeks, 99));
    results.seekP50Ms = round(median(seeks));
    results.seekP99Ms = round(percentile(seeks, 99));
    log(`seek on a ${lines.length}-file index (cache dropped: ${String(results.cacheDrop)}): p50 ${String(results.seekP50Ms)} ms, p99 ${String(results.seekP99Ms)} ms (host part: list + fetch p50 ${String(results.seekHostP50Ms)} ms, p99 ${String(results.seekHostP99Ms)} ms)`);
  }

  } finally {
  api.close();
  await shell.close();
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
results.loadAverage = load;
if (only) { console.log(JSON.stringify(results, null, 2)); process.exit(0); }
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const out = {
  seekP50Ms: results.seekP50Ms, seekP99Ms: results.seekP99Ms, syncDriftMs: results.syncDriftMs, syncDriftP95Ms: results.syncDriftP95Ms, cacheDrop: results.cacheDrop, indexSegments: results.indexSegments, recordCpuPctPerStream: results.recordCpuPctPerStream,
  exportRealtimeFactor: results.exportRealtimeFactor, exportVerified: results.exportVerified, tamperedRejected: results.tamperedRejected, details: results,
};
writeFileSync(join(ROOT, 'bench', 'results', 'review.json'), JSON.stringify(out, null, 2) + '\n');
const row = (name: string, value: unknown, target: string) => `| ${name} | ${String(value)} | ${target} |`;
writeFileSync(join(ROOT, 'docs', 'benchmarks', 'review.md'), [
  '# Review benchmark', '',
  `\`npm run bench:review${quick ? ' -- --quick' : ''}\` on ${results.at as string} (2 cores, shared machine; load average at the end ${load}).`, '',
  '| figure | measured | target |', '|---|---|---|',
  row('seek until the picture at the target is painted (its burnt-in time stamp read back in the page), p50 (ms)', results.seekP50Ms, ''),
  row('frame painted when the seek ended, relative to the frame at the target by ffprobe\'s pts (frames: seeks)', JSON.stringify(results.seekLandedFrameOffset ?? null), ''),
  row('seeks that painted no picture at the target within 15 s (left out of the percentiles)', `${(results.seekFailures as string[] | undefined)?.length ?? 'n/a'}${(results.seekFailures as string[] | undefined)?.length ? `: ${(results.seekFailures as string[]).join('; ')}` : ''}`, '0'),
  row(`the same, p99 (ms); index of ${String(results.indexSegments)} distinct segment files (${String(results.indexSpanHours)} h), page cache dropped with ${String(results.cacheDrop)}`, results.seekP99Ms, '<= 300'),
  row('seek, host part (segment list + HTTP fetch of the whole segment, from Node), p50 / p99 (ms)', `${String(results.seekHostP50Ms)} / ${String(results.seekHostP99Ms)}`, ''),
  ...seekRows(results.seekBreakdown as ReturnType<typeof breakdownOf> | undefined),
  row(`drift between 4 synchronised cameras, median (ms): largest difference of the time stamps read from the four painted pictures (${String(results.syncSamples)} samples, ${String(results.syncUnreadable)} unreadable)`, results.syncDriftMs, '<= 40'),
  row('drift, p95 / max (ms)', `${String(results.syncDriftP95Ms)} / ${String(results.syncDriftMaxMs)}`, ''),
  row('drift by the players\' clocks, median (ms), for comparison', results.syncClockDriftMs, ''),
  row('per camera, time stamp in the picture minus the playback position, median (ms): capture-to-recorded-time offsets', JSON.stringify(results.syncStampMinusPositionMs ?? null), ''),
  row('share of the sampling time the clock played at 1x (it holds while a camera waits)', `${String(results.syncPlayedPct)} %`, ''),
  row('recording CPU per 720p stream (% of one core), whole worker', results.recordCpuPctPerStream, '<= 2'),
  row('of which the recording branch (worker with recording − the same without, side by side)', (results.recordSplit as Record<string, number> | undefined)?.recordingBranch, ''),
  row('the same worker without recording (the connection; key frames to the host for health)', (results.recordSplit as Record<string, number> | undefined)?.withoutRecording, ''),
  row('export speed (x real time, no re-encode)', results.exportRealtimeFactor, '>= 50'),
  row('export time split (ms, summed over parallel work)', JSON.stringify(results.exportProfile ?? null), ''),
  row('export verified (UI check and `kuzet verify`)', results.exportVerified, 'true'),
  row('one changed byte rejected', results.tamperedRejected, 'true'), '',
  'How each figure is measured: see the header of `tests/bench/review.ts`.', '',
].join('\n'));
log('wrote bench/results/review.json and docs/benchmarks/review.md');
process.exit(0);
