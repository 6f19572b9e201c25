/**
 * A sound per priority, synthesised with WebAudio (no files to ship): priority 1 is three high beeps,
 * 5 a single low one. At most one cue per second, so a flood does not become noise.
 */
const TONES: Record<number, { hz: number; beeps: number }> = { 1: { hz: 1320, beeps: 3 }, 2: { hz: 1100, beeps: 2 }, 3: { hz: 880, beeps: 2 }, 4: { hz: 660, beeps: 1 }, 5: { hz: 440, beeps: 1 } };

export function toneFor(priority: number): { hz: number; beeps: number } { return TONES[priority] ?? TONES[5]!; }

export class AlarmSound {
  private ctx: AudioContext | null = null;
  private lastAt = 0;
  muted = false;
  /** Cues played (for tests: a sandboxed headless browser has no speakers to listen to). */
  played: number[] = [];

  /** Browsers start audio only after a user gesture: the first click or key on the console unlocks it. */
  constructor(target: EventTarget = window) {
    const unlock = () => {
      try { this.ctx ??= new AudioContext(); void this.ctx.resume(); } catch { /* no audio device */ }
      target.removeEventListener('pointerdown', unlock);
      target.removeEventListener('keydown', unlock);
    };
    target.addEventListener('pointerdown', unlock);
    target.addEventListener('keydown', unlock);
  }

  play(priority: number): void {
    const now = performance.now();
    if (this.muted || now - this.lastAt < 1000) return;
    this.lastAt = now;
    this.played.push(priority);
    if (this.played.length > 50) this.played.shift();
    if (!this.ctx) return; // not unlocked yet: the queue still shows the alarm
    try {
      const { hz, beeps } = toneFor(priority);
      const t0 = this.ctx.currentTime;
      for (let i = 0; i < beeps; i++) {
        const osc = this.ctx.createOscillator();
        const gain = this.ctx.createGain();
        osc.frequency.value = hz;
        gain.gain.setValueAtTime(0.0001, t0 + i * 0.22);
        gain.gain.exponentialRampToValueAtTime(0.2, t0 + i * 0.22 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.22 + 0.16);
        osc.connect(gain).connect(this.ctx.destination);
        osc.start(t0 + i * 0.22);
        osc.stop(t0 + i * 0.22 + 0.18);
      }
    } catch { /* no audio device: the queue still shows the alarm */ }
  }
}
