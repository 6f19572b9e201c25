/**
 * Permanent privacy masks in recorded video (issue 12 §3), against real processes: a simulator camera recorded by the
 * web shell host, ffmpeg decoding what leaves the host. The export of a masked camera holds a masked copy in place of
 * the original (masked region uniform in Y, U and V; elsewhere the original's picture) and its signed manifest lists
 * the mask with its version; an unmasked export needs the right exportUnmasked (refused to a supervisor, allowed to a
 * custom role holding it, audited as export.unmasked); review segments and hover thumbnails are served masked.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaskPoint } from '../../electron/contract/masks-schema.js';
import { lumaSpans } from '../../electron/host/masks/mask-raster.js';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { ApiClient } from '../support/api-client.js';
import { demoUser, signIn, startWebShell, type RunningShell } from '../support/harness.js';
import { addRecordedCameras, waitSegments } from '../support/recording.js';

const A = 'cam-extra-01';
const MASK: MaskPoint[] = [{ x: 0.2, y: 0.2 }, { x: 0.6, y: 0.25 }, { x: 0.55, y: 0.7 }, { x: 0.15, y: 0.6 }];
let sim: Simulator;
let shell: RunningShell;
let admin: ApiClient;
let dataDir: string;

/** The first `n` pictures of a video (or a still) decoded to I420 at its own size. */
function decode(file: string, n: number): { w: number; h: number; frames: Buffer[] } {
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'json', file], { encoding: 'utf8' })) as { streams: Array<{ width: number; height: number }> };
  const { width: w, height: h } = probe.streams[0]!;
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-frames:v', String(n), '-pix_fmt', 'yuv420p', '-f', 'rawvideo', '-'], { maxBuffer: 64 * 1024 * 1024 });
  const size = (w * h * 3) / 2;
  return { w, h, frames: Array.from({ length: Math.floor(raw.length / size) }, (_, i) => raw.subarray(i * size, (i + 1) * size)) };
}

/**
 * Pixels of each plane inside the mask shrunk by `margin` pixels (the re-encoder blurs the outline a little) and
 * outside it grown by `margin`, per plane: [luma, U, V] index lists.
 */
function regions(w: number, h: number, margin: number): { inside: number[][]; outside: number[][] } {
  const cover = new Uint8Array(w * h);
  lumaSpans([MASK], w, h).forEach((spans, y) => { for (const [a, b] of spans) cover.fill(1, y * w + a, y * w + b); });
  const near = (x: number, y: number, v: number) => {
    for (let dy = -margin; dy <= margin; dy++) for (let dx = -margin; dx <= margin; dx++) {
      const xx = Math.min(w - 1, Math.max(0, x + dx)), yy = Math.min(h - 1, Math.max(0, y + dy));
      if (cover[yy * w + xx] !== v) return false;
    }
    return true;
  };
  const cw = w / 2, ch = h / 2, u = w * h, v = u + cw * ch;
  const inside: number[][] = [[], [], []], outside: number[][] = [[], [], []];
  for (let y = 0; y < h; y += 2) for (let x = 0; x < w; x += 2) {
    if (near(x, y, 1)) { inside[0]!.push(y * w + x); inside[1]!.push(u + (y / 2) * cw + x / 2); inside[2]!.push(v + (y / 2) * cw + x / 2); }
    else if (near(x, y, 0)) { outside[0]!.push(y * w + x); outside[1]!.push(u + (y / 2) * cw + x / 2); outside[2]!.push(v + (y / 2) * cw + x / 2); }
  }
  void ch;
  return { inside, outside };
}

const spread = (f: Buffer, idx: number[]) => { let lo = 255, hi = 0; for (const i of idx) { lo = Math.min(lo, f[i]!); hi = Math.max(hi, f[i]!); } return { lo, hi }; };
const meanDiff = (a: Buffer, b: Buffer, idx: number[]) => idx.reduce((s, i) => s + Math.abs(a[i]! - b[i]!), 0) / idx.length;

/**
 * The masked region is black and uniform in Y, U and V, within what lossy coding leaves: checked 16 pixels in from the
 * outline, so no checked pixel shares a 16x16 macroblock (or an 8x8 transform block) with the outline, whose bright
 * side rings into every block it crosses (a CI run read luma 21 eight pixels in); the clear picture there spans more
 * than 40 levels. A 160-pixel thumbnail is checked 8 pixels in (its JPEG blocks are 8x8; 16 would leave too few).
 */
function expectMasked(f: Buffer, w: number, h: number, tolerance: number, what: string, margin = 16) {
  const { inside } = regions(w, h, margin);
  expect(inside[0]!.length, `${what}: a region to check`).toBeGreaterThan(50);
  const [y, u, v] = inside.map((idx) => spread(f, idx));
  expect(y!.hi, `${what}: luma inside the mask`).toBeLessThanOrEqual(16 + tolerance);
  expect(y!.lo, `${what}: luma inside the mask`).toBeGreaterThanOrEqual(Math.max(0, 16 - tolerance));
  for (const c of [u!, v!]) { expect(c.lo, `${what}: chroma inside`).toBeGreaterThanOrEqual(128 - tolerance); expect(c.hi, `${what}: chroma inside`).toBeLessThanOrEqual(128 + tolerance); }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kuzet-pmask-'));
  sim = await startSimulator({ camerasFile: 'none', extra: 1 });
  shell = await startWebShell({ dataDir });
  admin = await ApiClient.connect(shell.info.origin, shell.info.token);
  await addRecordedCameras(admin, sim, [A]);
  await admin.call('masks.save', { cameraId: A, masks: [{ name: 'Window', kind: 'permanent', points: MASK }], operator: 'x' });
  // a role that may export without masks (no built-in role may), and a user holding it
  await admin.call('access.roles.save', { role: { id: 'unmasker', name: 'Unmasked export', builtIn: false, grants: [{ rights: ['viewRecordings', 'export', 'exportUnmasked'], scope: { kind: 'all' }, windows: [] }] } });
  await admin.call('access.users.save', { user: { name: 'investigator', password: 'long-enough-1', roles: ['unmasker'] } });
  await waitSegments(admin, A, 4, 60_000);
}, 150_000);

afterAll(async () => {
  admin?.close();
  await shell?.close();
  await sim?.close();
  if (!process.env.KZ_KEEP) rmSync(dataDir, { recursive: true, force: true });
});

describe('permanent masks in recorded video', () => {
  let maskedFile = '';
  const range = { fromMs: 0, toMs: 0 };

  it('an export holds the masked copy, not the original; the manifest lists the mask and its version', async () => {
    range.toMs = Date.now() - 5000;
    range.fromMs = range.toMs - 6000;
    const r = await admin.call('export.create', { cameraIds: [A], ...range, reason: 'case 12', by: 'x' });
    expect(r.files.map((f) => f.kind)).toEqual(['masked']);
    maskedFile = join(r.dir, r.files[0]!.file);
    const manifest = JSON.parse(readFileSync(join(r.dir, 'manifest.json'), 'utf8')) as { masks: unknown[]; unmasked?: boolean; reencoded: boolean };
    expect(manifest.masks).toEqual([{ cameraId: A, id: 'Window', kind: 'permanent', polygon: MASK, version: expect.stringMatching(/^[0-9a-f]{16}$/) }]);
    expect(manifest.unmasked).toBeUndefined();
    expect(await admin.call('export.verify', { id: r.id })).toMatchObject({ ok: true });
    const { w, h, frames } = decode(maskedFile, 3);
    expect([w, h]).toEqual([1280, 720]);
    for (const [i, f] of frames.entries()) expectMasked(f, w, h, 4, `exported frame ${i}`);
  }, 120_000);

  it('an unmasked export is refused without exportUnmasked, allowed with it, and audited', async () => {
    const sv = demoUser('supervisor');
    const supervisor = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, sv.name, sv.password));
    const refused = await supervisor.raw('export.create', { cameraIds: [A], ...range, reason: 'curious', by: 'x', unmasked: true });
    // the supervisor may export (masked), just not without the masks
    const allowed = await supervisor.raw('export.create', { cameraIds: [A], ...range, reason: 'masked is fine', by: 'x' });
    supervisor.close();
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: `forbidden: exportUnmasked on ${A}` } });
    expect(allowed).toMatchObject({ ok: true });

    const inv = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, 'investigator', 'long-enough-1'));
    const r = await inv.call('export.create', { cameraIds: [A], ...range, reason: 'court order 7/26', by: 'x', unmasked: true });
    inv.close();
    expect(r.files.map((f) => f.kind)).toEqual(['original']);
    const manifest = JSON.parse(readFileSync(join(r.dir, 'manifest.json'), 'utf8')) as { masks: Array<{ id: string }>; unmasked?: boolean; exportedBy: string };
    expect(manifest).toMatchObject({ unmasked: true, exportedBy: 'investigator' });
    expect(manifest.masks.map((m) => m.id)).toEqual(['Window']);
    const audit = readFileSync(join(dataDir, 'audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"action":"export\.unmasked".*court order 7\/26/);

    // the original is the clear picture, and outside the mask the masked copy is that picture (Y, U and V)
    const clear = decode(join(r.dir, r.files[0]!.file), 3);
    const masked = decode(maskedFile, 3);
    const { inside, outside } = regions(clear.w, clear.h, 4);
    for (let i = 0; i < Math.min(clear.frames.length, masked.frames.length); i++) {
      const y = spread(clear.frames[i]!, inside[0]!);
      expect(y.hi - y.lo, 'the original shows a picture where the mask is').toBeGreaterThan(40);
      expect(meanDiff(clear.frames[i]!, masked.frames[i]!, outside[0]!), `frame ${i}: luma outside the mask`).toBeLessThan(4);
      expect(meanDiff(clear.frames[i]!, masked.frames[i]!, outside[1]!), `frame ${i}: U outside the mask`).toBeLessThan(3);
      expect(meanDiff(clear.frames[i]!, masked.frames[i]!, outside[2]!), `frame ${i}: V outside the mask`).toBeLessThan(3);
      expect(meanDiff(clear.frames[i]!, masked.frames[i]!, inside[0]!), `frame ${i}: the masked region differs`).toBeGreaterThan(20);
    }
  }, 180_000);

  it('review segments and hover thumbnails of the camera are served masked only', async () => {
    const list = await admin.call('playback.segments', { cameraId: A, fromMs: Date.now() - 60_000, toMs: Date.now() });
    const s = list.segments[1]!;
    const url = `${shell.info.origin}${s.url}?token=${shell.info.token}`;
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(body.subarray(4, 8).toString()).toBe('ftyp');
    const work = mkdtempSync(join(tmpdir(), 'kuzet-pmask-seg-'));
    try {
      const file = join(work, 'seg.mp4');
      writeFileSync(file, body);
      const { w, h, frames } = decode(file, 2);
      expect(frames.length).toBe(2);
      for (const f of frames) expectMasked(f, w, h, 6, 'served segment');
      // the seek path: the whole masked copy for `at`, nothing for `rest` (together: the file once)
      expect(Buffer.from(await (await fetch(`${url}&at=100`)).arrayBuffer()).equals(body)).toBe(true);
      expect((await (await fetch(`${url}&rest=100`)).arrayBuffer()).byteLength).toBe(0);

      const thumb = await fetch(`${shell.info.origin}/rec/thumb/${A}/${s.startMs + 1000}.jpg?token=${shell.info.token}`);
      expect(thumb.status).toBe(200);
      const jpg = join(work, 'thumb.jpg');
      writeFileSync(jpg, Buffer.from(await thumb.arrayBuffer()));
      const t = decode(jpg, 1);
      expect(t.w).toBe(160);
      expectMasked(t.frames[0]!, t.w, t.h, 12, 'hover thumbnail', 8);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
