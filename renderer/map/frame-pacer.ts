/**
 * Draw on change. deck.gl's animation loop asks the browser for an animation frame 60 times a second even when nothing
 * changes (it then draws nothing, deck.gl issue #6961). Without a GPU that is not free: every requested frame runs the
 * page's and the compositor's frame pipeline (and SwiftShader's GPU process) on the two cores the wall decodes on.
 *
 * The pacer is the loop's frame provider: while something happens (a frame drew, or the map was woken by input, new
 * layers or a loaded tile) it hands out real animation frames; once a frame draws nothing it falls back to a slow poll
 * (IDLE_POLL_MS), which still lets deck.gl finish asynchronous work nobody woke it for. A loop that has nothing that could
 * finish later (a deck with no layers: `pollsWhenIdle` false) does not poll at all: it waits for the next wake. Small
 * and strict: the clock and the schedulers are injected, so tests/unit/frame-pacer.test.ts drives it without a browser.
 */

/** How often an idle map still runs one loop step (async layer work nobody announced shows within this). */
export const IDLE_POLL_MS = 250;

export interface PacerClock {
  raf(cb: (time: number) => void): number;
  cancelRaf(id: number): void;
  setTimer(cb: () => void, ms: number): number;
  clearTimer(id: number): void;
  now(): number;
}

/** The loop step waiting to run: on the next animation frame, on the idle poll's timer, or on the next wake (`parked`). */
type PendingStep = { kind: 'frame' | 'poll' | 'parked'; id: number; cb: (time: number) => void };

export class FramePacer {
  private pending: PendingStep | null = null;
  private busy = true; // the first frames draw
  /** A wake since the running (or last) loop step began. */
  private wokeInStep = false;
  private frames = 0;
  private polls = 0;

  /** `pollsWhenIdle`: asked each time the loop goes idle; false parks it until the next wake (nothing to poll for). */
  constructor(private readonly clock: PacerClock, private readonly pollsWhenIdle: () => boolean = () => true) {}

  /** The animation frame provider deck.gl's (luma.gl's) AnimationLoop calls; the returned id cancels it. */
  readonly provider = {
    requestAnimationFrame: (cb: (time: number) => void): number => this.schedule(cb),
    cancelAnimationFrame: (_id: number): void => this.cancel(),
  };

  /**
   * Call after each loop step with whether it drew: a step that drew keeps real frames coming, one that did not idles,
   * unless something woke the pacer during the step (a view transition's step: the next one is due on the next frame).
   */
  stepped(drew: boolean): void {
    this.busy = drew || this.wokeInStep;
  }

  /** Something changed (input, layers, a loaded tile): the next loop step runs on the next animation frame. */
  wake(): void {
    this.busy = true;
    this.wokeInStep = true;
    const p = this.pending;
    if (!p || p.kind === 'frame') return;
    if (p.kind === 'poll') this.clock.clearTimer(p.id);
    this.pending = null;
    this.schedule(p.cb);
  }

  /** Loop steps run on animation frames and on idle polls so far (diagnostics and the benchmark). */
  counts(): { frames: number; polls: number } {
    return { frames: this.frames, polls: this.polls };
  }

  private schedule(cb: (time: number) => void): number {
    this.cancel();
    if (this.busy) {
      const id = this.clock.raf((time) => { this.pending = null; this.frames += 1; this.wokeInStep = false; cb(time); });
      this.pending = { kind: 'frame', id, cb };
      return id;
    }
    if (!this.pollsWhenIdle()) {
      this.pending = { kind: 'parked', id: 0, cb };
      return 0;
    }
    const id = this.clock.setTimer(() => { this.pending = null; this.polls += 1; this.wokeInStep = false; cb(this.clock.now()); }, IDLE_POLL_MS);
    this.pending = { kind: 'poll', id, cb };
    return id;
  }

  private cancel(): void {
    const p = this.pending;
    if (!p) return;
    if (p.kind === 'frame') this.clock.cancelRaf(p.id);
    else if (p.kind === 'poll') this.clock.clearTimer(p.id);
    this.pending = null;
  }
}

/** The browser's clock for a pacer. */
export const browserClock: PacerClock = {
  raf: (cb) => window.requestAnimationFrame(cb),
  cancelRaf: (id) => window.cancelAnimationFrame(id),
  setTimer: (cb, ms) => window.setTimeout(cb, ms),
  clearTimer: (id) => window.clearTimeout(id),
  now: () => performance.now(),
};

/** What the pacer needs of a Deck: its animation loop (created in Deck's constructor, before its first frame). */
interface PacedDeck {
  animationLoop: {
    setProps(props: { animationFrameProvider: FramePacer['provider'] }): unknown;
    props: { onRender: (p: never) => unknown };
  } | null;
  setProps(props: never): void;
  props?: { layers?: readonly unknown[] };
}

/** Whether an idle deck polls (see paceDeck): `layers` only while it has layers (nothing else finishes asynchronously), `always` as before. */
export type IdlePolls = 'layers' | 'always';

/**
 * Puts a pacer in front of a Deck's animation loop: new props (layers, view) wake it, and so does the input deck.gl's
 * controller reads on `input` (null for a deck that takes no input: its view comes in as props). `drawCount` is how many
 * frames deck drew so far (its onAfterRender count). `idlePolls` is read each time the deck goes idle: `layers` (the
 * default) polls only a deck that has layers (async props, tiles); a deck with none waits for its next wake (props, input).
 * Returns the pacer and an undo.
 */
export function paceDeck(deckGl: object, input: HTMLElement | null, drawCount: () => number, clock: PacerClock = browserClock, idlePolls: () => IdlePolls = () => 'layers'): { pacer: FramePacer; dispose(): void } {
  // deck.gl's types keep `animationLoop` protected; its loop's frame provider is public luma.gl API (AnimationLoop.setProps)
  const deck = deckGl as PacedDeck;
  const pacer = new FramePacer(clock, () => idlePolls() === 'always' || (deck.props?.layers?.length ?? 0) > 0);
  const loop = deck.animationLoop;
  if (!loop) return { pacer, dispose() {} };
  loop.setProps({ animationFrameProvider: pacer.provider });
  const render = loop.props.onRender;
  loop.props.onRender = (p: never) => {
    const before = drawCount();
    const out = render(p);
    pacer.stepped(drawCount() !== before);
    return out;
  };
  const setProps = deck.setProps.bind(deck);
  deck.setProps = (props: never) => { setProps(props); pacer.wake(); };
  const wake = () => pacer.wake();
  const events = ['pointerdown', 'pointermove', 'pointerup', 'wheel', 'keydown', 'keyup', 'touchstart', 'touchmove', 'dragover'] as const;
  for (const e of events) input?.addEventListener(e, wake, { capture: true, passive: true });
  return {
    pacer,
    dispose() { for (const e of events) input?.removeEventListener(e, wake, { capture: true }); },
  };
}
