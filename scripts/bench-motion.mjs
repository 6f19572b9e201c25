// `npm run bench:motion [-- --n 4 --sec 20]`: builds and runs tests/bench/motion-cost.ts (what motion detection costs).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './ensure.mjs';

await build({ entryPoints: [join(root, 'tests/bench/motion-cost.ts')], outfile: join(root, 'dist/bench/motion-cost.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/motion-cost.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
