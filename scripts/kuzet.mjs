#!/usr/bin/env node
// The `kuzet` command (evidence verification): runs the bundled CLI, building dist/ first if needed.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'kuzet-cli.mjs');
if (!existsSync(cli)) {
  const { buildAll } = await import('./build.mjs');
  await buildAll();
}
await import(cli);
