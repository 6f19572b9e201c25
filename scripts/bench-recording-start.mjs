// `npm run bench:recstart [-- --starts 5 --sec 25]`: builds and runs tests/bench/recording-start.ts (recording failures at
// the demo's start). Needs `npm run build` (the web shell) first.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './ensure.mjs';

await build({ entryPoints: [join(root, 'tests/bench/recording-start.ts')], outfile: join(root, 'dist/bench/recording-start.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/recording-start.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
