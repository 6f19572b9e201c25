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
import { boxAt, boxesIn, childrenOf, isKey, readFragment, timescaleOf, trexDefaults, type Mp4Box } from '../../contract/fmp4.js';

export class Fmp4Unsupported extends Error {}

interface SourceFragment { start: number; end: number; tfdt: number; tfdtAt: number; tfdtVersion: number; mfhdAt: number; duration: number; sync: boolean }
interface ParsedMp4 { bytes: Buffer; ftyp: Mp4Box; moov: Mp4Box; stsd: Buffer; timescale: number; movieTimescale: number; mehdAt: number; mehdVersion: number; fragments: SourceFragment[] }

async function parse(file: string): Promise<ParsedMp4> {
  const b = await readFile(file);
  const top = boxesIn(b, 0, b.length);
  const ftyp = top.find(([t]) => t === 'ftyp');
  const moov = top.find(([t]) => t === 'moov');
  if (!ftyp || !moov) throw new Fmp4Unsupported(`${file}: no ftyp/moov`);
  const traks = childrenOf(b, moov).filter(([t]) => t === 'trak');
  if (traks.length !== 1) throw new Fmp4Unsupported(`${file}: ${traks.length} tracks`);
  const stsd = boxAt(b, traks[0]!, 'mdia', 'minf', 'stbl', 'stsd');
  const mvhd = boxAt(b, moov, 'mvhd');
  const mehd = boxAt(b, moov, 'mvex', 'mehd');
  const timescale = timescaleOf(b, moov);
  if (!timescale || !stsd || !mvhd || !boxAt(b, moov, 'mvex', 'trex')) throw new Fmp4Unsupported(`${file}: not a fragmented MP4 of ours`);
  const trex = trexDefaults(b, moov);
  const fragments: SourceFragment[] = [];
  for (let i = 0; i < top.length; i++) {
    const moof = top[i]!;
    if (moof[0] !== 'moof') continue;
    const mdat = top[i + 1];
    if (!mdat || mdat[0] !== 'mdat') break; // cut short: fragment without its data
    const f = readFragment(b, moof, trex);
    if (!f || f.trafs !== 1) throw new Fmp4Unsupported(`${file}: fragment layout`);
    if (f.tfhdFlags & 0x1) throw new Fmp4Unsupported(`${file}: absolute data offsets`);
    const tfdtVersion = b[f.tfdt[1] + 8] as number;
    fragments.push({ start: moof[1], end: mdat[2], tfdt: f.decodeTime, tfdtAt: f.tfdt[1] + 12, tfdtVersion, mfhdAt: f.mfhd[1] + 12,
      duration: f.samples.reduce((n, x) => n + x.duration, 0), sync: f.samples[0] !== undefined && isKey(f.samples[0]) });
  }
  return {
    bytes: b, ftyp, moov, stsd: codecConfig(b.subarray(stsd[1], stsd[2])), timescale, movieTimescale: b.readUInt32BE(mvhd[1] + (b[mvhd[1] + 8] === 1 ? 28 : 20)),
    mehdAt: mehd ? mehd[1] + 12 : -1, mehdVersion: mehd ? (b[mehd[1] + 8] as number) : 0, fragments,
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
          await write(p.bytes.subarray(p.ftyp[1], p.ftyp[2]));
          if (p.mehdAt >= 0) mehdPos = pos + p.mehdAt - p.moov[1];
          await write(p.bytes.subarray(p.moov[1], p.moov[2]));
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
