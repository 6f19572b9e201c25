import { describe, expect, it } from 'vitest';
import { boxAt, boxesIn, isKey, moovChildren, readFragment, timescaleOf, trexDefaults, type Mp4Box } from '../../electron/contract/fmp4.js';
import { box, FRAME, fragment, full, init, TIMESCALE, u32 } from '../support/fmp4-fixtures.js';

describe('fmp4: the one reader of the recorded segments (host fragment index, export, the page\'s seek cut)', () => {
  const part = new Uint8Array([...init(), ...fragment(0, 13), ...fragment(13, 12)]);
  const top = boxesIn(part, 0, part.length);
  const moov = top.find(([t]) => t === 'moov') as Mp4Box;

  it('walks boxes, stopping at one cut short, and reads 64-bit and to-the-end sizes', () => {
    expect(top.map(([t]) => t)).toEqual(['ftyp', 'moov', 'moof', 'mdat', 'moof', 'mdat']);
    expect(boxesIn(part, 0, part.length - 3).map(([t]) => t)).toEqual(['ftyp', 'moov', 'moof', 'mdat', 'moof']);
    const large = new Uint8Array([0, 0, 0, 1, ...'free'.split('').map((c) => c.charCodeAt(0)), 0, 0, 0, 0, 0, 0, 0, 20, 9, 9, 9, 9, ...box('skip', [1])]);
    expect(boxesIn(large, 0, large.length)).toEqual([['free', 0, 20], ['skip', 20, 29]]);
    const rest = new Uint8Array([...box('ftyp', [1, 2, 3, 4]), 0, 0, 0, 0, ...'mdat'.split('').map((c) => c.charCodeAt(0)), 7, 7, 7]);
    expect(boxesIn(rest, 0, rest.length)).toEqual([['ftyp', 0, 12], ['mdat', 12, 23]]);
    expect(boxesIn(new Uint8Array(4), 0, 4)).toEqual([]);
  });

  it('reads the init: the track timescale, the trex defaults, the moov boxes', () => {
    expect(timescaleOf(part, moov)).toBe(TIMESCALE);
    expect(trexDefaults(part, moov)).toEqual({ duration: 0, size: 0, flags: 0x10000 });
    expect(moovChildren(part).map(([t]) => t)).toEqual(['trak', 'mvex']);
    expect(boxAt(part, moov, 'trak', 'mdia', 'mdhd')?.[0]).toBe('mdhd');
    expect(boxAt(part, moov, 'trak', 'nope')).toBeNull();
    expect(moovChildren(fragment(0, 3))).toEqual([]); // a fragment first: no init
  });

  it('reads a fragment: decode time, every sample, the first a key frame', () => {
    const moof = top[4] as Mp4Box;
    const f = readFragment(part, moof, trexDefaults(part, moov))!;
    expect(f.plain).toBe(true);
    expect(f.trafs).toBe(1);
    expect(f.decodeTime).toBe(13 * FRAME);
    expect(f.samples.map((s) => s.duration)).toEqual(Array(12).fill(FRAME));
    expect(f.samples.map((s) => s.size)).toEqual(Array.from({ length: 12 }, (_, k) => 10 + ((13 + k) % 7)));
    expect(f.samples.map(isKey)).toEqual([true, ...Array(11).fill(false)]);
    expect(moof[1] + f.dataOffset!).toBe(moof[2] + 8); // the data right after the moof, in its mdat
  });

  it('reads several truns in order, first-sample flags first, and says the fragment is not plain', () => {
    const entries = (n: number) => Array.from({ length: n }, () => [...u32(FRAME), ...u32(5), ...u32(0x1010000)]).flat();
    const trun1 = box('trun', full(0, 0x1 | 0x4 | 0x100 | 0x200 | 0x400), u32(2), u32(0), u32(0x2000000), entries(2));
    const trun2 = box('trun', full(0, 0x100 | 0x200 | 0x400), u32(3), entries(3));
    const moofBytes = box('moof', box('mfhd', full(0, 0), u32(1)), box('traf', box('tfhd', full(0, 0), u32(1)), box('tfdt', full(1, 0), [0, 0, 0, 0], u32(500)), trun1, trun2));
    const f = readFragment(moofBytes, ['moof', 0, moofBytes.length], { duration: 0, size: 0, flags: 0 })!;
    expect(f.plain).toBe(false);
    expect(f.decodeTime).toBe(500);
    expect(f.samples.length).toBe(5);
    expect(f.samples.map(isKey)).toEqual([true, false, false, false, false]);
  });

  it('reads nothing from a fragment that does not fit, never throws', () => {
    const moofBytes = fragment(0, 4);
    const moof: Mp4Box = ['moof', 0, boxesIn(moofBytes, 0, moofBytes.length)[0]![2]];
    const shortTrun = Uint8Array.from(moofBytes);
    const view = new DataView(shortTrun.buffer);
    // the trun says 9 samples in a box holding 4: its entries do not fill it exactly
    const trunAt = [...shortTrun.keys()].find((k) => shortTrun[k] === 0x74 && shortTrun[k + 1] === 0x72 && shortTrun[k + 2] === 0x75 && shortTrun[k + 3] === 0x6e)! - 4;
    view.setUint32(trunAt + 12, 9);
    expect(readFragment(shortTrun, moof, { duration: 0, size: 0, flags: 0 })).toBeNull();
    expect(readFragment(box('moof', box('mfhd', full(0, 0), u32(1))), ['moof', 0, 16], { duration: 0, size: 0, flags: 0 })).toBeNull();
    const flagsPastEnd = box('moof', box('mfhd', full(0, 0), u32(1)), box('traf', box('tfhd', full(0, 0x38), u32(1)), box('tfdt', full(0, 0), u32(0)), box('trun', full(0, 0), u32(0))));
    expect(() => readFragment(flagsPastEnd, ['moof', 0, flagsPastEnd.length], { duration: 0, size: 0, flags: 0 })).not.toThrow();
    expect(timescaleOf(new Uint8Array(8), ['moov', 0, 8])).toBe(0);
    // a trun with no per-sample fields and a damaged count: nothing, at once (not 4 billion samples)
    const huge = box('moof', box('mfhd', full(0, 0), u32(1)), box('traf', box('tfhd', full(0, 0), u32(1)), box('tfdt', full(0, 0), u32(0)), box('trun', full(0, 0x1), u32(0xffffffff), u32(0))));
    expect(readFragment(huge, ['moof', 0, huge.length], { duration: 1, size: 1, flags: 0 })).toBeNull();
  });
});
