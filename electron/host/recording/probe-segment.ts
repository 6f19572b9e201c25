/**
 * Reads a segment file's real duration with ffprobe (rebuild, crash recovery). A file ffprobe cannot
 * read, or with no video, is corrupt; a fragmented MP4 cut short reports its whole fragments.
 */
import { execFile } from 'node:child_process';

export interface ProbedSegment { durationMs: number; ok: boolean; message?: string }

export function probeSegment(path: string, ffprobe = 'ffprobe'): Promise<ProbedSegment> {
  return new Promise((resolve) => {
    execFile(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', path],
      { timeout: 15_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
        if (err) { resolve({ durationMs: 0, ok: false, message: (stderr || err.message).trim().slice(0, 300) }); return; }
        try {
          const j = JSON.parse(stdout) as { streams?: Array<{ codec_name?: string }>; format?: { duration?: string } };
          const d = Number(j.format?.duration);
          if (!j.streams?.length || !Number.isFinite(d) || d <= 0) { resolve({ durationMs: 0, ok: false, message: 'no video in the file' }); return; }
          resolve({ durationMs: Math.round(d * 1000), ok: true });
        } catch {
          resolve({ durationMs: 0, ok: false, message: 'ffprobe output unreadable' });
        }
      });
  });
}

/** Runs fn over items with at most `limit` at a time (2 cores: probing is I/O and fork bound). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i] as T); }
  }));
  return out;
}
