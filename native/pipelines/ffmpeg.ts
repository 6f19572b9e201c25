/**
 * FFmpeg fallback engine: argv (never a shell line) that decodes one camera stream and writes
 * tightly packed yuv420p frames of exactly width x height to stdout. Pure: no Node, no I/O.
 */
import { assertFrameSize } from './gstreamer.js';

export interface FfmpegDecodeOptions {
  /** Full stream URL; it is one argv element of its own. */
  url: string;
  width: number;
  height: number;
  keyframeOnly?: boolean;
  threads?: number;
  /** Socket I/O timeout in ms (ffmpeg's RTSP -timeout is in microseconds). */
  timeoutMs?: number;
}

export function buildFfmpegDecodeArgs(o: FfmpegDecodeOptions): string[] {
  if (!o.url) throw new RangeError('url is required');
  assertFrameSize(o.width, o.height);
  const threads = o.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) throw new RangeError(`threads must be 0..64, got ${String(threads)}`);
  const timeoutUs = Math.round((o.timeoutMs ?? 5000) * 1000);
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  const isRtsp = /^rtsps?:\/\//i.test(o.url);
  if (isRtsp) args.push('-rtsp_transport', 'tcp', '-timeout', String(timeoutUs));
  args.push('-fflags', 'nobuffer', '-flags', 'low_delay', '-threads', String(threads));
  if (o.keyframeOnly) args.push('-skip_frame', 'nokey');
  args.push('-i', o.url, '-an', '-sn', '-dn',
    '-vf', `scale=${o.width}:${o.height}:flags=fast_bilinear`,
    '-pix_fmt', 'yuv420p', '-fps_mode', 'passthrough', '-f', 'rawvideo', 'pipe:1');
  return args;
}
