/**
 * The moved picture that stands in for a draw while the view pans and zooms (map-decks.ts). Without a GPU a deck.gl
 * draw of the map costs tens of milliseconds per canvas in software; a pan or a zoom with the same bearing and no tilt
 * only moves and scales what is already drawn, so the last drawn canvas, moved and scaled by a CSS transform, shows
 * the new view until it holds still and is drawn sharp again (what Leaflet and OpenLayers do on slow devices).
 *
 * Pure: no DOM, no deck instance. tests/unit/map-view-transform.test.ts checks a point projected with the new view
 * lands where the transformed old picture shows it.
 */
import { WebMercatorViewport } from '@deck.gl/core';

/** A map view and the size it is drawn at (CSS pixels): what deck's MapView makes a WebMercatorViewport of. */
export interface SizedView {
  longitude: number;
  latitude: number;
  zoom: number;
  bearing?: number;
  pitch?: number;
  width: number;
  height: number;
}

/** Screen position = scale * position in the old picture + (x, y), in CSS pixels; transform-origin at the top left. */
export interface PictureTransform {
  scale: number;
  x: number;
  y: number;
}

/** The largest zoom change (either way) a scaled picture stands in for: beyond it the picture is too coarse or too small. */
export const STAND_IN_MAX_ZOOM_CHANGE = 2;
const EPS = 1e-6;

/**
 * How the picture drawn for `drawn` must be moved and scaled to show `now`, or null when no move and scale can show
 * it: a different bearing (rotation), any tilt (perspective), another size, or a zoom change beyond
 * STAND_IN_MAX_ZOOM_CHANGE. With equal bearing and no pitch Web Mercator is a similarity: every point's pixel in the
 * new view is scale * its pixel in the old one plus a fixed offset, found from the old view's centre.
 */
export function pictureTransform(drawn: SizedView, now: SizedView): PictureTransform | null {
  if (drawn.width !== now.width || drawn.height !== now.height || drawn.width <= 0 || drawn.height <= 0) return null;
  if (Math.abs(drawn.pitch ?? 0) > EPS || Math.abs(now.pitch ?? 0) > EPS) return null;
  if (Math.abs(angleDiff(drawn.bearing ?? 0, now.bearing ?? 0)) > EPS) return null;
  const dz = now.zoom - drawn.zoom;
  if (!Number.isFinite(dz) || Math.abs(dz) > STAND_IN_MAX_ZOOM_CHANGE) return null;
  const scale = 2 ** dz;
  const [cx, cy] = new WebMercatorViewport({ ...now, bearing: now.bearing ?? 0, pitch: 0 }).project([drawn.longitude, drawn.latitude]);
  if (!Number.isFinite(cx) || !Number.isFinite(cy)) return null;
  return { scale, x: (cx ?? 0) - (scale * drawn.width) / 2, y: (cy ?? 0) - (scale * drawn.height) / 2 };
}

/** The CSS `transform` for a picture transform (with `transform-origin: 0 0`); the identity is no transform at all. */
export function cssTransform(t: PictureTransform | null): string {
  if (!t || (t.scale === 1 && t.x === 0 && t.y === 0)) return '';
  return `translate(${t.x}px, ${t.y}px) scale(${t.scale})`;
}

/** Where the moved old picture shows a pixel `p` of the old picture. */
export function applyTransform(t: PictureTransform, p: readonly [number, number]): [number, number] {
  return [t.scale * p[0] + t.x, t.scale * p[1] + t.y];
}

/** True when two views are the same view (what a canvas drew is what is asked now). */
export function sameView(a: SizedView, b: SizedView): boolean {
  return a.width === b.width && a.height === b.height && Math.abs(a.longitude - b.longitude) < 1e-9 && Math.abs(a.latitude - b.latitude) < 1e-9
    && Math.abs(a.zoom - b.zoom) < 1e-9 && Math.abs(angleDiff(a.bearing ?? 0, b.bearing ?? 0)) < 1e-9 && Math.abs((a.pitch ?? 0) - (b.pitch ?? 0)) < 1e-9;
}

function angleDiff(a: number, b: number): number {
  const d = (((b - a) % 360) + 540) % 360 - 180;
  return d;
}
