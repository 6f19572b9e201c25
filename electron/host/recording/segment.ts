/**
 * A recorded segment as the index keeps it. `file` is relative to the recordings root and always
 * `<cameraId>/<YYYY-MM-DD>/<startEpochMs>.mp4`, so the index can be rebuilt from the files alone.
 */
export type SegmentStatus = 'ok' | 'partial' | 'corrupt';

export interface Segment {
  cameraId: string;
  /** Epoch ms of the first frame and just after the last. */
  startMs: number;
  endMs: number;
  /** Relative to the recordings root. */
  file: string;
  bytes: number;
  /** ok: closed by the recorder; partial: cut short (crash, stop) but playable; corrupt: skipped everywhere. */
  status: SegmentStatus;
}

const SEGMENT_FILE = /^([a-z0-9][a-z0-9_-]{0,63})\/(\d{4}-\d{2}-\d{2})\/(\d{10,16})\.mp4$/;

/** Camera and start time from a segment's relative path, or null when it is not one of ours. */
export function parseSegmentFile(file: string): { cameraId: string; startMs: number } | null {
  const m = SEGMENT_FILE.exec(file);
  if (!m) return null;
  const startMs = Number(m[3]);
  if (!Number.isSafeInteger(startMs)) return null;
  if (utcDay(startMs) !== m[2]) return null;
  return { cameraId: m[1] as string, startMs };
}

export function utcDay(ms: number): string { return new Date(ms).toISOString().slice(0, 10); }

export function segmentFile(cameraId: string, startMs: number): string { return `${cameraId}/${utcDay(startMs)}/${startMs}.mp4`; }
