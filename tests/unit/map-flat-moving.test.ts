/**
 * Units and alarms with Canvas 2D when WebGL is software (flat-moving.ts): the shapes are those of deck's moving layers
 * (layers.ts `alarmLayers`, `unitLayers`: colours, sizes, order) at deck's projection, and the hit test picks what deck
 * picked (the nearest pickable shape within the radius, the topmost on a tie; pulses and trails never). The trails
 * snapshot with Canvas 2D (`trailShapes`) is deck's trail layer (layers.ts `trailLayer`): colour, alpha, width, points.
 */
import { describe, expect, it } from 'vitest';
import { WebMercatorViewport, type Layer } from '@deck.gl/core';
import { flatHit, flatShapes, isSoftwareGl, trailShapes, type FlatShape, type Xy } from '../../renderer/map/flat-moving.js';
import { alarmLayers, HEADING_LINE_M, trailLayer, unitLayers } from '../../renderer/map/layers.js';
import { offset, type LonLat } from '../../renderer/map/geo.js';
import { STALE_RING } from '../../renderer/map/camera-look.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import type { MapAlarm } from '../../renderer/map/alarm-geo.js';

const vp = new WebMercatorViewport({ width: 1920, height: 1080, longitude: 76.935, latitude: 43.245, zoom: 16 });
const project = (p: LonLat) => vp.project(p);
const at = (lon: number, lat: number): Xy => { const [x, y] = vp.project([lon, lat]); return [x!, y!]; };

const robot: MapUnit = { id: 'r-1', kind: 'robot', lat: 43.245, lon: 76.935, heading: 90, ts: 10_000, stale: false, track: [[76.934, 43.245, 4_000], [76.9345, 43.245, 7_000], [76.935, 43.245, 10_000]] };
const drone: MapUnit = {
  id: 'd-1', kind: 'drone', lat: 43.246, lon: 76.937, ts: 10_000, stale: true, track: [],
  footprint: [[76.9365, 43.2465], [76.9375, 43.2465], [76.9375, 43.2455], [76.9365, 43.2455]],
};
const alarm: MapAlarm = { id: 'a-1', cameraId: 'c-1', position: [76.933, 43.244], priority: 1, type: 'motion' as MapAlarm['type'], createdAt: 0, open: true };
const closed: MapAlarm = { ...alarm, id: 'a-2', open: false };

type Accessor<T> = (o: T) => unknown;
const layer = (layers: Layer[], id: string) => layers.find((l) => l.id === id)!.props as unknown as Record<string, unknown>;
const value = <T>(v: unknown, o: T) => (typeof v === 'function' ? (v as Accessor<T>)(o) : v);

describe('flatShapes', () => {
  const shapes = flatShapes([robot, drone], [alarm, closed], 1234, null, project);

  it('draws in deck\'s layer order: alarm pulses, alarm dots, footprints, trails, headings, unit dots', () => {
    const order = shapes.map((s) => (s.kind === 'circle' ? (s.pick?.layer ?? 'pulse') : s.kind));
    expect(order).toEqual(['pulse', 'alarms', 'polygon', 'segments', 'line', 'units', 'units']);
  });

  it('puts every shape where deck projects its coordinates', () => {
    const dots = shapes.filter((s): s is Extract<FlatShape, { kind: 'circle' }> => s.kind === 'circle');
    expect(dots[0]!.at).toEqual(at(...alarm.position));
    expect(dots[2]!.at).toEqual(at(robot.lon, robot.lat));
    expect(dots[3]!.at).toEqual(at(drone.lon, drone.lat));
    const poly = shapes.find((s) => s.kind === 'polygon')!;
    expect(poly.kind === 'polygon' && poly.points).toEqual(drone.footprint!.map(([lon, lat]) => at(lon, lat)));
    const heading = shapes.find((s) => s.kind === 'line')!;
    const tip = offset([robot.lon, robot.lat], 90, HEADING_LINE_M);
    expect(heading.kind === 'line' && heading.points).toEqual([at(robot.lon, robot.lat), at(tip[0], tip[1])]);
    const trail = shapes.find((s) => s.kind === 'segments')!;
    expect(trail.kind === 'segments' && trail.segments).toEqual([[at(76.934, 43.245), at(76.9345, 43.245)], [at(76.9345, 43.245), at(76.935, 43.245)]]);
  });

  it('uses the colours, radii and line widths of deck\'s layers', () => {
    const units = unitLayers([robot, drone]);
    const alarms = alarmLayers([alarm], 1234);
    const dots = shapes.filter((s): s is Extract<FlatShape, { kind: 'circle' }> => s.kind === 'circle');
    const u = layer(units, 'units');
    for (const [shape, unit] of [[dots[2]!, robot], [dots[3]!, drone]] as const) {
      expect(shape.fill).toEqual(value(u.getFillColor, unit));
      expect(shape.stroke).toEqual(value(u.getLineColor, unit));
      expect(shape.width).toEqual(value(u.getLineWidth, unit));
      expect(shape.radius).toEqual(value(u.getRadius, unit));
    }
    expect(dots[3]!.stroke).toEqual(STALE_RING);
    const pulses = layer(alarms, 'alarm-pulses');
    expect(dots[0]!.radius).toEqual(value(pulses.getRadius, alarm));
    expect(dots[0]!.stroke).toEqual(value(pulses.getLineColor, alarm));
    expect(dots[0]!.fill).toBeNull();
    const a = layer(alarms, 'alarms');
    expect(dots[1]!.fill).toEqual(value(a.getFillColor, alarm));
    const f = layer(units, 'unit-footprints');
    const poly = shapes.find((s) => s.kind === 'polygon')!;
    expect(poly.kind === 'polygon' && [poly.fill, poly.stroke, poly.width]).toEqual([value(f.getFillColor, drone), value(f.getLineColor, drone), f.getLineWidth]);
    const trailColour = (layer(units, 'unit-tracks').data as Array<{ colour: unknown }>)[0]!.colour;
    const trail = shapes.find((s) => s.kind === 'segments')!;
    expect(trail.kind === 'segments' && trail.stroke).toEqual(trailColour);
  });

  it('leaves out what does not project, and draws nothing for nothing', () => {
    expect(flatShapes([], [], 0, null, project)).toEqual([]);
    expect(flatShapes([robot], [], 0, null, () => null)).toEqual([]);
  });

  it('simplifies the trail for a zoom as deck\'s trail layer does', () => {
    const straight: MapUnit = { ...robot, heading: undefined, track: [[76.934, 43.245, 1], [76.9341, 43.245, 2], [76.9342, 43.245, 3], [76.935, 43.245, 4]] };
    const trail = flatShapes([straight], [], 0, 14, project).find((s) => s.kind === 'segments')!;
    expect(trail.kind === 'segments' && trail.segments.length).toBe((layer(unitLayers([straight], 14), 'unit-tracks').data as unknown[]).length);
  });
});

describe('trailShapes', () => {
  const bus: MapUnit = { ...robot, id: 'b-1', kind: 'patrol_car', stale: true, track: [[76.933, 43.244, 1], [76.9335, 43.2442, 2], [76.934, 43.2444, 3]] };

  it('draws what deck\'s trail layer draws: per unit its segments in its colour at alpha 150, 2 px', () => {
    const shapes = trailShapes([robot, bus], null, project);
    const props = layer([trailLayer([robot, bus])], 'unit-tracks');
    type Seg = { from: LonLat; to: LonLat; colour: number[] };
    const segs = props.data as Seg[];
    expect(props.getWidth).toBe(2);
    expect(props.widthUnits).toBe('pixels');
    const flat = shapes.flatMap((s) => (s.kind === 'segments' ? s.segments.map((g) => ({ g, stroke: s.stroke, width: s.width })) : []));
    expect(flat).toHaveLength(segs.length);
    flat.forEach(({ g, stroke, width }, i) => {
      expect(g).toEqual([at(...segs[i]!.from), at(...segs[i]!.to)]);
      expect(stroke).toEqual(value(props.getColor, segs[i]!));
      expect(stroke[3]).toBe(150);
      expect(width).toBe(2);
    });
  });

  it('simplifies for a zoom as the trail layer does, and draws nothing for a track of one point', () => {
    const straight: MapUnit = { ...robot, track: [[76.934, 43.245, 1], [76.9341, 43.245, 2], [76.9342, 43.245, 3], [76.935, 43.245, 4]] };
    const shapes = trailShapes([straight], 14, project);
    expect(shapes.reduce((n, s) => n + (s.kind === 'segments' ? s.segments.length : 0), 0)).toBe((layer([trailLayer([straight], 14)], 'unit-tracks').data as unknown[]).length);
    expect(trailShapes([{ ...robot, track: [[76.934, 43.245, 1]] }], null, project)).toEqual([]);
  });

  it('is the trail part of flatShapes (the tails on the units\' flat canvas)', () => {
    expect(flatShapes([robot, bus], [], 0, null, project).filter((s) => s.kind === 'segments')).toEqual(trailShapes([robot, bus], null, project));
  });
});

describe('flatHit', () => {
  const shapes = flatShapes([robot, drone], [alarm], 1234, null, project);
  const [rx, ry] = at(robot.lon, robot.lat);

  it('picks a unit on its dot and out to its ring\'s outer edge, not beyond', () => {
    expect(flatHit(shapes, [rx, ry])?.object).toBe(robot);
    expect(flatHit(shapes, [rx + 7.7, ry])?.layer).toBe('units');
    expect(flatHit(shapes, [rx + 9, ry + 0])).toBeNull();
    expect(flatHit(shapes, [rx + 9, ry], 4)?.object).toBe(robot);
  });

  it('picks the topmost among shapes under the pointer: the drone\'s dot over its footprint', () => {
    const [dx, dy] = at(drone.lon, drone.lat);
    expect(flatHit(shapes, [dx, dy])).toMatchObject({ layer: 'units', object: drone });
    const [fx, fy] = at(76.9367, 43.2457);
    expect(flatHit(shapes, [fx, fy])).toMatchObject({ layer: 'unit-footprints', object: drone, index: 0 });
  });

  it('picks an open alarm, and the nearest shape within the radius', () => {
    const [ax, ay] = at(...alarm.position);
    expect(flatHit(shapes, [ax, ay])).toMatchObject({ layer: 'alarms', object: alarm });
    // a unit's dot on top of the alarm: the unit (drawn last)
    const over = flatShapes([{ ...robot, lon: alarm.position[0], lat: alarm.position[1] }], [alarm], 1234, null, project);
    expect(flatHit(over, [ax, ay])?.layer).toBe('units');
    // between two dots, the nearer one within the radius
    const [bx, by] = at(76.9351, 43.245);
    const two = flatShapes([robot, { ...robot, id: 'r-2', lon: 76.9351 }], [], 0, null, project);
    expect((flatHit(two, [bx + 3, by], 10)?.object as MapUnit).id).toBe('r-2');
  });

  it('never picks pulses, trails or heading lines', () => {
    const [ax, ay] = at(...alarm.position);
    const ring = flatShapes([], [alarm], 1234, null, project)[0]!;
    expect(ring.kind === 'circle' && ring.pick).toBeNull();
    const r = ring.kind === 'circle' ? ring.radius : 0;
    expect(flatHit(shapes, [ax + r, ay])).toBeNull();
    const [tx, ty] = at(76.9342, 43.245);
    expect(flatHit(shapes, [tx, ty])).toBeNull();
    const tip = offset([robot.lon, robot.lat], 90, HEADING_LINE_M);
    expect(flatHit(shapes, at(tip[0], tip[1]))).toBeNull();
  });
});

describe('isSoftwareGl', () => {
  it('knows the software rasterisers by their renderer names', () => {
    expect(isSoftwareGl('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareGl('Google SwiftShader')).toBe(true);
    expect(isSoftwareGl('llvmpipe (LLVM 15.0.7, 256 bits)')).toBe(true);
    expect(isSoftwareGl('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareGl('Mesa Intel(R) UHD Graphics 620 (KBL GT2)')).toBe(false);
    expect(isSoftwareGl(null)).toBe(false);
  });
});
