// Provisioning shared by `npm start` and `npm test`: Debian packages, npm dependencies, sample clips, build.
// Idempotent and quick when everything is present. Uses only Node built-ins (it runs before `npm ci`).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd, args, what) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
  const dt = Date.now() - t0;
  if (dt > 1500) console.log(`[kuzet] ${what}: ${(dt / 1000).toFixed(1)} s`);
}

export function ensureSystemPackages() {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/dpkg-query')) {
    console.log('[kuzet] not a Debian/Ubuntu system: install the prerequisites listed in README.md yourself');
    return;
  }
  run('bash', [join(root, 'scripts', 'provision-system.sh')], 'system packages');
}

const lockHash = () => createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
const lockStamp = () => join(root, 'node_modules', '.kuzet-lock-sha256');
const nodeModulesCurrent = () => existsSync(lockStamp()) && readFileSync(lockStamp(), 'utf8').trim() === lockHash();

/**
 * better-sqlite3 is the one dependency compiled on install (no prebuilt binary can be downloaded here): about a minute
 * of a fresh clone's `npm ci`. The compiled addon is kept per package version and Node ABI in ~/.cache/kuzet and copied
 * into later installs; `npm rebuild` compiles it only when the cache has none.
 */
const cacheRoot = () => join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kuzet');

/**
 * A fresh clone on a machine that installed the same package-lock.json before gets node_modules as hard links of that
 * install (`cp -al`, seconds) instead of `npm ci` (2-3 minutes on 2 busy cores). The kept copy leaves out the tool
 * caches tests write into (node_modules/.vite, .vite-temp, .cache), so nothing writes into shared files; `npm ci`
 * replaces node_modules whole (it unlinks, never edits in place). KUZET_NODE_MODULES_CACHE=off turns it off.
 */
const modulesCacheDir = () => (process.env.KUZET_NODE_MODULES_CACHE === 'off' ? null : join(cacheRoot(), 'node_modules'));

function modulesFromCache(want) {
  const dir = modulesCacheDir();
  const kept = dir && join(dir, want.slice(0, 16));
  if (!kept || !existsSync(join(kept, '.kuzet-lock-sha256')) || readFileSync(join(kept, '.kuzet-lock-sha256'), 'utf8').trim() !== want) return false;
  const nm = join(root, 'node_modules');
  rmSync(nm, { recursive: true, force: true });
  const t0 = Date.now();
  if (spawnSync('cp', ['-al', kept, nm], { stdio: 'inherit' }).status !== 0) { rmSync(nm, { recursive: true, force: true }); return false; }
  console.log(`[kuzet] node_modules: hard links of the install kept in ${kept} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return true;
}

function keepModules(want) {
  const dir = modulesCacheDir();
  if (!dir) return;
  const part = join(dir, `.part-${process.pid}`), kept = join(dir, want.slice(0, 16));
  try {
    mkdirSync(dir, { recursive: true });
    if (spawnSync('cp', ['-al', join(root, 'node_modules'), part], { stdio: 'ignore' }).status !== 0) throw new Error('cp -al failed (another file system?)');
    for (const tool of ['.vite', '.vite-temp', '.cache']) rmSync(join(part, tool), { recursive: true, force: true });
    rmSync(kept, { recursive: true, force: true });
    renameSync(part, kept);
    // only the current lock file's install is worth keeping
    for (const old of readdirSync(dir)) if (old !== basename(kept) && !old.startsWith('.part-')) rmSync(join(dir, old), { recursive: true, force: true });
  } catch (e) {
    rmSync(part, { recursive: true, force: true });
    console.log(`[kuzet] node_modules not kept for the next clone: ${e.message}`);
  }
}

function betterSqliteAddon() {
  const pkg = join(root, 'node_modules', 'better-sqlite3');
  const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version;
  const key = `${version}-${process.version}-abi${process.versions.modules}-${process.platform}-${process.arch}`;
  const cached = join(process.env.KUZET_NATIVE_CACHE ?? join(cacheRoot(), 'native'), 'better-sqlite3', key, 'better_sqlite3.node');
  const built = join(pkg, 'build', 'Release', 'better_sqlite3.node');
  return { cached, built };
}

function storeAddon({ cached, built }) {
  if (existsSync(cached) || !existsSync(built)) return;
  try {
    mkdirSync(dirname(cached), { recursive: true });
    const part = `${cached}.part-${process.pid}`;
    copyFileSync(built, part);
    renameSync(part, cached);
  } catch (e) { console.log(`[kuzet] could not keep the compiled better-sqlite3 in ${dirname(cached)}: ${e.message}`); }
}

export function ensureNodeModules() {
  if (nodeModulesCurrent()) {
    // an install made before the caches existed fills them
    storeAddon(betterSqliteAddon());
    const dir = modulesCacheDir();
    if (dir && !existsSync(join(dir, lockHash().slice(0, 16)))) keepModules(lockHash());
    return;
  }
  const want = lockHash();
  if (modulesFromCache(want)) return;
  console.log('[kuzet] package-lock.json changed or node_modules missing: npm ci');
  // Install scripts run below, one by one (only better-sqlite3 and esbuild have any: package-lock.json hasInstallScript).
  run('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], 'npm ci');
  const addon = betterSqliteAddon();
  if (existsSync(addon.cached)) {
    mkdirSync(dirname(addon.built), { recursive: true });
    copyFileSync(addon.cached, addon.built);
    console.log(`[kuzet] better-sqlite3: the compiled addon from ${dirname(addon.cached)}`);
  } else {
    run('npm', ['rebuild', 'better-sqlite3'], 'better-sqlite3 install');
    storeAddon(addon);
  }
  run('npm', ['rebuild', 'esbuild'], 'esbuild install');
  writeFileSync(lockStamp(), want + '\n');
  keepModules(want);
}

export function ensureClips() {
  run('bash', [join(root, 'native', 'simulator', 'make_clips.sh')], 'sample clips');
}

export function build() {
  run(process.execPath, [join(root, 'scripts', 'build.mjs')], 'build');
}

export function electronBinary() {
  const p = join(root, 'node_modules', 'electron', 'dist', 'electron');
  return existsSync(p) ? p : null;
}

export function ensureAll({ withBuild = true } = {}) {
  ensureSystemPackages();
  // On a fresh clone `npm ci` (mostly network and disk) and the clips (FFmpeg, CPU) both take a minute or two: the clips
  // start first, in the background; ensureClips() below then waits on the generator's lock and finds them done.
  const headStart = !nodeModulesCurrent() ? spawn('bash', [join(root, 'native', 'simulator', 'make_clips.sh')], { cwd: root, stdio: 'inherit' }) : null;
  try { ensureNodeModules(); } catch (e) { headStart?.kill(); throw e; }
  ensureClips();
  if (withBuild) build();
}

export function has(cmd) {
  try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; }
}
