/**
 * Privacy masks burned into recorded video and pictures with ffmpeg (issue 12 §3): review segments of a masked camera,
 * review clips, hover thumbnails, alarm snapshots and exports. The recording itself stays the camera's own compressed
 * stream (docs/masks.md, "Recording: masked when served"); what leaves the host is made here.
 *
 * The mask is a PAM image of the picture's exact size (mask-raster.ts: the same pixel rule as the media worker, on whole
 * chroma blocks) overlaid on every frame; nothing a user typed reaches the filter graph (it is fixed text, and the image
 * is a file ffmpeg reads).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFfmpeg, type FfmpegRunOptions } from '../recording/run-ffmpeg.js';
import { maskImagePam, type MaskPolygon } from './mask-raster.js';

export const FFPROBE_BIN = '/usr/bin/ffprobe';

/** Width and height of the first video stream of a file (ffprobe). */
export function probeVideoSize(file: string, ffprobe = FFPROBE_BIN): Promise<{ width: number; height: number }> {
  return new Promise((resolve, reject) => {
    execFile(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'json', file], { timeout: 15_000 }, (err, out) => {
      if (err) { reject(new Error(`cannot read the picture size of ${file}: ${err.message}`)); return; }
      try {
        const s = (JSON.parse(out) as { streams?: Array<{ width?: number; height?: number }> }).streams?.[0];
        if (!s?.width || !s.height) throw new Error('no video stream');
        resolve({ width: s.width, height: s.height });
      } catch (e) { reject(new Error(`cannot read the picture size of ${file}: ${(e as Error).message}`)); }
    });
  });
}

/** The filter that lays input 1 (the mask image) over input 0, then `tail` (more filters, comma-separated) if any. */
export function maskGraph(tail?: string, pixelFormat = 'yuv420p'): string {
  return `[0:v][1:v]overlay=0:0:format=yuv420${tail ? `,${tail}` : ''}${pixelFormat ? `,format=${pixelFormat}` : ''}[v]`;
}

export interface MaskedVideoOptions extends FfmpegRunOptions {
  ffmpeg?: string | undefined;
  ffprobe?: string;
  /** Filters after the mask (burn-in text, scaling), comma-separated; they read files relative to `cwd`. */
  after?: string;
  /** Output options before the output file (container flags, metadata); default: a faststart MP4. */
  output?: string[];
  /** x264 preset (default veryfast: exports; review segments use ultrafast). */
  preset?: string;
  /** Extra input options before the video input (seek, start offset). */
  input?: string[];
}

/**
 * Re-encodes `input` into `output` with the polygons painted black on every frame (H.264, yuv420p). With no polygons
 * it still re-encodes (callers decide whether masking is needed).
 */
export async function burnMasksIntoVideo(input: string, output: string, polygons: readonly MaskPolygon[], o: MaskedVideoOptions = {}): Promise<void> {
  const { width, height } = await probeVideoSize(input, o.ffprobe);
  const work = mkdtempSync(join(tmpdir(), 'kuzet-mask-'));
  try {
    const image = join(work, 'mask.pam');
    writeFileSync(image, maskImagePam(polygons, width, height));
    await runFfmpeg([...(o.input ?? []), '-i', input, '-i', image, '-filter_complex', maskGraph(o.after), '-map', '[v]',
      '-c:v', 'libx264', '-preset', o.preset ?? 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p',
      ...(o.output ?? ['-movflags', '+faststart']), '-y', output], o.ffmpeg, o);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * One frame of `input` at `atS` seconds as a JPEG `width` pixels wide (height by aspect), masks painted first: the frame
 * on screen at that moment. A moment after the file's last frame is that last frame: a recorded segment's indexed end
 * is its wall-clock end, a few milliseconds after its last frame's time, and a seek past the last frame makes nothing.
 */
export async function maskedStill(input: string, atS: number, output: string, polygons: readonly MaskPolygon[], width: number, ffmpeg?: string): Promise<void> {
  rmSync(output, { force: true });
  const work = polygons.length ? mkdtempSync(join(tmpdir(), 'kuzet-mask-')) : null;
  try {
    let graph: string[] = ['-vf', `scale=${width}:-2`];
    if (work) {
      const size = await probeVideoSize(input);
      const image = join(work, 'mask.pam');
      writeFileSync(image, maskImagePam(polygons, size.width, size.height));
      graph = ['-i', image, '-filter_complex', maskGraph(`scale=${width}:-2`, ''), '-map', '[v]'];
    }
    const still = (seek: string[], pick: string[]) => runFfmpeg([...seek, '-i', input, ...graph, ...pick, '-q:v', '5', '-y', output], ffmpeg);
    await still(['-ss', atS.toFixed(3)], ['-frames:v', '1']);
    if (!existsSync(output)) await still(['-sseof', '-1'], ['-update', '1']); // every frame of the last second, the last one kept
    if (!existsSync(output)) throw new Error(`no picture in ${input} at ${atS.toFixed(3)} s`);
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
}

/** Paints the polygons into a still picture file (JPEG in, JPEG out); the picture's own size is probed. */
export async function maskStillFile(input: string, output: string, polygons: readonly MaskPolygon[], ffmpeg?: string): Promise<void> {
  const size = await probeVideoSize(input);
  const work = mkdtempSync(join(tmpdir(), 'kuzet-mask-'));
  try {
    const image = join(work, 'mask.pam');
    writeFileSync(image, maskImagePam(polygons, size.width, size.height));
    await runFfmpeg(['-i', input, '-i', image, '-filter_complex', maskGraph(undefined, ''), '-map', '[v]', '-frames:v', '1', '-q:v', '3', '-y', output], ffmpeg);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * An alarm snapshot (a data:image/jpeg;base64 URL) with the polygons painted in; the same URL when there are none.
 * Null when it cannot be masked (a picture ffmpeg cannot read): the snapshot is then not shown, never shown clear.
 */
export async function maskSnapshot(dataUrl: string, polygons: readonly MaskPolygon[], ffmpeg?: string): Promise<string | null> {
  if (polygons.length === 0) return dataUrl;
  const work = mkdtempSync(join(tmpdir(), 'kuzet-snap-'));
  try {
    const input = join(work, 'in.jpg');
    const output = join(work, 'out.jpg');
    writeFileSync(input, Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    await maskStillFile(input, output, polygons, ffmpeg);
    return `data:image/jpeg;base64,${readFileSync(output).toString('base64')}`;
  } catch {
    return null;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
