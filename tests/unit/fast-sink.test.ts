/**
 * The media worker's ctypes path for access units (native/worker/fast_sink.py), run with Debian's Python against a
 * real `appsrc ! appsink` (tests/unit/py/fast_sink_cases.py): bytes, pts, key flag, RTCP reference time and the
 * picture size must read back exactly as they were pushed, also across a caps change and a unit above 64 KiB.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

interface Unit { data: string; len: number; same: boolean | null; pts: number | null; ntp: number; key: boolean; width: number; height: number }
let r: { fast: boolean; units?: Unit[] };
beforeAll(() => {
  r = JSON.parse(execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'py', 'fast_sink_cases.py')], { encoding: 'utf8' })) as typeof r;
});

describe('FastSink (ctypes appsink reader)', () => {
  it('passes its start-up self-check on this GStreamer and PyGObject', () => {
    expect(r.fast).toBe(true);
  });

  it('reads every unit in order with its bytes, pts, key flag and reference time', () => {
    const u = r.units!;
    expect(u).toHaveLength(4);
    expect(u[0]).toMatchObject({ data: Buffer.from('\x00\x00\x00\x01\x67key', 'latin1').toString('hex'), len: 8, pts: 40_000_000, key: true, width: 640, height: 360 });
    // NTP nanoseconds are above 2^53: compare what JSON kept (the worker divides by 1e6 anyway)
    expect(u[0]!.ntp / 1e6).toBeCloseTo(3_913_000_000_123, 0);
    expect(u[1]).toMatchObject({ len: 10, pts: null, ntp: 0, key: false });
    expect(u[2]).toMatchObject({ len: 5 + 256 * 400, same: true, pts: 80_000_000, key: true });
    expect(u[2]!.ntp / 1e6).toBeCloseTo(3_913_000_000_163, 0);
  });

  it('follows a caps change to the new picture size', () => {
    expect(r.units![3]).toMatchObject({ width: 1280, height: 720, pts: 120_000_000, key: true });
  });
});
