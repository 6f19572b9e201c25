/**
 * The video of an imported incident package, played by the review player as it plays recordings (issue 11 §1): each
 * of the package's MP4 files (a whole continuous stretch, minutes long) is cut into pieces of about half a minute on
 * key-frame fragments, by copying fragments (fmp4-concat: nothing re-encoded, decode times from 0 like a recorded
 * segment), and the pieces are indexed as read-only segments of a per-incident source. The review routes serve them as
 * they serve recordings (`/rec/pkg/<incident>/<camera>/<startMs>.mp4`: only indexed pieces, masks as for recordings).
 * Pieces are cut once per host start from the verified package copy, into the cache.
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PlaybackSegment } from '../../contract/review-api.js';
import type { CameraTimeline } from '../../contract/review-api.js';
import { concatFmp4 } from '../export/fmp4-concat.js';
import type { Logger } from '../log.js';
import type { MaskPolygon } from '../masks/mask-raster.js';
import type { Segment } from '../recording/segment.js';
import { runFfmpeg } from '../recording/run-ffmpeg.js';
import { buildSpans } from '../recording/timeline.js';
import { PlaybackClips } from '../review/playback-clips.js';
import { readSegmentLayout } from '../review/segment-layout.js';

/** One video file of a package as its manifest lists it (the manifest was verified: name and times are the signer's). */
export interface PackageVideo { cameraId: string; startMs: number; endMs: number; path: string }

/** About this much video per piece (cut on key-frame fragments). */
export const PIECE_MS = 30_000;

interface Source { pieces: Map<string, Segment[]>; clips: PlaybackClips }

export class PackageFootage {
  private readonly sources = new Map<string, Promise<Source>>();
  private readonly ready = new Map<string, Source>();

  constructor(private readonly cacheDir: string, private readonly deps: {
    log: Logger;
    /** Permanent masks of this console's camera of that id apply to package video too (as to recordings). */
    masks?(cameraId: string, which: 'current' | 'permanent'): MaskPolygon[];
    ffmpeg?: string;
  }) {}

  /** The incident's pieces, cut on first use (concurrent callers share the work). */
  private source(incidentId: string, videos: () => Promise<PackageVideo[]>): Promise<Source> {
    let s = this.sources.get(incidentId);
    if (!s) {
      s = this.cut(incidentId, videos).then((x) => { this.ready.set(incidentId, x); return x; });
      s.catch(() => this.sources.delete(incidentId)); // a failed cut is tried again on the next request
      this.sources.set(incidentId, s);
    }
    return s;
  }

  private async cut(incidentId: string, videos: () => Promise<PackageVideo[]>): Promise<Source> {
    const dir = join(this.cacheDir, incidentId);
    rmSync(dir, { recursive: true, force: true }); // cut again from the verified copy: never serve an older cache
    mkdirSync(join(dir, 'pieces'), { recursive: true });
    const pieces = new Map<string, Segment[]>();
    const t0 = Date.now();
    for (const v of (await videos()).sort((a, b) => a.startMs - b.startMs)) {
      const list = pieces.get(v.cameraId) ?? [];
      pieces.set(v.cameraId, list);
      try { list.push(...await cutVideo(v, dir, this.deps.ffmpeg)); } catch (err) {
        this.deps.log.warn('package video not playable', { incidentId, file: v.path, reason: (err as Error).message });
      }
    }
    for (const list of pieces.values()) list.sort((a, b) => a.startMs - b.startMs);
    this.deps.log.info('package video indexed', { incidentId, pieces: [...pieces.values()].reduce((n, l) => n + l.length, 0), tookMs: Date.now() - t0 });
    const clips = new PlaybackClips(join(dir, 'clips'), {
      segments: (c) => pieces.get(c) ?? [], filePath: (s) => s.file,
      ...(this.deps.masks ? { masks: this.deps.masks } : {}), ...(this.deps.ffmpeg ? { ffmpeg: this.deps.ffmpeg } : {}),
    });
    return { pieces, clips };
  }

  /** The pieces of a camera overlapping [fromMs, toMs), as `playback.segments` answers (URLs under `/rec/pkg/`). */
  async segments(incidentId: string, videos: () => Promise<PackageVideo[]>, cameraId: string, fromMs: number, toMs: number): Promise<{ cameraId: string; segments: PlaybackSegment[]; nextMs: number | null }> {
    const s = await this.source(incidentId, videos);
    return { cameraId, ...s.clips.segments(cameraId, fromMs, toMs, (startMs) => `/rec/pkg/${incidentId}/${cameraId}/${startMs}.mp4`) };
  }

  /** What the package holds of each camera over [fromMs, toMs): recorded spans and gaps (no markers: replay adds its own). */
  async timeline(incidentId: string, videos: () => Promise<PackageVideo[]>, cameraIds: readonly string[], fromMs: number, toMs: number): Promise<CameraTimeline[]> {
    const s = await this.source(incidentId, videos);
    return cameraIds.map((cameraId) => ({ cameraId, spans: buildSpans(s.pieces.get(cameraId) ?? [], fromMs, toMs), markers: [] }));
  }

  /** Each camera's pieces (absolute paths), cut on first use: a training scenario from the package plays them live. */
  async pieces(incidentId: string, videos: () => Promise<PackageVideo[]>): Promise<ReadonlyMap<string, readonly Segment[]>> {
    return (await this.source(incidentId, videos)).pieces;
  }

  /** The review routes' view of an incident's pieces, once they are cut (null before: the player lists first). */
  files(incidentId: string): PlaybackClips | null { return this.ready.get(incidentId)?.clips ?? null; }
}

/** Cuts one package video into pieces: fragments copied, each piece starting on a key frame at decode time 0. */
async function cutVideo(v: PackageVideo, dir: string, ffmpeg?: string): Promise<Segment[]> {
  let src = v.path;
  let layout = await readSegmentLayout(src);
  if (!layout) {
    // not fragmented (a masked file is a faststart MP4): a fragmented copy first, the same samples
    src = join(dir, `${v.cameraId}_${v.startMs}.frag.mp4`);
    await runFfmpeg(['-v', 'error', '-i', v.path, '-map', '0:v:0', '-c', 'copy', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', '-y', src], ffmpeg);
    layout = await readSegmentLayout(src);
    if (!layout) throw new Error('the video is not an MP4 this console can play');
  }
  const cuts: number[] = [];
  for (const f of layout.fragments) if (f.key && (cuts.length === 0 || f.atMs - (cuts[cuts.length - 1] as number) >= PIECE_MS)) cuts.push(f.atMs);
  const out: Segment[] = [];
  for (const [k, at] of cuts.entries()) {
    const next = cuts[k + 1];
    const file = join(dir, 'pieces', `${v.cameraId}_${v.startMs}_${k}.mp4`);
    // fragments are about a second apart: 100 ms inside the cut points selects exactly the fragments between them
    const r = await concatFmp4([{ path: src, startMs: v.startMs }], v.startMs + at + 100, next === undefined ? Number.MAX_SAFE_INTEGER : v.startMs + next - 100, file);
    out.push({ cameraId: v.cameraId, startMs: r.startMs, endMs: r.endMs, file, bytes: r.bytes, status: 'ok' });
  }
  if (src !== v.path && existsSync(src) && statSync(src).isFile()) rmSync(src, { force: true });
  return out;
}
