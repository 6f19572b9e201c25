// `npm test`: provisions what is missing, then type-check, lint, unit + integration + end-to-end tests
// (real simulator cameras, GStreamer, FFmpeg and Chromium). Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAll, root } from './ensure.mjs';

const t0 = Date.now();
ensureAll();
const step = (name, cmd, args) => {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  console.log(`[kuzet] ${name}: ${r.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  return r.status === 0;
};
const npx = join(root, 'node_modules', '.bin');
let ok = step('type-check', join(npx, 'tsc'), ['-p', 'tsconfig.json', '--noEmit']);
ok = step('lint', join(npx, 'eslint'), ['--max-warnings', '0', '.']) && ok;
mkdirSync(join(root, 'tests', '.artifacts'), { recursive: true });
const report = join(root, 'tests', '.artifacts', 'vitest.json');
const filter = process.argv.slice(2);
ok = step('tests', join(npx, 'vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...filter]) && ok;
let passed = 0, failed = 0, skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0; failed = r.numFailedTests ?? 0; skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
if (!ok && failed === 0) failed = 1; // a failed type-check or lint counts as a failure
console.log(`[kuzet] npm test finished in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
