/**
 * Where the fragments of a recorded fragmented-MP4 segment lie in its file, read from the box headers alone
 * (a few small reads, not the 2 MB of media), so a seek can be served the init and the one GOP it needs instead
 * of the whole segment. Recorded segments are `ftyp moov (moof mdat)*`, one fragment a second.
 */
import { open } from 'node:fs/promises';
import { isKey, readFragment, timescaleOf, trexDefaults, type TrexDefaults } from '../../contract/fmp4.js';

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
    let trex: TrexDefaults = { duration: 0, size: 0, flags: 0 };
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
        timescale = timescaleOf(m, ['moov', 0, m.length]);
        trex = trexDefaults(m, ['moov', 0, m.length]);
        initEnd = off + len;
      } else if (type === 'moof') {
        if (len > MAX_HEADER || initEnd < 0 || !timescale) return null;
        const m = await read(off, len);
        const f = readFragment(m, ['moof', 0, m.length], trex);
        if (!f) return null;
        moof = { start: off, decode: f.decodeTime, key: f.samples[0] !== undefined && isKey(f.samples[0]), duration: f.samples.reduce((n, x) => n + x.duration, 0) };
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
