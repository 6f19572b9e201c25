/**
 * Coverage and detail (issue 10 §5), pure functions.
 * - Coverage: the streets (the basemap's lines) are walked in steps of `stepM`; a step is covered when its midpoint
 *   lies in some fixed camera's view cone (follow.ts `sight`: within range and half the field of view of its heading).
 *   Uncovered steps join into blind stretches (polylines to draw); the share is covered length / street length. A
 *   proposed camera is evaluated by running the same with it added (share before and after).
 * - Detail: pixels per metre across the picture at the camera's useful range, width / (2 range tan(fov / 2)), against
 *   the common thresholds (IEC 62676-4 style): 250 px/m identify a person, 125 recognise, 60 observe, 25 detect.
 */
import type { Camera } from '../../electron/contract/schemas.js';
import { DEFAULT_RANGE_M, distanceM, METRES_PER_DEGREE, type LonLat } from './geo.js';
import { sight, type SightCamera } from './follow.js';

export interface Street { name: string; path: LonLat[] }
export interface CoverageResult {
  totalM: number;
  coveredM: number;
  /** covered / total, 0..1 (1 when there are no streets). */
  share: number;
  /** Stretches of street no camera sees. */
  blind: Array<{ name: string; path: LonLat[]; lengthM: number }>;
}

/** The street lines of a basemap (GeoJSON LineString / MultiLineString features of kind 'street'). */
export function streetsOf(features: ReadonlyArray<{ properties: { kind: string; name?: string }; geometry: { type: string; coordinates: unknown } }>): Street[] {
  const out: Street[] = [];
  for (const f of features) {
    if (f.properties.kind !== 'street') continue;
    const name = f.properties.name ?? '';
    if (f.geometry.type === 'LineString') out.push({ name, path: f.geometry.coordinates as LonLat[] });
    else if (f.geometry.type === 'MultiLineString') for (const p of f.geometry.coordinates as LonLat[][]) out.push({ name, path: p });
  }
  return out;
}

const lerp = (a: LonLat, b: LonLat, t: number): LonLat => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

/** A cheap box test before the cone test: most cameras are far from most street points. */
function nearBox(c: SightCamera): [number, number, number, number] {
  const dLat = c.rangeM / METRES_PER_DEGREE;
  const dLon = c.rangeM / (METRES_PER_DEGREE * Math.cos((c.position[1] * Math.PI) / 180));
  return [c.position[0] - dLon, c.position[1] - dLat, c.position[0] + dLon, c.position[1] + dLat];
}

export function coverage(streets: readonly Street[], cameras: readonly SightCamera[], stepM = 5): CoverageResult {
  const boxes = cameras.map((c) => ({ c, box: nearBox(c) }));
  const seen = (p: LonLat): boolean => boxes.some(({ c, box }) => p[0] >= box[0] && p[0] <= box[2] && p[1] >= box[1] && p[1] <= box[3] && sight(c, p).sees);
  let totalM = 0;
  let coveredM = 0;
  const blind: CoverageResult['blind'] = [];
  for (const s of streets) {
    let run: LonLat[] | null = null;
    let runM = 0;
    const close = (): void => { if (run && run.length > 1) blind.push({ name: s.name, path: run, lengthM: runM }); run = null; runM = 0; };
    for (let i = 0; i + 1 < s.path.length; i++) {
      const a = s.path[i]!;
      const b = s.path[i + 1]!;
      const len = distanceM(a, b);
      const n = Math.max(1, Math.ceil(len / stepM));
      for (let k = 0; k < n; k++) {
        const p0 = lerp(a, b, k / n);
        const p1 = lerp(a, b, (k + 1) / n);
        const m = len / n;
        totalM += m;
        if (seen(lerp(a, b, (k + 0.5) / n))) { coveredM += m; close(); continue; }
        if (!run) run = [p0];
        run.push(p1);
        runM += m;
      }
    }
    close();
  }
  return { totalM, coveredM, share: totalM > 0 ? coveredM / totalM : 1, blind };
}

/** Share before and after adding a proposed camera (a camera that is not installed yet). */
export function evaluateProposal(streets: readonly Street[], cameras: readonly SightCamera[], proposed: SightCamera, stepM = 5): { before: number; after: number; gainedM: number } {
  const b = coverage(streets, cameras, stepM);
  const a = coverage(streets, [...cameras, proposed], stepM);
  return { before: b.share, after: a.share, gainedM: a.coveredM - b.coveredM };
}

export const DETAIL_LEVELS = [
  { level: 'identify', pxPerM: 250 },
  { level: 'recognise', pxPerM: 125 },
  { level: 'observe', pxPerM: 60 },
  { level: 'detect', pxPerM: 25 },
] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number]['level'];

/** Pixels per metre across the picture at `rangeM`. */
export function pxPerMetre(widthPx: number, fovDeg: number, rangeM: number): number {
  const halfWidthM = rangeM * Math.tan((Math.min(Math.max(fovDeg, 1), 179) * Math.PI) / 360);
  return widthPx / (2 * halfWidthM);
}

/** The best level this many px/m reaches, or null below detection. */
export function detailLevel(pxPerM: number): DetailLevel | null {
  return DETAIL_LEVELS.find((d) => pxPerM >= d.pxPerM)?.level ?? null;
}

/** What a camera is for, from its tags: faces at entrances need identification, plates recognition, the rest observation. */
export function purposeOf(tags: readonly string[]): DetailLevel {
  const has = (...t: string[]) => t.some((x) => tags.includes(x));
  if (has('identify', 'entrance', 'face', 'faces')) return 'identify';
  if (has('recognise', 'recognize', 'plates', 'lpr', 'anpr', 'traffic')) return 'recognise';
  if (has('detect', 'perimeter', 'aerial')) return 'detect';
  return 'observe';
}

export interface DetailRow { id: string; name: string; widthPx: number; pxPerM: number; level: DetailLevel | null; needs: DetailLevel; below: boolean }

/** Each placed fixed camera with a known picture width: its px/m at the useful range, and whether it falls short of its purpose. */
export function detailReport(cameras: readonly Camera[], rangeM = DEFAULT_RANGE_M): DetailRow[] {
  const rows: DetailRow[] = [];
  for (const c of cameras) {
    const width = c.probe?.main?.width;
    if (!c.location || !width) continue;
    const pxPerM = pxPerMetre(width, c.location.fov ?? 60, rangeM);
    const needs = purposeOf(c.tags);
    const need = DETAIL_LEVELS.find((d) => d.level === needs)!.pxPerM;
    rows.push({ id: c.id, name: c.name, widthPx: width, pxPerM, level: detailLevel(pxPerM), needs, below: pxPerM < need });
  }
  return rows.sort((a, b) => Number(b.below) - Number(a.below) || a.pxPerM - b.pxPerM);
}

/** A stale time for the health list: seconds with a tenth under a minute ("4.2 s"), else m:ss. */
export function staleTime(ms: number): string {
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)}\u00a0s`; // no line break inside "1.8 s"
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
