/** Encoded frames on the wire and the renderer's decoder bookkeeping that runs without a browser. */
import { describe, expect, it } from 'vitest';
import { FRAME_FLAG_ENCODED, FRAME_FLAG_KEY, FRAME_HEADER_BYTES, MAX_ENCODED_BYTES, readFrameHeader, writeFrameHeader } from '../../electron/contract/frames.js';
import { avcCodecString, browserDecodeSupported, BufferPool, FrameDecoders, skipsToKey } from '../../renderer/wall/frame-decoder.js';
import type { Frame } from '../../renderer/wall/frame-socket.js';

const SPS = [0, 0, 0, 1, 0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9];
const IDR = [0, 0, 1, 0x65, 0x88, 0x84];

function encoded(payload: number[], key: boolean, announced = payload.length): Uint8Array {
  const b = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  writeFrameHeader(b, { flags: FRAME_FLAG_ENCODED | (key ? FRAME_FLAG_KEY : 0), width: 640, height: 360, seq: 7, ptsMs: 0, captureMs: 1, sentMs: 0, slot: 3, generation: 1, payloadBytes: announced });
  b.set(payload, FRAME_HEADER_BYTES);
  return b;
}

describe('encoded frames', () => {
  it('carry their payload length in the header, and a header that lies about it is rejected', () => {
    const au = [...SPS, ...IDR];
    expect(readFrameHeader(encoded(au, true))).toMatchObject({ flags: FRAME_FLAG_ENCODED | FRAME_FLAG_KEY, width: 640, height: 360, payloadBytes: au.length });
    expect(readFrameHeader(encoded(au, true, au.length + 1))).toBeNull(); // longer than the message
    expect(readFrameHeader(encoded(au, true, 0))).toBeNull();
    expect(readFrameHeader(encoded(au, true, MAX_ENCODED_BYTES + 1))).toBeNull();
  });

  it('name their codec from the SPS (profile, constraints, level)', () => {
    expect(avcCodecString(new Uint8Array([...SPS, ...IDR]))).toBe('avc1.64001f');
    expect(avcCodecString(new Uint8Array([0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0xff]))).toBe('avc1.42c01e');
    expect(avcCodecString(new Uint8Array(IDR))).toBeNull();
  });

  it('pass decoded pictures straight through, and need WebCodecs for encoded ones (Node has none)', async () => {
    const out: string[] = [];
    const d = new FrameDecoders((id, f) => out.push(`${id}:${f.seq}`));
    const base: Frame = { data: new Uint8Array(6), width: 2, height: 2, seq: 1, flags: 0, captureMs: 0, receivedAt: 0 };
    d.accept('a', base);
    d.accept('a', { ...base, seq: 2, encoded: true, key: true });
    expect(out).toEqual(['a:1']);
    expect(await browserDecodeSupported('')).toBe(false);
    expect(await browserDecodeSupported('?decode=host')).toBe(false);
  });
});

describe('a decoder that falls behind', () => {
  it('decodes a burst of units handed over together, and skips to the next key unit once a unit has waited too long', () => {
    // a burst after a stall upstream: 8 units waiting, the oldest handed over 30 ms ago: decoded
    expect(skipsToKey(8, 1000, 1030)).toBe(false);
    // the decoder not keeping up: 3 units waiting, the oldest for 150 ms, then 170 ms (over 160): skipped
    expect(skipsToKey(3, 2000, 2150)).toBe(false);
    expect(skipsToKey(3, 2000, 2170)).toBe(true);
    // nothing waiting: never; a second of units waiting: at once
    expect(skipsToKey(0, null, 5000)).toBe(false);
    expect(skipsToKey(26, 4990, 5000)).toBe(true);
  });
});

describe('picture buffer pool', () => {
  it('hands back a given buffer of the same size, allocates otherwise, and keeps at most its byte budget', () => {
    const pool = new BufferPool(100);
    const a = pool.take(40);
    expect(a.byteLength).toBe(40);
    pool.give(a);
    expect(pool.take(30)).not.toBe(a); // another size: a new buffer
    expect(pool.take(40)).toBe(a);
    pool.give(new Uint8Array(60));
    pool.give(new Uint8Array(50)); // over budget: dropped
    expect(pool.pooledBytes).toBe(60);
    pool.give(new Uint8Array(0));
    expect(pool.pooledBytes).toBe(60);
  });
});
