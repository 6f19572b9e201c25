/**
 * Drawing an area on the map (issue 10 §2): Shift-drag draws a rectangle, a drag with the lasso on draws a free shape.
 * The gesture is taken before deck.gl sees it (capture phase on the map's holder), so it never pans or rotates the map.
 * Returns the shape being drawn (holder pixels) for the overlay; `onDone` gets the finished one.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { rectangle, type ScreenPoint } from './area-select.js';

export function useAreaSelect(holder: RefObject<HTMLDivElement | null>, lasso: boolean, onDone: (area: ScreenPoint[]) => void): ScreenPoint[] | null {
  const [shape, setShape] = useState<ScreenPoint[] | null>(null);
  const lassoRef = useRef(lasso);
  lassoRef.current = lasso;
  const doneRef = useRef(onDone);
  doneRef.current = onDone;

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    let drawing: { kind: 'rect' | 'lasso'; points: ScreenPoint[] } | null = null;
    const at = (e: PointerEvent | MouseEvent): ScreenPoint => { const r = el.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    const wanted = (e: PointerEvent | MouseEvent) => e.button === 0 && (e.shiftKey || lassoRef.current);
    const outline = () => (!drawing ? null : drawing.kind === 'rect' ? rectangle(drawing.points[0]!, drawing.points.at(-1)!) : drawing.points);
    const down = (e: PointerEvent) => {
      if (!wanted(e)) return;
      e.stopPropagation(); e.preventDefault();
      drawing = { kind: lassoRef.current ? 'lasso' : 'rect', points: [at(e)] };
      setShape(outline());
    };
    const swallow = (e: MouseEvent) => { if (wanted(e)) { e.stopPropagation(); e.preventDefault(); } };
    const move = (e: PointerEvent) => {
      if (!drawing) return;
      const p = at(e);
      if (drawing.kind === 'rect') drawing.points[1] = p;
      else { const last = drawing.points.at(-1)!; if (Math.hypot(p[0] - last[0], p[1] - last[1]) >= 3) drawing.points.push(p); }
      setShape(outline());
    };
    const up = (e: PointerEvent) => {
      if (!drawing) return;
      move(e);
      const area = outline();
      drawing = null;
      setShape(null);
      if (area && area.length >= 3) doneRef.current(area);
    };
    el.addEventListener('pointerdown', down, true);
    el.addEventListener('mousedown', swallow, true);
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    return () => {
      el.removeEventListener('pointerdown', down, true);
      el.removeEventListener('mousedown', swallow, true);
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
  }, [holder]);
  return shape;
}
