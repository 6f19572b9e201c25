/**
 * Desktop shell (Electron main process): one window per display, a sandboxed renderer with a strict CSP,
 * the contract over IPC (every payload validated by dispatch), frames over the loopback frame channel,
 * camera credentials sealed with safeStorage. All real work lives in electron/host/ (plain Node).
 *
 *   electron dist/main.mjs [--demo [--reset-demo]] [--extra N] [--data-dir DIR]
 */
import { app, BrowserWindow, ipcMain, safeStorage, screen, session, type Display, type WebContents } from 'electron';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createHost, type Host } from './host/host.js';
import { CSP, startHttpServer, type RunningServer } from './host/http-server.js';
import { startDemo } from './host/demo.js';
import { openDemoDataDir } from './host/demo-data.js';
import { dispatch } from './host/dispatch.js';
import { createLogger } from './host/log.js';
import type { SecretBox } from './host/settings/secrets.js';
import type { MapWindowLauncher } from './host/map/map-window.js';
import { IPC_EVENT, IPC_INVOKE } from './contract/channels.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const rendererIndex = join(root, 'dist', 'renderer', 'index.html');

/** safeStorage keeps camera passwords in the OS keyring's protection instead of a key file. */
function safeStorageBox(): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return {
    encrypt: (plain) => 'ss1:' + safeStorage.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed.replace(/^ss1:/, ''), 'base64')),
  };
}

function displayIdOf(d: Display, primary: Display): string { return d.id === primary.id ? 'main' : `display-${d.id}`; }

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(app.isPackaged ? 1 : 2),
    options: { demo: { type: 'boolean', default: false }, extra: { type: 'string', default: '0' }, 'data-dir': { type: 'string' }, diagnostics: { type: 'boolean', default: false }, 'reset-demo': { type: 'boolean', default: false } },
    strict: false,
  });
  await app.whenReady();
  const given = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  // the demo keeps its alarms, recordings and settings apart from a user's real configuration
  const dataDir = values.demo === true ? openDemoDataDir(given, values['reset-demo'] === true, (line) => process.stderr.write(line + '\n'))
    : given ?? app.getPath('userData');
  const log = createLogger({ scope: 'kuzet', file: join(dataDir, 'kuzet.log') });
  const frameServer: { current?: RunningServer } = {}; // set once the host exists; the frame URL reads it late
  const box = safeStorageBox();
  const mapLauncher: { current?: MapWindowLauncher } = {}; // the map's BrowserWindow (below), once the windows exist
  const host: Host = createHost({
    mapWindow: () => mapLauncher.current ?? null,
    dataDir, shell: 'electron', log, ...(box ? { secretBox: box } : {}), ...(values.demo ? { demoUsers: true } : {}),
    diagnostics: values.diagnostics === true || process.env.KUZET_DIAGNOSTICS === '1',
    framesUrl: () => (frameServer.current ? `ws://127.0.0.1:${frameServer.current.port}/frames?token=${frameServer.current.token}` : ''),
  });
  await host.ready();
  const server = frameServer.current = await startHttpServer({ host }); // frame channel only: no pages are served to the network
  const sim = values.demo ? await startDemo(host, { root, extra: Number(values.extra) || 0 }) : null;

  // The windows are file:// pages; review fetches recorded segments from the host's loopback server, which is another
  // origin: its /rec/ answers (token-protected) may be read by them. The web shell serves both from one origin.
  const recBase = `http://127.0.0.1:${server.port}/rec/`;
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    const cors: Record<string, string[]> = details.url.startsWith(recBase) ? { 'Access-Control-Allow-Origin': ['*'] } : {};
    cb({ responseHeaders: { ...details.responseHeaders, ...cors, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));

  const windows = new Map<number, { win: BrowserWindow; displayId: string }>();
  const trusted = (wc: WebContents) => windows.has(wc.id) && wc.getURL().startsWith(pathToFileURL(rendererIndex).href);

  ipcMain.handle(IPC_INVOKE, async (event, msg: unknown) => {
    if (!trusted(event.sender)) return null;
    return dispatch(host.service, msg, `electron-${event.sender.id}`, log);
  });
  host.onEvent((raw) => {
    for (const [wcId, { win }] of windows) {
      const msg = host.eventFor(`electron-${wcId}`, raw); // what this window asked for and may see (host.ts)
      if (msg && !win.isDestroyed()) win.webContents.send(IPC_EVENT, msg);
    }
  });
  // The demo starts signed in as its operator; otherwise each window shows the sign-in page.
  const demoSession = values.demo ? await host.access.demoToken('operator') : null;

  const primary = screen.getPrimaryDisplay();
  const webPreferences = {
    preload: join(here, 'preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false,
    webSecurity: true, spellcheck: false, backgroundThrottling: false,
  } as const;
  /**
   * Incident replay's "Displays on their monitors" (issue 11 §1): a console window may open the renderer's own page
   * with `view=replay` (a replayed display following its clock, renderer/replay/ReplayFollower.tsx), nothing else. It
   * opens on the screen of the display it replays (the same display -> screen mapping as the console's windows), else
   * over the opener, signed in to the opener's session. NOT tested: there is no Electron binary on the test machine.
   */
  const followerOpen = (opener: WebContents) => ({ url }: { url: string }) => {
    let u: URL;
    try { u = new URL(url); } catch { return { action: 'deny' as const }; }
    if (u.protocol !== 'file:' || u.pathname !== pathToFileURL(rendererIndex).pathname || u.searchParams.get('view') !== 'replay') return { action: 'deny' as const };
    const shown = u.searchParams.get('replayDisplay');
    const on = screen.getAllDisplays().find((s) => displayIdOf(s, primary) === shown) ?? screen.getDisplayMatching(BrowserWindow.fromWebContents(opener)?.getBounds() ?? primary.bounds);
    return {
      action: 'allow' as const,
      overrideBrowserWindowOptions: { ...on.bounds, backgroundColor: '#0b0f14', title: `Kuzet — replay — ${shown ?? ''}`, autoHideMenuBar: true, webPreferences },
    };
  };
  const adoptFollower = (opener: WebContents, child: BrowserWindow) => {
    const wcId = child.webContents.id;
    windows.set(wcId, { win: child, displayId: 'replay' });
    host.access.connectAs(`electron-${wcId}`, 'desktop', `electron-${opener.id}`);
    child.webContents.on('will-navigate', (e) => e.preventDefault());
    child.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    child.on('closed', () => { windows.delete(wcId); host.clientGone(`electron-${wcId}`); host.access.disconnect(`electron-${wcId}`); });
  };
  for (const d of screen.getAllDisplays()) {
    const displayId = displayIdOf(d, primary);
    const win = new BrowserWindow({
      x: d.bounds.x, y: d.bounds.y, width: d.bounds.width, height: d.bounds.height,
      backgroundColor: '#0b0f14', title: `Kuzet — ${displayId}`, autoHideMenuBar: true, webPreferences,
    });
    const wcId = win.webContents.id;
    windows.set(wcId, { win, displayId });
    host.access.connect(`electron-${wcId}`, 'desktop', demoSession);
    win.webContents.on('will-navigate', (e) => e.preventDefault());
    win.webContents.setWindowOpenHandler(followerOpen(win.webContents));
    win.webContents.on('did-create-window', (child) => adoptFollower(win.webContents, child));
    win.on('closed', () => { windows.delete(wcId); host.clientGone(`electron-${wcId}`); host.access.disconnect(`electron-${wcId}`); });
    await win.loadFile(rendererIndex, { query: { display: displayId, ...(demoSession ? { session: demoSession } : {}) } });
  }

  // The city map (issue 10) in a BrowserWindow of its own, signed in with the host's one-time ticket in its address (the
  // page exchanges it for a session of the same user, as in the web shell). NOT tested: there is no Electron binary in
  // the project's test machine. Unlike the web shell's map browser it shares this app's GPU process.
  let mapWin: BrowserWindow | null = null;
  mapLauncher.current = {
    display: 'desktop',
    isOpen: () => mapWin !== null && !mapWin.isDestroyed(),
    focus: () => { if (!mapWin || mapWin.isDestroyed()) return false; mapWin.show(); mapWin.focus(); return true; },
    async open(query) {
      const win = mapWin = new BrowserWindow({
        width: 1280, height: 800, backgroundColor: '#0b0f14', title: 'Kuzet — map', autoHideMenuBar: true,
        webPreferences: { preload: join(here, 'preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
      });
      const wcId = win.webContents.id;
      windows.set(wcId, { win, displayId: 'map' });
      host.access.connect(`electron-${wcId}`, 'desktop', null); // signed in by its ticket, not by the wall's token
      win.webContents.on('will-navigate', (e) => e.preventDefault());
      win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      win.on('closed', () => { if (mapWin === win) mapWin = null; windows.delete(wcId); host.clientGone(`electron-${wcId}`); host.access.disconnect(`electron-${wcId}`); });
      await win.loadFile(rendererIndex, { search: query });
    },
    async stop() { if (mapWin && !mapWin.isDestroyed()) mapWin.destroy(); },
    interacting: () => false, // one application, one GPU process: the wall's priority is not the map window's to lower here
  };

  app.on('window-all-closed', async () => {
    await host.close();
    await sim?.close();
    await server.close();
    app.quit();
  });
}

app.commandLine.appendSwitch('disable-features', 'HardwareMediaKeyHandling');
main().catch((err: unknown) => {
  process.stderr.write(`[kuzet] cannot start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  app.exit(1);
});
