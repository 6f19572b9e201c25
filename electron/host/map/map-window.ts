/**
 * The city map in a browser process of its own (issue 10; DESIGN.md: without a GPU, the map's software WebGL must not
 * run in the wall's browser and its GPU process). The signed-in wall asks (`map.openWindow`); the host mints a one-time
 * sign-in ticket for that user (access/sign-in-tickets.ts) and a shell that may open windows starts the map with it:
 * the web shell, given an X display (`--window-display`), starts Debian's Chromium with the wall's flags
 * (scripts/app-window.mjs) and a profile of its own (`<dataDir>/chromium-map-profile`), so it is a separate browser
 * with its own GPU process. One map window at a time; it is stopped with the host and its exit is noticed. Plain Node.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import type { MapWindowOpened } from '../../contract/map-window-api.js';
import { appWindowArgs, screenSize } from '../../../scripts/app-window.mjs';
import type { Logger } from '../log.js';
import { browserOfProfile, setSessionNice, WallYield } from './wall-priority.js';

/** What the host needs from a shell that opens map windows (the web shell's Chromium, the desktop shell's BrowserWindow). */
export interface MapWindowLauncher {
  /** Where windows open, as the operator is told (an X display such as ":0"). */
  readonly display: string;
  /** A map window of this launcher is running. */
  isOpen(): boolean;
  /** Shows the running window again, where the shell can (false: it cannot, the window stays as it is). */
  focus(): boolean;
  /** Opens the map at `query` (the page's search string, ticket included); resolves once it started, throws if it could not. */
  open(query: string): Promise<void>;
  /** Stops the window (and its browser) and waits for it. */
  stop(): Promise<void>;
  /** The operator pans or zooms the map window: the wall's browser yields the CPU for a while (wall-priority.ts); true if it does. */
  interacting(): boolean;
}

export interface ChromiumMapWindowOptions {
  /** The Chromium binary (Debian's `chromium`). */
  chromium: string;
  /** The X display the map opens on. */
  display: string;
  /** The map browser's own profile: never the wall's, so it is another browser process with its own GPU process. */
  profileDir: string;
  /** The page's address for a search string (the server's origin and start token). */
  pageUrl: (query: string) => string;
  /** The wall is on the same screen: the map gets a window beside it (right three quarters), not the whole screen. */
  sameScreen: boolean;
  /** Diagnostics: a DevTools port (its number in `<profileDir>/DevToolsActivePort`) so tests can look into the page. */
  devtools: boolean;
  /** The wall browser's profile (npm start's): that browser yields the CPU while the map is panned or zoomed (wall-priority.ts). */
  wallProfileDir?: string;
  log: Logger;
}

/** A start that ends within this long failed (no X server on the display, a bad binary, a profile held by another browser). */
const EARLY_EXIT_MS = 1500;

/**
 * A map browser left running by a host that was killed (SIGKILL leaves its children): Chromium's `SingletonLock` in the
 * map profile names `<host>-<pid>`; when that process is alive and is a Chromium of this very profile, it is stopped, so
 * the new window does not find the profile taken (Chromium would hand the page to the old browser and exit at once).
 * Only a process whose command line names the profile is touched. Returns the pid stopped, or null.
 */
export async function endLeftoverBrowser(profileDir: string, log: Logger): Promise<number | null> {
  const pid = browserOfProfile(profileDir);
  if (pid === null) return null;
  const alive = (): boolean => browserOfProfile(profileDir) === pid;
  log.warn('a map browser of an earlier host is still running: stopping it', { pid, profile: profileDir });
  try { process.kill(pid, 'SIGTERM'); } catch { return null; }
  for (let i = 0; i < 30 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  for (let i = 0; i < 20 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  return pid;
}

/** The web shell's map window: Debian's Chromium as an app window with the map profile, supervised. */
export function chromiumMapWindow(o: ChromiumMapWindowOptions): MapWindowLauncher {
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  // the wall's browser yields the CPU while the operator pans or zooms this map window
  const wallYield = new WallYield({ findWall: () => (o.wallProfileDir ? browserOfProfile(o.wallProfileDir) : null), setNice: setSessionNice, log: o.log });
  const killGroup = (c: ChildProcess, signal: NodeJS.Signals) => { try { process.kill(-c.pid!, signal); } catch { /* gone */ } };
  return {
    display: o.display,
    isOpen: () => child !== null,
    focus: () => false, // without a window manager of our own, the running window stays where it is: the reply says it is open
    async open(query) {
      if (child) return;
      mkdirSync(o.profileDir, { recursive: true });
      await endLeftoverBrowser(o.profileDir, o.log);
      const screen = screenSize(o.display) ?? { width: 1920, height: 1080 };
      const width = Math.round(screen.width * 0.75);
      const bounds = o.sameScreen ? { x: screen.width - width, y: Math.round(screen.height * 0.05), width, height: Math.round(screen.height * 0.9) } : undefined;
      const args = appWindowArgs({ url: o.pageUrl(query), profileDir: o.profileDir, screen, asRoot: process.getuid?.() === 0, ...(bounds ? { bounds } : {}) });
      if (o.devtools) args.push('--remote-debugging-port=0');
      const c = spawn(o.chromium, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DISPLAY: o.display } });
      child = c;
      let tail = '';
      c.stderr?.on('data', (d: Buffer) => { tail = (tail + d.toString()).slice(-2000); });
      exited = new Promise<void>((resolve) => c.once('exit', (code, signal) => {
        if (child === c) child = null;
        o.log.info('map window closed', { pid: c.pid, code, signal });
        wallYield.release();
        resolve();
      }));
      const started = await new Promise<'spawned' | Error>((resolve) => { c.once('spawn', () => resolve('spawned')); c.once('error', (e) => resolve(e)); });
      if (started instanceof Error) { child = null; throw started; }
      const early = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), EARLY_EXIT_MS).unref())]);
      if (early) throw new Error(`${o.chromium} exited at once: ${tail.trim().split('\n').slice(-2).join(' ') || `exit code ${c.exitCode}`}`);
      o.log.info('map window opened', { pid: c.pid, display: o.display, profile: o.profileDir });
    },
    interacting: () => child !== null && wallYield.interacting(),
    async stop() {
      const c = child;
      if (!c) return;
      killGroup(c, 'SIGTERM');
      const t = setTimeout(() => killGroup(c, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
      killGroup(c, 'SIGKILL'); // renderers and the GPU process of the browser's group, if any outlived it
    },
  };
}

/**
 * `map.openWindow`: with a launcher, the map opens in (or is already) a window of its own, signed in with a one-time
 * ticket of the caller's session; without one the page opens a popup itself. The opening is audited.
 */
export async function openMapWindow(deps: {
  launcher: MapWindowLauncher | null;
  mintTicket: () => string;
  audit: (action: string, detail: string) => void;
}, p: { displayId: string; lang: string }): Promise<MapWindowOpened> {
  const w = deps.launcher;
  if (!w) return { opened: 'popup', display: null };
  if (w.isOpen()) { w.focus(); return { opened: 'alreadyOpen', display: w.display }; }
  const query = new URLSearchParams({ view: 'map', display: p.displayId, lang: p.lang, ticket: deps.mintTicket() }).toString();
  try {
    await w.open(query);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    deps.audit('map.window.failed', `on ${w.display}: ${detail}`);
    throw new ContractError('unavailable', `the map window did not open: ${detail}`, reason('mapWindowFailed', { detail }));
  }
  deps.audit('map.window.open', `on ${w.display} for display ${p.displayId}`);
  return { opened: 'window', display: w.display };
}
