/**
 * How the wall benchmarks read the wall page (diagnostics on: `window.__kuzet`): per-tile paint counters, painted frames
 * per second over a window, waiting until every tile paints, and which process of the wall is which (for CPU figures). Shared by bench:wall (tests/bench/wall.ts) and
 * bench:access (tests/bench/access.ts), so "painted fps" means one thing.
 */
import type { ProcInfo } from '../support/procfs.js';
import type { RunningShell } from '../support/harness.js';

export type TileNow = { index: number; cameraId: string | null; state: string; painted: number; drops: number };

/** Anything that evaluates an expression in the wall page (plain Chromium's DevTools client, Playwright). */
export interface WallPage { evaluate<T>(expression: string): Promise<T> }

export const tilesNow = (page: WallPage): Promise<TileNow[]> => page.evaluate<TileNow[]>('window.__kuzet.tiles()');

/** Frames painted per second by each tile that shows a camera, between two readings `secs` apart. */
export function paintedFps(before: TileNow[], after: TileNow[], secs: number): number[] {
  return after.filter((t) => t.cameraId).map((t) => (t.painted - (before.find((x) => x.index === t.index)?.painted ?? 0)) / secs);
}

/** True once `tiles` tiles are live and have painted more than 5 frames. */
export async function allTilesPainting(page: WallPage, tiles: number): Promise<boolean> {
  return (await tilesNow(page)).filter((x) => x.cameraId && x.state === 'live' && x.painted > 5).length >= tiles;
}

/** The wall's processes by part: host, its media workers (also ones replaced during the window), the browser's. */
export function classifier(shell: RunningShell, browserPid: number | undefined): (p: ProcInfo) => string | null {
  const hostPid = shell.proc.pid;
  return (p) => {
    if (p.pid === hostPid) return 'host';
    const a = p.ancestry ?? [];
    if (hostPid !== undefined && a.includes(hostPid)) {
      return p.cmdline.includes('media_worker.py') || (p.cmdline.startsWith('ffmpeg') && p.cmdline.includes('rawvideo')) ? 'decoders' : null;
    }
    if (browserPid !== undefined && (p.pid === browserPid || a.includes(browserPid))) {
      // the harness's DevTools pipe filter (tests/support/cdp-frame-filter.py) runs under the browser; `npm start` has none
      if (p.cmdline.includes('cdp-frame-filter.py')) return null;
      if (p.cmdline.includes('--type=renderer')) return 'renderer';
      if (p.cmdline.includes('--type=gpu-process')) return 'browser-gpu';
      if (p.cmdline.includes('--type=utility')) return 'browser-utility';
      return 'browser';
    }
    return null;
  };
}
