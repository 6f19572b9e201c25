/**
 * The demo city's analytics: publishes each kind of event over MQTT (the same path as real analytics) for the
 * demo cameras, chosen by scene: faces on a watch list on plazas, wanted plates and red lights at
 * intersections, speeding on the highway, pedestrian-crossing violations, an abandoned bag in the park, crowds
 * at the metro, motion at night, and now and then a tampered camera.
 */
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import type { KuzetEventInput } from '../../contract/events-schema.js';
import type { Logger } from '../log.js';

type DemoCamera = { id: string; scene: string };
type Maker = (cam: string, t: number, n: number) => KuzetEventInput;

const PEOPLE = [{ id: 'P-0417', name: 'Wanted person 0417' }, { id: 'P-1290', name: 'Missing person 1290' }];
const PLATES = ['777ABZ02', '123KZA01', '505AAA05'];
const box = (x: number, y: number, w: number, h: number, label: string) => ({ x, y, w, h, label });
/** A box gliding left to right over 8 s, like the scenes' moving objects. */
const glide = (t: number, y: number, w: number, h: number, label: string) => box(((t / 8000) % 1) * (1 - w), y, w, h, label);

const BY_SCENE: Record<string, Maker[]> = {
  plaza: [(camera, t, n) => { const p = PEOPLE[n % PEOPLE.length]!; return { camera, captureTime: t, type: 'face_match', confidence: 0.91, track: p.id, boxes: [glide(t, 0.3, 0.08, 0.16, p.name)], attributes: { watchlist: 'wanted', personId: p.id, name: p.name, similarity: 0.87 } }; }],
  intersection: [
    (camera, t, n) => ({ camera, captureTime: t, type: 'plate', confidence: 0.95, track: PLATES[n % 3]!, boxes: [glide(t, 0.6, 0.12, 0.06, PLATES[n % 3]!)], attributes: { text: PLATES[n % 3]!, watchlistHit: n % 3 === 0, watchlist: 'wanted' } }),
    (camera, t, n) => ({ camera, captureTime: t, type: 'traffic_violation', confidence: 0.9, track: `v${n}`, boxes: [glide(t, 0.55, 0.18, 0.12, 'car')], attributes: { violation: 'red_light', plate: PLATES[(n + 1) % 3]! } }),
  ],
  highway: [(camera, t, n) => ({ camera, captureTime: t, type: 'traffic_violation', confidence: 0.93, track: `h${n}`, boxes: [glide(t, 0.5, 0.15, 0.1, 'car')], attributes: { violation: 'speeding', speedKmh: 128 + (n % 20), limitKmh: 90, plate: PLATES[n % 3]! } })],
  crossing: [(camera, t, n) => ({ camera, captureTime: t, type: 'traffic_violation', confidence: 0.88, track: `c${n}`, zones: ['crosswalk'], boxes: [glide(t, 0.5, 0.2, 0.12, 'car')], attributes: { violation: 'pedestrian_crossing', plate: PLATES[(n + 2) % 3]! } })],
  park: [(camera, t, n) => ({ camera, captureTime: t, type: 'abandoned_object', confidence: 0.8, track: `b${n}`, boxes: [box(0.45, 0.7, 0.06, 0.08, 'bag')], attributes: { class: 'bag', dwellSec: 180 + n } })],
  metro: [(camera, t, n) => ({ camera, captureTime: t, type: 'crowd', confidence: 0.85, track: 'crowd', boxes: [box(0.1, 0.3, 0.8, 0.6, 'crowd')], attributes: { count: 140 + (n % 30), limit: 120 } })],
  'night-street': [(camera, t, n) => ({ camera, captureTime: t, type: 'motion', confidence: 0.7, track: `m${n}`, boxes: [glide(t, 0.4, 0.1, 0.25, 'motion')], attributes: { area: 0.04 } })],
};
const TAMPER: Maker = (camera, t, n) => ({ camera, captureTime: t, type: 'tamper', confidence: 0.9, attributes: { kind: (['blurred', 'covered', 'moved'] as const)[n % 3]! } });

/** Tracked objects for the overlay layer: boxes that move every 250 ms (object events raise no alarm by default). */
const TRACKED: Record<string, { class: 'vehicle' | 'person'; y: number; w: number; h: number }> = {
  highway: { class: 'vehicle', y: 0.55, w: 0.14, h: 0.1 }, intersection: { class: 'vehicle', y: 0.6, w: 0.16, h: 0.12 },
  crossing: { class: 'person', y: 0.45, w: 0.05, h: 0.15 }, plaza: { class: 'person', y: 0.35, w: 0.05, h: 0.14 },
};

export interface DemoEvents { stop(): Promise<void> }

/** Publishes one event every `everyMs`, rotating through cameras and kinds; first a burst so every kind shows. */
export function startDemoEvents(opts: { mqttUrl: string; demoCityFile: string; knownCameras: () => string[]; log: Logger; everyMs?: number }): DemoEvents {
  const city = JSON.parse(readFileSync(opts.demoCityFile, 'utf8')) as { cameras: DemoCamera[] };
  const client = mqtt.connect(opts.mqttUrl, { clientId: `kuzet-demo-${Math.random().toString(36).slice(2, 8)}`, reconnectPeriod: 1000 });
  let n = 0;
  const plan = (): { cam: string; make: Maker }[] => {
    const known = new Set(opts.knownCameras());
    const out: { cam: string; make: Maker }[] = [];
    for (const c of city.cameras) if (known.has(c.id)) for (const make of BY_SCENE[c.scene] ?? []) out.push({ cam: c.id, make });
    const first = city.cameras.find((c) => known.has(c.id));
    if (first) out.push({ cam: first.id, make: TAMPER });
    return out;
  };
  const publish = (cam: string, make: Maker) => {
    const ev = make(cam, Date.now(), n++);
    client.publish(`kuzet/events/${cam}`, JSON.stringify(ev), { qos: 1 }, (err) => { if (err) opts.log.warn('demo event not published', { error: err.message }); });
  };
  client.once('connect', () => { for (const p of plan()) publish(p.cam, p.make); });
  const timer = setInterval(() => {
    const p = plan();
    const pick = p[n % Math.max(1, p.length)];
    if (pick && client.connected) publish(pick.cam, pick.make);
  }, opts.everyMs ?? 4000);
  timer.unref();
  const tracks = setInterval(() => {
    if (!client.connected) return;
    const known = new Set(opts.knownCameras());
    const t = Date.now();
    for (const c of city.cameras.filter((x) => known.has(x.id) && TRACKED[x.scene]).slice(0, 4)) {
      const o = TRACKED[c.scene]!;
      const ev: KuzetEventInput = { camera: c.id, captureTime: t, type: 'object', confidence: 0.8, track: `${c.id}-1`, boxes: [glide(t, o.y, o.w, o.h, o.class)], attributes: { class: o.class } };
      client.publish(`kuzet/events/${c.id}`, JSON.stringify(ev), { qos: 0 });
    }
  }, 250);
  tracks.unref();
  return { stop: () => { clearInterval(timer); clearInterval(tracks); return new Promise<void>((r) => client.end(false, {}, () => r())); } };
}
