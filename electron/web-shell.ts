/**
 * Web shell: the same host and renderer as the desktop shell, over loopback HTTP + WebSocket with a random
 * token per start. Used when the Electron binary is absent, for tests, and as a review console or an extra
 * wall display on another machine (bind elsewhere only on purpose: --bind).
 *
 *   node dist/web-shell.mjs [--demo [--reset-demo]] [--extra N] [--port P] [--bind 127.0.0.1] [--allow-host NAME]... [--data-dir DIR] [--json] [--diagnostics]
 *                           [--window-display :0 [--map-display :1] [--chromium /usr/bin/chromium]]
 * --wall-profile: the wall browser's Chromium profile (npm start's): while the map window is open that browser runs at a
 *   lower CPU priority (host/map/wall-priority.ts).
 * --window-display: the X display the wall is on; the host may open windows there: the Map button then opens the city map
 * in a Chromium of its own (its own profile and GPU process; issue 10), on --map-display (or KUZET_MAP_DISPLAY) when given.
 * --diagnostics (or KUZET_DIAGNOSTICS=1): measurement hooks for tests and benchmarks (README, "Diagnostics").
 * --exit-with-parent: stop when the process that started it has gone (a test runner killed before it could close the
 *   shell): an orphaned shell whose simulator had died kept respawning its stream workers, a core 70 % busy under the
 *   runs that came after it.
 *
 * Requests must name the server in their Host header (127.0.0.1 or localhost with the port, the bound address, or a
 * name given with --allow-host) and come from its own page: a DNS-rebinding page or a file:// page gets 403.
 */
import { homedir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHost } from './host/host.js';
import { startHttpServer } from './host/http-server.js';
import { startDemo } from './host/demo.js';
import { openDemoDataDir } from './host/demo-data.js';
import { createLogger } from './host/log.js';
import { chromiumMapWindow, type MapWindowLauncher } from './host/map/map-window.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      extra: { type: 'string', default: '0' },
      port: { type: 'string', default: '0' },
      bind: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
      token: { type: 'string' },
      diagnostics: { type: 'boolean', default: false },
      'allow-host': { type: 'string', multiple: true },
      'reset-demo': { type: 'boolean', default: false },
      'window-display': { type: 'string' },
      'map-display': { type: 'string' },
      chromium: { type: 'string', default: 'chromium' },
      'wall-profile': { type: 'string' },
      'exit-with-parent': { type: 'boolean', default: false },
    },
  });
  if (values['reset-demo'] && !values.demo) throw new Error('--reset-demo resets the demo city: use it with --demo');
  // the demo keeps its alarms, recordings and settings apart from a user's real configuration
  const dataDir = values.demo ? openDemoDataDir(values['data-dir'], values['reset-demo'], (line) => process.stderr.write(line + '\n'))
    : values['data-dir'] ?? process.env.KUZET_DATA_DIR ?? join(homedir(), '.config', 'kuzet');
  const port = Number(values.port);
  const extra = Number(values.extra);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  if (!Number.isInteger(extra) || extra < 0 || extra > 200) throw new Error(`--extra: expected 0..200, got ${values.extra}`);
  const log = createLogger({ scope: 'kuzet', file: join(dataDir, 'kuzet.log') });
  let framesUrl = '';
  const diagnostics = values.diagnostics || process.env.KUZET_DIAGNOSTICS === '1';
  let mapWindow: MapWindowLauncher | null = null;
  const host = createHost({ dataDir, shell: 'web', log, framesUrl: () => framesUrl, diagnostics, mapWindow: () => mapWindow, ...(values.demo ? { demoUsers: true } : {}) });
  await host.ready();
  const server = await startHttpServer({ host, staticDir: join(root, 'dist', 'renderer'), bind: values.bind, port, ...(values.token ? { token: values.token } : {}), allowedHosts: values['allow-host'] ?? [] });
  framesUrl = `/frames?token=${server.token}`;
  const wallDisplay = values['window-display'];
  if (wallDisplay) {
    const display = values['map-display'] ?? process.env.KUZET_MAP_DISPLAY ?? wallDisplay;
    mapWindow = chromiumMapWindow({
      chromium: values.chromium, display, sameScreen: display === wallDisplay, devtools: diagnostics, log: log.child('map-window'),
      profileDir: join(dataDir, 'chromium-map-profile'), pageUrl: (query) => `${server.origin}/?token=${server.token}&${query}`,
      ...(values['wall-profile'] ? { wallProfileDir: values['wall-profile'] } : {}),
    });
  }
  const sim = values.demo ? await startDemo(host, { root, extra }) : null;
  // The start token opens the sign-in page; the demo starts signed in as its operator (issue 12).
  const demoSession = values.demo ? await host.access.demoToken('operator') : null;
  const url = `${server.origin}/?token=${server.token}${demoSession ? `&session=${demoSession}` : ''}&display=main`;
  if (values.json) process.stdout.write(JSON.stringify({ ready: true, url, origin: server.origin, token: server.token, port: server.port, rtsp: sim?.rtspBase ?? null, simControl: sim ? `http://127.0.0.1:${sim.controlPort}` : null }) + '\n');
  else process.stdout.write(`[kuzet] web shell ready: ${url}\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info('shutting down', { signal });
    // a part that cannot close (a hung disk, a stuck child) must not keep the process alive
    setTimeout(() => { log.error('shutdown took over 5 s: exiting anyway', { signal }); process.exit(1); }, 5000).unref();
    try {
      await mapWindow?.stop(); // the map's browser goes with the host
      await host.close();
      await sim?.close();
      await server.close();
    } catch (err) {
      log.error('shutdown failed', { error: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
    process.exit(0);
  };
  if (values['exit-with-parent']) {
    const parent = process.ppid;
    setInterval(() => { if (process.ppid !== parent) void shutdown('parent gone'); }, 1000).unref();
  }
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('uncaughtException', (err) => log.error('uncaught exception', { error: err.stack ?? String(err) }));
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: err instanceof Error ? err.stack ?? err.message : String(err) }));
}

main().catch((err: unknown) => {
  process.stderr.write(`[kuzet] cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
