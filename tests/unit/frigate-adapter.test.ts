/** The Frigate adapter (pure) against Frigate's own message shapes (tests/support/frigate/*.json, as Frigate sends them). */
import { describe, expect, it } from 'vitest';
import { KuzetEvent } from '../../electron/contract/events-schema.js';
import {
  FRIGATE_UPDATE_TOPIC, frigateDirectory, fromFrigateEvent, fromFrigateUpdate, normaliseBox, type FrigateCameraFacts, type FrigateContext, type FrigateResult, type FrigateTrack,
} from '../../electron/host/alarms/frigate-adapter.js';
import { frigateMessages, type FrigateFixture } from '../support/frigate-fixtures.js';

const cameras: FrigateCameraFacts[] = [
  { id: 'porch', frigate: { names: ['front_door'], detectWidth: 1280, detectHeight: 720 }, probe: { main: { ok: true, width: 1920, height: 1080 } } },
  { id: 'abay-dostyk', frigate: { names: ['abay_crossing'] }, probe: { main: { ok: true, width: 1280, height: 720 }, sub: { ok: true, width: 640, height: 360 } } },
  { id: 'gate_2', probe: { main: { ok: true, width: 1280, height: 720 } } },
  { id: 'garage', frigate: { names: ['garage_east'] } },
  { id: 'yard' },
];

/** The engine's part: the directory and the tracks it remembers. */
function context(list = cameras): FrigateContext & { feed(m: FrigateFixture): FrigateResult } {
  const target = frigateDirectory(list);
  const tracks = new Map<string, FrigateTrack>();
  const ctx: FrigateContext = { target, track: (id) => tracks.get(id) };
  return {
    ...ctx,
    feed(m) {
      const r = m.topic === FRIGATE_UPDATE_TOPIC ? fromFrigateUpdate(m.payload, ctx) : fromFrigateEvent(m.payload, ctx);
      if ('event' in r) tracks.set(r.frigateId, r.track);
      return r;
    },
  };
}
const event = (r: FrigateResult) => {
  if (!('event' in r)) throw new Error(`skipped: ${r.skip}: ${r.detail}`);
  const parsed = KuzetEvent.safeParse(r.event);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
};
const near = (b: { x: number; y: number; w: number; h: number } | undefined, x: number, y: number, w: number, h: number) => {
  expect(b).toBeDefined();
  for (const [got, want] of [[b!.x, x], [b!.y, y], [b!.w, w], [b!.h, h]] as const) expect(got).toBeCloseTo(want, 6);
};

describe('Frigate camera directory', () => {
  it('maps named Frigate cameras, falls back to a slug only for cameras that name none, and knows each detect size', () => {
    const dir = frigateDirectory(cameras);
    expect(dir('front_door')).toEqual({ cameraId: 'porch', detect: { width: 1280, height: 720, from: 'setting' } });
    expect(dir('abay_crossing')).toEqual({ cameraId: 'abay-dostyk', detect: { width: 640, height: 360, from: 'sub-stream probe' } });
    expect(dir('Gate_2')).toEqual({ cameraId: 'gate_2', detect: { width: 1280, height: 720, from: 'main-stream probe' } });
    expect(dir('yard')).toEqual({ cameraId: 'yard', detect: null });
    expect(dir('garage')).toBeNull(); // camera 'garage' names its Frigate camera (garage_east): no slug match
    expect(dir('garage_east')?.cameraId).toBe('garage');
    expect(dir('porch')).toBeNull();
  });

  it('normalises [x1, y1, x2, y2] pixels of the detect size and clamps to the frame', () => {
    near(normaliseBox([320, 180, 640, 540], { width: 1280, height: 720 }) ?? undefined, 0.25, 0.25, 0.25, 0.5);
    near(normaliseBox([1200, 700, 1400, 800], { width: 1280, height: 720 }) ?? undefined, 0.9375, 700 / 720, 0.0625, 20 / 720);
    expect(normaliseBox([1, 2, 3], { width: 640, height: 360 })).toBeNull();
    expect(normaliseBox(['1', 2, 3, 4], { width: 640, height: 360 })).toBeNull();
  });
});

describe('frigate/events and frigate/tracked_object_update', () => {
  it('a person: new -> object, update with sub_label [name, score] -> face_match, face update by id, description, end with the final box', () => {
    const ctx = context();
    const [mNew, mUpdate, mFace, mDescription, mEnd] = frigateMessages('person-front-door');
    const n = event(ctx.feed(mNew!));
    expect(n).toMatchObject({ id: 'frigate-1796290200.512381-k2x9qa-1796290200512', camera: 'porch', type: 'object', captureTime: 1796290200512,
      track: '1796290200.512381-k2x9qa', zones: ['porch'], attributes: { class: 'person', label: 'person', stationary: false } });
    expect(n.confidence).toBeCloseTo(0.83984375, 6);
    expect(n.endTime).toBeUndefined();
    near(n.boxes[0], 424 / 1280, 500 / 720, 112 / 1280, 212 / 720);

    const u = event(ctx.feed(mUpdate!));
    expect(u).toMatchObject({ type: 'face_match', captureTime: 1796290202085, zones: ['porch', 'walkway'],
      attributes: { watchlist: 'frigate', personId: 'Aidos Serikbayev', name: 'Aidos Serikbayev', similarity: 0.91 } });
    expect(u.boxes[0]?.label).toBe('person: Aidos Serikbayev');

    const f = event(ctx.feed(mFace!));
    expect(f).toMatchObject({ id: 'frigate-1796290200.512381-k2x9qa-face-1796290203102', camera: 'porch', type: 'face_match', captureTime: 1796290203102,
      track: '1796290200.512381-k2x9qa', attributes: { personId: 'Aidos Serikbayev', similarity: 0.93 } });
    near(f.boxes[0], 432 / 1280, 496 / 720, 112 / 1280, 208 / 720); // the track's last box

    const d = event(ctx.feed(mDescription!));
    expect(d).toMatchObject({ type: 'object', camera: 'porch', captureTime: 1796290203102, attributes: { class: 'person', description: expect.stringContaining('rings the bell') } });

    const e = event(ctx.feed(mEnd!));
    expect(e).toMatchObject({ id: 'frigate-1796290200.512381-k2x9qa-end', type: 'face_match', captureTime: 1796290209731, endTime: 1796290210532,
      zones: ['porch', 'walkway'] }); // current_zones is empty at the end; entered_zones stays
    near(e.boxes[0], 640 / 1280, 480 / 720, 96 / 1280, 220 / 720);
  });

  it('a car: boxes in pixels of the probed 640x360 sub-stream, recognized_license_plate (+ score) -> plate, lpr update, end', () => {
    const ctx = context();
    const [mNew, mPlate, mLpr, mEnd] = frigateMessages('car-abay-crossing');
    const n = event(ctx.feed(mNew!));
    expect(n).toMatchObject({ camera: 'abay-dostyk', type: 'object', zones: ['crossing'], attributes: { class: 'vehicle', label: 'car', stationary: false } });
    near(n.boxes[0], 96 / 640, 0.5, 0.25, 0.25);
    const p = event(ctx.feed(mPlate!));
    expect(p).toMatchObject({ type: 'plate', zones: ['crossing'], attributes: { text: '777ABZ02', watchlistHit: false } });
    expect(p.confidence).toBeCloseTo(0.934451, 6);
    expect(p.boxes[0]?.label).toBe('car 777ABZ02');
    const l = event(ctx.feed(mLpr!));
    expect(l).toMatchObject({ id: 'frigate-1796290204.118214-r7m1zt-lpr-1796290205042', type: 'plate', camera: 'abay-dostyk', attributes: { text: '777ABZ02', watchlistHit: false } });
    near(l.boxes[0], 288 / 640, 184 / 360, 160 / 640, 92 / 360);
    const e = event(ctx.feed(mEnd!));
    expect(e).toMatchObject({ type: 'plate', endTime: 1796290217200, captureTime: 1796290216401 });
    near(e.boxes[0], 0.75, 200 / 360, 144 / 640, 90 / 360);
  });

  it('sub_label as null, a plain string (older Frigate) or on a car (a known plate owner); an lpr update with a known name', () => {
    const ctx = context();
    const after = { id: '1796290300.1-aaaaaa', camera: 'front_door', label: 'person', frame_time: 1796290300.5, top_score: 0.8, box: [0, 0, 128, 72], sub_label: null };
    expect(event(fromFrigateEvent({ type: 'new', before: {}, after }, ctx)).type).toBe('object');
    expect(event(fromFrigateEvent({ type: 'update', before: {}, after: { ...after, sub_label: 'Dana' } }, ctx))).toMatchObject({ type: 'face_match', attributes: { personId: 'Dana', similarity: 0.8 } });
    expect(event(fromFrigateEvent({ type: 'update', before: {}, after: { ...after, label: 'car', sub_label: ["Dana's car", 0.97] } }, ctx)))
      .toMatchObject({ type: 'object', attributes: { class: 'vehicle', subLabel: "Dana's car" } });
    expect(event(fromFrigateEvent({ type: 'update', before: {}, after: { ...after, label: 'car', sub_label: ["Dana's car", 0.97], recognized_license_plate: '505AAA05' } }, ctx)))
      .toMatchObject({ type: 'plate', attributes: { text: '505AAA05', watchlistHit: true, watchlist: 'frigate' } });
    expect(event(fromFrigateUpdate({ type: 'lpr', id: 'z', name: "Dana's car", plate: '505AAA05', score: 0.95, camera: 'front_door', timestamp: 1796290301 }, ctx)))
      .toMatchObject({ type: 'plate', captureTime: 1796290301000, boxes: [], attributes: { watchlistHit: true } });
  });

  it('no detect size known: the event is kept without boxes', () => {
    const ctx = context();
    const r = event(fromFrigateEvent({ type: 'new', before: {}, after: { id: 'q', camera: 'yard', label: 'dog', frame_time: 1796290300, box: [1, 2, 3, 4] } }, ctx));
    expect(r).toMatchObject({ camera: 'yard', boxes: [], attributes: { class: 'animal', label: 'dog' } });
  });

  it('skips with a reason: false positives, unmapped cameras, malformed messages, unknown tracks, unused update types', () => {
    const ctx = context();
    for (const m of frigateMessages('skipped')) {
      const r = ctx.feed(m);
      expect(r, JSON.stringify(m.payload).slice(0, 120)).toMatchObject({ skip: m.expect });
      expect((r as { detail: string }).detail.length).toBeGreaterThan(10);
    }
    const bad: [unknown, string][] = [
      [null, 'invalid'], ['end', 'invalid'], [{ type: 'new' }, 'invalid'], [{ type: 'new', after: { id: 'a', camera: 'front_door' } }, 'invalid'],
      [{ type: 'new', after: { id: 'a', camera: 'front_door', label: 'person' } }, 'invalid'],
    ];
    for (const [msg, reason] of bad) expect(fromFrigateEvent(msg, ctx)).toMatchObject({ skip: reason });
    expect(fromFrigateUpdate({ type: 'face', id: 'nobody', name: 'unknown', score: 0.4, camera: 'front_door', timestamp: 1796290300 }, ctx)).toMatchObject({ skip: 'unsupported' });
    expect(fromFrigateUpdate({ type: 'lpr', id: 'nobody', camera: 'front_door', timestamp: 1796290300 }, ctx)).toMatchObject({ skip: 'invalid' });
    expect(fromFrigateUpdate({ type: 'face', id: 'nobody', name: 'Dana', camera: 'nowhere', timestamp: 1796290300 }, ctx)).toMatchObject({ skip: 'unknown-camera' });
    expect(fromFrigateUpdate({ type: 'face', name: 'Dana' }, ctx)).toMatchObject({ skip: 'invalid' });
  });
});
