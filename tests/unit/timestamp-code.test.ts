import { describe, expect, it } from 'vitest';
import {
  decodeTimestampBlocks, drawTimestampBlocks, timestampBandHeight, timestampBits, TIMESTAMP_BITS,
} from '../../native/simulator/timestamp-code.js';

const NOW = Date.UTC(2025, 10, 22, 2, 30, 0, 123);

/** A gray picture with noisy mid-grey content below the band, like a camera frame. */
function frame(width: number, height: number, channels = 1, stride = width * channels): Uint8Array {
  const px = new Uint8Array(stride * height);
  for (let i = 0; i < px.length; i++) px[i] = 100 + ((i * 7919) % 40);
  return px;
}

/** Nearest-neighbour downscale, as a tile would show the picture. */
function scale(src: Uint8Array, w: number, h: number, dw: number, dh: number): Uint8Array {
  const out = new Uint8Array(dw * dh);
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) out[y * dw + x] = src[Math.floor((y * h) / dh) * w + Math.floor((x * w) / dw)]!;
  }
  return out;
}

describe('time-stamp code', () => {
  it('lays out the band like the simulator', () => {
    expect(timestampBandHeight(720)).toBe(30);
    expect(timestampBandHeight(360)).toBe(15);
    expect(timestampBandHeight(120)).toBe(8);
    const bits = timestampBits(2 ** 39 + 5);
    expect(bits).toHaveLength(TIMESTAMP_BITS);
    expect(bits[0]).toBe(1);
    expect(bits.slice(-3)).toEqual([1, 0, 1]);
  });

  it('round-trips the wall clock at 720p and 360p gray', () => {
    for (const [w, h] of [[1280, 720], [640, 360], [848, 480]] as const) {
      const px = frame(w, h);
      drawTimestampBlocks(px, w, h, w, NOW);
      expect(decodeTimestampBlocks(px, w, h, w, 1, NOW + 40)).toBe(NOW);
    }
  });

  it('reads RGBA canvas pixels with row padding', () => {
    const w = 640, h = 360, stride = w * 4 + 64;
    const px = frame(w, h, 4, stride);
    drawTimestampBlocks(px, w, h, stride, NOW, 4);
    expect(decodeTimestampBlocks(new Uint8ClampedArray(px), w, h, stride, 4, NOW)).toBe(NOW);
  });

  it('reads a picture scaled down to a tile', () => {
    for (const [w, h, dw, dh] of [[1280, 720, 320, 180], [848, 480, 424, 240], [1920, 1080, 480, 270]] as const) {
      const px = frame(w, h);
      drawTimestampBlocks(px, w, h, w, NOW);
      expect(decodeTimestampBlocks(scale(px, w, h, dw, dh), dw, dh, dw, 1, NOW)).toBe(NOW);
    }
  });

  it('places the 40-bit value in the window nearest now', () => {
    const px = frame(640, 360);
    drawTimestampBlocks(px, 640, 360, 640, NOW);
    // Seconds after the stamp, and across a 2^40 ms wrap of the modulus, the full time comes back.
    expect(decodeTimestampBlocks(px, 640, 360, 640, 1, NOW + 5000)).toBe(NOW);
    const wrap = 2 ** 41 + 10;
    drawTimestampBlocks(px, 640, 360, 640, wrap);
    expect(decodeTimestampBlocks(px, 640, 360, 640, 1, wrap - 20 + 40)).toBe(wrap);
  });

  it('returns null for pictures without a plausible code', () => {
    const plain = frame(640, 360);
    expect(decodeTimestampBlocks(plain, 640, 360, 640)).toBeNull();
    expect(decodeTimestampBlocks(new Uint8Array(640 * 360), 640, 360, 640)).toBeNull(); // all black
    expect(decodeTimestampBlocks(new Uint8Array(640 * 360).fill(255), 640, 360, 640)).toBeNull();
    const stamped = frame(640, 360);
    drawTimestampBlocks(stamped, 640, 360, 640, NOW);
    expect(decodeTimestampBlocks(stamped, 640, 360, 640, 1, NOW + 3 * 86_400_000)).toBeNull(); // too far from now
    stamped[7 * 640 + 8] = 128; // one grey block centre
    expect(decodeTimestampBlocks(stamped, 640, 360, 640, 1, NOW)).toBeNull();
  });

  it('rejects bad geometry instead of reading out of bounds', () => {
    const px = frame(640, 360);
    expect(decodeTimestampBlocks(px, 20, 10, 20)).toBeNull();
    expect(decodeTimestampBlocks(px, 640, 720, 640)).toBeNull();
    expect(decodeTimestampBlocks(px, 640, 360, 100)).toBeNull();
  });
});
