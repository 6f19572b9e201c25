/**
 * bench:replay's `liveLatencyP50Ms` (issue 11 §4): the latency of a trainee's tiles, whose recorded footage comes in
 * through the live path (native/feeder/feeder.py -> RTSP -> the stream engine -> the wall), against the live wall of
 * the same cameras in the same run, in the app window `npm start` opens.
 *
 * Two simulator cameras in time-stamp mode (the sender's wall clock burnt into every picture) are recorded by a real
 * web shell. Live: the wall's 2 tiles, capture (stamp) to drawn (tests/bench/latency-probe.ts). Then a training
 * session of a scenario over that footage is started and joined by the same sign-in, so the same tiles show the
 * session's footage; once the session stops, the live wall is measured again (half the live time before the session,
 * half after: a machine whose load drifts over the run weighs on both sides alike). A recorded picture stamped C was
 * recorded at R (its segment's start + its time in the segment,
 * the feeder's own rule) and is due to be pushed at `startedAt + (R - fromMs)`: injection to drawn is
 * `drawn - (startedAt + R - fromMs)`, with R of each drawn picture found by its stamp in the recorded files (every
 * frame's stamp read by FFmpeg, with its time in its segment). The live wall is compared on the same span: each live
 * picture's R is found the same way (the cameras are recorded while they are measured), and its injection to drawn is
 * `drawn - R`; its capture to drawn (`drawn - C`) adds the camera's encoder and network, which a replay cannot play
 * again (its footage is due at R) and is reported beside it. Figures, not assertions.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { utcDay } from '../../electron/host/recording/segment.js';
import { decodeTimestampBlocks } from '../../native/simulator/timestamp-code.js';
import { startSimulator } from '../../native/simulator/control.js';
import { ApiClient } from '../support/api-client.js';
import { launchAppWindowBrowser } from '../support/app-window-browser.js';
import { ROOT, startWebShell, waitFor } from '../support/harness.js';
import { measureCpu, percentile, type ProcInfo } from '../support/procfs.js';
import { addRecordedCameras, waitSegments } from '../support/recording.js';
import { tilesNow } from './wall-page.js';

const CAMS = ['cam-extra-01', 'cam-extra-02'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number) => Math.round(x * 10) / 10;

/** [C, R] of a recorded file's first `frames` pictures: each one's stamp and when it was recorded (the feeder's rule). */
function recordedStamps(file: string, startMs: number, frames = 10_000): Promise<Array<[number, number]>> {
  return new Promise((resolve) => {
    execFile('ffmpeg', ['-v', 'info', '-i', file, '-frames:v', String(frames), '-vf', 'showinfo', '-pix_fmt', 'gray', '-f', 'rawvideo', 'pipe:1'],
      { encoding: 'buffer', maxBuffer: 512 << 20 }, (_err, stdout, stderr) => {
        const size = /Stream .*Video: .*?, (\d{2,5})x(\d{2,5})/.exec(stderr.toString());
        const pts = [...stderr.toString().matchAll(/showinfo.* pts_time:\s*(-?[\d.]+)/g)].map((m) => Number(m[1]));
        if (!size || pts.length === 0) { resolve([]); return; }
        const [w, h] = [Number(size[1]), Number(size[2])];
        const out: Array<[number, number]> = [];
        for (let i = 0; i < pts.length && (i + 1) * w * h <= stdout.length; i++) {
          const recordedAt = startMs + (pts[i]! - pts[0]!) * 1000;
          const stamp = decodeTimestampBlocks(stdout.subarray(i * w * h, (i + 1) * w * h), w, h, w, 1, recordedAt, 10_000);
          if (stamp !== null) out.push([stamp, recordedAt]);
        }
        resolve(out);
      });
  });
}

/**
 * When each of a camera's drawn pictures reached the stream engine (R, its recording time: the feeder's rule), found by
 * its stamp C among every frame of the camera's recorded files around them; null where no recorded frame is within 60
 * ms of the stamp. For a live picture, R is its injection (the camera's encoder and network behind it); for a
 * replayed one, the scenario is due to push it at `startedAt + R - fromMs`.
 */
async function recordedTimes(api: ApiClient, dir: string, cam: string, stamps: number[]): Promise<Array<number | null>> {
  if (stamps.length === 0) return [];
  const [lo, hi] = [Math.min(...stamps), Math.max(...stamps)];
  const list = (await api.call('playback.segments', { cameraId: cam, fromMs: lo - 5000, toMs: hi + 5000 })).segments;
  const table: Array<[number, number]> = [];
  for (const seg of list) table.push(...(await recordedStamps(join(dir, 'recordings', cam, utcDay(seg.startMs), `${seg.startMs}.mp4`), seg.startMs)));
  table.sort((a, b) => a[0] - b[0]);
  return stamps.map((c) => {
    let a = 0; let b = table.length - 1;
    while (a < b) { const m = (a + b) >> 1; if (table[m]![0] < c) a = m + 1; else b = m; }
    const near = [table[a - 1], table[a]].filter((x): x is [number, number] => !!x).sort((x, y) => Math.abs(x[0] - c) - Math.abs(y[0] - c))[0];
    return near && Math.abs(near[0] - c) <= 60 ? near[1] + (c - near[0]) : null;
  });
}

export interface TrainingLatency {
  liveLatencyP50Ms: number | null;
  detail: Record<string, unknown>;
}

export async function measureTrainingLatency(log: (s: string) => void, measureMs: number): Promise<TrainingLatency> {
  const probeScript = readFileSync(join(ROOT, 'dist', 'bench', 'latency-probe.js'), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-bench-trlat-'));
  const sim = await startSimulator({ camerasFile: 'none', extra: CAMS.length });
  for (const id of CAMS) await sim.timestamp(id, true);
  const shell = await startWebShell({ dataDir: dir, env: { KUZET_MQTT_PORT: '0' } });
  const api = await ApiClient.connect(shell.info.origin, shell.info.token);
  let browser: Awaited<ReturnType<typeof launchAppWindowBrowser>> | null = null;
  try {
    // main streams only: the tiles and the feeder show the main stream, and each sub-stream recorded would cost the
    // simulator another live encode (time-stamp mode). With them, the two cameras' encoders alone took 75-85 % of a core
    // and the machine was 85-100 % busy, the replayed side the busier (the feeder and the session's stream workers run
    // besides everything else): its tiles' decoders then fell behind (2026-12-06, `cpu` in the raw data)
    await addRecordedCameras(api, sim, CAMS, 'continuous', { subStream: false });
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', CAMS, 'bench', 'bench training') });
    browser = await launchAppWindowBrowser();
    const page = { evaluate: <T>(expression: string) => browser!.page.evaluate(expression) as Promise<T> };
    await browser.page.goto(shell.info.url);
    await waitFor('the wall page', () => page.evaluate<boolean>('window.__kuzet?.ready === true'), 60_000, 250);
    await page.evaluate(probeScript);
    const painting = async () => (await tilesNow(page)).filter((t) => t.cameraId && CAMS.includes(t.cameraId) && t.state === 'live' && t.painted > 5).length >= CAMS.length;
    await waitFor('both tiles painting', painting, 60_000, 500);
    await waitSegments(api, CAMS[0]!, 3, 60_000);

    // 1. the live wall of the two cameras (recording meanwhile: the footage of the session), half of its time now
    await sleep(3000);
    // the CPU of every process on the machine while each side is measured (% of one core): the replayed side runs the
    // feeder and the session's stream workers besides everything the live side runs
    const hostPid = shell.proc.pid;
    const group = (p: ProcInfo): string => {
      const c = p.cmdline;
      if (p.pid === hostPid) return 'host';
      if (c.includes('feeder.py')) return 'feeder';
      if (c.includes('media_worker.py')) return 'workers';
      if (c.includes('simulator')) return 'simulator';
      if (c.includes('--type=renderer')) return 'renderer';
      if (c.includes('chromium')) return 'browser';
      return 'other';
    };
    const cpu: Record<string, Record<string, number>> = {};
    const measureFor = async (name: string, ms: number) => {
      const r = await measureCpu(group, ms, 1000);
      cpu[name] = { machineBusyPct: Math.round(r.machineBusyPct), ...Object.fromEntries(Object.entries(r.byGroup).map(([k, v]) => [k, Math.round(v)])) };
    };
    let liveN = 0;
    // each side's latency in two stages: until the frame reached the page (source, stream engine, socket) and in the page
    // (decoding, the next paint): where a loaded machine adds its delay
    const stages = { live: { before: [] as number[], inPage: [] as number[] }, replayed: { before: [] as number[], inPage: [] as number[] } };
    type Took = { samples: number[]; unreadable: number; pairs: Array<[number, number, string, number]> };
    const measureLive = async (): Promise<Took> => {
      await page.evaluate(`window.__kuzetLatency.start(${JSON.stringify(CAMS)})`);
      await measureFor(liveN++ ? 'liveAfter' : 'liveBefore', measureMs / 2);
      return page.evaluate<Took>('window.__kuzetLatency.take()');
    };
    // what the stream engine serves the tiles (profile, size, decoder, fps) while each side is measured
    const streamsNow = async () => (await api.call('streams.status', {})).filter((x) => CAMS.includes(x.cameraId))
      .map((x) => ({ profile: x.profile, size: `${x.width}x${x.height}`, encoded: x.encoded === true, fps: round(x.fps), drops: x.counters.drops, latencyMs: x.latencyMs }));
    const liveBefore = await measureLive();
    const liveStreams = await streamsNow();
    log(`training latency: live wall before the session ${liveBefore.samples.length} samples, p50 ${round(percentile(liveBefore.samples, 50) ?? NaN)} ms`);

    // 2. a scenario over what was recorded, from the second segment (a whole one) to 6 s before now. Its footage must
    // outlast the measurement: once it has played out, the tiles show no picture of it and every stamp read then was
    // counted unreadable (2026-12-06: 181-280 of 289-400 replayed pictures, once half the live wall's time had moved to
    // after the session and left 15 s of footage for about 25 s of session)
    const segs = (await api.call('playback.segments', { cameraId: CAMS[0]!, fromMs: Date.now() - 600_000, toMs: Date.now() })).segments;
    if (segs.length < 3) throw new Error(`only ${segs.length} recorded segments of ${CAMS[0]}`);
    const fromMs = segs[1]!.startMs;
    const replayMs = measureMs / 2; // both cameras at once, as long as each camera's half of the live wall's time
    // footage for a session whose tiles go live within LIVE_WITHIN_MS (1-2 s as a rule), 3 s of settling, the measurement
    // and 2 s to spare; the measurement stops short of the footage's end whatever happens
    const LIVE_WITHIN_MS = 8000;
    const waitMs = fromMs + 6000 + LIVE_WITHIN_MS + 3000 + replayMs + 2000 - Date.now();
    if (waitMs > 0) { log(`training latency: ${Math.round(waitMs / 1000)} s more recording, so that the session's footage outlasts its measurement`); await sleep(waitMs); }
    const durationMs = Math.floor((Date.now() - 6000 - fromMs) / 1000) * 1000;
    // the recording's own delay (R - C) per camera, over the footage the session plays first
    const offsets: Record<string, number> = {};
    for (const cam of CAMS) {
      const list = (await api.call('playback.segments', { cameraId: cam, fromMs, toMs: fromMs + durationMs })).segments.slice(0, 4);
      const d: number[] = [];
      for (const s of list) d.push(...(await recordedStamps(join(dir, 'recordings', cam, utcDay(s.startMs), `${s.startMs}.mp4`), s.startMs, 50)).map(([c, r]) => r - c));
      if (d.length === 0) throw new Error(`no readable stamps in the recordings of ${cam}`);
      offsets[cam] = percentile(d, 50)!;
    }
    await api.call('training.scenarios.save', { scenario: { id: 'bench-latency', name: 'Latency', source: { kind: 'recording', fromMs }, cameraIds: CAMS, durationMs, events: [], expected: [] }, operator: 'bench' });
    const session = (await api.call('training.sessions.start', { scenarioId: 'bench-latency', operator: 'bench' })).status;
    await api.call('training.sessions.join', { id: session.id, operator: 'bench' });
    // the tiles are the session's once their stream went live after the session started
    await waitFor('the trainee tiles live on the footage', async () => {
      const st = (await api.call('streams.status', {})).filter((x) => CAMS.includes(x.cameraId));
      return st.length === CAMS.length && st.every((x) => x.state === 'live' && x.since >= session.startedAt);
    }, 60_000, 250).catch(() => log('training latency: the status of the session cameras did not say live (measured anyway)'));
    await sleep(3000);
    const shift = session.startedAt - fromMs;
    // both cameras at once, each with its own recording delay; never past the footage's end (1 s to spare)
    const footageLeftMs = session.startedAt + durationMs - 1000 - Date.now();
    if (footageLeftMs < replayMs) log(`training latency: only ${Math.round(footageLeftMs)} ms of the session's footage left to measure (wanted ${replayMs})`);
    await page.evaluate(`window.__kuzetLatency.start(${JSON.stringify(CAMS)}, ${JSON.stringify(Object.fromEntries(CAMS.map((c) => [c, shift + offsets[c]!])))})`);
    await measureFor('replayed', Math.max(0, Math.min(replayMs, footageLeftMs)));
    const took = await page.evaluate<Took>('window.__kuzetLatency.take()');
    const replayedStreams = await streamsNow();
    // the trainee's screen during the session (its banner, the footage's tiles); the session may end while the pictures'
    // recording times are looked up below
    await browser.page.screenshot({ path: join(tmpdir(), 'kuzet-training-latency.png') });
    const replayedMedianOffset = took.samples;
    const unreadable = took.unreadable;
    const drawnPairs: Record<string, Array<[number, number, number]>> = Object.fromEntries(CAMS.map((c) => [c, took.pairs.filter((x) => x[2] === c).map(([d, st, , rec]) => [d, st, rec] as [number, number, number])]));
    // per picture: its own R (the recording clock of that very frame, from every frame of the segments it came from),
    // so a recording delay that drifts over the footage does not bias the figure
    const replayed: number[] = [];
    let unmatched = 0;
    for (const cam of CAMS) {
      const pairs = drawnPairs[cam]!;
      const times = await recordedTimes(api, dir, cam, pairs.map(([, c]) => c));
      pairs.forEach(([drawn, , received], i) => {
        const recordedAt = times[i];
        if (recordedAt === null || recordedAt === undefined) { unmatched++; return; }
        const due = session.startedAt + recordedAt - fromMs;
        replayed.push(drawn - due);
        if (Number.isFinite(received)) { stages.replayed.before.push(received - due); stages.replayed.inPage.push(drawn - received); }
      });
    }
    // 3. the live wall again, once the session has stopped and the tiles are back on the cameras
    const stoppedAt = Date.now();
    await api.call('training.sessions.stop', { id: session.id, operator: 'bench' }).catch(() => {});
    let liveAfter: Took = { samples: [], unreadable: 0, pairs: [] };
    try {
      // the session's streams end with it and the tiles are on the cameras' own streams again (which never stopped)
      await waitFor('the tiles live on the cameras again', async () => {
        const st = (await api.call('streams.status', {})).filter((x) => CAMS.includes(x.cameraId));
        return st.length === CAMS.length && st.every((x) => x.state === 'live');
      }, 60_000, 250);
      await sleep(3000);
      const after = await measureLive();
      // a tile still on the session's footage would read its stamps minutes old: then it is not the live wall
      const p50 = percentile(after.samples, 50);
      if (p50 === undefined || p50 === null || p50 > 5000) throw new Error(`the tiles did not return to the live cameras (p50 ${p50} ms over ${after.samples.length} samples, ${Date.now() - stoppedAt} ms after the stop)`);
      liveAfter = after;
      log(`training latency: live wall after the session ${liveAfter.samples.length} samples, p50 ${round(percentile(liveAfter.samples, 50) ?? NaN)} ms`);
    } catch (err) { log(`training latency: the live wall after the session not measured (${err instanceof Error ? err.message : String(err)})`); }
    const live = { samples: [...liveBefore.samples, ...liveAfter.samples], unreadable: liveBefore.unreadable + liveAfter.unreadable };
    // the live wall's injection to drawn, like the replayed figure: from the moment each live picture reached the stream
    // engine (its recording time R, found by its stamp as for the replayed ones) to drawn. Capture to drawn (the wall's
    // own figure, above) adds the camera's encoder and network (R - C), which the recorded footage has behind it: the
    // replayed tiles are due at their R, so that part of a camera's delay is never played again
    const livePairs = [...liveBefore.pairs, ...liveAfter.pairs];
    const lastLive = Math.max(0, ...livePairs.map(([, c]) => c));
    await waitFor('the live pictures\' segments closed', async () => {
      for (const cam of CAMS) if (!(await api.call('playback.segments', { cameraId: cam, fromMs: lastLive, toMs: Date.now() })).segments.some((x) => x.startMs > lastLive)) return false;
      return true;
    }, 20_000, 500).catch(() => log('training latency: the last live segment may be open (its pictures unmatched)'));
    const liveInjected: number[] = [];
    const cameraPart: number[] = [];
    let liveUnmatched = 0;
    // per side of the session and camera: each lookup decodes only the segments around its own pictures
    for (const [side, cam] of [liveBefore, liveAfter].flatMap((r) => CAMS.map((c) => [r, c] as const))) {
      const pairs = side.pairs.filter((x) => x[2] === cam);
      const times = await recordedTimes(api, dir, cam, pairs.map(([, c]) => c));
      pairs.forEach(([drawn, c, , received], i) => {
        const injectedAt = times[i];
        if (injectedAt === null || injectedAt === undefined) { liveUnmatched++; return; }
        liveInjected.push(drawn - injectedAt);
        cameraPart.push(injectedAt - c);
        if (Number.isFinite(received)) { stages.live.before.push(received - injectedAt); stages.live.inPage.push(drawn - received); }
      });
    }
    const p = (xs: number[], q: number) => (xs.length ? round(percentile(xs, q)!) : null);
    const liveLatencyP50Ms = p(replayed, 50);
    const liveInjectedP50 = p(liveInjected, 50);
    log(`training latency: replayed as live ${replayed.length} samples, p50 ${liveLatencyP50Ms} ms; live wall ${liveInjectedP50} ms injection to drawn (${liveInjected.length} samples), ${p(live.samples, 50)} ms capture to drawn`);
    return {
      liveLatencyP50Ms,
      detail: {
        cameras: CAMS.length, display: 'window', measureMs, replayMs, scenarioDurationMs: durationMs,
        replayedP50Ms: liveLatencyP50Ms, replayedP99Ms: p(replayed, 99), replayedSamples: replayed.length, replayedUnreadable: unreadable, replayedUnmatched: unmatched,
        replayedWithMedianOffsetP50Ms: p(replayedMedianOffset, 50),
        // the live wall injection to drawn (the replayed figure's like); its difference is the target's "within 20 ms"
        liveWallInjectedP50Ms: liveInjectedP50, liveWallInjectedP99Ms: p(liveInjected, 99), liveWallInjectedSamples: liveInjected.length, liveWallUnmatched: liveUnmatched,
        differenceP50Ms: liveLatencyP50Ms !== null && liveInjectedP50 !== null ? round(liveLatencyP50Ms - liveInjectedP50) : null,
        // the live wall capture to drawn (the camera's encoder and network included: the camera's part, R - C, below)
        liveWallP50Ms: p(live.samples, 50), liveWallP99Ms: p(live.samples, 99), liveWallSamples: live.samples.length, liveWallUnreadable: live.unreadable,
        liveWallBeforeP50Ms: p(liveBefore.samples, 50), liveWallAfterP50Ms: p(liveAfter.samples, 50), liveWallAfterSamples: liveAfter.samples.length,
        liveCameraPartP50Ms: p(cameraPart, 50),
        differenceToCaptureP50Ms: liveLatencyP50Ms !== null && live.samples.length ? round(liveLatencyP50Ms - p(live.samples, 50)!) : null,
        recordingDelayMs: Object.fromEntries(Object.entries(offsets).map(([k, v]) => [k, round(v)])),
        scenarioShiftMs: shift, liveStreams, replayedStreams, cpu,
        // p50 of each stage: from the injection (R; for replayed pictures, their due time) until the frame's message
        // reached the page, and from there until it was drawn
        stagesP50Ms: { live: { beforePage: p(stages.live.before, 50), inPage: p(stages.live.inPage, 50) }, replayed: { beforePage: p(stages.replayed.before, 50), inPage: p(stages.replayed.inPage, 50) } },
      },
    };
  } finally {
    await browser?.close();
    api.close();
    await shell.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
