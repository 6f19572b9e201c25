/**
 * Paints I420 pictures into a Canvas2D tile with a WebAssembly kernel (i420-rgba.wat: colour conversion plus a
 * 2x2-box scaled resample) and `putImageData`. Without a GPU, `drawImage(VideoFrame)` spends ~1.5 ms of CPU per 360p
 * picture in the browser's own conversion; this path takes a fraction of that (tests/bench/paint-micro.mjs,
 * docs/performance.md). Pure: no DOM beyond the 2D context it is handed; unit-tested in Node.
 */
import { I420_RGBA_WASM_BASE64 } from './i420-kernel.js';

/** Where an I420 picture's planes start in its buffer, and their strides (WebCodecs' PlaneLayout order Y, U, V). */
export interface PlaneLayout { offset: number; stride: number }

/** Tight planes of a width x height I420 picture (what the host sends and what `VideoFrame.copyTo` gives by default). */
export function tightLayout(width: number, height: number): PlaneLayout[] {
  const cw = (width + 1) >> 1, ch = (height + 1) >> 1;
  return [
    { offset: 0, stride: width },
    { offset: width * height, stride: cw },
    { offset: width * height + cw * ch, stride: cw },
  ];
}

type ConvertFn = (y: number, ys: number, u: number, us: number, v: number, vs: number, srcW: number,
  out: number, outW: number, outH: number, gt: number, rt: number, scr: number) => void;

/** Bytes of one group record in the kernel's column table (see i420-rgba.wat). */
const GROUP = 80;
/** The kernel reads each group of 8 output pixels from a 32-byte window: about a 4.2x downscale at most. */
export const MAX_DOWNSCALE = 4;

const PAGE = 65536;
const PAD = 64;
const align = (n: number) => (n + 15) & ~15;

export class I420Painter {
  private constructor(private readonly memory: WebAssembly.Memory, private readonly convert: ConvertFn) {}

  /** The painter, or null where WebAssembly SIMD is unavailable (old engine, CSP without 'wasm-unsafe-eval'). */
  static create(): I420Painter | null {
    try {
      const bytes = Uint8Array.from(atob(I420_RGBA_WASM_BASE64), (c) => c.charCodeAt(0));
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
      const { memory, convert } = instance.exports as { memory: WebAssembly.Memory; convert: ConvertFn };
      return new I420Painter(memory, convert);
    } catch {
      return null;
    }
  }

  /**
   * Converts a srcW x srcH picture into an outW x outH RGBA picture and returns its pixels (a view of the kernel's
   * memory, valid until the next call: wrap it in an ImageData and put it at once).
   */
  toRgba(data: Uint8Array, layout: readonly PlaneLayout[], srcW: number, srcH: number, outW: number, outH: number): Uint8ClampedArray<ArrayBuffer> {
    if (srcW < 2 || srcH < 2 || outW < 1 || outH < 1) throw new RangeError(`bad picture size ${srcW}x${srcH} -> ${outW}x${outH}`);
    const [py, pu, pv] = layout;
    if (!py || !pu || !pv) throw new RangeError('an I420 picture has three planes');
    const chromaRows = (srcH + 1) >> 1;
    const needed = Math.max(py.offset + py.stride * srcH, pu.offset + pu.stride * chromaRows, pv.offset + pv.stride * chromaRows);
    if (data.length < needed) throw new RangeError(`picture buffer of ${data.length} bytes, ${needed} needed for ${srcW}x${srcH}`);
    if (srcW / outW > MAX_DOWNSCALE) throw new RangeError(`a ${srcW}x${srcH} picture cannot be painted ${outW} wide (over ${MAX_DOWNSCALE}x smaller)`);
    // memory: input | sampling tables (rows, then column groups) | scratch | output
    const tables = this.tablesFor(srcW, srcH, outW, outH);
    const groups = (outW + 7) >> 3;
    const input = 0;
    const rt = align(data.length + PAD);
    const gt = rt + tables.groupsAt;
    const scr = align(rt + tables.bytes.length);
    const out = align(scr + srcW + PAD);
    const end = out + groups * 32 + outW * outH * 4 + PAD;
    if (end > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((end - this.memory.buffer.byteLength) / PAGE));
    const buf = this.memory.buffer as ArrayBuffer;
    const mem = new Uint8Array(buf);
    mem.set(data, input);
    // the tables stay in memory between calls of the same sizes (the kernel only reads them)
    if (this.loaded.tables !== tables || this.loaded.at !== rt) { mem.set(tables.bytes, rt); this.loaded = { tables, at: rt }; }
    this.convert(input + py.offset, py.stride, input + pu.offset, pu.stride, input + pv.offset, pv.stride, srcW,
      out, outW, outH, gt, rt, scr);
    return new Uint8ClampedArray(buf, out, outW * outH * 4);
  }

  /** Which tables are in the kernel's memory, and where. */
  private loaded: { tables: object | null; at: number } = { tables: null, at: -1 };

  /** Sampling tables of one picture size into one tile size: built once, not per frame (a wall has a few sizes). */
  private readonly tables = new Map<string, { bytes: Uint8Array; groupsAt: number }>();

  private tablesFor(srcW: number, srcH: number, outW: number, outH: number): { bytes: Uint8Array; groupsAt: number } {
    const key = `${srcW}x${srcH}>${outW}x${outH}`;
    const hit = this.tables.get(key);
    if (hit) return hit;
    const chromaRows = (srcH + 1) >> 1, chromaCols = (srcW + 1) >> 1;
    const groups = (outW + 7) >> 3;
    const groupsAt = align(outH * 12);
    const bytes = new Uint8Array(groupsAt + groups * GROUP);
    const rows = new Int32Array(bytes.buffer, 0, outH * 3);
    const fy = srcH / outH;
    for (let j = 0; j < outH; j++) {
      const r0 = Math.min(srcH - 2, Math.max(0, Math.floor((j + 0.5) * fy - 0.5)));
      rows[j * 3] = r0;
      rows[j * 3 + 1] = r0 + 1;
      rows[j * 3 + 2] = Math.min(chromaRows - 1, Math.floor((j + 0.5) * fy) >> 1);
    }
    const table = new DataView(bytes.buffer, groupsAt);
    const masks = bytes.subarray(groupsAt);
    const fx = srcW / outW;
    for (let g = 0; g < groups; g++) {
      const at = g * GROUP;
      masks.fill(255, at + 16, at + GROUP);
      let lb = -1, cb = -1;
      for (let k = 0; k < 8; k++) {
        const i = Math.min(outW - 1, g * 8 + k);
        const x = Math.min(srcW - 2, Math.max(0, Math.floor((i + 0.5) * fx - 0.5)));
        const c = Math.min(chromaCols - 1, Math.floor((i + 0.5) * fx) >> 1);
        if (k === 0) { lb = x; cb = c; }
        const lx = x - lb, cx = c - cb;
        masks[at + (lx < 16 ? 16 : 32) + k] = lx < 16 ? lx : lx - 16;
        masks[at + (lx + 1 < 16 ? 16 : 32) + 8 + k] = lx + 1 < 16 ? lx + 1 : lx + 1 - 16;
        masks[at + (cx < 16 ? 48 : 64) + k] = cx < 16 ? cx : cx - 16;
      }
      table.setInt32(at, lb, true);
      table.setInt32(at + 4, cb, true);
    }
    if (this.tables.size >= 32) this.tables.delete(this.tables.keys().next().value!);
    const entry = { bytes, groupsAt };
    this.tables.set(key, entry);
    return entry;
  }
}
