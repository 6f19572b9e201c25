/**
 * The seek posters' worker (its own bundle, POSTER_WORKER_FILE; seek-poster.ts starts it): one WebCodecs VideoDecoder per
 * review player, each drawing into that player's poster canvas (transferred here as an OffscreenCanvas). The decoders
 * run on the renderer's worker pool either way; from here their requests and outputs do not wait for the page's main
 * thread, which a seek keeps busy (appends, events, renders): measured with tests/bench/webcodecs-threads.mjs, 16 GOPs
 * decoded with the main thread busy took 0.6-0.76 s from a worker against 1.1-1.3 s from the page (docs/replay.md).
 * For each request: the part's samples (fmp4-samples.ts) from the key frame through the picture shown at the moment,
 * decoded; that frame drawn (object-fit: contain), every other frame closed; the decoder reused (reset on a new seek).
 */
import { containRect } from './contain-rect.js';
import { fmp4Samples, samplesFor } from './fmp4-samples.js';

/** Page → worker. `job`: the player's poster job (a newer one makes older ones stale). */
export type PosterRequest =
  | { type: 'canvas'; id: number; canvas: OffscreenCanvas }
  | { type: 'show'; id: number; job: number; bytes: ArrayBuffer; offsetS: number; atS: number; width: number; height: number }
  | { type: 'hide'; id: number; job: number }
  | { type: 'close'; id: number }
  /** The canvas's picture as it is (tests: the poster's pixels; a transferred canvas cannot be read on the page). */
  | { type: 'peek'; id: number };

/** Worker → page: how a job ended; `drawn`: the frame at mediaS is on the canvas. Times are epoch ms (timeOrigin + now). */
/** Worker → page: the answer to 'peek'. */
export interface PosterPeek { type: 'peek'; id: number; bitmap: ImageBitmap | null }

export interface PosterDone {
  type: 'done';
  id: number;
  job: number;
  outcome: 'drawn' | 'unparsed' | 'noKeyFrame' | 'unsupported' | 'noFrame' | 'stale' | 'failed' | 'unavailable';
  mediaS?: number;
  error?: string;
  configuredAt?: number;
  flushedAt?: number;
}

interface Poster {
  canvas: OffscreenCanvas;
  decoder: VideoDecoder | null;
  configKey: string;
  job: number;
  busy: boolean;
  broken: boolean;
  wantUs: number;
  frame: VideoFrame | null;
}

const posters = new Map<number, Poster>();
/** isConfigSupported per configuration (codec, size and avcC), asked once. */
const supported = new Map<string, Promise<boolean>>();
const post = (m: PosterDone) => (self as unknown as Worker).postMessage(m);
const epoch = () => performance.timeOrigin + performance.now();

function decoderOf(p: Poster, id: number): VideoDecoder {
  if (p.decoder && p.decoder.state !== 'closed') return p.decoder;
  p.configKey = '';
  p.decoder = new VideoDecoder({
    output: (f) => { if (p.busy && f.timestamp === p.wantUs) { p.frame?.close(); p.frame = f; } else f.close(); },
    error: (e) => { p.broken = true; if (p.busy) { p.busy = false; post({ type: 'done', id, job: p.job, outcome: 'failed', error: `decoder error: ${e.message}` }); } },
  });
  return p.decoder;
}

/** Drops a job under way (its frames are not wanted now). */
function stop(p: Poster): void {
  if (p.busy && p.decoder?.state === 'configured') p.decoder.reset();
  p.busy = false;
  p.frame?.close();
  p.frame = null;
}

async function show(m: Extract<PosterRequest, { type: 'show' }>): Promise<void> {
  const p = posters.get(m.id);
  const done = (d: Omit<PosterDone, 'type' | 'id' | 'job'>) => post({ type: 'done', id: m.id, job: m.job, ...d });
  if (!p || p.broken || typeof VideoDecoder === 'undefined') { done({ outcome: 'unavailable' }); return; }
  stop(p);
  p.job = m.job;
  p.canvas.getContext('2d')?.clearRect(0, 0, p.canvas.width, p.canvas.height); // never the last seek's picture, even for a frame
  const parsed = fmp4Samples(new Uint8Array(m.bytes));
  if (!parsed.ok) { done({ outcome: 'unparsed', error: parsed.error }); return; }
  const v = parsed.video;
  const want = Math.max(v.samples[0]!.pts, Math.round((m.atS - m.offsetS) * v.timescale + v.timescale * 1e-4)); // 0.1 ms: rounding of at
  const range = samplesFor(v.samples, want);
  if (!range) { done({ outcome: 'noKeyFrame' }); return; }
  const config: VideoDecoderConfig = { codec: v.codec, description: v.description, codedWidth: v.width, codedHeight: v.height, optimizeForLatency: true };
  const key = `${v.codec} ${v.width}x${v.height} ${Array.from(v.description).join(',')}`;
  let ok = supported.get(key);
  if (!ok) { ok = VideoDecoder.isConfigSupported(config).then((r) => r.supported === true, () => false); supported.set(key, ok); }
  p.busy = true;
  try {
    if (!(await ok)) { done({ outcome: 'unsupported', error: `${v.codec} not supported by VideoDecoder` }); return; }
    if (p.job !== m.job) { done({ outcome: 'stale' }); return; }
    const dec = decoderOf(p, m.id);
    if (dec.state === 'configured' && p.configKey !== key) dec.reset();
    if (dec.state === 'unconfigured') { dec.configure(config); p.configKey = key; }
    const configuredAt = epoch();
    const usOf = (pts: number) => Math.round((pts * 1e6) / v.timescale);
    p.wantUs = usOf(v.samples[range.target]!.pts);
    for (let i = range.from; i <= range.to; i++) {
      const s = v.samples[i]!;
      dec.decode(new EncodedVideoChunk({ type: i === range.from ? 'key' : 'delta', timestamp: usOf(s.pts), duration: usOf(s.duration), data: s.data }));
    }
    await dec.flush();
    const flushedAt = epoch();
    const frame = p.frame as VideoFrame | null;
    p.frame = null;
    if (p.job !== m.job || !frame) { frame?.close(); done({ outcome: p.job !== m.job ? 'stale' : 'noFrame' }); return; }
    const c = p.canvas;
    const w = Math.max(1, m.width), h = Math.max(1, m.height);
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
    const ctx = c.getContext('2d');
    if (ctx) {
      ctx.clearRect(0, 0, w, h);
      const r = containRect(w, h, frame.displayWidth, frame.displayHeight);
      ctx.drawImage(frame, r.x, r.y, r.w, r.h);
    }
    frame.close();
    done({ outcome: 'drawn', mediaS: m.offsetS + p.wantUs / 1e6, configuredAt, flushedAt });
  } catch (err) {
    // a reset (a newer job) rejects the flush: stale, not an error
    if (p.job !== m.job || (err instanceof DOMException && err.name === 'AbortError')) done({ outcome: 'stale' });
    else done({ outcome: 'failed', error: err instanceof Error ? err.message : String(err) });
  } finally {
    if (p.job === m.job) p.busy = false;
  }
}

self.onmessage = (e: MessageEvent<PosterRequest>) => {
  const m = e.data;
  if (m.type === 'canvas') posters.set(m.id, { canvas: m.canvas, decoder: null, configKey: '', job: 0, busy: false, broken: false, wantUs: 0, frame: null });
  else if (m.type === 'show') void show(m);
  else if (m.type === 'hide') { const p = posters.get(m.id); if (p && m.job >= p.job) { p.job = m.job; stop(p); } }
  else if (m.type === 'peek') {
    const p = posters.get(m.id);
    const answer = (bitmap: ImageBitmap | null) => (self as unknown as Worker).postMessage({ type: 'peek', id: m.id, bitmap } satisfies PosterPeek, bitmap ? [bitmap] : []);
    if (!p || !p.canvas.width) answer(null); else void createImageBitmap(p.canvas).then(answer, () => answer(null));
  } else if (m.type === 'close') { const p = posters.get(m.id); if (p) { stop(p); if (p.decoder && p.decoder.state !== 'closed') p.decoder.close(); posters.delete(m.id); } }
};
