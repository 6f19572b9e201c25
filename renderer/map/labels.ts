/**
 * Names on the map (issue 10 §1): streets and rivers named along their line, parks, squares and water at their middle,
 * in the operator's language. Names come from the basemap's data as OpenStreetMap and Protomaps write them: `name`
 * (the local or English name) and `name:<language>` (`name:kk`, `name:ru`, `name:en`); the demo district carries all
 * three. Pure: features in, labels out (layers.ts draws them with deck.gl's TextLayer on the still canvas).
 */
import type { LonLat } from './geo.js';

export type LabelKind = 'street' | 'river' | 'park' | 'water';
export interface MapLabel { text: string; position: LonLat; /** Degrees counter-clockwise from east, within (-90, 90]: never upside down on a north-up map. */ angle: number; kind: LabelKind }

/** The properties a named basemap feature may carry. */
export type NamedProps = { kind: string; name?: string } & { [key: `name:${string}`]: string | undefined };

interface Feature { properties: NamedProps; geometry: { type: string; coordinates: unknown } }

/** A feature's name in the language (`name:<lang>`), else its `name`; undefined when it has none. */
export function nameIn(props: NamedProps, lang: string): string | undefined {
  const own = props[`name:${lang.split('-')[0]}`];
  return typeof own === 'string' && own.trim() ? own : typeof props.name === 'string' && props.name.trim() ? props.name : undefined;
}

/** Every name a feature carries, in any language (search finds a street by any of them). */
export function allNames(props: NamedProps): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(props)) if ((k === 'name' || k.startsWith('name:')) && typeof v === 'string' && v.trim()) out.push(v);
  return [...new Set(out)];
}

const M_PER_DEG_LAT = 111_320;

/** Metres per CSS pixel at a zoom and latitude (deck.gl's 512-pixel tiles). */
export function metresPerPixel(zoom: number, lat: number): number {
  return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

/** Label spacing along a line, in screen pixels: a name every 320 px leaves room for the longest street name. */
export const LABEL_EVERY_PX = 320;
/** Names are drawn from this zoom (about 7 m a pixel at Almaty's latitude): further out they would cover the map. */
export const LABELS_FROM_ZOOM = 14;

/**
 * The labels of named streets, rivers, parks and water, in `lang`: along a line one every `spacingM` metres (the first
 * half a spacing in, so a short street still gets one at its middle), turned to the segment it sits on; a polygon's at
 * the average of its vertices. Buildings are not labelled (their addresses are searched, not drawn).
 */
export function basemapLabels(features: readonly Feature[], lang: string, spacingM: number): MapLabel[] {
  const out: MapLabel[] = [];
  for (const f of features) {
    const kind = f.properties.kind;
    if (kind !== 'street' && kind !== 'river' && kind !== 'park' && kind !== 'water') continue;
    const text = nameIn(f.properties, lang);
    if (!text) continue;
    const { type, coordinates } = f.geometry;
    if (type === 'LineString') out.push(...alongLine(coordinates as LonLat[], text, kind, spacingM));
    else if (type === 'MultiLineString') for (const line of coordinates as LonLat[][]) out.push(...alongLine(line, text, kind, spacingM));
    else if (type === 'Polygon' || type === 'MultiPolygon') {
      const ring = type === 'Polygon' ? (coordinates as LonLat[][])[0] : (coordinates as LonLat[][][])[0]?.[0];
      if (ring?.length) out.push({ text, kind, angle: 0, position: [ring.reduce((a, p) => a + p[0], 0) / ring.length, ring.reduce((a, p) => a + p[1], 0) / ring.length] });
    }
  }
  return out;
}

function alongLine(line: readonly LonLat[], text: string, kind: LabelKind, spacingM: number): MapLabel[] {
  if (line.length < 2 || !(spacingM > 0)) return [];
  const out: MapLabel[] = [];
  // local metres: x east, y north (the district is small enough for one scale per segment)
  const segs = line.slice(1).map((b, i) => {
    const a = line[i]!;
    const k = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180) * M_PER_DEG_LAT;
    const dx = (b[0] - a[0]) * k, dy = (b[1] - a[1]) * M_PER_DEG_LAT;
    return { a, b, len: Math.hypot(dx, dy), angle: upright((Math.atan2(dy, dx) * 180) / Math.PI) };
  });
  const total = segs.reduce((s, x) => s + x.len, 0);
  if (total === 0) return [];
  const count = Math.max(1, Math.floor(total / spacingM));
  const step = total / count;
  let at = step / 2;
  let walked = 0;
  for (const s of segs) {
    while (at <= walked + s.len && out.length < count) {
      const f = s.len === 0 ? 0 : (at - walked) / s.len;
      out.push({ text, kind, angle: s.angle, position: [s.a[0] + (s.b[0] - s.a[0]) * f, s.a[1] + (s.b[1] - s.a[1]) * f] });
      at += step;
    }
    walked += s.len;
  }
  return out;
}

/** An angle in degrees turned by half a turn if needed so text reads left to right: within (-90, 90]. */
export function upright(deg: number): number {
  let a = ((deg % 360) + 360) % 360; // [0, 360)
  if (a > 180) a -= 360; // (-180, 180]
  if (a > 90) a -= 180;
  else if (a <= -90) a += 180;
  return a;
}
