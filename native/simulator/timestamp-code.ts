/**
 * The simulator's time-stamp code: the sender's wall clock (epoch ms modulo 2^40) burned into the
 * top band of each frame as 40 black/white blocks, bit 39 leftmost, white = 1. Block width is
 * floor(W/40) px and the band is timestampBandHeight(H) px high at the encoded size; pictures
 * scaled down to a tile keep the same proportions. Pure module: used by tests, the bench and the
 * renderer on gray (channels = 1) or RGBA (channels = 4) pixels. Encoder: native/simulator/sim_stamp.py.
 */

export const TIMESTAMP_BITS = 40;
const MODULUS = 2 ** TIMESTAMP_BITS;
const DARK_MAX = 96;
const LIGHT_MIN = 160;

/** Height in px of the time-stamp band of a picture encoded at `height` px. */
export function timestampBandHeight(height: number): number {
  return Math.max(8, Math.floor(height / 24));
}

/** The 40 bits of `epochMs` (modulo 2^40), most significant first. */
export function timestampBits(epochMs: number): number[] {
  let v = ((Math.floor(epochMs) % MODULUS) + MODULUS) % MODULUS;
  const bits = new Array<number>(TIMESTAMP_BITS).fill(0);
  for (let i = TIMESTAMP_BITS - 1; i >= 0; i--) {
    bits[i] = v % 2;
    v = Math.floor(v / 2);
  }
  return bits;
}

/** Draws the code into a picture the way the simulator does (for tests and synthetic frames). */
export function drawTimestampBlocks(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number,
  stride: number, epochMs: number, channels = 1): void {
  const bw = Math.floor(width / TIMESTAMP_BITS);
  const bh = Math.min(height, timestampBandHeight(height));
  timestampBits(epochMs).forEach((bit, i) => {
    for (let y = 0; y < bh; y++) {
      for (let x = i * bw; x < (i + 1) * bw; x++) {
        const p = y * stride + x * channels;
        for (let c = 0; c < Math.min(channels, 3); c++) pixels[p + c] = bit ? 255 : 0;
      }
    }
  });
}

function luma(pixels: Uint8Array | Uint8ClampedArray, offset: number, channels: number): number {
  if (channels < 3) return pixels[offset] ?? 0;
  return ((pixels[offset] ?? 0) + (pixels[offset + 1] ?? 0) + (pixels[offset + 2] ?? 0)) / 3;
}

/** The 40-bit value read with blocks `blockWidth` px wide, or null when any block is neither black nor white. */
function readBits(pixels: Uint8Array | Uint8ClampedArray, y: number, stride: number, channels: number,
  blockWidth: number): number | null {
  let value = 0;
  for (let i = 0; i < TIMESTAMP_BITS; i++) {
    const x = Math.floor((i + 0.5) * blockWidth);
    const v = luma(pixels, y * stride + x * channels, channels);
    if (v > DARK_MAX && v < LIGHT_MIN) return null;
    value = value * 2 + (v >= LIGHT_MIN ? 1 : 0);
  }
  return value === 0 || value === MODULUS - 1 ? null : value;
}

/**
 * Reads the time stamp of a picture. Returns epoch ms (the 40-bit value placed in the 2^40 window
 * nearest `nowMs`), or null when the band does not hold a plausible code: a block is grey, the band
 * is uniform, or the time is more than `maxSkewMs` away from `nowMs`.
 * `stride` is bytes per row; `channels` 1 (gray / the Y plane) or 3-4 (RGB / RGBA).
 */
export function decodeTimestampBlocks(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number,
  stride: number, channels = 1, nowMs = Date.now(), maxSkewMs = 86_400_000): number | null {
  if (!(width >= TIMESTAMP_BITS && height >= 1 && stride >= width * channels)) return null;
  if (pixels.length < (height - 1) * stride + width * channels) return null;
  // Centre of the band: at the encoded size it is >= H/24 px high, so H/48 is inside it at any scale.
  const y = Math.min(height - 1, Math.floor(height / 48));
  // Scaled pictures keep the proportion W/40; at the encoded size blocks are floor(W/40) px wide.
  const widths = [width / TIMESTAMP_BITS, Math.floor(width / TIMESTAMP_BITS)];
  for (const blockWidth of widths) {
    const value = readBits(pixels, y, stride, channels, blockWidth);
    if (value === null) continue;
    const base = nowMs - (((nowMs % MODULUS) + MODULUS) % MODULUS);
    let best = base + value;
    for (const candidate of [best - MODULUS, best + MODULUS]) {
      if (Math.abs(candidate - nowMs) < Math.abs(best - nowMs)) best = candidate;
    }
    if (Math.abs(best - nowMs) <= maxSkewMs) return best;
  }
  return null;
}
