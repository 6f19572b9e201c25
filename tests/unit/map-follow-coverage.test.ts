/**
 * Issue 10 §3 (follow a unit) and §5 (coverage, detail): pure geometry on a known street grid. Streets and cameras are
 * laid out in metres from an origin and turned into degrees here, so the expected lengths are exact to the step.
 */
import { describe, expect, it } from 'vitest';
import { chooseFollowCamera, sight, sightCameras, type SightCamera } from '../../renderer/map/follow.js';
import { coverage, detailLevel, detailReport, evaluateProposal, pxPerMetre, purposeOf, streetsOf, type Street } from '../../renderer/map/coverage.js';
import { METRES_PER_DEGREE, type LonLat } from '../../renderer/map/geo.js';
import type { Camera } from '../../electron/contract/schemas.js';

const O: LonLat = [76.95, 43.25];
/** The point x metres east and y metres north of the origin. */
const at = (x: number, y: number): LonLat => [O[0] + x / (METRES_PER_DEGREE * Math.cos((O[1] * Math.PI) / 180)), O[1] + y / METRES_PER_DEGREE];
const cam = (id: string, x: number, y: number, heading: number, fov = 90, rangeM = 60): SightCamera => ({ id, position: at(x, y), heading, fov, rangeM });

describe('follow: the fixed camera that sees the unit best', () => {
  const west = cam('west', -50, 0, 90); // looks east at the origin, unit 50 m ahead on its axis
  const south = cam('south', 0, -40, 20); // sees the origin 20 degrees off its axis
  const far = cam('far', 0, -100, 0); // on axis but out of range

  it('sees inside the cone only: range and half the field of view', () => {
    expect(sight(west, O)).toMatchObject({ sees: true });
    expect(sight(west, O).offAxisDeg).toBeLessThan(0.5);
    expect(sight(south, O).offAxisDeg).toBeCloseTo(20, 0);
    expect(sight(far, O).sees).toBe(false);
    expect(sight(cam('narrow', 0, -40, 30, 40), O).sees).toBe(false); // 30 deg off a 40 deg cone
  });

  it('chooses the camera nearest to its axis, and none when nobody sees the unit', () => {
    expect(chooseFollowCamera([south, far, west], O, null)).toBe('west');
    expect(chooseFollowCamera([south, far], O, null)).toBe('south');
    expect(chooseFollowCamera([far], O, null)).toBeNull();
  });

  it('hands over as the unit moves, and keeps the current camera within the margin', () => {
    const a = cam('a', 0, 0, 90); // looks east from the origin
    const b = cam('b', 100, 0, 270); // looks west from 100 m east
    const path = [10, 30, 48, 52, 70, 90].map((x) => at(x, 3));
    let shown: string | null = null;
    const seq = path.map((p) => (shown = chooseFollowCamera([a, b], p, shown)));
    expect(seq[0]).toBe('a');
    expect(seq.at(-1)).toBe('b');
    expect(seq.indexOf('b')).toBeGreaterThan(seq.indexOf('a'));
    // at 48 m b sees it a little nearer its axis (3.3 against 3.6 degrees): the shown camera keeps it (no flapping)
    expect(chooseFollowCamera([a, b], at(48, 3), 'a')).toBe('a');
    expect(chooseFollowCamera([a, b], at(48, 3), null)).toBe('b');
  });

  it('never picks a moving camera (drone, body) for the follow tile', () => {
    const cams = [
      { id: 'd', kind: 'drone', location: { lat: O[1], lon: O[0], heading: 0, fov: 90 } },
      { id: 'f', kind: 'fixed', location: { lat: O[1], lon: O[0], heading: 0, fov: 90 } },
      { id: 'x', kind: 'fixed' },
    ] as unknown as Camera[];
    expect(sightCameras(cams).map((c) => c.id)).toEqual(['f']);
  });
});

describe('coverage of streets by view cones', () => {
  // a 200 m street east-west through the origin, and a 100 m street north-south at x = 200
  const streets: Street[] = [
    { name: 'East St', path: [at(-100, 0), at(100, 0)] },
    { name: 'North St', path: [at(200, -50), at(200, 50)] },
  ];

  it('measures the covered share and draws the rest as blind stretches where they are', () => {
    const c = coverage(streets, [cam('c', 0, 0, 90, 90, 60)], 1); // sees East St from x = 0 to x = 60
    expect(c.totalM).toBeCloseTo(300, 0);
    expect(c.coveredM).toBeGreaterThan(58);
    expect(c.coveredM).toBeLessThan(62);
    expect(c.share).toBeCloseTo(60 / 300, 2);
    const east = c.blind.filter((b) => b.name === 'East St');
    expect(east).toHaveLength(2); // x -100..0 and 60..100
    expect(east[0]!.lengthM).toBeCloseTo(100, -0.5);
    expect(east[1]!.path[0]![0]).toBeCloseTo(at(60, 0)[0], 4);
    expect(c.blind.find((b) => b.name === 'North St')?.lengthM).toBeCloseTo(100, 0);
  });

  it('a street with no cameras is all blind; an empty map is fully covered', () => {
    expect(coverage(streets, [], 5).share).toBe(0);
    expect(coverage([], [], 5).share).toBe(1);
  });

  it('evaluates a proposed camera: share before and after', () => {
    const existing = [cam('c', 0, 0, 90, 90, 60)];
    const proposed = cam('new', 200, -50, 0, 60, 60); // looks north along North St: its first 60 m
    const r = evaluateProposal(streets, existing, proposed, 1);
    expect(r.before).toBeCloseTo(0.2, 2);
    expect(r.after).toBeCloseTo(0.4, 1);
    expect(r.gainedM).toBeGreaterThan(55);
    expect(r.gainedM).toBeLessThan(62);
  });

  it('reads street lines from basemap features', () => {
    const s = streetsOf([
      { properties: { kind: 'street', name: 'A' }, geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } },
      { properties: { kind: 'street', name: 'B' }, geometry: { type: 'MultiLineString', coordinates: [[[0, 0], [1, 0]], [[2, 2], [3, 3]]] } },
      { properties: { kind: 'park' }, geometry: { type: 'Polygon', coordinates: [] } },
    ]);
    expect(s.map((x) => x.name)).toEqual(['A', 'B', 'B']);
  });
});

describe('detail: pixels per metre at the useful range', () => {
  it('computes px/m from width and field of view, and the level it reaches', () => {
    expect(pxPerMetre(1920, 90, 10)).toBeCloseTo(96, 6); // 20 m wide at 10 m: 96 px/m
    expect(detailLevel(300)).toBe('identify');
    expect(detailLevel(130)).toBe('recognise');
    expect(detailLevel(96)).toBe('observe');
    expect(detailLevel(30)).toBe('detect');
    expect(detailLevel(10)).toBeNull();
  });

  it('lists cameras below what their purpose needs, worst first', () => {
    const c = (id: string, width: number, fov: number, tags: string[]) => ({ id, name: id, tags, kind: 'fixed', location: { lat: 0, lon: 0, fov }, probe: { main: { ok: true, width } } }) as unknown as Camera;
    const rows = detailReport([c('door', 1920, 90, ['entrance']), c('plaza', 3840, 30, ['crowd']), c('gate', 1920, 60, ['plates']), { ...c('x', 0, 60, []), probe: {} } as Camera], 10);
    expect(purposeOf(['entrance'])).toBe('identify');
    expect(rows.map((r) => r.id)).toEqual(['door', 'gate', 'plaza']);
    expect(rows.find((r) => r.id === 'door')).toMatchObject({ needs: 'identify', level: 'observe', below: true });
    expect(rows.find((r) => r.id === 'gate')).toMatchObject({ needs: 'recognise', below: false });
    expect(rows.find((r) => r.id === 'plaza')).toMatchObject({ needs: 'observe', below: false });
  });
});
