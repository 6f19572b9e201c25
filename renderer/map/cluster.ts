/**
 * Cameras cluster at low zoom (issue 10 §2): points closer than `radiusPx` screen pixels at the given zoom are drawn as
 * one circle with their count. Greedy over a grid of radius-sized cells (each point looks at its 3x3 cells only), in a
 * stable order (by id), so the same cameras at the same zoom always give the same clusters. Pure.
 */
import type { LonLat } from './geo.js';

/** Below this zoom cameras cluster; at it and above every camera is drawn with its view cone. */
export const CLUSTER_BELOW_ZOOM = 13;
export const CLUSTER_RADIUS_PX = 40;

export interface Clusterable { id: string; position: LonLat }
export interface CameraCluster { id: string; position: LonLat; ids: string[] }
export type Clustered<T> = { singles: T[]; clusters: CameraCluster[] };

/** Deck's Web Mercator world pixels (512 at zoom 0). */
function worldPx([lon, lat]: LonLat, zoom: number): [number, number] {
  const scale = 512 * 2 ** zoom;
  const s = Math.sin((Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180);
  return [((lon + 180) / 360) * scale, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale];
}

export function clusterPoints<T extends Clusterable>(points: readonly T[], zoom: number, radiusPx = CLUSTER_RADIUS_PX): Clustered<T> {
  if (zoom >= CLUSTER_BELOW_ZOOM) return { singles: [...points], clusters: [] };
  const sorted = [...points].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const px = sorted.map((p) => worldPx(p.position, zoom));
  const cellOf = (i: number) => [Math.floor(px[i]![0] / radiusPx), Math.floor(px[i]![1] / radiusPx)] as const;
  const grid = new Map<string, number[]>();
  sorted.forEach((_, i) => { const [cx, cy] = cellOf(i); const k = `${cx},${cy}`; grid.set(k, [...(grid.get(k) ?? []), i]); });
  const taken = new Uint8Array(sorted.length);
  const singles: T[] = [];
  const clusters: CameraCluster[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (taken[i]) continue;
    taken[i] = 1;
    const members = [i];
    const [cx, cy] = cellOf(i);
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      for (const j of grid.get(`${cx + dx},${cy + dy}`) ?? []) {
        if (taken[j]) continue;
        if (Math.hypot(px[j]![0] - px[i]![0], px[j]![1] - px[i]![1]) <= radiusPx) { taken[j] = 1; members.push(j); }
      }
    }
    if (members.length === 1) { singles.push(sorted[i]!); continue; }
    const lon = members.reduce((s, m) => s + sorted[m]!.position[0], 0) / members.length;
    const lat = members.reduce((s, m) => s + sorted[m]!.position[1], 0) / members.length;
    clusters.push({ id: `cluster:${sorted[i]!.id}`, position: [lon, lat], ids: members.map((m) => sorted[m]!.id) });
  }
  return { singles, clusters };
}
