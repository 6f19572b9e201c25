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
    let first: number | null = null;
    const fragments: SegmentFragment[] = [];
    let moof: { start: number; decode: number; key: boolean } | null = null;
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
        initEnd = off + len;
      } else if (type === 'moof') {
        if (len > MAX_HEADER || initEnd < 0 || !timescale) return null;
        const f = parseMoof(await read(off, len), trexFlags);
        if (!f) return null;
        moof = { start: off, ...f };
      } else if (type === 'mdat' && moof) {
        first ??= moof.decode;
        fragments.push({ start: moof.start, end: off + len, atMs: ((moof.decode - first) * 1000) / timescale, key: moof.key });
        moof = null;
      }
      off += len;
    }
    return initEnd > 0 && fragments.length ? { initEnd, fragments } : null;
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

/** Decode time and whether the first sample is a key frame, from a moof with one traf. */
function parseMoof(m: Buffer, trexFlags: number): { decode: number; key: boolean } | null {
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
  if (tfhdFlags & 0x8) p += 4;
  if (tfhdFlags & 0x10) p += 4;
  const defFlags = tfhdFlags & 0x20 ? m.readUInt32BE(p) : trexFlags;
  const decode = m[tfdt.body] === 1 ? Number(m.readBigUInt64BE(tfdt.body + 4)) : m.readUInt32BE(tfdt.body + 4);
  const flags = m.readUInt32BE(trun.body) & 0xffffff;
  let q = trun.body + 8;
  if (flags & 0x1) q += 4;
  let sampleFlags = defFlags;
  if (flags & 0x4) sampleFlags = m.readUInt32BE(q);
  else if (flags & 0x400) sampleFlags = m.readUInt32BE(q + (flags & 0x100 ? 4 : 0) + (flags & 0x200 ? 4 : 0));
  return { decode, key: (sampleFlags & 0x10000) === 0 }; // sample_is_non_sync_sample
}
