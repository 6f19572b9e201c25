/**
 * The recorded segments' wire format, read in one place: fragmented MP4 (`ftyp moov (moof mdat)*`, one fragment a
 * second, as the recorder's mp4mux writes it). The host reads a segment's fragment index from it (a seek is served the
 * init and one GOP: host/review/segment-layout.ts) and joins segments into one export (host/export/fmp4-concat.ts); the
 * page cuts a seek's part after its picture (renderer/review/fragment-cut.ts) and marks an init live or recorded
 * (renderer/review/segment-plan.ts). Pure, on bytes (a Node Buffer is a Uint8Array); nothing here throws on bad input:
 * what does not fit reads as absent (null, [], 0).
 */

const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** A box: its four-character type and where it lies, [start, end), its header included. */
export type Mp4Box = [type: string, start: number, end: number];

/**
 * The boxes directly inside [from, to) of bytes, in order (a 64-bit size read; size 0: to the end); stops at one that
 * does not fit: a file cut short counts as its whole boxes before the cut.
 */
export function boxesIn(bytes: Uint8Array, from: number, to: number): Mp4Box[] {
  const view = viewOf(bytes);
  const out: Mp4Box[] = [];
  for (let o = from; o + 8 <= to;) {
    let n = view.getUint32(o);
    if (n === 1) n = o + 16 <= to ? Number(view.getBigUint64(o + 8)) : 0;
    else if (n === 0) n = to - o;
    if (n < 8 || o + n > to) break;
    out.push([String.fromCharCode(bytes[o + 4]!, bytes[o + 5]!, bytes[o + 6]!, bytes[o + 7]!), o, o + n]);
    o += n;
  }
  return out;
}

/** The boxes inside a container box (its body, after a header of 8 bytes or, with a 64-bit size, 16). */
export const childrenOf = (bytes: Uint8Array, box: Mp4Box): Mp4Box[] => boxesIn(bytes, box[1] + (viewOf(bytes).getUint32(box[1]) === 1 ? 16 : 8), box[2]);

/** The first box of that type along the path from inside `box` (['trak', 'mdia', 'mdhd']), or null. */
export function boxAt(bytes: Uint8Array, box: Mp4Box, ...path: string[]): Mp4Box | null {
  let at: Mp4Box | null = box;
  for (const type of path) at = at ? childrenOf(bytes, at).find(([t]) => t === type) ?? null : null;
  return at;
}

/** The boxes of an init segment's top-level `moov` (none when a fragment or its data comes first). */
export function moovChildren(bytes: Uint8Array): Mp4Box[] {
  for (const box of boxesIn(bytes, 0, bytes.length)) {
    if (box[0] === 'moof' || box[0] === 'mdat') return [];
    if (box[0] === 'moov') return childrenOf(bytes, box);
  }
  return [];
}

/** The first track's media timescale (its `mdhd`), 0 when absent. */
export function timescaleOf(bytes: Uint8Array, moov: Mp4Box): number {
  const mdhd = boxAt(bytes, moov, 'trak', 'mdia', 'mdhd');
  return mdhd && mdhd[2] - mdhd[1] >= 32 ? viewOf(bytes).getUint32(mdhd[1] + (bytes[mdhd[1] + 8] === 1 ? 28 : 20)) : 0;
}

/** What a fragment's samples are when neither `tfhd` nor `trun` says (the `moov`'s `mvex/trex`; zeros without one). */
export interface TrexDefaults { duration: number; size: number; flags: number }

export function trexDefaults(bytes: Uint8Array, moov: Mp4Box): TrexDefaults {
  const trex = boxAt(bytes, moov, 'mvex', 'trex');
  if (!trex || trex[2] - trex[1] < 32) return { duration: 0, size: 0, flags: 0 };
  const v = viewOf(bytes);
  return { duration: v.getUint32(trex[1] + 20), size: v.getUint32(trex[1] + 24), flags: v.getUint32(trex[1] + 28) };
}

/** More samples than any fragment holds (a second of video at 1,000 fps is 1,000): a damaged count. */
const MAX_SAMPLES = 100_000;

/** One sample of a fragment: where its `trun` entry lies, its duration, size and flags, and its composition offset. */
export interface FragmentSample { entry: number; duration: number; size: number; flags: number; cto: number }

/** A `moof` read: its first `traf`'s `tfhd`, `tfdt` and `trun`s, every sample of them in order. */
export interface Mp4Fragment {
  moof: Mp4Box; mfhd: Mp4Box; tfhd: Mp4Box; tfdt: Mp4Box;
  /** How many `traf`s the moof holds (one track each; the samples are the first one's). */
  trafs: number;
  /** The moof holds exactly mfhd and one traf, and the traf exactly tfhd, tfdt and one trun (nothing this reader skipped). */
  plain: boolean;
  tfhdFlags: number;
  decodeTime: number;
  /** Of the first trun (the only one when plain): */
  trunFlags: number;
  trunVersion: number;
  /** The trun's data offset (from the moof's start unless the tfhd gives a base offset), null without one. */
  dataOffset: number | null;
  /** The trun's first-sample flags, null without them. */
  firstFlags: number | null;
  /** Bytes per trun entry. */
  entryBytes: number;
  samples: FragmentSample[];
}

/** The fragment of `moof` (a box of bytes), or null when it has no traf, tfhd, tfdt or trun, or a trun that does not fit. */
export function readFragment(bytes: Uint8Array, moof: Mp4Box, trex: TrexDefaults): Mp4Fragment | null {
  try {
    return fragmentOf(bytes, moof, trex);
  } catch {
    return null; // a field past the end of the bytes (a box shorter than its flags say)
  }
}

function fragmentOf(bytes: Uint8Array, moof: Mp4Box, trex: TrexDefaults): Mp4Fragment | null {
  const v = viewOf(bytes);
  const inner = childrenOf(bytes, moof);
  const mfhd = inner.find(([t]) => t === 'mfhd');
  const trafs = inner.filter(([t]) => t === 'traf');
  const traf = trafs[0];
  if (!mfhd || !traf) return null;
  const parts = childrenOf(bytes, traf);
  const tfhd = parts.find(([t]) => t === 'tfhd');
  const tfdt = parts.find(([t]) => t === 'tfdt');
  const truns = parts.filter(([t]) => t === 'trun');
  const trun = truns[0];
  if (!tfhd || !tfdt || !trun || tfhd[2] - tfhd[1] < 16 || tfdt[2] - tfdt[1] < (bytes[tfdt[1] + 8] === 1 ? 20 : 16) || truns.some(([, a, b]) => b - a < 16)) return null;
  const plain = inner.length === 2 && trafs.length === 1 && parts.length === 3 && truns.length === 1;
  const tfhdFlags = v.getUint32(tfhd[1] + 8) & 0xffffff;
  let p = tfhd[1] + 16;
  if (tfhdFlags & 0x1) p += 8;
  if (tfhdFlags & 0x2) p += 4;
  const defDuration = tfhdFlags & 0x8 ? v.getUint32(p) : trex.duration;
  if (tfhdFlags & 0x8) p += 4;
  const defSize = tfhdFlags & 0x10 ? v.getUint32(p) : trex.size;
  if (tfhdFlags & 0x10) p += 4;
  const defFlags = tfhdFlags & 0x20 ? v.getUint32(p) : trex.flags;
  if (p + (tfhdFlags & 0x20 ? 4 : 0) > tfhd[2]) return null;
  const decodeTime = bytes[tfdt[1] + 8] === 1 ? Number(v.getBigUint64(tfdt[1] + 12)) : v.getUint32(tfdt[1] + 12);
  const samples: FragmentSample[] = [];
  const runs = truns.map((run) => {
    const version = bytes[run[1] + 8] as number;
    const flags = v.getUint32(run[1] + 8) & 0xffffff;
    const count = v.getUint32(run[1] + 12);
    let q = run[1] + 16;
    let dataOffset: number | null = null;
    if (flags & 0x1) { dataOffset = v.getInt32(q); q += 4; }
    let firstFlags: number | null = null;
    if (flags & 0x4) { firstFlags = v.getUint32(q); q += 4; }
    const entryBytes = 4 * [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length;
    // entries that fill the trun exactly; and a count a fragment can hold (a trun without per-sample fields would
    // otherwise take any count, and a damaged one 4 billion samples)
    if (q + count * entryBytes !== run[2] || count > MAX_SAMPLES) return null;
    for (let i = 0; i < count; i++) {
      let e = q + i * entryBytes;
      const entry = e;
      const duration = flags & 0x100 ? v.getUint32(e) : defDuration;
      if (flags & 0x100) e += 4;
      const size = flags & 0x200 ? v.getUint32(e) : defSize;
      if (flags & 0x200) e += 4;
      const sampleFlags = i === 0 && firstFlags !== null ? firstFlags : flags & 0x400 ? v.getUint32(e) : defFlags;
      if (flags & 0x400) e += 4;
      const cto = flags & 0x800 ? (version === 1 ? v.getInt32(e) : v.getUint32(e)) : 0;
      samples.push({ entry, duration, size, flags: sampleFlags, cto });
    }
    return { version, flags, dataOffset, firstFlags, entryBytes };
  });
  const first = runs[0];
  if (!first || runs.some((r) => r === null)) return null; // a trun whose entries do not fill it exactly
  return { moof, mfhd, tfhd, tfdt, trafs: trafs.length, plain, tfhdFlags, decodeTime, trunFlags: first.flags, trunVersion: first.version,
    dataOffset: first.dataOffset, firstFlags: first.firstFlags, entryBytes: first.entryBytes, samples };
}

/** A sample is a sync sample (a key frame) unless its flags say sample_is_non_sync_sample. */
export const isKey = (s: FragmentSample): boolean => (s.flags & 0x10000) === 0;
