/**
 * For crash tests: wait until a child process prints a line matching `re` on stdout, then SIGKILL it (a crash at that
 * point) and wait for it to be gone. Rejects when the child exits first or after `timeoutMs`; `stderr()` goes into the
 * message.
 */
import type { ChildProcess } from 'node:child_process';

export async function killAtLine(child: ChildProcess, re: RegExp, what: string, stderr: () => string, timeoutMs = 120_000): Promise<RegExpExecArray> {
  const m = await new Promise<RegExpExecArray>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the child never ${what}: ${stderr()}`)); }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const hit = re.exec(out);
      if (hit) { clearTimeout(timer); resolve(hit); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the child exited (${String(code)}): ${stderr()}`)); });
  });
  child.removeAllListeners('exit');
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
  return m;
}
