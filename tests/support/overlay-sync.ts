/**
 * Overlay sync against the simulator's ground truth, shared by tests/e2e/overlay-sync.test.ts and bench:alarms.
 *
 * A simulator of our own serves one highway camera in truth mode: for every frame it sends it reports the clip
 * frame, that frame's capture time on its wall clock (the clock RTCP sender reports carry to Kuzet) and where the
 * scene's moving objects are (native/simulator/sim_scenes.py). A small analytics stand-in publishes the red car's
 * true box for each frame to Kuzet's MQTT broker with that capture time (event model v1), `delayMs` after capture
 * (`stalls`: now and then the analytics stall, then send what they held back in one burst, in order, as a loaded
 * machine does; their results then reach Kuzet after the pictures).
 * On the wall, in Chromium, the tile is read back repeatedly: the red car's centre in the painted picture against
 * the centre of the overlay box drawn on the same paint. The car moves 444 px/s of 1280 (17.8 px per frame), so
 * the horizontal distance divided by that speed is the sync error in frames (x 40 ms).
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { startSimulator, type Simulator, type SimTruth } from '../../native/simulator/control.js';
import type { ApiClient } from './api-client.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { percentile } from './procfs.js';

export const GT_SIM_CAMERA = 'airport-arrivals'; // demo-city camera with scene "highway"
export const GT_CAMERA = 'gt-highway';
export const GT_TRACK = 'car-red';
const FRAME_MS = 40;
/** The red car's speed in the 1280-px-wide scene (sim_scenes.py: x = mod(T*444, 1480) - 100). */
const CAR_PX_PER_FRAME_1280 = 444 / 25;

export interface GroundTruthFeed {
  sim: Simulator;
  /** Events published so far. */
  published(): number;
  /** Frames the simulator reported. */
  frames(): number;
  close(): Promise<void>;
}

/** Starts the truth-mode simulator, adds its camera to Kuzet and publishes the red car's true box per frame. */
/** Analytics stalls: each frame starts one with probability `share`, lasting `minMs`..`maxMs`. */
export interface AnalyticsStalls { share: number; minMs: number; maxMs: number }

export async function startGroundTruth(api: ApiClient, opts: { delayMs?: number; stalls?: AnalyticsStalls } = {}): Promise<GroundTruthFeed> {
  const delayMs = opts.delayMs ?? 0;
  const stalls = opts.stalls;
  let lastAt = 0; // results are published in capture order, as one analytics process would
  const sim = await startSimulator({ only: [GT_SIM_CAMERA] });
  let pub: MqttClient | undefined;
  try {
    // Main stream only: the truth of the stream Kuzet decodes (each stream has its own capture times).
    await api.call('cameras.add', { camera: { id: GT_CAMERA, name: 'Ground truth (highway)', mainUrl: sim.url(GT_SIM_CAMERA, 'main') }, probe: false });
    const { mqttUrl } = await api.call('alarms.info', {});
    pub = await mqtt.connectAsync(mqttUrl, { clientId: 'overlay-ground-truth' });
  } catch (e) {
    await sim.close();
    throw e;
  }
  const client = pub;
  let published = 0, frames = 0;
  const timers = new Set<NodeJS.Timeout>();
  const send = (t: SimTruth): void => {
    const car = t.objects.find((o) => o.track === GT_TRACK);
    if (!car) return;
    const ev = { id: `gt-${t.captureMs}`, captureTime: t.captureMs, type: 'object', track: GT_TRACK, confidence: 1,
      boxes: [{ x: car.x, y: car.y, w: car.w, h: car.h, label: '' }], attributes: { class: 'vehicle' } };
    client.publish(`kuzet/events/${GT_CAMERA}`, JSON.stringify(ev), { qos: 0 });
    published++;
  };
  const off = sim.onTruth((t) => {
    if (t.camera !== GT_SIM_CAMERA || t.profile !== 'main') return;
    frames++;
    // The simulator reports a frame when it queues it (up to a few frames before its capture time): analytics
    // publish at capture time + their own delay.
    const stall = stalls && Math.random() < stalls.share ? stalls.minMs + Math.random() * (stalls.maxMs - stalls.minMs) : 0;
    const at = Math.max(lastAt, t.captureMs + delayMs + stall);
    lastAt = at;
    const wait = at - Date.now();
    if (wait <= 0) { send(t); return; }
    const timer = setTimeout(() => { timers.delete(timer); send(t); }, wait);
    timers.add(timer);
  });
  await sim.truth(GT_SIM_CAMERA, true);
  return {
    sim,
    published: () => published,
    frames: () => frames,
    async close() {
      off();
      for (const t of timers) clearTimeout(t);
      await client.endAsync().catch(() => undefined);
      await sim.close();
    },
  };
}

/** One read-back of the tile: where the car is in the painted picture and where its box was drawn (picture px). */
export interface SyncSample {
  carX: number | null; boxX: number | null; fitW: number;
  /** For a failure's report: the red and blue column extents, and the overlay layer's last paint (capture time, observations drawn). */
  detail?: { red: [number, number] | null; blue: [number, number] | null; paint: unknown };
}

/**
 * Puts the ground-truth camera alone on the wall, with the boxes layer only: the tracks layer draws the car's path
 * along its box's bottom edge in the box's colour (across the picture when the car wraps), which the read-back
 * would take for a box.
 */
export async function showGroundTruthCamera(api: ApiClient): Promise<void> {
  const layout = { ...makePresetLayout('1', [GT_CAMERA], 'live', 'Live'), layers: { boxes: true, labels: false, tracks: false, zones: false } };
  await api.call('wall.setLayout', { displayId: 'main', layout });
}

/** Reads the ground-truth tile every `everyMs` for `durationMs` inside the page (one round trip). */
export async function sampleSync(page: Page, durationMs: number, everyMs = 110): Promise<SyncSample[]> {
  return page.evaluate(async ({ durationMs, everyMs, cam }) => {
    const k = (window as unknown as { __kuzet: { tiles(): Array<{ index: number; cameraId: string | null; rect: { x: number; y: number; w: number; h: number } }> } }).__kuzet;
    const canvas = document.querySelector('canvas') as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('wall canvas is not 2d');
    const out: Array<{ carX: number | null; boxX: number | null; fitW: number; detail: { red: [number, number] | null; blue: [number, number] | null; paint: unknown } }> = [];
    const end = performance.now() + durationMs;
    while (performance.now() < end) {
      const t = k.tiles().find((x) => x.cameraId === cam);
      if (t) {
        const b = canvas.getBoundingClientRect();
        const s = canvas.width / b.width;
        const box = { x: (t.rect.x - b.left) * s, y: (t.rect.y - b.top) * s, w: t.rect.w * s, h: t.rect.h * s };
        const scale = Math.min(box.w / 16, box.h / 9);
        const w = Math.round(16 * scale), h = Math.round(9 * scale);
        const x0 = Math.round(box.x + (box.w - w) / 2), y0 = Math.round(box.y + (box.h - h) / 2);
        // The car's rows (y 400..460 of 720) with its box's top and bottom edges around them.
        const ya = y0 + Math.floor((385 / 720) * h), yb = y0 + Math.ceil((475 / 720) * h);
        const px = ctx.getImageData(x0, ya, w, yb - ya).data;
        const rows = yb - ya;
        const red = new Uint16Array(w), blue = new Uint16Array(w);
        for (let y = 0; y < rows; y++) {
          for (let x = 0; x < w; x++) {
            const i = (y * w + x) * 4;
            const r = px[i]!, g = px[i + 1]!, bl = px[i + 2]!;
            if (r > 140 && g < 90 && bl < 90) red[x]!++; // the car, 0xd02020 (+ camera noise)
            else if (bl > 235 && g > 165 && g < 225 && r > 120 && r < 190) blue[x]!++; // the 'object' box stroke, #9cc3ff
          }
        }
        const extent = (a: Uint16Array, min: number): number | null => {
          let lo = -1, hi = -1;
          for (let x = 0; x < w; x++) if (a[x]! >= min) { if (lo < 0) lo = x; hi = x; }
          return lo < 0 ? null : (lo + hi + 1) / 2;
        };
        const span = (a: Uint16Array, min: number): [number, number] | null => {
          let lo = -1, hi = -1;
          for (let x = 0; x < w; x++) if (a[x]! >= min) { if (lo < 0) lo = x; hi = x; }
          return lo < 0 ? null : [lo, hi];
        };
        const paints = (window as unknown as { __kuzetOverlay?: { paints: unknown[] } }).__kuzetOverlay?.paints ?? [];
        out.push({ carX: extent(red, Math.max(2, rows / 8)), boxX: extent(blue, 2), fitW: w,
          detail: { red: span(red, Math.max(2, rows / 8)), blue: span(blue, 2), paint: paints.slice(-3) } });
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
    return out;
  }, { durationMs, everyMs, cam: GT_CAMERA });
}

export interface SyncResult {
  /** Samples with the car well inside the picture. */
  samples: number;
  /** Of those, samples where no box was drawn near the car. */
  noBox: number;
  /** |box - car| converted to time: median and p95 (ms), and the largest. */
  medianMs: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  /** Mean signed error in frames: negative = the box trails the car (older metadata than the picture). */
  meanFrames: number | null;
}

export interface PictureSyncResult {
  /** Read-backs with the car well inside the picture, and of those the ones with a box drawn near the car. */
  samples: number;
  boxed: number;
  /** Read-backs whose box is not on the car of the painted picture (more than half a frame of its motion away). */
  offPicture: Array<{ carX: number; boxX: number; frames: number; detail?: SyncSample['detail'] }>;
}

/**
 * What the product guarantees, independent of load: every box drawn sits on the car of the picture it is drawn on
 * (within half a frame of the car's motion), or no box is drawn. A box from another picture is a frame or more away.
 */
export function pictureSync(samples: readonly SyncSample[]): PictureSyncResult {
  const r: PictureSyncResult = { samples: 0, boxed: 0, offPicture: [] };
  for (const s of samples) {
    if (s.carX === null || s.carX < 0.12 * s.fitW || s.carX > 0.88 * s.fitW) continue;
    r.samples++;
    if (s.boxX === null) continue;
    const pxPerFrame = (CAR_PX_PER_FRAME_1280 * s.fitW) / 1280;
    const frames = (s.boxX - s.carX) / pxPerFrame;
    r.boxed++;
    if (Math.abs(frames) >= 0.5) r.offPicture.push({ carX: s.carX, boxX: s.boxX, frames: Math.round(frames * 100) / 100, detail: s.detail });
  }
  return r;
}

/** Converts read-backs to sync errors (bench:alarms). The car is used only when well inside the picture (not at the wrap). */
export function syncErrors(samples: readonly SyncSample[]): SyncResult {
  const errs: number[] = [];
  let n = 0, noBox = 0, signed = 0;
  for (const s of samples) {
    if (s.carX === null || s.carX < 0.12 * s.fitW || s.carX > 0.88 * s.fitW) continue;
    n++;
    const pxPerFrame = (CAR_PX_PER_FRAME_1280 * s.fitW) / 1280;
    if (s.boxX === null || Math.abs(s.boxX - s.carX) > 10 * pxPerFrame) { noBox++; continue; }
    const frames = (s.boxX - s.carX) / pxPerFrame;
    signed += frames;
    errs.push(Math.abs(frames) * FRAME_MS);
  }
  const r = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return { samples: n, noBox, medianMs: r(percentile(errs, 50)), p95Ms: r(percentile(errs, 95)), maxMs: errs.length ? r(Math.max(...errs)) : null,
    meanFrames: errs.length ? Math.round((signed / errs.length) * 100) / 100 : null };
}
