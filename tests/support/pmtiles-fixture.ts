/** A tiny basemap for the PMTiles tests: a park, a river and a street east of the demo district, as GeoJSON in WGS84. */
import type { PmtilesFeature } from './pmtiles-writer.js';

/** A park square of about 400 m around this point (its centre is far from every edge and from the other features). */
export const PARK_CENTRE: [number, number] = [77.02, 43.2];
const d = 0.0025;
export const PMTILES_FEATURES: PmtilesFeature[] = [
  { type: 'Feature', properties: { kind: 'park', name: 'Test park' }, geometry: { type: 'Polygon', coordinates: [[[PARK_CENTRE[0] - d, PARK_CENTRE[1] - d], [PARK_CENTRE[0] + d, PARK_CENTRE[1] - d], [PARK_CENTRE[0] + d, PARK_CENTRE[1] + d], [PARK_CENTRE[0] - d, PARK_CENTRE[1] + d], [PARK_CENTRE[0] - d, PARK_CENTRE[1] - d]]] } },
  { type: 'Feature', properties: { kind: 'river', name: 'Test river' }, geometry: { type: 'LineString', coordinates: [[77.01, 43.19], [77.03, 43.192]] } },
  { type: 'Feature', properties: { kind: 'street', name: 'Test street' }, geometry: { type: 'LineString', coordinates: [[77.01, 43.208], [77.03, 43.208]] } },
];
