/**
 * The demo city's moving units (issue 10 §3): a drone, a patrol robot, a body camera and two patrol cars going back
 * and forth along streets of the demo district, publishing telemetry v1 on `kuzet/units/<id>` at 2 Hz through the
 * broker, exactly as a real unit would.
 */
import mqtt from 'mqtt';
import type { Logger } from '../log.js';
import { UNIT_TELEMETRY_VERSION, UNITS_TOPIC, type UnitKind, type UnitTelemetry } from '../../contract/units-schema.js';
import { greatCircleM } from './unit-store.js';

interface Route { id: string; kind: UnitKind; speed: number; alt?: number; cameraId?: string; path: Array<[lat: number, lon: number]> }

/** Along Abay, Dostyk, Tole Bi, Nazarbayev and over the river (resources/map/almaty-demo.geojson). */
export const DEMO_ROUTES: Route[] = [
  { id: 'drone-1', kind: 'drone', speed: 15, alt: 120, cameraId: 'kapchagay-hwy-drone', path: [[43.2393, 76.9440], [43.2500, 76.9685], [43.2650, 76.9670], [43.2566, 76.9446]] },
  { id: 'robot-1', kind: 'robot', speed: 1.5, cameraId: 'gorky-park-robot', path: [[43.2590, 76.9710], [43.2640, 76.9710], [43.2640, 76.9780]] },
  { id: 'body-07', kind: 'body', speed: 1.4, cameraId: 'arbat-body-07', path: [[43.2605, 76.9409], [43.2605, 76.9490]] },
  { id: 'patrol-12', kind: 'patrol_car', speed: 11, path: [[43.2393, 76.9276], [43.2393, 76.9573], [43.2566, 76.9573], [43.2566, 76.9276]] },
  { id: 'patrol-31', kind: 'patrol_car', speed: 9, path: [[43.2187, 76.9446], [43.2681, 76.9446]] },
];

/** Where a unit is `t` seconds after it set out, ping-ponging along its path; with the heading it drives at. */
export function positionAt(route: Route, t: number): { lat: number; lon: number; heading: number } {
  const legs = route.path.slice(1).map((p, i) => ({ a: route.path[i]!, b: p, m: greatCircleM(route.path[i]![0], route.path[i]![1], p[0], p[1]) }));
  const total = legs.reduce((s, l) => s + l.m, 0);
  let d = (route.speed * t) % (2 * total);
  const back = d > total;
  if (back) d = 2 * total - d;
  for (const l of legs) {
    if (d <= l.m || l === legs.at(-1)) {
      const f = l.m === 0 ? 0 : Math.min(1, d / l.m);
      const lat = l.a[0] + (l.b[0] - l.a[0]) * f;
      const lon = l.a[1] + (l.b[1] - l.a[1]) * f;
      const dy = l.b[0] - l.a[0];
      const dx = (l.b[1] - l.a[1]) * Math.cos((lat * Math.PI) / 180);
      const heading = (((Math.atan2(dx, dy) * 180) / Math.PI) + (back ? 180 : 0) + 360) % 360;
      return { lat, lon, heading };
    }
    d -= l.m;
  }
  return { lat: route.path[0]![0], lon: route.path[0]![1], heading: 0 };
}

export function startDemoUnits(opts: { mqttUrl: string; log: Logger; hz?: number }): { stop(): void } {
  const client = mqtt.connect(opts.mqttUrl, { clientId: `kuzet-demo-units-${Math.random().toString(36).slice(2, 8)}`, reconnectPeriod: 1000 });
  const t0 = Date.now();
  const timer = setInterval(() => {
    if (!client.connected) return;
    const now = Date.now();
    for (const r of DEMO_ROUTES) {
      const p = positionAt(r, (now - t0) / 1000);
      const msg: UnitTelemetry = {
        v: UNIT_TELEMETRY_VERSION, id: r.id, kind: r.kind, lat: p.lat, lon: p.lon, heading: p.heading, speed: r.speed, ts: now,
        battery: Math.max(5, 95 - ((now - t0) / 60_000)),
        ...(r.alt !== undefined ? { alt: r.alt } : {}), ...(r.cameraId ? { cameraId: r.cameraId } : {}),
      };
      client.publish(`${UNITS_TOPIC}${r.id}`, JSON.stringify(msg), { qos: 0 });
    }
  }, 1000 / (opts.hz ?? 2));
  opts.log.info('demo units publishing', { units: DEMO_ROUTES.length, hz: opts.hz ?? 2 });
  return { stop() { clearInterval(timer); client.end(true); } };
}
