/**
 * The demo city's traffic cameras read plates (issue 10 §4): a few cars drive routes through the demo's
 * intersection, street and highway cameras, and each pass is a `plate` event over MQTT (the same path as real
 * ANPR), its box on a car the camera's scene really shows at that frame (the simulator's scene truth, as
 * demo-events.ts does). Now and then a pass is a traffic violation with the car's plate (about two a minute: a review
 * list an operator can keep up with). One car is 777ABZ02, which the demo's analytics also report as wanted.
 */
import mqtt from 'mqtt';
import type { Box, KuzetEventInput } from '../../contract/events-schema.js';
import type { SceneTruthTable } from '../../../native/simulator/control.js';
import type { Logger } from '../log.js';
import { FRAME_MS, LOOP_FRAMES, frameTime, objectsAt, objectsTrack } from '../alarms/demo-events.js';

/** Cars and their routes (camera ids of resources/demo-city.json, in driving order; routes run back and forth). */
export const DEMO_CARS: ReadonlyArray<{ plate: string; route: readonly string[] }> = [
  { plate: '777ABZ02', route: ['tolebi-momyshuly', 'satpayev-rozybakiev', 'alfarabi-nazarbayev', 'abay-dostyk', 'raiymbek-seifullin', 'airport-arrivals', 'kapchagay-hwy-drone'] },
  { plate: '010KZA02', route: ['medeu-road-drone', 'abay-dostyk', 'raiymbek-seifullin', 'kapchagay-hwy-drone'] },
  { plate: '456BCD02', route: ['raiymbek-seifullin', 'abay-dostyk', 'alfarabi-nazarbayev', 'satpayev-rozybakiev', 'tolebi-momyshuly'] },
  { plate: '888AAA05', route: ['kapchagay-hwy-drone', 'airport-arrivals', 'raiymbek-seifullin', 'abay-dostyk', 'medeu-road-drone'] },
];

/** The scenes whose cameras read plates: the ones with cars in the picture (a pedestrian crossing's scene has none). */
export const TRAFFIC_SCENES = ['intersection', 'night-street', 'highway'] as const;
/** The scene of each camera a car passes (for the car's box and the kind of violation it can commit there). */
type Scene = 'intersection' | 'night-street' | 'highway';

export interface DemoPlatesOptions {
  mqttUrl: string;
  cameras: ReadonlyArray<{ id: string; scene: string }>;
  knownCameras: () => string[];
  truth: SceneTruthTable;
  log: Logger;
  /** One car passes a camera this often (default 5 s: each car every 20 s). */
  everyMs?: number;
  /** Every n-th pass is also a violation (default 24: about one every 2 minutes). */
  violationEvery?: number;
}

/** The pass number `n`: which car, which camera of its route (back and forth), pure. */
export function passOf(n: number): { car: (typeof DEMO_CARS)[number]; cameraId: string } {
  const car = DEMO_CARS[n % DEMO_CARS.length]!;
  const step = Math.floor(n / DEMO_CARS.length);
  const len = car.route.length;
  const period = 2 * (len - 1);
  const i = step % period;
  return { car, cameraId: car.route[i < len ? i : period - i]! };
}

/** A plate box on the scene's first car at the newest frame at or before `atMs` that shows one (else no box). */
function plateBox(truth: SceneTruthTable, scene: string, atMs: number, plate: string): { t: number; box: Box | null; car: Box | null } {
  for (let i = 0, t = frameTime(atMs); i < LOOP_FRAMES; i++, t -= FRAME_MS) {
    const o = objectsAt(truth, scene, t).find((x) => x.label === 'vehicle' && x.x > 0.05 && x.x + x.w < 0.95);
    if (o) return { t, box: { x: o.x + o.w * 0.3, y: o.y + o.h * 0.6, w: o.w * 0.4, h: Math.min(o.h * 0.35, 1 - (o.y + o.h * 0.6)), label: plate }, car: { x: o.x, y: o.y, w: o.w, h: o.h, label: 'car' } };
  }
  return { t: frameTime(atMs), box: null, car: null };
}

export function startDemoPlates(opts: DemoPlatesOptions): { stop(): void } {
  const sceneOf = new Map(opts.cameras.filter((c) => (TRAFFIC_SCENES as readonly string[]).includes(c.scene)).map((c) => [c.id, c.scene as Scene]));
  const client = mqtt.connect(opts.mqttUrl, { clientId: `kuzet-demo-plates-${Math.random().toString(36).slice(2, 8)}`, reconnectPeriod: 1000 });
  const violationEvery = opts.violationEvery ?? 24;
  let n = 0;
  const publish = (camera: string, ev: KuzetEventInput & { id: string }) => client.publish(`kuzet/events/${camera}`, JSON.stringify(ev), { qos: 1 }, (err) => {
    if (err) opts.log.warn('demo plate not published', { error: err.message });
  });
  const timer = setInterval(() => {
    if (!client.connected) return;
    const pass = n++;
    const { car, cameraId } = passOf(pass);
    const scene = sceneOf.get(cameraId);
    if (!scene || !opts.knownCameras().includes(cameraId)) return;
    // ANPR reports a frame a moment after it was captured
    const { t, box, car: carBox } = plateBox(opts.truth, scene, Date.now() - 150, car.plate);
    publish(cameraId, { id: `demo-plate-${cameraId}-${t}`, camera: cameraId, captureTime: t, type: 'plate', confidence: 0.9 + (pass % 9) / 100,
      ...(box ? { boxes: [box] } : {}), attributes: { text: car.plate } });
    if (pass % violationEvery !== violationEvery - 1) return;
    const v = scene === 'highway' ? { violation: 'speeding' as const, speedKmh: 121 + (pass % 30), limitKmh: 90 } : { violation: pass % 2 ? 'red_light' as const : 'wrong_way' as const };
    publish(cameraId, { id: `demo-violation-${cameraId}-${t}`, camera: cameraId, captureTime: t, type: 'traffic_violation', confidence: 0.9,
      ...(carBox ? { boxes: [carBox] } : {}), track: objectsTrack(cameraId), attributes: { ...v, plate: car.plate } });
  }, opts.everyMs ?? 5000);
  timer.unref();
  return { stop: () => { clearInterval(timer); client.end(true); } };
}
