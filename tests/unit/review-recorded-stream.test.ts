import { describe, expect, it } from 'vitest';
import { markLive, markRecorded } from '../../renderer/review/segment-plan.js';

/** ftyp + moov(mvhd) of a fragmented recording: mvhd version 0 or 1 with the given duration, then a trak placeholder. */
function init(version: 0 | 1, duration: bigint): Uint8Array {
  const ftyp = [0, 0, 0, 16, ...'ftypisom'.split('').map((c) => c.charCodeAt(0)), 0, 0, 2, 0];
  const body = version === 1 ? 8 + 8 + 4 + 8 + 80 : 4 + 4 + 4 + 4 + 80;
  const mvhd = new Uint8Array(8 + 4 + body);
  const v = new DataView(mvhd.buffer);
  v.setUint32(0, mvhd.length);
  mvhd.set([0x6d, 0x76, 0x68, 0x64], 4); // 'mvhd'
  mvhd[8] = version;
  if (version === 1) { v.setUint32(12 + 16, 1000); v.setBigUint64(12 + 20, duration); } else { v.setUint32(12 + 8, 1000); v.setUint32(12 + 12, Number(duration)); }
  const moovLen = 8 + mvhd.length + 16;
  const moov = new Uint8Array(moovLen);
  new DataView(moov.buffer).setUint32(0, moovLen);
  moov.set([0x6d, 0x6f, 0x6f, 0x76], 4);
  moov.set(mvhd, 8);
  return new Uint8Array([...ftyp, ...moov]);
}
const durationOf = (b: Uint8Array): bigint => {
  const i = b.findIndex((_, k) => b[k] === 0x6d && b[k + 1] === 0x76 && b[k + 2] === 0x68 && b[k + 3] === 0x64);
  const v = new DataView(b.buffer, b.byteOffset);
  return b[i + 4] === 1 ? v.getBigUint64(i + 28) : BigInt(v.getUint32(i + 20));
};

describe('markRecorded (a recorded stream for Chromium: frame-threaded decoding)', () => {
  it('gives an unknown mvhd duration (0, version 0) a known one, and nothing else changes', () => {
    const b = init(0, 0n);
    const before = Uint8Array.from(b);
    expect(markRecorded(b)).toBe(true);
    expect(durationOf(b)).toBe(0x7fffffffn);
    const changed = [...b.keys()].filter((k) => b[k] !== before[k]);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.length).toBeLessThanOrEqual(4);
  });
  it('does the same for version 1 and for all ones (unknown too)', () => {
    const a = init(1, 0n);
    expect(markRecorded(a)).toBe(true);
    expect(durationOf(a)).toBe(0x7fffffffn);
    const b = init(0, 0xffffffffn);
    expect(markRecorded(b)).toBe(true);
    expect(durationOf(b)).toBe(0x7fffffffn);
  });
  it('leaves a known duration and bytes without an init segment alone', () => {
    const b = init(0, 4000n);
    expect(markRecorded(b)).toBe(false);
    expect(durationOf(b)).toBe(4000n);
    expect(markRecorded(new Uint8Array(200))).toBe(false);
  });
});

describe('markLive (recorded footage decoded as a live stream: the picture alone completes a seek)', () => {
  /** moov(mvhd, mvex(mehd)) as mp4mux writes it, mehd version 1 with the segment's length. */
  function mp4muxInit(mvhdDuration: number, mehd: bigint): Uint8Array {
    const b = init(0, BigInt(mvhdDuration));
    b.set([0, 0, 0, 16, 0x66, 0x72, 0x65, 0x65], b.length - 16); // the trak placeholder as a 'free' box
    const mehdBox = new Uint8Array(20);
    const v = new DataView(mehdBox.buffer);
    v.setUint32(0, 20);
    mehdBox.set([0x6d, 0x65, 0x68, 0x64], 4); // 'mehd'
    mehdBox[8] = 1;
    v.setBigUint64(12, mehd);
    const mvex = new Uint8Array([0, 0, 0, 28, 0x6d, 0x76, 0x65, 0x78, ...mehdBox]);
    const out = new Uint8Array(b.length + mvex.length);
    out.set(b);
    out.set(mvex, b.length);
    const moovAt = 16;
    new DataView(out.buffer).setUint32(moovAt, new DataView(b.buffer).getUint32(moovAt) + mvex.length);
    return out;
  }
  const mehdOf = (b: Uint8Array) => {
    const i = b.findIndex((_, k) => b[k] === 0x6d && b[k + 1] === 0x65 && b[k + 2] === 0x68 && b[k + 3] === 0x64);
    return new DataView(b.buffer, b.byteOffset).getBigUint64(i + 8);
  };
  it('zeroes the fragment duration mp4mux writes and a known movie duration; nothing else changes', () => {
    const b = mp4muxInit(4000, 30_296n);
    const before = Uint8Array.from(b);
    expect(markLive(b)).toBe(true);
    expect(mehdOf(b)).toBe(0n);
    expect(durationOf(b)).toBe(0n);
    const changed = [...b.keys()].filter((k) => b[k] !== before[k]);
    expect(changed.length).toBeLessThanOrEqual(4 + 8);
    expect(markLive(b)).toBe(false); // live already
  });
  it('leaves a live init (ffmpeg empty_moov) as it is, and reads nothing past the moov', () => {
    const b = init(0, 0n);
    const before = Uint8Array.from(b);
    expect(markLive(b)).toBe(false);
    expect(b).toEqual(before);
    expect(markLive(new Uint8Array([0, 0, 0, 8, 0x6d, 0x64, 0x61, 0x74]))).toBe(false); // an mdat first: not an init
  });
  it('undoes markRecorded', () => {
    const b = init(1, 0n);
    markRecorded(b);
    expect(markLive(b)).toBe(true);
    expect(durationOf(b)).toBe(0n);
  });
});
