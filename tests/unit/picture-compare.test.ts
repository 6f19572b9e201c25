/**
 * The e2e picture comparison (tests/support/pictures.ts) checks colour as well as brightness: on every scene the
 * simulator's cameras show, a faithfully painted picture matches its reference decode, while the same picture with
 * its U and V planes swapped, or with its colour gone (grey chroma), does not. The pictures go the way the wall's go:
 * decoded by ffmpeg from the real clips, turned into RGB pixels, then sampled back as the in-page sampler does.
 */
import { describe, expect, it } from 'vitest';
import { bestMatch, pictureError, pictureMatches, referenceThumbs, thumbOfRgba, THUMB_H, THUMB_W, type Thumb } from '../support/pictures.js';

const SCENES = ['crossing', 'highway', 'intersection', 'metro', 'night-street', 'park', 'plaza'];

/** Full-range BT.601 YUV -> RGBA pixels (what a painter that gets the colours right shows), with a little noise. */
function paint(t: Thumb, transform: (u: number, v: number) => [number, number] = (u, v) => [u, v], noise = 3): Uint8ClampedArray {
  const px = new Uint8ClampedArray(THUMB_W * THUMB_H * 4);
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return (seed / 0x7fffffff - 0.5) * 2 * noise; };
  for (let k = 0; k < THUMB_W * THUMB_H; k++) {
    const [u, v] = transform(t.u[k]!, t.v[k]!);
    const y = t.y[k]!, cb = u - 128, cr = v - 128;
    px[k * 4] = y + 1.402 * cr + rnd();
    px[k * 4 + 1] = y - 0.344136 * cb - 0.714136 * cr + rnd();
    px[k * 4 + 2] = y + 1.772 * cb + rnd();
    px[k * 4 + 3] = 255;
  }
  return px;
}

/** Share of a picture's central cells with colour (|U-128| + |V-128| >= 8). */
function colourShare(t: Thumb): number {
  let n = 0, c = 0;
  for (let y = 3; y < THUMB_H - 3; y++) for (let x = 3; x < THUMB_W - 3; x++) { const k = y * THUMB_W + x; n++; if (Math.abs(t.u[k]! - 128) + Math.abs(t.v[k]! - 128) >= 8) c++; }
  return c / n;
}

describe('picture comparison: luma and chroma', () => {
  for (const scene of SCENES) {
    it(`${scene}: a faithful picture matches; swapped U/V and grey chroma do not (where the picture has colour)`, () => {
      const frames = referenceThumbs(`${scene}-360p.h264`);
      expect(frames.length).toBeGreaterThan(100);
      // a few frames across the loop
      for (const i of [0, Math.floor(frames.length / 3), Math.floor((2 * frames.length) / 3)]) {
        const ref = frames[i]!;
        if (colourShare(ref) < 0.05) {
          // a grey picture (the intersection's overcast frames) is the same picture whatever U and V hold; a picture
          // painted with colour it does not have is still refused
          const tinted = thumbOfRgba(paint(ref, (u, v) => [u - 20, v - 20]), THUMB_W, THUMB_H);
          expect(pictureMatches(pictureError(tinted, ref)), `${scene} frame ${i}: green tint`).toBe(false);
          expect(pictureMatches(pictureError(thumbOfRgba(paint(ref), THUMB_W, THUMB_H), ref))).toBe(true);
          continue;
        }
        const faithful = thumbOfRgba(paint(ref), THUMB_W, THUMB_H);
        expect(pictureMatches(pictureError(faithful, ref)), `${scene} frame ${i}: ${JSON.stringify(pictureError(faithful, ref))}`).toBe(true);
        const swapped = thumbOfRgba(paint(ref, (u, v) => [v, u]), THUMB_W, THUMB_H);
        const grey = thumbOfRgba(paint(ref, () => [128, 128]), THUMB_W, THUMB_H);
        // against the whole clip: no frame of the loop passes for the broken picture
        const sw = bestMatch(swapped, frames), gr = bestMatch(grey, frames);
        expect(pictureMatches(sw), `${scene} frame ${i}, U/V swapped: ${JSON.stringify(sw)}`).toBe(false);
        expect(pictureMatches(gr), `${scene} frame ${i}, grey chroma: ${JSON.stringify(gr)}`).toBe(false);
        // luma alone would have let both through: the chroma check is what fails them
        expect(sw.luma).toBeLessThan(2);
        expect(gr.luma).toBeLessThan(2);
      }
    });
  }
});
