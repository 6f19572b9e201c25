/**
 * A review seek shows the recorded picture of the asked moment, also where a segment's file runs past the start of the
 * next one (a capture-clock correction at the join, a file longer than its index entry): the neighbour appended after
 * it must not cover its first pictures (docs/replay.md, "Benchmark": the failed seeks of bench:review). Chromium
 * through a web shell on a data dir whose recordings are written here: 6 s fragmented-MP4 files of two clips of
 * different scenes, one every 4 s, alternating, so each file's last 2 s overlap the next entry's first 2 s. Each tile
 * picture is compared with ffmpeg's decode of the file the index names at that moment, and must match it better than
 * the neighbour's picture there (luma and chroma). No simulator: the camera's live stream is never opened.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentFile } from '../../electron/host/recording/segment.js';
import { artifactsDir, launchBrowser, ROOT, waitFor } from '../support/harness.js';
import { pictureError, pictureMatches, THUMB_FILTER, thumbsOfYuv444, type Thumb } from '../support/pictures.js';
import { openReviewOn, reviewTileThumb, type ReviewOnRecordings } from '../support/review-page.js';

const CAM = 'cam-seek';
const SLOT_MS = 4000;
const SLOTS = 24;
const SCENES = ['intersection', 'night-street'] as const;
const dir = mkdtempSync(join(tmpdir(), 'kuzet-review-seek-'));
const shots = artifactsDir();
/** The first slot's start: a quarter of an hour ago, on a whole second. */
const T0 = Math.floor(Date.now() / 1000) * 1000 - 15 * 60_000;
const files: Record<string, string> = {};
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let review: ReviewOnRecordings | undefined;

const slotStart = (i: number) => T0 + i * SLOT_MS;
const sceneOf = (i: number) => SCENES[i % SCENES.length]!;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  // 6 s of each clip as the recorder writes a segment (fragmented MP4, one key-frame fragment a second)
  for (const s of SCENES) {
    files[s] = join(dir, `${s}.mp4`);
    execFileSync('ffmpeg', ['-v', 'error', '-fflags', '+genpts', '-r', '25', '-i', join(ROOT, 'resources', 'clips', `${s}-720p.h264`), '-frames:v', '150', '-c', 'copy',
      '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', '-y', files[s]!]);
  }
  const index: string[] = [];
  for (let i = 0; i < SLOTS; i++) {
    const file = segmentFile(CAM, slotStart(i));
    const f = join(dir, 'data', 'recordings', file);
    mkdirSync(dirname(f), { recursive: true });
    linkSync(files[sceneOf(i)]!, f);
    index.push(JSON.stringify({ add: { cameraId: CAM, startMs: slotStart(i), endMs: slotStart(i) + SLOT_MS, file, bytes: statSync(f).size, status: 'ok' } }));
  }
  review = await openReviewOn(dir, index, [{ id: CAM, name: 'Seek' }], '1');
  ({ browser } = review);
}, 150_000);

afterAll(async () => {
  await review?.close();
});

/** The picture of `scene`'s 6 s file `ms` after its start, as ffmpeg decodes it (a 64x36 YUV thumbnail). */
function decodeAt(scene: string, ms: number): Thumb {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', (ms / 1000).toFixed(3), '-i', files[scene]!, '-frames:v', '1', '-vf', THUMB_FILTER, '-f', 'rawvideo', '-']);
  const t = thumbsOfYuv444(new Uint8Array(raw))[0];
  if (!t) throw new Error(`ffmpeg decoded nothing ${ms} ms into ${scene}`);
  return t;
}

/** Seeks the review to `at` and waits until the player shows the picture of that moment (its position within a frame). */
async function seekTo(at: number): Promise<void> {
  const { page } = browser;
  await page.evaluate((ms) => (window as unknown as { __kuzetReview: { seek(ms: number): void } }).__kuzetReview.seek(ms), at);
  await waitFor(`the picture at ${at - T0} ms`, async () => {
    const s = await page.evaluate(() => (window as unknown as { __kuzetReview: { shown(): Record<string, number | null> } }).__kuzetReview.shown());
    return s[CAM] !== null && s[CAM] !== undefined && Math.abs(s[CAM] - at) <= 40;
  }, 30_000);
}

/** Whether the player's SourceBuffer holds the picture at wall time `ms` (the video's buffered ranges, on the player's clock). */
async function buffered(ms: number): Promise<boolean> {
  return browser.page.evaluate(({ cam, ms }) => {
    const v = document.querySelector(`.review-cell[data-camera="${cam}"] video`) as HTMLVideoElement | null;
    const shown = (window as unknown as { __kuzetReview: { shown(): Record<string, number | null> } }).__kuzetReview.shown()[cam];
    if (!v || shown === null || shown === undefined) return false;
    const t = v.currentTime + (ms - shown) / 1000;
    for (let i = 0; i < v.buffered.length; i++) if (t >= v.buffered.start(i) && t < v.buffered.end(i)) return true;
    return false;
  }, { cam: CAM, ms });
}

/**
 * The tile's picture against the file the index names at `at` (slot `slot`), and against `wrong`: the picture another
 * file would put there (the earlier file's overlapping tail, or the other scene).
 */
async function expectOwnPicture(at: number, slot: number, label: string, wrong: Thumb): Promise<void> {
  const tile = await reviewTileThumb(browser.page, CAM);
  await browser.page.screenshot({ path: join(shots, `review-seek-${label}.png`) });
  const own = pictureError(tile, decodeAt(sceneOf(slot), at - slotStart(slot)));
  const other = pictureError(tile, wrong);
  const msg = `${label}: tile vs its own file ${JSON.stringify(own)}, vs another file's picture ${JSON.stringify(other)}`;
  expect(pictureMatches(own), msg).toBe(true);
  expect(own.luma, msg).toBeLessThan(other.luma);
  expect(own.chroma, msg).toBeLessThan(other.chroma);
}

describe('review seek on segments whose files run past the next one', () => {
  it('shows the picture of the segment the index names, after the earlier segment was appended over it', async () => {
    const k = 12;
    // a seek half a second into slot k: its GOP first, then the plan appends the rest, the next segments, and slot k-1
    await seekTo(slotStart(k) + 500);
    await expectOwnPicture(slotStart(k) + 500, k, 'first', decodeAt(sceneOf(k - 1), 4500));
    // wait until slot k-1 (whose 6 s file runs 2 s into slot k) is appended too: after slot k, over its first 2 s
    await waitFor('the earlier segment appended', async () => (await buffered(slotStart(k - 1) + 500)) && (await buffered(slotStart(k) + 3500)), 30_000);
    // 1.5 s into slot k, inside what slot k-1's file also covers: the index says slot k, so slot k's picture
    await seekTo(slotStart(k) + 1500);
    await expectOwnPicture(slotStart(k) + 1500, k, 'overlap', decodeAt(sceneOf(k - 1), 5500));
    // and the last frame of slot k-1 before slot k starts is still slot k-1's own (the cut is at slot k's start)
    await seekTo(slotStart(k) - 60);
    await expectOwnPicture(slotStart(k) - 60, k - 1, 'before-join', decodeAt(sceneOf(k), 3940));
  }, 120_000);
});
