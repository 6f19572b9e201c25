/**
 * The H.264 samples of a fragmented MP4 (a seek's `at` part: the init segment and the fragments from a key frame on, or
 * a whole recorded segment), for a WebCodecs VideoDecoder: the decoder's configuration from moov (codec string, avcC as
 * `description`, coded size) and each sample's bytes, decode and presentation times and key flag from moof
 * (tfhd/tfdt/trun, trex defaults) and mdat. Written for what the recorder (GStreamer mp4mux, fragmented) and FFmpeg
 * (`empty_moov`, with or without `default_base_moof`) write. Pure; never throws: a file it cannot read gives an error.
 * A part is cut from its file, so a tfhd's absolute base-data-offset no longer holds: every traf's data is taken
 * relative to its own moof (where FFmpeg and mp4mux point it), as when the moof is the base.
 */

export interface Fmp4Sample {
  /** Decode and presentation time in the track's timescale (tfdt + durations; + composition offset). */
  dts: number;
  pts: number;
  duration: number;
  /** A sync sample (decoding can start here). */
  key: boolean;
  /** The sample's bytes (a view into the input: AVC length-prefixed NAL units). */
  data: Uint8Array;
}

export interface Fmp4Video {
  /** `avc1.PPCCLL` from avcC. */
  codec: string;
  /** The avcC box's body (AVCDecoderConfigurationRecord): VideoDecoderConfig.description. */
  description: Uint8Array;
  width: number;
  height: number;
  timescale: number;
  /** In decode order. */
  samples: Fmp4Sample[];
}

export type Fmp4Result = { ok: true; video: Fmp4Video } | { ok: false; error: string };

interface Box { type: string; start: number; body: number; end: number }

/** Boxes directly inside [from, to) of b; a box running past `to` ends the list (cut short) and is reported. */
function boxes(b: Uint8Array, v: DataView, from: number, to: number): { list: Box[]; cut: boolean } {
  const list: Box[] = [];
  for (let off = from; off + 8 <= to;) {
    let len = v.getUint32(off);
    let body = off + 8;
    if (len === 1) {
      if (off + 16 > to) return { list, cut: true };
      len = Number(v.getBigUint64(off + 8));
      body = off + 16;
    } else if (len === 0) len = to - off;
    if (len < body - off || off + len > to) return { list, cut: true };
    list.push({ type: String.fromCharCode(b[off + 4]!, b[off + 5]!, b[off + 6]!, b[off + 7]!), start: off, body, end: off + len });
    off += len;
  }
  return { list, cut: false };
}

function child(b: Uint8Array, v: DataView, box: Box | null, type: string): Box | null {
  if (!box) return null;
  return boxes(b, v, box.body, box.end).list.find((x) => x.type === type) ?? null;
}

const hex = (n: number) => n.toString(16).padStart(2, '0');

/** The video track of `bytes` (ftyp moov (moof mdat)*), or why not. */
export function fmp4Samples(bytes: Uint8Array): Fmp4Result {
  const b = bytes;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  try {
    const top = boxes(b, v, 0, b.length);
    const moov = top.list.find((x) => x.type === 'moov');
    if (!moov) return { ok: false, error: top.cut ? 'cut short before the moov box ends' : 'no moov box' };
    // the video track: its id, timescale, sample entry
    let track: { id: number; timescale: number; codec: string; description: Uint8Array; width: number; height: number } | null = null;
    let hevc = false;
    for (const trak of boxes(b, v, moov.body, moov.end).list.filter((x) => x.type === 'trak')) {
      const mdia = child(b, v, trak, 'mdia');
      const hdlr = child(b, v, mdia, 'hdlr');
      if (!hdlr || String.fromCharCode(...b.subarray(hdlr.body + 8, hdlr.body + 12)) !== 'vide') continue;
      const tkhd = child(b, v, trak, 'tkhd');
      const mdhd = child(b, v, mdia, 'mdhd');
      const stsd = child(b, v, child(b, v, child(b, v, mdia, 'minf'), 'stbl'), 'stsd');
      if (!tkhd || !mdhd || !stsd) return { ok: false, error: 'video track without tkhd, mdhd or stsd' };
      const id = v.getUint32(tkhd.body + (b[tkhd.body] === 1 ? 20 : 12));
      const timescale = v.getUint32(mdhd.body + (b[mdhd.body] === 1 ? 20 : 12));
      // stsd: version/flags (4), entry count (4), then the sample entries
      const entry = boxes(b, v, stsd.body + 8, stsd.end).list[0];
      if (!entry) return { ok: false, error: 'no sample entry' };
      if (entry.type === 'hvc1' || entry.type === 'hev1') { hevc = true; continue; }
      if (entry.type !== 'avc1' && entry.type !== 'avc3') return { ok: false, error: `sample entry ${entry.type}` };
      // VisualSampleEntry: 6 reserved + 2 data ref index + 16 + width (2) + height (2) + ... = 78 bytes before its boxes
      const width = v.getUint16(entry.body + 24), height = v.getUint16(entry.body + 26);
      const avcC = boxes(b, v, entry.body + 78, entry.end).list.find((x) => x.type === 'avcC');
      if (!avcC || avcC.end - avcC.body < 7) return { ok: false, error: 'no avcC box' };
      track = { id, timescale, width, height, codec: `avc1.${hex(b[avcC.body + 1]!)}${hex(b[avcC.body + 2]!)}${hex(b[avcC.body + 3]!)}`, description: b.subarray(avcC.body, avcC.end) };
      break;
    }
    if (!track) return { ok: false, error: hevc ? 'H.265 (not decoded here)' : 'no video track' };
    if (!track.timescale) return { ok: false, error: 'timescale 0' };
    // trex defaults of the track
    let trex = { duration: 0, size: 0, flags: 0 };
    for (const x of boxes(b, v, child(b, v, moov, 'mvex')?.body ?? 0, child(b, v, moov, 'mvex')?.end ?? 0).list) {
      if (x.type === 'trex' && v.getUint32(x.body + 4) === track.id) trex = { duration: v.getUint32(x.body + 12), size: v.getUint32(x.body + 16), flags: v.getUint32(x.body + 20) };
    }
    const samples: Fmp4Sample[] = [];
    let nextDts: number | null = null;
    for (const moof of top.list.filter((x) => x.type === 'moof')) {
      let dataEnd = moof.start; // a traf without a base starts where the previous traf's data ended (the first: the moof)
      for (const traf of boxes(b, v, moof.body, moof.end).list.filter((x) => x.type === 'traf')) {
        const tfhd = child(b, v, traf, 'tfhd');
        if (!tfhd) return { ok: false, error: 'traf without tfhd' };
        const tf = v.getUint32(tfhd.body) & 0xffffff;
        if (v.getUint32(tfhd.body + 4) !== track.id) continue;
        let p = tfhd.body + 8;
        const base = tf & 0x1 || tf & 0x20000 ? moof.start : dataEnd; // an absolute base: its moof (see the header)
        if (tf & 0x1) p += 8;
        if (tf & 0x2) p += 4;
        const defDuration = tf & 0x8 ? v.getUint32(p) : trex.duration; if (tf & 0x8) p += 4;
        const defSize = tf & 0x10 ? v.getUint32(p) : trex.size; if (tf & 0x10) p += 4;
        const defFlags = tf & 0x20 ? v.getUint32(p) : trex.flags;
        const tfdt = child(b, v, traf, 'tfdt');
        let dts: number = tfdt ? (b[tfdt.body] === 1 ? Number(v.getBigUint64(tfdt.body + 4)) : v.getUint32(tfdt.body + 4)) : nextDts ?? 0;
        let at = base;
        for (const trun of boxes(b, v, traf.body, traf.end).list.filter((x) => x.type === 'trun')) {
          const version = b[trun.body]!;
          const fl = v.getUint32(trun.body) & 0xffffff;
          const count = v.getUint32(trun.body + 4);
          let q = trun.body + 8;
          if (fl & 0x1) { at = base + v.getInt32(q); q += 4; }
          let first: number | null = null;
          if (fl & 0x4) { first = v.getUint32(q); q += 4; }
          const stride = 4 * [0x100, 0x200, 0x400, 0x800].filter((f) => fl & f).length;
          if (q + count * stride > trun.end) return { ok: false, error: 'trun longer than its box' };
          for (let i = 0; i < count; i++) {
            const duration = fl & 0x100 ? v.getUint32(q) : defDuration; if (fl & 0x100) q += 4;
            const size = fl & 0x200 ? v.getUint32(q) : defSize; if (fl & 0x200) q += 4;
            const flags = fl & 0x400 ? v.getUint32(q) : i === 0 && first !== null ? first : defFlags; if (fl & 0x400) q += 4;
            const cto = fl & 0x800 ? (version === 0 ? v.getUint32(q) : v.getInt32(q)) : 0; if (fl & 0x800) q += 4;
            if (at + size > b.length) return { ok: false, error: `cut short: sample ${samples.length} ends at ${at + size} of ${b.length} bytes` };
            samples.push({ dts, pts: dts + cto, duration, key: (flags & 0x10000) === 0, data: b.subarray(at, at + size) });
            at += size;
            dts += duration;
          }
        }
        dataEnd = at;
        nextDts = dts;
      }
    }
    if (!samples.length) return { ok: false, error: top.cut ? 'cut short before the first fragment' : 'no samples' };
    return { ok: true, video: { ...track, samples } };
  } catch (err) {
    return { ok: false, error: `unreadable: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * The samples to decode for the picture at `pts` (track timescale): from the last key frame at or before it (decode
 * order) through the last sample shown at or before it; `target` is the index of the sample shown then (the one with
 * the greatest pts <= `pts`). Null when no key frame comes before it.
 */
export function samplesFor(samples: readonly Fmp4Sample[], pts: number): { from: number; to: number; target: number } | null {
  let target = -1;
  for (let i = 0; i < samples.length; i++) if (samples[i]!.pts <= pts && (target < 0 || samples[i]!.pts > samples[target]!.pts)) target = i;
  if (target < 0) return null;
  let from = target;
  while (from >= 0 && !samples[from]!.key) from--;
  if (from < 0) return null;
  // every sample of the GOP shown up to the target must be decoded (with B-frames they come after it in decode order)
  let to = target;
  for (let i = from; i < samples.length && (i === from || !samples[i]!.key); i++) if (samples[i]!.pts <= samples[target]!.pts) to = Math.max(to, i);
  return { from, to, target };
}
