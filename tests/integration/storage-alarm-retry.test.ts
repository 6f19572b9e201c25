/**
 * A storage alarm the alarm queue did not take (its store busy, the engine closing) is raised again at the recording
 * service's next tick: a full-disk alarm lost once stayed lost for 10 minutes (the repeat interval), and a fresh clone's
 * recording-storage test waited 240 s for an alarm that never came. The real recording service and its store; the disk's
 * free space and the alarm queue's answers are the test's.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/host/log.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import { RecordingService, type StorageAlarm } from '../../electron/host/recording/recording-service.js';
import { ReviewStore } from '../../electron/host/recording/review-store.js';
import { untilAsync } from '../support/until.js';

const dir = mkdtempSync(join(tmpdir(), 'kuzet-storage-retry-'));
const services: RecordingService[] = [];
afterAll(async () => { for (const s of services) await s.close(); rmSync(dir, { recursive: true, force: true }); });

async function service(answers: Array<boolean | 'throw'>) {
  const log = createLogger({ scope: 'test', quiet: true });
  const raised: StorageAlarm[] = [];
  const seen = { freeAsked: 0 };
  const root = mkdtempSync(join(dir, 'recordings-'));
  mkdirSync(root, { recursive: true });
  const store = new ReviewStore({ dataDir: dir, log });
  const svc = new RecordingService({
    root, store, notices: new NoticeBoard(), log, changed: () => {},
    freeBytes: () => { seen.freeAsked++; return 1_000; }, // below any floor: the disk is short from the first tick
    // the queue's answers to the disk_full alarm (others, such as locked_full when nothing is left to delete, are taken)
    alarm: (a) => { if (a.problem !== 'disk_full') return Promise.resolve(true); raised.push(a); const answer = answers.shift() ?? true; return answer === 'throw' ? Promise.reject(new Error('database is locked')) : Promise.resolve(answer); },
  });
  services.push(svc);
  await svc.ready;
  /** Resolves after the service has looked at the disk n more times (each tick looks at least once). */
  const ticks = (n: number) => { const from = seen.freeAsked; return untilAsync(`${n} more ticks`, async () => seen.freeAsked >= from + n, 30_000); };
  return { svc, raised, ticks };
}

describe('a storage alarm the queue did not take', () => {
  it('is raised again at the next tick, and once taken not again within the repeat interval', async () => {
    const { raised, ticks } = await service([false, 'throw', true]);
    await untilAsync('the disk_full alarm offered three times', async () => raised.length >= 3, 30_000);
    // taken at the third offer: further ticks must not offer it again
    const offered = raised.length;
    await ticks(4);
    expect(raised.length).toBe(offered);
    expect(raised.every((a) => /free-space floor/.test(a.detail))).toBe(true);
  }, 60_000);

  it('taken the first time: offered once', async () => {
    const { raised, ticks } = await service([true]);
    await untilAsync('the disk_full alarm offered', async () => raised.length >= 1, 30_000);
    await ticks(4);
    expect(raised.length).toBe(1);
  }, 60_000);
});
