/**
 * Where the project's files are at run time. Source files (tests) and bundles (dist/*.mjs) sit at different
 * depths, so the root is found by walking up to the folder that holds native/worker/media_worker.py.
 * It lives under native/ so the simulator's client can use it without importing the host (native/ never imports
 * electron/host/); the host re-exports it from electron/host/paths.ts.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  if (process.env.KUZET_ROOT) return process.env.KUZET_ROOT;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'native', 'worker', 'media_worker.py'))) return dir; // a checkout, or a packaged app's resources/
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error('cannot find the Kuzet project root (native/worker/media_worker.py); set KUZET_ROOT');
}

export const PROJECT_ROOT = findRoot();
export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
