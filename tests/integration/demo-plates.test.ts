/**
 * The demo's traffic cameras (electron/host/plates/demo-plates.ts) publish plate reads over the web shell's real MQTT
 * broker: every demo car's reads reach the plate index on its route's cameras, each plate's box lies on a car the
 * camera's scene shows at that capture time (the simulator's scene truth), and every n-th pass is a violation with the
 * car's plate in the review list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { demoCameras, sceneTruthTable, type SceneTruthTable } from '../../native/simulator/control.js';
import { objectsAt } from '../../electron/host/alarms/demo-events.js';
import { DEMO_CARS, startDemoPlates, TRAFFIC_SCENES } from '../../electron/host/plates/demo-plates.js';
import { createLogger } from '../../electron/host/log.js';

let shell: RunningShell;
let api: ApiClient;
let truth: SceneTruthTable;
let demo: { stop(): void } | null = null;
const cameras = demoCameras();
const traffic = cameras.filter((c) => (TRAFFIC_SCENES as readonly string[]).includes(c.scene));

beforeAll(async () => {
  truth = await sceneTruthTable();
  shell = await startWebShell({ env: { KUZET_MQTT_PORT: '0' } });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  for (const c of traffic) await api.call('cameras.add', { probe: false, camera: { id: c.id, name: c.name, mainUrl: `rtsp://127.0.0.1:9/${c.id}`, location: c.location } });
}, 120_000);

afterAll(async () => {
  demo?.stop();
  api?.close();
  await shell?.close();
});

describe('demo plate reads', () => {
  it("reach the index on each car's route, boxed on a car of the scene, with violations now and then", async () => {
    const { mqttUrl } = await api.call('alarms.info', {});
    demo = startDemoPlates({ mqttUrl, cameras, knownCameras: () => traffic.map((c) => c.id), truth, log: createLogger({ scope: 'test', level: 'error' }), everyMs: 100, violationEvery: 4 });
    // 40 passes: every car passes 10 cameras of its route
    const routes = await waitFor('ten reads of every car', async () => {
      const rs = await Promise.all(DEMO_CARS.map((c) => api.call('plates.route', { plate: c.plate })));
      return rs.every((r) => r.sightings.filter((s) => s.kind === 'plate').length >= 10) ? rs : null;
    }, 60_000);
    const sceneOf = new Map(cameras.map((c) => [c.id, c.scene]));
    routes.forEach((r, i) => {
      const reads = r.sightings.filter((s) => s.kind === 'plate');
      for (const s of reads) {
        expect(DEMO_CARS[i]!.route).toContain(s.cameraId);
        expect(s.position).not.toBeNull();
        expect(s.box, `${s.cameraId} at ${s.atMs}`).not.toBeNull(); // every traffic scene shows cars
        const b = s.box!;
        const cars = objectsAt(truth, sceneOf.get(s.cameraId)!, s.atMs).filter((o) => o.label === 'vehicle');
        expect(cars.some((o) => b.x >= o.x - 1e-6 && b.x + b.w <= o.x + o.w + 1e-6 && b.y >= o.y - 1e-6 && b.y + b.h <= o.y + o.h + 1e-6), `${s.cameraId} at ${s.atMs}`).toBe(true);
      }
    });
    const violations = await api.call('violations.list', {});
    expect(violations.length).toBeGreaterThanOrEqual(5);
    for (const v of violations) expect(DEMO_CARS.map((c) => c.plate)).toContain(v.plate);
  }, 120_000);
});
