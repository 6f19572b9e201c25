/** The map's search box: coordinates ("43.2389, 76.8897") or a camera name or id, case-insensitive. */
import type { Camera } from '../../electron/contract/schemas.js';

export type SearchHit =
  | { kind: 'point'; lat: number; lon: number }
  | { kind: 'camera'; camera: Camera & { location: NonNullable<Camera['location']> } }
  | { kind: 'none' };

const COORDS = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$/;

/** Latitude then longitude, as map apps write them; null when the text is not a valid pair. */
export function parseCoordinates(text: string): { lat: number; lon: number } | null {
  const m = COORDS.exec(text);
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return null;
  return { lat, lon };
}

/** The first placed camera whose name or id contains the text (an exact id or name wins). */
export function searchMap(text: string, cameras: readonly Camera[]): SearchHit {
  const point = parseCoordinates(text);
  if (point) return { kind: 'point', ...point };
  const q = text.trim().toLowerCase();
  if (!q) return { kind: 'none' };
  const placed = cameras.filter((c): c is Camera & { location: NonNullable<Camera['location']> } => !!c.location);
  const exact = placed.find((c) => c.id === q || c.name.toLowerCase() === q);
  const hit = exact ?? placed.find((c) => c.name.toLowerCase().includes(q) || c.id.includes(q));
  return hit ? { kind: 'camera', camera: hit } : { kind: 'none' };
}
