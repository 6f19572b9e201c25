/**
 * The recordings root and the only way to turn a relative recording path into a file path:
 * anything that would leave the root (.., absolute paths, symlinked escapes) is refused.
 */
import { realpathSync, writeFileSync, unlinkSync, existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';

export function insideRoot(root: string, rel: string): string {
  if (typeof rel !== 'string' || rel === '' || isAbsolute(rel) || rel.split(/[\\/]/).includes('..') || rel.includes('\0')) {
    throw new ContractError('invalid', `path '${String(rel).slice(0, 200)}' is outside the recordings folder`, reason('pathOutside', { path: String(rel) }));
  }
  const abs = resolve(root, rel);
  const r = relative(resolve(root), abs);
  if (r === '' || r.startsWith('..') || isAbsolute(r)) throw new ContractError('invalid', `path '${rel.slice(0, 200)}' is outside the recordings folder`, reason('pathOutside', { path: rel }));
  if (existsSync(abs)) {
    // a symlink inside the root must not lead out of it
    const real = realpathSync(abs);
    const realRoot = realpathSync(root);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) throw new ContractError('invalid', `path '${rel.slice(0, 200)}' leads outside the recordings folder`, reason('pathOutside', { path: rel }));
  }
  return abs;
}

/** Null when the root can take new segments, else what is wrong in the operator's words. */
export function rootProblem(root: string): string | null {
  try {
    if (!existsSync(root) || !statSync(root).isDirectory()) return `the recordings folder ${root} is missing`;
    // access(W_OK) says yes to root on a read-only mount: only a real write tells
    const probe = join(root, '.write-test');
    writeFileSync(probe, 'ok');
    unlinkSync(probe);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return `the recordings folder ${root} is read-only`;
    if (code === 'ENOSPC') return `the disk of ${root} is full`;
    return `the recordings folder ${root} cannot be written (${code ?? String(err)})`;
  }
}
