/**
 * Picks the compositor at start-up: a software GL renderer (SwiftShader, llvmpipe) means Canvas2D;
 * otherwise both are timed for ~300 ms on scratch canvases and the faster one wins.
 */
import { createCanvas2dCompositor } from './compositor-canvas2d.js';
import { createWebglCompositor } from './compositor-webgl.js';
import { isSoftwareRenderer, type Compositor, type CompositorKind, type DrawTarget } from './compositor.js';
import type { Frame } from './frame-channel.js';
import { diagnosticsQuery } from '../app/diagnostics.js';

export interface CompositorChoice { kind: CompositorKind; why: string }

function glRendererName(): string | null {
  const c = document.createElement('canvas');
  const gl = c.getContext('webgl');
  if (!gl) return null;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const name = ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

function syntheticFrame(w: number, h: number): Frame {
  const data = new Uint8Array(w * h * 1.5);
  for (let i = 0; i < w * h; i++) data[i] = (i * 7) & 255;
  data.fill(128, w * h);
  return { data, width: w, height: h, seq: 0, flags: 0, captureMs: 0, receivedAt: 0 };
}

/** Draws 16 tiles repeatedly for `ms` and returns tiles per millisecond. */
function timeCompositor(make: (c: HTMLCanvasElement) => Compositor, ms: number): number {
  const canvas = document.createElement('canvas');
  const comp = make(canvas);
  comp.resize(1280, 720);
  const frame = syntheticFrame(320, 180);
  const targets: DrawTarget[] = [];
  for (let i = 0; i < 16; i++) {
    const box = { x: (i % 4) * 320, y: Math.floor(i / 4) * 180, w: 320, h: 180 };
    targets.push({ box, fit: box, dim: false, clearBox: false });
  }
  const start = performance.now();
  let tiles = 0;
  while (performance.now() - start < ms) {
    for (const t of targets) { comp.draw(frame, [t]); tiles++; }
    // Force the work to finish so the timing is honest.
    const gl = canvas.getContext('webgl');
    if (gl) gl.finish(); else canvas.getContext('2d')?.getImageData(0, 0, 1, 1);
  }
  const rate = tiles / (performance.now() - start);
  comp.dispose();
  return rate;
}

export function chooseCompositorKind(hint: 'auto' | 'canvas2d' | 'webgl'): CompositorChoice {
  if (hint === 'canvas2d') return { kind: 'canvas2d', why: 'forced by settings' };
  let renderer: string | null = null;
  try { renderer = glRendererName(); } catch { renderer = null; }
  if (renderer === null) return { kind: 'canvas2d', why: 'WebGL unavailable' };
  if (hint === 'webgl') return { kind: 'webgl', why: 'forced by settings' };
  if (isSoftwareRenderer(renderer)) return { kind: 'canvas2d', why: `software GL (${renderer})` };
  try {
    const gl = timeCompositor(createWebglCompositor, 150);
    const c2d = timeCompositor(createCanvas2dCompositor, 150);
    return gl > c2d ? { kind: 'webgl', why: `measured: webgl ${gl.toFixed(1)} vs canvas2d ${c2d.toFixed(1)} tiles/ms` }
      : { kind: 'canvas2d', why: `measured: canvas2d ${c2d.toFixed(1)} vs webgl ${gl.toFixed(1)} tiles/ms` };
  } catch (err) {
    return { kind: 'canvas2d', why: `WebGL failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export function createCompositor(kind: CompositorKind, canvas: HTMLCanvasElement): Compositor {
  if (kind === 'webgl') {
    try { return createWebglCompositor(canvas); } catch { /* fall through to Canvas2D on a fresh canvas is impossible: same canvas */ }
  }
  return createCanvas2dCompositor(canvas, paintI420Wanted(diagnosticsQuery()));
}

/** `?paint=browser` (with diagnostics on) paints with `drawImage(VideoFrame)` instead of the I420 kernel (comparisons). */
export function paintI420Wanted(search: string): boolean {
  return new URLSearchParams(search).get('paint') !== 'browser';
}
