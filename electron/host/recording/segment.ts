/**
 * A recorded segment as the index keeps it. `file` is relative to the recordings root and always
 * `<cameraId>/<YYYY-MM-DD>/<startEpochMs>.mp4` (main stream) or `<cameraId>/sub/<YYYY-MM-DD>/<startEpochMs>.mp4`
 * (sub-stream), so the index can be rebuilt from the files alone.
 */
import type { StreamProfile } from '../../contract/schemas.js';

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
  /** The camera stream recorded; absent means main (every segment indexed before sub-streams were recorded). */
  stream?: StreamProfile;
}

/** The stream a segment holds (absent: main). */
export const streamOfSegment = (s: Pick<Segment, 'stream'>): StreamProfile => s.stream ?? 'main';

/** Folder of a camera's sub-stream segments inside its own folder (a day folder is never named this). */
export const SUB_FOLDER = 'sub';

const SEGMENT_FILE = /^([a-z0-9][a-z0-9_-]{0,63})\/(?:(sub)\/)?(\d{4}-\d{2}-\d{2})\/(\d{10,16})\.mp4$/;

/** Camera, stream and start time from a segment's relative path, or null when it is not one of ours. */
export function parseSegmentFile(file: string): { cameraId: string; startMs: number; stream: StreamProfile } | null {
  const m = SEGMENT_FILE.exec(file);
  if (!m) return null;
  const startMs = Number(m[4]);
  if (!Number.isSafeInteger(startMs)) return null;
  if (utcDay(startMs) !== m[3]) return null;
  return { cameraId: m[1] as string, startMs, stream: m[2] ? 'sub' : 'main' };
}

export function utcDay(ms: number): string { return new Date(ms).toISOString().slice(0, 10); }

export function segmentFile(cameraId: string, startMs: number, stream: StreamProfile = 'main'): string {
  return `${cameraId}/${stream === 'sub' ? `${SUB_FOLDER}/` : ''}${utcDay(startMs)}/${startMs}.mp4`;
}
