/**
 * The follower clock of "Displays on their monitors" (issue 11 §1, renderer/replay/replay-follow.ts): what a follower
 * window does on the main replay window's clock messages, the messages' validation, and the follower's address.
 * A simulated follower (the review's own PlaybackClock arithmetic, a fake epoch clock) is driven through a controller's
 * operator session: play, speed, seek, frame steps, reverse, pause; it must be where the controller is after every
 * message, and a drift under the tolerance while playing must not make it seek.
 */
import { describe, expect, it } from 'vitest';
import {
  driftTolerance, expectedPosition, followerDisplays, followerUrl, followerWindowName, followMessageOf, followStep, readFollowerParams,
  type FollowClock, type ReplayClockMessage,
} from '../../renderer/replay/replay-follow.js';

const S = 'a1b2c3d4e5';
const clockMsg = (c: Partial<ReplayClockMessage>): ReplayClockMessage => ({ kind: 'clock', session: S, incidentId: 'inc-1', atMs: 1_000_000, playing: false, rate: 1, sentAt: 5_000, ...c });

/** A follower's clock as PlaybackClock runs it, on a fake epoch clock; counts the seeks it was told to make. */
class SimFollower {
  private anchor: number; private at: number; playing = false; rate = 1; seeks = 0;
  constructor(startMs: number, private now: () => number) { this.anchor = startMs; this.at = now(); }
  position(): number { return this.playing ? this.anchor + (this.now() - this.at) * this.rate : this.anchor; }
  state(): FollowClock { return { atMs: this.position(), playing: this.playing, rate: this.rate }; }
  seek(ms: number) { this.anchor = ms; this.at = this.now(); this.seeks++; }
  private reanchor() { this.anchor = this.position(); this.at = this.now(); }
  apply(msg: ReplayClockMessage) {
    const s = followStep(this.state(), msg, this.now());
    if (s.rate !== null) { this.reanchor(); this.rate = s.rate; }
    if (s.playing !== null) { this.reanchor(); this.playing = s.playing; }
    if (s.seekMs !== null) this.seek(s.seekMs);
  }
}

describe('follower clock', () => {
  it('extrapolates a playing controller from when it sent, and not a paused one', () => {
    expect(expectedPosition(clockMsg({ playing: true, rate: 2, atMs: 100, sentAt: 1000 }), 1500)).toBe(1100);
    expect(expectedPosition(clockMsg({ playing: true, rate: -0.5, atMs: 100, sentAt: 1000 }), 1400)).toBe(-100);
    expect(expectedPosition(clockMsg({ playing: false, rate: 4, atMs: 100, sentAt: 1000 }), 9000)).toBe(100);
    // a message read before its sentAt (clocks of one machine; never runs the playhead backwards)
    expect(expectedPosition(clockMsg({ playing: true, rate: 1, atMs: 100, sentAt: 1000 }), 990)).toBe(100);
  });

  it('seeks a paused follower to the exact moment (a frame step) and leaves an equal one alone', () => {
    const s = followStep({ atMs: 1_000_000, playing: false, rate: 1 }, clockMsg({ atMs: 1_000_040 }), 6_000);
    expect(s).toEqual({ rate: null, playing: null, seekMs: 1_000_040 });
    expect(followStep({ atMs: 1_000_040, playing: false, rate: 1 }, clockMsg({ atMs: 1_000_040 }), 7_000)).toEqual({ rate: null, playing: null, seekMs: null });
  });

  it('leaves a playing follower within the tolerance alone and seeks one beyond it', () => {
    const msg = clockMsg({ playing: true, rate: 1, atMs: 2_000_000, sentAt: 10_000 });
    const at = 10_500; // the controller is at 2_000_500 then
    expect(followStep({ atMs: 2_000_500 + driftTolerance(1) - 1, playing: true, rate: 1 }, msg, at).seekMs).toBeNull();
    expect(followStep({ atMs: 2_000_500 - driftTolerance(1) + 1, playing: true, rate: 1 }, msg, at).seekMs).toBeNull();
    expect(followStep({ atMs: 2_000_500 + driftTolerance(1) + 1, playing: true, rate: 1 }, msg, at).seekMs).toBe(2_000_500);
    // at 16x the same real lag is 16 times the footage: the tolerance grows with the rate
    expect(driftTolerance(16)).toBeGreaterThan(driftTolerance(1));
    expect(driftTolerance(-16)).toBe(driftTolerance(16));
  });

  it('takes the rate and the playing state it lacks', () => {
    expect(followStep({ atMs: 0, playing: false, rate: 1 }, clockMsg({ atMs: 0, playing: true, rate: -4, sentAt: 100 }), 100))
      .toEqual({ rate: -4, playing: true, seekMs: null });
    expect(followStep({ atMs: 0, playing: true, rate: 2 }, clockMsg({ atMs: 0, playing: false, rate: 2 }), 100))
      .toEqual({ rate: null, playing: false, seekMs: null });
  });

  it('follows a controller through an operator session, seeking only when it must', () => {
    let now = 1_000;
    const ctl = { atMs: 50_000_000, playing: false, rate: 1, at: now };
    const ctlPos = () => (ctl.playing ? ctl.atMs + (now - ctl.at) * ctl.rate : ctl.atMs);
    const send = (): ReplayClockMessage => clockMsg({ atMs: ctlPos(), playing: ctl.playing, rate: ctl.rate, sentAt: now });
    const set = (c: Partial<typeof ctl>) => { Object.assign(ctl, { atMs: ctlPos(), at: now }, c); };
    const f = new SimFollower(50_000_000, () => now);
    const check = () => expect(Math.abs(f.position() - ctlPos())).toBeLessThanOrEqual(ctl.playing ? driftTolerance(ctl.rate) : 0);
    let rng = 7;
    const rand = () => { rng = (rng * 1103515245 + 12345) % 2 ** 31; return rng / 2 ** 31; };
    const speeds = [0.125, 0.25, 0.5, 1, 2, 4, 8, 16];
    for (let i = 0; i < 400; i++) {
      const r = rand();
      if (r < 0.2) set({ playing: !ctl.playing });
      else if (r < 0.35) set({ rate: (rand() < 0.2 ? -1 : 1) * speeds[Math.floor(rand() * speeds.length)]! });
      else if (r < 0.5) set({ atMs: 50_000_000 + Math.floor(rand() * 1_800_000) });
      else if (r < 0.6) set({ playing: false, atMs: ctlPos() + (rand() < 0.5 ? -40 : 40) }); // a frame step
      // a message takes up to 5 ms to arrive; the follower applies it then
      const msg = send();
      now += Math.floor(rand() * 5);
      f.apply(msg);
      check();
      // then time passes with a heartbeat every second; the follower's own clock runs meanwhile
      const beats = Math.floor(rand() * 3);
      for (let b = 0; b < beats; b++) { now += 1000; f.apply(send()); check(); }
    }
    expect(f.seeks).toBeGreaterThan(50);
  });

  it('does not seek a follower that runs with the controller on heartbeats', () => {
    let now = 0;
    const f = new SimFollower(0, () => now);
    f.apply(clockMsg({ atMs: 0, playing: true, rate: 8, sentAt: 0 }));
    for (let i = 1; i <= 60; i++) { now = i * 1000; f.apply(clockMsg({ atMs: i * 8000, playing: true, rate: 8, sentAt: now - 3 })); }
    expect(f.seeks).toBe(0);
    expect(f.position()).toBe(480_000);
    // the follower's players waited 2 s (its clock held): the next heartbeat brings it back
    f.seek(f.position() - 16_000); f.seeks = 0;
    f.apply(clockMsg({ atMs: 480_000, playing: true, rate: 8, sentAt: now }));
    expect(f.seeks).toBe(1);
    expect(f.position()).toBe(480_000);
  });
});

describe('replay channel messages', () => {
  it('takes only well-formed messages of its own session', () => {
    expect(followMessageOf(clockMsg({}), S)?.kind).toBe('clock');
    expect(followMessageOf({ kind: 'hello', session: S, displayId: 'second' }, S)?.kind).toBe('hello');
    expect(followMessageOf({ kind: 'end', session: S }, S)?.kind).toBe('end');
    expect(followMessageOf(clockMsg({}), 'another-session')).toBeNull();
    expect(followMessageOf({ ...clockMsg({}), rate: 0 }, S)).toBeNull();
    expect(followMessageOf({ ...clockMsg({}), rate: 32 }, S)).toBeNull();
    expect(followMessageOf({ ...clockMsg({}), atMs: Number.NaN }, S)).toBeNull();
    expect(followMessageOf({ ...clockMsg({}), extra: 1 }, S)).toBeNull();
    expect(followMessageOf({ kind: 'seek', session: S }, S)).toBeNull();
    expect(followMessageOf('clock', S)).toBeNull();
  });

  it('takes a follower\'s replay keys, and no other key (Enter and Escape stay the follower window\'s own)', () => {
    expect(followMessageOf({ kind: 'key', session: S, key: ' ', shift: false }, S)).toEqual({ kind: 'key', session: S, key: ' ', shift: false });
    expect(followMessageOf({ kind: 'key', session: S, key: 'ArrowRight', shift: true }, S)?.kind).toBe('key');
    for (const key of ['Enter', 'Escape', 'a', 'F5', '']) expect(followMessageOf({ kind: 'key', session: S, key, shift: false }, S)).toBeNull();
    expect(followMessageOf({ kind: 'key', session: S, key: ' ' }, S)).toBeNull();
    expect(followMessageOf({ kind: 'key', session: 'another-session', key: ' ', shift: false }, S)).toBeNull();
  });
});

describe('follower windows', () => {
  it('names view=replay, the incident, the display and the session in the address, and reads them back', () => {
    const url = followerUrl('/index.html', { incidentId: 'inc-7', displayId: 'second', session: S }, 'kk');
    expect(url.startsWith('/index.html?')).toBe(true);
    const search = url.slice(url.indexOf('?'));
    expect(readFollowerParams(search)).toEqual({ incidentId: 'inc-7', displayId: 'second', session: S });
    expect(new URLSearchParams(search).get('lang')).toBe('kk');
    expect(readFollowerParams('?view=map')).toBeNull();
    expect(readFollowerParams('?view=replay&incident=inc-7&replayDisplay=second')).toBeNull(); // no session
    expect(readFollowerParams(`?view=replay&incident=&replayDisplay=second&follow=${S}`)).toBeNull();
    expect(readFollowerParams(`?view=replay&incident=inc-7&replayDisplay=second&follow=a%20b%20c%20d`)).toBeNull();
  });

  it('opens every display of the incident but the one the main window shows, one window name each', () => {
    expect(followerDisplays(['main', 'second', 'third'], 'main')).toEqual(['second', 'third']);
    expect(followerDisplays(['main', 'second'], 'second')).toEqual(['main']);
    expect(followerDisplays(['main'], 'main')).toEqual([]);
    expect(followerWindowName(S, 'display-2')).not.toBe(followerWindowName(S, 'display-3'));
    expect(followerWindowName(S, 'a b')).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
