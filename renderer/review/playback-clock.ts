/**
 * The one clock every player of the review grid follows: a position in wall time that advances at
 * `rate` (negative = reverse) while playing. Players correct themselves towards it (playback-sync).
 */
export class PlaybackClock {
  private anchorMs: number;
  private anchorAt = performance.now();
  playing = false;
  rate = 1;

  constructor(startMs: number) { this.anchorMs = startMs; }

  private held = false;

  now(): number { return this.playing && !this.held ? this.anchorMs + (performance.now() - this.anchorAt) * this.rate : this.anchorMs; }

  /** Hold while a player waits for data or its decoder: every camera waits for the slowest (no drift builds up). */
  hold(on: boolean): void {
    if (on === this.held) return;
    this.seek(this.now());
    this.held = on;
  }

  seek(ms: number): void { this.anchorMs = ms; this.anchorAt = performance.now(); }

  setRate(rate: number): void { this.seek(this.now()); this.rate = rate; }

  play(on: boolean): void { this.seek(this.now()); this.playing = on; }
}
