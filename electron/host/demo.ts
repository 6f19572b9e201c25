/**
 * Demo city: starts the camera simulator (real RTSP cameras from pre-encoded clips) and points the registry
 * at it. On the first start the registry is seeded; later starts only re-point the demo cameras' URLs.
 */
import { join } from 'node:path';
import { ensureClips, startSimulator, type Simulator } from '../../native/simulator/control.js';
import type { Host } from './host.js';
import { startDemoUnits } from './map/demo-units.js';

export interface DemoOptions { root: string; extra?: number; rtspPort?: number }

export async function startDemo(host: Host, opts: DemoOptions): Promise<Simulator> {
  const log = host.log.child('demo');
  await ensureClips();
  const sim = await startSimulator({ extra: opts.extra ?? 0, ...(opts.rtspPort ? { rtspPort: opts.rtspPort } : {}) });
  const urlFor = (id: string, profile: 'main' | 'sub') => sim.url(id, profile);
  const file = join(opts.root, 'resources', 'demo-city.json');
  const seeded = host.registry.seedFromDemoCity(file, urlFor);
  if (!seeded) host.registry.repointDemoCameras(urlFor);
  host.wall.ensureDefaultWall();
  await host.alarms.startDemoEvents(file);
  // Moving units on the map (issue 10): telemetry through the same broker as real units; stops with the host.
  const info = await host.alarms.handlers['alarms.info']({}, { clientId: 'demo' });
  host.map.addDemo(startDemoUnits({ mqttUrl: info.mqttUrl, log: log.child('units') }));
  log.info('demo city running', { rtsp: sim.rtspBase, cameras: host.registry.list().length, seeded });
  return sim;
}
