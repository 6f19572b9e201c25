/**
 * A camera's recording that fails once is retried at the next tick without a notice; failing again before it has
 * written a segment is reported (a notice) and retried every 10 s. At start-up on a busy machine splitmuxsink stopped 2
 * of the demo's 4 recorded cameras with "Queued GOP time is negative" within 5 s, and the next start recorded: a newcomer
 * saw a red recording notice on the demo's first minute. The real recording service and store; the worker's reports,
 * the clock and the segment files are the test's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/host/log.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import { RecordingService } from '../../electron/host/recording/recording-service.js';
import { ReviewStore } from '../../electron/host/recording/review-store.js';
import { untilAsync } from '../support/until.js';

const dir = mkdtempSync(join(tmpdir(), 'kuzet-rec-quick-'));
const services: RecordingService[] = [];
afterAll(async () => { for (const s of services) await s.close(); rmSync(dir, { recursive: true, force: true }); });

const CAM = 'cam-q';
const GOP_ERROR = { type: 'recording', state: 'error', message: 'Timestamping error on input streams', element: 'recsink', detail: 'Queued GOP time is negative -0:00:00.070007433' } as const;

describe('a recording that fails once', () => {
  it('is retried at once without a notice; failing again before a segment is reported and waits 10 s; a segment written makes the next failure quiet again', async () => {
    const log = createLogger({ scope: 'test', quiet: true });
    const root = mkdtempSync(join(dir, 'recordings-'));
    mkdirSync(root, { recursive: true });
    const notices = new NoticeBoard();
    let now = Date.now();
    let ticks = 0;
    const svc = new RecordingService({ root, store: new ReviewStore({ dataDir: mkdtempSync(join(dir, 'data-')), log }), notices, log, changed: () => {}, now: () => now,
      freeBytes: () => { ticks++; return 1e12; } }); // asked at every tick
    services.push(svc);
    await svc.ready;
    svc.configure({ cameraId: CAM, mode: 'continuous', preMs: 0, postMs: 0 } as never);
    const attempt = () => svc.targets().get(CAM)?.attempt ?? null;
    const worker = { pid: 4242 };
    const errors = () => notices.list().filter((n) => n.level === 'error');
    expect(attempt()).toBe(0);

    // the first failure: not reported, retried after about a second (the next tick)
    svc.report(CAM, GOP_ERROR, worker);
    expect(svc.status(CAM).state).toBe('error');
    expect(attempt()).toBeNull(); // not started again before the retry
    expect(errors()).toEqual([]);
    now += 1_100;
    await untilAsync('the quick retry', async () => attempt() === 1, 10_000);
    expect(errors()).toEqual([]);

    // failing again before a segment was written: reported, and the retry waits 10 s
    svc.report(CAM, GOP_ERROR, worker);
    expect(errors().map((n) => n.message)).toEqual([expect.stringMatching(/Recording of cam-q stopped: .*Queued GOP time is negative/)]);
    now += 5_000;
    const from = ticks;
    await untilAsync('two more ticks', async () => ticks >= from + 2, 10_000); // the clock says 5 s: too early to retry
    expect(attempt()).toBeNull();
    now += 5_100;
    await untilAsync('the 10-s retry', async () => attempt() === 2, 10_000);

    // a segment written: the next failure is quiet again
    const day = join(root, CAM, new Date(now).toISOString().slice(0, 10));
    mkdirSync(day, { recursive: true });
    const file = join(day, `${now}.mp4`);
    writeFileSync(file, Buffer.alloc(0));
    svc.report(CAM, { type: 'segment', event: 'opened', path: file, startMs: now }, worker);
    svc.report(CAM, { type: 'segment', event: 'closed', path: file, startMs: now, endMs: now + 4000, bytes: 0 }, worker);
    await untilAsync('the segment indexed', async () => svc.status(CAM).lastSegmentEndMs === now + 4000, 10_000);
    const before = errors().length;
    svc.report(CAM, GOP_ERROR, worker);
    now += 1_100;
    await untilAsync('the quick retry after a segment', async () => attempt() === 3, 10_000);
    expect(errors().length).toBe(before);
  }, 60_000);
});
