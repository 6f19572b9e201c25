// Builds the renderer bundle, the web shell and the Electron shell with esbuild into dist/.
import { build } from 'esbuild';
import { cpSync, mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
mkdirSync(join(out, 'renderer'), { recursive: true });

const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', absWorkingDir: root };

export async function buildAll() {
  await Promise.all([
    build({
      ...common,
      entryPoints: ['renderer/main.tsx'],
      outfile: 'dist/renderer/app.js',
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      jsx: 'automatic',
      loader: { '.css': 'css' },
      minify: !watch,
    }),
    build({
      ...common,
      entryPoints: { 'web-shell': 'electron/web-shell.ts' },
      outdir: 'dist',
      outExtension: { '.js': '.mjs' },
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: { main: 'electron/main.ts' },
      outdir: 'dist',
      outExtension: { '.js': '.mjs' },
      format: 'esm',
      platform: 'node',
      target: 'node22',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: { preload: 'electron/preload.ts' },
      outdir: 'dist',
      outExtension: { '.js': '.cjs' },
      format: 'cjs', // sandboxed preloads cannot be ES modules
      platform: 'node',
      target: 'node22',
      external: ['electron'],
    }),
  ]);
  for (const f of ['index.html', 'styles.css']) {
    const src = join(root, 'renderer', f);
    if (existsSync(src)) cpSync(src, join(out, 'renderer', f));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  await buildAll();
  console.log(`[kuzet] built dist/ in ${Date.now() - t0} ms`);
}
