/**
 * The after-action review end to end in Chromium (issue 11 §3): the demo city's web shell; a trainee runs a short drill
 * with known mistakes (an SOP step skipped, a false alarm resolved as confirmed) through the UI; after Stop the trainer's
 * dashboard lists the session with its score and opens its review: the replay player on the session's clock with the
 * expected/did/comments/differences lanes, the differences marked (lanes and timeline), a seek to a difference, a
 * comment added at the playhead (kept with the session, not in the production audit), and the report exported as JSON (the
 * contract's schema), HTML (in Russian) and PDF (%PDF, naming the trainee and the score). The review's tiles play the
 * scenario's footage on the session's clock (what the trainee's tiles showed), not this console's recordings of the
 * session's own time. Screenshot looked at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { TrainingReport } from '../../electron/contract/training/report.js';
import { closeConsole } from '../support/e2e-console.js';
import { waitFor } from '../support/harness.js';
import { pdfText } from '../support/pdf-text.js';
import { timelineMarks } from '../support/review-page.js';
import { beginDrill, shots, startDrill, stopDrill, type Drill, trainee, workDrillWithMistakes } from '../support/training-drill.js';

let drill: Drill;
let page: Page;

beforeAll(async () => { drill = await startDrill({ id: 'e2e-review', name: 'Review drill' }); ({ page } = drill); }, 180_000);
afterAll(() => closeConsole(drill));

async function downloaded(testId: string): Promise<{ name: string; body: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 150_000 }), page.getByTestId(testId).click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), body: readFileSync(path) };
}

describe('after-action review in Chromium', () => {
  it('a drill with known mistakes: differences marked, seek, comment, export JSON + HTML + PDF', async () => {
    await beginDrill(page, 'e2e-review');
    await workDrillWithMistakes(page);
    await stopDrill(page);

    // the dashboard lists the finished session with its score; its row opens the review
    const row = page.locator('[data-testid="trainer-dashboard"] tr[data-result]');
    await row.first().waitFor({ timeout: 30_000 });
    expect(await row.count()).toBe(1);
    expect(await row.first().getAttribute('data-trainee')).toBe(trainee.name);
    expect(await row.first().getAttribute('data-percent')).toBe('60');
    // the footage the review's players fetch (segment files and a seek's batched parts), by segment start
    const fetched: Array<{ cameraId: string; startMs: number }> = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      const one = /^\/rec\/(?:seg|sub)\/([^/]+)\/(\d+)\.mp4$/.exec(u.pathname);
      if (one) fetched.push({ cameraId: one[1]!, startMs: Number(one[2]) });
      if (u.pathname === '/rec/parts') for (const p of u.searchParams.getAll('p')) { const m = /^(?:seg|sub)\/([^/]+)\/(\d+)\//.exec(p); if (m) fetched.push({ cameraId: m[1]!, startMs: Number(m[2]) }); }
    });
    await row.first().getByTestId('dashboard-review').click();

    const review = page.getByTestId('training-review');
    await review.waitFor();
    const lanes = page.getByTestId('review-lanes');
    await lanes.waitFor();
    const diffs = lanes.locator('[data-lane="differences"] [data-diff]');
    expect((await diffs.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-diff')}:${e.getAttribute('data-event')}`))).sort())
      .toEqual(['falseAsReal:shadow', 'skippedSop:covered', 'wrongVerdict:shadow']);
    // the trainee's wrong resolve is marked on the "did" lane; the expected lane has the two events and five responses
    expect(await lanes.locator('[data-lane="did"] .rl-diff').count()).toBeGreaterThanOrEqual(1);
    expect(await lanes.locator('[data-lane="expected"] .rl-mark').count()).toBe(7);
    // and on the replay's timeline, on the cameras' rows
    await waitFor('difference markers on the timeline', async () => (await timelineMarks(page)).filter((m) => m.kind === 'action').length >= 3, 30_000);

    // seeking to a difference shows the console as it was then: the shadow's alarm resolved as confirmed
    const wrong = lanes.locator('[data-lane="differences"] [data-diff="wrongVerdict"]');
    const atMs = Number(await wrong.getAttribute('data-at'));
    await wrong.click();
    await waitFor('the review at the difference', async () => Math.abs(await page.evaluate(() => (window as unknown as { __kuzetTrainingReview: { atMs(): number } }).__kuzetTrainingReview.atMs()) - atMs) < 1500, 20_000);
    const queue = await page.evaluate(() => (window as unknown as { __kuzetTrainingReview: { queue(): Array<{ cameraId: string; state: string; verdict: string | null }> } }).__kuzetTrainingReview.queue());
    expect(queue.find((a) => a.cameraId === 'abay-dostyk')).toMatchObject({ state: 'resolved', verdict: 'confirmed' });

    // the lanes run on the timeline's window: the difference's mark sits over its marker on the camera rows (a marker at
    // the session's start plus the difference's moment), also after a zoom in, which moves both
    const [session] = (await drill.api.call('training.sessions.list', {})).filter((x) => x.scenarioId === 'e2e-review');
    const laneX = async () => { const b = (await wrong.boundingBox())!; return b.x + b.width / 2; };
    const markerX = async () => {
      const m = (await timelineMarks(page)).filter((x) => x.kind === 'action' && x.atMs === session!.startedAt + atMs);
      return m.length ? m[0]!.x + m[0]!.width / 2 : null;
    };
    const rowsBox = (await page.locator('.tl-rows').boundingBox())!;
    const before = await laneX();
    expect(Math.abs(before - (await markerX())!), `lane ${before}, timeline ${await markerX()}`).toBeLessThan(3);
    // zoom in at the left of the rows: the mark moves right, and stays over the timeline's marker
    const axis = (await page.locator('.tl-rows .tl-track').first().boundingBox())!;
    await page.mouse.move(axis.x + 10, rowsBox.y + rowsBox.height / 2);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -200);
    await waitFor('the lanes zoomed with the timeline', async () => {
      const [lx, mx] = [await laneX(), await markerX()];
      return mx !== null && lx - before > 30 && Math.abs(lx - mx) < 3 ? true : null;
    }, 20_000);

    // the tiles play the scenario's footage: the footage recorded from the scenario's start (drill.fromMs, 12 s or more
    // before the session started), moved onto the session's clock. This console's recordings of the session's own time
    // begin at its start: without the move, no segment starting more than one segment (4 s) before it would be fetched.
    await waitFor('footage fetched', () => (fetched.length > 0 ? true : null), 30_000);
    const earliest = Math.min(...fetched.map((f) => f.startMs));
    expect(session!.startedAt - drill.fromMs).toBeGreaterThanOrEqual(12_000);
    expect(earliest, JSON.stringify({ fromMs: drill.fromMs, startedAt: session!.startedAt, fetched: fetched.slice(0, 8) })).toBeLessThan(session!.startedAt - 8000);
    // and not before the scenario's footage (a segment holding its start begins up to a segment, 4-5 s, before it)
    expect(earliest, JSON.stringify({ fromMs: drill.fromMs, fetched: fetched.slice(0, 8) })).toBeGreaterThanOrEqual(drill.fromMs - 10_000);
    // and the tile of a scripted event's camera shows a picture at the difference's moment (the footage at the scenario's time)
    await waitFor('a picture at the difference', async () => {
      const shown = await page.evaluate(() => (window as unknown as { __kuzetReview: { shown(): Record<string, number | null> } }).__kuzetReview.shown());
      const s = shown['abay-dostyk'];
      return s !== null && s !== undefined && Math.abs(s - (session!.startedAt + atMs)) < 1500 ? true : null;
    }, 30_000);

    // the trainer's comment at the playhead: kept with the session, shown on the comments lane, never in the production audit
    await page.getByTestId('review-comment').fill('Check the shadow against the other camera before confirming');
    await page.getByTestId('review-comment-add').click();
    await lanes.locator('[data-lane="comments"] .rl-mark').waitFor();
    const audit = JSON.stringify(await drill.api.call('audit.query', { filter: { text: 'Check the shadow' } }));
    expect(audit).not.toContain('Check the shadow');

    // the unit map heads the review's panel column: over no replayed tile (it covered the top-right one) and not over
    // the panel's summary and differences
    await page.getByTestId('unit-replay').waitFor({ timeout: 30_000 });
    const mapBox = (await page.getByTestId('unit-replay').boundingBox())!;
    const sideBox = (await page.getByTestId('training-review-side').boundingBox())!;
    expect(mapBox.y + mapBox.height, JSON.stringify({ mapBox, sideBox })).toBeLessThanOrEqual(sideBox.y + 1);
    const tiles = await page.locator('.replay-tile').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })));
    expect(tiles.length).toBeGreaterThan(0);
    const over = tiles.filter((r) => r.x < mapBox.x + mapBox.width - 1 && mapBox.x < r.x + r.w - 1 && r.y < mapBox.y + mapBox.height - 1 && mapBox.y < r.y + r.h - 1);
    expect(over, JSON.stringify({ mapBox, over })).toEqual([]);
    // the panel scrolls as a whole: the replayed queue has its own height, not a heading and a line
    const queueEl = page.locator('[data-testid="training-review-side"] [data-testid="replay-queue"]');
    expect(await queueEl.evaluate((e) => e.scrollHeight <= e.clientHeight + 1)).toBe(true);
    expect((await page.getByTestId('review-comment').boundingBox())!.height).toBeGreaterThan(30); // two rows, not squeezed
    await page.screenshot({ path: join(shots, 'training-review.png') });

    // exports: JSON in the contract's schema with the comment; HTML in Russian; PDF naming the trainee and the score
    const json = await downloaded('review-export-json');
    const report = TrainingReport.parse(JSON.parse(json.body.toString('utf8')));
    expect(report.trainee).toBe(trainee.name);
    expect(report.percent).toBe(60);
    expect(report.comments.map((c) => c.text)).toEqual(['Check the shadow against the other camera before confirming']);
    await page.getByTestId('review-language').selectOption('ru');
    const html = await downloaded('review-export-html');
    expect(html.name).toMatch(/-ru\.html$/);
    const page2 = html.body.toString('utf8');
    expect(page2).toContain('Разбор тренировки');
    expect(page2).toContain('Неверный вердикт');
    expect(page2).toContain(trainee.name);
    const pdf = await downloaded('review-export-pdf');
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf.body).replace(/\s+/g, ' ');
    expect(text).toContain(trainee.name);
    expect(text).toContain('60 %');
  }, 420_000);
});
