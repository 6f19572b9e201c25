/**
 * Small review tiles play the recorded sub-stream, a maximised tile the main stream (issue 11: seeks that decode less).
 * Chromium through a web shell on a data dir whose recordings are written here, as the recorder writes them: for four
 * cameras of a 4x4 wall, 4 s fragmented-MP4 files of a scene's 720p clip (main) and of its 360p clip (sub-stream,
 * under `<camera>/sub/`), indexed by a journal without any stream field (the stream is the path's: the index of a
 * console recorded before sub-streams loads as it was). Every tile's picture is compared with ffmpeg's decode of the
 * file the index names at that moment, in luma and chroma, and must match it better than another scene's picture.
 * No simulator: the cameras' live streams are never opened.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_UP, DEFAULT_SUB_SIZE } from '../../electron/contract/stream-choice.js';
import { segmentFile } from '../../electron/host/recording/segment.js';
import { artifactsDir, launchBrowser, ROOT, waitFor } from '../support/harness.js';
import { pictureError, pictureMatches, THUMB_FILTER, thumbsOfYuv444, type Thumb } from '../support/pictures.js';
import { openReviewOn, reviewTileThumb, type ReviewOnRecordings } from '../support/review-page.js';

const SCENES = ['intersection', 'night-street', 'plaza', 'park'] as const;
const RECORDED = SCENES.map((s) => `rec-${s}`);
/** The rest of the 4x4 wall: cameras with nothing recorded (their tiles say so). */
const OTHERS = Array.from({ length: 12 }, (_, i) => `idle-${String(i + 1).padStart(2, '0')}`);
const SLOT_MS = 4000;
const SLOTS = 12;
const dir = mkdtempSync(join(tmpdir(), 'kuzet-review-sub-'));
const shots = artifactsDir();
const T0 = Math.floor(Date.now() / 1000) * 1000 - 15 * 60_000;
/** `${scene} ${stream}` -> the 4 s file every slot of that camera and stream links to. */
const files: Record<string, string> = {};
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let opened: ReviewOnRecordings | undefined;

type Player = { camera: string; stream: 'main' | 'sub' | null; width: number; height: number; state: string };
const review = <T>(fn: string) => browser.page.evaluate((f) => (window as unknown as { __kuzetReview: Record<string, () => unknown> }).__kuzetReview[f]!() as T, fn);
const players = () => review<Player[]>('players');
const shown = () => review<Record<string, number | null>>('shown');

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  for (const s of SCENES) {
    for (const [stream, size] of [['main', '720p'], ['sub', '360p']] as const) {
      const f = files[`${s} ${stream}`] = join(dir, `${s}-${stream}.mp4`);
      execFileSync('ffmpeg', ['-v', 'error', '-fflags', '+genpts', '-r', '25', '-i', join(ROOT, 'resources', 'clips', `${s}-${size}.h264`), '-frames:v', '100', '-c', 'copy',
        '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', '-y', f]);
    }
  }
  const index: string[] = [];
  SCENES.forEach((s, k) => {
    for (let i = 0; i < SLOTS; i++) {
      for (const stream of ['main', 'sub'] as const) {
        const startMs = T0 + i * SLOT_MS + k * 7; // the cameras' segments start a few ms apart, as real ones do
        const file = segmentFile(RECORDED[k]!, startMs, stream);
        const f = join(dir, 'data', 'recordings', file);
        mkdirSync(dirname(f), { recursive: true });
        linkSync(files[`${s} ${stream}`]!, f);
        index.push(JSON.stringify({ add: { cameraId: RECORDED[k], startMs, endMs: startMs + SLOT_MS, file, bytes: statSync(f).size, status: 'ok' } }));
      }
    }
  });
  const all = [...RECORDED, ...OTHERS];
  opened = await openReviewOn(dir, index, all.map((id) => ({ id, name: id, sub: true })), '4x4');
  ({ browser } = opened);
}, 150_000);

afterAll(async () => {
  await opened?.close();
});

/** ffmpeg's picture of a camera's file of that stream `ms` after its start (a 64x36 YUV thumbnail). */
function decodeAt(scene: string, stream: 'main' | 'sub', ms: number): Thumb {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', (ms / 1000).toFixed(3), '-i', files[`${scene} ${stream}`]!, '-frames:v', '1', '-vf', THUMB_FILTER, '-f', 'rawvideo', '-']);
  const t = thumbsOfYuv444(new Uint8Array(raw))[0];
  if (!t) throw new Error(`ffmpeg decoded nothing ${ms} ms into ${scene} ${stream}`);
  return t;
}

/** The tile of camera k shows its `stream` file's picture at `at`, better than another scene's picture then. */
async function expectPicture(k: number, stream: 'main' | 'sub', at: number, label: string): Promise<void> {
  const scene = SCENES[k]!;
  const offset = (at - T0 - k * 7) % SLOT_MS;
  const tile = await reviewTileThumb(browser.page, RECORDED[k]!);
  const own = pictureError(tile, decodeAt(scene, stream, offset));
  const other = pictureError(tile, decodeAt(SCENES[(k + 1) % SCENES.length]!, stream, offset));
  const msg = `${label} ${scene} (${stream}): tile vs its own file ${JSON.stringify(own)}, vs another scene ${JSON.stringify(other)}`;
  console.log(`[e2e] ${msg}`);
  expect(pictureMatches(own), msg).toBe(true);
  expect(own.luma, msg).toBeLessThan(other.luma);
}

describe('review tiles and the recorded sub-stream', () => {
  it('a 4x4 grid plays the sub-stream (640x360) in its small tiles; maximised, the tile plays main (1280x720) at the same moment', async () => {
    const { page } = browser;
    await waitFor('a 4x4 grid', async () => (await page.locator('.review-cell').count()) === 16 || null, 20_000);
    // the tiles are small by the live wall's rule: no taller than MAIN_UP sub-stream heights
    const tileH = await page.locator(`.review-cell[data-camera="${RECORDED[0]}"]`).evaluate((el) => el.clientHeight * devicePixelRatio);
    expect(tileH).toBeLessThan(MAIN_UP * DEFAULT_SUB_SIZE.height);
    const at = T0 + 6 * SLOT_MS + 1500;
    await page.evaluate((ms) => (window as unknown as { __kuzetReview: { seek(ms: number): void } }).__kuzetReview.seek(ms), at);
    await waitFor('every recorded tile at the moment', async () => { const s = await shown(); return RECORDED.every((c) => s[c] != null && Math.abs(s[c]! - at) <= 40) || null; }, 30_000)
      .catch(async (e: unknown) => { throw new Error(`${String(e)} ${JSON.stringify(await players())}`); });
    const grid = await players();
    for (const c of RECORDED) expect(grid.find((p) => p.camera === c), JSON.stringify(grid)).toMatchObject({ stream: 'sub', width: 640, height: 360 });
    await page.screenshot({ path: join(shots, 'review-substream-grid.png') });
    for (let k = 0; k < SCENES.length; k++) await expectPicture(k, 'sub', at, 'grid');

    // maximise the second camera (double-click): its player switches to the main stream, the clock does not move
    const before = await review<number>('position');
    await page.locator(`.review-cell[data-camera="${RECORDED[1]}"]`).dblclick();
    await waitFor('the maximised tile on main at the same moment', async () => {
      const [p] = await players();
      const s = await shown();
      return p !== undefined && p.camera === RECORDED[1] && p.stream === 'main' && p.width === 1280 && s[RECORDED[1]!] != null && Math.abs(s[RECORDED[1]!]! - at) <= 40 || null;
    }, 30_000).catch(async (e: unknown) => { throw new Error(`${String(e)} ${JSON.stringify(await players())} ${JSON.stringify(await shown())}`); });
    expect(await page.locator('.review-cell').count()).toBe(1);
    expect(await review<number>('position')).toBe(before);
    const big = await page.locator(`.review-cell[data-camera="${RECORDED[1]}"]`).evaluate((el) => el.clientHeight * devicePixelRatio);
    expect(big).toBeGreaterThan(MAIN_UP * DEFAULT_SUB_SIZE.height);
    await page.screenshot({ path: join(shots, 'review-substream-maximised.png') });
    await expectPicture(1, 'main', at, 'maximised');

    // Esc: back to the grid, and the tile to the sub-stream, still at that moment
    await page.keyboard.press('Escape');
    await waitFor('the grid again, the tile on the sub-stream', async () => {
      const ps = await players();
      const s = await shown();
      const p = ps.find((x) => x.camera === RECORDED[1]);
      return ps.length === 16 && p?.stream === 'sub' && p.width === 640 && s[RECORDED[1]!] != null && Math.abs(s[RECORDED[1]!]! - at) <= 40 || null;
    }, 30_000).catch(async (e: unknown) => { throw new Error(`${String(e)} ${JSON.stringify(await players())}`); });
    await expectPicture(1, 'sub', at, 'restored');
    expect(await page.getByTestId('review').isVisible()).toBe(true); // Esc restored the tile; it did not leave review
  }, 120_000);
});
