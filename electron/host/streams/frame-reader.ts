/**
 * Reassembles a worker's stdout byte stream into one Buffer per frame message. Pipe chunks
 * split frames anywhere; each returned Buffer is exactly one full KZF1 message (header + I420 or access unit).
 */
import { announcedPayload, FRAME_AT, FRAME_HEADER_BYTES, FRAME_MAGIC, i420Size, writeFrameHeader, type FrameHeader } from '../../contract/frames.js';

/** Thrown when the byte stream is not KZF1 frames: the worker must be killed and respawned. */
export class CorruptFrameStream extends Error {
  constructor(message: string) { super(message); this.name = 'CorruptFrameStream'; }
}

/** Parses KZF1 messages written by native/worker/media_worker.py. */
export class KzfFrameReader {
  private frame: Buffer | null = null;
  private filled = 0;
  private head = Buffer.alloc(FRAME_HEADER_BYTES);
  private headFilled = 0;

  /** Feeds one chunk; returns the frames it completed (usually 0 or 1). */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (!this.frame) {
        const n = Math.min(FRAME_HEADER_BYTES - this.headFilled, chunk.length - at);
        chunk.copy(this.head, this.headFilled, at, at + n);
        this.headFilled += n;
        at += n;
        if (this.headFilled < FRAME_HEADER_BYTES) break;
        this.frame = this.startFrame();
        this.filled = FRAME_HEADER_BYTES;
        this.headFilled = 0;
      }
      const n = Math.min(this.frame.length - this.filled, chunk.length - at);
      chunk.copy(this.frame, this.filled, at, at + n);
      this.filled += n;
      at += n;
      if (this.filled === this.frame.length) {
        out.push(this.frame);
        this.frame = null;
      }
    }
    return out;
  }

  private startFrame(): Buffer {
    const h = this.head;
    if (h.readUInt32LE(FRAME_AT.magic) !== FRAME_MAGIC || h.readUInt16LE(FRAME_AT.headerBytes) !== FRAME_HEADER_BYTES) {
      throw new CorruptFrameStream(`bad frame magic 0x${h.readUInt32LE(FRAME_AT.magic).toString(16)}`);
    }
    const width = h.readUInt16LE(FRAME_AT.width);
    const height = h.readUInt16LE(FRAME_AT.height);
    if (width < 2 || height < 2) throw new CorruptFrameStream(`bad frame size ${width}x${height}`);
    const encodedBytes = h.readUInt32LE(FRAME_AT.payloadBytes);
    const payload = announcedPayload(h.readUInt16LE(FRAME_AT.flags), width, height, encodedBytes);
    if (payload === null) throw new CorruptFrameStream(`bad encoded frame length ${encodedBytes}`);
    const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload);
    h.copy(frame, 0);
    return frame;
  }
}

/**
 * Cuts FFmpeg's headerless rawvideo yuv420p output into frames of a known size and puts a KZF1
 * header in front of each, so both engines hand the host the same messages.
 */
export class RawI420FrameReader {
  private frame: Buffer | null = null;
  private filled = 0;
  private seq = 0;
  private readonly payload: number;

  constructor(private readonly width: number, private readonly height: number,
    private readonly meta: { flags: number; generation: number; fps?: number }) {
    this.payload = i420Size(width, height);
  }

  push(chunk: Buffer, now = Date.now()): Buffer[] {
    const out: Buffer[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (!this.frame) {
        this.frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + this.payload);
        this.filled = FRAME_HEADER_BYTES;
      }
      const n = Math.min(this.frame.length - this.filled, chunk.length - at);
      chunk.copy(this.frame, this.filled, at, at + n);
      this.filled += n;
      at += n;
      if (this.filled === this.frame.length) {
        const header: Omit<FrameHeader, 'payloadBytes'> = {
          flags: this.meta.flags, width: this.width, height: this.height, seq: this.seq,
          // rawvideo carries no timestamps: pts from the nominal rate, capture time = arrival
          ptsMs: (this.seq * 1000) / (this.meta.fps ?? 25), captureMs: now, sentMs: 0, slot: 0,
          generation: this.meta.generation,
        };
        writeFrameHeader(this.frame, header);
        this.seq = (this.seq + 1) >>> 0;
        out.push(this.frame);
        this.frame = null;
      }
    }
    return out;
  }
}
