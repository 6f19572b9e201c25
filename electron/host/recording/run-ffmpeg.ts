/** Runs ffmpeg to completion (argv only, no shell); rejects with the tail of its stderr. */
import { spawn } from 'node:child_process';

export interface FfmpegRunOptions {
  /** Aborting kills ffmpeg (SIGKILL) and rejects with an AbortError. */
  signal?: AbortSignal;
  /** Called with the output time reached (ms), from ffmpeg's `-progress` report (about twice a second). */
  onProgress?(outMs: number): void;
  /** Working folder of the ffmpeg process (files a filter graph names relatively). */
  cwd?: string;
}

export function runFfmpeg(args: string[], bin = 'ffmpeg', o: FfmpegRunOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) { reject(abortError()); return; }
    const progress = o.onProgress ? ['-progress', 'pipe:1', '-stats_period', '0.5'] : [];
    const p = spawn(bin, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...progress, ...args], { stdio: ['ignore', o.onProgress ? 'pipe' : 'ignore', 'pipe'], ...(o.cwd ? { cwd: o.cwd } : {}) });
    let err = '';
    let aborted = false;
    const onAbort = () => { aborted = true; p.kill('SIGKILL'); };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    p.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
    if (o.onProgress && p.stdout) {
      let buf = '';
      p.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const m = /^out_time_us=(\d+)/.exec(line);
          if (m) o.onProgress?.(Number(m[1]) / 1000);
        }
      });
    }
    p.on('error', (e) => reject(new Error(`cannot run ffmpeg: ${e.message}`)));
    p.on('exit', (code) => {
      o.signal?.removeEventListener('abort', onAbort);
      if (aborted) reject(abortError());
      else if (code === 0) resolve();
      else reject(new Error(`ffmpeg failed (${String(code)}): ${err.trim()}`));
    });
  });
}

function abortError(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}
