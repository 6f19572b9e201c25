/** An X display for windowed Chromium: $DISPLAY when set (unless `own`: a second screen), else a private Xvfb
 * (1920x1080x24) stopped by close(). */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { waitFor } from './harness.js';

export interface XDisplay { display: string; started: boolean; close(): Promise<void> }

export async function ensureXDisplay(size = '1920x1080x24', own = false): Promise<XDisplay> {
  if (process.env.DISPLAY && !own) return { display: process.env.DISPLAY, started: false, close: async () => {} };
  let n = 90 + Math.floor(Math.random() * 400);
  while (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) n++;
  const display = `:${n}`;
  const proc = spawn('Xvfb', [display, '-screen', '0', size, '-nolisten', 'tcp', '-noreset'], { stdio: 'ignore', detached: true });
  let exited = false;
  proc.once('exit', () => { exited = true; });
  await waitFor(`Xvfb on ${display}`, () => { if (exited) throw new Error('Xvfb exited'); return existsSync(`/tmp/.X11-unix/X${n}`); }, 10_000, 100);
  return {
    display, started: true,
    async close() {
      try { process.kill(-proc.pid!, 'SIGTERM'); } catch { /* gone */ }
      await new Promise((r) => setTimeout(r, 200));
    },
  };
}
