/**
 * The demo city's analytics: events over MQTT (the same path as real analytics) whose boxes are the scenes' true
 * objects. The simulator runs with its scene clock, so the clip frame a camera sends with capture time c is
 * floor(c / 40 ms) mod 250 on both of its streams, and native/simulator/sim_scenes.py says where every moving object
 * is at each frame (`sceneTruthTable`): an event captured at c carries the boxes of that frame, and the wall draws
 * it on the frame captured at c.
 *  - Tracked objects: every `trackEveryMs` (80 ms), one `object` event per camera a tile shows, with every visible
 *    object's box (object events raise no alarm; they feed the overlay layers).
 *  - Alarms, paced by demo-pace.ts (a few a minute, bursts now and then, no repeats): faces on a watch list on
 *    plazas, wanted plates and red lights at intersections, speeding on the highway, pedestrian-crossing violations,
 *    crowds at the metro, motion at night, each on an object of the picture; an abandoned bag in the park and a
 *    tampered camera carry no box (no scene draws a bag).
 */
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import type { Box, KuzetEventInput } from '../../contract/events-schema.js';
import type { DemoCamera, SceneTruthTable, SimTruthObject } from '../../../native/simulator/control.js';
import type { Logger } from '../log.js';
import { DEMO_PACE, startPacer, type PaceCandidate, type PaceOptions } from './demo-pace.js';

/** The simulator's frame period and clip loop (sim_scenes.py FPS and FRAMES). */
export const FRAME_MS = 40;
export const LOOP_FRAMES = 250;

/** The clip frame a scene-clock camera sends with capture time `captureMs`. */
export const sceneFrameOf = (captureMs: number): number => Math.floor(captureMs / FRAME_MS) % LOOP_FRAMES;
/** The capture time of the frame shown at `ms`: the simulator puts capture times in the middle of their 40 ms step. */
export const frameTime = (ms: number): number => Math.floor(ms / FRAME_MS) * FRAME_MS + FRAME_MS / 2;

/** The moving objects of `scene` at capture time `captureMs` (lane markings are paint, not objects). */
export function objectsAt(table: SceneTruthTable, scene: string, captureMs: number): SimTruthObject[] {
  return (table[scene]?.[sceneFrameOf(captureMs)] ?? []).filter((o) => o.label !== 'marking');
}

const inside = (o: SimTruthObject) => o.x + o.w / 2 > 0.08 && o.x + o.w / 2 < 0.92 && o.w > 0.01;
const boxOf = (o: Pick<SimTruthObject, 'x' | 'y' | 'w' | 'h'>, label: string): Box => ({ x: o.x, y: o.y, w: o.w, h: o.h, label });
function union(objs: SimTruthObject[], pad: number): Pick<SimTruthObject, 'x' | 'y' | 'w' | 'h'> {
  const x0 = Math.max(0, Math.min(...objs.map((o) => o.x)) - pad), y0 = Math.max(0, Math.min(...objs.map((o) => o.y)) - pad);
  const x1 = Math.min(1, Math.max(...objs.map((o) => o.x + o.w)) + pad), y1 = Math.min(1, Math.max(...objs.map((o) => o.y + o.h)) + pad);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/**
 * One track per camera for all its boxes: an alarm's box is replaced by the next tracked boxes (at most 80 ms later)
 * instead of staying on the picture for the overlay hold time while its object moves on.
 */
export const objectsTrack = (camera: string): string => `${camera}:objects`;

const PEOPLE = [{ id: 'P-0417', name: 'Wanted person 0417' }, { id: 'P-1290', name: 'Missing person 1290' }];
const PLATES = ['777ABZ02', '123KZA01', '505AAA05'];

/** An alarm the demo can raise: built from what the scene shows at one frame, or null when nothing fits there. */
type AlarmMaker = (camera: string, objs: SimTruthObject[], t: number, n: number) => { event: KuzetEventInput; track?: string; label?: string } | null;
const first = (objs: SimTruthObject[], label: string) => objs.find((o) => o.label === label && inside(o));

/** Alarm kinds by scene (the kind is the pacing unit: one camera never repeats a kind within 10 minutes). */
export const ALARMS: Record<string, Record<string, AlarmMaker>> = {
  plaza: {
    face_match: (camera, objs, t, n) => {
      const o = first(objs, 'person'); const p = PEOPLE[n % PEOPLE.length]!;
      return o ? { track: o.track, label: p.name, event: { camera, captureTime: t, type: 'face_match', confidence: 0.91, track: objectsTrack(camera), boxes: [boxOf(o, p.name)], attributes: { watchlist: 'wanted', personId: p.id, name: p.name, similarity: 0.87 } } } : null;
    },
  },
  intersection: {
    plate: (camera, objs, t, n) => {
      const o = first(objs, 'vehicle'); const plate = PLATES[n % 3]!;
      // the plate: the lower middle of the car as the camera sees it
      return o ? { track: o.track, label: plate, event: { camera, captureTime: t, type: 'plate', confidence: 0.95, track: objectsTrack(camera), boxes: [boxOf({ x: o.x + o.w * 0.3, y: o.y + o.h * 0.6, w: o.w * 0.4, h: o.h * 0.35 }, plate)], attributes: { text: plate, watchlistHit: n % 3 === 0, watchlist: 'wanted' } } } : null;
    },
    red_light: (camera, objs, t, n) => {
      const o = first(objs, 'vehicle');
      return o ? { track: o.track, label: 'red light', event: { camera, captureTime: t, type: 'traffic_violation', confidence: 0.9, track: objectsTrack(camera), boxes: [boxOf(o, 'car')], attributes: { violation: 'red_light', plate: PLATES[(n + 1) % 3]! } } } : null;
    },
  },
  highway: {
    speeding: (camera, objs, t, n) => {
      const o = first(objs, 'vehicle');
      return o ? { track: o.track, label: `${128 + (n % 20)} km/h`, event: { camera, captureTime: t, type: 'traffic_violation', confidence: 0.93, track: objectsTrack(camera), boxes: [boxOf(o, 'car')], attributes: { violation: 'speeding', speedKmh: 128 + (n % 20), limitKmh: 90, plate: PLATES[n % 3]! } } } : null;
    },
  },
  crossing: {
    pedestrian_crossing: (camera, objs, t) => {
      const o = first(objs, 'person');
      return o ? { track: o.track, label: 'crossing on red', event: { camera, captureTime: t, type: 'traffic_violation', confidence: 0.88, track: objectsTrack(camera), zones: ['crosswalk'], boxes: [boxOf(o, 'person')], attributes: { violation: 'pedestrian_crossing' } } } : null;
    },
  },
  park: {
    abandoned_object: (camera, _objs, t, n) => ({ event: { camera, captureTime: t, type: 'abandoned_object', confidence: 0.8, attributes: { class: 'bag', dwellSec: 180 + n } } }),
  },
  metro: {
    crowd: (camera, objs, t, n) => {
      const people = objs.filter((o) => o.label === 'person');
      return people.length ? { event: { camera, captureTime: t, type: 'crowd', confidence: 0.85, track: objectsTrack(camera), boxes: [boxOf(union(people, 0.02), 'crowd')], attributes: { count: 140 + (n % 30), limit: 120 } } } : null;
    },
  },
  'night-street': {
    motion: (camera, objs, t) => {
      const lamps = objs.filter((o) => o.track.startsWith('car-lamp') && inside(o));
      return lamps.length ? { track: lamps[0]!.track, label: 'motion', event: { camera, captureTime: t, type: 'motion', confidence: 0.7, track: objectsTrack(camera), boxes: [boxOf(union(lamps, 0.005), 'motion')], attributes: { area: 0.01 } } } : null;
    },
  },
};
const TAMPER: AlarmMaker = (camera, _objs, t, n) => ({ event: { camera, captureTime: t, type: 'tamper', confidence: 0.9, attributes: { kind: (['blurred', 'covered', 'moved'] as const)[n % 3]! } } });

/**
 * The alarm `kind` on a camera of `scene`, at the newest frame at or before `atMs` where it fits (searching back at
 * most one clip loop): capture time of that frame, boxes of that frame. Pure.
 */
export function makeAlarm(table: SceneTruthTable, scene: string, kind: string, camera: string, atMs: number, n: number): ReturnType<AlarmMaker> {
  const make = kind === 'tamper' ? TAMPER : ALARMS[scene]?.[kind];
  if (!make) return null;
  for (let i = 0, t = frameTime(atMs); i < LOOP_FRAMES; i++, t -= FRAME_MS) {
    const made = make(camera, objectsAt(table, scene, t), t, n);
    if (made) return made;
  }
  return null;
}

/** The tracked-object event of a camera at capture time `t`: every visible object, alarm labels kept on their object. */
export function trackedEvent(table: SceneTruthTable, scene: string, camera: string, t: number, labels: ReadonlyMap<string, string> = new Map()): KuzetEventInput | null {
  const objs = objectsAt(table, scene, t);
  if (!objs.length) return null;
  const cls = (o: SimTruthObject) => (o.label === 'person' || o.label === 'vehicle' || o.label === 'animal' ? o.label : 'other');
  // objects an alarm is about first: the tracks layer follows boxes[0]
  const ordered = [...objs].sort((a, b) => Number(labels.has(b.track)) - Number(labels.has(a.track)));
  return { camera, captureTime: t, type: 'object', confidence: 0.8, track: objectsTrack(camera), boxes: ordered.map((o) => boxOf(o, labels.get(o.track) ?? cls(o))), attributes: { class: cls(ordered[0]!) } };
}

interface Candidate extends PaceCandidate { camera: string; scene: string }

export interface DemoEvents { stop(): Promise<void> }

export interface DemoEventsOptions {
  mqttUrl: string;
  demoCityFile: string;
  knownCameras: () => string[];
  /** Cameras some tile shows now: they get tracked objects. */
  watchedCameras: () => string[];
  /** Where each scene's objects are at each clip frame (sim_scenes.py via `sceneTruthTable`). */
  truth: SceneTruthTable;
  log: Logger;
  trackEveryMs?: number;
  pace?: PaceOptions;
}

/** How long an alarm's label stays on its object in the tracked boxes. */
const LABEL_MS = 10_000;

export function startDemoEvents(opts: DemoEventsOptions): DemoEvents {
  const city = JSON.parse(readFileSync(opts.demoCityFile, 'utf8')) as { cameras: DemoCamera[] };
  const sceneOf = new Map(city.cameras.map((c) => [c.id, c.scene]));
  const client = mqtt.connect(opts.mqttUrl, { clientId: `kuzet-demo-${Math.random().toString(36).slice(2, 8)}`, reconnectPeriod: 1000 });
  const labels = new Map<string, Map<string, { label: string; until: number }>>();
  let n = 0;
  const candidates = (): Candidate[] => {
    const known = new Set(opts.knownCameras());
    const out: Candidate[] = [];
    const cams = city.cameras.filter((c) => known.has(c.id));
    for (const c of cams) for (const kind of Object.keys(ALARMS[c.scene] ?? {})) out.push({ key: `${c.id}|${kind}`, kind, camera: c.id, scene: c.scene });
    // tamper on the fixed cameras only (a drone or a body camera is not "moved")
    for (const c of cams.filter((x) => ['intersection', 'metro', 'night-street'].includes(x.scene))) out.push({ key: `${c.id}|tamper`, kind: 'tamper', camera: c.id, scene: c.scene });
    return out;
  };
  const fire = (c: Candidate) => {
    if (!client.connected) return;
    // analytics report a frame a moment after it was captured
    const made = makeAlarm(opts.truth, c.scene, c.kind, c.camera, Date.now() - 150, n++);
    if (!made) return;
    const ev = { id: `demo-${c.camera}-${c.kind}-${made.event.captureTime}`, ...made.event };
    if (made.track && made.label) {
      const m = labels.get(c.camera) ?? new Map<string, { label: string; until: number }>();
      m.set(made.track, { label: made.label, until: made.event.captureTime + LABEL_MS });
      labels.set(c.camera, m);
    }
    client.publish(`kuzet/events/${c.camera}`, JSON.stringify(ev), { qos: 1 }, (err) => { if (err) opts.log.warn('demo event not published', { error: err.message }); });
  };
  let pacer: { stop(): void } | null = null;
  client.once('connect', () => { pacer = startPacer(candidates, fire, opts.pace ?? DEMO_PACE); });

  const tracks = setInterval(() => {
    if (!client.connected) return;
    const known = new Set(opts.knownCameras());
    const t = frameTime(Date.now() - 60);
    for (const camera of new Set(opts.watchedCameras())) {
      const scene = sceneOf.get(camera);
      if (!scene || !known.has(camera)) continue;
      const live = new Map<string, string>();
      for (const [track, l] of labels.get(camera) ?? []) if (l.until > t) live.set(track, l.label);
      const ev = trackedEvent(opts.truth, scene, camera, t, live);
      if (ev) client.publish(`kuzet/events/${camera}`, JSON.stringify(ev), { qos: 0 });
    }
  }, opts.trackEveryMs ?? 2 * FRAME_MS);
  tracks.unref();
  return {
    stop: () => {
      pacer?.stop();
      clearInterval(tracks);
      return new Promise<void>((r) => client.end(false, {}, () => r()));
    },
  };
}
