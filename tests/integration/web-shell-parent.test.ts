/**
 * `--exit-with-parent` against the real web shell: a parent that starts the shell and is then killed (SIGKILL: no
 * clean-up of its own, as a test runner killed mid-run) takes the shell with it. Without
 * the flag the shell runs on alone (the orphan of a killed e2e run kept a core 70 % busy under the runs after it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, waitFor } from '../support/harness.js';

/** Running (a zombie not reaped yet by whoever adopted it counts as gone). */
const alive = (pid: number) => {
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
};
const dirs: string[] = [];
const pids: number[] = [];
afterAll(() => {
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A parent process that starts the shell (its stdout piped, as the harness and npm start do) and prints the shell's pid once it is ready. */
async function parentWithShell(flags: string[]): Promise<{ parent: ReturnType<typeof spawn>; shellPid: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'kuzet-parent-'));
  dirs.push(dir);
  const script = `
    const { spawn } = require('node:child_process');
    const s = spawn(process.execPath, [${JSON.stringify(join(ROOT, 'dist', 'web-shell.mjs'))}, '--json', '--port', '0', '--data-dir', ${JSON.stringify(dir)}, ...${JSON.stringify(flags)}],
      { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    s.stdout.on('data', (d) => { if (String(d).includes('"ready":true')) console.log('SHELL ' + s.pid); });`;
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  parent.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const shellPid = await waitFor('the shell ready', () => Number(/SHELL (\d+)/.exec(out)?.[1]) || null, 90_000, 100);
  pids.push(shellPid);
  return { parent, shellPid };
}

describe('web shell: --exit-with-parent', () => {
  it('stops when the process that started it is killed', async () => {
    expect(existsSync(join(ROOT, 'dist', 'web-shell.mjs')), 'npm run build first').toBe(true);
    const { parent, shellPid } = await parentWithShell(['--exit-with-parent']);
    expect(alive(shellPid)).toBe(true);
    parent.kill('SIGKILL');
    await waitFor('the shell gone after its parent', () => !alive(shellPid), 30_000, 200);
  }, 150_000);

  it('runs on without it (the flag is what stops it)', async () => {
    const { parent, shellPid } = await parentWithShell([]);
    parent.kill('SIGKILL');
    await waitFor('the parent gone', () => parent.exitCode !== null || parent.signalCode !== null, 10_000, 100);
    // the other case's shell was gone within a few seconds; this one is still up after the same check's interval twice
    await new Promise((r) => setTimeout(r, 2500));
    expect(alive(shellPid)).toBe(true);
    process.kill(shellPid, 'SIGTERM');
    await waitFor('the shell stopped by SIGTERM', () => !alive(shellPid), 30_000, 200);
  }, 150_000);
});
