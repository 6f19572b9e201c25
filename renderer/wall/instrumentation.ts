/** `window.__kuzet` (diagnostics only, renderer/app/diagnostics.ts): cheap numbers for end-to-end tests and the wall benchmark. */
import type { CompositorKind } from './compositor.js';
import type { WallPainter, TileSnapshot } from './wall-painter.js';
import type { Frame } from './frame-channel.js';
import { exposeDiagnostics } from '../app/diagnostics.js';

export interface KuzetInstrumentation {
  ready: boolean;
  compositor: CompositorKind;
  compositorWhy: string;
  /** Who turns I420 into pixels with Canvas2D: the WebAssembly kernel, or the browser's drawImage(VideoFrame). */
  paint: 'i420-kernel' | 'browser';
  /** The page decodes H.264 itself (WebCodecs) and asks the host for access units; null until known. */
  browserDecode: boolean | null;
  /** Where the frame socket runs: a worker (normal) or the main thread (fallback). */
  frameSocket(): 'worker' | 'main';
  /** Where H.264 access units are decoded: the frame worker (the page paints I420) or the main thread. */
  decodeIn(): 'worker' | 'main';
  tiles(): TileSnapshot[];
  latency(): { samples: number[] };
  /** Paint loop cost: animation frames that painted and their total main-thread ms. */
  work(): { paints: number; ms: number };
  /** Burst pacing of each camera's pictures (frame-pacing.ts): reads it, or sets it (A/B against latest-wins). */
  pacing(on?: boolean): boolean;
  /** Calls `fn` right after each new frame is drawn (the frame's pixels are valid during the call); null stops it. */
  onDrawn(fn: ((cameraId: string, frame: Frame, drawnAt: number) => void) | null): void;
}

declare global {
  interface Window { __kuzet?: KuzetInstrumentation }
}

export function installInstrumentation(painter: WallPainter, why: string, frameSocket: () => 'worker' | 'main', decodeIn: () => 'worker' | 'main', pacing: (on?: boolean) => boolean): KuzetInstrumentation {
  const inst: KuzetInstrumentation = {
    ready: false,
    compositor: painter.compositor.kind,
    compositorWhy: why,
    paint: painter.compositor.paintsI420 ? 'i420-kernel' : 'browser',
    browserDecode: null,
    frameSocket,
    decodeIn,
    tiles: () => painter.snapshot(),
    latency: () => ({ samples: painter.latencySamples() }),
    work: () => ({ ...painter.work }),
    pacing,
    onDrawn: (fn) => { painter.onDrawn = fn; },
  };
  exposeDiagnostics('__kuzet', inst);
  return inst;
}
