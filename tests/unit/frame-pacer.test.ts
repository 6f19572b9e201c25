import { describe, expect, it } from 'vitest';
import { FramePacer, IDLE_POLL_MS, paceDeck, type PacerClock } from '../../renderer/map/frame-pacer.js';

/** A hand-driven clock: animation frames and timers run only when the test says so. */
function fakeClock() {
  let next = 1;
  let now = 0;
  const frames = new Map<number, (t: number) => void>();
  const timers = new Map<number, { cb: () => void; at: number }>();
  const clock: PacerClock = {
    raf: (cb) => { const id = next++; frames.set(id, cb); return id; },
    cancelRaf: (id) => { frames.delete(id); },
    setTimer: (cb, ms) => { const id = next++; timers.set(id, { cb, at: now + ms }); return id; },
    clearTimer: (id) => { timers.delete(id); },
    now: () => now,
  };
  return {
    clock,
    frames, timers,
    /** Runs the animation frames pending now (one vsync; time moves only when one ran). */
    vsync() { if (!frames.size) return 0; now += 16; const due = [...frames.values()]; frames.clear(); for (const f of due) f(now); return due.length; },
    /** Advances time, firing due timers. */
    advance(ms: number) { now += ms; for (const [id, t] of [...timers]) if (t.at <= now) { timers.delete(id); t.cb(); } },
  };
}

/** A loop like luma.gl's: after each step it asks the provider for the next one. `draws` says which steps draw. */
function loop(pacer: FramePacer, draws: (step: number) => boolean) {
  let step = 0;
  const run = () => { pacer.stepped(draws(step++)); pacer.provider.requestAnimationFrame(run); };
  pacer.provider.requestAnimationFrame(run);
  return () => step;
}

describe('FramePacer (the map draws on change)', () => {
  it('asks for animation frames while frames draw, and polls slowly once a frame drew nothing', () => {
    const c = fakeClock();
    const pacer = new FramePacer(c.clock);
    const steps = loop(pacer, (s) => s < 3);
    for (let i = 0; i < 4; i++) expect(c.vsync()).toBe(1); // 3 drawing steps, then the first that drew nothing
    expect(steps()).toBe(4);
    expect(c.vsync()).toBe(0); // idle: no animation frame requested
    expect(c.timers.size).toBe(1);
    c.advance(IDLE_POLL_MS - 1);
    expect(steps()).toBe(4);
    c.advance(1);
    expect(steps()).toBe(5); // the idle poll ran one step
    expect(pacer.counts()).toEqual({ frames: 4, polls: 1 });
  });

  it('wakes an idle loop onto the next animation frame and stays idle-cheap when nothing changes', () => {
    const c = fakeClock();
    const pacer = new FramePacer(c.clock);
    let drawAt = -1;
    const steps = loop(pacer, (s) => s === 0 || s === drawAt);
    c.vsync(); c.vsync();
    expect(c.frames.size).toBe(0);
    drawAt = steps();
    pacer.wake();
    expect(c.timers.size).toBe(0);
    expect(c.vsync()).toBe(1); // the woken step (it draws)
    expect(c.vsync()).toBe(1); // one more frame after a draw, which draws nothing
    expect(c.vsync()).toBe(0); // idle again
    // an hour of idling costs one step per poll, not 60 a second
    for (let i = 0; i < 40; i++) c.advance(IDLE_POLL_MS);
    expect(pacer.counts().polls).toBe(40);
    expect(pacer.counts().frames).toBe(4);
  });

  it('a wake while frames already come changes nothing, and cancel drops what is pending', () => {
    const c = fakeClock();
    const pacer = new FramePacer(c.clock);
    let ran = 0;
    pacer.provider.requestAnimationFrame(() => { ran += 1; });
    pacer.wake();
    expect(c.frames.size).toBe(1);
    pacer.provider.cancelAnimationFrame(0);
    expect(c.vsync()).toBe(0);
    expect(ran).toBe(0);
  });
});

describe('paceDeck', () => {
  it('becomes the loop\'s frame provider, learns from each step whether it drew, and wakes on new props and input', () => {
    const c = fakeClock();
    let draws = 0;
    let provider: unknown = null;
    let propsSet = 0;
    const deck = {
      animationLoop: {
        setProps(p: { animationFrameProvider: unknown }) { provider = p.animationFrameProvider; },
        props: { onRender: (_p: never) => { if (drawNext) { draws += 1; drawNext = false; } return undefined; } },
      },
      setProps(_p: never) { propsSet += 1; drawNext = true; },
    };
    let drawNext = true;
    const input = new EventTarget() as unknown as HTMLElement;
    const { pacer, dispose } = paceDeck(deck, input, () => draws, c.clock);
    expect(provider).toBe(pacer.provider);
    const step = () => { deck.animationLoop.props.onRender(undefined as never); pacer.provider.requestAnimationFrame(step); };
    pacer.provider.requestAnimationFrame(step);
    c.vsync(); c.vsync(); // draws, then nothing
    expect(c.vsync()).toBe(0);
    deck.setProps({} as never); // new layers wake it
    expect(propsSet).toBe(1);
    expect(c.vsync()).toBe(1);
    expect(draws).toBe(2);
    c.vsync();
    expect(c.vsync()).toBe(0);
    input.dispatchEvent(new Event('pointermove'));
    expect(c.vsync()).toBe(1);
    dispose();
    c.vsync();
    input.dispatchEvent(new Event('wheel'));
    expect(c.vsync()).toBe(0); // no longer listening
  });

  it('a deck that takes no input (null) is woken by its props only', () => {
    const c = fakeClock();
    let draws = 0;
    const deck = {
      animationLoop: { setProps(_p: unknown) {}, props: { onRender: (_p: never) => { draws += 1; return undefined; } } },
      setProps(_p: never) {},
    };
    const { pacer } = paceDeck(deck, null, () => draws, c.clock);
    pacer.stepped(false);
    pacer.provider.requestAnimationFrame(() => {});
    expect(c.vsync()).toBe(0); // idle: on the poll's timer
    deck.setProps({} as never);
    expect(c.vsync()).toBe(1);
  });

  it('a deck without layers does not poll when idle (nothing can finish later); with layers, or `always`, it polls', () => {
    const c = fakeClock();
    let polls: 'layers' | 'always' = 'layers';
    const deck = {
      animationLoop: { setProps(_p: unknown) {}, props: { onRender: (_p: never) => undefined } },
      setProps(p: { layers?: unknown[] }) { deck.props = { ...deck.props, ...p }; },
      props: { layers: [] as unknown[] },
    };
    const { pacer } = paceDeck(deck, null, () => 0, c.clock, () => polls);
    let steps = 0;
    const step = () => { steps += 1; deck.animationLoop.props.onRender(undefined as never); pacer.provider.requestAnimationFrame(step); };
    pacer.provider.requestAnimationFrame(step);
    c.vsync(); // the first step draws nothing: idle
    expect(steps).toBe(1);
    expect(c.timers.size).toBe(0); // parked: no poll
    c.advance(10 * IDLE_POLL_MS);
    expect(steps).toBe(1);
    deck.setProps({ layers: [{}] } as never); // new layers wake it
    expect(c.vsync()).toBe(1);
    expect(c.timers.size).toBe(1); // it has layers now: it polls
    c.advance(IDLE_POLL_MS);
    expect(steps).toBe(3);
    deck.props = { layers: [] };
    polls = 'always';
    c.advance(IDLE_POLL_MS);
    expect(steps).toBe(4);
    expect(c.timers.size).toBe(1); // as before: polls without layers too
    polls = 'layers';
    c.advance(IDLE_POLL_MS);
    expect(steps).toBe(5);
    expect(c.timers.size).toBe(0);
    pacer.wake(); // a wake runs the parked step on the next frame
    expect(c.vsync()).toBe(1);
    expect(steps).toBe(6);
  });

  it('a wake during a step that drew nothing (a view transition goes on) keeps frames coming', () => {
    const c = fakeClock();
    const deck = {
      animationLoop: { setProps(_p: unknown) {}, props: { onRender: (_p: never) => { if (transition > 0) { transition -= 1; pacer.wake(); } return undefined; } } },
      setProps(_p: never) {},
      props: { layers: [] as unknown[] },
    };
    let transition = 3;
    const { pacer } = paceDeck(deck, null, () => 0, c.clock);
    const step = () => { deck.animationLoop.props.onRender(undefined as never); pacer.provider.requestAnimationFrame(step); };
    pacer.provider.requestAnimationFrame(step);
    expect([c.vsync(), c.vsync(), c.vsync(), c.vsync(), c.vsync()]).toEqual([1, 1, 1, 1, 0]); // 3 transition steps, one more, parked
  });
});
