/**
 * A paused seek's first part (the init and its picture's GOP, `?at=`) cut in two after the picture: the head is
 * appended at once, the tail after every tile's picture. Chromium, decoding live (low-delay), completes a seek as soon
 * as its picture is decoded, and then decodes on into its renderer's queue (3 frames more) on the renderer's one media
 * thread that every player shares: a 16-tile seek decoded 48 frames nobody waited for before the last tile's picture.
 * Pure, in bytes: each cut fragment becomes a `moof`/`mdat` pair of its own on either side (docs/replay.md, "Seek,
 * fifteenth pass"). Only what this cutter fully understands is cut; anything else is appended whole as before.
 */
import { boxesIn } from './segment-plan.js';

/** The two sides of a cut part. `tailFromS`/`tailToS`: the tail's decode times in the segment's own seconds. */
export interface CutPart { head: Uint8Array; tail: Uint8Array; tailFromS: number; tailToS: number }

type Box = [type: string, start: number, end: number];

interface Fragment {
  moof: Box; mdat: Box; mfhd: Box; tfhd: Box;
  decodeTime: number; trunFlags: number; trunVersion: number; firstFlags: number | null;
  /** Each sample's trun entry (its byte offset), duration and size. */
  samples: Array<{ entry: number; duration: number; size: number }>;
  entryBytes: number;
  dataStart: number;
}

const only = (boxes: Box[], type: string) => boxes.filter(([t]) => t === type);

/** One `moof` (one traf: tfhd, tfdt, one trun with data offsets, no composition offsets) and its `mdat`, or null. */
function fragment(b: Uint8Array, dv: DataView, moof: Box, mdat: Box, trex: { duration: number; size: number }): Fragment | null {
  const inner = boxesIn(b, moof[1] + 8, moof[2]);
  const mfhd = only(inner, 'mfhd')[0];
  const trafs = only(inner, 'traf');
  if (!mfhd || trafs.length !== 1 || inner.length !== 2) return null;
  const traf = trafs[0] as Box;
  const parts = boxesIn(b, traf[1] + 8, traf[2]);
  if (parts.some(([t]) => t !== 'tfhd' && t !== 'tfdt' && t !== 'trun')) return null;
  const tfhd = only(parts, 'tfhd')[0];
  const tfdt = only(parts, 'tfdt')[0];
  const truns = only(parts, 'trun');
  if (!tfhd || !tfdt || truns.length !== 1) return null;
  const trun = truns[0] as Box;
  const tfhdFlags = dv.getUint32(tfhd[1] + 8) & 0xffffff;
  if (tfhdFlags & 0x1) return null; // an explicit base data offset: a position in the file, not in this part
  let p = tfhd[1] + 16;
  if (tfhdFlags & 0x2) p += 4;
  const defDuration = tfhdFlags & 0x8 ? dv.getUint32(p) : trex.duration;
  if (tfhdFlags & 0x8) p += 4;
  const defSize = tfhdFlags & 0x10 ? dv.getUint32(p) : trex.size;
  const decodeTime = b[tfdt[1] + 8] === 1 ? Number(dv.getBigUint64(tfdt[1] + 12)) : dv.getUint32(tfdt[1] + 12);
  const trunVersion = b[trun[1] + 8] as number;
  const trunFlags = dv.getUint32(trun[1] + 8) & 0xffffff;
  if (!(trunFlags & 0x1)) return null;
  const count = dv.getUint32(trun[1] + 12);
  const dataOffset = dv.getInt32(trun[1] + 16);
  let q = trun[1] + 20;
  let firstFlags: number | null = null;
  if (trunFlags & 0x4) { firstFlags = dv.getUint32(q); q += 4; }
  const entryBytes = 4 * [0x100, 0x200, 0x400, 0x800].filter((f) => trunFlags & f).length;
  if (q + count * entryBytes !== trun[2]) return null;
  const samples: Fragment['samples'] = [];
  for (let i = 0; i < count; i++) {
    let e = q + i * entryBytes;
    const entry = e;
    const duration = trunFlags & 0x100 ? dv.getUint32(e) : defDuration;
    if (trunFlags & 0x100) e += 4;
    const size = trunFlags & 0x200 ? dv.getUint32(e) : defSize;
    if (trunFlags & 0x200) e += 4;
    if (trunFlags & 0x400) e += 4;
    if (trunFlags & 0x800 && dv.getUint32(e) !== 0) return null; // presented out of decode order (B-frames): not cut
    if (!duration || !size) return null;
    samples.push({ entry, duration, size });
  }
  const dataStart = moof[1] + dataOffset;
  const dataEnd = dataStart + samples.reduce((n, x) => n + x.size, 0);
  if (dataStart < mdat[1] + 8 || dataEnd > mdat[2]) return null;
  return { moof, mdat, mfhd, tfhd, decodeTime, trunFlags, trunVersion, firstFlags, samples, entryBytes, dataStart };
}

function u32(n: number): Uint8Array {
  const o = new Uint8Array(4);
  new DataView(o.buffer).setUint32(0, n >>> 0);
  return o;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) { out.set(x, o); o += x.length; }
  return out;
}

function box(type: string, ...body: Uint8Array[]): Uint8Array {
  const inner = concat(body);
  const out = new Uint8Array(inner.length + 8);
  new DataView(out.buffer).setUint32(0, out.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(inner, 8);
  return out;
}

/** Samples [from, to) of fragment f as a `moof`/`mdat` pair of their own (a tfdt of version 1, data offset from the moof). */
function piece(b: Uint8Array, f: Fragment, from: number, to: number): Uint8Array {
  const before = f.samples.slice(0, from).reduce((n, x) => n + x.duration, 0);
  const decode = new Uint8Array(8);
  new DataView(decode.buffer).setBigUint64(0, BigInt(f.decodeTime + before));
  const tfdt = box('tfdt', new Uint8Array([1, 0, 0, 0]), decode);
  // the first sample's own flags (a key frame's) belong to the fragment's first sample only
  const first = from === 0 && f.firstFlags !== null;
  const flags = (f.trunFlags & ~0x4) | (first ? 0x4 : 0);
  const entries = b.subarray((f.samples[from] as Fragment['samples'][0]).entry, (f.samples[to - 1] as Fragment['samples'][0]).entry + f.entryBytes);
  const build = (offset: number) => box('moof', b.subarray(f.mfhd[1], f.mfhd[2]), box('traf', b.subarray(f.tfhd[1], f.tfhd[2]), tfdt,
    box('trun', u32((f.trunVersion << 24) | flags), u32(to - from), u32(offset), ...(first ? [u32(f.firstFlags as number)] : []), entries)));
  const moofLength = build(0).length;
  let dataFrom = f.dataStart;
  for (let i = 0; i < from; i++) dataFrom += (f.samples[i] as Fragment['samples'][0]).size;
  let dataTo = dataFrom;
  for (let i = from; i < to; i++) dataTo += (f.samples[i] as Fragment['samples'][0]).size;
  return concat([build(moofLength + 8), box('mdat', b.subarray(dataFrom, dataTo))]);
}

/**
 * `part` (an init and whole fragments, as the host's `?at=` sends it) cut after the sample showing `atS` seconds of
 * decode time (the segment's own time, as the player appends it), and after the next sample too when `atS` lies within
 * a millisecond of the sample's end (the element's seek time is rounded to microseconds: either may be the picture).
 * Null when there is nothing after the picture, or the part is not one this cutter knows (then it is appended whole).
 */
export function cutAfterPicture(part: Uint8Array, atS: number): CutPart | null {
  const dv = new DataView(part.buffer, part.byteOffset, part.byteLength);
  const top = boxesIn(part, 0, part.length);
  if (!top.length || (top.at(-1) as Box)[2] !== part.length) return null;
  const moov = only(top, 'moov')[0];
  if (!moov) return null;
  const inMoov = boxesIn(part, moov[1] + 8, moov[2]);
  const traks = only(inMoov, 'trak');
  if (traks.length !== 1) return null;
  const mdia = only(boxesIn(part, (traks[0] as Box)[1] + 8, (traks[0] as Box)[2]), 'mdia')[0];
  const mdhd = mdia && only(boxesIn(part, mdia[1] + 8, mdia[2]), 'mdhd')[0];
  if (!mdhd) return null;
  const timescale = dv.getUint32(mdhd[1] + (part[mdhd[1] + 8] === 1 ? 28 : 20));
  const mvex = only(inMoov, 'mvex')[0];
  const trex = mvex && only(boxesIn(part, mvex[1] + 8, mvex[2]), 'trex')[0];
  const defaults = trex ? { duration: dv.getUint32(trex[1] + 20), size: dv.getUint32(trex[1] + 24) } : { duration: 0, size: 0 };
  if (!timescale) return null;
  const frags: Fragment[] = [];
  for (let i = 0; i < top.length; i++) {
    const x = top[i] as Box;
    if (x[0] !== 'moof') continue;
    const mdat = top[i + 1];
    if (mdat?.[0] !== 'mdat') return null;
    const f = fragment(part, dv, x, mdat, defaults);
    if (!f) return null;
    frags.push(f);
  }
  const firstFrag = frags[0];
  if (!firstFrag) return null;
  const at = atS * timescale + timescale / 1000;
  for (const [k, f] of frags.entries()) {
    let t = f.decodeTime;
    for (let i = 0; i < f.samples.length; i++) {
      const end = t + (f.samples[i] as Fragment['samples'][0]).duration;
      if (at < end || (k === 0 && i === 0 && at < t)) {
        const rest = frags.slice(k + 1);
        if (i + 1 === f.samples.length && !rest.length) return null; // the picture is the part's last sample
        const head = concat([part.subarray(0, f.moof[1]), piece(part, f, 0, i + 1)]);
        const tail = concat([
          ...(i + 1 < f.samples.length ? [piece(part, f, i + 1, f.samples.length)] : []),
          ...(rest.length ? [part.subarray((rest[0] as Fragment).moof[1], (rest.at(-1) as Fragment).mdat[2])] : []),
        ]);
        const last = (frags.at(-1) as Fragment);
        const tailEnd = last.decodeTime + last.samples.reduce((n, x) => n + x.duration, 0);
        return { head, tail, tailFromS: end / timescale, tailToS: tailEnd / timescale };
      }
      t = end;
    }
  }
  return null;
}
