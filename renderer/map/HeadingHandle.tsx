/**
 * Aiming a camera on the map (issue 10 §2): a handle at the far edge of the selected camera's cone; dragging it turns
 * the cone to face the pointer and stretches it to reach the pointer (drawn live), and releasing saves the heading and
 * the range through `cameras.update`. The heading is the screen angle from the camera to the pointer plus the map's
 * own bearing (north up or rotated; pitch ignored); the range is the ground distance to the pointer (the caller's).
 */
import { useRef } from 'react';

/** Degrees clockwise from north of `to` seen from `from`, on a map turned by `mapBearing` (screen y grows down). */
export function screenHeading(from: readonly [number, number], to: readonly [number, number], mapBearing: number): number {
  const deg = (Math.atan2(to[0] - from[0], from[1] - to[1]) * 180) / Math.PI + mapBearing;
  return Math.round(((deg % 360) + 360) % 360);
}

export function HeadingHandle({ camera, tip, mapBearing, title, onTurn, onDone }: {
  camera: [number, number]; tip: [number, number]; mapBearing: number; title: string;
  /** `to`: the pointer in the map's CSS pixels. */
  onTurn(heading: number, to: [number, number]): void; onDone(heading: number, to: [number, number]): void;
}) {
  const last = useRef<{ heading: number; to: [number, number] } | null>(null);
  const aim = (e: React.PointerEvent) => {
    const box = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
    const to: [number, number] = [e.clientX - box.left, e.clientY - box.top];
    return { heading: screenHeading(camera, to, mapBearing), to };
  };
  return (
    <div className="map-heading-handle" style={{ left: tip[0], top: tip[1] }} title={title} aria-label={title} role="slider"
      aria-valuemin={0} aria-valuemax={360} aria-valuenow={last.current?.heading ?? undefined} data-testid="map-heading-handle"
      onPointerDown={(e) => { e.stopPropagation(); e.preventDefault(); e.currentTarget.setPointerCapture(e.pointerId); last.current = null; }}
      onPointerMove={(e) => { if (!e.currentTarget.hasPointerCapture(e.pointerId)) return; last.current = aim(e); onTurn(last.current.heading, last.current.to); }}
      onPointerUp={(e) => { if (!e.currentTarget.hasPointerCapture(e.pointerId)) return; e.currentTarget.releasePointerCapture(e.pointerId); if (last.current !== null) onDone(last.current.heading, last.current.to); last.current = null; }} />
  );
}

/**
 * Moving a camera on the map (issue 10 §2): a square handle on the selected camera's dot; dragging it moves the camera
 * (the caller draws it where the pointer is) and releasing saves its position. `to`: the pointer in the map's CSS pixels.
 */
export function MoveHandle({ at, title, onMove, onDone }: {
  at: [number, number]; title: string; onMove(to: [number, number]): void; onDone(to: [number, number]): void;
}) {
  const moved = useRef(false);
  const where = (e: React.PointerEvent): [number, number] => {
    const box = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
    return [e.clientX - box.left, e.clientY - box.top];
  };
  return (
    <div className="map-move-handle" style={{ left: at[0], top: at[1] }} title={title} aria-label={title} role="button" data-testid="map-move-handle"
      onPointerDown={(e) => { e.stopPropagation(); e.preventDefault(); e.currentTarget.setPointerCapture(e.pointerId); moved.current = false; }}
      onPointerMove={(e) => { if (!e.currentTarget.hasPointerCapture(e.pointerId)) return; moved.current = true; onMove(where(e)); }}
      onPointerUp={(e) => { if (!e.currentTarget.hasPointerCapture(e.pointerId)) return; e.currentTarget.releasePointerCapture(e.pointerId); if (moved.current) onDone(where(e)); moved.current = false; }} />
  );
}
