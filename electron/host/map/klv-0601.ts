/**
 * MISB ST 0601 (UAS Datalink Local Set) parser, strict (issue 10 §3): a drone's KLV metadata as it arrives in MPEG-TS
 * (klv-ts.ts). It checks the 16-byte Universal Key, the BER lengths, each item's length against the buffer, the
 * checksum (tag 1, last item, over every byte from the key to the checksum's own length) and the size of each item it
 * reads. What it reads: time (2), mission (3), platform heading (5), platform designation (10), sensor latitude,
 * longitude and true altitude (13-15), fields of view (16, 17), frame centre (23-25), the four corners (82-89 full, else
 * 26-33 offsets from the frame centre) and the LS version (65). Other tags are skipped. Pure: bytes in, fields out.
 */

/** The UAS Datalink Local Set's Universal Label (ST 0601). */
export const UAS_LS_KEY = Uint8Array.from([0x06, 0x0e, 0x2b, 0x34, 0x02, 0x0b, 0x01, 0x01, 0x0e, 0x01, 0x03, 0x01, 0x01, 0x00, 0x00, 0x00]);

/** Why a KLV packet was refused (counted with the unit rejects: docs/map.md). */
export type KlvRejectReason = 'klv-truncated' | 'klv-checksum' | 'klv-invalid';

/** [lat, lon] in WGS84 degrees. */
export type LatLon = [lat: number, lon: number];

export interface Uas0601 {
  /** Precision Time Stamp: microseconds since 1970 (tag 2). */
  timeUs: number;
  missionId?: string;
  platform?: string;
  /** Platform heading, degrees from north (tag 5). */
  heading?: number;
  sensorLat?: number;
  sensorLon?: number;
  /** Sensor true altitude, metres above MSL (tag 15). */
  sensorAlt?: number;
  hfov?: number;
  vfov?: number;
  frameCenter?: LatLon;
  frameCenterElev?: number;
  /** Upper left, upper right, lower right, lower left of the picture on the ground (ST 0601's order). */
  corners?: [LatLon, LatLon, LatLon, LatLon];
  version?: number;
}

export type KlvResult = { ok: true; value: Uas0601; bytes: number } | { ok: false; reason: KlvRejectReason; message: string; bytes: number };

/** ST 0601's checksum: a 16-bit sum of the bytes, those at even offsets in the high byte. */
export function klvChecksum(bytes: Uint8Array, end = bytes.length): number {
  let sum = 0;
  for (let i = 0; i < end; i++) sum = (sum + (bytes[i]! << (8 * ((i + 1) % 2)))) & 0xffff;
  return sum;
}

/** A BER length at `at`: its value and how many bytes it took, or null when the buffer ends first. */
export function berLength(b: Uint8Array, at: number): { value: number; size: number } | null {
  if (at >= b.length) return null;
  const first = b[at]!;
  if (first < 0x80) return { value: first, size: 1 };
  const n = first & 0x7f;
  if (n === 0 || n > 4) return { value: -1, size: 1 + n }; // indefinite or absurd: the caller refuses it
  if (at + 1 + n > b.length) return null;
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + b[at + 1 + i]!;
  return { value: v, size: 1 + n };
}

/** A BER-OID tag (7 bits a byte, high bit = more). */
function berOid(b: Uint8Array, at: number, end: number): { value: number; size: number } | null {
  let v = 0;
  for (let i = 0; i < 4 && at + i < end; i++) {
    const x = b[at + i]!;
    v = v * 128 + (x & 0x7f);
    if (x < 0x80) return { value: v, size: i + 1 };
  }
  return null;
}

const int = (b: Uint8Array, signed: boolean): number => {
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return signed && b.length > 0 && b[0]! >= 0x80 ? v - 2 ** (8 * b.length) : v;
};
/** Mapped signed value: -span..span over +-(2^(n-1) - 1); the most negative integer means "out of range": null. */
const mappedSigned = (b: Uint8Array, span: number): number | null => {
  const raw = int(b, true);
  const top = 2 ** (8 * b.length - 1) - 1;
  return raw === -top - 1 ? null : (raw * span) / top;
};
const mappedUnsigned = (b: Uint8Array, lo: number, hi: number): number => lo + (int(b, false) * (hi - lo)) / (2 ** (8 * b.length) - 1);

const SIZES: Record<number, number> = { 2: 8, 5: 2, 13: 4, 14: 4, 15: 2, 16: 2, 17: 2, 23: 4, 24: 4, 25: 2, 65: 1 };
for (let t = 26; t <= 33; t++) SIZES[t] = 2;
for (let t = 82; t <= 89; t++) SIZES[t] = 4;

/** Parses one ST 0601 packet starting at `at` (the key). `bytes` says how far it reached (to skip to the next one). */
export function parseUas0601(buf: Uint8Array, at = 0): KlvResult {
  const fail = (reason: KlvRejectReason, message: string, bytes = buf.length - at): KlvResult => ({ ok: false, reason, message, bytes });
  if (buf.length - at < UAS_LS_KEY.length + 1) return fail('klv-truncated', `KLV packet of ${buf.length - at} bytes: shorter than a key and a length`);
  for (let i = 0; i < UAS_LS_KEY.length; i++) {
    if (buf[at + i] !== UAS_LS_KEY[i]) return fail('klv-invalid', 'not a UAS Datalink Local Set (ST 0601) key');
  }
  const len = berLength(buf, at + 16);
  if (!len) return fail('klv-truncated', 'KLV length cut off');
  if (len.value < 0) return fail('klv-invalid', 'KLV length is not a definite BER length');
  const start = at + 16 + len.size;
  const end = start + len.value;
  if (end > buf.length) return fail('klv-truncated', `KLV value of ${len.value} bytes, ${buf.length - start} present`);
  const total = end - at;
  // The checksum is the last item: tag 1, length 2, over everything before its value.
  if (len.value < 4 || buf[end - 4] !== 0x01 || buf[end - 3] !== 0x02) return fail('klv-checksum', 'no checksum (tag 1) at the end of the packet', total);
  const want = (buf[end - 2]! << 8) | buf[end - 1]!;
  const got = klvChecksum(buf.subarray(at, end - 2));
  if (want !== got) return fail('klv-checksum', `checksum 0x${want.toString(16).padStart(4, '0')}, computed 0x${got.toString(16).padStart(4, '0')}`, total);

  const v: Partial<Uas0601> = {};
  const full: Record<number, number> = {};
  const offsets: Record<number, number> = {};
  let p = start;
  while (p < end - 4) {
    const tag = berOid(buf, p, end - 4);
    if (!tag) return fail('klv-invalid', `tag at byte ${p - at} runs past the items`, total);
    const l = berLength(buf, p + tag.size);
    if (!l || l.value < 0) return fail('klv-invalid', `tag ${tag.value}: bad length`, total);
    const vs = p + tag.size + l.size;
    if (vs + l.value > end - 4) return fail('klv-invalid', `tag ${tag.value}: ${l.value} bytes run past the packet`, total);
    const val = buf.subarray(vs, vs + l.value);
    const size = SIZES[tag.value];
    if (size !== undefined && l.value !== size) return fail('klv-invalid', `tag ${tag.value}: ${l.value} bytes, ST 0601 has ${size}`, total);
    switch (tag.value) {
      case 1: return fail('klv-invalid', 'checksum (tag 1) before the last item', total);
      case 2: v.timeUs = int(val, false); break;
      case 3: v.missionId = text(val); break;
      case 5: v.heading = mappedUnsigned(val, 0, 360); break;
      case 10: v.platform = text(val); break;
      case 13: v.sensorLat = mappedSigned(val, 90) ?? undefined; break;
      case 14: v.sensorLon = mappedSigned(val, 180) ?? undefined; break;
      case 15: v.sensorAlt = mappedUnsigned(val, -900, 19000); break;
      case 16: v.hfov = mappedUnsigned(val, 0, 180); break;
      case 17: v.vfov = mappedUnsigned(val, 0, 180); break;
      case 23: { const x = mappedSigned(val, 90); if (x !== null) v.frameCenter = [x, v.frameCenter?.[1] ?? NaN]; break; }
      case 24: { const x = mappedSigned(val, 180); if (x !== null) v.frameCenter = [v.frameCenter?.[0] ?? NaN, x]; break; }
      case 25: v.frameCenterElev = mappedUnsigned(val, -900, 19000); break;
      case 65: v.version = val[0]; break;
      default:
        if (tag.value >= 26 && tag.value <= 33) { const x = mappedSigned(val, 0.075); if (x !== null) offsets[tag.value] = x; }
        if (tag.value >= 82 && tag.value <= 89) { const x = mappedSigned(val, tag.value % 2 === 0 ? 90 : 180); if (x !== null) full[tag.value] = x; }
    }
    p = vs + l.value;
  }
  if (v.timeUs === undefined) return fail('klv-invalid', 'no Precision Time Stamp (tag 2), which ST 0601 requires', total);
  if (v.frameCenter && !v.frameCenter.every(Number.isFinite)) delete v.frameCenter;
  const corners = cornersFrom(full, 82) ?? (v.frameCenter ? cornersFrom(offsets, 26, v.frameCenter) : null);
  if (corners) v.corners = corners;
  return { ok: true, value: v as Uas0601, bytes: total };
}

/** Four corners from tags base..base+7 (lat, lon of points 1..4), plus the frame centre for offsets. */
function cornersFrom(m: Record<number, number>, base: number, center?: LatLon): Uas0601['corners'] | null {
  const out: LatLon[] = [];
  for (let i = 0; i < 4; i++) {
    const lat = m[base + 2 * i];
    const lon = m[base + 2 * i + 1];
    if (lat === undefined || lon === undefined) return null;
    out.push(center ? [center[0] + lat, center[1] + lon] : [lat, lon]);
  }
  return out as Uas0601['corners'];
}

function text(b: Uint8Array): string {
  return [...Buffer.from(b).toString('utf8')].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('').slice(0, 127);
}
