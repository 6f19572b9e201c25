/**
 * Which pixels a permanent mask covers, for every place the host paints masks into pictures (issue 12 §3): frames of
 * the FFmpeg engine, the mask image ffmpeg overlays on served recordings, thumbnails, snapshots and exports. The
 * GStreamer worker applies the same rule in Python (native/worker/privacy_mask.py; tests/unit/mask-raster.test.ts
 * checks both give the same pixels).
 *
 * The rule: luma pixel (px, py) of a W x H picture is covered when its centre ((px + 0.5) / W, (py + 0.5) / H) lies
 * inside a polygon (even-odd). A chroma sample of I420 is covered when any of the 2 x 2 luma pixels it colours is, so
 * no colour of a covered pixel survives next to the mask. The fill is black: Y 16, U and V 128 (BT.601 limited range).
 * Pure module (no Node built-ins).
 */
import type { Mask, MaskPoint } from '../../contract/masks-schema.js';

/** A polygon as the painters take it: normalised points (0..1 from the top-left corner). */
export type MaskPolygon = readonly MaskPoint[];

export const FILL_Y = 16;
export const FILL_UV = 128;

/** Half-open pixel ranges [x0, x1) of each row that the polygons cover (several ranges may overlap). */
export type RowSpans = Array<Array<[number, number]>>;

/** Covered ranges of every luma row of a width x height picture. */
export function lumaSpans(polygons: readonly MaskPolygon[], width: number, height: number): RowSpans {
  const rows: RowSpans = Array.from({ length: height }, () => []);
  for (const poly of polygons) {
    const n = poly.length;
    for (let py = 0; py < height; py++) {
      const v = (py + 0.5) / height;
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const a = poly[i] as MaskPoint;
        const b = poly[(i + 1) % n] as MaskPoint;
        if ((a.y <= v && v < b.y) || (b.y <= v && v < a.y)) xs.push(a.x + ((v - a.y) * (b.x - a.x)) / (b.y - a.y));
      }
      xs.sort((p, q) => p - q);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        // pixels whose centre x lies in [xs[k], xs[k+1])
        const x0 = Math.max(0, Math.ceil((xs[k] as number) * width - 0.5));
        const x1 = Math.min(width, Math.ceil((xs[k + 1] as number) * width - 0.5));
        if (x1 > x0) (rows[py] as Array<[number, number]>).push([x0, x1]);
      }
    }
  }
  return rows;
}

/** Covered ranges of every chroma row (I420: half width and height, rounded up) from the luma ranges. */
export function chromaSpans(luma: RowSpans, width: number, height: number): RowSpans {
  const cw = (width + 1) >> 1;
  const rows: RowSpans = Array.from({ length: (height + 1) >> 1 }, () => []);
  luma.forEach((spans, py) => {
    for (const [x0, x1] of spans) (rows[py >> 1] as Array<[number, number]>).push([x0 >> 1, Math.min(cw, (x1 + 1) >> 1)]);
  });
  return rows;
}

/** Paints the polygons black into a tightly packed I420 picture in place (Y, then U, then V). */
export function paintI420(data: Uint8Array, width: number, height: number, polygons: readonly MaskPolygon[]): void {
  if (polygons.length === 0) return;
  const y = lumaSpans(polygons, width, height);
  const c = chromaSpans(y, width, height);
  const cw = (width + 1) >> 1;
  const uOff = width * height;
  const vOff = uOff + cw * ((height + 1) >> 1);
  y.forEach((spans, row) => { for (const [a, b] of spans) data.fill(FILL_Y, row * width + a, row * width + b); });
  c.forEach((spans, row) => {
    for (const [a, b] of spans) { data.fill(FILL_UV, uOff + row * cw + a, uOff + row * cw + b); data.fill(FILL_UV, vOff + row * cw + a, vOff + row * cw + b); }
  });
}

/**
 * The mask as an image ffmpeg can overlay on a yuv420p picture of the same size: PAM, GRAYSCALE_ALPHA, black and
 * opaque on every 2 x 2 block holding a covered chroma sample, transparent elsewhere. Whole blocks: ffmpeg's overlay
 * takes a chroma sample's alpha as the mean of its four luma alphas, so a half-covered block would let colour through.
 * It covers the rule's pixels and at most one pixel more along the edges (more hidden, never less).
 */
export function maskImagePam(polygons: readonly MaskPolygon[], width: number, height: number): Uint8Array {
  const header = new TextEncoder().encode(`P7\nWIDTH ${width}\nHEIGHT ${height}\nDEPTH 2\nMAXVAL 255\nTUPLTYPE GRAYSCALE_ALPHA\nENDHDR\n`);
  const out = new Uint8Array(header.length + width * height * 2);
  out.set(header);
  chromaSpans(lumaSpans(polygons, width, height), width, height).forEach((spans, crow) => {
    for (const [a, b] of spans) {
      for (let row = crow * 2; row < Math.min(height, crow * 2 + 2); row++) {
        for (let x = a * 2; x < Math.min(width, b * 2); x++) out[header.length + (row * width + x) * 2 + 1] = 255;
      }
    }
  });
  return out;
}

/** The polygons of a camera's masks that apply: permanent always, liftable unless `lifted`. */
export function polygonsOf(masks: readonly Mask[], lifted = false): MaskPolygon[] {
  return masks.filter((m) => m.kind === 'permanent' || !lifted).map((m) => m.points);
}

/** A short stable key of a set of polygons (same polygons, same key): for caches and for "is this worker masked". */
export function polygonsKey(polygons: readonly MaskPolygon[]): string {
  return polygons.length === 0 ? '' : polygons.map((p) => p.map((q) => `${q.x.toFixed(5)},${q.y.toFixed(5)}`).join(' ')).join('|');
}
