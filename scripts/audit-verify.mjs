// `npm run audit:verify -- <data dir>`: verifies the audit chains against their signed checkpoints (electron/host/audit/audit-verify-cli.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './ensure.mjs';

const out = join(root, 'dist', 'audit-verify.mjs');
await build({ entryPoints: [join(root, 'electron/host/audit/audit-verify-cli.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 2);
