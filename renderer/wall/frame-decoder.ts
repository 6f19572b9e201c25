/**
 * Decodes encoded frames (H.264 access units from the host) with WebCodecs, one VideoDecoder per camera: in the frame
 * worker when the page paints I420 itself, else on the main thread. Pictures the host already decoded pass straight
 * through. Where the page paints I420 itself
 * (i420-painter.ts), each decoded VideoFrame is copied out into a pooled buffer and closed at once; otherwise the frame
 * carries the VideoFrame in `picture`, and whoever replaces or drops it closes it.
 */
import type { Frame } from './frame-socket.js';

/** The profile/level the renderer asks WebCodecs about before telling the host it can decode (High, 3.1). */
export const PROBE_CODEC = 'avc1.64001f';
/** How long an access unit may wait in a decoder before its camera skips to its next key unit (four frames at 25 fps). */
const MAX_DECODE_WAIT_MS = 160;
/** Access units waiting past which the camera skips at once (a second of pictures at 25 fps). */
const MAX_DECODE_BACKLOG = 25;
const EMPTY = new Uint8Array(0);

/**
 * Whether a camera skips to its next key unit: `waiting` access units are still in its decoder, the oldest of them
 * handed to it at `oldestAt` (ms, null: none waiting), and the next one comes in at `now`. A decoder whose oldest unit
 * has waited MAX_DECODE_WAIT_MS cannot keep up: the tile shows fewer pictures rather than older ones. A burst (units
 * held up on the way, then arriving together) is decoded, not skipped: each of its units was handed over just now, and
 * they drain in a few milliseconds each. Skipping at the fifth unit waiting, as before, froze a tile for up to a
 * second (to its next key unit) after every stall of 200 ms upstream: a trainee's replayed-as-live tiles lost half their
 * pictures on a busy machine (2026-12-06). The frame relay holds access units waiting for the main thread by the same
 * rule (frame-relay.ts).
 */
export function skipsToKey(waiting: number, oldestAt: number | null, now: number): boolean {
  if (waiting > MAX_DECODE_BACKLOG) return true;
  return waiting > 0 && oldestAt !== null && now - oldestAt > MAX_DECODE_WAIT_MS;
}

/** RFC 6381 codec string from the first SPS in an Annex B access unit ('avc1.PPCCLL'), or null when none. */
export function avcCodecString(au: Uint8Array): string | null {
  for (let i = 0; i + 4 < au.length; i++) {
    if (au[i] !== 0 || au[i + 1] !== 0 || au[i + 2] !== 1) continue;
    const nal = i + 3;
    if ((au[nal]! & 0x1f) === 7 && nal + 3 < au.length) {
      const hex = (b: number) => b.toString(16).padStart(2, '0');
      return `avc1.${hex(au[nal + 1]!)}${hex(au[nal + 2]!)}${hex(au[nal + 3]!)}`;
    }
    i = nal - 1;
  }
  return null;
}

/** Whether this page can decode H.264 itself; `?decode=host` in `search` turns it off (diagnostics: comparisons, old GPUs). */
export async function browserDecodeSupported(search: string): Promise<boolean> {
  if (new URLSearchParams(search).get('decode') === 'host') return false;
  if (typeof VideoDecoder === 'undefined' || typeof EncodedVideoChunk === 'undefined') return false;
  try {
    return (await VideoDecoder.isConfigSupported({ codec: PROBE_CODEC, optimizeForLatency: true, hardwareAcceleration: 'prefer-software' })).supported === true;
  } catch {
    return false;
  }
}

type Meta = Omit<Frame, 'data' | 'picture'>;

/**
 * Buffers for pictures copied out of VideoFrames, by size, shared by a page's decoders: a replaced picture's buffer
 * comes back here (from the main thread, when the decoders run in the frame worker) and takes the next copy.
 */
export class BufferPool {
  private readonly bySize = new Map<number, Uint8Array[]>();
  private bytes = 0;
  /** At most `maxBytes` wait here (48 MB: three pictures for each of 16 cameras at 1080p). */
  constructor(private readonly maxBytes = 48 * 1024 * 1024) {}

  take(size: number): Uint8Array {
    const buf = this.bySize.get(size)?.pop();
    if (buf) { this.bytes -= buf.byteLength; return buf; }
    return new Uint8Array(size);
  }

  give(buf: Uint8Array): void {
    if (buf.byteLength === 0 || this.bytes + buf.byteLength > this.maxBytes) return;
    let list = this.bySize.get(buf.byteLength);
    if (!list) { list = []; this.bySize.set(buf.byteLength, list); }
    list.push(buf);
    this.bytes += buf.byteLength;
  }

  get pooledBytes(): number { return this.bytes; }
}

class CameraDecoder {
  private decoder: VideoDecoder | null = null;
  private codec: string | null = null;
  private needKey = true;
  /** When (performance.now()) each of the last units was handed to the decoder, oldest first. */
  private readonly handedAt: number[] = [];
  private readonly pending = new Map<number, Meta>();
  /** Access units skipped (waiting for a key unit) and decoder errors, for the stats overlay. */
  skipped = 0;
  errors = 0;
  private copying = 0;

  constructor(private readonly out: (frame: Frame) => void, private readonly copyOut: boolean, private readonly pool: BufferPool) {}

  push(f: Frame): void {
    if (f.key) {
      const codec = avcCodecString(f.data) ?? this.codec;
      if (!codec) { this.skipped++; return; }
      if (!this.decoder || this.decoder.state === 'closed' || codec !== this.codec) this.reset(codec);
      this.needKey = false;
    } else if (this.needKey || !this.decoder || this.decoder.state !== 'configured') {
      this.skipped++;
      return;
    }
    const decoder = this.decoder!;
    const now = performance.now();
    const waiting = decoder.decodeQueueSize;
    if (skipsToKey(waiting, this.handedAt[this.handedAt.length - waiting] ?? null, now)) { this.needKey = true; this.skipped++; return; }
    this.handedAt.push(now);
    if (this.handedAt.length > 2 * MAX_DECODE_BACKLOG) this.handedAt.splice(0, MAX_DECODE_BACKLOG);
    const ts = f.seq;
    this.pending.set(ts, { width: f.width, height: f.height, seq: f.seq, flags: f.flags, captureMs: f.captureMs, receivedAt: f.receivedAt });
    if (this.pending.size > 64) this.pending.delete(this.pending.keys().next().value!);
    try {
      decoder.decode(new EncodedVideoChunk({ type: f.key ? 'key' : 'delta', timestamp: ts, data: f.data }));
    } catch {
      this.fail();
    }
  }

  close(): void {
    try { this.decoder?.close(); } catch { /* already closed */ }
    this.decoder = null;
    this.pending.clear();
    this.handedAt.length = 0;
  }

  private reset(codec: string): void {
    this.close();
    this.codec = codec;
    const decoder = new VideoDecoder({
      output: (vf) => this.output(vf),
      error: () => { if (this.decoder === decoder) this.fail(); },
    });
    // software: frames stay in this process; a GPU-process decoder's frames would be read back for every Canvas2D draw
    decoder.configure({ codec, optimizeForLatency: true, hardwareAcceleration: 'prefer-software' });
    this.decoder = decoder;
  }

  private output(vf: VideoFrame): void {
    const meta = this.pending.get(vf.timestamp);
    this.pending.delete(vf.timestamp);
    if (!meta) { vf.close(); return; }
    // Only plain I420 is copied out (Chromium's software H.264 decoder gives I420; anything else is drawn as it is).
    if (!this.copyOut || vf.format !== 'I420') { this.out({ ...meta, data: EMPTY, width: vf.displayWidth, height: vf.displayHeight, picture: vf }); return; }
    const { width, height } = vf.visibleRect ?? { width: vf.codedWidth, height: vf.codedHeight };
    // Too many copies in flight: the page is far behind; drop this picture (the next one replaces it anyway).
    if (this.copying > 2) { vf.close(); this.skipped++; return; }
    const data = this.pool.take(vf.allocationSize());
    this.copying++;
    vf.copyTo(data).then((layout) => {
      this.out({ ...meta, data, width, height, layout: layout.map((p) => ({ offset: p.offset, stride: p.stride })), recycle: () => this.pool.give(data) });
    }, () => { this.errors++; this.pool.give(data); }).finally(() => { this.copying--; vf.close(); });
  }

  /** A corrupt access unit closes the decoder: start again at the next key unit. */
  private fail(): void {
    this.errors++;
    this.needKey = true;
    this.close();
  }
}

export class FrameDecoders {
  private readonly cameras = new Map<string, CameraDecoder>();

  /** `copyOut`: hand on I420 planes copied out of each VideoFrame (for the I420 painter) instead of the VideoFrame. */
  constructor(private readonly out: (cameraId: string, frame: Frame) => void, private readonly copyOut = false, readonly pool = new BufferPool()) {}

  accept(cameraId: string, frame: Frame): void {
    if (!frame.encoded) { this.out(cameraId, frame); return; }
    if (typeof VideoDecoder === 'undefined') return;
    let d = this.cameras.get(cameraId);
    if (!d) { d = new CameraDecoder((f) => this.out(cameraId, f), this.copyOut, this.pool); this.cameras.set(cameraId, d); }
    d.push(frame);
  }

  /** Closes the decoders of cameras no longer shown. */
  forget(keep: ReadonlySet<string>): void {
    for (const [id, d] of this.cameras) if (!keep.has(id)) { d.close(); this.cameras.delete(id); }
  }

  close(): void {
    for (const d of this.cameras.values()) d.close();
    this.cameras.clear();
  }
}
