/**
 * One camera's player in the review grid: a <video> on a remuxed recording clip (no re-encode), driven by
 * the shared PlaybackClock. Forward play at up to 16x uses the element's own playback with drift
 * correction; reverse and paused positions seek, which Chromium decodes frame-accurately.
 */
import type { PlaybackClip } from '../../electron/contract/review-api.js';
import type { BridgeClient } from '../bridge/client.js';
import { clipSecondsAt, wallMsAt } from './timeline-model.js';

/** Recorded window one clip covers: short enough to remux in a fraction of a second (seek latency), long enough to play on. */
const CLIP_WINDOW_MS = 30_000;
/** Drift beyond which a playing video is re-seeked (below it the rate is nudged). */
const HARD_DRIFT_S = 1.0;
const SOFT_DRIFT_S = 0.02;

export type PlayerState = 'idle' | 'loading' | 'ready' | 'no-recording' | 'error';

export class ReviewPlayer {
  clip: PlaybackClip | null = null;
  state: PlayerState = 'idle';
  message = '';
  private loading = false;
  private loaded = false;
  private requestedMs = 0;
  private lastMiss = 0;
  private lastHardSeek = 0;

  constructor(readonly cameraId: string, readonly video: HTMLVideoElement, private readonly client: BridgeClient, private readonly urlOf: (path: string) => string, private readonly changed: () => void) {
    video.addEventListener('error', () => this.set('error', `the clip does not play: ${video.error?.message || 'decode error'}`));
    video.muted = true;
    video.preload = 'auto';
    video.playsInline = true;
  }

  /** Wall time of the picture on screen (null when none). */
  shownMs(): number | null {
    if (!this.clip || !this.loaded || this.state !== 'ready' || this.video.readyState < 1 || this.video.seeking) return null;
    return wallMsAt(this.clip, this.video.currentTime);
  }

  /** Playing but without the picture of the current position yet (network or decoder behind). */
  stalled(): boolean {
    return this.state === 'ready' && this.loaded && !this.video.paused && (this.video.readyState < 3 || this.video.seeking);
  }

  /** Follow the clock: load the right clip, then seek or correct the running video. */
  follow(ms: number, playing: boolean, rate: number, held = false): void {
    const c = this.clip;
    const at = c && this.loaded ? clipSecondsAt(c, ms) : null;
    if (at === null) {
      if (!this.video.paused) this.video.pause();
      // a gap inside the window this clip was made for: say so, keep the clip
      if (c && this.loaded && ms >= this.requestedMs - 30_000 && ms < c.endMs) { this.set('no-recording', 'no recording here'); return; }
      // past the newest closed segment (recording goes on): ask again now and then, not every frame
      if (c && this.loaded && ms >= c.endMs && Date.now() - this.lastMiss < 2000) return;
      void this.load(ms);
      return;
    }
    this.set('ready', '');
    const forward = playing && rate > 0;
    if (!forward) {
      if (!this.video.paused) this.video.pause();
      if (Math.abs(this.video.currentTime - at) > 0.005 && !this.video.seeking) this.video.currentTime = at;
      return;
    }
    if (this.video.seeking) return;
    const drift = this.video.currentTime - at;
    if (held) {
      // the clock waits for a slower camera: whoever is ahead waits too, whoever is behind catches up
      if (drift > 0 && !this.video.paused) this.video.pause();
      else if (drift <= 0 && this.video.paused) void this.video.play().catch(() => {});
      return;
    }
    const now = performance.now();
    // far off (a jump, a stalled decoder): seek, then give the decoder time to start before judging again
    if (Math.abs(drift) > HARD_DRIFT_S * Math.max(1, rate) && now - this.lastHardSeek > 1500) {
      this.lastHardSeek = now;
      this.video.currentTime = at;
      this.video.playbackRate = rate;
    } else {
      // close: steer the rate so the picture converges on the clock within about half a second
      const k = Math.abs(drift) > SOFT_DRIFT_S ? Math.max(-0.5, Math.min(0.5, drift * 2)) : 0;
      const want = Math.min(16, Math.max(0.0625, rate * (1 - k)));
      if (Math.abs(this.video.playbackRate - want) > 0.01) this.video.playbackRate = want;
    }
    if (this.video.paused) void this.video.play().catch(() => {});
  }

  private set(state: PlayerState, message: string) {
    if (this.state === state && this.message === message) return;
    this.state = state;
    this.message = message;
    this.changed();
  }

  private async load(ms: number): Promise<void> {
    if (this.loading) return;
    if (this.state !== 'ready' && this.state !== 'loading' && Date.now() - this.lastMiss < 1000) return;
    this.loading = true;
    this.loaded = false;
    this.requestedMs = ms;
    this.set('loading', 'loading');
    try {
      const clip = await this.client.call('playback.clip', { cameraId: this.cameraId, atMs: Math.max(0, Math.round(ms)), windowMs: CLIP_WINDOW_MS });
      this.clip = clip;
      const url = this.urlOf(clip.url);
      if (this.video.src !== url) this.video.src = url; // the element fetches with Range and reports errors itself
      this.loaded = true;
      if (ms >= clip.endMs) { this.lastMiss = Date.now(); this.set('no-recording', 'not recorded yet'); } else this.set('ready', '');
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      this.clip = null;
      this.lastMiss = Date.now();
      this.set(/not-found|no recording/.test(text) ? 'no-recording' : 'error', /not-found|no recording/.test(text) ? 'no recording here' : text);
    } finally {
      this.loading = false;
    }
  }
}
