/**
 * The warm standby media worker (issue 9): one GStreamer worker process spawned ahead of need. It starts Python,
 * imports GStreamer, initialises it and loads the camera plugins, then blocks reading its config. When a camera needs
 * a worker (above all after a crash) its supervisor takes the standby and writes the camera's config to it, so the
 * restart skips process start and GStreamer initialisation; a new standby is spawned in the background a moment
 * later, so it does not compete for the CPU with the worker that is connecting. One standby serves every camera of a
 * StreamService. Cost: one idle process (docs/performance.md, "Restart of a media worker").
 */
import type { ChildProcess } from 'node:child_process';
import { killWarm, spawnGstWorker, type WarmWorker, type WorkerRuntime } from './worker-process.js';

/** Wait after a standby was taken before spawning the next (its start-up would slow the worker that took over). */
export const STANDBY_REFILL_MS = 1500;

interface Spare { worker: WarmWorker; exited: boolean }

export class StandbyPool {
  private spare: Spare | null = null;
  private refillTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly rt: WorkerRuntime, private readonly refillMs = STANDBY_REFILL_MS) {}

  /**
   * The standby process for a camera, or null when none is alive (the caller spawns a fresh worker). Either way a new
   * standby follows after refillMs (so the first one appears when the first camera starts). One that died while waiting is replaced only here, on demand: a worker that cannot
   * start never turns into a spawn loop.
   */
  take(): WarmWorker | null {
    if (this.closed) return null;
    const s = this.spare;
    this.spare = null;
    this.refillSoon();
    if (!s || s.exited || s.worker.child.exitCode !== null || s.worker.child.signalCode !== null) return null;
    return s.worker;
  }

  /** Process id of the waiting standby (tests and diagnostics). */
  pid(): number | undefined {
    return this.spare && !this.spare.exited ? this.spare.worker.child.pid : undefined;
  }

  /** Kills the waiting standby (its whole process group) and spawns no more; resolves once it is reaped. */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.refillTimer) { clearTimeout(this.refillTimer); this.refillTimer = null; }
    const s = this.spare;
    this.spare = null;
    if (s) {
      await killWarm(s.worker);
      closeStdio(s.worker.child);
    }
  }

  private refillSoon(): void {
    if (this.closed || this.refillTimer) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = null;
      if (!this.closed && !this.spare) this.spare = this.spawn();
    }, this.refillMs);
    this.refillTimer.unref();
  }

  private spawn(): Spare {
    const child: ChildProcess = spawnGstWorker(this.rt);
    const s: Spare = { worker: { child, spawnedAt: Date.now() }, exited: false };
    child.on('error', () => { s.exited = true; });
    child.on('exit', () => {
      s.exited = true;
      if (this.spare === s) closeStdio(child); // nobody took it: nobody will read its pipes
    });
    child.stdin?.on('error', () => { /* it died before it was given a camera */ });
    return s;
  }
}

/** An unread pipe keeps the host's event loop alive: close them for a standby nobody took. */
function closeStdio(child: ChildProcess): void {
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
}
