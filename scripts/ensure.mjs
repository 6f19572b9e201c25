// Provisioning shared by `npm start` and `npm test`: Debian packages, npm dependencies, sample clips, build.
// Idempotent and quick when everything is present. Uses only Node built-ins (it runs before `npm ci`).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

export function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.kuzet-lock-sha256');
  const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === want) return;
  console.log('[kuzet] package-lock.json changed or node_modules missing: npm ci');
  run('npm', ['ci', '--no-audit', '--no-fund'], 'npm ci');
  writeFileSync(stamp, want + '\n');
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
  ensureNodeModules();
  ensureClips();
  if (withBuild) build();
}

export function has(cmd) {
  try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; }
}
