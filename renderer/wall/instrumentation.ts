/** `window.__kuzet`: cheap, always-on numbers for end-to-end tests and the wall benchmark. */
import type { CompositorKind } from './compositor.js';
import type { WallPainter, TileSnapshot } from './wall-painter.js';

export interface KuzetInstrumentation {
  ready: boolean;
  compositor: CompositorKind;
  compositorWhy: string;
  tiles(): TileSnapshot[];
  latency(): { samples: number[] };
  /** Paint loop cost: animation frames that painted and their total main-thread ms. */
  work(): { paints: number; ms: number };
}

declare global {
  interface Window { __kuzet?: KuzetInstrumentation }
}

export function installInstrumentation(painter: WallPainter, why: string): KuzetInstrumentation {
  const inst: KuzetInstrumentation = {
    ready: false,
    compositor: painter.compositor.kind,
    compositorWhy: why,
    tiles: () => painter.snapshot(),
    latency: () => ({ samples: painter.latencySamples() }),
    work: () => ({ ...painter.work }),
  };
  window.__kuzet = inst;
  return inst;
}
