/**
 * LayoutSizes (renderer/element-size.ts): the players' loop reads tile and canvas sizes from a ResizeObserver's
 * last report instead of laying the page out per read. Node has no layout: elements are fakes that count their reads,
 * and the observer is a fake the test drives.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LayoutSizes } from '../../renderer/element-size.js';

class FakeElement {
  reads = 0;
  isConnected = true;
  constructor(private w: number, private h: number) {}
  get clientWidth(): number { this.reads++; return this.w; }
  get clientHeight(): number { this.reads++; return this.h; }
  resize(w: number, h: number): void { this.w = w; this.h = h; }
}

let observers: FakeObserver[] = [];
class FakeObserver {
  observed = new Set<unknown>();
  constructor(private readonly cb: (entries: Array<{ target: unknown }>) => void) { observers.push(this); }
  observe(el: unknown): void { this.observed.add(el); }
  unobserve(el: unknown): void { this.observed.delete(el); }
  disconnect(): void { this.observed.clear(); }
  /** What Chromium does after a layout that changed these elements' sizes. */
  report(...els: unknown[]): void { this.cb(els.map((target) => ({ target }))); }
}

describe('LayoutSizes', () => {
  const had = (globalThis as { ResizeObserver?: unknown }).ResizeObserver;
  beforeEach(() => { observers = []; (globalThis as { ResizeObserver?: unknown }).ResizeObserver = FakeObserver; });
  afterEach(() => { (globalThis as { ResizeObserver?: unknown }).ResizeObserver = had; });

  it('never lays out for an element: null until the observer\'s first report, then what it last reported', () => {
    const sizes = new LayoutSizes();
    const el = new FakeElement(320, 180);
    const e = el as unknown as Element;
    expect(sizes.of(e)).toBeNull(); // first asked for: observed, not read (a read would lay the page out now)
    expect(sizes.of(e)).toBeNull();
    expect(el.reads).toBe(0);
    expect(observers[0]!.observed.has(el)).toBe(true);
    observers[0]!.report(el); // after the next layout
    expect(sizes.of(e)).toEqual({ w: 320, h: 180 });
    const reads = el.reads;
    for (let i = 0; i < 100; i++) expect(sizes.of(e)).toEqual({ w: 320, h: 180 }); // a frame's reads: no layout
    expect(el.reads).toBe(reads);
    el.resize(640, 360); // laid out anew, not yet reported: still the old size
    expect(sizes.of(e)).toEqual({ w: 320, h: 180 });
    observers[0]!.report(el);
    expect(sizes.of(e)).toEqual({ w: 640, h: 360 });
  });

  it('reads from the element every time without a ResizeObserver', () => {
    (globalThis as { ResizeObserver?: unknown }).ResizeObserver = undefined;
    const bare = new LayoutSizes();
    const el = new FakeElement(10, 20);
    expect(bare.of(el as unknown as Element)).toEqual({ w: 10, h: 20 });
    el.resize(11, 21);
    expect(bare.of(el as unknown as Element)).toEqual({ w: 11, h: 21 });
  });

  it('lets go of elements gone from the page', () => {
    const sizes = new LayoutSizes();
    const gone = Array.from({ length: 60 }, () => new FakeElement(1, 1));
    for (const el of gone) sizes.of(el as unknown as Element);
    observers[0]!.report(...gone.slice(0, 30)); // some reported, some not: both let go of
    for (const el of gone) el.isConnected = false;
    const kept = Array.from({ length: 10 }, () => new FakeElement(2, 2));
    for (const el of kept) sizes.of(el as unknown as Element);
    expect([...observers[0]!.observed].every((el) => (el as FakeElement).isConnected)).toBe(true);
    expect(observers[0]!.observed.size).toBe(10);
    sizes.dispose();
    expect(observers[0]!.observed.size).toBe(0);
  });
});
