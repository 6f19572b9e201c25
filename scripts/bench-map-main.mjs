// `node scripts/bench-map-main.mjs`: where the map page's main thread goes while units move (tests/bench/map-main-thread.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureAll, root } from './ensure.mjs';

ensureAll();
await build({ entryPoints: [join(root, 'tests/bench/map-main-thread.ts')], outfile: join(root, 'dist/bench/map-main-thread.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/map-main-thread.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
