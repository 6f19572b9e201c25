// `npm run bench:map [-- --quick]`: builds the app and the benchmark, then runs it (see tests/bench/map.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureAll, root } from './ensure.mjs';

ensureAll();
await build({ entryPoints: [join(root, 'tests/bench/map.ts')], outfile: join(root, 'dist/bench/map.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/map.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
