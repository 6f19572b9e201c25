// `npm run bench:access [-- --quick]`: builds the app and the benchmark, then runs it (see tests/bench/access.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureAll, root } from './ensure.mjs';

ensureAll();
await build({ entryPoints: [join(root, 'tests/bench/access.ts')], outfile: join(root, 'dist/bench/access.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/access.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
