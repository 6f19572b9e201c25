/**
 * Fragmented MP4 built in bytes for unit tests of the one reader (electron/contract/fmp4.ts) and the seek part cutter
 * (renderer/review/fragment-cut.ts): an init and fragments laid out as the recorder's mp4mux writes them.
 */
export const TIMESCALE = 2500; // the recorder's (mp4mux's) for 25 fps: 100 a frame
export const FRAME = 100;

export function box(type: string, ...body: Array<number[] | Uint8Array>): Uint8Array {
  const inner = body.flatMap((x) => [...x]);
  const out = new Uint8Array(8 + inner.length);
  new DataView(out.buffer).setUint32(0, out.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(inner, 8);
  return out;
}
export const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
export const full = (version: number, flags: number) => [version, (flags >> 16) & 255, (flags >> 8) & 255, flags & 255];

/** ftyp + moov(mvhd-less trak/mdia/mdhd, mvex/trex): enough of an init for the cutter. */
export function init(): Uint8Array {
  const mdhd = box('mdhd', full(0, 0), u32(0), u32(0), u32(TIMESCALE), u32(0), [0x55, 0xc4, 0, 0]);
  const trak = box('trak', box('mdia', mdhd));
  const trex = box('trex', full(0, 0), u32(1), u32(1), u32(0), u32(0), u32(0x10000));
  return new Uint8Array([...box('ftyp', [...'isom'].map((c) => c.charCodeAt(0)), u32(0)), ...box('moov', trak, box('mvex', trex))]);
}

export interface FragOpts { cto?: number; baseOffset?: boolean; firstFlags?: boolean }

/**
 * One fragment as mp4mux writes it: tfhd without a base offset, tfdt version 0, a trun with data offset, per-sample
 * duration, size and flags (the first a key frame). Sample k of the fragment starting at `first` is `size(k)` bytes of k.
 */
export function fragment(first: number, count: number, o: FragOpts = {}): Uint8Array {
  const sizes = Array.from({ length: count }, (_, k) => 10 + ((first + k) % 7));
  const trunFlags = 0x1 | 0x100 | 0x200 | 0x400 | (o.cto !== undefined ? 0x800 : 0) | (o.firstFlags ? 0x4 : 0);
  const entries = sizes.flatMap((s, k) => [...u32(FRAME), ...u32(s), ...u32(k === 0 ? 0x2000000 : 0x1010000), ...(o.cto !== undefined ? u32(k === 1 ? o.cto : 0) : [])]);
  const tfhd = o.baseOffset ? box('tfhd', full(0, 0x1), u32(1), [0, 0, 0, 0], u32(0)) : box('tfhd', full(0, 0), u32(1));
  const trun = (offset: number) => box('trun', full(0, trunFlags), u32(count), u32(offset), ...(o.firstFlags ? [u32(0x2000000)] : []), entries);
  const moof = (offset: number) => box('moof', box('mfhd', full(0, 0), u32(1)), box('traf', tfhd, box('tfdt', full(0, 0), u32(first * FRAME)), trun(offset)));
  const m = moof(moof(0).length + 8);
  const data = sizes.flatMap((s, k) => Array.from({ length: s }, () => (first + k) & 255));
  return new Uint8Array([...m, ...box('mdat', data)]);
}
