/**
 * Issue 10 §1: the PMTiles path without a browser. The test support writes a tiny archive (tests/support/pmtiles-writer.ts);
 * the `pmtiles` reader finds its tiles, the renderer's decoder (renderer/map/pmtiles-basemap.ts) gives back the features
 * where they were written, and the host refuses corrupt, truncated and wrong-projection archives with a reason.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { buildPmtiles } from '../support/pmtiles-writer.js';
import { PARK_CENTRE, PMTILES_FEATURES } from '../support/pmtiles-fixture.js';
import { decodeTile, tileFeatureKind } from '../../renderer/map/pmtiles-basemap.js';
import { pmtilesProblem, pngSize, readMapFiles } from '../../electron/host/map/map-files.js';

const dir = mkdtempSync(join(tmpdir(), 'kuzet-pmtiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class BufferSource implements Source {
  constructor(private readonly buf: Buffer) {}
  getKey(): string { return 'test'; }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const s = this.buf.subarray(offset, offset + length);
    return { data: s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength) as ArrayBuffer };
  }
}

function tileOf([lon, lat]: [number, number], z: number): { x: number; y: number; z: number } {
  const r = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * 2 ** z), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** z) };
}

describe('PMTiles basemap', () => {
  const bytes = buildPmtiles(PMTILES_FEATURES, { minZoom: 10, maxZoom: 14 });

  it('reads the header, and decodes the tile under the park back into the park, river and street in WGS84', async () => {
    const archive = new PMTiles(new BufferSource(bytes));
    const h = await archive.getHeader();
    expect([h.specVersion, h.tileType, h.minZoom, h.maxZoom]).toEqual([3, 1, 10, 14]);
    expect(h.minLon).toBeCloseTo(77.01, 5);
    const index = tileOf(PARK_CENTRE, 14);
    const tile = await archive.getZxy(index.z, index.x, index.y);
    expect(tile).toBeDefined();
    const features = decodeTile(tile!.data, index);
    expect(features.map((f) => f.properties.kind).sort()).toEqual(['park', 'river', 'street']);
    const park = features.find((f) => f.properties.kind === 'park')!;
    expect(park.properties.name).toBe('Test park');
    const ring = (park.geometry.coordinates as number[][][])[0]!;
    const lons = ring.map((c) => c[0]!), lats = ring.map((c) => c[1]!);
    // MVT quantises to 4096 steps per tile: at zoom 14 that is about 0.6 m
    expect(Math.min(...lons)).toBeCloseTo(PARK_CENTRE[0] - 0.0025, 4);
    expect(Math.max(...lats)).toBeCloseTo(PARK_CENTRE[1] + 0.0025, 4);
    expect(await archive.getZxy(14, index.x + 50, index.y)).toBeUndefined(); // nothing there: no tile
  });

  it('maps layer names of common archives (Protomaps, OpenMapTiles) to the map kinds, and drops what it does not draw', () => {
    expect(tileFeatureKind('roads', {})).toBe('street');
    expect(tileFeatureKind('transportation', {})).toBe('street');
    expect(tileFeatureKind('buildings', {})).toBe('building');
    expect(tileFeatureKind('water', {})).toBe('water');
    expect(tileFeatureKind('landuse', {})).toBe('park');
    expect(tileFeatureKind('anything', { kind: 'river' })).toBe('river');
    expect(tileFeatureKind('places', { kind: 'city' })).toBeNull();
  });

  it('the host accepts the archive and refuses corrupt, truncated, raster and wrong-projection ones with the reason', () => {
    const ok = join(dir, 'ok.pmtiles');
    writeFileSync(ok, bytes);
    expect(pmtilesProblem(ok)).toBeNull();
    const write = (name: string, b: Buffer) => { const p = join(dir, name); writeFileSync(p, b); return p; };
    expect(pmtilesProblem(write('junk.pmtiles', Buffer.from('not a map at all')))).toMatch(/not a PMTiles archive/);
    expect(pmtilesProblem(write('short.pmtiles', bytes.subarray(0, bytes.length - 10)))).toMatch(/truncated/);
    const v2 = Buffer.from(bytes); v2[7] = 2;
    expect(pmtilesProblem(write('v2.pmtiles', v2))).toMatch(/version 2/);
    const raster = Buffer.from(bytes); raster[99] = 2;
    expect(pmtilesProblem(write('raster.pmtiles', raster))).toMatch(/not vector tiles/);
    const metres = Buffer.from(bytes); metres.writeInt32LE(0x7fffffff, 110); // max lon 214.7°: written in metres, not degrees
    expect(pmtilesProblem(write('metres.pmtiles', metres))).toMatch(/not WGS84/);
  });

  it('map.json: serves what is usable, and lists every refusal in words', () => {
    const data = mkdtempSync(join(dir, 'data-'));
    expect(readMapFiles(data).config).toEqual({ basemap: null, plans: [], problems: [] }); // no map.json: bundled basemap only
    writeFileSync(join(data, 'city.pmtiles'), bytes);
    const png = Buffer.alloc(33); png.writeUInt32BE(0x89504e47, 0); png.writeUInt32BE(0x0d0a1a0a, 4); png.writeUInt32BE(13, 8); png.write('IHDR', 12, 'latin1'); png.writeUInt32BE(640, 16); png.writeUInt32BE(480, 20);
    writeFileSync(join(data, 'plan.png'), png);
    expect(pngSize(join(data, 'plan.png'))).toEqual({ width: 640, height: 480 });
    const pts = [{ px: [0, 0], lon: 77, lat: 43.2 }, { px: [640, 0], lon: 77.01, lat: 43.2 }];
    writeFileSync(join(data, 'map.json'), JSON.stringify({ v: 1, basemap: { pmtiles: 'city.pmtiles' }, plans: [
      { id: 'hq', name: 'HQ', image: 'plan.png', points: pts },
      { id: 'gone', name: 'Gone', image: 'missing.png', points: pts },
      { id: 'fake', name: 'Fake', image: 'city.pmtiles', points: pts },
    ] }));
    const r = readMapFiles(data);
    expect(r.config.basemap).toEqual({ url: '/map/basemap.pmtiles', bytes: bytes.length });
    expect(r.config.plans.map((p) => [p.id, p.width, p.height, p.url])).toEqual([['hq', 640, 480, '/map/plan/hq']]);
    expect(r.config.problems).toEqual([expect.stringMatching(/plan gone: .*no such file/), expect.stringMatching(/plan fake: .*not a PNG/)]);
    expect([...r.files.keys()].sort()).toEqual(['/map/basemap.pmtiles', '/map/plan/hq']);
    writeFileSync(join(data, 'map.json'), '{ "v": 1, "basemap": { "pmtiles": 5 } }');
    expect(readMapFiles(data).config.problems).toEqual([expect.stringMatching(/^map\.json: basemap\.pmtiles: /)]);
    writeFileSync(join(data, 'map.json'), '{ broken');
    expect(readMapFiles(data).config.problems).toEqual([expect.stringMatching(/^map\.json: /)]);
  });
});
