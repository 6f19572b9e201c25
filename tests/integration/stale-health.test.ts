/**
 * Stale streams in the map's health list (issue 10 §5: "Health: offline, stale and tampered cameras over the same
 * window"), through real processes: a simulator camera on a tile goes live, the simulator stalls it (its RTSP session
 * stays open and sends nothing), the host's stream supervisor calls it stalled, the simulator resumes it, it is live
 * again; `map.attention` counts the stale spell with its duration, and still does after the host restarts on the
 * same data folder (the spell is stored, not kept in memory).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { ApiClient } from '../support/api-client.js';
import { startWebShell, waitFor, type RunningShell } from '../support/harness.js';

const CAM = 'cam-extra-01';
let sim: Simulator;
let shell: RunningShell | undefined;
let api: ApiClient | undefined;
let dataDir: string;

const state = async (a: ApiClient) => (await a.call('streams.status', {})).find((s) => s.cameraId === CAM);
const health = async (a: ApiClient) => (await a.call('map.attention', { hours: 1 })).cameras.find((c) => c.cameraId === CAM);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kuzet-stale-'));
  sim = await startSimulator({ camerasFile: 'none', extra: 1 });
  shell = await startWebShell({ dataDir });
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  await api.call('cameras.add', { probe: false, camera: { id: CAM, name: 'Stale camera', mainUrl: sim.url(CAM, 'main'), subUrl: sim.url(CAM, 'sub'), location: { lat: 43.25, lon: 76.95 } } });
}, 120_000);

afterAll(async () => {
  await sim?.unstall(CAM).catch(() => {}); // a failed test may leave it stalled
  api?.close();
  await shell?.close();
  await sim?.close();
  if (!process.env.KZ_KEEP) rmSync(dataDir, { recursive: true, force: true });
});

describe('stale streams in the health list', () => {
  it('counts a stalled camera\'s stale spell with its duration, and keeps it across a restart', async () => {
    const a = api!;
    await a.call('streams.demand', { clientId: 'stale-test', tiles: [{ cameraId: CAM, width: 320, height: 180 }] });
    await waitFor('the camera live', async () => (await state(a))?.state === 'live', 60_000, 200);
    // a loaded machine may stall a stream by itself (the supervisor's 1.5 s rule): count from what is there now
    const before = (await health(a))!;
    const askedAt = (await state(a))!.since; // the live spell's start: a stall after it is ours

    await sim.stall(CAM);
    const stalled = await waitFor('the camera stalled', async () => { const s = await state(a); return s?.state === 'stalled' && s.since >= askedAt ? s : null; }, 30_000, 100);
    // while it is stale, the running spell counts up to now
    const running = await waitFor('a running stale spell', async () => { const h = await health(a); return h && h.staleSpells === before.staleSpells + 1 && h.staleMs > before.staleMs ? h : null; }, 30_000, 200);
    expect(running.staleSpells).toBe(before.staleSpells + 1);

    await sim.unstall(CAM);
    const live = await waitFor('the camera live again', async () => { const s = await state(a); return s?.state === 'live' && s.since > stalled.since ? s : null; }, 60_000, 100);
    const ended = (await health(a))!;
    expect(ended.staleSpells).toBe(before.staleSpells + 1);
    // the spell lasts from the last frame before the stall to live again, as the supervisor's own status says
    const spellMs = live.since - stalled.lastFrameAt!;
    expect(Math.abs(ended.staleMs - before.staleMs - spellMs), `stored ${ended.staleMs - before.staleMs} ms, supervisor ${spellMs} ms`).toBeLessThan(1000);
    expect(spellMs).toBeGreaterThan(1000); // at least the supervisor's 1.5 s rule (less its tick) without a frame
    // stale is not offline: the stall raised no offline event
    expect(ended.offlineEvents).toBe(0);

    // durable: the host stops and starts again on the same data folder; the spell is still counted
    a.close(); api = undefined;
    await shell!.close(); shell = undefined;
    shell = await startWebShell({ dataDir });
    api = await ApiClient.connect(shell.info.origin, shell.info.token);
    const after = (await health(api))!;
    expect(after.staleSpells).toBeGreaterThanOrEqual(ended.staleSpells);
    expect(after.staleMs).toBeGreaterThanOrEqual(ended.staleMs);
  }, 240_000);
});
