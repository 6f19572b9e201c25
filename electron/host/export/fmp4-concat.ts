/**
 * Export without ffmpeg: recorded segments are fragmented MP4 (ftyp + moov + moof/mdat fragments) with the same
 * codec configuration, so one continuous stretch becomes one fragmented MP4 (ISO/IEC 14496-12, what DASH, HLS and
 * every current player use) by writing the first segment's header and then every fragment as it is on disk, with
 * only its sequence number and decode time rewritten, and the header's total duration set. No sample is touched.
 * Decode times keep the recording's own clock: a picture `t` ms into the file was captured `t` ms after the file's
 * start. Inside a segment the fragments keep their spacing; a segment starts at its capture time after the one before
 * (the few ms to a second a stretch may skip between segments stay in the file as a gap, where players hold the last
 * picture; squeezing them out made an incident package's replay drift a frame or more behind the recording within
 * half a minute), never earlier than the previous fragment's end. Cuts land on fragment boundaries: the first fragment
 * kept is the last one starting with a key frame at or before the start of the range, the last one kept is the
 * last starting before its end (fragments are about a second). Anything unexpected (a codec change, a layout this
 * parser does not know) throws `Fmp4Unsupported` and the caller falls back to ffmpeg.
 */
import { open, readFile } from 'node:fs/promises';

export class Fmp4Unsupported extends Error {}

interface Mp4Box { type: string; start: number; end: number; body: number }
interface Fragment { start: number; end: number; tfdt: number; tfdtAt: number; tfdtVersion: number; mfhdAt: number; duration: number; sync: boolean }
interface ParsedMp4 { bytes: Buffer; ftyp: Mp4Box; moov: Mp4Box; stsd: Buffer; timescale: number; movieTimescale: number; mehdAt: number; mehdVersion: number; fragments: Fragment[] }

function boxes(b: Buffer, from: number, to: number): Mp4Box[] {
  const out: Mp4Box[] = [];
  let off = from;
  while (off + 8 <= to) {
    let size = b.readUInt32BE(off);
    let body = off + 8;
    if (size === 1) { size = Number(b.readBigUInt64BE(off + 8)); body = off + 16; } else if (size === 0) size = to - off;
    if (size < 8 || off + size > to) break; // a file cut short: the whole boxes before are what counts
    out.push({ type: b.toString('latin1', off + 4, off + 8), start: off, end: off + size, body });
    off += size;
  }
  return out;
}
const child = (b: Buffer, parent: Mp4Box, type: string) => boxes(b, parent.body, parent.end).find((x) => x.type === type);
const path = (b: Buffer, parent: Mp4Box, ...types: string[]) => types.reduce<Mp4Box | undefined>((p, t) => (p ? child(b, p, t) : undefined), parent);

async function parse(file: string): Promise<ParsedMp4> {
  const b = await readFile(file);
  const top = boxes(b, 0, b.length);
  const ftyp = top.find((x) => x.type === 'ftyp');
  const moov = top.find((x) => x.type === 'moov');
  if (!ftyp || !moov) throw new Fmp4Unsupported(`${file}: no ftyp/moov`);
  const traks = boxes(b, moov.body, moov.end).filter((x) => x.type === 'trak');
  if (traks.length !== 1) throw new Fmp4Unsupported(`${file}: ${traks.length} tracks`);
  const mdhd = path(b, traks[0] as Mp4Box, 'mdia', 'mdhd');
  const stsd = path(b, traks[0] as Mp4Box, 'mdia', 'minf', 'stbl', 'stsd');
  const mvhd = child(b, moov, 'mvhd');
  const mehd = path(b, moov, 'mvex', 'mehd');
  const trex = path(b, moov, 'mvex', 'trex');
  if (!mdhd || !stsd || !mvhd || !trex) throw new Fmp4Unsupported(`${file}: not a fragmented MP4 of ours`);
  const ts = (box: Mp4Box) => b.readUInt32BE(box.body + (b[box.body] === 1 ? 20 : 12));
  const trexDuration = b.readUInt32BE(trex.body + 12);
  const trexFlags = b.readUInt32BE(trex.body + 20);
  const fragments: Fragment[] = [];
  for (let i = 0; i < top.length; i++) {
    const moof = top[i] as Mp4Box;
    if (moof.type !== 'moof') continue;
    const mdat = top[i + 1];
    if (!mdat || mdat.type !== 'mdat') break; // cut short: fragment without its data
    const trafs = boxes(b, moof.body, moof.end).filter((x) => x.type === 'traf');
    const mfhd = child(b, moof, 'mfhd');
    const traf = trafs[0];
    if (trafs.length !== 1 || !traf || !mfhd) throw new Fmp4Unsupported(`${file}: fragment layout`);
    const tfhd = child(b, traf, 'tfhd');
    const tfdt = child(b, traf, 'tfdt');
    const truns = boxes(b, traf.body, traf.end).filter((x) => x.type === 'trun');
    if (!tfhd || !tfdt || truns.length === 0) throw new Fmp4Unsupported(`${file}: fragment without tfhd/tfdt/trun`);
    const tfhdFlags = b.readUInt32BE(tfhd.body) & 0xffffff;
    if (tfhdFlags & 0x1) throw new Fmp4Unsupported(`${file}: absolute data offsets`);
    let p = tfhd.body + 8;
    if (tfhdFlags & 0x2) p += 4;
    const defDuration = tfhdFlags & 0x8 ? b.readUInt32BE(p) : trexDuration;
    if (tfhdFlags & 0x8) p += 4;
    if (tfhdFlags & 0x10) p += 4;
    const defFlags = tfhdFlags & 0x20 ? b.readUInt32BE(p) : trexFlags;
    const tfdtVersion = b[tfdt.body] as number;
    const decode = tfdtVersion === 1 ? Number(b.readBigUInt64BE(tfdt.body + 4)) : b.readUInt32BE(tfdt.body + 4);
    let duration = 0;
    let sync: boolean | null = null;
    for (const trun of truns) {
      const flags = b.readUInt32BE(trun.body) & 0xffffff;
      const count = b.readUInt32BE(trun.body + 4);
      let q = trun.body + 8;
      if (flags & 0x1) q += 4;
      let firstFlags: number | null = null;
      if (flags & 0x4) { firstFlags = b.readUInt32BE(q); q += 4; }
      const entry = ((flags & 0x100) ? 4 : 0) + ((flags & 0x200) ? 4 : 0) + ((flags & 0x400) ? 4 : 0) + ((flags & 0x800) ? 4 : 0);
      if (q + entry * count > trun.end) throw new Fmp4Unsupported(`${file}: trun overruns its box`);
      for (let s = 0; s < count; s++) {
        let r = q + s * entry;
        duration += flags & 0x100 ? b.readUInt32BE(r) : defDuration;
        if (flags & 0x100) r += 4;
        if (flags & 0x200) r += 4;
        const sFlags = s === 0 && firstFlags !== null ? firstFlags : flags & 0x400 ? b.readUInt32BE(r) : defFlags;
        if (sync === null) sync = (sFlags & 0x10000) === 0; // sample_is_non_sync_sample
      }
    }
    fragments.push({ start: moof.start, end: mdat.end, tfdt: decode, tfdtAt: tfdt.body + 4, tfdtVersion, mfhdAt: mfhd.body + 4, duration, sync: sync ?? false });
  }
  return {
    bytes: b, ftyp, moov, stsd: codecConfig(b.subarray(stsd.start, stsd.end)), timescale: ts(mdhd), movieTimescale: ts(mvhd),
    mehdAt: mehd ? mehd.body + 4 : -1, mehdVersion: mehd ? (b[mehd.body] as number) : 0, fragments,
  };
}

/** The sample entry's type and its decoder configuration box (avcC / hvcC): what must not change inside a file (a bitrate box may). */
function codecConfig(stsd: Buffer): Buffer {
  for (const tag of ['avcC', 'hvcC']) {
    const i = stsd.indexOf(tag, 0, 'latin1');
    if (i >= 4) return Buffer.concat([stsd.subarray(12 + 4, 12 + 8), stsd.subarray(i - 4, i - 4 + stsd.readUInt32BE(i - 4))]);
  }
  throw new Fmp4Unsupported('not H.264 or H.265');
}

export interface ConcatSource { path: string; startMs: number }
export interface ConcatResult { bytes: number; startMs: number; endMs: number }

/** Writes the fragments of `sources` (one continuous stretch, in order) overlapping [fromMs, toMs) into `out`. */
export async function concatFmp4(sources: readonly ConcatSource[], fromMs: number, toMs: number, out: string, signal?: AbortSignal): Promise<ConcatResult> {
  // one segment in memory at a time, async reads and writes: a long export never blocks the host's event loop
  // (the wall's frames go through it) nor holds hours of video in memory
  const fh = await open(out, 'w');
  let pos = 0;
  const write = async (buf: Buffer, at?: number) => { await fh.write(buf, 0, buf.length, at ?? pos); if (at === undefined) pos += buf.length; };
  let head: ParsedMp4 | null = null;
  let mehdPos = -1;
  let decode = 0;
  let seq = 0;
  let startMs: number | null = null;
  let endMs = 0;
  try {
    for (const src of sources) {
      if (signal?.aborted) throw abortError();
      const p = await parse(src.path);
      const t0 = p.fragments[0]?.tfdt ?? 0;
      const frags = p.fragments.map((f) => ({ f, wallMs: src.startMs + ((f.tfdt - t0) * 1000) / p.timescale }));
      let from = 0;
      if (startMs === null) {
        // the first fragment kept starts with a key frame at or before the range's start
        for (let i = 0; i < frags.length; i++) { const x = frags[i] as (typeof frags)[number]; if (x.wallMs > fromMs) break; if (x.f.sync) from = i; }
        while (from < frags.length && !(frags[from] as (typeof frags)[number]).f.sync) from++;
      }
      let sourceDecode: number | null = null; // decode time of this source's first fragment kept, in the output
      let sourceTfdt = 0;
      for (const { f, wallMs } of frags.slice(from)) {
        if (wallMs >= toMs && startMs !== null) break;
        if (sourceDecode === null) {
          // where the recording's clock puts it, after what is written already
          sourceDecode = startMs === null ? 0 : Math.max(decode, Math.round(((wallMs - startMs) * p.timescale) / 1000));
          sourceTfdt = f.tfdt;
        }
        decode = Math.max(decode, sourceDecode + f.tfdt - sourceTfdt);
        if (!head) {
          head = p;
          await write(p.bytes.subarray(p.ftyp.start, p.ftyp.end));
          if (p.mehdAt >= 0) mehdPos = pos + p.mehdAt - p.moov.start;
          await write(p.bytes.subarray(p.moov.start, p.moov.end));
        } else if (!p.stsd.equals(head.stsd) || p.timescale !== head.timescale) {
          throw new Fmp4Unsupported('the codec configuration changes inside the stretch');
        }
        if (head.fragments[0]?.tfdtVersion !== 1 && decode + f.duration > 0xffffffff) throw new Fmp4Unsupported('the stretch is too long for 32-bit decode times');
        const frag = Buffer.from(p.bytes.subarray(f.start, f.end));
        frag.writeUInt32BE(++seq, f.mfhdAt - f.start);
        if (f.tfdtVersion === 1) frag.writeBigUInt64BE(BigInt(decode), f.tfdtAt - f.start); else frag.writeUInt32BE(decode, f.tfdtAt - f.start);
        decode += f.duration;
        await write(frag);
        startMs ??= wallMs;
        endMs = wallMs + (f.duration * 1000) / p.timescale;
      }
    }
    if (!head || startMs === null) throw new Fmp4Unsupported('no whole fragment in the range');
    if (mehdPos >= 0) {
      // the header's total duration: the whole stretch, not the first segment's
      const movieDur = Math.round((decode * head.movieTimescale) / head.timescale);
      const buf = Buffer.alloc(head.mehdVersion === 1 ? 8 : 4);
      if (head.mehdVersion === 1) buf.writeBigUInt64BE(BigInt(movieDur)); else buf.writeUInt32BE(Math.min(movieDur, 0xffffffff));
      await write(buf, mehdPos);
    }
  } finally {
    await fh.close();
  }
  return { bytes: pos, startMs: Math.round(startMs), endMs: Math.round(endMs) };
}

function abortError(): Error { const e = new Error('cancelled'); e.name = 'AbortError'; return e; }
