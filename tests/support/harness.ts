/**
 * Test and benchmark harness: starts the real web shell (host + simulator cameras) as a child process and
 * Debian's Chromium through playwright-core. Everything started here is killed by process group on close.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_USERS } from '../../electron/host/access/access-module.js';
import { ApiClient } from './api-client.js';
import { startHangProbe } from './hang-probe.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * `token` is the signed-in session's (it opens /api signed in, /frames and /rec/); `startToken` the per-start token that
 * opens only the sign-in page; `url` opens the console signed in (or the sign-in page when the shell started with `user: null`).
 */
export interface ShellInfo { url: string; origin: string; token: string; startToken: string; user: string | null; port: number; rtsp: string | null; simControl: string | null }

export interface RunningShell {
  info: ShellInfo;
  proc: ChildProcess;
  dataDir: string;
  stderr: () => string;
  close(): Promise<void>;
}

export function killGroup(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (proc.pid === undefined) return;
  try { process.kill(-proc.pid, signal); } catch { /* already gone */ }
}

/** The demo user of a role (README, demo section): user name and password. */
export function demoUser(role: string): { name: string; password: string } {
  const u = DEMO_USERS.find((d) => d.roles.includes(role));
  if (!u) throw new Error(`no demo user has the role ${role}`);
  return u;
}

/** Signs in on the shell's API with the start token; returns the session token. */
export async function signIn(origin: string, startToken: string, name: string, password: string): Promise<string> {
  const api = await ApiClient.connect(origin, startToken);
  try { return (await api.call('access.signIn', { user: name, password })).sessionToken; } finally { api.close(); }
}

/**
 * Starts `node dist/web-shell.mjs` with its own data dir (demo users seeded); `demo` also starts the simulator. Diagnostics
 * is on (the page's `window.__kuzet*` hooks) unless `diagnostics: false`. Signs in as the demo user of `role`
 * (administrator by default; `null`: stay signed out, `url` opens the sign-in page). The page opens in English unless
 * `lang` says otherwise. `args`: more of the shell's options.
 */
export async function startWebShell(opts: { demo?: boolean; extra?: number; dataDir?: string; env?: Record<string, string>; diagnostics?: boolean; role?: string | null; lang?: 'kk' | 'ru' | 'en' | 'pseudo'; args?: string[] } = {}): Promise<RunningShell> {
  const entry = join(ROOT, 'dist', 'web-shell.mjs');
  if (!existsSync(entry)) throw new Error('dist/web-shell.mjs is missing: run `npm run build` (npm test does it)');
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kuzet-test-'));
  // KUZET_HOST_CPU_PROF=<dir>: a V8 CPU profile of the host, written when it exits (where the host's time goes)
  const prof = process.env.KUZET_HOST_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.KUZET_HOST_CPU_PROF}`] : [];
  const args = [...prof, entry, '--json', '--exit-with-parent', '--port', '0', '--data-dir', dataDir];
  if (opts.demo) args.push('--demo');
  if (opts.extra) args.push('--extra', String(opts.extra));
  if (opts.diagnostics !== false) args.push('--diagnostics');
  args.push(...(opts.args ?? [])); // e.g. --window-display :N (the host opens the map window there)
  // the embedded MQTT broker on a free port (its default 1883 would be taken by a second console: npm test runs
  // integration and end-to-end files side by side)
  const proc = spawn(process.execPath, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUZET_DEMO_USERS: '1', KUZET_MQTT_PORT: '0', ...opts.env } });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-200_000); });
  const info = await new Promise<ShellInfo>((resolveInfo, reject) => {
    const timer = setTimeout(() => reject(new Error(`web shell did not start in 90 s:\n${err.slice(-3000)}`)), 90_000);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`web shell exited (${code}):\n${err.slice(-3000)}`)); });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        const msg = JSON.parse(line) as ShellInfo & { ready?: boolean };
        if (msg.ready) { clearTimeout(timer); resolveInfo(msg); }
      } catch { /* not the ready line */ }
    });
  });
  info.startToken = info.token;
  const role = opts.role === undefined ? 'administrator' : opts.role;
  info.user = null;
  if (role) {
    const u = demoUser(role);
    info.token = await signIn(info.origin, info.startToken, u.name, u.password);
    info.user = u.name;
  } else info.token = info.startToken;
  // tests read the interface in English unless they ask for a language (`lang`)
  info.url = `${info.origin}/?token=${info.token}&display=main&lang=${opts.lang ?? 'en'}`;
  return {
    info, proc, dataDir, stderr: () => err,
    async close() {
      killGroup(proc, 'SIGTERM');
      await new Promise<void>((r) => { if (proc.exitCode !== null) r(); else { proc.once('exit', () => r()); setTimeout(() => { killGroup(proc, 'SIGKILL'); r(); }, 5000); } });
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `PMProcessPriorityPolicy` off: Chromium's performance manager otherwise runs the renderer of every page but the one in
 * front at a lower CPU priority (nice +5; it can as root, which these machines' tests run as), whatever
 * `--disable-renderer-backgrounding` says. Headless, a test's pages are tabs of one window, so a console's first page
 * (display main) dropped to nice 5 when e2e/console opened display side (docs/testing.md, "A click that never
 * completes"; tests/e2e/chromium-priority.test.ts). TEST_CHROMIUM merges this `--disable-features` with Playwright's.
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows', '--disable-features=PMProcessPriorityPolicy'];

/**
 * The Chromium every Playwright launch of the tests uses: Debian's, through a script that merges all `--disable-features`
 * switches into one (Chromium reads only the last, so CHROMIUM_ARGS' would drop the list Playwright passes) and keeps
 * WebSocket frame events out of the DevTools pipe (tests/support/cdp-frame-filter.py: the console's video would cross it
 * base64-encoded, and on a busy machine a click then waits minutes behind it).
 */
export const TEST_CHROMIUM = join(ROOT, 'tests', 'support', 'chromium-merged-features.sh');

/**
 * How long a Playwright action (click, fill...) waits for its element to be visible, enabled and stable. A page that
 * decodes a wall on a busy 2-core machine may take long to act (a fresh clone's `npm test` beside other work once saw
 * a popover's input take over 30 s, Playwright's default); an action that cannot happen still fails, later.
 */
export const ACTION_TIMEOUT_MS = 90_000;

/** A browser context as every end-to-end test uses it: a 1920x1080 page at scale 1, actions waiting up to ACTION_TIMEOUT_MS. */
export async function newTestContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  return context;
}

/**
 * `args`: more of Chromium's switches (e.g. `--screen-info={0,0 1920x1080}{1920,0 1600x900}`: two screens side by side,
 * which headless Chromium then reports to the Window Management API).
 */
export async function launchBrowser(opts: { args?: string[] } = {}): Promise<{ browser: Browser; context: BrowserContext; page: Page; close(): Promise<void> }> {
  const browser = await chromium.launch({ executablePath: TEST_CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...(opts.args ?? [])] });
  const context = await newTestContext(browser);
  const probe = startHangProbe(browser, context); // KUZET_E2E_PROBE=<file> only (tests/support/hang-probe.ts)
  const page = await context.newPage();
  return { browser, context, page, close: () => { probe.stop(); return browser.close(); } };
}

/**
 * Grants the page's origin the Window Management permission (`window-management`: the screens' places, windows put on
 * them), as an operator answering the browser's prompt would. Playwright's grantPermissions does not know it; the
 * DevTools protocol does, for the page's browser context.
 */
export async function grantWindowManagement(browser: Browser, page: Page): Promise<void> {
  const { targetInfo } = await (await page.context().newCDPSession(page)).send('Target.getTargetInfo');
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('Browser.grantPermissions', { origin: new URL(page.url()).origin, permissions: ['windowManagement'], browserContextId: targetInfo.browserContextId });
}

export function artifactsDir(): string {
  const dir = join(ROOT, 'tests', '.artifacts');
  return dir;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export { rmSync };
