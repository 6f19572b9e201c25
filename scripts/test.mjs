// `npm test`: provisions what is missing, then type-check, lint, unit + integration + end-to-end tests
// (real simulator cameras, GStreamer, FFmpeg and Chromium). Ends with one summary line.
import { spawn, spawnSync } from 'node:child_process';
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
/** A step run beside others: its output is held and printed whole when it ends, so two steps' lines never mix. */
const quietStep = (name, cmd, args, env = process.env) => new Promise((done) => {
  const t = Date.now();
  let out = '';
  const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  child.on('error', (e) => { out += `${e.message}\n`; });
  child.on('close', (code) => {
    if (out) process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
    console.log(`[kuzet] ${name}: ${code === 0 ? 'ok' : 'FAILED'} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    done(code === 0);
  });
});
const npx = join(root, 'node_modules', '.bin');
// Type-check and lint are one thread each: side by side they take the time of the longer one on 2 cores.
const [typesOk, lintOk] = await Promise.all([
  quietStep('type-check', join(npx, 'tsc'), ['-p', 'tsconfig.json', '--noEmit']),
  quietStep('lint', join(npx, 'eslint'), ['--max-warnings', '0', '.']),
]);
let ok = typesOk && lintOk;
mkdirSync(join(root, 'tests', '.artifacts'), { recursive: true });
const artifacts = join(root, 'tests', '.artifacts');
const filter = process.argv.slice(2);
const vitest = join(npx, 'vitest');
// timing-reporter: per file, how long its import, its fixtures (hooks) and its tests took (tests/.artifacts/timings*.json)
const vitestArgs = (tag) => ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(artifacts, `vitest${tag}.json`)}`,
  '--reporter=./tests/support/timing-reporter.ts'];
let reports;
if (filter.length > 0) {
  ok = step('tests', vitest, [...vitestArgs(''), ...filter]) && ok;
  reports = [''];
} else {
  // unit first (a minute); then integration and end-to-end side by side, each one file at a time: their files mostly wait
  // (for cameras, recordings, Chromium), so two at once on 2 cores take little more than the longer one (docs/testing.md)
  ok = step('tests (unit)', vitest, [...vitestArgs('-unit'), '--project', 'unit']) && ok;
  const env = (tag) => ({ ...process.env, KUZET_TIMINGS_TAG: tag });
  const [integrationOk, e2eOk] = await Promise.all([
    quietStep('tests (integration)', vitest, [...vitestArgs('-integration'), '--project', 'integration'], env('-integration')),
    quietStep('tests (e2e)', vitest, [...vitestArgs('-e2e'), '--project', 'e2e'], env('-e2e')),
  ]);
  ok = integrationOk && e2eOk && ok;
  reports = ['-unit', '-integration', '-e2e'];
}
let passed = 0, failed = 0, skipped = 0;
for (const tag of reports) {
  const file = join(artifacts, `vitest${tag}.json`);
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests ?? 0; failed += r.numFailedTests ?? 0; skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}
if (!ok && failed === 0) failed = 1; // a failed type-check or lint counts as a failure
console.log(`[kuzet] npm test finished in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(ok ? 0 : 1);
