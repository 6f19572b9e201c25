// `npm run bench:wall [-- --quick|--soak|--profile|...]`: builds the app and the benchmark, then runs it (see tests/bench/wall.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureAll, root } from './ensure.mjs';

ensureAll();
const common = { bundle: true, target: 'node20', logLevel: 'warning' };
await build({ ...common, entryPoints: [join(root, 'tests/bench/wall.ts')], outfile: join(root, 'dist/bench/wall.mjs'), platform: 'node', format: 'esm', packages: 'external' });
// the page-side latency probe, evaluated in the wall page
await build({ ...common, entryPoints: [join(root, 'tests/bench/latency-probe.ts')], outfile: join(root, 'dist/bench/latency-probe.js'), platform: 'browser', format: 'iife', target: 'chrome120' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/wall.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
