// `npm run bench:replay [-- --quick]`: builds the app, the benchmark and the page-side latency probe, then runs it (see
// tests/bench/replay.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureAll, root } from './ensure.mjs';

ensureAll();

await build({ entryPoints: [join(root, 'tests/bench/replay.ts')], outfile: join(root, 'dist/bench/replay.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
// the page-side latency probe (the trainee's tiles, tests/bench/training-latency.ts)
await build({ entryPoints: [join(root, 'tests/bench/latency-probe.ts')], outfile: join(root, 'dist/bench/latency-probe.js'), bundle: true, platform: 'browser', format: 'iife', target: 'chrome120', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/replay.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
