/**
 * Names on the map (renderer/map/labels.ts): streets and rivers labelled along their line, turned to it and never
 * upside down, spaced by the zoom; parks at their middle; in the operator's language from `name:<lang>` (the demo
 * district carries Kazakh, Russian and English), found by search in any of them; PMTiles tiles keep their names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allNames, basemapLabels, LABEL_EVERY_PX, metresPerPixel, nameIn, upright } from '../../renderer/map/labels.js';
import { findPlace, placesOf } from '../../renderer/map/search.js';
import { decodeTile } from '../../renderer/map/pmtiles-basemap.js';
import { PMTiles, type RangeResponse, type Source } from 'pmtiles';
import { buildPmtiles } from '../support/pmtiles-writer.js';
import { PARK_CENTRE, PMTILES_FEATURES } from '../support/pmtiles-fixture.js';
import type { BasemapFeature } from '../../renderer/map/basemap.js';

const district = (JSON.parse(readFileSync(new URL('../../resources/map/almaty-demo.geojson', import.meta.url), 'utf8')) as { features: BasemapFeature[] }).features;
const M_PER_DEG = 111_320;
const street = (name: string, coords: Array<[number, number]>): BasemapFeature => ({ type: 'Feature', properties: { kind: 'street', name }, geometry: { type: 'LineString', coordinates: coords } });

describe('map labels', () => {
  it('names a feature in the language, falling back to its name', () => {
    const p = { kind: 'street', name: 'Abay Ave', 'name:kk': 'Абай даңғылы', 'name:ru': 'проспект Абая' };
    expect(nameIn(p, 'kk')).toBe('Абай даңғылы');
    expect(nameIn(p, 'ru-RU')).toBe('проспект Абая');
    expect(nameIn(p, 'en')).toBe('Abay Ave');
    expect(nameIn({ kind: 'street', name: 'Only' }, 'kk')).toBe('Only');
    expect(nameIn({ kind: 'street', 'name:kk': '  ' }, 'kk')).toBeUndefined();
    expect(allNames(p).sort()).toEqual(['Abay Ave', 'Абай даңғылы', 'проспект Абая'].sort());
  });

  it('spaces labels evenly along a street, at its middle when short, turned to the segment and upright', () => {
    // 2 km due east at the equator: four labels 500 m apart, the first 250 m in
    const east = basemapLabels([street('East', [[0, 0], [2000 / M_PER_DEG, 0]])], 'en', 500);
    expect(east.map((l) => Math.round(l.position[0] * M_PER_DEG))).toEqual([250, 750, 1250, 1750]);
    expect(east.every((l) => l.angle === 0)).toBe(true);
    // drawn westwards, it still reads left to right
    expect(basemapLabels([street('West', [[2000 / M_PER_DEG, 0], [0, 0]])], 'en', 500).every((l) => l.angle === 0)).toBe(true);
    // northwards: 90 degrees; a short street gets one label at its middle
    const north = basemapLabels([street('North', [[0, 0], [0, 100 / M_PER_DEG]])], 'en', 500);
    expect(north).toHaveLength(1);
    expect(north[0]!.angle).toBe(90);
    expect(north[0]!.position[1] * M_PER_DEG).toBeCloseTo(50, 5);
    // a bend: the label on the second leg takes that leg's angle
    const bend = basemapLabels([street('Bend', [[0, 0], [1000 / M_PER_DEG, 0], [1000 / M_PER_DEG + 1000 / M_PER_DEG, 1000 / M_PER_DEG]])], 'en', 1000);
    expect(bend.map((l) => Math.round(l.angle))).toEqual([0, 45]);
    expect([upright(180), upright(-90), upright(270), upright(135), upright(-135)]).toEqual([0, 90, 90, -45, 45]);
  });

  it('labels the demo district in Kazakh, Russian and English: every street and the river along their line, parks at their middle, no buildings', () => {
    const spacing = LABEL_EVERY_PX * metresPerPixel(16, 43.25);
    for (const [lang, abay, park] of [['kk', 'Абай даңғылы', 'Панфиловшылар саябағы'], ['ru', 'проспект Абая', 'парк Панфилова'], ['en', 'Abay Ave', 'Panfilov Park']] as const) {
      const labels = basemapLabels(district, lang, spacing);
      const texts = new Set(labels.map((l) => l.text));
      expect(texts.has(abay), lang).toBe(true);
      expect(texts.has(park), lang).toBe(true);
      const named = district.filter((f) => f.properties.kind !== 'building');
      expect(texts.size, lang).toBe(named.length); // each street, the river and each park: one name each
      expect(labels.some((l) => l.text.startsWith('Building'))).toBe(false);
      // Abay runs east-west across the district (about 7.7 km): labelled every ~320 px at zoom 16, lying flat
      const onAbay = labels.filter((l) => l.text === abay);
      expect(onAbay.length).toBeGreaterThan(10);
      expect(onAbay.every((l) => Math.abs(l.angle) < 2)).toBe(true);
    }
    // fewer labels further out
    expect(basemapLabels(district, 'en', LABEL_EVERY_PX * metresPerPixel(14, 43.25)).length).toBeLessThan(basemapLabels(district, 'en', LABEL_EVERY_PX * metresPerPixel(16, 43.25)).length);
  });

  it('search finds a street by its name in any language and labels it in the operator\'s', () => {
    const kk = placesOf(district, 'kk');
    expect(findPlace('проспект Абая', kk)?.label).toBe('Абай даңғылы');
    expect(findPlace('абай даңғ', kk)?.label).toBe('Абай даңғылы');
    expect(findPlace('Abay Ave', kk)?.label).toBe('Абай даңғылы');
    expect(findPlace('Кіші Алматы', placesOf(district, 'en'))?.label).toBe('Malaya Almatinka river');
    expect(findPlace('Al-Farabi Ave, 3', kk)?.label).toBe('Al-Farabi Ave, 3'); // addresses as written
    expect(findPlace('нет такой улицы', kk)).toBeNull();
  });

  it('keeps a PMTiles feature\'s names in every language', async () => {
    const bytes = buildPmtiles(PMTILES_FEATURES, { minZoom: 10, maxZoom: 14 });
    const source: Source = { getKey: () => 't', getBytes: async (o: number, l: number): Promise<RangeResponse> => { const s = bytes.subarray(o, o + l); return { data: s.buffer.slice(s.byteOffset, s.byteOffset + s.byteLength) as ArrayBuffer }; } };
    const archive = new PMTiles(source);
    const r = (PARK_CENTRE[1] * Math.PI) / 180;
    const index = { z: 14, x: Math.floor(((PARK_CENTRE[0] + 180) / 360) * 2 ** 14), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 2 ** 14) };
    const features = decodeTile((await archive.getZxy(index.z, index.x, index.y))!.data, index);
    const park = features.find((f) => f.properties.kind === 'park')!;
    expect(nameIn(park.properties, 'kk')).toBe('Сынақ саябағы');
    expect(basemapLabels(features, 'ru', 300).map((l) => l.text)).toContain('Тестовый парк');
  });
});
