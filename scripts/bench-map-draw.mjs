// `node scripts/bench-map-draw.mjs [idle|zoom|moving]`: what one map draw costs without a GPU (tests/bench/map-draw-cost.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureAll, root } from './ensure.mjs';

ensureAll();
await build({ entryPoints: [join(root, 'tests/bench/map-draw-cost.ts')], outfile: join(root, 'dist/bench/map-draw-cost.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/map-draw-cost.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
