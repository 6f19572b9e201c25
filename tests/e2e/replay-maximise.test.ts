/**
 * A maximised tile replayed maximised (issue 11 §1, docs/replay.md): two simulator cameras record (main and
 * sub-stream); display `main` shows a 2x2 of A and B; the operator double-clicks A's tile on the live wall (maximise)
 * and later presses Esc (restore), and the console journals both with the tile's index. The incident's replay shows,
 * the millisecond before the maximise, the 2x2 grid; between maximise and restore A's tile alone filling the display's
 * wall, playing A's main stream (the big tile's height, as the live wall does), its picture on screen (a screenshot of
 * the tile, decoded by ffmpeg) and in its player matching A's clip better than B's in luma and chroma, also after a seek
 * away and back, also with "All displays"; after the restore the grid again with both cameras' pictures.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Simulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import type { ConsoleState, Incident, IncidentRecord } from '../../electron/contract/replay-schema.js';
import { DEFAULT_SUB_SIZE, MAIN_UP } from '../../electron/contract/stream-choice.js';
import { ApiClient } from '../support/api-client.js';
import { boxesOf, boxOf, closeConsole, near, startRecordingConsole, wallReady, type Box } from '../support/e2e-console.js';
import { artifactsDir, launchBrowser, waitFor, type RunningShell } from '../support/harness.js';
import { clockPast } from '../support/incident-scenario.js';
import { segmentsOf, waitSegments } from '../support/recording.js';
import { bestMatch, referenceThumbs, THUMB_FILTER, thumbsOfYuv444, type Thumb } from '../support/pictures.js';
import { reviewTileThumb } from '../support/review-page.js';

const A = 'cam-extra-01';
const B = 'cam-extra-02';
let sim: Simulator;
let shell: RunningShell;
let api: ApiClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = artifactsDir();

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ({ sim, shell, api } = await startRecordingConsole([A, B]));
}, 150_000);

afterAll(async () => {
  await closeConsole({ api, browser, shell });
  await sim?.close();
});


/** What is on screen inside `b` (the letterboxed 16:9 picture of a tile, 3 px in from its edges), as a 64x36 thumbnail decoded by ffmpeg. */
async function screenThumb(page: Page, b: Box, name: string): Promise<Thumb> {
  const scale = Math.min(b.width / 16, b.height / 9);
  const w = 16 * scale - 6, h = 9 * scale - 6;
  const clip = { x: b.x + (b.width - w) / 2, y: b.y + (b.height - h) / 2, width: w, height: h };
  const png = await page.screenshot({ clip });
  writeFileSync(join(shots, name), png);
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-vf', THUMB_FILTER, '-f', 'rawvideo', '-'], { input: png });
  const t = thumbsOfYuv444(new Uint8Array(raw))[0];
  if (!t) throw new Error('ffmpeg decoded nothing of the screenshot');
  return t;
}

describe('replay of a maximised tile', () => {
  it('replays the tile the operator maximised on the live wall filling its display, on the main stream, and the grid after the restore', async () => {
    await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', [A, B], 'live', 'Four') });
    browser = await launchBrowser();
    const { page } = browser;
    page.on('pageerror', (e) => console.error('[page error]', e.message));
    await page.goto(shell.info.url);
    await wallReady(page);
    await page.locator(`[data-tile-index="0"][data-camera-id="${A}"]`).waitFor({ timeout: 30_000 });
    const laidOut = Date.now();
    await clockPast(laidOut); // the incident starts after the layout: its starting state holds it
    await waitSegments(api, A, 3, 90_000);
    await waitSegments(api, B, 3, 90_000);

    // the operator maximises A's tile on the live wall, watches it for two segments, and restores the grid
    await page.dblclick('[data-tile-index="0"]');
    await waitFor('A maximised on the live wall', async () => (await page.locator('[data-tile-index="0"].tile-max').count()) === 1, 10_000);
    await waitSegments(api, A, (await segmentsOf(api, A)) + 2, 60_000);
    await page.keyboard.press('Escape');
    await waitFor('the live grid back', async () => (await page.locator('.tile-max').count()) === 0, 10_000);
    await waitSegments(api, A, (await segmentsOf(api, A)) + 2, 60_000); // the footage covers the restore and after
    await waitSegments(api, B, (await segmentsOf(api, B)) + 1, 60_000);

    const incident = await api.call('replay.incidents.create', { name: 'Maximised', fromMs: laidOut + 1, toMs: Date.now(), cameraIds: [A, B], operator: 'trainer' }) as Incident;
    const record = await api.call('replay.incidents.get', { id: incident.id }) as IncidentRecord;
    const tiles = record.actions.flatMap((a) => (a.change.kind === 'event' && a.change.what.startsWith('tile.') ? [{ at: a.at, what: a.change.what, index: a.change.index, cameraIds: a.change.cameraIds }] : []));
    expect(tiles.map((x) => [x.what, x.index, x.cameraIds]), JSON.stringify(record.actions.map((a) => a.action))).toEqual([['tile.maximise', 0, [A]], ['tile.restore', 0, [A]]]);
    const maxAt = tiles[0]!.at, restoreAt = tiles[1]!.at;
    expect(restoreAt - maxAt).toBeGreaterThan(3000);
    const openReplay = async () => {
      await page.getByTestId('incidents').click();
      await page.locator(`[data-incident="${incident.id}"]`).click();
    };
    await openReplay();
    await page.locator('.replay-wall').first().waitFor({ timeout: 20_000 });

    const seek = (ms: number) => page.evaluate((ms) => (window as unknown as { __kuzetReview: { seek(ms: number): void } }).__kuzetReview.seek(ms), ms);
    const state = () => page.evaluate(() => (window as unknown as { __kuzetReplay: { state(): ConsoleState } }).__kuzetReplay.state());
    type Player = { camera: string; stream: 'main' | 'sub' | null; height: number; standIn: 'sub' | 'upgrading' | null };
    const player = (c: string) => page.evaluate((c) => (window as unknown as { __kuzetReview: { players(): Player[] } }).__kuzetReview.players().find((p) => p.camera === c) ?? null, c);
    const shownAt = (c: string) => page.evaluate((c) => (window as unknown as { __kuzetReview: { shown(): Record<string, number | null> } }).__kuzetReview.shown()[c] ?? null, c);
    const wall = '.replay-wall[data-display="main"]';
    const cams = await sim.cameras();
    const clip = (id: string, stream: 'main' | 'sub' = 'main') => referenceThumbs(cams.find((c) => c.id === id)!.streams[stream].file);
    /** The picture matches its own camera's clip, and better than the other camera's. */
    const expectCamera = (what: string, thumb: Thumb, own: string, other: string, stream: 'main' | 'sub' = 'main') => {
      const o = bestMatch(thumb, clip(own, stream)), x = bestMatch(thumb, clip(other, stream));
      const msg = `${what}: ${JSON.stringify({ own: o, other: x })}`;
      expect(o.luma, msg).toBeLessThan(x.luma);
      expect(o.chroma, msg).toBeLessThan(x.chroma);
      expect(o.luma, msg).toBeLessThan(12);
    };
    const pictureAt = (c: string, ms: number) => waitFor(`${c}'s recorded picture at the playhead`, async () => { const s = await shownAt(c); return s !== null && Math.abs(s - ms) < 1000 ? s : null; }, 30_000);
    // settled: no progressive seek's stand-in up; on a timeout, the players and their seek traces (what did not come)
    const onStream = (c: string, stream: 'main' | 'sub') => waitFor(`${c} playing its ${stream} stream`, async () => { const p = await player(c); return p?.stream === stream && p.height > 0 && !p.standIn ? p : null; }, 30_000)
      .catch(async (e: unknown) => {
        const seen = await page.evaluate(() => { const w = window as unknown as { __kuzetReview: { players(): unknown; traces(): unknown } }; return { players: w.__kuzetReview.players(), traces: w.__kuzetReview.traces() }; });
        throw new Error(`${String(e)}: ${JSON.stringify(seen)}`);
      });


    // the millisecond before the maximise: the 2x2 grid, both cameras
    await seek(maxAt - 1);
    await waitFor('the grid before the maximise', async () => (await page.locator(`${wall} .replay-tile`).count()) === 4, 10_000);
    expect((await state()).displays.map((d) => [d.displayId, d.layout.name, d.maximised])).toEqual([['main', 'Four', null]]);
    expect(await page.locator(wall).getAttribute('data-maximised')).toBeNull();
    const wallBox = await boxOf(page, wall);
    const smallA = await boxOf(page, `${wall} .review-cell[data-camera="${A}"]`);
    expect(near(smallA.width, wallBox.width / 2) && near(smallA.height, wallBox.height / 2)).toBe(true);

    // between maximise and restore: A's tile alone, filling the wall (the live wall's geometry), on the main stream
    const mid = Math.round((maxAt + restoreAt) / 2);
    const expectMaximised = async (label: string) => {
      await waitFor('A maximised in the replay', async () => (await page.locator(wall).getAttribute('data-maximised')) === '0', 10_000);
      expect((await state()).displays.map((d) => [d.displayId, d.maximised])).toEqual([['main', 0]]);
      expect(await page.locator(`${wall} .replay-tile`).count()).toBe(1);
      expect(await page.locator(`.review-cell[data-camera="${B}"]`).count()).toBe(0); // B's tile is hidden, as on the live wall
      // both boxes from one layout; the walls are re-placed when their area's measured size changes, so wait for it to settle
      let boxes: Box[] = [];
      const fills = () => { const [w, big] = boxes as [Box, Box]; return near(big.x, w.x) && near(big.y, w.y) && near(big.width, w.width) && near(big.height, w.height); };
      await waitFor('A\'s tile filling the wall', async () => { boxes = await boxesOf(page, [wall, `${wall} .review-cell[data-camera="${A}"]`]); if (!fills()) console.log(`[e2e] ${label}: tile and wall differ`, JSON.stringify(boxes)); return fills(); }, 10_000)
        .catch((e: unknown) => { throw new Error(`${String(e)}: ${JSON.stringify(boxes)}`); });
      const big = boxes[1]!;
      expect(big.height).toBeGreaterThan(MAIN_UP * DEFAULT_SUB_SIZE.height); // tall enough for the main stream at this window size
      const p = await onStream(A, 'main');
      expect(p.height).toBe(720);
      await pictureAt(A, mid);
      expectCamera(`${label}: A's player`, await reviewTileThumb(page, A), A, B);
      const screen = await waitFor(`${label}: A's picture on screen`, async () => {
        const t = await screenThumb(page, big, `replay-maximise-${label}-tile.png`);
        return bestMatch(t, clip(A)).luma < 12 ? t : null;
      }, 30_000);
      expectCamera(`${label}: A's tile on screen`, screen, A, B);
    };
    // the seek gave A's player the new moment's tile: it changed stream at most once, to the main (chosen at the seek
    // from the layout at that moment, not first kept and then changed when the walls were drawn)
    const switches = () => page.evaluate((c) => (window as unknown as { __kuzetReview: { traces(): Record<string, { switched?: Array<[number, string]> } | null> } }).__kuzetReview.traces()[c]?.switched ?? [], A);
    const expectOneSwitch = async (label: string) => {
      const sw = await switches();
      expect(sw.length, `${label}: ${JSON.stringify(sw)}`).toBeLessThanOrEqual(1);
      expect(sw.every(([, to]) => to === 'main'), `${label}: ${JSON.stringify(sw)}`).toBe(true);
    };
    // whether A's player already holds the main stream's footage of mid (in this window a 2x2 tile plays the main stream,
    // and its prefetch may have reached mid): then the seek shows it directly, without a stand-in
    type Held = { stream: string | null; base: number; buffered: Array<[number, number]> };
    const a = await page.evaluate((c) => (window as unknown as { __kuzetReview: { players(): Array<Held & { camera: string }> } }).__kuzetReview.players().find((p) => p.camera === c) ?? null, A);
    const mainHeld = !!a && a.stream === 'main' && a.buffered.some(([from, to]) => { const at = (mid - a.base) / 1000; return at >= from && at < to; });
    await seek(mid);
    await expectMaximised('seek');
    await expectOneSwitch('seek');
    // a progressive seek (docs/replay.md, "Seek, eleventh pass"): A's sub-stream picture of the moment came first, the
    // main stream's after it (the checks above compared the settled, main picture)
    const trace = await page.evaluate((c) => (window as unknown as { __kuzetReview: { traces(): Record<string, { standIn?: { sub?: number; main?: number }; fetch?: [number, number] } | null> } }).__kuzetReview.traces()[c] ?? null, A);
    const standIn = trace?.standIn ?? null;
    // held also when A's prefetch reached the moment between the look above and the seek (or was under way then): the
    // seek then fetched nothing of its own (a fresh clone's run met that race once, 2026-12-07)
    const held = mainHeld || (trace !== null && trace.fetch === undefined);
    if (held) console.log('[e2e] A held the main stream\'s footage of the maximised moment: no stand-in needed', JSON.stringify({ mainHeld, trace }));
    else {
      expect(standIn?.sub, JSON.stringify(standIn)).toBeTypeOf('number');
      expect(standIn!.main!, JSON.stringify(standIn)).toBeGreaterThanOrEqual(standIn!.sub!);
    }
    await page.screenshot({ path: join(shots, 'replay-maximise-maximised.png') });
    // with every display side by side (the after-action review's view), still maximised
    await page.getByTestId('replay-all-displays').click();
    await expectMaximised('all');
    // a seek away (after the restore) and back keeps it
    const after = restoreAt + 1500;
    await seek(after);
    await waitFor('the grid after the restore', async () => (await page.locator(`${wall} .replay-tile`).count()) === 4, 10_000);
    await seek(mid);
    await expectMaximised('back');
    await expectOneSwitch('back');

    // after the restore: the grid again, both cameras' pictures
    await seek(after);
    await waitFor('the grid after the restore', async () => (await page.locator(`${wall} .replay-tile`).count()) === 4, 10_000);
    expect((await state()).displays.map((d) => [d.displayId, d.maximised])).toEqual([['main', null]]);
    expect(await page.locator(wall).getAttribute('data-maximised')).toBeNull();
    const wallAfter = await boxOf(page, wall);
    const aAfter = await boxOf(page, `${wall} .review-cell[data-camera="${A}"]`);
    const bAfter = await boxOf(page, `${wall} .review-cell[data-camera="${B}"]`);
    expect(near(aAfter.width, wallAfter.width / 2) && near(aAfter.height, wallAfter.height / 2)).toBe(true);
    expect(bAfter.x).toBeGreaterThan(aAfter.x + aAfter.width - 1);
    await pictureAt(A, after);
    await pictureAt(B, after);
    const streamOf = async (c: string) => (await player(c))?.stream ?? 'main';
    expectCamera('after: A', await reviewTileThumb(page, A), A, B, await streamOf(A));
    expectCamera('after: B', await reviewTileThumb(page, B), B, A, await streamOf(B));
    await page.screenshot({ path: join(shots, 'replay-maximise-after.png') });

    // the replay opened afresh (nothing buffered: the checks above expect A's stand-in at mid), and at once seeked to the
    // maximised moment while B's player, made for the first moment's 2x2 grid, is listed and loading: the seek parks it,
    // and the warm-up opens it ahead all the same (it skipped such players before 2026-12-06, and a later seek that showed
    // B then waited for its MediaSource, list and first part)
    await page.reload();
    await openReplay();
    await page.evaluate(({ B, mid }) => new Promise<void>((done, fail) => {
      type R = { players(): Array<{ camera: string; state: string; ready: number; segments: number }>; seek(ms: number): void };
      const until = performance.now() + 20_000;
      const look = () => {
        const r = (window as unknown as { __kuzetReview?: R }).__kuzetReview;
        const b = r?.players().find((p) => p.camera === B);
        // listed, its first part on its way; or, where B's player opened before it could be seen so, at once
        if (r && b && ((b.state === 'loading' && b.ready === 0 && b.segments > 0) || b.ready > 0)) { r.seek(mid); done(); return; }
        if (performance.now() > until) { fail(new Error(`B's player never seen: ${JSON.stringify(r?.players())}`)); return; }
        setTimeout(look, 0);
      };
      look();
    }), { B, mid });
    type Parked = { camera: string; opened: boolean; stream: 'main' | 'sub' | null };
    const parked = () => page.evaluate(() => (window as unknown as { __kuzetReview: { parked(): Parked[] } }).__kuzetReview.parked());
    await waitFor('B parked', async () => (await parked()).some((p) => p.camera === B), 10_000);
    const openedB = await waitFor('B\'s parked player opened ahead', async () => (await parked()).find((p) => p.camera === B && p.opened) ?? null, 30_000)
      .catch(async (e: unknown) => { throw new Error(`${String(e)}: ${JSON.stringify(await parked())}`); });
    expect(openedB.stream).not.toBeNull();
  }, 400_000);
});
