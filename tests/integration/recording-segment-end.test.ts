/**
 * A closed segment is indexed as far as its file's frames go, not to the end the worker reports (splitmuxsink's running
 * time, the jitter buffer's arrival clock): under load the two differed by up to ±270 ms, and a seek into the difference
 * waited for a picture the file does not have (e2e/review with the sub-stream: a player at readyState 1, recoveries 3).
 * The real recording service and index, a fragmented MP4 written by ffmpeg, worker reports as the worker sends them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/host/log.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import { RecordingService } from '../../electron/host/recording/recording-service.js';
import { ReviewStore } from '../../electron/host/recording/review-store.js';
import { segmentFile } from '../../electron/host/recording/segment.js';
import { readSegmentLayout } from '../../electron/host/review/segment-layout.js';
import { untilAsync } from '../support/until.js';

const dir = mkdtempSync(join(tmpdir(), 'kuzet-seg-end-'));
const services: RecordingService[] = [];
afterAll(async () => { for (const s of services) await s.close(); rmSync(dir, { recursive: true, force: true }); });

/** seconds of 25 fps H.264 as the recorder writes it: fragmented MP4, a fragment and a key frame every second. */
function record(path: string, seconds: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast',
    '-g', '25', '-keyint_min', '25', '-sc_threshold', '0', '-movflags', 'empty_moov+default_base_moof', '-frag_duration', '1000000', '-y', path]);
}

describe('a closed segment in the index', () => {
  it('ends where its file ends, whatever end the worker reported', async () => {
    const root = join(dir, 'recordings');
    const log = createLogger({ scope: 'test', quiet: true });
    const svc = new RecordingService({ root, store: new ReviewStore({ dataDir: dir, log }), notices: new NoticeBoard(), log, changed: () => {} });
    services.push(svc);
    await svc.ready;
    const start = Date.UTC(2026, 11, 4, 12, 0, 0);
    const cases = [
      { startMs: start, reportedMs: 3121, stream: 'main' as const }, // reported past the file's end (as seen: 3121 for 3000)
      { startMs: start + 3000, reportedMs: 2730, stream: 'main' as const }, // reported short of it
      { startMs: start + 40, reportedMs: 3270, stream: 'sub' as const },
    ];
    for (const c of cases) {
      const path = join(root, segmentFile('cam', c.startMs, c.stream));
      record(path, 3);
      const r = { type: 'segment' as const, path, startMs: c.startMs, ...(c.stream === 'sub' ? { stream: c.stream } : {}) };
      svc.report('cam', { ...r, event: 'opened' }, { pid: 7 });
      svc.report('cam', { ...r, event: 'closed', endMs: c.startMs + c.reportedMs, bytes: 1 }, { pid: 7 });
    }
    const indexed = () => [...svc.index.camera('cam'), ...svc.index.camera('cam', 'sub')];
    await untilAsync('three segments indexed', async () => indexed().length === 3);
    const fileMs = (await readSegmentLayout(join(root, segmentFile('cam', start))))!.durationMs;
    expect(fileMs).toBeGreaterThan(2900); // 75 frames of 40 ms, as ffprobe reads them
    expect(fileMs).toBeLessThan(3100);
    for (const c of cases) {
      const s = indexed().find((x) => x.startMs === c.startMs)!;
      expect(s.endMs - s.startMs, `${c.stream} ${c.startMs - start}`).toBe(Math.round(fileMs));
    }
    // the timeline's newest main footage is where the newest main file ends
    expect(svc.status('cam').lastSegmentEndMs).toBe(start + 3000 + Math.round(fileMs));
  }, 60_000);
});
