/**
 * A media worker killed with SIGKILL (issue 9), against real processes: the RTSP simulator, the GStreamer worker, the
 * warm standby. No timing bounds here (bench:restart measures them): the stream leaves live, comes back live with new
 * frames of a new generation, the standby process became the camera's worker, no process is left over, and a
 * standby that dies while waiting neither loops nor stops the next restart.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, readFrameHeader } from '../../electron/contract/frames.js';
import type { StreamStatus } from '../../electron/contract/schemas.js';
import { createLogger } from '../../electron/host/log.js';
import { StreamService } from '../../electron/host/streams/service.js';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { readProc } from '../support/procfs.js';
import { isWaitingStandby } from '../support/standby.js';

const ids = ['cam-extra-01', 'cam-extra-02'];
const TAG = `kztest-restart-${process.pid}-${Date.now()}`;
let sim: Simulator;
let svc: StreamService;
const frames = new Map<string, Buffer[]>();
const history: Array<{ id: string; state: string }> = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const status = (id: string): StreamStatus => svc.statuses().find((s) => s.cameraId === id)!;
async function waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${JSON.stringify(svc.statuses().map((s) => [s.cameraId, s.state, s.reason]))}`);
    await sleep(25);
  }
}

/** Every process whose argv holds the marker, with its process group (/proc/<pid>/stat field 5). */
function tagged(): Array<{ pid: number; pgrp: number }> {
  const out: Array<{ pid: number; pgrp: number }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(TAG)) continue;
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      out.push({ pid: Number(d), pgrp: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) });
    } catch { /* exited while scanning */ }
  }
  return out;
}

/** Process ids in a process group (a worker's group holds the worker and anything it started). */
function groupMembers(pgrp: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgrp;
    } catch { return false; }
  });
}

const waitingStandby = () => { const pid = svc.standbyPid(); return isWaitingStandby(pid) ? pid : undefined; };

beforeAll(async () => {
  sim = await startSimulator({ camerasFile: 'none', extra: ids.length });
  svc = new StreamService({
    resolve: (id) => (ids.includes(id) ? { mainUrl: sim.url(id, 'main'), subUrl: sim.url(id, 'sub') } : undefined),
    tag: TAG, governor: false, log: createLogger({ quiet: true }),
  });
  svc.onStatus((s) => {
    const prev = [...history].reverse().find((h) => h.id === s.cameraId);
    if (!prev || prev.state !== s.state) history.push({ id: s.cameraId, state: s.state });
  });
  for (const id of ids) { frames.set(id, []); svc.subscribeFrames(id, (f) => { frames.get(id)!.push(f); }); }
  svc.setDemand('wall', ids.map((cameraId) => ({ cameraId, width: 320, height: 180 })));
  await waitFor('cameras live', () => ids.every((id) => status(id)?.state === 'live'), 60_000);
}, 90_000);

afterAll(async () => {
  await svc?.stopAll();
  await sim?.close();
  expect(tagged()).toEqual([]);
});

describe('a media worker killed with SIGKILL', () => {
  it('leaves live, comes back live with new frames on the warm standby, and leaves no process behind', async () => {
    const id = ids[0]!;
    const standby = await waitFor('a standby waiting for a camera', waitingStandby, 30_000);
    const [killed] = svc.workerPids(id);
    const before = status(id);
    const mark = history.length;
    process.kill(killed!, 'SIGKILL');
    await waitFor('not live', () => history.slice(mark).some((h) => h.id === id && h.state !== 'live'), 10_000);
    expect(status(id).reason).toBe('crash');
    await waitFor('live again', () => history.slice(mark).some((h) => h.id === id && h.state === 'live'), 30_000);
    const after = status(id);
    // the standby process is the camera's worker now: started warm, counted as such
    expect(svc.workerPids(id)).toEqual([standby]);
    expect(after.counters.warmStarts).toBe((before.counters.warmStarts ?? 0) + 1);
    expect(after.counters).toMatchObject({ connects: before.counters.connects + 1, retries: before.counters.retries + 1, errors: before.counters.errors + 1 });
    expect(after.generation).toBeGreaterThan(before.generation);

    // new frames, from the new worker (its generation in the header), with a picture in them
    const got = frames.get(id)!;
    const from = got.length;
    await waitFor('new frames', () => got.length >= from + 10, 15_000);
    const fresh = got.slice(from);
    expect(fresh.every((f) => readFrameHeader(f)?.generation === (after.generation & 0xffff))).toBe(true);
    const last = fresh[fresh.length - 1]!;
    expect(readFrameHeader(last)).toMatchObject({ width: 320, height: 180 });
    const y = last.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + 320 * 180);
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    expect(y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length).toBeGreaterThan(100);

    // no orphans: the killed worker is gone, each worker's group is the worker alone, and every process of this
    // service is a camera's worker or the (next) standby
    await waitFor('a new standby', () => { const p = waitingStandby(); return p && p !== standby ? p : undefined; }, 30_000);
    expect(readProc(killed!)).toBeNull();
    const procs = tagged();
    expect(procs.map((p) => p.pid).sort()).toEqual([...svc.workerPids(), svc.standbyPid()!].sort());
    for (const p of procs) {
      expect(p.pgrp).toBe(p.pid); // each its own group leader (detached)
      expect(groupMembers(p.pgrp)).toEqual([p.pid]);
    }
  }, 90_000);

  it('a standby killed while it waits is not respawned in a loop; the next restart starts cold and a new standby follows', async () => {
    const id = ids[1]!;
    const standby = await waitFor('a standby waiting for a camera', waitingStandby, 30_000);
    process.kill(standby, 'SIGKILL');
    await waitFor('standby gone', () => readProc(standby) === null, 5000);
    await waitFor('the service saw its standby die', () => svc.standbyPid() === undefined, 5000);
    // the thing tested: nothing respawns it while no camera takes one. The service goes on meanwhile: a live camera
    // delivers 50 more frames (its supervisor ticks many times), and through all of it no standby appears
    const other = ids.find((c) => c !== id)!;
    const framesFrom = status(other).counters.frames;
    let respawned = false;
    await waitFor('50 more frames of another camera', () => { if (svc.standbyPid() !== undefined) respawned = true; return status(other).counters.frames >= framesFrom + 50; }, 30_000);
    expect(respawned).toBe(false);
    expect(svc.standbyPid()).toBeUndefined(); // replaced only when a camera takes one
    const before = status(id);
    const [killed] = svc.workerPids(id);
    const mark = history.length;
    process.kill(killed!, 'SIGKILL');
    await waitFor('live again', () => history.slice(mark).some((h) => h.id === id && h.state === 'live'), 30_000);
    const after = status(id);
    expect(after.counters.warmStarts).toBe(before.counters.warmStarts ?? 0); // a fresh process this time
    expect(after.counters.connects).toBe(before.counters.connects + 1);
    expect(svc.workerPids(id)).toHaveLength(1);
    expect(svc.workerPids(id)[0]).not.toBe(killed);
    await waitFor('a new standby', waitingStandby, 30_000);
  }, 90_000);
});
