/**
 * The map's search box: coordinates ("43.2389, 76.8897"), a camera name or id, or a place in the basemap's data (a
 * building's address, a street's or park's name), case-insensitive.
 */
import type { Camera } from '../../electron/contract/schemas.js';
import { allNames, nameIn, type NamedProps } from './labels.js';

export type SearchHit =
  | { kind: 'point'; lat: number; lon: number }
  | { kind: 'camera'; camera: Camera & { location: NonNullable<Camera['location']> } }
  | { kind: 'place'; label: string; lat: number; lon: number }
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

/** A named place of the basemap: its address or name, and a point to centre on. */
export interface Place { label: string; lat: number; lon: number; words: string[]; /** The words of its names in other languages. */ also?: string[][] }

const words = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * The addressed or named features of a basemap (GeoJSON): buildings by address, streets, rivers and parks by name. A
 * place is labelled in `lang` (`name:<lang>`, else `name`) and found by its name in any language it carries.
 */
export function placesOf(features: ReadonlyArray<{ properties: NamedProps & { address?: string }; geometry: { type: string; coordinates: unknown } }>, lang = 'en'): Place[] {
  const out: Place[] = [];
  for (const f of features) {
    const label = f.properties.address ?? nameIn(f.properties, lang);
    if (!label) continue;
    const pts = flat(f.geometry.coordinates);
    if (!pts.length) continue;
    // a polygon's vertex average, a line's middle vertex: on or inside the feature for the district's shapes
    const at = f.geometry.type.endsWith('Polygon') ? pts.reduce((a, p) => [a[0] + p[0] / pts.length, a[1] + p[1] / pts.length], [0, 0]) : pts[Math.floor(pts.length / 2)]!;
    const names = f.properties.address ? [label] : [label, ...allNames(f.properties).filter((n) => n !== label)];
    out.push({ label, lon: at[0], lat: at[1], words: words(label), ...(names.length > 1 ? { also: names.slice(1).map(words) } : {}) });
  }
  return out;
}

function flat(c: unknown): Array<[number, number]> {
  if (!Array.isArray(c)) return [];
  if (typeof c[0] === 'number' && typeof c[1] === 'number') return [[c[0], c[1]]];
  return c.flatMap(flat);
}

/** The place every word of the text names (a number must match whole, a word may be the start of one): exact first. */
export function findPlace(text: string, places: readonly Place[]): Place | null {
  const q = words(text);
  if (!q.length) return null;
  const namesOf = (p: Place) => [p.words, ...(p.also ?? [])];
  const exact = places.find((p) => namesOf(p).some((n) => n.join(' ') === q.join(' ')));
  if (exact) return exact;
  return places.find((p) => namesOf(p).some((n) => q.every((w) => n.some((x) => (/^\d+$/.test(w) ? x === w : x.startsWith(w)))))) ?? null;
}

/** The first placed camera whose name or id contains the text (an exact id or name wins), else a place of the basemap. */
export function searchMap(text: string, cameras: readonly Camera[], places: readonly Place[] = []): SearchHit {
  const point = parseCoordinates(text);
  if (point) return { kind: 'point', ...point };
  const q = text.trim().toLowerCase();
  if (!q) return { kind: 'none' };
  const placed = cameras.filter((c): c is Camera & { location: NonNullable<Camera['location']> } => !!c.location);
  const exact = placed.find((c) => c.id === q || c.name.toLowerCase() === q);
  const hit = exact ?? placed.find((c) => c.name.toLowerCase().includes(q) || c.id.includes(q));
  if (hit) return { kind: 'camera', camera: hit };
  const place = findPlace(text, places);
  return place ? { kind: 'place', label: place.label, lat: place.lat, lon: place.lon } : { kind: 'none' };
}
