/**
 * The demo's analytics put their boxes on the scene's objects (electron/host/alarms/demo-events.ts). The simulator
 * runs on its scene clock as the demo runs it: on both streams of a camera, the frame sent with capture time c is
 * floor(c / 40) mod 250 (checked against its own truth reports). A demo event captured at c then carries the boxes
 * of that frame: compared with the scene truth the simulator reported for the frame it sent at c, and with the
 * pixels of that frame of the clip (the red car of the highway lies inside the event's box).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { CLIPS_DIR, ensureClips, sceneTruthTable, startSimulator, type SceneTruthTable, type SimTruth, type Simulator } from '../../native/simulator/control.js';
import { makeAlarm, sceneFrameOf, trackedEvent } from '../../electron/host/alarms/demo-events.js';
import { waitFor } from '../support/harness.js';

const CAMS = { 'airport-arrivals': 'highway', 'republic-square': 'plaza', 'abay-dostyk': 'intersection' } as const;
type Cam = keyof typeof CAMS;
let sim: Simulator;
let table: SceneTruthTable;
const got: SimTruth[] = [];

const iou = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) => {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)), iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (ix * iy) / (a.w * a.h + b.w * b.h - ix * iy);
};

beforeAll(async () => {
  await ensureClips();
  table = await sceneTruthTable();
  sim = await startSimulator({ only: Object.keys(CAMS), sceneClock: true });
  sim.onTruth((t) => got.push(t));
  for (const id of Object.keys(CAMS)) await sim.truth(id, true);
  // clients make the simulator send: 4 s of every stream (a stream falls into phase at its first key frame; how many
  // frames a loaded machine sends in that time varies: the checks below need a few phased frames per stream, not a rate)
  await Promise.all(Object.keys(CAMS).flatMap((id) => (['main', 'sub'] as const).map((p) =>
    promisify(execFile)('ffmpeg', ['-hide_banner', '-v', 'error', '-rtsp_transport', 'tcp', '-i', sim.url(id, p), '-t', '4', '-c', 'copy', '-f', 'null', '-'], { timeout: 60_000 }))));
  // the truth reports come over the control channel, a little after the frames: wait until every stream has the phased
  // frames the checks need (10 s at most; the first check says which stream fell short)
  const ready = () => (Object.keys(CAMS) as Cam[]).every((id) => phased(id, 'main').length >= 10 && phased(id, 'sub').length >= 10);
  await waitFor('phased truth reports of every stream', ready, 10_000, 20).catch(() => undefined);
}, 120_000);
afterAll(async () => { await sim?.close(); });

/** Truth reports of one stream from 1.2 s after its first frame (phased by then: key frames come every second). */
const phased = (cam: Cam, profile: 'main' | 'sub') => {
  const all = got.filter((t) => t.camera === cam && t.profile === profile);
  return all.filter((t) => t.captureMs >= all[0]!.captureMs + 1200);
};

describe('demo events against the scene truth', () => {
  it('scene clock: both streams of every camera send frame floor(capture / 40) mod 250, capture times mid-step', () => {
    for (const cam of Object.keys(CAMS) as Cam[]) for (const profile of ['main', 'sub'] as const) {
      const ts = phased(cam, profile);
      console.log(`[scene clock] ${cam}/${profile}: ${ts.length} phased frames checked`);
      expect(ts.length, `${cam}/${profile} phased frames (a CI run at load sent 30 in 1.8 s)`).toBeGreaterThanOrEqual(10);
      for (const t of ts) {
        expect(t.frame, `${cam}/${profile} at ${t.captureMs}`).toBe(sceneFrameOf(t.captureMs));
        expect(Math.abs((t.captureMs % 40) - 20), 'capture time in the middle of its 40 ms step').toBeLessThanOrEqual(3);
      }
    }
  });

  it('every alarm and tracked event sent at a capture time boxes the objects the simulator sent at that time', () => {
    let checked = 0;
    for (const cam of Object.keys(CAMS) as Cam[]) {
      const scene = CAMS[cam];
      for (const t of phased(cam, 'main').filter((_, i) => i % 5 === 0)) {
        const tracked = trackedEvent(table, scene, cam, t.captureMs);
        const truthObjs = t.objects.filter((o) => o.label !== 'marking');
        expect(tracked?.boxes?.length ?? 0).toBe(truthObjs.length);
        for (const o of truthObjs) expect(Math.max(...(tracked?.boxes ?? []).map((b) => iou(b, o))), `${cam} ${o.track} at frame ${t.frame}`).toBeGreaterThan(0.99);
        for (const kind of scene === 'plaza' ? ['face_match'] : scene === 'highway' ? ['speeding'] : ['plate', 'red_light']) {
          const made = makeAlarm(table, scene, kind, cam, t.captureMs, 0);
          expect(made, `${cam} ${kind}`).not.toBeNull();
          // the alarm is at this frame when its object is in the picture, else at an earlier frame: check only the former
          if (Math.abs(made!.event.captureTime - t.captureMs) > 3) continue;
          const o = t.objects.find((x) => x.track === made!.track)!;
          expect(o, `${cam} ${kind}: its object is in the frame sent`).toBeDefined();
          const b = made!.event.boxes![0]!;
          // the box lies on the object (a plate box is the lower middle of its car)
          expect(b.x).toBeGreaterThanOrEqual(o.x - 1e-9);
          expect(b.x + b.w).toBeLessThanOrEqual(o.x + o.w + 1e-9);
          expect(b.y).toBeGreaterThanOrEqual(o.y - 1e-9);
          expect(b.y + b.h).toBeLessThanOrEqual(o.y + o.h + 0.01);
          if (kind !== 'plate') expect(iou(b, o)).toBeGreaterThan(0.99);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('in the picture: the highway\'s speeding alarm box holds the red car\'s pixels of the frame sent at its capture time', () => {
    const ts = phased('airport-arrivals', 'main').filter((t) => t.objects.some((o) => o.track === 'car-red' && o.x > 0.1 && o.x < 0.8));
    expect(ts.length).toBeGreaterThan(5);
    const sample = [ts[0]!, ts[Math.floor(ts.length / 2)]!, ts.at(-1)!];
    const select = sample.map((t) => `eq(n\\,${t.frame})`).join('+');
    const raw = execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-i', join(CLIPS_DIR, 'highway-720p.h264'), '-vf', `select='${select}'`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
    // ffmpeg returns the selected frames in clip order
    const order = [...sample].sort((a, b) => a.frame - b.frame);
    for (const [i, t] of order.entries()) {
      const rgb = raw.subarray(i * 1280 * 720 * 3, (i + 1) * 1280 * 720 * 3);
      let lo = 1280, hi = -1, top = 720, bottom = -1;
      for (let y = 380; y < 480; y++) for (let x = 0; x < 1280; x++) {
        const k = (y * 1280 + x) * 3;
        if (rgb[k]! > 140 && rgb[k + 1]! < 90 && rgb[k + 2]! < 90) { lo = Math.min(lo, x); hi = Math.max(hi, x); top = Math.min(top, y); bottom = Math.max(bottom, y); }
      }
      expect(hi, `red car visible in frame ${t.frame}`).toBeGreaterThan(lo);
      // the tracked box of the red car at this capture time (the speeding alarm boxes the first vehicle it sees)
      const box = trackedEvent(table, 'highway', 'airport-arrivals', t.captureMs)!.boxes!.find((b) => Math.abs(b.y - 400 / 720) < 0.01)!;
      expect(lo / 1280, `frame ${t.frame}: car's left edge in the box`).toBeGreaterThanOrEqual(box.x - 3 / 1280);
      expect((hi + 1) / 1280, `frame ${t.frame}: car's right edge in the box`).toBeLessThanOrEqual(box.x + box.w + 3 / 1280);
      expect(top / 720).toBeGreaterThanOrEqual(box.y - 3 / 720);
      expect((bottom + 1) / 720).toBeLessThanOrEqual(box.y + box.h + 3 / 720);
    }
  });
});
