// `node scripts/bench-worker.mjs [--n 4 --sec 30 --rounds 2]`: builds and runs tests/bench/worker-cpu.ts (what a media worker costs).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './ensure.mjs';

await build({ entryPoints: [join(root, 'tests/bench/worker-cpu.ts')], outfile: join(root, 'dist/bench/worker-cpu.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/worker-cpu.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
