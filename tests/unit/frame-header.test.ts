/**
 * The KZF1 frame header has one definition per language (electron/contract/frames.ts, native/worker/frame_header.py)
 * and they agree: the same field table, and a header packed by either side parses to the same values on the other.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FRAME_AT, FRAME_FLAG_ENCODED, FRAME_FLAG_KEY, FRAME_FLAG_KEYFRAME_ONLY, FRAME_FLAG_MAIN_STREAM, FRAME_HEADER_BYTES,
  FRAME_HEADER_FIELDS, FRAME_MAGIC, i420Size, readFrameHeader, writeFrameHeader, type FrameHeader,
} from '../../electron/contract/frames.js';
import { PROJECT_ROOT } from '../../native/project-root.js';

const SCRIPT = join(PROJECT_ROOT, 'native', 'worker', 'frame_header.py');
const python = (...args: string[]): string => execFileSync('/usr/bin/python3', [SCRIPT, ...args], { encoding: 'utf8' }).trim();

// values that use every field's range: odd sizes, a sequence number past 2^31, fractional times, a high slot
const encoded: FrameHeader = {
  flags: FRAME_FLAG_ENCODED | FRAME_FLAG_KEY | FRAME_FLAG_MAIN_STREAM, width: 1921, height: 1079, seq: 0xfffffffe,
  ptsMs: 123456.789, captureMs: 1_796_300_000_123.25, sentMs: 1_796_300_000_456.5, slot: 65000, generation: 4242, payloadBytes: 777,
};
const decoded: FrameHeader = { ...encoded, flags: FRAME_FLAG_KEYFRAME_ONLY, width: 642, height: 361, payloadBytes: i420Size(642, 361) };

describe('frame header: TypeScript and Python agree', () => {
  it('has the same field table, size, magic and flags on both sides', () => {
    const py = JSON.parse(python('fields')) as { fields: [string, string][]; bytes: number; magic: number; flags: Record<string, number> };
    expect(py.fields).toEqual(FRAME_HEADER_FIELDS.map(([name, kind]) => [name, kind]));
    expect(py.bytes).toBe(FRAME_HEADER_BYTES);
    expect(py.magic).toBe(FRAME_MAGIC);
    expect(py.flags).toEqual({ keyframeOnly: FRAME_FLAG_KEYFRAME_ONLY, mainStream: FRAME_FLAG_MAIN_STREAM, encoded: FRAME_FLAG_ENCODED, key: FRAME_FLAG_KEY });
    // the offsets follow from the table; the last field ends where the header does
    expect(FRAME_AT.payloadBytes + 4).toBe(FRAME_HEADER_BYTES);
    expect(FRAME_AT).toMatchObject({ flags: 6, width: 8, seq: 12, captureMs: 24, sentMs: 32, slot: 40, payloadBytes: 44 });
  });

  it.each([['encoded', encoded], ['decoded', decoded]] as const)('parses a %s header packed by Python', (_kind, h) => {
    const header = Buffer.from(python('pack', JSON.stringify(h)), 'hex');
    expect(header.length).toBe(FRAME_HEADER_BYTES);
    const frame = Buffer.concat([header, Buffer.alloc(h.payloadBytes)]);
    expect(readFrameHeader(frame)).toEqual(h);
    // one byte short of the announced payload is not a frame
    expect(readFrameHeader(frame.subarray(0, frame.length - 1))).toBeNull();
  });

  it.each([['encoded', encoded], ['decoded', decoded]] as const)('Python unpacks a %s header written by TypeScript', (_kind, h) => {
    const header = Buffer.alloc(FRAME_HEADER_BYTES);
    writeFrameHeader(header, h);
    const py = JSON.parse(python('unpack', header.toString('hex'))) as Record<string, number>;
    expect(py).toEqual({ magic: FRAME_MAGIC, headerBytes: FRAME_HEADER_BYTES, ...h, payloadBytes: h === encoded ? h.payloadBytes : 0 });
  });
});
