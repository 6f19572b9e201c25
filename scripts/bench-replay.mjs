// `npm run bench:replay [-- --quick]`: builds the benchmark and runs it (see tests/bench/replay.ts). It needs neither
// the app build nor the clips (the host side only, on a simulated console), so it does not call ensureAll.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './ensure.mjs';

await build({ entryPoints: [join(root, 'tests/bench/replay.ts')], outfile: join(root, 'dist/bench/replay.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/replay.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
