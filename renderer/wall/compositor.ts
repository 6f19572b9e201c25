/**
 * The compositor paints every tile of the wall into ONE canvas. Two implementations: Canvas2D
 * (drawImage of an I420 VideoFrame; the fast path without a GPU) and WebGL (YUV->RGB shader; only
 * when a real GPU is present). `chooseCompositorKind` decides at start-up by measurement.
 */
import type { Frame } from './frame-channel.js';
import type { Rect } from './tile-geometry.js';

export type CompositorKind = 'canvas2d' | 'webgl';

/** One place a frame is drawn: the letterboxed picture rect inside the tile box, dimmed when stale. */
export interface DrawTarget { box: Rect; fit: Rect; dim: boolean; clearBox: boolean }

export interface Compositor {
  readonly kind: CompositorKind;
  /** Paints I420 planes itself (the page's own decode is then copied out of its VideoFrames, see frame-decoder.ts). */
  readonly paintsI420: boolean;
  /** Sets the backing store size in device pixels (clears the canvas). */
  resize(width: number, height: number): void;
  /** Fills a rect with an opaque colour (0xRRGGBB). */
  fill(rect: Rect, rgb: number): void;
  /** Draws one frame into every target. Returns false when the frame could not be drawn. */
  draw(frame: Frame, targets: readonly DrawTarget[]): boolean;
  dispose(): void;
}

export const BACKGROUND_RGB = 0x0b0e13;
export const EMPTY_TILE_RGB = 0x000000;

export function cssColour(rgb: number): string {
  return `#${rgb.toString(16).padStart(6, '0')}`;
}

/** A GPU that draws in software: WebGL there costs far more CPU than Canvas2D (DESIGN.md). */
export function isSoftwareRenderer(name: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i.test(name);
}
