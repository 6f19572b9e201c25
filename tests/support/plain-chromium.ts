/**
 * Chromium as `npm start` runs it (no Playwright), with a minimal DevTools client that only evaluates expressions
 * and profiles: headless, or the app window `npm start` opens (the same flags, scripts/app-window.mjs) on an X
 * display. For benchmarks: Playwright enables the DevTools Network domain on every page, so Chromium copies
 * every WebSocket frame to it; on the wall's frame channel that costs the browser process ~10 % of a core that the
 * product never pays (`NOCDP=0|1 node tests/bench/ws-micro.mjs` measures it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, waitFor } from './harness.js';
import { appWindowArgs, screenSize } from '../../scripts/app-window.mjs';

export interface PlainChromium {
  proc: ChildProcess;
  /** Evaluates an expression in the page (promises awaited), returning its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** A raw DevTools call on the page (e.g. Profiler.start). */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** DevTools events of the page (e.g. Tracing.dataCollected); returns the unsubscribe. */
  on(method: string, cb: (params: unknown) => void): () => void;
  close(): Promise<void>;
}

/** The app window of `npm start` on X display `display`; `editArgs` changes its flags (benchmark experiments only). */
export interface AppWindow { display: string; editArgs?: (args: string[]) => string[] }

/** Headless at width x height unless `window` asks for the app window; `profileDir`: this profile (removed on close). */
export async function launchPlainChromium(url: string, opts: { window?: AppWindow; width?: number; height?: number; profileDir?: string } = {}): Promise<PlainChromium> {
  const profile = opts.profileDir ?? mkdtempSync(join(tmpdir(), 'kuzet-chromium-'));
  const win = opts.window;
  const args = win
    ? (win.editArgs ?? ((a) => a))(appWindowArgs({ url, profileDir: profile, screen: screenSize(win.display) ?? { width: 1920, height: 1080 }, asRoot: process.getuid?.() === 0 }))
    : [...CHROMIUM_ARGS, '--headless=new', `--window-size=${opts.width ?? 1920},${opts.height ?? 1080}`, `--user-data-dir=${profile}`, url];
  const proc = spawn('/usr/bin/chromium', [...args, '--remote-debugging-port=0'],
    { stdio: 'ignore', detached: true, env: win ? { ...process.env, DISPLAY: win.display } : process.env });
  const page = await attachDevTools(profile, url.split('?')[0]!);
  return {
    proc, send: page.send, evaluate: page.evaluate, on: page.on,
    async close() {
      page.detach();
      try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* gone */ }
      await new Promise((r) => setTimeout(r, 200));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A DevTools page client. */
export interface DevToolsPage {
  /** Evaluates an expression in the page (promises awaited), returning its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** A raw DevTools call on the page (e.g. Page.captureScreenshot). */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** DevTools events of the page (e.g. Tracing.dataCollected); returns the unsubscribe. */
  on(method: string, cb: (params: unknown) => void): () => void;
  detach(): void;
}

/**
 * Attaches to the page whose address starts with `urlPrefix` in a Chromium started with `--remote-debugging-port=0` and
 * the profile `profile` (its port is in `<profile>/DevToolsActivePort`): a browser this process started, or one the host
 * started (the map window, in diagnostics mode).
 */
export async function attachDevTools(profile: string, urlPrefix: string): Promise<DevToolsPage> {
  const portFile = join(profile, 'DevToolsActivePort');
  // the port is read again on every try: a browser of the same profile that was stopped left its port in the file
  // until the next one (started later, on a loaded machine up to a minute later) writes its own
  const target = await waitFor('the page target', async () => {
    const port = existsSync(portFile) && readFileSync(portFile, 'utf8').split('\n')[0];
    if (!port) return null;
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json() as Array<{ type: string; url: string; webSocketDebuggerUrl: string }>;
    return list.find((t) => t.type === 'page' && t.url.startsWith(urlPrefix));
  }, 90_000, 200);
  const ws = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  let nextId = 1;
  const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(params: unknown) => void>>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
    if (msg.id === undefined) {
      for (const l of listeners.get(msg.method ?? '') ?? []) l(msg.params);
      return;
    }
    const c = calls.get(msg.id);
    calls.delete(msg.id);
    if (msg.error) c?.reject(new Error(msg.error.message)); else c?.resolve(msg.result);
  });
  const send = <T>(method: string, params: Record<string, unknown> = {}) => new Promise<T>((resolve, reject) => {
    const id = nextId++;
    calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });
  return {
    send,
    on(method, cb) {
      const set = listeners.get(method) ?? new Set();
      listeners.set(method, set);
      set.add(cb);
      return () => { set.delete(cb); };
    },
    async evaluate<T>(expression: string): Promise<T> {
      const r = await send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
      if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
      return r.result.value as T;
    },
    detach() { ws.close(); },
  };
}
