/**
 * Review mode in Chromium through the web shell, on real recordings of simulator cameras: open review,
 * scrub the timeline, play four cameras in sync, step frames, bookmark, export and verify.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { ApiClient } from '../support/api-client.js';
import { artifactsDir, launchBrowser, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { addRecordedCameras, waitSegments } from '../support/recording.js';
import { pictureError, pictureMatches, THUMB_FILTER, THUMB_H, THUMB_W, thumbOfRgba, thumbsOfYuv444, type Thumb } from '../support/pictures.js';

const CAMS = ['cam-extra-01', 'cam-extra-02', 'cam-extra-03', 'cam-extra-04'];
let sim: Simulator;
let shell: RunningShell;
let api: ApiClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const shots = artifactsDir();
type Shown = Record<string, number | null>;
const consoleLines: string[] = [];

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  sim = await startSimulator({ camerasFile: 'none', extra: 4 });
  shell = await startWebShell();
  api = await ApiClient.connect(shell.info.origin, shell.info.token);
  await addRecordedCameras(api, sim, CAMS);
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('2x2', CAMS, 'live', 'Live') });
  for (const c of CAMS) await waitSegments(api, c, 6, 60_000);
  browser = await launchBrowser();
  browser.page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(m.text()); });
  await browser.page.goto(shell.info.url);
}, 150_000);

afterAll(async () => {
  await browser?.close();
  api?.close();
  await shell?.close();
  await sim?.close();
});

/** The recorded picture of a camera at atMs as a 64x36 YUV thumbnail: ffmpeg on the segment that holds it. */
async function referencePictureAt(cameraId: string, atMs: number): Promise<Thumb> {
  const seg = (await api.call('playback.segments', { cameraId, fromMs: atMs, toMs: atMs + 1 })).segments[0];
  if (!seg) throw new Error(`no segment of ${cameraId} at ${atMs}`);
  const url = new URL(seg.url, shell.info.origin);
  if (!url.searchParams.has('token')) url.searchParams.set('token', shell.info.token);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`segment ${url.pathname}: ${res.status}`);
  const file = join(mkdtempSync(join(tmpdir(), 'kuzet-review-ref-')), 'segment.mp4');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', ((atMs - seg.startMs) / 1000).toFixed(3), '-i', file, '-frames:v', '1',
    '-vf', THUMB_FILTER, '-f', 'rawvideo', '-']);
  rmSync(dirname(file), { recursive: true, force: true });
  const t = thumbsOfYuv444(new Uint8Array(raw))[0];
  if (!t) throw new Error(`ffmpeg decoded nothing at ${atMs - seg.startMs} ms into ${url.pathname}`);
  return t;
}

const shown = () => browser.page.evaluate(() => (window as unknown as { __kuzetReview: { shown(): Shown } }).__kuzetReview.shown());
const spread = (s: Shown) => { const v = Object.values(s).filter((x): x is number => x !== null); return v.length === CAMS.length ? Math.max(...v) - Math.min(...v) : null; };

describe('review mode', () => {
  it('shows a timeline per camera with recorded spans, scrubs, and plays four cameras in sync', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByTestId('review').waitFor();
    await waitFor('recorded spans on every row', async () => (await page.locator('.tl-row').count()) === 4 && (await page.locator('.tl-recorded').count()) >= 4, 20_000);
    // scrub: click in the middle of camera 1's recorded span
    const span = page.locator('.tl-row[data-camera="cam-extra-01"] .tl-recorded').first();
    const box = (await span.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.up();
    await waitFor('four pictures at the scrubbed time', async () => { const s = await shown(); return spread(s) !== null ? s : null; }, 30_000)
      .catch(async (e: unknown) => { await page.screenshot({ path: join(shots, 'review-debug.png') }); throw new Error(`${String(e)} ${JSON.stringify(await page.evaluate(() => (window as unknown as { __kuzetReview: { players(): unknown; position(): number } }).__kuzetReview.players()))} pos=${await page.evaluate(() => (window as unknown as { __kuzetReview: { position(): number } }).__kuzetReview.position())} clip2=${JSON.stringify(await api.raw('playback.clip', { cameraId: 'cam-extra-02', atMs: Math.round(await page.evaluate(() => (window as unknown as { __kuzetReview: { position(): number } }).__kuzetReview.position())) }))} log=${shell.stderr().split('\n').filter((l) => /review|clip|error|warn/i.test(l)).slice(-15).join('\n')} ${consoleLines.join('\n')}`); });
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2); // hover: thumbnail
    // the hover thumbnail is the camera's picture at the hovered time: compared in luma and chroma with a reference
    // decode (ffmpeg) of the recorded segment at that time
    const shownThumb = await waitFor('hover thumbnail', async () => page.locator('.tl-hover img').evaluate((img: HTMLImageElement) => {
      if (!img.complete || img.naturalWidth === 0) return null;
      const c = document.createElement('canvas');
      c.width = img.naturalWidth; c.height = img.naturalHeight;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const W = 64, H = 36, acc = new Float64Array(W * H * 3), cnt = new Float64Array(W * H);
      for (let y = 0; y < c.height; y++) {
        for (let x = 0; x < c.width; x++) {
          const k = Math.min(H - 1, Math.floor((y * H) / c.height)) * W + Math.min(W - 1, Math.floor((x * W) / c.width)), i = (y * c.width + x) * 4;
          acc[k * 3] = acc[k * 3]! + d[i]!; acc[k * 3 + 1] = acc[k * 3 + 1]! + d[i + 1]!; acc[k * 3 + 2] = acc[k * 3 + 2]! + d[i + 2]!; cnt[k] = cnt[k]! + 1;
        }
      }
      const px: number[] = [];
      for (let k = 0; k < W * H; k++) px.push(acc[k * 3]! / cnt[k]!, acc[k * 3 + 1]! / cnt[k]!, acc[k * 3 + 2]! / cnt[k]!, 255);
      return { src: img.src, px };
    }).catch(() => null), 10_000);
    const at = /\/rec\/thumb\/([^/]+)\/(\d+)\.jpg/.exec(new URL(shownThumb.src).pathname);
    expect(at, shownThumb.src).not.toBeNull();
    const [cameraId, atMs] = [at![1]!, Number(at![2])];
    const ref = await referencePictureAt(cameraId, atMs);
    const thumbErr = pictureError(thumbOfRgba(shownThumb.px, THUMB_W, THUMB_H), ref);
    console.log(`[review] hover thumbnail of ${cameraId} at ${new Date(atMs).toISOString()} vs the recording: ${JSON.stringify(thumbErr)}`);
    expect(pictureMatches(thumbErr), `hover thumbnail vs the recording at that time: ${JSON.stringify(thumbErr)}`).toBe(true);
    await page.screenshot({ path: join(shots, 'review-scrub.png') });

    await page.getByTestId('play').click();
    try {
      await playsInSync();
    } finally {
      await page.getByTestId('play').click(); // pause, also when an assertion failed
    }
  }, 300_000); // its waits are for conditions; a loaded machine (load 20-30 on 2 cores) took over 120 s for them all

  async function playsInSync() {
    const { page } = browser;
    const position = () => page.evaluate(() => (window as unknown as { __kuzetReview: { position(): number } }).__kuzetReview.position());
    // the players get going: the clock has moved on (how soon depends on load)
    const started = await position();
    await waitFor('the clock plays on', async () => ((await position()) - started > 500 ? true : null), 60_000)
      .catch(async (e: unknown) => { throw new Error(`${String(e)} ${JSON.stringify(await page.evaluate(() => (window as unknown as { __kuzetReview: { players(): unknown } }).__kuzetReview.players()))}`); });
    const spreads: number[] = [];
    const first = await shown();
    const t0 = await position();
    for (let i = 0; i < 10; i++) {
      const s = spread(await shown());
      if (s !== null) spreads.push(s);
      await page.waitForTimeout(150);
    }
    const t1 = (await page.evaluate(() => (window as unknown as { __kuzetReview: { position(): number } }).__kuzetReview.position()));
    expect(t1 - t0).toBeGreaterThan(150); // it plays (the clock waits for the slowest decoder: 4 x 720p software decode on 2 shared cores)
    const last = await shown();
    // every camera's picture moves on with the clock
    for (const c of CAMS) if (first[c] != null && last[c] != null) expect(last[c]! - first[c]!).toBeGreaterThan(500);
    expect(spreads.length, JSON.stringify(await page.evaluate(() => (window as unknown as { __kuzetReview: { players(): unknown } }).__kuzetReview.players()))).toBeGreaterThanOrEqual(3);
    // how far apart the four pictures are while playing is a figure of the machine's load: bench:review reports it;
    // frame-level agreement is asserted paused, below (every player on the clock's frame within 40 ms)
    await page.screenshot({ path: join(shots, 'review-playing.png') });
  }

  it('steps one frame forward and back on every camera', async () => {
    const { page } = browser;
    // paused: every player settles on the clock's frame
    const before = await waitFor('settled', async () => { const s = await shown(); const d = spread(s); return d !== null && d < 40 ? s : null; }, 60_000)
      .catch(async (e: unknown) => { throw new Error(`${String(e)} ${JSON.stringify(await shown())} ${JSON.stringify(await page.evaluate(() => (window as unknown as { __kuzetReview: { players(): unknown } }).__kuzetReview.players()))}`); });
    await page.getByTestId('step-forward').click();
    await waitFor('one frame later', async () => { const s = await shown(); return CAMS.every((c) => s[c] !== null && before[c] !== null && s[c]! - before[c]! > 20) ? s : null; }, 30_000)
      .catch(async (e: unknown) => { throw new Error(`${String(e)} before=${JSON.stringify(before)} now=${JSON.stringify(await shown())} ${JSON.stringify(await page.evaluate(() => (window as unknown as { __kuzetReview: { players(): unknown } }).__kuzetReview.players()))}`); });
    const after = await shown();
    for (const c of CAMS) expect(after[c]! - before[c]!).toBeLessThan(80);
    await page.getByTestId('step-back').click();
    await waitFor('back again', async () => { const s = await shown(); return CAMS.every((c) => Math.abs(s[c]! - before[c]!) < 20) ? s : null; }, 30_000);
  }, 180_000);

  it('plays the recorded segments through MSE (no remux): a seek shows the picture at the target; reverse play goes back', async () => {
    const { page } = browser;
    const srcs = await page.evaluate(() => (window as unknown as { __kuzetReview: { players(): Array<{ src: string }> } }).__kuzetReview.players().map((p) => p.src));
    expect(srcs.every((u) => u.startsWith('blob:'))).toBe(true);
    // seek to the middle of what all four cameras recorded (another segment than the playhead's): every camera shows
    // the picture of that instant
    const rows = await api.call('recording.timeline', { cameraIds: CAMS, fromMs: Date.now() - 3_600_000, toMs: Date.now() });
    const firstOf = (c: string) => Math.min(...rows.find((r) => r.cameraId === c)!.spans.filter((x) => x.kind === 'recorded').map((x) => x.startMs));
    const from = Math.max(...CAMS.map(firstOf)) + 3000;
    const status = await api.call('recording.status', {});
    const to = Math.min(...CAMS.map((c) => status.find((x) => x.cameraId === c)!.lastSegmentEndMs!));
    const here = Math.round(await page.evaluate(() => (window as unknown as { __kuzetReview: { position(): number } }).__kuzetReview.position()));
    const target = Math.round(Math.abs(here - (from + to) / 2) > 5000 ? (from + to) / 2 : here < (from + to) / 2 ? to - 2000 : from + 500);
    const took = await page.evaluate(async ({ target, cams }) => {
      const r = (window as unknown as { __kuzetReview: { seek(ms: number): void; shown(): Record<string, number | null> } }).__kuzetReview;
      const t0 = performance.now();
      r.seek(target);
      for (;;) {
        await new Promise((res) => requestAnimationFrame(res));
        const s = r.shown();
        if (cams.every((c) => s[c] != null && Math.abs((s[c] as number) - target) < 45)) return performance.now() - t0;
        if (performance.now() - t0 > 60_000) return -1; // a bound on "never", not a timing: the time is printed below
      }
    }, { target, cams: CAMS });
    expect(took, 'four pictures at the seek target').toBeGreaterThan(0);
    console.log(`[e2e] seek of four cameras to the first picture: ${Math.round(took)} ms (load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
    // a frame step right after the seek: the picture after the seek's comes with the rest of the seek's part, which a
    // player appends after every tile's picture (renderer/review/fragment-cut.ts), not from a seek of its own
    type Player = { camera: string; t: number; buffered: Array<[number, number]> };
    const players = () => page.evaluate(() => (window as unknown as { __kuzetReview: { players(): Player[] } }).__kuzetReview.players());
    const seeked = await shown();
    await page.getByTestId('step-forward').click();
    await waitFor('one frame after the seek', async () => { const s = await shown(); return CAMS.every((c) => s[c] != null && s[c]! - seeked[c]! > 20 && s[c]! - seeked[c]! < 80) ? s : null; }, 30_000)
      .catch(async (e: unknown) => { throw new Error(`${String(e)} seeked=${JSON.stringify(seeked)} now=${JSON.stringify(await shown())} ${JSON.stringify(await players())}`); });
    // and the footage from the picture on is whole: the seek's part, its rest and the segment's other fragments
    await waitFor('a second of footage from the picture on, on every camera', async () => (await players()).every((p) => p.buffered.some(([a, b]) => a <= p.t && b >= p.t + 0.8)) || null, 30_000)
      .catch(async (e: unknown) => { throw new Error(`${String(e)} ${JSON.stringify(await players())}`); });
    // reverse at 1x for a moment: the clock and every picture move back
    await page.getByTitle('Play in reverse').click();
    await waitFor('the clock goes back', async () => ((await page.evaluate(() => (window as unknown as { __kuzetReview: { position(): number } }).__kuzetReview.position())) < target - 500 ? true : null), 30_000);
    await page.getByTestId('play').click(); // pauses (and sets the direction forward again)
    const back = await waitFor('pictures settled after reverse', async () => { const s = await shown(); return spread(s) !== null && spread(s)! < 40 ? s : null; }, 60_000);
    for (const c of CAMS) expect(back[c]!).toBeLessThan(target - 300);
  }, 180_000);

  it('exports the cameras in view with a verified signed manifest', async () => {
    const { page } = browser;
    await page.getByTestId('export').click();
    await page.locator('input[name="reason"]').fill('e2e incident 17');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByTestId('verify').waitFor({ timeout: 60_000 }).catch(async (e: unknown) => { throw new Error(`${String(e)}: ${await page.locator('.export-dialog').innerText()}`); });
    expect(await page.getByTestId('verify').innerText()).toContain('Verified');
    expect(await page.getByTestId('export-result').innerText()).toMatch(/[4-9] file\(s\)/);
    await page.screenshot({ path: join(shots, 'review-export.png') });
    await page.getByRole('button', { name: 'Close' }).click();
  }, 90_000);

  it('exports a burned-in copy with progress shown, and it verifies', async () => {
    const { page } = browser;
    await page.getByTestId('export').click();
    await page.locator('select[name="range"]').selectOption('5000');
    for (const c of CAMS.slice(1)) await page.locator(`input[name="camera-${c}"]`).uncheck();
    await page.locator('input[name="reason"]').fill('e2e burn-in 18');
    await page.locator('input[name="burn-in"]').check();
    await page.locator('input[name="watermark"]').fill('Supervisor Aliya · case 18');
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await waitFor('encoding progress shown', async () => /burning in/.test(await page.getByTestId('export-progress').innerText().catch(() => '')), 30_000);
    await page.screenshot({ path: join(shots, 'review-export-burnin-progress.png') });
    await page.getByTestId('verify').waitFor({ timeout: 90_000 }).catch(async (e: unknown) => { throw new Error(`${String(e)}: ${await page.locator('.export-dialog').innerText()}`); });
    expect(await page.getByTestId('verify').innerText()).toContain('Verified');
    expect(await page.getByTestId('export-result').innerText()).toMatch(/2 file\(s\).*1 burned-in/);
    await page.screenshot({ path: join(shots, 'review-export-burnin.png') });
  }, 120_000);
});
