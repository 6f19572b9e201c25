/** Issue 10 §2: cameras cluster at low zoom (renderer/map/cluster.ts). */
import { describe, expect, it } from 'vitest';
import { CLUSTER_BELOW_ZOOM, clusterPoints } from '../../renderer/map/cluster.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';

const AT: LonLat = [76.95, 43.24];
const cam = (id: string, position: LonLat) => ({ id, position });

describe('camera clusters', () => {
  it('at and above the clustering zoom every camera stays on its own', () => {
    const cams = [cam('a', AT), cam('b', offset(AT, 90, 5))];
    const r = clusterPoints(cams, CLUSTER_BELOW_ZOOM);
    expect(r.clusters).toEqual([]);
    expect(r.singles.map((c) => c.id).sort()).toEqual(['a', 'b']);
  });

  it('groups cameras closer than the radius on screen, keeps far ones apart, and places a cluster at its mean', () => {
    // at zoom 12 one pixel is ~28 m here: 200 m apart is ~7 px (together), 5 km apart is ~180 px (apart)
    const cams = [cam('c', offset(AT, 0, 200)), cam('a', AT), cam('b', offset(AT, 90, 200)), cam('far', offset(AT, 90, 5000))];
    const r = clusterPoints(cams, 12, 40);
    expect(r.clusters).toHaveLength(1);
    expect(r.clusters[0]!.ids.sort()).toEqual(['a', 'b', 'c']);
    expect(r.singles.map((c) => c.id)).toEqual(['far']);
    const mean: LonLat = [(AT[0] * 2 + offset(AT, 90, 200)[0]) / 3, (AT[1] * 2 + offset(AT, 0, 200)[1]) / 3];
    expect(r.clusters[0]!.position[0]).toBeCloseTo(mean[0], 9);
    expect(r.clusters[0]!.position[1]).toBeCloseTo(mean[1], 9);
  });

  it('splits as the zoom grows, and gives the same clusters whatever the input order', () => {
    const cams = Array.from({ length: 30 }, (_, i) => cam(`cam-${String(i).padStart(2, '0')}`, offset(AT, (i * 37) % 360, 100 + i * 60)));
    const counts = [9, 11, 13].map((z) => clusterPoints(cams, z, 40));
    const groups = counts.map((r) => r.clusters.length + r.singles.length);
    expect(groups[0]!).toBeLessThan(groups[1]!);
    expect(groups[1]!).toBeLessThan(groups[2]!);
    for (const r of counts) expect(r.clusters.reduce((n, c) => n + c.ids.length, 0) + r.singles.length).toBe(30);
    const shuffled = [...cams].reverse();
    expect(clusterPoints(shuffled, 11, 40)).toEqual(clusterPoints(cams, 11, 40));
  });

  it('clusters 1,000 cameras with every camera in exactly one group', () => {
    const cams = Array.from({ length: 1000 }, (_, i) => cam(`c${i}`, offset(AT, (i * 137.5) % 360, (i % 97) * 40)));
    const r = clusterPoints(cams, 11);
    const ids = [...r.singles.map((c) => c.id), ...r.clusters.flatMap((c) => c.ids)];
    expect(new Set(ids).size).toBe(1000);
    expect(ids).toHaveLength(1000);
  });
});
