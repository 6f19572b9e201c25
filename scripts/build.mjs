// Builds the renderer bundle, the web shell and the Electron shell with esbuild into dist/.
import { build } from 'esbuild';
import { cpSync, mkdirSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
mkdirSync(join(out, 'renderer'), { recursive: true });

const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', absWorkingDir: root };

/** An ES module bundle of a shell entry point; npm packages stay external (node_modules ships with the app). */
function hostBundle(name, entry, target) {
  return build({ ...common, entryPoints: { [name]: entry }, outdir: 'dist', outExtension: { '.js': '.mjs' }, format: 'esm', platform: 'node', target, packages: 'external' });
}

export async function buildAll() {
  // chunks carry a content hash in their names: clear the previous build's so dist/ holds one set
  for (const f of readdirSync(join(out, 'renderer'))) if (/-[A-Z0-9]{8}\.js(\.map)?$/.test(f)) rmSync(join(out, 'renderer', f));
  await Promise.all([
    build({
      ...common,
      entryPoints: { app: 'renderer/main.tsx' },
      outdir: 'dist/renderer',
      format: 'esm',
      // the city map (deck.gl) is a dynamic import: its own chunk, which the wall window never loads (renderer/main.tsx)
      splitting: true,
      chunkNames: '[name]-[hash]', // beside app.js: the static server serves one folder level

      platform: 'browser',
      target: 'chrome120',
      jsx: 'automatic',
      loader: { '.css': 'css', '.geojson': 'json' }, // .geojson: the offline basemap (renderer/map/basemap.ts)
      // KUZET_NO_MINIFY=1 keeps function names readable in profiles (bench:wall --profile); React stays the
      // production build either way (esbuild would pick its development build for unminified output)
      minify: !watch && process.env.KUZET_NO_MINIFY !== '1',
      ...(watch ? {} : { define: { 'process.env.NODE_ENV': '"production"' } }),
    }),
    // The frame worker is its own bundle, built without splitting: a worker started from the page's URL would load
    // whatever chunk its starter was split into, and a chunk only defines modules (docs/map.md)
    build({
      ...common,
      entryPoints: { 'frame-worker': 'renderer/wall/frame-worker-main.ts' }, // FRAME_WORKER_FILE (renderer/wall/frame-channel.ts)
      outdir: 'dist/renderer',
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      minify: !watch && process.env.KUZET_NO_MINIFY !== '1',
    }),
    hostBundle('web-shell', 'electron/web-shell.ts', 'node20'),
    hostBundle('kuzet-cli', 'electron/kuzet-cli.ts', 'node20'), // `kuzet verify <export>` (scripts/kuzet.mjs)
    hostBundle('main', 'electron/main.ts', 'node22'), // Electron 45 embeds Node 22
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
