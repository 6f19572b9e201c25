/**
 * Writes a tiny PMTiles v3 archive of vector tiles (github.com/protomaps/PMTiles, spec/v3) from a few GeoJSON
 * features, for the tests of the map's PMTiles basemap: every tile at each zoom that the features' bounds touch, one
 * MVT layer per kind (encoded by loaders.gl's MVTWriter), no compression, a single root directory.
 */
import { writeFileSync } from 'node:fs';
import { MVTWriter } from '@loaders.gl/mvt';
import { zxyToTileId } from 'pmtiles';

export interface PmtilesFeature {
  type: 'Feature';
  properties: Record<string, string | number>;
  geometry: { type: 'Point' | 'LineString' | 'Polygon'; coordinates: unknown };
}

function lonToX(lon: number, z: number): number { return Math.floor(((lon + 180) / 360) * 2 ** z); }
function latToY(lat: number, z: number): number {
  const r = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z);
}

function coordsOf(g: PmtilesFeature['geometry']): Array<[number, number]> {
  const flat: Array<[number, number]> = [];
  const walk = (c: unknown): void => { if (typeof (c as number[])[0] === 'number') flat.push(c as [number, number]); else for (const x of c as unknown[]) walk(x); };
  walk(g.coordinates);
  return flat;
}

function varint(out: number[], n: number): void {
  while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
  out.push(n);
}

/** The archive's bytes: features grouped into MVT layers by `layerOf` (default: `properties.kind`). */
export function buildPmtiles(features: PmtilesFeature[], opts: { minZoom: number; maxZoom: number; layerOf?: (f: PmtilesFeature) => string }): Buffer {
  const all = features.flatMap((f) => coordsOf(f.geometry));
  const minLon = Math.min(...all.map((c) => c[0])), maxLon = Math.max(...all.map((c) => c[0]));
  const minLat = Math.min(...all.map((c) => c[1])), maxLat = Math.max(...all.map((c) => c[1]));
  const layerOf = opts.layerOf ?? ((f: PmtilesFeature) => String(f.properties.kind ?? 'features'));
  const tiles: Array<{ id: number; data: Buffer }> = [];
  for (let z = opts.minZoom; z <= opts.maxZoom; z++) {
    for (let x = lonToX(minLon, z); x <= lonToX(maxLon, z); x++) {
      for (let y = latToY(maxLat, z); y <= latToY(minLat, z); y++) {
        // one MVT layer per kind: MVTWriter writes one layer, and MVT tiles are concatenations of layers
        const layers = new Map<string, PmtilesFeature[]>();
        for (const f of features) layers.set(layerOf(f), [...(layers.get(layerOf(f)) ?? []), f]);
        const parts = [...layers].map(([name, fs]) => Buffer.from(MVTWriter.encodeSync(fs, { mvt: { layerName: name, tileIndex: { x, y, z } } })));
        tiles.push({ id: zxyToTileId(z, x, y), data: Buffer.concat(parts) });
      }
    }
  }
  tiles.sort((a, b) => a.id - b.id);
  // root directory: count, tile id deltas, run lengths, lengths, offsets (0 = follows the previous entry)
  const dir: number[] = [];
  varint(dir, tiles.length);
  let last = 0;
  for (const t of tiles) { varint(dir, t.id - last); last = t.id; }
  for (let i = 0; i < tiles.length; i++) varint(dir, 1);
  for (const t of tiles) varint(dir, t.data.length);
  for (let i = 0; i < tiles.length; i++) varint(dir, i === 0 ? 1 : 0);
  const root = Buffer.from(dir);
  const metadata = Buffer.from(JSON.stringify({ name: 'kuzet test basemap', vector_layers: [...new Set(features.map(layerOf))].map((id) => ({ id, fields: {} })) }));
  const data = Buffer.concat(tiles.map((t) => t.data));
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header[7] = 3;
  const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at);
  u64(8, 127); u64(16, root.length);
  u64(24, 127 + root.length); u64(32, metadata.length);
  u64(40, 0); u64(48, 0);
  u64(56, 127 + root.length + metadata.length); u64(64, data.length);
  u64(72, tiles.length); u64(80, tiles.length); u64(88, tiles.length);
  header[96] = 1; // clustered
  header[97] = 1; // internal compression: none
  header[98] = 1; // tile compression: none
  header[99] = 1; // tile type: MVT
  header[100] = opts.minZoom; header[101] = opts.maxZoom;
  header.writeInt32LE(Math.round(minLon * 1e7), 102); header.writeInt32LE(Math.round(minLat * 1e7), 106);
  header.writeInt32LE(Math.round(maxLon * 1e7), 110); header.writeInt32LE(Math.round(maxLat * 1e7), 114);
  header[118] = opts.maxZoom;
  header.writeInt32LE(Math.round(((minLon + maxLon) / 2) * 1e7), 119); header.writeInt32LE(Math.round(((minLat + maxLat) / 2) * 1e7), 123);
  return Buffer.concat([header, root, metadata, data]);
}

export function writePmtiles(path: string, features: PmtilesFeature[], opts: { minZoom: number; maxZoom: number }): void {
  writeFileSync(path, buildPmtiles(features, opts));
}
