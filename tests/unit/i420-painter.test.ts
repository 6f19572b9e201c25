import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { I420Painter, tightLayout } from '../../renderer/wall/i420-painter.js';

/** A synthetic I420 picture: a luma ramp with a moving-edge pattern and smooth chroma. */
function picture(w: number, h: number): Uint8Array {
  const cw = (w + 1) >> 1, ch = (h + 1) >> 1;
  const d = new Uint8Array(w * h + 2 * cw * ch);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d[y * w + x] = 16 + ((x * 3 + y * 2) % 220);
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) {
    d[w * h + y * cw + x] = 60 + ((x + y) % 130);
    d[w * h + cw * ch + y * cw + x] = 200 - ((x * 2 + y) % 140);
  }
  return d;
}

function solid(w: number, h: number, Y: number, U: number, V: number): Uint8Array {
  const cw = (w + 1) >> 1, ch = (h + 1) >> 1;
  const d = new Uint8Array(w * h + 2 * cw * ch);
  d.fill(Y, 0, w * h); d.fill(U, w * h, w * h + cw * ch); d.fill(V, w * h + cw * ch);
  return d;
}

/** The same sampling as the kernel, in floating point (BT.601 limited range). */
function reference(d: Uint8Array, w: number, h: number, ow: number, oh: number): Uint8ClampedArray {
  const [py, pu, pv] = tightLayout(w, h);
  const out = new Uint8ClampedArray(ow * oh * 4);
  const cw = (w + 1) >> 1, chr = (h + 1) >> 1;
  for (let j = 0; j < oh; j++) {
    const r0 = Math.min(h - 2, Math.max(0, Math.floor((j + 0.5) * h / oh - 0.5)));
    const cr = Math.min(chr - 1, Math.floor((j + 0.5) * h / oh) >> 1);
    for (let i = 0; i < ow; i++) {
      const x0 = Math.min(w - 2, Math.max(0, Math.floor((i + 0.5) * w / ow - 0.5)));
      const cx = Math.min(cw - 1, Math.floor((i + 0.5) * w / ow) >> 1);
      const at = (r: number, x: number) => d[py!.offset + r * py!.stride + x]!;
      const Y = (at(r0, x0) + at(r0 + 1, x0) + at(r0, x0 + 1) + at(r0 + 1, x0 + 1)) / 4 - 16;
      const U = d[pu!.offset + cr * pu!.stride + cx]! - 128, V = d[pv!.offset + cr * pv!.stride + cx]! - 128;
      const o = (j * ow + i) * 4;
      out[o] = Math.round(1.164 * Y + 1.596 * V);
      out[o + 1] = Math.round(1.164 * Y - 0.391 * U - 0.813 * V);
      out[o + 2] = Math.round(1.164 * Y + 2.018 * U);
      out[o + 3] = 255;
    }
  }
  return out;
}

function maxDiff(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

describe('I420 painter (WebAssembly kernel)', () => {
  const painter = I420Painter.create();

  it('loads (Node 20 and Chromium have WebAssembly SIMD)', () => {
    expect(painter).not.toBeNull();
  });

  it.each([
    [640, 360, 432, 243], [640, 360, 640, 360], [640, 360, 313, 176], [1280, 720, 864, 486], [416, 234, 1738, 977], [642, 362, 161, 91], [1920, 1080, 480, 270],
  ])('converts and scales %ix%i to %ix%i within 2 levels of a floating-point reference', (w, h, ow, oh) => {
    const d = picture(w, h);
    const got = painter!.toRgba(d, tightLayout(w, h), w, h, ow, oh);
    expect(got.length).toBe(ow * oh * 4);
    expect(maxDiff(got, reference(d, w, h, ow, oh))).toBeLessThanOrEqual(2);
  });

  it('stays right when calls of different sizes alternate (sampling tables cached and kept in its memory)', () => {
    const sizes: Array<[number, number, number, number]> = [[640, 360, 432, 243], [1280, 720, 864, 486], [640, 360, 432, 243], [640, 360, 200, 112], [640, 360, 432, 243]];
    for (const [w, h, ow, oh] of sizes) {
      const d = picture(w, h);
      expect(maxDiff(painter!.toRgba(d, tightLayout(w, h), w, h, ow, oh), reference(d, w, h, ow, oh))).toBeLessThanOrEqual(2);
    }
  });

  it('gives the BT.601 colours of solid pictures and opaque alpha', () => {
    const cases: [number, number, number, number[]][] = [
      [235, 128, 128, [255, 255, 255]], [16, 128, 128, [0, 0, 0]], [81, 90, 240, [255, 0, 0]], [145, 54, 34, [0, 255, 0]], [41, 240, 110, [0, 0, 255]],
    ];
    for (const [Y, U, V, rgb] of cases) {
      const px = painter!.toRgba(solid(64, 36, Y, U, V), tightLayout(64, 36), 64, 36, 40, 22);
      for (const o of [0, (11 * 40 + 20) * 4, px.length - 4]) {
        expect(Math.abs(px[o]! - rgb[0]!)).toBeLessThanOrEqual(3);
        expect(Math.abs(px[o + 1]! - rgb[1]!)).toBeLessThanOrEqual(3);
        expect(Math.abs(px[o + 2]! - rgb[2]!)).toBeLessThanOrEqual(3);
        expect(px[o + 3]).toBe(255);
      }
    }
  });

  it('honours plane offsets and strides (a VideoFrame copy with padded rows)', () => {
    const w = 64, h = 36, stride = 80, cstride = 48;
    const tight = picture(w, h);
    const [ty, tu, tv] = tightLayout(w, h);
    const padded = new Uint8Array(stride * h + 2 * cstride * 18 + 10);
    const layout = [{ offset: 10, stride }, { offset: 10 + stride * h, stride: cstride }, { offset: 10 + stride * h + cstride * 18, stride: cstride }];
    for (let y = 0; y < h; y++) padded.set(tight.subarray(ty!.offset + y * w, ty!.offset + (y + 1) * w), layout[0]!.offset + y * stride);
    for (let y = 0; y < 18; y++) {
      padded.set(tight.subarray(tu!.offset + y * 32, tu!.offset + (y + 1) * 32), layout[1]!.offset + y * cstride);
      padded.set(tight.subarray(tv!.offset + y * 32, tv!.offset + (y + 1) * 32), layout[2]!.offset + y * cstride);
    }
    const a = Uint8ClampedArray.from(painter!.toRgba(tight, tightLayout(w, h), w, h, 50, 30));
    const b = painter!.toRgba(padded, layout, w, h, 50, 30);
    expect(maxDiff(a, b)).toBe(0);
  });

  it('rejects a buffer too small for the picture instead of reading past it', () => {
    expect(() => painter!.toRgba(new Uint8Array(1000), tightLayout(640, 360), 640, 360, 100, 56)).toThrow(/buffer of 1000 bytes/);
    expect(() => painter!.toRgba(new Uint8Array(1000), tightLayout(1, 1), 1, 1, 10, 10)).toThrow(/bad picture size/);
    expect(() => painter!.toRgba(picture(642, 362), tightLayout(642, 362), 642, 362, 97, 55)).toThrow(/over 4x smaller/);
  });

  it('is compiled from the committed .wat (renderer/wall/i420-kernel.ts is not stale)', () => {
    execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' });
  });
});
