// `npm start`: provisions what is missing, then runs the demo city on the desktop shell when the Electron
// binary exists, otherwise on the web shell in Debian's Chromium as an app window (or prints the URL when
// there is no display). Says which it chose. Ctrl+C stops everything it started.
// `npm start -- --reset-demo` first clears the demo's own data dir (alarms, recordings, layouts, settings).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureAll, electronBinary, root, has } from './ensure.mjs';
import { appWindowArgs, screenSize } from './app-window.mjs';

ensureAll();
const children = [];
const stopAll = () => { for (const c of children) { try { process.kill(-c.pid, 'SIGTERM'); } catch { /* gone */ } } };
process.on('SIGINT', () => { stopAll(); process.exit(0); });
process.on('SIGTERM', () => { stopAll(); process.exit(0); });

const extra = process.env.KUZET_EXTRA_CAMERAS ?? '0';
const reset = process.argv.includes('--reset-demo') ? ['--reset-demo'] : [];
const electron = electronBinary();
if (electron && process.env.KUZET_SHELL !== 'web') {
  console.log('[kuzet] shell: desktop (Electron binary found)');
  const c = spawn(electron, [join(root, 'dist', 'main.mjs'), '--demo', ...reset, '--extra', extra], { stdio: 'inherit', detached: true });
  children.push(c);
  c.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`[kuzet] shell: web (${electron ? 'KUZET_SHELL=web' : 'no Electron binary in node_modules/electron/dist'}): host on 127.0.0.1, renderer in Chromium`);
  const port = process.env.KUZET_PORT ?? '8765';
  // the host opens the city map in a Chromium of its own on the wall's X display (issue 10, docs/map.md "The map window");
  // the wall's browser (this profile) yields the CPU to it while it is open ("The map window first")
  const profile = join(homedir(), '.config', 'kuzet', 'chromium-profile');
  const windowArgs = process.env.DISPLAY && has('chromium') && !process.env.KUZET_NO_BROWSER ? ['--window-display', process.env.DISPLAY, '--chromium', 'chromium', '--wall-profile', profile] : [];
  const host = spawn(process.execPath, [join(root, 'dist', 'web-shell.mjs'), '--demo', ...reset, '--json', '--exit-with-parent', '--port', port, '--extra', extra, ...windowArgs], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  children.push(host);
  host.on('exit', (code) => { console.log(`[kuzet] host exited (${code})`); stopAll(); process.exit(code ?? 1); });
  const lines = createInterface({ input: host.stdout });
  lines.on('line', (line) => {
    let ready;
    try { ready = JSON.parse(line); } catch { console.log(line); return; }
    if (!ready?.ready) return;
    const display = process.env.DISPLAY || process.env.WAYLAND_DISPLAY;
    if (display && has('chromium') && !process.env.KUZET_NO_BROWSER) {
      mkdirSync(profile, { recursive: true });
      console.log('[kuzet] opening the wall in Chromium (app window)');
      const screen = (process.env.DISPLAY && screenSize(process.env.DISPLAY)) || { width: 1920, height: 1080 };
      const args = appWindowArgs({ url: ready.url, profileDir: profile, screen, asRoot: process.getuid?.() === 0 });
      children.push(spawn('chromium', args, { stdio: 'ignore', detached: true }));
    } else {
      console.log(`[kuzet] no display here: open the wall in a browser on this machine:\n  ${ready.url}`);
    }
  });
}
