/**
 * Where the fragments of a recorded fragmented-MP4 segment lie in its file, read from the box headers alone
 * (a few small reads, not the 2 MB of media), so a seek can be served the init and the one GOP it needs instead
 * of the whole segment. Recorded segments are `ftyp moov (moof mdat)*`, one fragment a second.
 */
import { open } from 'node:fs/promises';

export interface SegmentFragment {
  /** Byte range of moof + mdat in the file. */
  start: number;
  end: number;
  /** Decode time of its first sample, in ms from the first fragment's. */
  atMs: number;
  /** Its first sample is a key frame (decoding can start here). */
  key: boolean;
}

export interface SegmentLayout {
  /** ftyp + moov end here: bytes [0, initEnd) are the init segment. */
  initEnd: number;
  fragments: SegmentFragment[];
  /** Decode time from the first fragment's first sample to the end of the last fragment's last sample, in ms. */
  durationMs: number;
}

const MAX_HEADER = 1 << 20;

/** The segment's layout, or null when the file is not a fragmented MP4 this reader knows (callers serve it whole). */
export async function readSegmentLayout(path: string): Promise<SegmentLayout | null> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const read = async (at: number, n: number) => {
      const b = Buffer.alloc(n);
      const { bytesRead } = await fh.read(b, 0, n, at);
      return b.subarray(0, bytesRead);
    };
    let initEnd = -1;
    let timescale = 0;
    let trexFlags = 0;
    let trexDuration = 0;
    let first: number | null = null;
    let endDecode = 0;
    const fragments: SegmentFragment[] = [];
    let moof: { start: number; decode: number; key: boolean; duration: number } | null = null;
    for (let off = 0; off + 8 <= size;) {
      const h = await read(off, 16);
      if (h.length < 8) break;
      let len = h.readUInt32BE(0);
      if (len === 1 && h.length >= 16) len = Number(h.readBigUInt64BE(8));
      else if (len === 0) len = size - off;
      const type = h.toString('latin1', 4, 8);
      if (len < 8 || off + len > size) break; // cut short: the whole boxes before it are what counts
      if (type === 'moov') {
        if (len > MAX_HEADER) return null;
        const m = await read(off, len);
        timescale = mdhdTimescale(m);
        trexFlags = trexDefaultFlags(m);
        trexDuration = trexDefaultDuration(m);
        initEnd = off + len;
      } else if (type === 'moof') {
        if (len > MAX_HEADER || initEnd < 0 || !timescale) return null;
        const f = parseMoof(await read(off, len), trexFlags, trexDuration);
        if (!f) return null;
        moof = { start: off, ...f };
      } else if (type === 'mdat' && moof) {
        first ??= moof.decode;
        fragments.push({ start: moof.start, end: off + len, atMs: ((moof.decode - first) * 1000) / timescale, key: moof.key });
        endDecode = moof.decode + moof.duration;
        moof = null;
      }
      off += len;
    }
    return initEnd > 0 && fragments.length && first !== null ? { initEnd, fragments, durationMs: ((endDecode - first) * 1000) / timescale } : null;
  } finally {
    await fh.close();
  }
}

/**
 * Fragments to send first for a picture `atMs` after the segment's start: from the last key fragment at or
 * before it through the last fragment before the next key fragment (the whole GOP, so what is appended later
 * starts on a key frame). Indices into layout.fragments, inclusive.
 */
export function fragmentsFor(layout: SegmentLayout, atMs: number): [number, number] {
  const f = layout.fragments;
  let j = 0;
  while (j + 1 < f.length && (f[j + 1] as SegmentFragment).atMs <= atMs) j++;
  let k = j;
  while (k > 0 && !(f[k] as SegmentFragment).key) k--;
  while (j + 1 < f.length && !(f[j + 1] as SegmentFragment).key) j++;
  return [k, j];
}

/** Boxes directly inside [from, to) of b. */
function* children(b: Buffer, from: number, to: number): Generator<{ type: string; body: number; end: number }> {
  for (let off = from; off + 8 <= to;) {
    const len = b.readUInt32BE(off);
    if (len < 8 || off + len > to) return;
    yield { type: b.toString('latin1', off + 4, off + 8), body: off + 8, end: off + len };
    off += len;
  }
}

function find(b: Buffer, from: number, to: number, ...path: string[]): { body: number; end: number } | null {
  let box: { body: number; end: number } | null = { body: from, end: to };
  for (const t of path) {
    let next: { body: number; end: number } | null = null;
    for (const c of children(b, box.body, box.end)) if (c.type === t) { next = c; break; }
    if (!next) return null;
    box = next;
  }
  return box;
}

function mdhdTimescale(moov: Buffer): number {
  const mdhd = find(moov, 8, moov.length, 'trak', 'mdia', 'mdhd');
  if (!mdhd) return 0;
  return moov.readUInt32BE(mdhd.body + (moov[mdhd.body] === 1 ? 20 : 12));
}

function trexDefaultFlags(moov: Buffer): number {
  const trex = find(moov, 8, moov.length, 'mvex', 'trex');
  return trex ? moov.readUInt32BE(trex.body + 20) : 0;
}

function trexDefaultDuration(moov: Buffer): number {
  const trex = find(moov, 8, moov.length, 'mvex', 'trex');
  return trex ? moov.readUInt32BE(trex.body + 12) : 0;
}

/** Decode time, whether the first sample is a key frame and the samples' total duration, from a moof with one traf. */
function parseMoof(m: Buffer, trexFlags: number, trexDuration: number): { decode: number; key: boolean; duration: number } | null {
  const traf = find(m, 8, m.length, 'traf');
  if (!traf) return null;
  const tfhd = find(m, traf.body, traf.end, 'tfhd');
  const tfdt = find(m, traf.body, traf.end, 'tfdt');
  const trun = find(m, traf.body, traf.end, 'trun');
  if (!tfhd || !tfdt || !trun) return null;
  const tfhdFlags = m.readUInt32BE(tfhd.body) & 0xffffff;
  let p = tfhd.body + 8;
  if (tfhdFlags & 0x1) p += 8;
  if (tfhdFlags & 0x2) p += 4;
  const defDuration = tfhdFlags & 0x8 ? m.readUInt32BE(p) : trexDuration;
  if (tfhdFlags & 0x8) p += 4;
  if (tfhdFlags & 0x10) p += 4;
  const defFlags = tfhdFlags & 0x20 ? m.readUInt32BE(p) : trexFlags;
  const decode = m[tfdt.body] === 1 ? Number(m.readBigUInt64BE(tfdt.body + 4)) : m.readUInt32BE(tfdt.body + 4);
  const flags = m.readUInt32BE(trun.body) & 0xffffff;
  const count = m.readUInt32BE(trun.body + 4);
  let q = trun.body + 8;
  if (flags & 0x1) q += 4;
  let sampleFlags = defFlags;
  if (flags & 0x4) { sampleFlags = m.readUInt32BE(q); q += 4; }
  else if (flags & 0x400) sampleFlags = m.readUInt32BE(q + (flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0));
  // every sample's duration (each sample's own when the trun has them, else the default)
  let duration = 0;
  if (flags & 0x100) {
    const stride = 4 * [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length;
    for (let i = 0; i < count && q + i * stride + 4 <= trun.end; i++) duration += m.readUInt32BE(q + i * stride);
  } else duration = count * defDuration;
  return { decode, key: (sampleFlags & 0x10000) === 0, duration }; // sample_is_non_sync_sample
}
