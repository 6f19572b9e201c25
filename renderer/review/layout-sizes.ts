/**
 * Elements' laid-out sizes (clientWidth / clientHeight, CSS px) for the players' loop, kept by a ResizeObserver.
 * Reading clientHeight in an animation frame makes Chromium recalculate style and lay the page out there and then
 * whenever anything changed since the last layout; in the loop that ran once per tile and frame (a player's seek changes
 * its <video>'s state, and the next tile's read laid out the page again), a large share of a 16-tile seek's main thread.
 * A size read here is what the last layout gave; an element not seen before is read once, directly.
 */
export interface Size { w: number; h: number }

const read = (el: Element): Size => ({ w: el.clientWidth, h: el.clientHeight });

export class LayoutSizes {
  private readonly sizes = new Map<Element, Size>();
  private readonly observer: ResizeObserver | null;
  /** Every read from the element itself, as before (diagnostics: the benchmark's A/B). */
  direct = false;

  constructor() {
    this.observer = typeof ResizeObserver === 'function'
      ? new ResizeObserver((entries) => { for (const e of entries) if (this.sizes.has(e.target)) this.sizes.set(e.target, read(e.target)); })
      : null;
  }

  of(el: Element): Size {
    if (this.direct || !this.observer) return read(el);
    let s = this.sizes.get(el);
    if (!s) {
      s = read(el);
      this.sizes.set(el, s);
      this.observer.observe(el);
      if (this.sizes.size > 64) this.prune();
    }
    return s;
  }

  /** Elements gone from the page are let go of. */
  private prune(): void {
    for (const el of [...this.sizes.keys()]) if (!el.isConnected) { this.observer?.unobserve(el); this.sizes.delete(el); }
  }

  dispose(): void {
    this.observer?.disconnect();
    this.sizes.clear();
  }
}
