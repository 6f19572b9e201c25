/**
 * The demo city's own data dir: alarms, recordings and settings of the demo live apart from a user's real
 * configuration, so that resetting the demo (`npm start -- --reset-demo`) can never touch the latter. A data dir
 * is the demo's when it carries the marker file, written only into a dir that is new or empty.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEMO_MARKER = '.kuzet-demo';

/** `KUZET_DEMO_DATA_DIR`, else `~/.config/kuzet-demo` (a user's real data dir is `~/.config/kuzet`). */
export function demoDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.KUZET_DEMO_DATA_DIR || join(homedir(), '.config', 'kuzet-demo'));
}

export const isDemoDataDir = (dir: string): boolean => existsSync(join(dir, DEMO_MARKER));

/** Marks `dir` as the demo's when it is new or empty; returns whether it is the demo's now. */
export function claimDemoDataDir(dir: string): boolean {
  mkdirSync(dir, { recursive: true });
  if (isDemoDataDir(dir)) return true;
  if (readdirSync(dir).length > 0) return false; // someone's data: never adopted
  writeFileSync(join(dir, DEMO_MARKER), 'Kuzet demo city data (npm start -- --reset-demo deletes this folder\'s contents)\n');
  return true;
}

/** What a reset removed: each top-level entry with its file count and bytes. */
export interface DemoReset { dir: string; removed: Array<{ name: string; files: number; bytes: number }> }

function sizeOf(path: string): { files: number; bytes: number } {
  const st = lstatSync(path);
  if (!st.isDirectory()) return { files: 1, bytes: st.size };
  let files = 0, bytes = 0;
  for (const e of readdirSync(path)) { const s = sizeOf(join(path, e)); files += s.files; bytes += s.bytes; }
  return { files, bytes };
}

/**
 * Deletes the demo's alarms, recordings, layouts and settings: every entry of `dir` but the marker. Refuses (throws
 * with the reason) a dir without the marker, the home folder, the file system root and the user's real data dir.
 */
export function resetDemoData(dir: string, realDataDir = join(homedir(), '.config', 'kuzet')): DemoReset {
  const abs = resolve(dir);
  if (!existsSync(abs)) return { dir: abs, removed: [] };
  if (abs === '/' || abs === resolve(homedir()) || abs === resolve(realDataDir)) {
    throw new Error(`refusing to reset ${abs}: it is not a demo data dir`);
  }
  if (!isDemoDataDir(abs)) {
    throw new Error(`refusing to reset ${abs}: it has no ${DEMO_MARKER} marker, so it may hold someone's real configuration`);
  }
  const removed: DemoReset['removed'] = [];
  for (const name of readdirSync(abs).sort()) {
    if (name === DEMO_MARKER) continue;
    const path = join(abs, name);
    removed.push({ name, ...sizeOf(path) });
    rmSync(path, { recursive: true, force: true });
  }
  return { dir: abs, removed };
}

/** One line per removed entry, for the console. */
export function describeReset(r: DemoReset): string {
  if (!r.removed.length) return `[kuzet] demo reset: ${r.dir} held nothing to remove`;
  const mb = (b: number) => (b / 1_048_576).toFixed(1);
  const total = r.removed.reduce((s, e) => s + e.bytes, 0);
  return [`[kuzet] demo reset: removed from ${r.dir} (${mb(total)} MB):`,
    ...r.removed.map((e) => `  ${e.name}${e.files > 1 ? ` (${e.files} files)` : ''}, ${mb(e.bytes)} MB`)].join('\n');
}

/**
 * The data dir a demo start uses (`--data-dir` when given, else `demoDataDir()`), reset first when asked, and marked
 * as the demo's when new. Both shells call it before anything writes there.
 */
export function openDemoDataDir(given: string | undefined, reset: boolean, say: (line: string) => void): string {
  const dir = resolve(given ?? demoDataDir());
  if (reset) say(describeReset(resetDemoData(dir)));
  if (!claimDemoDataDir(dir)) say(`[kuzet] demo data dir ${dir} already held other data: the demo uses it, but --reset-demo will refuse to clear it`);
  return dir;
}
