/**
 * Playback for review. The player's path is `segments()`: the recorded fragmented-MP4 segments themselves,
 * served as they are (`/rec/seg/<camera>/<startMs>.mp4`) and fed to a MediaSource one by one: nothing is
 * remuxed when the operator seeks. `clip()` is the older path (a window remuxed into one faststart MP4), kept
 * for a single downloadable file. Thumbnails come from one segment.
 *
 * Clips: a window of one camera's recording remuxed (copy, no re-encode) into one
 * faststart MP4 in the cache, served over HTTP with Range so Chromium's <video> seeks and steps
 * frame-accurately inside it. Gaps are cut out by the concat; `spans` maps clip time back to wall time.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import type { PlaybackClip, PlaybackSegment } from '../../contract/review-api.js';
import type { StreamProfile } from '../../contract/schemas.js';
import type { Segment } from '../recording/segment.js';
import { segmentsIn } from '../recording/timeline.js';
import { runFfmpeg } from '../recording/run-ffmpeg.js';
import { burnMasksIntoVideo, maskedStill } from '../masks/mask-burn.js';
import { polygonsKey, type MaskPolygon } from '../masks/mask-raster.js';
import { recordedStreamFor } from './stream-pick.js';

export const CLIP_NAME = /^[a-z0-9][a-z0-9_-]{0,63}_\d+_\d+(?:_m[0-9a-f]{12})?\.mp4$/;
const CACHE_KEEP_MS = 10 * 60_000;

export class PlaybackClips {
  private readonly building = new Map<string, Promise<void>>();

  constructor(private readonly dir: string, private readonly deps: {
    segments(cameraId: string): readonly Segment[]; filePath(seg: Segment): string; ffmpeg?: string;
    /** The camera's sub-stream segments (recordings only: a package's footage is main only and leaves it out). */
    subSegments?(cameraId: string): readonly Segment[];
    /**
     * The privacy masks of a camera (issue 12 §3): `permanent` ones are burned into every recorded video served (segments,
     * clips); `current` ones (liftable too, unless lifted) into thumbnails.
     */
    masks?(cameraId: string, which: 'current' | 'permanent'): MaskPolygon[];
  }) {
    mkdirSync(dir, { recursive: true });
  }

  /** The camera's polygons of that kind and a short key of them for cache names ('' when none). */
  private masksOf(cameraId: string, which: 'current' | 'permanent'): { polygons: MaskPolygon[]; key: string } {
    const polygons = this.deps.masks?.(cameraId, which) ?? [];
    return { polygons, key: polygons.length ? `m${createHash('sha256').update(polygonsKey(polygons)).digest('hex').slice(0, 12)}` : '' };
  }

  /** Does recorded video of the camera leave the host masked (it has permanent masks)? */
  masked(cameraId: string): boolean { return this.masksOf(cameraId, 'permanent').polygons.length > 0; }

  /**
   * A masked copy of one recorded segment (its permanent masks burned in; fragmented MP4 from time 0 like the original,
   * no B-frames, so the review player appends it as it would the original), cached per masks; null when the camera
   * has no permanent mask or the copy cannot be made.
   */
  async maskedSegment(cameraId: string, startMs: number, source: string, stream: StreamProfile = 'main'): Promise<string | null> {
    const m = this.masksOf(cameraId, 'permanent');
    if (!m.polygons.length) return null;
    const dir = join(this.dir, 'masked');
    mkdirSync(dir, { recursive: true });
    const out = join(dir, `${cameraId}_${startMs}${stream === 'sub' ? '_sub' : ''}_${m.key}.mp4`);
    if (existsSync(out)) return out;
    const pending = this.building.get(out);
    if (pending) { await pending; return existsSync(out) ? out : null; }
    const p = (async () => {
      const tmp = `${out}.part`;
      try {
        await burnMasksIntoVideo(source, tmp, m.polygons, { ...(this.deps.ffmpeg ? { ffmpeg: this.deps.ffmpeg } : {}), preset: 'ultrafast', output: ['-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4'] });
        renameSync(tmp, out);
      } finally {
        rmSync(tmp, { force: true });
        this.building.delete(out);
      }
    })();
    this.building.set(out, p);
    try { await p; return out; } catch { return null; }
  }

  /** A clip around atMs (a quarter of the window before it). Throws not-found when nothing is recorded there. */
  async clip(cameraId: string, atMs: number, windowMs: number, urlFor: (name: string) => string): Promise<PlaybackClip> {
    const all = this.deps.segments(cameraId);
    let segs = segmentsIn(all, atMs - windowMs / 4, atMs + (windowMs * 3) / 4).filter((s) => s.status !== 'corrupt');
    if (segs.length === 0 || !segs.some((s) => s.endMs > atMs)) {
      // nothing at or after atMs in the window: the next recorded footage, if any
      const next = all.find((s) => s.startMs >= atMs && s.status !== 'corrupt');
      if (!next) throw new ContractError('not-found', `no recording of ${cameraId} at or after ${new Date(atMs).toISOString()}`, reason('noFootage', { camera: cameraId }));
      segs = segmentsIn(all, next.startMs, next.startMs + windowMs).filter((s) => s.status !== 'corrupt');
    }
    const first = segs[0] as Segment;
    const last = segs[segs.length - 1] as Segment;
    const m = this.masksOf(cameraId, 'permanent');
    const name = `${cameraId}_${first.startMs}_${last.endMs}${m.key ? `_${m.key}` : ''}.mp4`;
    const path = join(this.dir, name);
    if (!existsSync(path)) await this.build(name, path, segs, m.polygons);
    this.sweep(name);
    let clipMs = 0;
    const spans = segs.map((s) => { const span = { clipMs, startMs: s.startMs, endMs: s.endMs }; clipMs += s.endMs - s.startMs; return span; });
    return { cameraId, url: urlFor(name), startMs: first.startMs, endMs: last.endMs, spans };
  }

  /** Most segments one `playback.segments` answer lists (about 17 minutes of 4-second segments). */
  static readonly MAX_SEGMENTS = 256;

  /**
   * The playable segments of a camera overlapping [fromMs, toMs), in time order, and where footage resumes after toMs.
   * `want` 'sub': the sub-stream's segments where its recording covers the range (recordedStreamFor), else the main stream's.
   */
  segments(cameraId: string, fromMs: number, toMs: number, urlFor: (startMs: number, stream: StreamProfile) => string, want: StreamProfile = 'main'): { segments: PlaybackSegment[]; nextMs: number | null; stream: StreamProfile } {
    if (toMs <= fromMs) throw new ContractError('invalid', 'the time range must end after it starts', reason('rangeBackwards'));
    const main = this.deps.segments(cameraId);
    const sub = want === 'sub' ? this.deps.subSegments?.(cameraId) ?? [] : [];
    const stream = recordedStreamFor(want, main, sub, fromMs, toMs);
    const all = stream === 'sub' ? sub : main;
    const segs = segmentsIn(all, fromMs, toMs).filter((s) => s.status !== 'corrupt').slice(0, PlaybackClips.MAX_SEGMENTS);
    const after = segs.length === PlaybackClips.MAX_SEGMENTS ? (segs[segs.length - 1] as Segment).endMs : toMs;
    const next = firstAtOrAfter(all, after);
    return { segments: segs.map((s) => ({ startMs: s.startMs, endMs: s.endMs, url: urlFor(s.startMs, stream), bytes: s.bytes })), nextMs: next ? next.startMs : null, stream };
  }

  /** File of the camera's indexed, playable segment of that stream that starts exactly at startMs (the HTTP route's only way in). */
  segmentPath(cameraId: string, startMs: number, stream: StreamProfile = 'main'): string | null {
    const all = stream === 'sub' ? this.deps.subSegments?.(cameraId) ?? [] : this.deps.segments(cameraId);
    const s = all[lowerBound(all, startMs)];
    if (!s || s.startMs !== startMs || s.status === 'corrupt') return null;
    try { return this.deps.filePath(s); } catch { return null; }
  }

  /** A 160-pixel JPEG of the camera at atMs (the nearest earlier key frame), cached; null when nothing is recorded then. */
  async thumbnail(cameraId: string, atMs: number): Promise<string | null> {
    const seg = segmentsIn(this.deps.segments(cameraId), atMs, atMs + 1).find((s) => s.status !== 'corrupt');
    if (!seg) return null;
    const dir = join(this.dir, 'thumbs');
    mkdirSync(dir, { recursive: true });
    // masks as they apply now (a lift shows the liftable ones' region; the cache name follows the masks)
    const m = this.masksOf(cameraId, 'current');
    const out = join(dir, `${cameraId}_${atMs}${m.key ? `_${m.key}` : ''}.jpg`);
    if (existsSync(out)) return out;
    const tmp = `${out}.part.jpg`;
    try {
      await maskedStill(this.deps.filePath(seg), (atMs - seg.startMs) / 1000, tmp, m.polygons, 160, this.deps.ffmpeg);
      renameSync(tmp, out);
      return out;
    } catch {
      rmSync(tmp, { force: true });
      return null;
    }
  }

  /** Absolute path of a cached clip by its name (the HTTP route's only way in). */
  pathOf(name: string): string | null {
    if (!CLIP_NAME.test(name)) return null;
    const p = join(this.dir, name);
    return existsSync(p) ? p : null;
  }

  private build(name: string, path: string, segs: Segment[], masks: readonly MaskPolygon[]): Promise<void> {
    const pending = this.building.get(name);
    if (pending) return pending;
    const p = (async () => {
      const list = join(this.dir, `.${name}.ffconcat`);
      writeFileSync(list, `ffconcat version 1.0\n${segs.map((s) => `file '${this.deps.filePath(s).replace(/'/g, "'\\''")}'`).join('\n')}\n`);
      const tmp = `${path}.part`;
      try {
        await runFfmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-map', '0:v:0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', '-y', tmp], this.deps.ffmpeg);
        if (masks.length) {
          // a masked camera's clip is re-encoded with its permanent masks; the clear remux never leaves this folder
          const clear = `${path}.clear`;
          renameSync(tmp, clear);
          try { await burnMasksIntoVideo(clear, tmp, masks, { ...(this.deps.ffmpeg ? { ffmpeg: this.deps.ffmpeg } : {}), output: ['-movflags', '+faststart', '-f', 'mp4'] }); } finally { rmSync(clear, { force: true }); }
        }
        renameSync(tmp, path);
      } finally {
        rmSync(list, { force: true });
        rmSync(tmp, { force: true });
        this.building.delete(name);
      }
    })();
    this.building.set(name, p);
    return p;
  }

  private sweep(keep: string) {
    const now = Date.now();
    for (const n of readdirSync(this.dir)) {
      if (n === keep || !CLIP_NAME.test(n)) continue;
      try { if (now - statSync(join(this.dir, n)).atimeMs > CACHE_KEEP_MS) rmSync(join(this.dir, n), { force: true }); } catch { /* raced */ }
    }
  }
}

/** Index of the first segment starting at or after ms in a list sorted by start. */
function lowerBound(sorted: readonly Segment[], ms: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as Segment).startMs < ms) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** First playable (not corrupt) segment starting at or after ms. */
function firstAtOrAfter(sorted: readonly Segment[], ms: number): Segment | undefined {
  for (let i = lowerBound(sorted, ms); i < sorted.length; i++) if ((sorted[i] as Segment).status !== 'corrupt') return sorted[i];
  return undefined;
}
