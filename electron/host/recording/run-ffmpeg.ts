/** Runs ffmpeg to completion (argv only, no shell); rejects with the tail of its stderr. */
import { spawn } from 'node:child_process';

export function runFfmpeg(args: string[], bin = 'ffmpeg'): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(bin, ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
    p.on('error', (e) => reject(new Error(`cannot run ffmpeg: ${e.message}`)));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed (${String(code)}): ${err.trim()}`))));
  });
}
