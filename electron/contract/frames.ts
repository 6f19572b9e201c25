/**
 * Binary frame protocol on the frame channel (WebSocket host -> renderer). One message carries one or more frames
 * back to back (the host coalesces the encoded frames of all cameras for up to FRAME_COALESCE_MS: every
 * WebSocket message costs Chromium's network service, browser and renderer about as much as its bytes, see
 * tests/bench/ws-micro.mjs). One frame = one picture: a fixed 48-byte little-endian header followed by either
 *  - decoded: I420 planes (Y, then U, then V, tightly packed: width*height + 2 * ceil(w/2)*ceil(h/2) bytes), or
 *  - encoded (flag bit2): one H.264 access unit in Annex B byte-stream form, which the renderer decodes itself
 *    (WebCodecs); bit3 marks an access unit that starts a GOP (IDR with its SPS/PPS), its length in payloadBytes.
 * Pure module: DataView only.
 *
 * Header layout: FRAME_HEADER_FIELDS below, in order, little-endian (offsets in FRAME_AT):
 *  magic u32 'KZF1' · headerBytes u16 (48) · flags u16 (bit0 keyframe-only, bit1 main stream, bit2 encoded, bit3 key
 *  access unit) · width u16 · height u16 · seq u32 (per camera stream) · ptsMs f64 (stream time) · captureMs f64 (epoch
 *  ms, 0 = unknown) · sentMs f64 (host send time, epoch ms) · slot u16 (camera index, see slot table) · generation u16 ·
 *  payloadBytes u32 (of an encoded frame; 0 for decoded frames, whose size follows from width and height).
 * This is TypeScript's one definition; Python's is native/worker/frame_header.py, and tests/unit/frame-header.test.ts
 * checks that the two agree. Code that reads or patches a field uses FRAME_AT, never a number.
 */
export const FRAME_HEADER_FIELDS = [
  ['magic', 'u32'], ['headerBytes', 'u16'], ['flags', 'u16'], ['width', 'u16'], ['height', 'u16'], ['seq', 'u32'],
  ['ptsMs', 'f64'], ['captureMs', 'f64'], ['sentMs', 'f64'], ['slot', 'u16'], ['generation', 'u16'],
  ['payloadBytes', 'u32'],
] as const;
export type FrameHeaderField = (typeof FRAME_HEADER_FIELDS)[number][0];
const FIELD_BYTES = { u16: 2, u32: 4, f64: 8 } as const;

/** Byte offset of each header field. */
export const FRAME_AT: Readonly<Record<FrameHeaderField, number>> = (() => {
  const at = {} as Record<FrameHeaderField, number>;
  let offset = 0;
  for (const [name, kind] of FRAME_HEADER_FIELDS) { at[name] = offset; offset += FIELD_BYTES[kind]; }
  return at;
})();
export const FRAME_MAGIC = 0x3146_5a4b; // 'KZF1' read little-endian
export const FRAME_HEADER_BYTES = 48;
export const FRAME_FLAG_KEYFRAME_ONLY = 1;
export const FRAME_FLAG_MAIN_STREAM = 2;
export const FRAME_FLAG_ENCODED = 4;
export const FRAME_FLAG_KEY = 8;
/** Largest encoded access unit accepted (a 4K intra frame at a high bitrate stays well below). */
export const MAX_ENCODED_BYTES = 8 * 1024 * 1024;

export interface FrameHeader {
  flags: number;
  width: number;
  height: number;
  seq: number;
  ptsMs: number;
  captureMs: number;
  sentMs: number;
  /** Index of the camera in the session's slot table (the 'frames.slots' text message). */
  slot: number;
  generation: number;
  /** Bytes after the header: the I420 planes, or the encoded access unit. */
  payloadBytes: number;
}

export function isEncoded(flags: number): boolean { return (flags & FRAME_FLAG_ENCODED) !== 0; }

export function i420Size(width: number, height: number): number {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  return width * height + 2 * cw * ch;
}

export function writeFrameHeader(target: Uint8Array, h: Omit<FrameHeader, 'payloadBytes'> & { payloadBytes?: number }): void {
  const v = new DataView(target.buffer, target.byteOffset, FRAME_HEADER_BYTES);
  v.setUint32(FRAME_AT.magic, FRAME_MAGIC, true);
  v.setUint16(FRAME_AT.headerBytes, FRAME_HEADER_BYTES, true);
  v.setUint16(FRAME_AT.flags, h.flags, true);
  v.setUint16(FRAME_AT.width, h.width, true);
  v.setUint16(FRAME_AT.height, h.height, true);
  v.setUint32(FRAME_AT.seq, h.seq >>> 0, true);
  v.setFloat64(FRAME_AT.ptsMs, h.ptsMs, true);
  v.setFloat64(FRAME_AT.captureMs, h.captureMs, true);
  v.setFloat64(FRAME_AT.sentMs, h.sentMs, true);
  v.setUint16(FRAME_AT.slot, h.slot, true);
  v.setUint16(FRAME_AT.generation, h.generation & 0xffff, true);
  v.setUint32(FRAME_AT.payloadBytes, isEncoded(h.flags) ? h.payloadBytes ?? 0 : 0, true);
}

/** Payload bytes a header announces (null when it cannot be a frame): I420 size, or the encoded length field. */
export function announcedPayload(flags: number, width: number, height: number, encodedBytes: number): number | null {
  if (width === 0 || height === 0) return null;
  if (!isEncoded(flags)) return i420Size(width, height);
  return encodedBytes > 0 && encodedBytes <= MAX_ENCODED_BYTES ? encodedBytes : null;
}

/** Parses a header; returns null for anything that is not a well-formed frame message. */
export function readFrameHeader(data: ArrayBuffer | Uint8Array): FrameHeader | null {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (bytes.byteLength < FRAME_HEADER_BYTES) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, FRAME_HEADER_BYTES);
  if (v.getUint32(FRAME_AT.magic, true) !== FRAME_MAGIC || v.getUint16(FRAME_AT.headerBytes, true) !== FRAME_HEADER_BYTES) return null;
  const flags = v.getUint16(FRAME_AT.flags, true);
  const width = v.getUint16(FRAME_AT.width, true);
  const height = v.getUint16(FRAME_AT.height, true);
  const payloadBytes = announcedPayload(flags, width, height, v.getUint32(FRAME_AT.payloadBytes, true));
  if (payloadBytes === null || bytes.byteLength < FRAME_HEADER_BYTES + payloadBytes) return null;
  return {
    flags, width, height, seq: v.getUint32(FRAME_AT.seq, true),
    ptsMs: v.getFloat64(FRAME_AT.ptsMs, true), captureMs: v.getFloat64(FRAME_AT.captureMs, true), sentMs: v.getFloat64(FRAME_AT.sentMs, true),
    slot: v.getUint16(FRAME_AT.slot, true), generation: v.getUint16(FRAME_AT.generation, true), payloadBytes,
  };
}

/** A frame inside a binary message: its header and where it starts (the payload follows at offset + 48). */
export interface FrameAt { header: FrameHeader; offset: number }

/**
 * Splits one binary message into its frames, in order. `malformed` is true when bytes remain that are not a
 * well-formed frame (the frames before them are still returned).
 */
export function splitFrames(data: ArrayBuffer | Uint8Array): { frames: FrameAt[]; malformed: boolean } {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const frames: FrameAt[] = [];
  let offset = 0;
  while (offset < bytes.byteLength) {
    const header = readFrameHeader(bytes.subarray(offset));
    if (!header) return { frames, malformed: true };
    frames.push({ header, offset });
    offset += FRAME_HEADER_BYTES + header.payloadBytes;
  }
  return { frames, malformed: frames.length === 0 };
}

/**
 * How long the host may hold an encoded frame to send it together with other cameras' frames in one message (one
 * frame interval at 25 fps). It sends earlier once every camera of the socket has a frame waiting, or a camera's
 * next frame arrives (electron/host/frame-server.ts): 16 x 360p at 25 fps takes about 25 messages a second.
 */
export const FRAME_COALESCE_MS = 40;
/**
 * How long the renderer may collect acknowledgements of encoded frames before sending them (one 'frames.ack' per
 * frame was a text message each way per picture). Decoded frames, whose window is FRAME_WINDOW, are acknowledged
 * at once.
 */
export const ENCODED_ACK_DELAY_MS = 25;

/** Text message on the frame channel mapping slot numbers to camera ids (sent whenever it changes). */
export interface FrameSlotsMessage { type: 'frames.slots'; slots: Record<number, string> }
/** Text message renderer -> host: which cameras this frame socket wants (by id). */
export interface FrameSubscribeMessage { type: 'frames.subscribe'; clientId: string; cameraIds: string[] }
/**
 * Text message renderer -> host: frames of these slots were received (one entry per frame). The host keeps at
 * most FRAME_WINDOW unacknowledged frames per camera and socket, so no more than that can queue in the network
 * or the page; newer frames replace the waiting one (latest wins).
 */
export interface FrameAckMessage { type: 'frames.ack'; slots: number[] }
export const FRAME_WINDOW = 2;
/**
 * Encoded frames cannot be replaced one by one (every access unit up to the next key one depends on the last): a
 * camera may have this many unacknowledged, and past that the host drops everything up to the next key unit.
 */
export const ENCODED_FRAME_WINDOW = 12;
