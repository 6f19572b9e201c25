/**
 * A review seek into the last frames before a gap in the recording shows its picture. Footage decoded as a recorded
 * stream (frame threads, renderer/review/segment-plan.ts markRecorded; off by default, switched on here through the
 * page's diagnostics as bench:replay --ab-recorded does) completes a seek only with a few frames
 * after the picture; before a gap none will come, so the player opens a live MediaSource there instead (docs/replay.md,
 * "Seek, seventh pass"). Chromium through a web shell on a data dir with three 4 s fragmented-MP4 segments of one clip
 * (two abutting, a gap, one more); each picture is compared with ffmpeg's decode of the file at that moment.
 */
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentFile } from '../../electron/host/recording/segment.js';
import { launchBrowser, ROOT, waitFor } from '../support/harness.js';
import { pictureError, pictureMatches, THUMB_FILTER, thumbsOfYuv444, type Thumb } from '../support/pictures.js';
import { openReviewOn, reviewTileThumb, type ReviewOnRecordings } from '../support/review-page.js';

const CAM = 'cam-gap';
const SEG_MS = 4000;
const dir = mkdtempSync(join(tmpdir(), 'kuzet-review-gap-'));
const T0 = Math.floor(Date.now() / 1000) * 1000 - 15 * 60_000;
/** Segment starts: two abutting, then a 4 s gap, then one more. */
const STARTS = [T0, T0 + SEG_MS, T0 + 3 * SEG_MS];
let file = '';
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let review: ReviewOnRecordings | undefined;

beforeAll(async () => {
  // 4 s of the clip as the recorder writes a segment (fragmented MP4, one key-frame fragment a second): 100 frames
  file = join(dir, 'seg.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-fflags', '+genpts', '-r', '25', '-i', join(ROOT, 'resources', 'clips', 'intersection-720p.h264'), '-frames:v', '100', '-c', 'copy',
    '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', '-y', file]);
  const index = STARTS.map((start) => {
    const name = segmentFile(CAM, start);
    const f = join(dir, 'data', 'recordings', name);
    mkdirSync(dirname(f), { recursive: true });
    linkSync(file, f);
    return JSON.stringify({ add: { cameraId: CAM, startMs: start, endMs: start + SEG_MS, file: name, bytes: statSync(f).size, status: 'ok' } });
  });
  review = await openReviewOn(dir, index, [{ id: CAM, name: 'Gap' }], '1');
  ({ browser } = review);
}, 150_000);

afterAll(async () => {
  await review?.close();
});

function decodeAt(ms: number): Thumb {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', (ms / 1000).toFixed(3), '-i', file, '-frames:v', '1', '-vf', THUMB_FILTER, '-f', 'rawvideo', '-']);
  const t = thumbsOfYuv444(new Uint8Array(raw))[0];
  if (!t) throw new Error(`ffmpeg decoded nothing ${ms} ms into the file`);
  return t;
}

type Diag = { __kuzetReview: { seek(ms: number): void; shown(): Record<string, number | null>; players(): Array<{ camera: string; recorded: boolean }>; recordedStreams(on: boolean): void } };

/** Seeks the review to `at`, waits for the picture of that moment and compares it with ffmpeg's (`into`: ms into the file). */
async function seekAndCheck(at: number, into: number, label: string): Promise<void> {
  const { page } = browser;
  await page.evaluate((ms) => (window as unknown as Diag).__kuzetReview.seek(ms), at);
  await waitFor(`the picture at ${at - T0} ms (${label})`, async () => {
    const s = await page.evaluate(() => (window as unknown as Diag).__kuzetReview.shown());
    return s[CAM] !== null && s[CAM] !== undefined && Math.abs(s[CAM] - at) <= 40;
  }, 30_000);
  const own = pictureError(await reviewTileThumb(page, CAM), decodeAt(into));
  expect(pictureMatches(own), `${label}: ${JSON.stringify(own)}`).toBe(true);
}

const recorded = async () => (await browser.page.evaluate(() => (window as unknown as Diag).__kuzetReview.players()))[0]?.recorded;

describe('review seek before a gap', () => {
  it('shows the last frames before a gap, and frames elsewhere decoded as a recorded stream', async () => {
    await browser.page.evaluate(() => (window as unknown as Diag).__kuzetReview.recordedStreams(true)); // off by default
    await seekAndCheck(STARTS[0]! + 2020, 2020, 'middle');
    expect(await recorded()).toBe(true);
    // the join of two abutting segments: frames after it come from the next one
    await seekAndCheck(STARTS[1]! - 40, 3960, 'before the join');
    expect(await recorded()).toBe(true);
    // the last frame before the gap, and the one before it: no frame after them will come
    await seekAndCheck(STARTS[1]! + SEG_MS - 40, 3960, 'last before the gap');
    expect(await recorded()).toBe(false); // the player fell back to a live MediaSource there
    await seekAndCheck(STARTS[1]! + SEG_MS - 120, 3880, 'third last before the gap');
    // and the footage after the gap
    await seekAndCheck(STARTS[2]! + 1000, 1000, 'after the gap');
  }, 120_000);
});
