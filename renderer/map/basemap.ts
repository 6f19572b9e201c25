/**
 * The offline basemap, bundled with the app (nothing is fetched): country outlines from world-atlas (Natural Earth
 * 1:110m) and the demo district drawn by hand in resources/map/almaty-demo.geojson.
 */
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json' with { type: 'json' };
import district from '../../resources/map/almaty-demo.geojson';

export { HOME } from './geo.js';

export interface BasemapFeature {
  type: 'Feature';
  /** `name` and `name:<language>` as OpenStreetMap writes them (labels.ts picks the operator's language). */
  properties: { kind: 'street' | 'river' | 'water' | 'park' | 'building' | 'country'; name?: string; address?: string } & { [key: `name:${string}`]: string | undefined };
  geometry: { type: string; coordinates: unknown };
}

export function countryOutlines(): BasemapFeature[] {
  const topo = countries110m as unknown as Topology<{ countries: GeometryCollection }>;
  const fc = feature(topo, topo.objects.countries);
  return fc.features.map((f) => ({ type: 'Feature', properties: { kind: 'country', name: String((f.properties as { name?: string } | null)?.name ?? '') }, geometry: f.geometry as BasemapFeature['geometry'] }));
}

export function districtFeatures(): BasemapFeature[] {
  return district.features as BasemapFeature[];
}
