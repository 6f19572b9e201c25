/**
 * Turning a camera on the map (issue 10 §2): a handle at the far edge of the selected camera's cone; dragging it turns
 * the cone to face the pointer (drawn live), and releasing saves the heading through `cameras.update`. The heading is
 * the screen angle from the camera to the pointer plus the map's own bearing (north up or rotated; pitch ignored).
 */
import { useRef } from 'react';

/** Degrees clockwise from north of `to` seen from `from`, on a map turned by `mapBearing` (screen y grows down). */
export function screenHeading(from: readonly [number, number], to: readonly [number, number], mapBearing: number): number {
  const deg = (Math.atan2(to[0] - from[0], from[1] - to[1]) * 180) / Math.PI + mapBearing;
  return Math.round(((deg % 360) + 360) % 360);
}

export function HeadingHandle({ camera, tip, mapBearing, title, onTurn, onDone }: {
  camera: [number, number]; tip: [number, number]; mapBearing: number; title: string;
  onTurn(heading: number): void; onDone(heading: number): void;
}) {
  const last = useRef<number | null>(null);
  const heading = (e: React.PointerEvent) => {
    const box = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
    return screenHeading(camera, [e.clientX - box.left, e.clientY - box.top], mapBearing);
  };
  return (
    <div className="map-heading-handle" style={{ left: tip[0], top: tip[1] }} title={title} aria-label={title} role="slider"
      aria-valuemin={0} aria-valuemax={360} aria-valuenow={last.current ?? undefined} data-testid="map-heading-handle"
      onPointerDown={(e) => { e.stopPropagation(); e.preventDefault(); e.currentTarget.setPointerCapture(e.pointerId); last.current = null; }}
      onPointerMove={(e) => { if (!e.currentTarget.hasPointerCapture(e.pointerId)) return; last.current = heading(e); onTurn(last.current); }}
      onPointerUp={(e) => { if (!e.currentTarget.hasPointerCapture(e.pointerId)) return; e.currentTarget.releasePointerCapture(e.pointerId); if (last.current !== null) onDone(last.current); last.current = null; }} />
  );
}
