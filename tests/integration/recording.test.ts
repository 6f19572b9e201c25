/**
 * Recording, index, retention, export and verify against real processes: simulator cameras over RTSP,
 * the web shell host with its GStreamer workers recording at the `rec` tee, ffprobe/ffmpeg, the files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { ApiClient } from '../support/api-client.js';
import { killGroup, ROOT, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { tree } from '../support/procfs.js';
import { isWaitingStandby } from '../support/standby.js';
import { addRecordedCameras, probeFile, recordGap, segmentsOf, waitSegments } from '../support/recording.js';

const CAMS = ['cam-extra-01', 'cam-extra-02'];
const [A, B] = CAMS as [string, string];
let sim: Simulator;
let shell: RunningShell;
let api: ApiClient;
let dataDir: string;
const recRoot = () => join(dataDir, 'recordings');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Media workers of the host (each holds one camera connection; the warm standby holds none). */
const workers = () => tree(shell.proc.pid!).filter((p) => p.cmdline.includes('media_worker.py') && !isWaitingStandby(p.pid)).length;
const segFiles = (cam: string) => readdirSync(join(recRoot(), cam), { recursive: true }).map(String).filter((f) => f.endsWith('.mp4') && !f.startsWith('sub/')).sort(); // main-stream files (the sub-stream's are under sub/)

async function startShell() {
  shell = await startWebShell({ dataDir });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kuzet-rec-'));
  sim = await startSimulator({ camerasFile: 'none', extra: 2 });
  await startShell();
  await addRecordedCameras(api, sim, CAMS);
}, 120_000);

afterAll(async () => {
  api?.close();
  await shell?.close();
  await sim?.close();
  if (!process.env.KZ_KEEP) rmSync(dataDir, { recursive: true, force: true });
});

describe('recording', () => {
  it('records the main stream as key-frame-aligned MP4 segments on one connection, without re-encoding', async () => {
    await waitSegments(api, A, 3);
    // no tile shows the cameras: one worker (one RTSP connection) per recorded camera, on the main stream
    expect(workers()).toBe(CAMS.length);
    expect((await api.call('streams.status', {})).find((s) => s.cameraId === A)).toMatchObject({ profile: 'main', keyframeOnly: true });
    const files = segFiles(A);
    const p = probeFile(join(recRoot(), A, files[1] as string), true);
    expect(p).toMatchObject({ ok: true, codec: 'h264', width: 1280, height: 720, firstKey: true });
    expect(p.durationS).toBeGreaterThan(2.5);
    expect(p.durationS).toBeLessThan(5.5);
    // the camera's own bitstream: ~4 Mbit/s main stream, 25 fps
    expect(p.frames).toBeGreaterThan(60);
    const st = (await api.call('recording.status', {})).find((s) => s.cameraId === A);
    expect(st?.state).toBe('recording');

    // a small tile for the camera: the policy would pick the sub-stream, recording keeps it on main (still one connection)
    await api.call('streams.demand', { clientId: 'test', tiles: [{ cameraId: A, width: 320, height: 180 }] });
    await waitFor('tile live', async () => (await api.call('streams.status', {})).find((s) => s.cameraId === A && s.state === 'live' && !s.keyframeOnly && s.width === 320), 20_000);
    // the small tile is live from the recording's main-stream worker: no second connection was made for it
    expect((await api.call('streams.status', {})).find((s) => s.cameraId === A)?.profile).toBe('main');
    expect(workers()).toBe(CAMS.length);
  }, 90_000);

  it('a camera restart is recorded as a gap, and recording resumes by itself', async () => {
    const before = await segmentsOf(api, B);
    const downAt = Date.now();
    await recordGap(api, sim, B); // the camera down until the host has had no frame of it for 4 s
    await waitSegments(api, B, before + 3, 45_000);
    const [tl] = await api.call('recording.timeline', { cameraIds: [B], fromMs: downAt - 30_000, toMs: Date.now() });
    const gaps = tl!.spans.filter((s) => s.kind === 'gap' && s.startMs > downAt - 5000);
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    expect(gaps[0]!.endMs - gaps[0]!.startMs).toBeGreaterThan(2500);
    expect(tl!.spans.filter((s) => s.kind === 'recorded').length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('serves playback clips only with the token and only from the clip cache', async () => {
    const clip = await api.call('playback.clip', { cameraId: A, atMs: Date.now() - 6000, windowMs: 60_000 });
    const url = `${shell.info.origin}${clip.url}`;
    const ranged = await fetch(`${url}?token=${shell.info.token}`, { headers: { range: 'bytes=0-99' } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(`${shell.info.origin}/rec/clip/..%2F..%2Frecordings%2Findex.jsonl?token=${shell.info.token}`)).status).toBe(404);
    const none = await api.raw('playback.clip', { cameraId: A, atMs: Date.now() + 3_600_000 });
    expect(none).toMatchObject({ ok: false, error: { code: 'not-found' } });

    // the MSE player's path: the indexed segments as they are on disk, no remux
    const list = await api.call('playback.segments', { cameraId: A, fromMs: Date.now() - 60_000, toMs: Date.now() });
    expect(list.segments.length).toBeGreaterThanOrEqual(2);
    const s0 = list.segments[0]!;
    const body = Buffer.from(await (await fetch(`${shell.info.origin}${s0.url}?token=${shell.info.token}`)).arrayBuffer());
    expect(body.length).toBe(s0.bytes);
    expect(body.subarray(4, 8).toString()).toBe('ftyp');
    expect((await fetch(`${shell.info.origin}${s0.url}`)).status).toBe(403);
    expect((await fetch(`${shell.info.origin}/rec/seg/${A}/${s0.startMs + 1}.mp4?token=${shell.info.token}`)).status).toBe(404); // not an indexed segment
    expect((await fetch(`${shell.info.origin}/rec/seg/..%2F${A}/${s0.startMs}.mp4?token=${shell.info.token}`)).status).toBe(404);
    expect(await api.raw('playback.segments', { cameraId: A, fromMs: 2000, toMs: 1000 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  }, 60_000);
});

describe('evidence export', () => {
  let exportDir = '';
  let exportId = '';
  const cli = (dir: string, ...extra: string[]) => spawnSync(process.execPath, [join(ROOT, 'scripts', 'kuzet.mjs'), 'verify', dir, '--data-dir', dataDir, ...extra], { encoding: 'utf8' });

  it('exports a range of two cameras as standard MP4 without re-encoding, signed, audited and verified', async () => {
    const toMs = Date.now() - 5000;
    const fromMs = toMs - 8000;
    const r = await api.call('export.create', { cameraIds: [A, B], fromMs, toMs, reason: 'incident 42: collision', by: 'supervisor Aliya' });
    exportDir = r.dir;
    exportId = r.id;
    expect(r.files.length).toBeGreaterThanOrEqual(2);
    expect(r.files.filter((f) => f.cameraId === A)).toHaveLength(1);
    for (const f of r.files) {
      const p = probeFile(join(r.dir, f.file));
      expect(p).toMatchObject({ ok: true, codec: 'h264', width: 1280, height: 720, firstKey: true });
      // copy cuts at key frames (one a second): the file covers its stated range to within a second
      expect(Math.abs(p.durationS! - (f.endMs - f.startMs) / 1000)).toBeLessThan(1.2);
    }
    const manifest = JSON.parse(readFileSync(join(r.dir, 'manifest.json'), 'utf8')) as { exportedBy: string; reason: string; files: unknown[]; signer: { algorithm: string } };
    // issue 12: exported by the signed-in user, whatever the page typed
    expect(manifest).toMatchObject({ exportedBy: shell.info.user, reason: 'incident 42: collision', signer: { algorithm: 'Ed25519' } });
    expect(await api.call('export.verify', { id: r.id })).toMatchObject({ ok: true, problems: [] });
    const ok = cli(r.dir);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('VERIFIED');
    const audit = readFileSync(join(dataDir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain(`"action":"export.create"`);
    expect(audit).toContain(r.id);
  }, 60_000);

  it('rejects an export with one changed byte, and a forged manifest', async () => {
    const video = readdirSync(exportDir).find((f) => f.endsWith('.mp4')) as string;
    const path = join(exportDir, video);
    const original = readFileSync(path);
    const tampered = Buffer.from(original);
    const at = Math.floor(tampered.length / 2);
    tampered[at] = (tampered[at] as number) ^ 0x01;
    writeFileSync(path, tampered);
    const bad = await api.call('export.verify', { id: exportId });
    expect(bad.ok).toBe(false);
    expect(bad.problems.join('\n')).toContain(video);
    const badCli = cli(exportDir);
    expect(badCli.status).toBe(1);
    expect(badCli.stdout).toContain('REJECTED');
    writeFileSync(path, original);
    expect((await api.call('export.verify', { id: exportId })).ok).toBe(true);

    // forged: the manifest edited (a hash swapped for the tampered file's) and re-signed with another key
    const mPath = join(exportDir, 'manifest.json');
    const sPath = join(exportDir, 'manifest.sig');
    const mOriginal = readFileSync(mPath);
    const sOriginal = readFileSync(sPath);
    const m = JSON.parse(mOriginal.toString()) as { reason: string; signer: { publicKeyPem: string } };
    m.reason = 'nothing happened';
    const edited = Buffer.from(JSON.stringify(m, null, 2) + '\n');
    writeFileSync(mPath, edited);
    expect((await api.call('export.verify', { id: exportId })).problems.join('\n')).toContain('signature does not match');
    const forger = generateKeyPairSync('ed25519');
    m.signer.publicKeyPem = forger.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const forged = Buffer.from(JSON.stringify(m, null, 2) + '\n');
    writeFileSync(mPath, forged);
    writeFileSync(sPath, sign(null, forged, forger.privateKey).toString('base64'));
    const f = await api.call('export.verify', { id: exportId });
    expect(f.ok).toBe(false);
    expect(f.problems.join('\n')).toContain('not by the trusted key');
    expect(cli(exportDir).status).toBe(1);
    writeFileSync(mPath, mOriginal);
    writeFileSync(sPath, sOriginal);
    expect(cli(exportDir).status).toBe(0);
  }, 60_000);

  it('burns in time stamp, watermark and event boxes with progress; the copies are signed and verify; cancel leaves nothing', async () => {
    const toMs = Date.now() - 5000;
    const fromMs = toMs - 4000;
    // an analytics event with a box on camera A inside the range: drawn on the frames after it
    const { mqttUrl } = await api.call('alarms.info', {});
    const bus = await mqtt.connectAsync(mqttUrl);
    const box = { x: 0.5, y: 0.5, w: 0.25, h: 0.25 };
    await bus.publishAsync(`kuzet/events/${A}`, JSON.stringify({ type: 'object', captureTime: fromMs + 500, boxes: [box], attributes: { class: 'person' } }), { qos: 1 });
    await bus.endAsync();
    const id = 'burn-test-1';
    const r = await api.call('export.create', { cameraIds: [A], fromMs, toMs, reason: 'case 9', by: 'Aliya', id, burnIn: { timestamp: true, watermark: 'Aliya · case 9', overlays: true } });
    const burned = r.files.filter((f) => f.kind === 'burn-in');
    expect(burned.length).toBe(r.files.filter((f) => f.kind === 'original').length);
    const p = probeFile(join(r.dir, burned[0]!.file));
    expect(p).toMatchObject({ ok: true, codec: 'h264', width: 1280, height: 720 });
    const progress = api.events.filter((e) => e.event === 'export.progress' && (e.payload as { id: string }).id === id).map((e) => e.payload as { stage: string; done: number });
    expect(progress.some((x) => x.stage === 'encode' && x.done > 0 && x.done < 1)).toBe(true);
    expect(progress.at(-1)?.stage).toBe('done');
    const manifest = JSON.parse(readFileSync(join(r.dir, 'manifest.json'), 'utf8')) as { reencoded: boolean; files: Array<{ kind: string }> };
    expect(manifest.reencoded).toBe(true);
    expect(manifest.files.map((f) => f.kind).sort()).toEqual(['burn-in', 'original']);
    expect(await api.call('export.verify', { id })).toMatchObject({ ok: true });
    expect(cli(r.dir).status).toBe(0);
    // the picture carries the burned-in text: the top-left corner differs from the original's
    const crop = (f: string) => execFileSync('ffmpeg', ['-v', 'error', '-i', join(r.dir, f), '-frames:v', '1', '-vf', 'crop=320:40:0:0,format=gray', '-f', 'rawvideo', '-'], { maxBuffer: 1 << 20 });
    const a = crop(r.files.find((f) => f.kind === 'original')!.file);
    const b = crop(burned[0]!.file);
    const meanDiff = (x: Buffer, y: Buffer) => { let d = 0; for (let i = 0; i < x.length; i++) d += Math.abs((x[i] as number) - (y[i] as number)); return d / x.length; };
    expect(meanDiff(a, b)).toBeGreaterThan(10);
    // the event's box: its top edge (3 px of red) is drawn across the frames after the event; the file starts on a
    // fragment boundary (up to a GOP before fromMs), so look 200 ms after the event in the file's own time
    const original = r.files.find((f) => f.kind === 'original')!;
    const at = ((fromMs + 500 - original.startMs) / 1000 + 0.2).toFixed(3);
    const edge = (f: string) => execFileSync('ffmpeg', ['-v', 'error', '-ss', at, '-i', join(r.dir, f), '-frames:v', '1', '-vf', `crop=${1280 * box.w}:6:${1280 * box.x}:${720 * box.y - 1},format=gray`, '-f', 'rawvideo', '-'], { maxBuffer: 1 << 20 });
    expect(meanDiff(edge(original.file), edge(burned[0]!.file))).toBeGreaterThan(10);

    // cancel a running burn-in: the folder goes, the audit log says so, and the id is free again
    const pending = api.raw('export.create', { cameraIds: [A, B], fromMs: toMs - 20_000, toMs, reason: 'to cancel', by: 'Aliya', id: 'burn-test-2', burnIn: { timestamp: true, watermark: '', overlays: false } });
    await waitFor('encoding started', () => api.events.some((e) => e.event === 'export.progress' && (e.payload as { id: string; stage: string }).id === 'burn-test-2' && (e.payload as { stage: string }).stage === 'encode'), 30_000);
    expect(await api.call('export.cancel', { id: 'burn-test-2' })).toEqual({ cancelled: true });
    expect(await pending).toMatchObject({ ok: false, error: { message: expect.stringContaining('cancelled') } });
    expect(existsSync(join(dataDir, 'exports', 'burn-test-2'))).toBe(false);
    expect(readFileSync(join(dataDir, 'audit.jsonl'), 'utf8')).toContain('"action":"export.cancelled"');
    expect(await api.call('export.cancel', { id: 'burn-test-2' })).toEqual({ cancelled: false });
  }, 90_000);

  it('refuses bad input with a clear error', async () => {
    const empty = await api.raw('export.create', { cameraIds: [A], fromMs: 1_000_000, toMs: 2_000_000, reason: 'x', by: 'y' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect((empty as { error: { message: string } }).error.message).toContain('no recorded footage');
    expect(await api.raw('export.verify', { id: '../../etc' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await api.raw('export.create', { cameraIds: [A], fromMs: 2_000, toMs: 1_000, reason: 'x', by: 'y' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(cli(join(dataDir, 'no-such-export')).status).toBe(1);
    expect(await api.raw('export.create', { cameraIds: [A], fromMs: Date.now() - 9000, toMs: Date.now() - 5000, reason: 'x', by: 'y', id: '../x' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});

describe('retention', () => {
  it('deletes the oldest unlocked segments to meet the quota and never an evidence-locked one', async () => {
    const st = (await api.call('recording.status', {})).find((s) => s.cameraId === A)!;
    const [tl] = await api.call('recording.timeline', { cameraIds: [A], fromMs: Date.now() - 3_600_000, toMs: Date.now() + 1000 });
    const firstStart = tl!.spans.find((s) => s.kind === 'recorded')!.startMs;
    // lock the first 6 s of camera A
    await api.call('evidence.lock', { cameraIds: [A], fromMs: firstStart, toMs: firstStart + 6000, reason: 'case 7', by: 'supervisor' });
    const filesBefore = segFiles(A);
    const lockedFiles = filesBefore.filter((f) => Number(f.split('/')[1]!.replace('.mp4', '')) < firstStart + 6000);
    expect(lockedFiles.length).toBeGreaterThanOrEqual(1);
    const quota = Math.round(st.bytes / 2);
    await api.call('recording.retention', { retention: { maxAgeDays: 30, quotaBytes: quota, minFreeBytes: 0 } });
    const filesAfter = segFiles(A);
    for (const f of lockedFiles) expect(filesAfter).toContain(f);
    const deleted = filesBefore.filter((f) => !filesAfter.includes(f));
    expect(deleted.length).toBeGreaterThan(0);
    // oldest first: every deleted file is older than every unlocked survivor that existed before
    const survivors = filesBefore.filter((f) => filesAfter.includes(f) && !lockedFiles.includes(f));
    const startOf = (f: string) => Number(f.split('/')[1]!.replace('.mp4', ''));
    expect(Math.max(...deleted.map(startOf))).toBeLessThan(Math.min(...survivors.map(startOf)));
    await api.call('recording.retention', { retention: { maxAgeDays: 30, quotaBytes: 0, minFreeBytes: 0 } });
  }, 30_000);
});

describe('failures', () => {
  it('the recordings folder disappearing stops recording with a clear error; the wall is unaffected; it resumes', async () => {
    const aside = `${recRoot()}-aside`;
    renameSync(recRoot(), aside);
    try {
      await waitFor('recording error', async () => (await api.call('recording.status', {})).find((s) => s.cameraId === A && s.state === 'error' && /missing|gone/.test(s.message ?? '')), 15_000);
      await waitFor('a notice', async () => (await api.call('notices.list', {})).some((n) => n.level === 'error' && /Recording (of .* )?stopped/.test(n.message)), 10_000);
      const live = (await api.call('streams.status', {})).find((s) => s.cameraId === A);
      expect(live?.state).toBe('live');
      // the wall keeps getting the camera's frames after recording failed
      const failedAt = Date.now();
      await waitFor('frames after the failure', async () => ((await api.call('streams.status', {})).find((s) => s.cameraId === A)?.lastFrameAt ?? 0) > failedAt, 15_000);
      expect(existsSync(recRoot())).toBe(false); // never recreated behind the operator's back
    } finally {
      renameSync(aside, recRoot());
    }
    // resumes: a new recording branch, and segments written into the folder again
    await waitFor('recording again', async () => (await api.call('recording.status', {})).find((s) => s.cameraId === A && s.state === 'recording'), 30_000);
    const n = await segmentsOf(api, A);
    await waitSegments(api, A, n + 2, 40_000);
  }, 90_000);

  it('SIGKILL of the host leaves every segment but the last playable; the index recovers; a corrupt segment is marked and skipped', async () => {
    await waitSegments(api, B, (await segmentsOf(api, B)) + 1);
    // into the next segment: a newer file than the newest one now, with content, is open when the host dies
    const newestClosed = segFiles(B).at(-1);
    await waitFor('an open segment with content', () => { const f = segFiles(B).at(-1); return f && f !== newestClosed && statSync(join(recRoot(), B, f)).size > 100_000; }, 30_000, 100);
    api.close();
    killGroup(shell.proc, 'SIGKILL');
    await new Promise<void>((r) => { if (shell.proc.exitCode !== null || shell.proc.signalCode) r(); else shell.proc.once('exit', () => r()); });
    await sleep(500);
    // every segment the host had closed (its journal, as it stood at the kill) plays; what was still open is cut short
    // and is the restart's to recover (probed and indexed, or removed when nothing of it plays: checked below)
    const journaled = new Set<string>();
    for (const line of readFileSync(join(recRoot(), 'index.jsonl'), 'utf8').split('\n')) {
      try { const r = JSON.parse(line) as { add?: { file: string }; del?: string }; if (r.add) journaled.add(r.add.file); else if (r.del) journaled.delete(r.del); } catch { /* torn last line */ }
    }
    for (const cam of CAMS) {
      const files = segFiles(cam);
      const closed = files.filter((f) => journaled.has(`${cam}/${f}`));
      const open = files.filter((f) => !journaled.has(`${cam}/${f}`)).map((f) => `${f} (${statSync(join(recRoot(), cam, f)).size} bytes)`);
      expect(closed.length, `closed segments of ${cam}`).toBeGreaterThanOrEqual(1);
      const bad = closed.filter((f) => !probeFile(join(recRoot(), cam, f)).ok);
      expect(bad, `unplayable closed segments of ${cam} in ${dataDir}; open at the kill: ${open.join(', ')}`).toEqual([]);
    }
    // damage one closed segment of B and forget the journal: the rebuild finds, marks and skips it
    // closed and indexed before the kill, with the next closed segment under 10 s after its start, so the export
    // below has footage around it (the first file may be followed by the disk-full test's pause: all-corrupt is not-found)
    const startOf = (f: string) => Number(f.split('/').at(-1)!.replace('.mp4', ''));
    const closedB = segFiles(B).filter((f) => journaled.has(`${B}/${f}`));
    const victim = closedB.find((f, i) => i + 1 < closedB.length && startOf(closedB[i + 1]!) - startOf(f) < 10_000);
    expect(victim, `two neighbouring closed segments of ${B}: ${closedB.join(', ')}`).toBeDefined();
    // same size, garbage content (bit rot): a file under 64 KiB could be taken for a segment cut short before its
    // first fragment, which recovery removes instead of marking
    writeFileSync(join(recRoot(), B, victim!), Buffer.alloc(statSync(join(recRoot(), B, victim!)).size, 0x5a));
    await startShell();
    const status = (await api.call('recording.status', {})).find((s) => s.cameraId === B)!;
    // every file is indexed again: the closed ones from the journal, the one cut short probed (or removed if headers only)
    expect(status.segments).toBe(segFiles(B).length);
    const rebuilt = await api.call('recording.rebuildIndex', {});
    expect(rebuilt.corrupt).toBeGreaterThanOrEqual(1);
    const start = startOf(victim!);
    const [tl] = await api.call('recording.timeline', { cameraIds: [B], fromMs: start - 10_000, toMs: start + 10_000 });
    expect(tl!.spans.some((s) => s.kind === 'corrupt' && s.startMs <= start + 1 && s.endMs > start), JSON.stringify({ start, spans: tl!.spans, rebuilt })).toBe(true);
    // export across it: the damaged segment is left out and listed as a gap
    const r = await api.call('export.create', { cameraIds: [B], fromMs: start - 8000, toMs: start + 12_000, reason: 'test', by: 'test' });
    expect(r.gaps.some((g) => g.startMs <= start + 1 && g.endMs > start)).toBe(true);
    expect((await api.call('export.verify', { id: r.id })).ok).toBe(true);
    // and recording goes on after the restart
    // (the restarted host reconnects and reprobes first: on a loaded 2-core machine this took over 40 s once)
    await waitSegments(api, A, (await segmentsOf(api, A)) + 1, 90_000);
    expect(execFileSync('ls', [recRoot()]).toString()).toContain(A);
  }, 200_000);
});
