/**
 * GStreamer pipeline descriptions for the media worker. Pure: no Node, no I/O.
 * The camera URL and credentials are never part of a description: the worker sets them as
 * properties on the element named `src`, so nothing a camera record holds can inject elements.
 */
import type { VideoCodec } from '../../electron/contract/schemas.js';

export type { VideoCodec };

export interface GstDecodeOptions {
  codec: VideoCodec;
  /** Output size in pixels; width a multiple of 8 and height even keeps I420 planes unpadded. */
  width: number;
  height: number;
  /** Start with delta frames dropped before the decoder (the worker toggles it at runtime too). */
  keyframeOnly?: boolean;
  /** Decoder threads; 1 is cheapest for small streams (no frame-threading delay or sync cost). */
  threads?: number;
  /** Scaler; see chooseScaleMethod. Default bilinear. */
  scaleMethod?: ScaleMethod;
  /** Motion detection taps the decoded pictures (no second decoder): tee `dect` after the decoder, appsink `motion`. */
  motion?: boolean;
}

/** Picture the motion detector works on: 64x36 luma, a few pictures a second (docs/alarms.md, "Motion detection"). */
export const MOTION_SIZE = { width: 64, height: 36 } as const;
/** Most pictures a second the motion detector looks at when the worker decodes every frame anyway. */
export const MOTION_MAX_FPS = 5;

export type ScaleMethod = 'nearest-neighbour' | 'bilinear';

/**
 * Nearest-neighbour for mild downscales (tile at least half the stream's width: 0.26 ms per
 * 640x360 frame against 0.97 ms for bilinear here), bilinear when shrinking further, where
 * dropping pixels would alias badly, and for upscales.
 */
export function chooseScaleMethod(streamWidth: number, outWidth: number): ScaleMethod {
  return outWidth <= streamWidth && outWidth * 2 >= streamWidth ? 'nearest-neighbour' : 'bilinear';
}

const CODEC_ELEMENTS: Record<VideoCodec, { depay: string; parse: string; dec: string }> = {
  h264: { depay: 'rtph264depay', parse: 'h264parse', dec: 'avdec_h264' },
  h265: { depay: 'rtph265depay', parse: 'h265parse', dec: 'avdec_h265' },
};

/** Largest picture the frame header can describe (u16 width and height). */
export const MAX_FRAME_SIDE = 8192;

export function assertFrameSize(width: number, height: number): void {
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 2 || v > MAX_FRAME_SIDE) {
      throw new RangeError(`${name} must be an integer between 2 and ${MAX_FRAME_SIDE}, got ${String(v)}`);
    }
  }
}

function codecElements(codec: VideoCodec) {
  const el = CODEC_ELEMENTS[codec];
  if (!el) throw new RangeError(`unsupported codec '${String(codec)}' (h264 or h265)`);
  return el;
}

/** Caps the worker's `size` capsfilter carries; the resize command swaps exactly this string. */
export function scaleCaps(width: number, height: number): string {
  assertFrameSize(width, height);
  return `video/x-raw,format=I420,width=${width},height=${height}`;
}

/** The camera end both pipelines share: rtspsrc -> depay -> parse -> tee `rec` (the recording branch point). */
function cameraHead(el: { depay: string; parse: string }): string[] {
  return ['rtspsrc name=src', `${el.depay} name=depay`, `${el.parse} name=parse`, 'tee name=rec'];
}

/**
 * Record only (a camera's sub-stream recorded beside its main one): rtspsrc -> depay -> parse -> tee `rec`, nothing
 * decoded; the worker's recorder adds its branch to the tee. Named elements: src, depay, parse, rec.
 */
export function buildGstRecordPipeline(codec: VideoCodec): string {
  return cameraHead(codecElements(codec)).join(' ! ');
}

/**
 * rtspsrc -> depay -> parse -> tee `rec` (recording branch point) -> leaky queue -> decoder ->
 * scale -> `size` capsfilter -> appsink `sink` (latest frame wins). With `motion`, a tee `dect` after the decoder
 * also feeds the motion tail (at most MOTION_MAX_FPS pictures a second).
 * Named elements the worker relies on: src, rec, kf, scale, size, sink (and motion).
 */
export function buildGstDecodePipeline(o: GstDecodeOptions): string {
  const el = codecElements(o.codec);
  const threads = o.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) throw new RangeError(`threads must be 0..64, got ${String(threads)}`);
  const method = o.scaleMethod ?? 'bilinear';
  if (method !== 'nearest-neighbour' && method !== 'bilinear') throw new RangeError(`unknown scale method '${String(method)}'`);
  return [
    ...cameraHead(el),
    // leaky so a slow decoder drops compressed data here instead of stalling a future recording
    // branch; 0.5 s caps the latency an overloaded decoder can build up (30 buffers let it reach 1.2 s)
    'queue name=decq leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=500000000',
    // closed until the first key frame: a stream joined mid-GOP would otherwise decode into grey, smeared pictures
    // (libav's H.265 decoder invents the missing references; its H.264 decoder waits by itself)
    `${KEYFRAME_GATE} drop-buffer-flags=delta-unit`,
    `${el.dec} name=dec max-threads=${threads}`,
    // motion taps the decoded pictures here: the wall's decoder serves both (one decode per camera)
    ...(o.motion ? ['tee name=dect'] : []),
    `videoscale name=scale method=${method}`,
    'videoconvert name=convert',
    `capsfilter name=size caps="${scaleCaps(o.width, o.height)}"`,
    'appsink name=sink drop=true max-buffers=1 sync=false enable-last-sample=false',
  ].join(' ! ') + (o.motion ? ` ${motionTail('dect.', PICTURE_QUEUE, [`videorate name=motrate drop-only=true max-rate=${MOTION_MAX_FPS}`])}` : '');
}

/**
 * Key-frame-only mode without Python on every buffer: the worker sets `drop-buffer-flags=delta-unit` on this
 * identity (and clears it at the next key frame when leaving the mode, also at start when the description set it).
 */
const KEYFRAME_GATE = 'identity name=kf silent=true';

/** Decoded pictures: keep only the newest (the detector samples, it never needs every picture). */
const PICTURE_QUEUE = 'queue name=motq leaky=downstream max-size-buffers=1 max-size-bytes=0 max-size-time=0';

/**
 * The motion detector's end of a pipeline: from `from` (a tee's pad), through a leaky queue, optional middle
 * elements, a downscale to MOTION_SIZE and an appsink `motion` the worker reads (latest picture wins).
 */
function motionTail(from: string, queue: string, middle: string[]): string {
  return [
    from,
    queue,
    ...middle,
    'videoscale name=motscale method=bilinear',
    `capsfilter name=motsize caps="video/x-raw,format=I420,width=${MOTION_SIZE.width},height=${MOTION_SIZE.height}"`,
    // async=false: the wall never waits for this branch to preroll (behind a tee without a queue on the wall's side)
    'appsink name=motion drop=true max-buffers=1 sync=false async=false enable-last-sample=false',
  ].join(' ! ');
}

/**
 * Encoded delivery (the renderer decodes with WebCodecs): rtspsrc -> depay -> parse -> tee `rec` -> identity `kf`
 * (key-frame-only gate) -> parse `wparse` (SPS/PPS before every IDR, one access unit per buffer, Annex B) -> appsink
 * `sink`. No decoder, no scaler: the host only moves compressed access units. No queue before the appsink: the
 * appsink's own queue is unbounded, so this branch never blocks the tee, and a queue's thread costs a wake-up per
 * unit (docs/performance.md, "The media worker's CPU"). The tee sees the same caps as in the decode pipeline, so a
 * recording branch (mp4mux wants AVC, not Annex B) negotiates the same way. H.264 only (browsers have no software
 * H.265 decoder). Named elements the worker relies on: src, depay, parse, rec, kf, wparse, sink. With `motion`, a
 * branch from `rec` decodes for the motion detector (key frames only unless 'all'): motkf, motq, motdec, motion.
 */
export function buildGstPassthroughPipeline(codec: VideoCodec, motion?: MotionDecode): string {
  if (codec !== 'h264') throw new RangeError(`encoded delivery supports h264 only, not '${String(codec)}'`);
  const el = codecElements(codec);
  if (motion !== undefined && motion !== 'keyframes' && motion !== 'all') throw new RangeError(`motion decode must be 'keyframes' or 'all', got '${String(motion)}'`);
  // in key-frame mode only key units ever enter the branch
  const from = motion === 'keyframes' ? 'rec. ! identity name=motkf silent=true drop-buffer-flags=delta-unit' : 'rec.';
  const tail = motion === undefined ? '' : ` ${motionTail(from,
    // compressed data: a dropped unit breaks pictures up to the next key frame, so only whole GOPs' worth (1 s)
    // may go when the decoder falls behind
    'queue name=motq leaky=downstream max-size-buffers=0 max-size-bytes=0 max-size-time=1000000000', [
    // its own decoder, fed only key frames by default:
    // a key frame costs about a twenty-fifth of decoding every frame (docs/performance.md, "Motion detection")
    `${el.dec} name=motdec max-threads=1`,
    ...(motion === 'all' ? [`videorate name=motrate drop-only=true max-rate=${MOTION_MAX_FPS}`] : []),
  ])}`;
  return [
    ...cameraHead(el),
    KEYFRAME_GATE,
    `${el.parse} name=wparse config-interval=-1`,
    'capsfilter caps="video/x-h264,stream-format=byte-stream,alignment=au"',
    // async=false: it sits on the tee without a queue, so waiting in preroll would hold back the recording branch
    'appsink name=sink sync=false async=false enable-last-sample=false max-buffers=0',
  ].join(' ! ') + tail;
}

/**
 * How the motion branch of an encoded-delivery worker decodes: 'keyframes' (the default: one picture per GOP, about
 * 1 fps on the simulator and most cameras) or 'all' (every frame decoded, MOTION_MAX_FPS analysed; measured to cost
 * too much for the wall, kept for comparison and for cameras with very long GOPs).
 */
export type MotionDecode = 'keyframes' | 'all';

/**
 * The benchmark baseline: the engine's default full decode of the same stream to fakesink.
 * Returns argv for gst-launch-1.0 (the URL is one argv element; no shell is involved).
 */
export function buildPureDecodeGst(url: string, codec: VideoCodec = 'h264'): string[] {
  const el = codecElements(codec);
  // gst-launch re-parses its argv as one description, so refuse characters its lexer treats specially
  if (!url || /[\s"'!\\]/.test(url)) throw new RangeError('url is required and must not contain spaces, quotes, ! or \\');
  return ['-q', 'rtspsrc', `location=${url}`, 'protocols=tcp', '!', el.depay, '!', el.parse, '!', el.dec, '!', 'fakesink'];
}
