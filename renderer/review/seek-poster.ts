/**
 * A paused seek's exact picture decoded by WebCodecs and drawn on a canvas over the player's <video> until the element
 * shows that same frame itself (docs/replay.md, "Seek, eighth pass"). Chromium runs each VideoDecoder without GPU video
 * on its own sequenced task runner of the renderer's worker pool, while every <video>'s decoding shares the renderer's
 * one Media thread (live MSE streams: low-delay, one thread each): 16 tiles' GOPs decode on both cores this way.
 * From the seek's `at` part (init + fragments from the key frame; fmp4-samples.ts) it decodes the key frame through the
 * picture shown at the moment and draws that one (object-fit: contain, contain-rect.ts); every other frame is closed.
 * One decoder per player, reused across seeks (reset on a new one). Anything it cannot do (H.265, an unsupported
 * configuration, a parse failure, a decoder error) gives no poster: the <video> alone, as before; logged once.
 */
import { containRect } from './contain-rect.js';
import { fmp4Samples, samplesFor } from './fmp4-samples.js';

let logged = false;
function logOnce(why: string): void {
  if (logged) return;
  logged = true;
  console.warn(`seek poster: none (${why}); the <video> shows the seek's picture itself`);
}

/** How the page's poster jobs ended, by outcome (diagnostics: `__kuzetReview.posterOutcomes()`, the bench's A/B). */
export const posterOutcomes: Record<string, number> = {};
const outcome = (what: string, r = false) => { posterOutcomes[what] = (posterOutcomes[what] ?? 0) + 1; return r; };

/** isConfigSupported per configuration (codec and avcC), asked once. */
const supported = new Map<string, Promise<boolean>>();

export class SeekPoster {
  readonly canvas: HTMLCanvasElement = document.createElement('canvas');
  private decoder: VideoDecoder | null = null;
  private configKey = '';
  /** The current poster job (a new seek or hide() makes older ones stale). */
  private job = 0;
  private busy = false;
  /** A decoder error: no more posters for this player. */
  private broken = false;
  private wantUs = 0;
  private frame: VideoFrame | null = null;
  /** Media time (s) of the picture drawn and on screen (after the animation frame that drew it), else null. */
  private drawnS: number | null = null;
  private drawnAt = 0;
  /** performance.now() at each step of the last job (diagnostics: the seek's trace). */
  steps: { start?: number; configured?: number; flushed?: number; drawn?: number } = {};
  /** The wall-time moment the poster is for (the player's target), null when none. */
  forMs: number | null = null;

  constructor(private readonly video: HTMLVideoElement, private readonly changed: () => void) {
    this.canvas.className = 'review-poster';
    this.canvas.hidden = true;
  }

  /** A poster decode is under way (the seek's other tiles may wait for it: the append's 'wait' mode). */
  get pending(): boolean { return this.busy; }

  /** Media time (s) of the picture the poster shows, null when hidden or not on screen yet. */
  shownS(): number | null { return this.drawnS; }

  /**
   * Decodes the picture the element shows at media time atS from `bytes` (a part appended at offsetS) and draws it over
   * the video; resolves true once drawn, false when there is none (stale, unsupported, failed, already shown by the video).
   */
  async show(bytes: Uint8Array, offsetS: number, atS: number, forMs: number): Promise<boolean> {
    this.hide('newSeek');
    const job = ++this.job;
    this.forMs = forMs;
    this.steps = { start: performance.now() };
    if (this.broken || typeof VideoDecoder === 'undefined') return outcome('unavailable');
    const parsed = fmp4Samples(bytes);
    if (!parsed.ok) { logOnce(parsed.error); return outcome('unparsed'); }
    const v = parsed.video;
    const want = Math.max(v.samples[0]!.pts, Math.round((atS - offsetS) * v.timescale + v.timescale * 1e-4)); // 0.1 ms: rounding of at
    const range = samplesFor(v.samples, want);
    if (!range) return outcome('noKeyFrame'); // the part does not start with a key frame before the moment
    const config: VideoDecoderConfig = { codec: v.codec, description: v.description, codedWidth: v.width, codedHeight: v.height, optimizeForLatency: true };
    const key = `${v.codec} ${v.width}x${v.height} ${Array.from(v.description).join(',')}`;
    let ok = supported.get(key);
    if (!ok) { ok = VideoDecoder.isConfigSupported(config).then((r) => r.supported === true, () => false); supported.set(key, ok); }
    this.busy = true;
    try {
      if (!(await ok)) { logOnce(`${v.codec} not supported by VideoDecoder`); return outcome('unsupported'); }
      if (job !== this.job) return outcome('stale');
      const dec = this.decoderFor();
      if (dec.state === 'configured' && this.configKey !== key) dec.reset();
      if (dec.state === 'unconfigured') { dec.configure(config); this.configKey = key; }
      this.steps.configured = performance.now();
      const usOf = (pts: number) => Math.round((pts * 1e6) / v.timescale);
      this.wantUs = usOf(v.samples[range.target]!.pts);
      this.frame?.close();
      this.frame = null;
      for (let i = range.from; i <= range.to; i++) {
        const s = v.samples[i]!;
        dec.decode(new EncodedVideoChunk({ type: i === range.from ? 'key' : 'delta', timestamp: usOf(s.pts), duration: usOf(s.duration), data: s.data }));
      }
      await dec.flush();
      this.steps.flushed = performance.now();
      const frame = this.frame as VideoFrame | null;
      this.frame = null;
      if (job !== this.job || !frame) { frame?.close(); return outcome(job !== this.job ? 'stale' : 'noFrame'); }
      const mediaS = offsetS + this.wantUs / 1e6;
      // the element shows this frame already (its seek was quicker): nothing to cover
      if (!this.video.seeking && this.video.readyState >= 2 && Math.abs(this.video.currentTime - atS) < 0.001) { frame.close(); return outcome('videoFirst'); }
      this.draw(frame);
      frame.close();
      this.canvas.hidden = false;
      await new Promise<void>((r) => requestAnimationFrame(() => r())); // on screen with the next frame
      if (job !== this.job) return outcome('staleDrawn');
      this.drawnS = mediaS;
      this.drawnAt = performance.now();
      this.steps.drawn = this.drawnAt;
      this.changed();
      this.watchVideo(job, mediaS);
      return outcome('drawn', true);
    } catch (err) {
      // a reset (the next seek) rejects the flush: not an error
      if (job === this.job && !(err instanceof DOMException && err.name === 'AbortError')) logOnce(err instanceof Error ? err.message : String(err));
      return outcome(job === this.job ? 'failed' : 'stale');
    } finally {
      if (job === this.job) this.busy = false;
    }
  }

  /** Hides the poster and drops a decode under way (a new seek, playback, the tile changed, the video took over). */
  hide(why = 'hidden'): void {
    this.job++;
    const decoding = this.busy;
    if (decoding) outcome(`droppedBy:${why}`);
    this.busy = false;
    this.forMs = null;
    if (decoding && this.decoder?.state === 'configured') this.decoder.reset(); // its frames are not wanted now
    this.frame?.close();
    this.frame = null;
    if (this.drawnS !== null) { this.drawnS = null; this.changed(); }
    this.canvas.hidden = true;
  }

  /**
   * Called every animation frame by the player: hides the poster once the tile moved (the grid put the <video> elsewhere)
   * or the element shows the poster's moment and has for a while (its new frame's callback may have come before ours).
   */
  check(): void {
    if (this.drawnS === null) return;
    if (this.canvas.parentNode !== this.video.parentNode) { this.hide('moved'); return; }
    if (!this.video.seeking && this.video.readyState >= 2 && Math.abs(this.video.currentTime - this.drawnS) < 0.04 && performance.now() - this.drawnAt > 1000) this.hide('videoShows');
  }

  close(): void {
    this.hide('closed');
    this.canvas.remove();
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
  }

  private decoderFor(): VideoDecoder {
    if (this.decoder && this.decoder.state !== 'closed') return this.decoder;
    this.configKey = '';
    this.decoder = new VideoDecoder({
      output: (f) => {
        if (this.busy && f.timestamp === this.wantUs) { this.frame?.close(); this.frame = f; } else f.close();
      },
      error: (e) => { this.broken = true; logOnce(`decoder error: ${e.message}`); this.hide('error'); },
    });
    return this.decoder;
  }

  /** Draws the frame over the video's box as the element would (object-fit: contain). */
  private draw(frame: VideoFrame): void {
    const v = this.video;
    if (this.canvas.previousSibling !== v) v.after(this.canvas);
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(v.clientWidth * dpr)), h = Math.max(1, Math.round(v.clientHeight * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) { this.canvas.width = w; this.canvas.height = h; }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    const r = containRect(w, h, frame.displayWidth, frame.displayHeight);
    ctx.drawImage(frame, r.x, r.y, r.w, r.h);
  }

  /** Hides the poster when the element presents the same frame (requestVideoFrameCallback's mediaTime). */
  private watchVideo(job: number, mediaS: number): void {
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      if (job !== this.job) return;
      if (Math.abs(meta.mediaTime - mediaS) < 0.002) this.hide('videoShows');
      else this.video.requestVideoFrameCallback(onFrame);
    };
    this.video.requestVideoFrameCallback(onFrame);
  }
}
