/**
 * The SVG drawing surface over a tile's picture shared by the zone editor and the privacy-mask editor: shapes in
 * normalised picture coordinates, their names as text, corner handles of the selected shape to drag, and the shape
 * being drawn (click corners; back on the first corner, a double click or Enter closes a polygon). It owns the
 * keyboard while open, so the wall's keys (Delete clears a tile, arrows move the selection) do not act under it.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { PicturePoint as Point } from '../../electron/contract/polygon.js';
import './zones.css';

export interface CssRect { left: number; top: number; width: number; height: number }

/** A shape as the surface draws it. */
export interface SurfaceShape {
  name: string;
  points: readonly Point[];
  /** A polygon (closed) or a line. */
  closed: boolean;
  /** Extra CSS classes (the shape's kind). */
  className: string;
  /** Drawn inside the shape's group (a line's direction arrows), given the picture's size in CSS pixels. */
  decorate?: (w: number, h: number) => ReactNode;
}

interface Props {
  rect: CssRect | null;
  shapes: readonly SurfaceShape[];
  selected: number | null;
  /** A drawing tool is active (null: select); `polygon` tools close on the first corner. */
  drawing: { points: readonly Point[]; polygon: boolean; className: string } | null;
  testId: string;
  onSelect(index: number | null): void;
  onAddPoint(p: Point, close: boolean): void;
  onMovePoint(shape: number, point: number, p: Point): void;
  onFinish(): void;
}

const CLOSE_PX = 12;

/** The picture's rect, polled (it moves when the tile grows or the window resizes). */
export function usePolledRect(get: () => CssRect | null): CssRect | null {
  const [rect, setRect] = useState<CssRect | null>(get);
  useEffect(() => {
    const t = setInterval(() => {
      const r = get();
      setRect((old) => (old && r && old.left === r.left && old.top === r.top && old.width === r.width && old.height === r.height ? old : r));
    }, 250);
    return () => clearInterval(t);
  }, [get]);
  return rect;
}

/**
 * The editor's keys, taken before the wall's: Esc ends drawing (or closes the editor), Enter finishes the shape being
 * drawn, Delete / Backspace removes the selected shape; arrows are swallowed. Typing in a field is left alone.
 */
export function useEditorKeys(keys: { escape(): void; enter(): void; remove(): boolean }): void {
  const ref = useRef(keys);
  ref.current = keys;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT')) return;
      if (e.key === 'Escape') ref.current.escape();
      else if (e.key === 'Enter') ref.current.enter();
      else if (e.key === 'Delete' || e.key === 'Backspace') ref.current.remove();
      else if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) return;
      e.stopImmediatePropagation();
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}

export function ShapeSurface({ rect, shapes, selected, drawing, testId, onSelect, onAddPoint, onMovePoint, onFinish }: Props) {
  const [hover, setHover] = useState<Point | null>(null);
  const drag = useRef<{ shape: number; point: number } | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  if (!rect) return null;

  const toPoint = (clientX: number, clientY: number): Point | null => {
    const r = svgRef.current?.getBoundingClientRect();
    if (!r || r.width === 0) return null;
    return { x: Math.min(1, Math.max(0, (clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (clientY - r.top) / r.height)) };
  };
  const w = rect.width, h = rect.height;
  const first = drawing?.points[0];
  const nearFirst = (p: Point) => !!first && !!drawing?.polygon && drawing.points.length >= 3 && Math.hypot((p.x - first.x) * w, (p.y - first.y) * h) < CLOSE_PX;

  return (
    <svg
      ref={svgRef} className={`zone-canvas${drawing ? ' drawing' : ''}`} data-testid={testId}
      style={{ left: rect.left, top: rect.top, width: w, height: h }} viewBox={`0 0 ${w} ${h}`}
      onPointerDown={(e) => {
        if (!drawing) { onSelect(null); return; }
        const p = toPoint(e.clientX, e.clientY);
        if (p) onAddPoint(p, nearFirst(p));
      }}
      onPointerMove={(e) => {
        const p = toPoint(e.clientX, e.clientY);
        setHover(p);
        const dr = drag.current;
        if (dr && p) onMovePoint(dr.shape, dr.point, p);
      }}
      onPointerUp={() => { drag.current = null; }}
      onDoubleClick={onFinish}
      onContextMenu={(e) => e.preventDefault()}
    >
      {shapes.map((s, i) => {
        const sel = selected === i;
        const pts = s.points.map((p) => `${p.x * w},${p.y * h}`).join(' ');
        return (
          <g key={i} className={`ze-shape ${s.className}${sel ? ' ze-selected' : ''}`} data-shape-name={s.name} onPointerDown={(e) => { if (!drawing) { e.stopPropagation(); onSelect(i); } }}>
            {s.closed ? <polygon points={pts} /> : <polyline points={pts} />}
            {s.decorate?.(w, h)}
            <text x={s.points[0]!.x * w + 4} y={s.points[0]!.y * h - 6}>{s.name}</text>
            {sel && s.points.map((p, k) => (
              <circle key={k} className="ze-handle" cx={p.x * w} cy={p.y * h} r={6}
                onPointerDown={(e) => { e.stopPropagation(); drag.current = { shape: i, point: k }; svgRef.current?.setPointerCapture(e.pointerId); }} />
            ))}
          </g>
        );
      })}
      {drawing && drawing.points.length > 0 && (
        <g className={`ze-drawing ${drawing.className}`}>
          <polyline points={[...drawing.points, ...(hover ? [hover] : [])].map((p) => `${p.x * w},${p.y * h}`).join(' ')} />
          {drawing.points.map((p, k) => <circle key={k} className={k === 0 && hover && nearFirst(hover) ? 'ze-handle ze-close' : 'ze-handle'} cx={p.x * w} cy={p.y * h} r={5} />)}
        </g>
      )}
    </svg>
  );
}
