/**
 * The one rule of which pixels a permanent mask covers (electron/host/masks/mask-raster.ts), and its Python twin in the
 * media worker (native/worker/privacy_mask.py): both give the same pixels for the same polygons and sizes.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MaskPoint } from '../../electron/contract/masks-schema.js';
import { chromaSpans, lumaSpans, maskImagePam, paintI420, polygonsKey } from '../../electron/host/masks/mask-raster.js';
import { ROOT } from '../support/harness.js';

const SQUARE: MaskPoint[] = [{ x: 0.25, y: 0.25 }, { x: 0.75, y: 0.25 }, { x: 0.75, y: 0.75 }, { x: 0.25, y: 0.75 }];
const SLANT: MaskPoint[] = [{ x: 0.2, y: 0.2 }, { x: 0.62, y: 0.28 }, { x: 0.55, y: 0.72 }, { x: 0.15, y: 0.6 }];
/** Concave (an L): the even-odd scan gives two ranges on some rows. */
const CONCAVE: MaskPoint[] = [{ x: 0.1, y: 0.1 }, { x: 0.9, y: 0.1 }, { x: 0.9, y: 0.3 }, { x: 0.3, y: 0.3 }, { x: 0.3, y: 0.9 }, { x: 0.1, y: 0.9 }];
const EDGE: MaskPoint[] = [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 0.1 }];

function pythonSpans(polygons: MaskPoint[][], w: number, h: number): { y: Array<Array<[number, number]>>; c: Array<Array<[number, number]>> } {
  const code = `import json, sys
sys.path.insert(0, ${JSON.stringify(join(ROOT, 'native', 'worker'))})
from privacy_mask import validate_polygons, luma_spans, chroma_spans
p = validate_polygons(json.loads(sys.argv[1]))
y = luma_spans(p, ${w}, ${h})
print(json.dumps({"y": y, "c": chroma_spans(y, ${w}, ${h})}))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code, JSON.stringify(polygons)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as never;
}

describe('mask raster: one rule in TypeScript and Python', () => {
  for (const [name, polys, w, h] of [['square', [SQUARE], 16, 9], ['slanted', [SLANT], 320, 180], ['concave + edge', [CONCAVE, EDGE], 97, 55]] as const) {
    it(`${name} at ${w}x${h}: same covered ranges`, () => {
      const ts = lumaSpans(polys, w, h);
      const py = pythonSpans(polys as unknown as MaskPoint[][], w, h);
      expect(py.y).toEqual(ts);
      expect(py.c).toEqual(chromaSpans(ts, w, h));
      expect(ts.flat().length).toBeGreaterThan(0);
    });
  }

  it('covers a pixel when its centre is inside: the 0.25..0.75 square of 16x8 is columns 4..11, rows 2..5', () => {
    const rows = lumaSpans([SQUARE], 16, 8);
    expect(rows.map((r) => r.length)).toEqual([0, 0, 1, 1, 1, 1, 0, 0]);
    expect(rows[2]).toEqual([[4, 12]]);
  });

  it('a concave outline leaves its notch uncovered', () => {
    const row = lumaSpans([CONCAVE], 100, 100)[50]!; // below the L's arm: only the upright
    expect(row).toEqual([[10, 30]]);
  });

  it('paints Y 16 and U, V 128 on covered pixels only; chroma covers every 2x2 block touched', () => {
    const w = 8, h = 4;
    const data = new Uint8Array(w * h * 1.5).fill(200);
    const tri: MaskPoint[] = [{ x: 0, y: 0 }, { x: 0.3, y: 0 }, { x: 0, y: 0.3 }];
    paintI420(data, w, h, [tri]);
    expect(data[0]).toBe(16);
    expect(data[w - 1]).toBe(200);
    expect(data[w * h]).toBe(128); // U of the top-left block
    expect(data[w * h + 3]).toBe(200);
    expect(data[w * h + (w / 2) * (h / 2)]).toBe(128); // V
  });

  it('the PAM mask image is opaque on whole chroma blocks of covered pixels', () => {
    const img = maskImagePam([SQUARE], 16, 8);
    const text = new TextDecoder().decode(img.subarray(0, 80));
    const head = text.indexOf('ENDHDR\n') + 7;
    expect(text).toContain('TUPLTYPE GRAYSCALE_ALPHA');
    const alpha = (x: number, y: number) => img[head + (y * 16 + x) * 2 + 1];
    expect(alpha(4, 2)).toBe(255);
    expect(alpha(11, 5)).toBe(255);
    expect(alpha(3, 2)).toBe(0);
    expect(alpha(4, 1)).toBe(0);
    expect(img.length).toBe(head + 16 * 8 * 2);
  });

  it('the Python side refuses malformed polygons', () => {
    expect(() => pythonSpans([[{ x: 2, y: 0 }, { x: 0, y: 0 }, { x: 0, y: 1 }]], 4, 4)).toThrow(/between 0 and 1/);
  });

  it('keys polygons by content', () => {
    expect(polygonsKey([SQUARE])).toBe(polygonsKey([SQUARE.map((p) => ({ ...p }))]));
    expect(polygonsKey([SQUARE])).not.toBe(polygonsKey([SLANT]));
    expect(polygonsKey([])).toBe('');
  });
});

describe('alarm snapshots with masks (ffmpeg)', () => {
  it('paints the polygons into a JPEG data URL; a picture that cannot be read gives null, never the clear one', async () => {
    const { maskSnapshot } = await import('../../electron/host/masks/mask-burn.js');
    const jpg = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=1', '-frames:v', '1', '-f', 'mjpeg', '-'], { maxBuffer: 8 << 20 });
    const url = `data:image/jpeg;base64,${jpg.toString('base64')}`;
    expect(await maskSnapshot(url, [])).toBe(url);
    const masked = await maskSnapshot(url, [SQUARE]);
    expect(masked).toMatch(/^data:image\/jpeg;base64,/);
    const gray = (u: string) => execFileSync('ffmpeg', ['-v', 'error', '-i', '-', '-vf', 'crop=120:60:100:60', '-pix_fmt', 'gray', '-f', 'rawvideo', '-'], { input: Buffer.from(u.slice(u.indexOf(',') + 1), 'base64') });
    const inside = gray(masked!);
    expect(Math.max(...inside)).toBeLessThan(26); // black (Y 16) within JPEG noise
    expect(Math.min(...inside)).toBeGreaterThan(6);
    expect(Math.max(...gray(url))).toBeGreaterThan(100); // the clear picture has light there
    expect(await maskSnapshot('data:image/jpeg;base64,AAAA', [SQUARE])).toBeNull();
  }, 30_000);
});
