import { describe, expect, it } from 'vitest';
import { cutAfterPicture } from '../../renderer/review/fragment-cut.js';
import { boxesIn } from '../../electron/contract/fmp4.js';
import { FRAME, fragment, init, TIMESCALE } from '../support/fmp4-fixtures.js';

/** Every sample of bytes, in order: [decode time, its data]. */
function samples(bytes: Uint8Array): Array<[number, number[]]> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Array<[number, number[]]> = [];
  for (const [type, start] of boxesIn(bytes, 0, bytes.length)) {
    if (type !== 'moof') continue;
    const traf = boxesIn(bytes, start + 8, bytes.length).find(([t]) => t === 'traf') as [string, number, number];
    const inner = boxesIn(bytes, traf[1] + 8, traf[2]);
    const tfdt = inner.find(([t]) => t === 'tfdt') as [string, number, number];
    const trun = inner.find(([t]) => t === 'trun') as [string, number, number];
    let time = bytes[tfdt[1] + 8] === 1 ? Number(dv.getBigUint64(tfdt[1] + 12)) : dv.getUint32(tfdt[1] + 12);
    const flags = dv.getUint32(trun[1] + 8) & 0xffffff;
    const count = dv.getUint32(trun[1] + 12);
    let data = start + dv.getInt32(trun[1] + 16);
    const stride = 4 * [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length;
    const q = trun[1] + 20 + (flags & 0x4 ? 4 : 0);
    for (let i = 0; i < count; i++) {
      const size = dv.getUint32(q + i * stride + 4);
      out.push([time, [...bytes.subarray(data, data + size)]]);
      time += dv.getUint32(q + i * stride);
      data += size;
    }
  }
  return out;
}

describe('cutAfterPicture (a seek part cut after its picture: the head appended first, the tail after every tile)', () => {
  const part = new Uint8Array([...init(), ...fragment(0, 13), ...fragment(13, 12)]);

  it('ends the head at the picture and gives the tail every later sample, with the decode times they had', () => {
    const cut = cutAfterPicture(part, (5 * FRAME + 30) / TIMESCALE); // inside frame 5
    expect(cut).not.toBeNull();
    const { head, tail, tailFromS, tailToS } = cut!;
    const all = samples(part);
    expect(samples(head)).toEqual(all.slice(0, 6));
    expect(samples(tail)).toEqual(all.slice(6));
    expect(tailFromS).toBeCloseTo((6 * FRAME) / TIMESCALE, 9);
    expect(tailToS).toBeCloseTo((25 * FRAME) / TIMESCALE, 9);
    // the head keeps the init; the tail has none (it follows the head on the same SourceBuffer)
    expect(boxesIn(head, 0, head.length).map(([t]) => t)).toEqual(['ftyp', 'moov', 'moof', 'mdat']);
    expect(boxesIn(tail, 0, tail.length).map(([t]) => t)).toEqual(['moof', 'mdat', 'moof', 'mdat']);
  });

  it('takes the next frame too when the picture is within a millisecond of its end, and cuts in a later fragment', () => {
    const near = cutAfterPicture(part, (3 * FRAME + 99) / TIMESCALE)!; // 0.4 ms before frame 4
    expect(samples(near.head).length).toBe(5);
    const later = cutAfterPicture(part, (15 * FRAME) / TIMESCALE + 0.01)!; // frame 15, in the second fragment
    expect(samples(later.head)).toEqual(samples(part).slice(0, 16));
    expect(samples(later.tail)).toEqual(samples(part).slice(16));
  });

  it('gives the key frame its own flags in the head only, where the trun carries first-sample flags', () => {
    const p = new Uint8Array([...init(), ...fragment(0, 13, { firstFlags: true })]);
    const { head, tail } = cutAfterPicture(p, (2 * FRAME) / TIMESCALE + 0.01)!;
    const trunFlags = (b: Uint8Array) => {
      const moof = boxesIn(b, 0, b.length).find(([t]) => t === 'moof') as [string, number, number];
      const traf = boxesIn(b, moof[1] + 8, moof[2]).find(([t]) => t === 'traf') as [string, number, number];
      const trun = boxesIn(b, traf[1] + 8, traf[2]).find(([t]) => t === 'trun') as [string, number, number];
      return new DataView(b.buffer, b.byteOffset).getUint32(trun[1] + 8) & 0xffffff;
    };
    expect(trunFlags(head) & 0x4).toBe(0x4);
    expect(trunFlags(tail) & 0x4).toBe(0);
    expect([...samples(head), ...samples(tail)]).toEqual(samples(p));
  });

  it('does not cut what it cannot cut safely: the last frame, B-frames, file offsets, a short part', () => {
    expect(cutAfterPicture(part, (24 * FRAME + 50) / TIMESCALE)).toBeNull(); // nothing after the picture
    expect(cutAfterPicture(new Uint8Array([...init(), ...fragment(0, 13, { cto: 200 })]), 0.1)).toBeNull();
    expect(cutAfterPicture(new Uint8Array([...init(), ...fragment(0, 13, { cto: 0 })]), 0.1)).not.toBeNull();
    expect(cutAfterPicture(new Uint8Array([...init(), ...fragment(0, 13, { baseOffset: true })]), 0.1)).toBeNull();
    expect(cutAfterPicture(part.subarray(0, part.length - 5), 0.1)).toBeNull();
    expect(cutAfterPicture(init(), 0.1)).toBeNull();
    expect(cutAfterPicture(new Uint8Array(64), 0.1)).toBeNull();
  });
});
