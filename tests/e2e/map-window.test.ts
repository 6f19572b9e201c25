/**
 * The map in a browser process of its own (issue 10; DESIGN.md): the web shell, given a private Xvfb display
 * (`--window-display`), starts Debian's Chromium with the wall's flags and the map's own profile when the signed-in wall
 * presses Map. Proven from /proc (a second browser process tree, child of the host, with its own GPU process), from
 * inside the map page over DevTools (signed in as the wall's user without a password, the ticket gone from its address,
 * the map drawn), and through the API (the ticket refused the second time, with its translated reason on the sign-in
 * page). The map window follows the wall's language (the host tells the user's every session). Asking again reports the window open; a closed window is noticed; signing out of the wall signs the map out;
 * stopping the host stops the map's browser. While the operator pans or zooms the map window, the wall's browser as
 * npm start starts it (Debian's Chromium with the wall profile the host is told, `--wall-profile`) runs at a lower CPU
 * priority (its autogroup's nice, electron/host/map/wall-priority.ts), and has it back 5 s after the last input and
 * when the map window goes.
 * Screenshot: tests/.artifacts/e2e/map-window.png.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { artifactsDir, demoUser, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { attachDevTools, type DevToolsPage } from '../support/plain-chromium.js';
import { allProcs, tree, type ProcInfo } from '../support/procfs.js';
import { ensureXDisplay, type XDisplay } from '../support/xvfb.js';
import { wallReady } from '../support/e2e-console.js';
import { appWindowArgs, screenSize } from '../../scripts/app-window.mjs';
import { autogroupRefusalNow, browserOfProfile, sessionNice, WALL_NICE_WITH_MAP } from '../../electron/host/map/wall-priority.js';
import en from '../../resources/locales/en.json' with { type: 'json' };
import ru from '../../resources/locales/ru.json' with { type: 'json' };

let shell: RunningShell | undefined;
let screen: XDisplay | undefined;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
let profileDir = '';
const attached: DevToolsPage[] = [];
// npm start's wall browser: Debian's Chromium, detached, with the wall profile the host is told of
const wallProfile = mkdtempSync(join(tmpdir(), 'kuzet-wall-profile-'));
let npmStartWall: ChildProcess | undefined;
let wallPid = 0;
/** The nice the wall browser's session has while the map is panned: lowered where autogroups apply here, else kept. */
let yieldedNice = 0;

/** The map browser's processes: the browser process (no --type) the host started with the map profile, and its tree. */
function mapBrowser(): { browser: ProcInfo; tree: ProcInfo[] } | null {
  const procs = allProcs();
  const root = procs.find((p) => p.cmdline.includes(`--user-data-dir=${profileDir}`) && !p.cmdline.includes('--type='));
  return root ? { browser: root, tree: tree(root.pid, procs) } : null;
}

const mapProcsLeft = () => allProcs().filter((p) => p.cmdline.includes(`--user-data-dir=${profileDir}`));

beforeAll(async () => {
  screen = await ensureXDisplay('1920x1080x24', true); // a private screen, whatever $DISPLAY is
  shell = await startWebShell({ role: null, args: ['--window-display', screen.display, '--chromium', '/usr/bin/chromium', '--wall-profile', wallProfile] });
  profileDir = join(shell.dataDir, 'chromium-map-profile');
  browser = await launchBrowser();
  const url = `${shell.info.origin}/?token=${shell.info.startToken}&display=main&lang=en`;
  npmStartWall = spawn('/usr/bin/chromium', appWindowArgs({ url, profileDir: wallProfile, screen: screenSize(screen.display) ?? { width: 1920, height: 1080 }, asRoot: process.getuid?.() === 0 }),
    { detached: true, stdio: 'ignore', env: { ...process.env, DISPLAY: screen.display } });
  wallPid = await waitFor('npm start\'s wall browser holding its profile', () => browserOfProfile(wallProfile), 60_000, 250);
  yieldedNice = autogroupRefusalNow(wallPid) ? 0 : WALL_NICE_WITH_MAP;
}, 180_000);

afterAll(async () => {
  for (const d of attached) d.detach();
  await browser?.close();
  await shell?.close();
  try { process.kill(-npmStartWall!.pid!, 'SIGKILL'); } catch { /* gone */ }
  rmSync(wallProfile, { recursive: true, force: true });
  for (const p of mapProcsLeft()) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } } // only if a check failed
  await screen?.close();
});

async function signInWall(): Promise<Page> {
  const page = await browser!.context.newPage();
  await page.goto(`${shell!.info.origin}/?token=${shell!.info.startToken}&display=main&lang=en`);
  const form = page.getByRole('form', { name: en.signin.title });
  await form.getByLabel(en.signin.user).fill('operator');
  await form.getByLabel(en.signin.password).fill(demoUser('operator').password);
  await form.getByRole('button', { name: en.signin.submit }).click();
  await wallReady(page);
  return page;
}

describe('the map window (its own browser process)', () => {
  it('opens from the Map button in a second Chromium with the map profile, signed in as the same user by a one-time ticket', async () => {
    const wall = await signInWall();
    const wallToken = await wall.evaluate(() => sessionStorage.getItem('kuzet.session'));
    expect(wallToken).toBeTruthy();
    expect(mapBrowser()).toBeNull();
    expect(sessionNice(wallPid)).toBe(0);

    await wall.getByTestId('map-open').click();
    const opened = en.map.openedWindow.replace('{{display}}', screen!.display);
    await waitFor('the Map button says where the map opened', async () => (await wall.getByTestId('map-open').getAttribute('title')) === opened, 30_000);

    // /proc: a browser process of its own, started by the host, with the wall's flags and the map's profile, and its own GPU process
    const first = await waitFor('the map browser and its GPU process', () => { const m = mapBrowser(); return m && m.tree.some((p) => p.cmdline.includes('--type=gpu-process')) ? m : null; }, 60_000);
    expect(first.browser.ppid).toBe(shell!.proc.pid);
    for (const flag of ['--disable-gpu', '--enable-unsafe-swiftshader', '--no-first-run']) expect(first.browser.cmdline).toContain(flag);
    const app = /--app=(\S+)/.exec(first.browser.cmdline)![1]!;
    const q = new URL(app).searchParams;
    expect([q.get('view'), q.get('display'), q.get('lang')]).toEqual(['map', 'main', 'en']);
    const ticket = q.get('ticket')!;
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(app).not.toContain(wallToken!); // the user's session token is never on a command line
    const wallGpu = allProcs().filter((p) => p.cmdline.includes('--type=gpu-process') && !first.tree.includes(p));
    expect(first.tree.filter((p) => p.cmdline.includes('--type=gpu-process'))).toHaveLength(1);
    expect(wallGpu.length).toBeGreaterThan(0); // the wall's browser has a GPU process of its own, outside the map's tree
    expect(sessionNice(wallPid)).toBe(0); // an open map alone takes nothing from the wall

    // inside the map page: signed in without a password, the ticket gone from the address, the map drawn
    const map = await attachDevTools(profileDir, shell!.info.origin);
    attached.push(map);
    await waitFor('the map drawn', () => map.evaluate<boolean>('(window.__kuzetMap?.redraws() ?? 0) > 0'), 90_000, 500);
    expect(await map.evaluate<string>('location.search')).not.toContain('ticket');
    expect(await map.evaluate<boolean>("document.querySelector('.access-page') === null")).toBe(true);
    const mapToken = await map.evaluate<string | null>("sessionStorage.getItem('kuzet.session')");
    expect(mapToken).toBeTruthy();
    expect(mapToken).not.toBe(wallToken);
    const asMap = await ApiClient.connect(shell!.info.origin, mapToken!);
    expect((await asMap.call('access.whoami', {})).me?.user).toBe('operator');
    asMap.close();
    const shot = await map.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    const dir = join(artifactsDir(), 'e2e');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'map-window.png'), Buffer.from(shot.data, 'base64'));

    // a wheel zoom on the map: npm start's wall yields the CPU to it (where autogroups apply: on this project's
    // machines), and has it back 5 s after the last input
    const wheel = "document.querySelector('.map-moving canvas').dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: 600, clientY: 400, deltaY: -100 }))";
    await map.evaluate(wheel);
    await waitFor('the wall browser yields while the map is zoomed', () => sessionNice(wallPid) === yieldedNice, 30_000, 100);
    expect(yieldedNice).toBe(WALL_NICE_WITH_MAP);
    await waitFor('the wall browser has its priority back after the hold', () => sessionNice(wallPid) === 0, 30_000, 250);

    // the operator switches the wall to Russian: the map window (another browser, its own session) follows, and keeps it over a reload
    await wall.getByRole('combobox', { name: en.topbar.language }).selectOption('ru');
    await waitFor('the map window in Russian', () => map.evaluate<boolean>("document.documentElement.lang === 'ru'"), 30_000, 500);
    expect(await map.evaluate<string>("new URLSearchParams(location.search).get('lang')")).toBe('ru');
    await wall.getByRole('combobox', { name: ru.topbar.language }).selectOption('en');
    await waitFor('the map window in English again', () => map.evaluate<boolean>("document.documentElement.lang === 'en'"), 30_000, 500);

    // the ticket is good once: the API refuses it with its reason, and a page presenting it shows the sign-in form saying why
    const stranger = await ApiClient.connect(shell!.info.origin, shell!.info.startToken);
    const again = await stranger.raw('access.signInTicket', { ticket });
    stranger.close();
    expect(again.ok ? null : [again.error.code, again.error.reason?.code]).toEqual(['unauthenticated', 'ticketUsed']);
    const replay = await browser!.context.newPage();
    await replay.goto(`${shell!.info.origin}/?token=${shell!.info.startToken}&view=map&display=main&lang=en&ticket=${ticket}`);
    await replay.getByRole('form', { name: en.signin.title }).waitFor();
    expect(await replay.locator('.access-notice').innerText()).toBe(en.apiErrors.ticketUsed);
    expect(replay.url()).not.toContain('ticket');
    await replay.screenshot({ path: join(dir, 'map-window-ticket-used.png') });
    await replay.close();

    // asked again while open: reported open, still one map browser
    await wall.getByTestId('map-open').click();
    await waitFor('the Map button says the map is open already', async () => (await wall.getByTestId('map-open').getAttribute('title')) === en.map.openedAlready.replace('{{display}}', screen!.display), 30_000);
    expect(mapBrowser()?.browser.pid).toBe(first.browser.pid);

    // the window goes away (closed, crashed) while the wall yields to it: the wall has its priority back at once, the
    // host notices, and Map opens a new one
    await map.evaluate(wheel);
    await waitFor('the wall browser yields again', () => sessionNice(wallPid) === yieldedNice, 30_000, 100);
    map.detach();
    process.kill(first.browser.pid, 'SIGTERM');
    await waitFor('the map browser gone', () => mapProcsLeft().length === 0, 30_000);
    await waitFor('the wall browser has its priority back', () => sessionNice(wallPid) === 0, 30_000, 250);
    const second = await waitFor('a new map browser after Map', async () => {
      await wall.getByTestId('map-open').click();
      const m = mapBrowser();
      return m && m.browser.pid !== first.browser.pid ? m : null;
    }, 60_000, 2000);
    expect(/ticket=([A-Za-z0-9_-]+)/.exec(second.browser.cmdline)?.[1]).not.toBe(ticket);
    const map2 = await attachDevTools(profileDir, shell!.info.origin);
    attached.push(map2);
    await waitFor('the new map window signed in', () => map2.evaluate<boolean>("!!sessionStorage.getItem('kuzet.session') && document.querySelector('.access-page') === null && (window.__kuzetMap?.redraws() ?? 0) > 0"), 90_000, 500);

    // signing out of the wall signs the map out too: it shows the sign-in page
    await wall.getByRole('button', { name: /Signed in as/ }).click();
    await wall.getByRole('menuitem', { name: en.menu.signout }).click();
    await waitFor('the map window shows the sign-in page', () => map2.evaluate<boolean>("document.querySelector('.access-page') !== null"), 30_000, 500);

    // stopping the host stops the map's browser
    map2.detach();
    const pids = mapBrowser()!.tree.map((p) => p.pid);
    await shell!.close();
    shell = undefined;
    await waitFor('the map browser stopped with the host', () => mapProcsLeft().length === 0 && pids.every((pid) => !allProcs().some((p) => p.pid === pid)), 30_000);
    expect(sessionNice(wallPid)).toBe(0); // and the wall has its priority back
  }, 400_000);
});
