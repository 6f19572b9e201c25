/**
 * A paused seek's first part (the init and its picture's GOP, `?at=`) cut in two after the picture: the head is
 * appended at once, the tail after every tile's picture. Chromium, decoding live (low-delay), completes a seek as soon
 * as its picture is decoded, and then decodes on into its renderer's queue (3 frames more) on the renderer's one media
 * thread that every player shares: a 16-tile seek decoded 48 frames nobody waited for before the last tile's picture.
 * Pure, in bytes: each cut fragment becomes a `moof`/`mdat` pair of its own on either side (docs/replay.md, "Seek,
 * fifteenth pass"). Only what this cutter fully understands is cut; anything else is appended whole as before.
 */
import { boxesIn, readFragment, timescaleOf, trexDefaults, type Mp4Box, type Mp4Fragment } from '../../electron/contract/fmp4.js';

/** The two sides of a cut part. `tailFromS`/`tailToS`: the tail's decode times in the segment's own seconds. */
export interface CutPart { head: Uint8Array; tail: Uint8Array; tailFromS: number; tailToS: number }

/** A fragment this cutter can split: plain, its data offset from its moof, every sample in decode order, all in its mdat. */
type Cuttable = Mp4Fragment & { mdat: Mp4Box; dataStart: number };

function cuttable(f: Mp4Fragment | null, mdat: Mp4Box): Cuttable | null {
  if (!f || !f.plain || f.tfhdFlags & 0x1 || f.dataOffset === null) return null; // a base data offset: a place in the file
  if (f.samples.some((s) => s.cto !== 0 || !s.duration || !s.size)) return null; // B-frames: not cut
  const dataStart = f.moof[1] + f.dataOffset;
  const dataEnd = dataStart + f.samples.reduce((n, x) => n + x.size, 0);
  return dataStart >= mdat[1] + 8 && dataEnd <= mdat[2] ? { ...f, mdat, dataStart } : null;
}

/** Samples [from, to) of fragment f as a `moof`/`mdat` pair of their own: its size, and a writer of it into a buffer. */
interface Piece { size: number; write(out: Uint8Array, at: number): void }

/**
 * Samples [from, to) of fragment f as a `moof`/`mdat` pair of their own (a tfdt of version 1, data offset from the moof).
 * Written in place into the one buffer of the whole head or tail: in the page, every large Uint8Array allocated is
 * mapped and zeroed (a cut built of nested copies took about 5 ms a tile of the main thread in a seek, docs/replay.md "Seek,
 * seventeenth pass").
 */
function piece(b: Uint8Array, f: Cuttable, from: number, to: number): Piece {
  const s = f.samples;
  // the first sample's own flags (a key frame's) belong to the fragment's first sample only
  const first = from === 0 && f.firstFlags !== null;
  const flags = (f.trunFlags & ~0x4) | (first ? 0x4 : 0);
  const mfhd = b.subarray(f.mfhd[1], f.mfhd[2]);
  const tfhd = b.subarray(f.tfhd[1], f.tfhd[2]);
  const entries = b.subarray(s[from]!.entry, s[to - 1]!.entry + f.entryBytes);
  let dataFrom = f.dataStart;
  let decodeTime = f.decodeTime;
  for (let i = 0; i < from; i++) { dataFrom += s[i]!.size; decodeTime += s[i]!.duration; }
  let dataTo = dataFrom;
  for (let i = from; i < to; i++) dataTo += s[i]!.size;
  const trunSize = 20 + (first ? 4 : 0) + entries.length;
  const trafSize = 8 + tfhd.length + 20 + trunSize; // tfdt: 20
  const moofSize = 8 + mfhd.length + trafSize;
  const mdatSize = 8 + dataTo - dataFrom;
  return {
    size: moofSize + mdatSize,
    write(out, at) {
      const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
      let o = at;
      const u32 = (n: number) => { v.setUint32(o, n >>> 0); o += 4; };
      const head = (size: number, type: string) => { u32(size); for (let i = 0; i < 4; i++) out[o++] = type.charCodeAt(i); };
      const bytes = (x: Uint8Array) => { out.set(x, o); o += x.length; };
      head(moofSize, 'moof');
      bytes(mfhd);
      head(trafSize, 'traf');
      bytes(tfhd);
      head(20, 'tfdt');
      u32(0x01000000); // version 1, no flags
      v.setBigUint64(o, BigInt(decodeTime)); o += 8;
      head(trunSize, 'trun');
      u32((f.trunVersion << 24) | flags);
      u32(to - from);
      u32(moofSize + 8); // the data offset: from the moof to the mdat's payload
      if (first) u32(f.firstFlags as number);
      bytes(entries);
      head(mdatSize, 'mdat');
      bytes(b.subarray(dataFrom, dataTo));
    },
  };
}

/** One buffer of `pieces` and byte ranges, in order. */
function join(parts: Array<Piece | Uint8Array>): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + (x instanceof Uint8Array ? x.length : x.size), 0));
  let o = 0;
  for (const x of parts) {
    if (x instanceof Uint8Array) { out.set(x, o); o += x.length; } else { x.write(out, o); o += x.size; }
  }
  return out;
}

/**
 * `part` (an init and whole fragments, as the host's `?at=` sends it) cut after the sample showing `atS` seconds of
 * decode time (the segment's own time, as the player appends it), and after the next sample too when `atS` lies within
 * a millisecond of the sample's end (the element's seek time is rounded to microseconds: either may be the picture).
 * Null when there is nothing after the picture, or the part is not one this cutter knows (then it is appended whole).
 */
export function cutAfterPicture(part: Uint8Array, atS: number): CutPart | null {
  const top = boxesIn(part, 0, part.length);
  if (!top.length || top.at(-1)![2] !== part.length) return null;
  const moov = top.find(([t]) => t === 'moov');
  if (!moov || boxesIn(part, moov[1] + 8, moov[2]).filter(([t]) => t === 'trak').length !== 1) return null;
  const timescale = timescaleOf(part, moov);
  if (!timescale) return null;
  const trex = trexDefaults(part, moov);
  const frags: Cuttable[] = [];
  for (let i = 0; i < top.length; i++) {
    if (top[i]![0] !== 'moof') continue;
    const mdat = top[i + 1];
    if (mdat?.[0] !== 'mdat') return null;
    const f = cuttable(readFragment(part, top[i]!, trex), mdat);
    if (!f) return null;
    frags.push(f);
  }
  if (!frags.length) return null;
  const at = atS * timescale + timescale / 1000;
  for (const [k, f] of frags.entries()) {
    let t = f.decodeTime;
    for (let i = 0; i < f.samples.length; i++) {
      const end = t + f.samples[i]!.duration;
      if (at < end || (k === 0 && i === 0 && at < t)) {
        const rest = frags.slice(k + 1);
        if (i + 1 === f.samples.length && !rest.length) return null; // the picture is the part's last sample
        const head = join([part.subarray(0, f.moof[1]), piece(part, f, 0, i + 1)]);
        const tail = join([
          ...(i + 1 < f.samples.length ? [piece(part, f, i + 1, f.samples.length)] : []),
          ...(rest.length ? [part.subarray(rest[0]!.moof[1], rest.at(-1)!.mdat[2])] : []),
        ]);
        const last = frags.at(-1)!;
        const tailEnd = last.decodeTime + last.samples.reduce((n, x) => n + x.duration, 0);
        return { head, tail, tailFromS: end / timescale, tailToS: tailEnd / timescale };
      }
      t = end;
    }
  }
  return null;
}
