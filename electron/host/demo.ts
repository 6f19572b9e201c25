/**
 * Demo city: starts the camera simulator (real RTSP cameras from pre-encoded clips, on its scene clock so the
 * analytics know where the objects are) and points the registry at it. On the first start the registry is seeded
 * and the demo's recording defaults are applied (resources/demo-city.json, "recording"); later starts only re-point
 * the demo cameras' URLs and keep whatever the operator changed.
 */
import { dirname, join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ensureClips, sceneTruthTable, startSimulator, type Simulator } from '../../native/simulator/control.js';
import { RECORD_ONLY_SIZE } from './streams/recording-demand.js';
import { DEFAULT_RETENTION } from './recording/review-store.js';
import type { Host } from './host.js';
import type { Logger } from './log.js';
import { startDemoUnits } from './map/demo-units.js';
import { seedDemoScenario } from './training/demo-scenario.js';
import { startDemoPlates } from './plates/demo-plates.js';
import { demoCameras } from '../../native/simulator/control.js';

export interface DemoOptions { root: string; extra?: number; rtspPort?: number }

/** What the demo records on its first start: a few cameras of the wall, within a small quota (docs/recording.md). */
const DemoRecording = z.object({
  cameras: z.array(z.string()).max(64),
  mode: z.enum(['continuous', 'event']),
  quotaMB: z.number().int().min(16).max(1_000_000),
  maxAgeDays: z.number().min(0.001).max(3650),
  /** Record each camera's sub-stream too (small review tiles play it; absent: on, the recording default). */
  subStream: z.boolean().optional(),
});

function applyDemoRecording(host: Host, file: string, log: Logger): void {
  const parsed = z.object({ recording: DemoRecording.optional() }).safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) { log.warn('demo recording defaults unreadable: the demo records nothing', { error: parsed.error.issues[0]?.message }); return; }
  const rec = parsed.data.recording;
  if (!rec) return;
  // the demo's quota must only ever delete the demo's own footage
  const elsewhere = process.env.KUZET_RECORDINGS;
  if (elsewhere) { log.warn('KUZET_RECORDINGS is set: the demo does not switch recording on there', { root: resolve(elsewhere) }); return; }
  const recording = host.review.recording;
  recording.setRetention({ ...DEFAULT_RETENTION, maxAgeDays: rec.maxAgeDays, quotaBytes: rec.quotaMB * 1_048_576 });
  const known = new Set(host.registry.list().map((c) => c.id));
  for (const cameraId of rec.cameras.filter((id) => known.has(id))) recording.configure({ cameraId, mode: rec.mode, preMs: 10_000, postMs: 30_000, subStream: rec.subStream ?? true });
  log.info('demo recording on', { cameras: rec.cameras.length, mode: rec.mode, quotaMB: rec.quotaMB, subStream: rec.subStream ?? true });
}

export async function startDemo(host: Host, opts: DemoOptions): Promise<Simulator> {
  const log = host.log.child('demo');
  await ensureClips();
  const [sim, truth] = await Promise.all([
    startSimulator({ extra: opts.extra ?? 0, sceneClock: true, klv: true, ...(opts.rtspPort ? { rtspPort: opts.rtspPort } : {}) }),
    sceneTruthTable(),
  ]);
  const urlFor = (id: string, profile: 'main' | 'sub') => sim.url(id, profile);
  const file = join(opts.root, 'resources', 'demo-city.json');
  const seeded = host.registry.seedFromDemoCity(file, urlFor);
  if (!seeded) host.registry.repointDemoCameras(urlFor);
  else applyDemoRecording(host, file, log);
  host.wall.ensureDefaultWall();
  // the sample training scenario (issue 11): the demo's recorded cameras in its first minutes
  seedDemoScenario({ root: opts.root, dataDir: dirname(host.settings.path), log: log.child('training') });
  // a camera a tile shows is decoded larger than the thumbnail a recorded-only camera is checked at
  const watchedCameras = () => host.streams.statuses().filter((s) => s.width > RECORD_ONLY_SIZE.width).map((s) => s.cameraId);
  await host.alarms.startDemoEvents(file, { truth, watchedCameras });
  // Moving units on the map (issue 10): telemetry through the same broker as real units; stops with the host.
  const info = await host.alarms.handlers['alarms.info']({}, { clientId: 'demo' });
  host.map.addDemo(startDemoUnits({ mqttUrl: info.mqttUrl, log: log.child('units') }));
  // Where did it go (issue 10 §4): the traffic cameras read the plates of a few cars driving through the district.
  host.map.addDemo(startDemoPlates({ mqttUrl: info.mqttUrl, cameras: demoCameras(file), knownCameras: () => host.registry.list().map((c) => c.id), truth, log: log.child('plates') }));
  // The KLV drone: position and footprint from the MISB ST 0601 metadata in its own MPEG-TS stream.
  if (sim.klv) host.map.addKlvSource({ url: sim.klv.url, unitId: sim.klv.unitId, cameraId: sim.klv.camera });
  log.info('demo city running', { rtsp: sim.rtspBase, cameras: host.registry.list().length, seeded });
  return sim;
}
