/**
 * A plate's route on the map (issue 10 §4): its sightings in time order as a path through the cameras that read it,
 * each stop a numbered circle (a camera passed several times shows all its numbers). Pure: sightings in, layers out.
 */
import { PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { WebMercatorViewport, type Layer } from '@deck.gl/core';
import type { Sighting } from '../../electron/contract/plates/plates-api.js';

import type { LonLat } from '../map/geo.js';
import type { Rgba } from '../map/camera-look.js';

/** Cyan: no camera state, unit kind or alarm priority uses it. */
export const ROUTE_COLOUR: Rgba = [0, 229, 255, 255];
const STOP_RADIUS_PX = 11;

/** One place on the route: where a camera stood, and the numbers (1 = first sighting) of the sightings there. */
export interface RouteStop { position: LonLat; numbers: number[]; sightings: Sighting[] }

/** The route's path (every placed sighting, oldest first) and its stops (one per place, numbers in order). */
export function routeOf(sightings: readonly Sighting[]): { path: LonLat[]; stops: RouteStop[] } {
  const ordered = [...sightings].sort((a, b) => a.atMs - b.atMs);
  const path: LonLat[] = [];
  const stops = new Map<string, RouteStop>();
  ordered.forEach((s, i) => {
    if (!s.position) return;
    const position: LonLat = [s.position.lon, s.position.lat];
    path.push(position);
    const key = `${position[0].toFixed(6)},${position[1].toFixed(6)}`;
    const stop = stops.get(key) ?? { position, numbers: [], sightings: [] };
    stop.numbers.push(i + 1);
    stop.sightings.push(s);
    stops.set(key, stop);
  });
  return { path, stops: [...stops.values()] };
}

/** "1, 4, 7" (at most four numbers, then "…"). */
export function stopLabel(numbers: readonly number[]): string {
  return numbers.length > 4 ? `${numbers.slice(0, 3).join(', ')}, …${numbers[numbers.length - 1]}` : numbers.join(', ');
}

export function routeLayers(sightings: readonly Sighting[] | null): Layer[] {
  if (!sightings?.length) return [];
  const { path, stops } = routeOf(sightings);
  return [
    new PathLayer<LonLat[]>({
      id: 'plate-route', data: path.length > 1 ? [path] : [], widthUnits: 'pixels', getWidth: 4, getPath: (p) => p,
      getColor: ROUTE_COLOUR, jointRounded: true, capRounded: true,
    }),
    new ScatterplotLayer<RouteStop>({
      id: 'plate-route-stops', data: stops, pickable: true, radiusUnits: 'pixels', stroked: true, lineWidthUnits: 'pixels',
      getPosition: (s) => s.position, getRadius: STOP_RADIUS_PX, getFillColor: ROUTE_COLOUR, getLineColor: [11, 15, 20, 255], getLineWidth: 1.5,
    }),
    new TextLayer<RouteStop>({
      id: 'plate-route-numbers', data: stops, getPosition: (s) => s.position, getText: (s) => stopLabel(s.numbers),
      getSize: 12, getColor: [11, 15, 20, 255], fontWeight: 700, getTextAnchor: 'middle', getAlignmentBaseline: 'center',
      characterSet: '0123456789, …',
    }),
  ];
}

/**
 * The view that shows the whole route in a `width` x `height` map with `coveredRight` pixels on the right hidden by
 * the panel (north up, at most zoom 16), or null when no sighting has a place.
 */
export function routeView(sightings: readonly Sighting[], width: number, height: number, coveredRight: number): { longitude: number; latitude: number; zoom: number } | null {
  const pts = sightings.flatMap((s) => (s.position ? [[s.position.lon, s.position.lat] as LonLat] : []));
  if (!pts.length || width < 50 || height < 50) return null;
  const lons = pts.map((p) => p[0]), lats = pts.map((p) => p[1]);
  const right = Math.max(40, Math.min(coveredRight + 40, width - 200));
  const vp = new WebMercatorViewport({ width, height }).fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]],
    { padding: { top: 70, bottom: 50, left: 40, right }, maxZoom: 16, minExtent: 0.002 });
  return { longitude: vp.longitude, latitude: vp.latitude, zoom: vp.zoom };
}
