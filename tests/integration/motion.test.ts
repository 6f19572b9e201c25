/**
 * Built-in motion detection end to end on real components: the camera simulator, the GStreamer media worker (key
 * frames decoded beside encoded delivery), the host's stream service and alarm engine (SQLite, embedded MQTT broker).
 * A camera whose scene moves raises motion alarms with boxes; the same stream fully masked raises none; bad settings
 * are refused with a reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { createHost, type Host } from '../../electron/host/host.js';
import { createLogger } from '../../electron/host/log.js';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 100)); }
}

const FULL = [[{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }]];
let sim: Simulator, host: Host, dir: string, source: string;

beforeAll(async () => {
  sim = await startSimulator({ camerasFile: 'none', extra: 4 });
  // a scene with real movement in its key frames (the park's cellular-automaton lawn changes every frame)
  source = (await sim.cameras()).find((c) => c.scene === 'park')!.id;
  dir = mkdtempSync(join(tmpdir(), 'kuzet-motion-'));
  process.env.KUZET_MQTT_PORT = '0';
  host = createHost({ dataDir: dir, shell: 'web', framesUrl: () => '/frames', log: createLogger({ quiet: true }) });
});

afterAll(async () => {
  await host?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const motionAlarms = async (cameraId: string): Promise<Alarm[]> =>
  (await host.internal['alarms.list']({ limit: 500 }, { clientId: 't' })).filter((a) => a.cameraId === cameraId && a.type === 'motion');

describe('motion detection', () => {
  it('refuses bad settings with the reason', async () => {
    const cam = { name: 'Bad', mainUrl: sim.url(source, 'main') };
    await expect(host.registry.add({ ...cam, motion: { enabled: true, sensitivity: 101 } })).rejects.toThrow(/motion sensitivity must be from 1 to 100/);
    await expect(host.registry.add({ ...cam, motion: { enabled: true, masks: [[{ x: 0, y: 0 }, { x: 1, y: 1 }]] } })).rejects.toThrow(/at least 3 points/);
    await expect(host.registry.add({ ...cam, motion: { enabled: true, masks: [[{ x: 0, y: 0 }, { x: 2, y: 0 }, { x: 1, y: 1 }]] } })).rejects.toThrow(/between 0 and 1/);
    await expect(host.registry.add({ ...cam, motion: { enabled: true, masks: [[{ x: 0, y: 0 }, { x: 0.5, y: 0.5 }, { x: 1, y: 1 }]] } })).rejects.toThrow(/enclose an area/);
    expect(host.registry.list()).toHaveLength(0);
  });

  it('a moving scene raises motion alarms with boxes; the same stream fully masked raises none', async () => {
    const streams = { mainUrl: sim.url(source, 'main'), subUrl: sim.url(source, 'sub') };
    await host.registry.add({ id: 'moving', name: 'Moving', ...streams, motion: { enabled: true, sensitivity: 60 } });
    await host.registry.add({ id: 'masked', name: 'Masked', ...streams, motion: { enabled: true, sensitivity: 100, masks: FULL } });
    await host.registry.add({ id: 'off', name: 'Off', ...streams });
    // no tile shows them: motion alone keeps a worker per analysed camera (sub-stream, key frames), none for 'off'
    await until(() => host.streams.statuses().filter((s) => s.state === 'live').length === 2, 20_000).catch((e: unknown) => { throw new Error(`${String(e)}: ${JSON.stringify(host.streams.statuses().map((s) => [s.cameraId, s.state, s.reason, s.message, s.counters]))}`); });
    expect(host.streams.statuses().map((s) => s.cameraId).sort()).toEqual(['masked', 'moving']);
    expect(host.streams.statuses().every((s) => s.profile === 'sub' && s.keyframeOnly)).toBe(true);
    const t0 = Date.now();
    await until(async () => (await motionAlarms('moving')).length > 0, 20_000).catch(async (e: unknown) => { throw new Error(`${String(e)}: ${JSON.stringify(await host.internal['alarms.stats']({}, { clientId: 't' }))}`); });
    const alarm = (await motionAlarms('moving'))[0]!;
    expect(alarm.priority).toBe(5);
    expect(alarm.boxes.length).toBeGreaterThan(0);
    expect(alarm.firstAt).toBeGreaterThan(t0 - 30_000); // capture time from the camera's clock, not zero
    expect(alarm.attributes.area).toBeGreaterThan(0);
    for (const b of alarm.boxes) expect(b.x + b.w <= 1.0001 && b.y + b.h <= 1.0001).toBe(true);
    // the masked camera watched the same pictures for at least as long
    await new Promise((r) => setTimeout(r, Math.max(0, 4000 - (Date.now() - t0))));
    expect(await motionAlarms('masked')).toEqual([]);
    expect(host.streams.statuses().find((s) => s.cameraId === 'masked')?.state).toBe('live');
  });

  it('switching motion off stops the analysis-only worker', async () => {
    const cam = host.registry.get('moving')!;
    await host.registry.update('moving', { name: cam.name, mainUrl: cam.mainUrl, subUrl: cam.subUrl, motion: { enabled: false, sensitivity: 60, masks: [] } });
    await until(() => !host.streams.statuses().some((s) => s.cameraId === 'moving'), 5000); // no grace period: no tile showed it
  });
});
