/**
 * The map's deck.gl layers: basemap (countries, district), site plans, camera view cones, dots and clusters, alarms and
 * their heat map, units. Pure: data in, layers out.
 */
import { BitmapLayer, GeoJsonLayer, LineLayer, PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Camera, StreamStatus } from '../../electron/contract/schemas.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import type { BasemapFeature } from './basemap.js';
import type { BasemapStyle } from './pmtiles-basemap.js';
import type { CameraCluster } from './cluster.js';
import { PRIORITY_COLOURS, pulseRadiusPx, type MapAlarm } from './alarm-geo.js';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { MapLabel } from './labels.js';
import { DEFAULT_RANGE_M, offset, viewCone, type LonLat } from './geo.js';
import { simplifyTrack } from './trail-simplify.js';
import { mapCameraState, STALE_RING, STALE_UNIT, STATE_COLOURS, UNIT_COLOURS, type MapCameraState, type Rgba } from './camera-look.js';

/** One placed camera as the map draws it. */
export interface MapCamera { id: string; name: string; position: LonLat; cone: LonLat[]; state: MapCameraState }

export function placedCameras(cameras: readonly Camera[], statusOf: (id: string) => StreamStatus | undefined): MapCamera[] {
  const out: MapCamera[] = [];
  for (const c of cameras) {
    if (!c.location) continue;
    const position: LonLat = [c.location.lon, c.location.lat];
    const cone = viewCone(position, c.location.heading ?? 0, c.location.fov ?? 60, c.location.rangeM ?? DEFAULT_RANGE_M);
    out.push({ id: c.id, name: c.name, position, cone, state: mapCameraState(statusOf(c.id)?.state) });
  }
  return out;
}

export const BASEMAP_FILL: Record<string, Rgba> = { park: [39, 94, 58, 255], building: [58, 66, 80, 255], water: [34, 78, 130, 255], country: [0, 0, 0, 0] };
const BASEMAP_LINE: Record<string, Rgba> = { street: [120, 132, 150, 255], river: [52, 120, 200, 255], water: [52, 120, 200, 255], country: [90, 100, 115, 255], building: [72, 82, 98, 255] };
const LINE_PX: Record<string, number> = { street: 3, river: 4, water: 1, country: 1, building: 0.5 };

/** The basemap's colours by kind, shared by the bundled district and a PMTiles archive. */
export const BASEMAP_STYLE: BasemapStyle = {
  fill: (f) => BASEMAP_FILL[f.properties.kind] ?? [0, 0, 0, 0],
  line: (f) => BASEMAP_LINE[f.properties.kind] ?? [0, 0, 0, 0],
  width: (f) => LINE_PX[f.properties.kind] ?? 1,
};

const solid = (c: Rgba): Rgba => [c[0], c[1], c[2], 255];

/**
 * Country outlines matter when the whole region is in view; at city zoom they lie outside the window and every draw would
 * still run their ~10,000 line vertices through software WebGL's vertex shader (docs/map.md, "What a draw costs").
 */
export const COUNTRIES_BELOW_ZOOM = 9;

/**
 * The basemap and the cameras. Cones are filled, not outlined: deck.gl's line shader is the costly part of a draw on
 * software WebGL (1,000 outlined cones took ~0.7 s of CPU per draw, filled ones ~0.07 s); the selected camera's cone
 * gets an outline of its own.
 */
export function mapLayers(basemap: { countries: BasemapFeature[]; district: BasemapFeature[] }, cameras: MapCamera[], selectedId: string | null, under: { tiles?: Layer | null; plans?: Layer[]; heat?: Layer | null; zoom?: number; labels?: readonly MapLabel[] } = {}): Layer[] {
  const styled = (id: string, data: BasemapFeature[], visible = true) => new GeoJsonLayer<BasemapFeature['properties']>({
    id, data: data as never, stroked: true, filled: true, lineWidthUnits: 'pixels', visible,
    getFillColor: (f) => BASEMAP_STYLE.fill(f as unknown as BasemapFeature),
    getLineColor: (f) => BASEMAP_STYLE.line(f as unknown as BasemapFeature),
    getLineWidth: (f) => BASEMAP_STYLE.width(f as unknown as BasemapFeature),
  });
  return [
    styled('countries', basemap.countries, (under.zoom ?? 0) < COUNTRIES_BELOW_ZOOM),
    ...(under.tiles ? [under.tiles] : []),
    styled('district', basemap.district),
    ...(under.plans ?? []),
    ...(under.labels?.length ? [labelLayer('basemap-labels', under.labels)] : []),
    ...(under.heat ? [under.heat] : []),
    new PolygonLayer<MapCamera>({
      id: 'camera-cones', data: cameras, pickable: true, stroked: false, filled: true,
      getPolygon: (c) => c.cone, getFillColor: (c) => STATE_COLOURS[c.state],
    }),
    new PathLayer<MapCamera>({
      id: 'camera-cone-selected', data: cameras.filter((c) => c.id === selectedId), widthUnits: 'pixels', getWidth: 3,
      getPath: (c) => c.cone, getColor: (c) => solid(STATE_COLOURS[c.state]),
    }),
    new ScatterplotLayer<MapCamera>({
      id: 'cameras', data: cameras, pickable: true, radiusUnits: 'pixels', stroked: true, lineWidthUnits: 'pixels',
      getPosition: (c) => c.position, getRadius: (c) => (c.id === selectedId ? 8 : 6),
      getFillColor: (c) => solid(STATE_COLOURS[c.state]), getLineColor: [11, 15, 20, 255], getLineWidth: 2,
      updateTriggers: { getRadius: selectedId },
    }),
  ];
}

const LABEL_COLOURS: Record<MapLabel['kind'], Rgba> = { street: [214, 220, 230, 255], river: [128, 180, 240, 255], water: [128, 180, 240, 255], park: [150, 210, 160, 255] };

/**
 * Street, river and park names (labels.ts) lying on the ground along their street, light on a dark outline so they read
 * over streets and buildings. The glyph atlas holds the characters of the names shown (Cyrillic with Kazakh letters
 * included), made once per set of names.
 */
export function labelLayer(id: string, labels: readonly MapLabel[]): Layer {
  return new TextLayer<MapLabel>({
    id, data: labels as MapLabel[], billboard: false, sizeUnits: 'pixels', getSize: 12, fontWeight: 600,
    getPosition: (l) => l.position, getText: (l) => l.text, getAngle: (l) => l.angle, getColor: (l) => LABEL_COLOURS[l.kind],
    getTextAnchor: 'middle', getAlignmentBaseline: 'center', characterSet: 'auto',
    fontSettings: { sdf: true }, outlineWidth: 3, outlineColor: [11, 15, 20, 255],
  });
}

export { UNIT_COLOURS, STALE_UNIT } from './camera-look.js';

interface TrailSegment { from: LonLat; to: LonLat; colour: Rgba }
/** The trails' line segments; with `zoom`, each trail keeps only the points that zoom can tell apart (trail-simplify.ts). */
export function trailSegments(units: readonly MapUnit[], colour: (u: MapUnit) => Rgba, zoom: number | null = null): TrailSegment[] {
  const out: TrailSegment[] = [];
  for (const u of units) {
    const c = [...colour(u).slice(0, 3), 150] as Rgba;
    const track = zoom === null ? u.track : simplifyTrack(u.track, zoom);
    for (let i = 1; i < track.length; i++) out.push({ from: [track[i - 1]![0], track[i - 1]![1]], to: [track[i]![0], track[i]![1]], colour: c });
  }
  return out;
}

/**
 * One empty list for every moving layer with nothing to draw (no footprints, no open alarms...): deck.gl compares a
 * layer's data by reference, so a layer given this same list again on the next unit report is not updated at all,
 * where a new empty list made it rebuild its (empty) attributes, a composite layer's sublayers too, twice a second.
 */
const NOTHING: never[] = [];
export function orNothing<T>(items: readonly T[]): readonly T[] { return items.length ? items : NOTHING; }

export const unitColour = (u: MapUnit): Rgba => (u.stale ? STALE_UNIT : UNIT_COLOURS[u.kind]);

/**
 * The units' trails as line segments in the unit's colour at alpha 150 (the same on the trails canvas and the tails on
 * the moving canvas: trail-split.ts), not pickable. `trailZoom` as in `unitLayers`.
 */
export function trailLayer(units: readonly MapUnit[], trailZoom: number | null = null): Layer {
  return new LineLayer<TrailSegment>({
    id: 'unit-tracks', data: orNothing(trailSegments(units, unitColour, trailZoom)), widthUnits: 'pixels', getWidth: 2,
    getSourcePosition: (s) => s.from, getTargetPosition: (s) => s.to, getColor: (s) => s.colour,
  });
}

/** Every point the trails canvas draws at (its clip: moving-clip.ts). */
export function* trailPoints(units: readonly MapUnit[]): Generator<readonly number[]> {
  for (const u of units) for (const p of u.track) yield p;
}

/** How far a unit's heading line reaches on the ground (unitLayers' `unit-headings`). */
export const HEADING_LINE_M = 40;

/**
 * The units: footprints, trails, heading lines, dots. `trailZoom`: draw each trail with the points that zoom (and every
 * zoom below it) can tell apart, within half a pixel (trail-simplify.ts; without a GPU the trail segments were most of a
 * unit report's draw); null: every point.
 */
export function unitLayers(units: readonly MapUnit[], trailZoom: number | null = null): Layer[] {
  const colour = unitColour;
  return [
    // what a drone's camera sees on the ground (KLV corners): a translucent quadrilateral in the unit's colour
    new PolygonLayer<MapUnit>({
      id: 'unit-footprints', data: orNothing(units.filter((u) => u.footprint)), pickable: true, stroked: true, filled: true, lineWidthUnits: 'pixels', getLineWidth: 2,
      getPolygon: (u) => u.footprint as LonLat[], getFillColor: (u) => [...colour(u).slice(0, 3), 70] as Rgba, getLineColor: colour,
    }),
    trailLayer(units, trailZoom),
    new PathLayer<MapUnit>({
      id: 'unit-headings', data: orNothing(units.filter((u) => u.heading !== undefined)), widthUnits: 'pixels', getWidth: 3,
      getPath: (u): LonLat[] => [[u.lon, u.lat], offset([u.lon, u.lat], u.heading ?? 0, HEADING_LINE_M)], getColor: colour,
    }),
    new ScatterplotLayer<MapUnit>({
      id: 'units', data: orNothing(units), pickable: true, radiusUnits: 'pixels', stroked: true, lineWidthUnits: 'pixels',
      getPosition: (u) => [u.lon, u.lat], getRadius: 7, getFillColor: colour,
      getLineColor: (u) => (u.stale ? STALE_RING : [255, 255, 255, 255]), getLineWidth: (u) => (u.stale ? 3 : 1.5),
    }),
  ];
}

/**
 * Every point the moving canvas draws at (alarmLayers and unitLayers: a unit's dot, heading line tip, trail and
 * footprint; an open alarm's dot and ring), for the clip around them (moving-clip.ts); what is drawn around a point
 * (dots, rings, line widths) is the clip's pixel margin.
 */
export function* movingPoints(units: readonly MapUnit[], alarms: readonly MapAlarm[]): Generator<readonly number[]> {
  for (const u of units) {
    yield [u.lon, u.lat];
    if (u.heading !== undefined) yield offset([u.lon, u.lat], u.heading, HEADING_LINE_M);
    for (const p of u.track) yield p;
    if (u.footprint) for (const p of u.footprint) yield p;
  }
  for (const a of alarms) if (a.open) yield a.position;
}

/** Camera clusters at low zoom: a circle sized by its count, with the count on it. */
export const CLUSTER_FILL: Rgba = [41, 128, 185, 230];
export function clusterLayers(clusters: readonly CameraCluster[]): Layer[] {
  return [
    new ScatterplotLayer<CameraCluster>({
      id: 'camera-clusters', data: clusters, pickable: true, radiusUnits: 'pixels', stroked: true, lineWidthUnits: 'pixels',
      getPosition: (c) => c.position, getRadius: (c) => 12 + 3 * Math.log2(c.ids.length), getFillColor: CLUSTER_FILL,
      getLineColor: [255, 255, 255, 255], getLineWidth: 2,
    }),
    new TextLayer<CameraCluster>({
      id: 'camera-cluster-counts', data: clusters, getPosition: (c) => c.position, getText: (c) => String(c.ids.length),
      getSize: 13, getColor: [255, 255, 255, 255], fontWeight: 700, getTextAnchor: 'middle', getAlignmentBaseline: 'center',
      characterSet: '0123456789',
    }),
  ];
}

/** Open alarms where they happened: a dot in the priority's colour and a ring pulsing outwards (faster when urgent). */
export function alarmLayers(alarms: readonly MapAlarm[], nowMs: number): Layer[] {
  const open = orNothing(alarms.filter((a) => a.open));
  const colour = (a: MapAlarm): Rgba => [...(PRIORITY_COLOURS[a.priority] ?? PRIORITY_COLOURS[3]!), 255] as Rgba;
  return [
    new ScatterplotLayer<MapAlarm>({
      id: 'alarm-pulses', data: open, radiusUnits: 'pixels', stroked: true, filled: false, lineWidthUnits: 'pixels',
      getPosition: (a) => a.position, getRadius: (a) => pulseRadiusPx(a.priority, nowMs), getLineWidth: 3,
      getLineColor: (a) => { const c = colour(a); const r = pulseRadiusPx(a.priority, nowMs); return [c[0], c[1], c[2], Math.round(255 * (1 - (r - 8) / 16))]; },
      updateTriggers: { getRadius: nowMs, getLineColor: nowMs },
    }),
    new ScatterplotLayer<MapAlarm>({
      id: 'alarms', data: open, pickable: true, radiusUnits: 'pixels', stroked: true, lineWidthUnits: 'pixels',
      getPosition: (a) => a.position, getRadius: 7, getFillColor: colour, getLineColor: [255, 255, 255, 255], getLineWidth: 1.5,
    }),
  ];
}

/** Heat map radius in screen pixels: an alarm warms about 40 m around it at street zoom (16). */
export const HEAT_RADIUS_PX = 100;
/** The heat map of alarms (deck.gl HeatmapLayer: renders on software WebGL too, see docs/map.md). */
export function heatLayer(alarms: readonly MapAlarm[]): Layer {
  return new HeatmapLayer<MapAlarm>({ id: 'alarm-heat', data: alarms, getPosition: (a) => a.position, getWeight: 1, radiusPixels: HEAT_RADIUS_PX, intensity: 1, threshold: 0.05 });
}

/** A plan's layer id is this prefix and its map.json id. */
export const PLAN_LAYER_PREFIX = 'plan-';
/** A site plan placed by its reference points (plan-geo.ts), drawn as an image on the ground. */
export function planLayer(plan: { id: string; url: string; corners: [LonLat, LonLat, LonLat, LonLat]; opacity: number }): Layer {
  return new BitmapLayer({ id: `${PLAN_LAYER_PREFIX}${plan.id}`, image: plan.url, bounds: plan.corners, opacity: plan.opacity });
}
