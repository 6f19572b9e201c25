/**
 * A paused seek's exact picture decoded by WebCodecs and drawn on a canvas over the player's <video> until the element
 * shows that same frame itself (docs/replay.md, "Seek, eighth pass"). Chromium runs each VideoDecoder without GPU video
 * on its own sequenced task runner of the renderer's worker pool, while every <video>'s decoding shares the renderer's
 * one Media thread (live MSE streams: low-delay, one thread each): 16 tiles' GOPs decode on both cores this way.
 * The decoding and drawing happen in one worker for the page (seek-poster-worker.ts: the page's main thread, busy
 * during a seek, would hold every decoder's requests and outputs), into the poster canvas transferred to it. This side
 * places the canvas after the <video> (the same box: object-fit: contain there), shows it when its frame is drawn,
 * reports the frame's time (shownS) from the animation frame after, and hides it when the element presents that frame
 * (requestVideoFrameCallback's mediaTime), playback starts, the moment or the tile changes. Anything the worker cannot
 * do (H.265, an unsupported configuration, a parse failure, a decoder error) gives no poster: the <video> alone, as
 * before; logged once.
 */
import type { PosterDone, PosterPeek, PosterRequest } from './seek-poster-worker.js';

/** The worker's own bundle (scripts/build.mjs), next to the page's: started from it, never from a shared chunk. */
export const POSTER_WORKER_FILE = 'poster-worker.js';

let logged = false;
function logOnce(why: string): void {
  if (logged) return;
  logged = true;
  console.warn(`seek poster: none (${why}); the <video> shows the seek's picture itself`);
}

/** How the page's poster jobs ended, by outcome (diagnostics: `__kuzetReview.posterOutcomes()`, the bench's A/B). */
export const posterOutcomes: Record<string, number> = {};
const count = (what: string) => { posterOutcomes[what] = (posterOutcomes[what] ?? 0) + 1; };

type Worked = { worker: Worker; waiting: Map<number, (d: PosterDone) => void>; peeks: Map<number, (b: ImageBitmap | null) => void> };
let shared: Worked | null | undefined;
/** The page's poster worker (null where workers, OffscreenCanvas or WebCodecs are not there). */
function posterWorker(): Worked | null {
  if (shared !== undefined) return shared;
  try {
    if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined' || typeof VideoDecoder === 'undefined') throw new Error('no Worker, OffscreenCanvas or VideoDecoder');
    const worker = new Worker(new URL(POSTER_WORKER_FILE, import.meta.url), { type: 'module', name: 'kuzet-posters' });
    const waiting = new Map<number, (d: PosterDone) => void>();
    const peeks = new Map<number, (b: ImageBitmap | null) => void>();
    worker.onmessage = (e: MessageEvent<PosterDone | PosterPeek>) => { const d = e.data; if (d.type === 'peek') peeks.get(d.id)?.(d.bitmap); else waiting.get(d.id)?.(d); };
    worker.onerror = (e) => { logOnce(`worker: ${e.message}`); shared = null; for (const w of waiting.values()) w({ type: 'done', id: -1, job: -1, outcome: 'unavailable' }); };
    shared = { worker, waiting, peeks };
  } catch (err) {
    logOnce(err instanceof Error ? err.message : String(err));
    shared = null;
  }
  return shared;
}

let nextId = 1;

export class SeekPoster {
  readonly canvas: HTMLCanvasElement = document.createElement('canvas');
  private readonly id = nextId++;
  private transferred = false;
  /** The current poster job (a new seek or hide() makes older ones stale). */
  private job = 0;
  private busy = false;
  /** Media time (s) of the picture drawn and on screen (after the animation frame that showed it), else null. */
  private drawnS: number | null = null;
  private drawnAt = 0;
  /** The job waiting for the worker's answer. */
  private answer: ((d: PosterDone) => void) | null = null;
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
   * Has the picture the element shows at media time atS decoded from `bytes` (a part appended at offsetS) and drawn over
   * the video; resolves true once on screen, false when there is none (stale, unsupported, failed, the video was first).
   */
  async show(bytes: Uint8Array, offsetS: number, atS: number, forMs: number): Promise<boolean> {
    this.hide('newSeek');
    const job = ++this.job;
    this.forMs = forMs;
    this.steps = { start: performance.now() };
    const w = posterWorker();
    if (!w) { count('unavailable'); return false; }
    const v = this.video;
    if (this.canvas.previousSibling !== v) v.after(this.canvas);
    if (!this.transferred) {
      this.transferred = true;
      const off = this.canvas.transferControlToOffscreen();
      w.worker.postMessage({ type: 'canvas', id: this.id, canvas: off } satisfies PosterRequest, [off]);
    }
    const dpr = window.devicePixelRatio || 1;
    this.busy = true;
    const done = new Promise<PosterDone>((r) => { this.answer = r; w.waiting.set(this.id, (d) => { if (d.job === job || d.job === -1) r(d); }); });
    const copy = bytes.slice().buffer; // the page appends the same bytes
    w.worker.postMessage({ type: 'show', id: this.id, job, bytes: copy, offsetS, atS, width: Math.round(v.clientWidth * dpr), height: Math.round(v.clientHeight * dpr) } satisfies PosterRequest, [copy]);
    const d = await done;
    if (job !== this.job) { count('stale'); return false; }
    this.busy = false;
    const local = (epochMs: number | undefined) => (epochMs === undefined ? undefined : epochMs - performance.timeOrigin);
    this.steps.configured = local(d.configuredAt);
    this.steps.flushed = local(d.flushedAt);
    if (d.outcome !== 'drawn' || d.mediaS === undefined) {
      count(d.outcome);
      if (d.error && d.outcome !== 'stale') logOnce(d.error);
      return false;
    }
    // the element shows this frame already (its seek was quicker): nothing to cover
    if (!v.seeking && v.readyState >= 2 && Math.abs(v.currentTime - atS) < 0.001) { count('videoFirst'); return false; }
    if (this.canvas.previousSibling !== v) { count('moved'); return false; }
    this.canvas.hidden = false;
    await new Promise<void>((r) => requestAnimationFrame(() => r())); // on screen with the next frame
    if (job !== this.job) { count('staleDrawn'); return false; }
    this.drawnS = d.mediaS;
    this.drawnAt = performance.now();
    this.steps.drawn = this.drawnAt;
    this.changed();
    this.watchVideo(job, d.mediaS);
    count('drawn');
    return true;
  }

  /** Hides the poster and drops a decode under way (a new seek, playback, the tile changed, the video took over). */
  hide(why = 'hidden'): void {
    const job = ++this.job;
    if (this.busy) {
      count(`droppedBy:${why}`);
      this.busy = false;
      shared?.worker.postMessage({ type: 'hide', id: this.id, job } satisfies PosterRequest);
      this.answer?.({ type: 'done', id: this.id, job, outcome: 'stale' });
    }
    this.answer = null;
    this.forMs = null;
    if (this.drawnS !== null) { this.drawnS = null; this.changed(); }
    this.canvas.hidden = true;
  }

  /**
   * Called every animation frame by the player: hides the poster once the tile moved (the grid put the <video> elsewhere)
   * or the element shows the poster's moment and has for a while (its new frame's callback may have come before ours).
   */
  check(): void {
    if (this.drawnS === null) return;
    if (this.canvas.previousSibling !== this.video) { this.hide('moved'); return; }
    if (!this.video.seeking && this.video.readyState >= 2 && Math.abs(this.video.currentTime - this.drawnS) < 0.04 && performance.now() - this.drawnAt > 1000) this.hide('videoShows');
  }

  /** The poster canvas's picture (the last one drawn, shown or not; tests), null when none. */
  peek(): Promise<ImageBitmap | null> {
    const w = shared;
    if (!w || !this.transferred) return Promise.resolve(null);
    return new Promise((r) => { w.peeks.set(this.id, (b) => { w.peeks.delete(this.id); r(b); }); w.worker.postMessage({ type: 'peek', id: this.id } satisfies PosterRequest); });
  }

  close(): void {
    this.hide('closed');
    this.canvas.remove();
    if (this.transferred) shared?.worker.postMessage({ type: 'close', id: this.id } satisfies PosterRequest);
    shared?.waiting.delete(this.id);
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
