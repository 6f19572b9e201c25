/**
 * The trainee console's camera mapping (electron/host/training/training-cameras.ts): a trainee's sign-in gets its
 * session's cameras for the scenario's camera ids (stream demand, stream status, frames), every other console the
 * production ones; a frame subscription switches source when the console joins or leaves, at a key frame.
 */
import { describe, expect, it } from 'vitest';
import { FRAME_AT, FRAME_FLAG_ENCODED, FRAME_FLAG_KEY, FRAME_HEADER_BYTES, writeFrameHeader } from '../../electron/contract/frames.js';
import type { StreamStatus } from '../../electron/contract/schemas.js';
import type { MapUnit, UnitsDelta, UnitsSnapshot } from '../../electron/contract/units-schema.js';
import type { FrameSource } from '../../electron/host/frame-server.js';
import { SESSION_RETRY_CAP_MS, TrainingCameras } from '../../electron/host/training/training-cameras.js';

const signIns: Record<string, string> = { 'web-1-main': 'hash-trainee', 'frames-1': 'hash-trainee', 'web-2-main': 'hash-other' };
function setup(feeding = new Set(['ts-1/cam-a'])) {
  const tc = new TrainingCameras({ signInOf: (c) => signIns[c] ?? null, url: (s, c) => (feeding.has(`${s}/${c}`) ? `rtsp://127.0.0.1:9/${c}` : null) });
  return { tc, feeding };
}
const status = (cameraId: string, state: StreamStatus['state'] = 'live') => ({ cameraId, state } as StreamStatus);
function frame(seq: number, key: boolean): Buffer {
  const b = Buffer.alloc(FRAME_HEADER_BYTES + 4);
  writeFrameHeader(b, { flags: FRAME_FLAG_ENCODED | (key ? FRAME_FLAG_KEY : 0), width: 4, height: 4, seq, ptsMs: 0, captureMs: 0, sentMs: 0, slot: 0, generation: 0, payloadBytes: 4 });
  return b;
}

describe('training cameras', () => {
  it('maps the trainee sign-in\'s scenario cameras to the session\'s, only while the session runs and its feeder serves them', () => {
    const { tc, feeding } = setup();
    expect(tc.liveId('web-1-main', 'cam-a')).toBe('cam-a'); // not joined yet
    tc.join('ts-1', 'web-1-main');
    expect(tc.liveId('web-1-main', 'cam-a')).toBe('tr~ts-1~cam-a');
    expect(tc.liveId('frames-1', 'cam-a')).toBe('tr~ts-1~cam-a'); // the same sign-in's frame socket
    expect(tc.liveId('web-1-main', 'cam-b')).toBe('cam-b'); // not in the session
    expect(tc.liveId('web-2-main', 'cam-a')).toBe('cam-a'); // another console
    // a local feeder: retried at least every SESSION_RETRY_CAP_MS (a footage gap ends on the tile when the footage does)
    expect(tc.resolve('tr~ts-1~cam-a')).toEqual({ mainUrl: 'rtsp://127.0.0.1:9/cam-a', retryCapMs: SESSION_RETRY_CAP_MS });
    expect(tc.resolve('cam-a')).toBeNull();
    feeding.clear(); // the feeder stopped
    expect(tc.resolve('tr~ts-1~cam-a')).toBeUndefined();
    expect(tc.liveId('web-1-main', 'cam-a')).toBe('cam-a');
    feeding.add('ts-1/cam-a');
    tc.end('ts-1');
    expect(tc.liveId('web-1-main', 'cam-a')).toBe('cam-a');
  });

  it('shows the trainee the session camera\'s status under the scenario camera\'s id, and nobody else a session camera', () => {
    const { tc } = setup();
    tc.join('ts-1', 'web-1-main');
    expect(tc.statusFor('web-1-main', status('tr~ts-1~cam-a'))).toMatchObject({ cameraId: 'cam-a', state: 'live' });
    expect(tc.statusFor('web-1-main', status('cam-a', 'offline'))).toBeNull(); // production's, hidden from the trainee
    expect(tc.statusFor('web-1-main', status('cam-b'))).toMatchObject({ cameraId: 'cam-b' });
    expect(tc.statusFor('web-2-main', status('tr~ts-1~cam-a'))).toBeNull();
    expect(tc.statusFor('web-2-main', status('cam-a', 'offline'))).toMatchObject({ cameraId: 'cam-a', state: 'offline' });
    expect(tc.eventFor('web-2-main', { event: 'alarms.changed', payload: 1 })).toEqual({ event: 'alarms.changed', payload: 1 });
  });

  it('a frame subscription switches to the session camera on join, from its first key frame, and back on end', () => {
    const { tc } = setup();
    const subs = new Map<string, (f: Buffer) => void>();
    const source: FrameSource = { subscribeFrames: (id, cb) => { subs.set(id, cb); return () => { subs.delete(id); }; } };
    const got: number[] = [];
    const off = tc.follow(source, () => 'frames-1', 'cam-a', (f) => got.push(f.readUInt32LE(FRAME_AT.seq)));
    expect([...subs.keys()]).toEqual(['cam-a']);
    subs.get('cam-a')!(frame(1, false));
    tc.join('ts-1', 'web-1-main');
    expect([...subs.keys()]).toEqual(['tr~ts-1~cam-a']);
    subs.get('tr~ts-1~cam-a')!(frame(2, false)); // a delta frame of the new stream: never delivered
    subs.get('tr~ts-1~cam-a')!(frame(3, true));
    subs.get('tr~ts-1~cam-a')!(frame(4, false));
    expect(got).toEqual([1, 3, 4]);
    tc.end('ts-1');
    expect([...subs.keys()]).toEqual(['cam-a']);
    off();
    expect(subs.size).toBe(0);
  });
  it('a scripted telemetry loss holds the unit, stale where it was, on the trainee\'s consoles only, for its duration', () => {
    const { tc } = setup();
    const unit = (lat: number) => ({ id: 'patrol-12', kind: 'patrol_car', lat, lon: 76.93, ts: 1000 + lat, stale: false, track: [[76.93, lat, 1000 + lat]] }) as unknown as MapUnit;
    const snap = (lat: number): UnitsSnapshot => ({ seq: 1, units: [unit(lat), { ...unit(lat), id: 'robot-1' }], rejected: {} });
    const delta = (seq: number): UnitsDelta => ({ seq, added: [], changed: [], removed: [], rejected: { invalid: 1 } });
    tc.join('ts-1', 'web-1-main');
    tc.loseTelemetry('ts-1', 'patrol-12', unit(43.24), 10_000);
    const trainee = tc.unitsFor('web-1-main', snap(43.25), 5000);
    expect(trainee.units[0]).toMatchObject({ id: 'patrol-12', lat: 43.24, stale: true });
    expect(trainee.units[1]).toMatchObject({ id: 'robot-1', lat: 43.25, stale: false }); // other units move on
    expect(tc.unitsFor('frames-1', snap(43.25), 5000).units[0]!.lat).toBe(43.24); // every window of the sign-in
    expect(tc.unitsFor('web-2-main', snap(43.25), 5000).units[0]).toMatchObject({ lat: 43.25, stale: false }); // production
    // a delta cannot be mapped: the trainee's windows ask units.list (mapped above) while the hold lasts, and once after it
    expect(tc.unitsDeltaFor('web-1-main', delta(2), 5000)).toEqual({ ...delta(2), resync: true });
    expect(tc.unitsDeltaFor('frames-1', delta(2), 5000).resync).toBe(true);
    expect(tc.unitsDeltaFor('web-2-main', delta(2), 5000)).toEqual(delta(2)); // production
    expect(tc.unitsDeltaFor('web-1-main', delta(3), 10_000).resync).toBe(true); // the hold is over: back to the broadcast's units
    expect(tc.unitsDeltaFor('web-1-main', delta(4), 10_000)).toEqual(delta(4));
    const ev = tc.eventFor('web-2-main', { event: 'units.changed', payload: delta(5) }); // events are looked at on the wall clock
    expect(ev!.payload).toEqual(delta(5));
    expect(tc.unitsFor('web-1-main', snap(43.27), 10_000).units[0]).toMatchObject({ lat: 43.27, stale: false }); // the loss is over
    tc.loseTelemetry('ts-1', 'patrol-12', null, null); // until the session ends: held as first seen after the loss
    expect(tc.unitsFor('web-1-main', snap(43.28), 20_000).units[0]).toMatchObject({ lat: 43.28, stale: true });
    expect(tc.unitsFor('web-1-main', snap(43.29), 30_000).units[0]).toMatchObject({ lat: 43.28, stale: true });
    expect(tc.unitsDeltaFor('web-1-main', delta(6), 30_000).resync).toBe(true);
    tc.end('ts-1');
    expect(tc.unitsFor('web-1-main', snap(43.3), 40_000).units[0]).toMatchObject({ lat: 43.3, stale: false });
    expect(tc.unitsDeltaFor('web-1-main', delta(7), 40_000).resync).toBe(true); // once more after the session
    expect(tc.unitsDeltaFor('web-1-main', delta(8), 40_000)).toEqual(delta(8));
  });
});
