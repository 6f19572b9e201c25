// `npm run bench:masks [-- --quick]`: builds and runs tests/bench/mask-cost.ts (what permanent privacy masks cost per stream).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './ensure.mjs';

await build({ entryPoints: [join(root, 'tests/bench/mask-cost.ts')], outfile: join(root, 'dist/bench/mask-cost.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/mask-cost.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
