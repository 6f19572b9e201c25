/**
 * Evidence export: time range x cameras -> standard MP4 files remuxed from the recorded segments
 * (`ffmpeg -f concat -c copy`: the camera's own compressed video, nothing re-encoded), one file per
 * camera and continuous recorded stretch (a gap starts a new file: playback time never hides a gap),
 * plus a signed manifest. Every export is written to the audit log.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportResult } from '../../contract/review-api.js';
import { ContractError } from '../../contract/api.js';
import type { Segment } from '../recording/segment.js';
import { runFfmpeg } from '../recording/run-ffmpeg.js';
import { GAP_TOLERANCE_MS, buildSpans, segmentsIn } from '../recording/timeline.js';
import { newId } from '../recording/review-store.js';
import { hashFile } from './verify-export.js';
import { MANIFEST_FILE, MANIFEST_FORMAT, PUBLIC_KEY_FILE, SIGNATURE_FILE, manifestBytes, signManifest, type Manifest, type ManifestFile } from './manifest.js';
import type { SigningKey } from './signing-key.js';

export interface ExportRequest { cameraIds: string[]; fromMs: number; toMs: number; reason: string; by: string }

export interface ExportDeps {
  exportsDir: string;
  segments(cameraId: string): readonly Segment[];
  filePath(seg: Segment): string;
  cameraName(cameraId: string): string;
  key: SigningKey;
  software: string;
  ffmpeg?: string;
  progress?(p: { id: string; cameraId: string | null; done: number; stage: 'remux' | 'hash' | 'sign' | 'done' | 'error'; message?: string }): void;
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

export async function exportEvidence(req: ExportRequest, d: ExportDeps): Promise<ExportResult> {
  if (req.toMs <= req.fromMs) throw new ContractError('invalid', 'the export range must end after it starts');
  if (req.toMs - req.fromMs > MAX_EXPORT_MS) throw new ContractError('invalid', 'an export covers at most 24 hours');
  const cameraIds = [...new Set(req.cameraIds)];
  const plan = cameraIds.map((cameraId) => ({ cameraId, runs: continuousRuns(segmentsIn(d.segments(cameraId), req.fromMs, req.toMs)) }));
  const footage = plan.reduce((n, p) => n + p.runs.length, 0);
  if (footage === 0) throw new ContractError('not-found', `no recorded footage of ${cameraIds.join(', ')} between ${new Date(req.fromMs).toISOString()} and ${new Date(req.toMs).toISOString()}`);

  const t0 = Date.now();
  const id = newId('export');
  const dir = join(d.exportsDir, id);
  mkdirSync(dir, { recursive: true });
  const files: ManifestFile[] = [];
  let footageMs = 0;
  try {
    const total = footage;
    let done = 0;
    for (const { cameraId, runs } of plan) {
      for (const run of runs) {
        const first = run[0] as Segment;
        const last = run[run.length - 1] as Segment;
        const startMs = Math.max(first.startMs, req.fromMs);
        const endMs = Math.min(last.endMs, req.toMs);
        if (endMs <= startMs) continue;
        const name = `${cameraId}_${compactIso(startMs)}.mp4`;
        const list = run.map((s, i) => {
          const lines = [`file ${ffconcatPath(d.filePath(s))}`];
          if (i === 0 && req.fromMs > s.startMs) lines.push(`inpoint ${((req.fromMs - s.startMs) / 1000).toFixed(3)}`);
          if (i === run.length - 1 && req.toMs < s.endMs) lines.push(`outpoint ${((req.toMs - s.startMs) / 1000).toFixed(3)}`);
          return lines.join('\n');
        }).join('\n');
        const listPath = join(dir, `.${name}.ffconcat`);
        writeFileSync(listPath, `ffconcat version 1.0\n${list}\n`);
        d.progress?.({ id, cameraId, done: done / total, stage: 'remux' });
        await runFfmpeg(['-f', 'concat', '-safe', '0', '-i', listPath,
          '-map', '0:v:0', '-c', 'copy', '-movflags', '+faststart', '-metadata', `creation_time=${new Date(startMs).toISOString()}`,
          '-metadata', `comment=Kuzet evidence ${id} camera ${cameraId}`, '-y', join(dir, name)], d.ffmpeg);
        rmSync(listPath, { force: true });
        d.progress?.({ id, cameraId, done: (done + 0.9) / total, stage: 'hash' });
        files.push({ name, cameraId, startMs, endMs, bytes: statSync(join(dir, name)).size, sha256: await hashFile(join(dir, name)) });
        footageMs += endMs - startMs;
        done++;
      }
    }
    d.progress?.({ id, cameraId: null, done: 0.99, stage: 'sign' });
    const gaps = plan.flatMap(({ cameraId }) => buildSpans(d.segments(cameraId), req.fromMs, req.toMs)
      .filter((s) => s.kind !== 'recorded').map((s) => ({ cameraId, startMs: s.startMs, endMs: s.endMs })));
    const manifest: Manifest = {
      format: MANIFEST_FORMAT, id, createdAt: new Date().toISOString(), exportedBy: req.by, reason: req.reason,
      range: { fromMs: req.fromMs, toMs: req.toMs, from: new Date(req.fromMs).toISOString(), to: new Date(req.toMs).toISOString() },
      cameras: cameraIds.map((c) => ({ id: c, name: d.cameraName(c) })), files, gaps, reencoded: false, software: d.software,
      signer: { algorithm: 'Ed25519', publicKeyPem: d.key.publicKeyPem, fingerprint: d.key.fingerprint },
    };
    const bytes = manifestBytes(manifest);
    writeFileSync(join(dir, MANIFEST_FILE), bytes);
    writeFileSync(join(dir, SIGNATURE_FILE), signManifest(bytes, d.key.privateKey) + '\n');
    writeFileSync(join(dir, PUBLIC_KEY_FILE), d.key.publicKeyPem);
    writeFileSync(join(dir, 'README.txt'), `Kuzet evidence export ${id}\nVerify: kuzet verify <this folder>  (signer ${d.key.fingerprint})\nVideo files are standard MP4 (H.264, not re-encoded); manifest.json lists times, SHA-256 and gaps.\n`);
    d.progress?.({ id, cameraId: null, done: 1, stage: 'done' });
    return { id, dir, files: files.map((f) => ({ cameraId: f.cameraId, file: f.name, bytes: f.bytes, startMs: f.startMs, endMs: f.endMs, sha256: f.sha256 })), gaps, tookMs: Date.now() - t0, footageMs };
  } catch (err) {
    d.progress?.({ id, cameraId: null, done: 0, stage: 'error', message: String(err) });
    rmSync(dir, { recursive: true, force: true }); // a half-written export must not look like evidence
    throw err;
  }
}
