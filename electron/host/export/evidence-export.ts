/**
 * Evidence export: time range x cameras -> standard MP4 files remuxed from the recorded segments
 * (`ffmpeg -f concat -c copy`: the camera's own compressed video, nothing re-encoded), one file per
 * camera and continuous recorded stretch (a gap starts a new file: playback time never hides a gap),
 * optionally a burned-in (re-encoded) copy of each, plus a signed manifest listing every file.
 * Cancellable; a failed or cancelled export leaves no folder. Every export is written to the audit log.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BurnIn, ExportProgress, ExportResult } from '../../contract/review-api.js';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import type { Segment } from '../recording/segment.js';
import { runFfmpeg } from '../recording/run-ffmpeg.js';
import { mapLimit } from '../recording/probe-segment.js';
import { burnIn, type OverlayEvent } from './burn-in.js';
import { concatFmp4 } from './fmp4-concat.js';
import { GAP_TOLERANCE_MS, buildSpans, segmentsIn } from '../recording/timeline.js';
import { newId } from '../recording/review-store.js';
import { hashFile } from './verify-export.js';
import { MANIFEST_FILE, MANIFEST_FORMAT, PUBLIC_KEY_FILE, SIGNATURE_FILE, manifestBytes, signManifest, type Manifest, type ManifestFile, type ManifestMask } from './manifest.js';
import { burnMasksIntoVideo } from '../masks/mask-burn.js';
import type { SigningKey } from './signing-key.js';

export interface ExportRequest {
  cameraIds: string[]; fromMs: number; toMs: number; reason: string; by: string; id?: string | undefined; burnIn?: BurnIn | undefined;
  /** Leave privacy masks off: the originals in the clear (the caller checked the right exportUnmasked). */
  unmasked?: boolean | undefined;
}

export interface ExportDeps {
  exportsDir: string;
  segments(cameraId: string): readonly Segment[];
  filePath(seg: Segment): string;
  cameraName(cameraId: string): string;
  key: SigningKey;
  software: string;
  ffmpeg?: string;
  /** Cancels the export (ffmpeg killed, folder removed). */
  signal?: AbortSignal;
  /** Analytics events with boxes on a camera in a range (the event store), for burn-in. */
  overlays?(cameraId: string, fromMs: number, toMs: number): OverlayEvent[];
  progress?(p: ExportProgress): void;
  /** The privacy masks that apply to a camera's pictures (the mask book): burned into its files unless `unmasked`. */
  masks?(cameraId: string): ManifestMask[];
}

/** Longest range one export may cover (a day of every camera asked for is already a big export). */
export const MAX_EXPORT_MS = 24 * 3_600_000;

/** Runs of segments with no gap longer than the tolerance between them (corrupt segments end a run). */
export function continuousRuns(segs: readonly Segment[]): Segment[][] {
  const runs: Segment[][] = [];
  for (const s of segs) {
    if (s.status === 'corrupt') { runs.push([]); continue; }
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run && last && s.startMs - last.endMs <= GAP_TOLERANCE_MS && s.startMs >= last.startMs) run.push(s);
    else runs.push([s]);
  }
  return runs.filter((r) => r.length > 0);
}

const compactIso = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
/** ffconcat quoting: a path is one single-quoted word, ' written as '\'' */
const ffconcatPath = (p: string) => `'${p.replace(/'/g, "'\\''")}'`;

/** One output file of the plan: a continuous stretch of one camera inside the range. */
interface Job { cameraId: string; run: Segment[]; name: string; startMs: number; endMs: number }

/** Remuxes run two at a time (I/O and demuxing, one core each); burn-in encodes run one at a time (x264 uses both cores). */
const REMUX_PARALLEL = 2;
/** Progress weight of re-encoding a second of video against remuxing it. */
const ENCODE_WEIGHT = 12;

export async function exportEvidence(req: ExportRequest, d: ExportDeps): Promise<ExportResult> {
  if (req.toMs <= req.fromMs) throw new ContractError('invalid', 'the export range must end after it starts', reason('rangeBackwards'));
  if (req.toMs - req.fromMs > MAX_EXPORT_MS) throw new ContractError('invalid', 'an export covers at most 24 hours', reason('exportTooLong', { hours: MAX_EXPORT_MS / 3_600_000 }));
  const cameraIds = [...new Set(req.cameraIds)];
  const plan = cameraIds.map((cameraId) => ({ cameraId, runs: continuousRuns(segmentsIn(d.segments(cameraId), req.fromMs, req.toMs)) }));
  const jobs: Job[] = plan.flatMap(({ cameraId, runs }) => runs.map((run) => {
    const startMs = Math.max((run[0] as Segment).startMs, req.fromMs);
    const endMs = Math.min((run[run.length - 1] as Segment).endMs, req.toMs);
    return { cameraId, run, name: `${cameraId}_${compactIso(startMs)}.mp4`, startMs, endMs };
  })).filter((j) => j.endMs > j.startMs);
  if (jobs.length === 0) throw new ContractError('not-found', `no recorded footage of ${cameraIds.join(', ')} between ${new Date(req.fromMs).toISOString()} and ${new Date(req.toMs).toISOString()}`,
    reason('exportNoFootage', { cameras: cameraIds.join(', ') }));

  // privacy masks (issue 12 §3): a camera with masks gets a masked copy in place of its original, unless unmasked
  const masks = new Map(cameraIds.map((c) => [c, d.masks?.(c) ?? []] as const).filter(([, m]) => m.length > 0));
  const maskedIds = req.unmasked ? new Set<string>() : new Set(masks.keys());
  const t0 = Date.now();
  const id = req.id ?? newId('export');
  const dir = join(d.exportsDir, id);
  if (existsSync(dir)) throw new ContractError('invalid', `an export ${id} exists already`, reason('exportExists', { id }));
  mkdirSync(dir, { recursive: true });
  const files: ManifestFile[] = [];
  const profile = { remuxMs: 0, hashMs: 0, encodeMs: 0, signMs: 0 };
  let footageMs = jobs.reduce((n, j) => n + j.endMs - j.startMs, 0);
  const maskedMs = () => jobs.filter((j) => maskedIds.has(j.cameraId)).reduce((n, j) => n + j.endMs - j.startMs, 0);
  const work = footageMs * (1 + (req.burnIn ? ENCODE_WEIGHT : 0)) + maskedMs() * ENCODE_WEIGHT;
  let worked = 0;
  const progress = (cameraId: string | null, stage: 'remux' | 'encode' | 'hash' | 'sign', extra = 0) =>
    d.progress?.({ id, cameraId, done: Math.min(0.99, (worked + extra) / work), stage });
  try {
    progress(null, 'remux');
    const originals = await mapLimit(jobs, REMUX_PARALLEL, async (j) => {
      const t = Date.now();
      // our own fragmented segments: copied fragment by fragment and hashed in the same pass; anything else: ffmpeg
      const direct = await concatFmp4(j.run.map((s) => ({ path: d.filePath(s), startMs: s.startMs })), req.fromMs, req.toMs, join(dir, j.name), d.signal)
        .catch((err: unknown) => { if ((err as Error).name === 'AbortError') throw err; return null; });
      let f: ManifestFile;
      if (direct) {
        j.startMs = direct.startMs;
        j.endMs = direct.endMs;
        profile.remuxMs += Date.now() - t;
        const h = Date.now();
        f = await fileEntry(dir, j.name, j, 'original');
        profile.hashMs += Date.now() - h;
      } else {
        await remux(j, req, dir, id, d);
        profile.remuxMs += Date.now() - t;
        const h = Date.now();
        f = await fileEntry(dir, j.name, j, 'original');
        profile.hashMs += Date.now() - h;
      }
      worked += j.endMs - j.startMs;
      progress(j.cameraId, 'remux');
      return f;
    });
    footageMs = jobs.reduce((n, j) => n + j.endMs - j.startMs, 0); // what the files really cover (cuts on fragment boundaries)
    // a masked camera: its original is re-encoded with the masks burned in, and the clear original leaves the folder
    const sourceOf = new Map<Job, string>();
    for (const [k, j] of jobs.entries()) {
      const m = maskedIds.has(j.cameraId) ? masks.get(j.cameraId) : undefined;
      if (!m) { files.push(originals[k] as ManifestFile); continue; }
      const t = Date.now();
      const name = j.name.replace(/\.mp4$/, '_masked.mp4');
      const ms = j.endMs - j.startMs;
      await burnMasksIntoVideo(join(dir, j.name), join(dir, name), m.map((x) => x.polygon), {
        ffmpeg: d.ffmpeg, ...(d.signal ? { signal: d.signal } : {}), onProgress: (outMs) => progress(j.cameraId, 'encode', Math.min(outMs, ms) * ENCODE_WEIGHT),
        output: ['-movflags', '+faststart', '-metadata', `creation_time=${new Date(j.startMs).toISOString()}`,
          '-metadata', `comment=Kuzet evidence ${id} camera ${j.cameraId}, privacy masks burned in (re-encoded)`],
      });
      rmSync(join(dir, j.name), { force: true });
      profile.encodeMs += Date.now() - t;
      worked += ms * ENCODE_WEIGHT;
      sourceOf.set(j, name);
      files.push(await fileEntry(dir, name, j, 'masked'));
    }
    if (req.burnIn) {
      for (const j of jobs) {
        const t = Date.now();
        const name = j.name.replace(/\.mp4$/, '_burnin.mp4');
        const ms = j.endMs - j.startMs;
        const source = sourceOf.get(j);
        await burnIn(j, req.burnIn, { dir, id, name, by: req.by, overlays: d.overlays?.(j.cameraId, j.startMs, j.endMs) ?? [], ffmpeg: d.ffmpeg, signal: d.signal,
          onProgress: (outMs) => progress(j.cameraId, 'encode', Math.min(outMs, ms) * ENCODE_WEIGHT), ...(source ? { source } : {}) });
        profile.encodeMs += Date.now() - t;
        worked += ms * ENCODE_WEIGHT;
        const h = Date.now();
        files.push(await fileEntry(dir, name, j, 'burn-in'));
        profile.hashMs += Date.now() - h;
      }
    }
    if (d.signal?.aborted) throw abortError();
    progress(null, 'sign');
    const s0 = Date.now();
    const gaps = plan.flatMap(({ cameraId }) => buildSpans(d.segments(cameraId), req.fromMs, req.toMs)
      .filter((s) => s.kind !== 'recorded').map((s) => ({ cameraId, startMs: s.startMs, endMs: s.endMs })));
    const manifest: Manifest = {
      format: MANIFEST_FORMAT, id, createdAt: new Date().toISOString(), exportedBy: req.by, reason: req.reason,
      range: { fromMs: req.fromMs, toMs: req.toMs, from: new Date(req.fromMs).toISOString(), to: new Date(req.toMs).toISOString() },
      cameras: cameraIds.map((c) => ({ id: c, name: d.cameraName(c) })), files, gaps, reencoded: !!req.burnIn,
      ...(req.burnIn ? { burnIn: req.burnIn } : {}),
      ...(masks.size ? { masks: [...masks.values()].flat(), ...(req.unmasked ? { unmasked: true } : {}) } : {}), software: d.software,
      signer: { algorithm: 'Ed25519', publicKeyPem: d.key.publicKeyPem, fingerprint: d.key.fingerprint },
    };
    const bytes = manifestBytes(manifest);
    writeFileSync(join(dir, MANIFEST_FILE), bytes);
    writeFileSync(join(dir, SIGNATURE_FILE), signManifest(bytes, d.key.privateKey) + '\n');
    writeFileSync(join(dir, PUBLIC_KEY_FILE), d.key.publicKeyPem);
    writeFileSync(join(dir, 'README.txt'), `Kuzet evidence export ${id}\nVerify: kuzet verify <this folder>  (signer ${d.key.fingerprint})\n`
      + `Files of kind "original" are standard MP4 with the camera's own H.264, not re-encoded; manifest.json lists times, SHA-256 and gaps.\n`
      + (req.burnIn ? 'Files ending in _burnin.mp4 are re-encoded copies with the time stamp, watermark and event boxes drawn in (for presentation; the originals are the evidence).\n' : '')
      + (maskedIds.size ? 'Files ending in _masked.mp4 are re-encoded with privacy masks burned in (manifest.json "masks"); those cameras\' originals are not part of this export.\n' : '')
      + (req.unmasked && masks.size ? 'Exported WITHOUT privacy masks (manifest.json "unmasked"): the masks listed were left off.\n' : ''));
    profile.signMs = Date.now() - s0;
    d.progress?.({ id, cameraId: null, done: 1, stage: 'done' });
    return {
      id, dir, files: files.map((f) => ({ cameraId: f.cameraId, file: f.name, bytes: f.bytes, startMs: f.startMs, endMs: f.endMs, sha256: f.sha256, kind: f.kind })),
      gaps, tookMs: Date.now() - t0, footageMs, profile,
    };
  } catch (err) {
    const cancelled = (err as Error).name === 'AbortError' || d.signal?.aborted;
    d.progress?.({ id, cameraId: null, done: 0, stage: cancelled ? 'cancelled' : 'error', message: cancelled ? 'cancelled' : String(err) });
    rmSync(dir, { recursive: true, force: true }); // a half-written export must not look like evidence
    if (cancelled) throw new ContractError('conflict', `export ${id} was cancelled`, reason('exportCancelled', { id }));
    throw err;
  }
}

/** The stretch as one standard MP4: the segments concatenated without re-encoding (moov at the end: one pass). */
async function remux(j: Job, req: ExportRequest, dir: string, id: string, d: ExportDeps): Promise<void> {
  const list = j.run.map((s, i) => {
    const lines = [`file ${ffconcatPath(d.filePath(s))}`];
    if (i === 0 && req.fromMs > s.startMs) lines.push(`inpoint ${((req.fromMs - s.startMs) / 1000).toFixed(3)}`);
    if (i === j.run.length - 1 && req.toMs < s.endMs) lines.push(`outpoint ${((req.toMs - s.startMs) / 1000).toFixed(3)}`);
    return lines.join('\n');
  }).join('\n');
  const listPath = join(dir, `.${j.name}.ffconcat`);
  writeFileSync(listPath, `ffconcat version 1.0\n${list}\n`);
  try {
    // segments are our own recordings with known streams: a small probe per file instead of decoding frames to guess
    await runFfmpeg(['-probesize', '65536', '-analyzeduration', '0', '-f', 'concat', '-safe', '0', '-i', listPath,
      '-map', '0:v:0', '-c', 'copy', '-metadata', `creation_time=${new Date(j.startMs).toISOString()}`,
      '-metadata', `comment=Kuzet evidence ${id} camera ${j.cameraId}`, '-y', join(dir, j.name)], d.ffmpeg, d.signal ? { signal: d.signal } : {});
  } finally {
    rmSync(listPath, { force: true });
  }
}

async function fileEntry(dir: string, name: string, j: Job, kind: ManifestFile['kind']): Promise<ManifestFile> {
  const p = join(dir, name);
  return { name, cameraId: j.cameraId, startMs: j.startMs, endMs: j.endMs, bytes: statSync(p).size, sha256: await hashFile(p), kind };
}

function abortError(): Error { const e = new Error('cancelled'); e.name = 'AbortError'; return e; }
