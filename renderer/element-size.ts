/**
 * Elements' sizes kept by a ResizeObserver. useElementSize: an element's size on screen in whole CSS pixels and the device pixel ratio, kept current by a
 * ResizeObserver (the live wall sizes its canvas with it, replay places its walls). A re-render only when one changes.
 */
import { useLayoutEffect, useState, type RefObject } from 'react';

/** An element's size in whole CSS pixels (0 x 0 before it is laid out) and the page's devicePixelRatio then. */
export interface ElementSize { cssW: number; cssH: number; dpr: number }

export function useElementSize(ref: RefObject<HTMLElement | null>): ElementSize {
  const [size, setSize] = useState<ElementSize>({ cssW: 0, cssH: 0, dpr: window.devicePixelRatio || 1 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      const next = { cssW: Math.floor(r.width), cssH: Math.floor(r.height), dpr: window.devicePixelRatio || 1 };
      setSize((s) => (s.cssW === next.cssW && s.cssH === next.cssH && s.dpr === next.dpr ? s : next));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

/** An element's clientWidth and clientHeight (CSS px). */
export interface ClientSize { w: number; h: number }

const read = (el: Element): ClientSize => ({ w: el.clientWidth, h: el.clientHeight });

/**
 * LayoutSizes: many elements' laid-out sizes (clientWidth / clientHeight, CSS px) for the players' loop, kept by a ResizeObserver.
 * Reading clientHeight in an animation frame makes Chromium recalculate style and lay the page out there and then
 * whenever anything changed since the last layout; in the loop that ran once per tile and frame (a player's seek changes
 * its <video>'s state, and the next tile's read laid out the page again: 470 ms of the main thread over 30 replay seeks
 * in a profile). A size read here is what the last layout gave. An element not seen before is not read (2026-12-06:
 * a seek into another layout brings 10-16 new tiles and canvases, and the loop read each one while sizing the canvases
 * before it, laying the page out again per tile, 15 ms a seek): it is null until the observer's first report, which
 * comes after the next layout, before that frame is painted. Callers skip it for that frame.
 */
export class LayoutSizes {
  /** undefined: observed, its first report not in yet. */
  private readonly sizes = new Map<Element, ClientSize | undefined>();
  private readonly observer: ResizeObserver | null;

  constructor() {
    this.observer = typeof ResizeObserver === 'function'
      ? new ResizeObserver((entries) => { for (const e of entries) if (this.sizes.has(e.target)) this.sizes.set(e.target, read(e.target)); }) // after layout: no new one
      : null;
  }

  /** The element's size at the last layout; null for one not reported yet (first asked for since that layout). */
  of(el: Element): ClientSize | null {
    if (!this.observer) return read(el);
    const s = this.sizes.get(el);
    if (s !== undefined) return s;
    if (!this.sizes.has(el)) {
      this.sizes.set(el, undefined);
      this.observer.observe(el);
      if (this.sizes.size > 64) this.prune();
    }
    return null;
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
