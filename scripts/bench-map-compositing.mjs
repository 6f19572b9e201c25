// `node scripts/bench-map-compositing.mjs`: where a pan or zoom step's first frame goes without a GPU (tests/bench/map-compositing.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureAll, root } from './ensure.mjs';

ensureAll();
await build({ entryPoints: [join(root, 'tests/bench/map-compositing.ts')], outfile: join(root, 'dist/bench/map-compositing.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/map-compositing.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
