// `node scripts/bench-window.mjs [--rounds 2] [--sec 12] [--variants a,b]`: what the app window costs the GPU process (tests/bench/window-cost.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureAll, root } from './ensure.mjs';

ensureAll();
await build({ entryPoints: [join(root, 'tests/bench/window-cost.ts')], outfile: join(root, 'dist/bench/window-cost.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/window-cost.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
