/**
 * useElementSize: an element's size on screen in whole CSS pixels and the device pixel ratio, kept current by a
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
