/**
 * The recorded sub-stream (issue 11, seeks that decode less): which stream a tile wants (one rule for the live wall
 * and review), which recorded stream a player gets for a range, the sub-stream's files in the index (and an index
 * written before sub-streams loading as it was), retention over both, replay's per-stream segment lists.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUB_SIZE, MAIN_DOWN, MAIN_UP, tileWantsMain } from '../../electron/contract/stream-choice.js';
import type { PlaybackSegment } from '../../electron/contract/review-api.js';
import { decideStreams, type StreamDecision } from '../../electron/host/streams/policy.js';
import { parseSegmentFile, segmentFile, type Segment } from '../../electron/host/recording/segment.js';
import { INDEX_FILE, SegmentIndex, scanSegmentFiles } from '../../electron/host/recording/segment-index.js';
import { planRetention } from '../../electron/host/recording/retention.js';
import { coveredMs, recordedStreamFor, SUB_COVER_SLACK_MS } from '../../electron/host/review/stream-pick.js';
import { cachedFootage } from '../../renderer/replay/footage-cache.js';
import { buildGstRecordPipeline } from '../../native/pipelines/gstreamer.js';

const T0 = Date.UTC(2026, 11, 4, 10, 0, 0);
const seg = (cameraId: string, startS: number, stream: 'main' | 'sub' = 'main', lenS = 4, status: Segment['status'] = 'ok'): Segment => ({
  cameraId, startMs: T0 + startS * 1000, endMs: T0 + (startS + lenS) * 1000, file: segmentFile(cameraId, T0 + startS * 1000, stream), bytes: 1000, status,
  ...(stream === 'sub' ? { stream } : {}),
});
const run = (cameraId: string, fromS: number, toS: number, stream: 'main' | 'sub' = 'main') => {
  const out: Segment[] = [];
  for (let s = fromS; s < toS; s += 4) out.push(seg(cameraId, s, stream));
  return out;
};

describe('which stream a tile wants', () => {
  it('sub-stream up to MAIN_UP sub heights, main above; back to sub only at MAIN_DOWN (hysteresis)', () => {
    const sub = DEFAULT_SUB_SIZE.height;
    expect(tileWantsMain(170, sub, false)).toBe(false); // a 4x4 tile
    expect(tileWantsMain(MAIN_UP * sub, sub, false)).toBe(false);
    expect(tileWantsMain(MAIN_UP * sub + 1, sub, false)).toBe(true);
    expect(tileWantsMain(MAIN_UP * sub - 10, sub, true)).toBe(true); // between the two: stays on main
    expect(tileWantsMain(MAIN_DOWN * sub, sub, true)).toBe(false);
    expect(tileWantsMain(900, sub, false)).toBe(true); // maximised
  });

  it('is the live wall policy\'s rule: the policy picks the same stream for every tile height', () => {
    for (const wasMain of [false, true]) {
      for (let h = 40; h <= 1000; h += 10) {
        const previous: Record<string, StreamDecision> = wasMain
          ? { c: { profile: 'main', width: 1280, height: 720, keyframeOnly: false, pinned: false, downgrade: null, decision: [], streamWidth: 1280, costPct: 0, unseenSince: null } } : {};
        const d = decideStreams({ demands: [{ cameraId: 'c', width: Math.round((h * 16) / 9), height: h }], cameras: { c: { hasSub: true } }, previous, now: 0, cores: 2 });
        expect(d.c?.profile === 'main', `${h} px, was main: ${wasMain}`).toBe(tileWantsMain(h, DEFAULT_SUB_SIZE.height, wasMain));
      }
    }
  });
});

describe('which recorded stream a player gets', () => {
  const main = run('a', 0, 120);
  it('main when main is asked, sub when the sub-stream covers the range as main does', () => {
    expect(recordedStreamFor('main', main, run('a', 0, 120, 'sub'), T0, T0 + 120_000)).toBe('main');
    expect(recordedStreamFor('sub', main, run('a', 0, 120, 'sub'), T0, T0 + 120_000)).toBe('sub');
    // its connection started a segment later: within the slack
    expect(recordedStreamFor('sub', main, run('a', 4, 120, 'sub'), T0, T0 + 120_000)).toBe('sub');
  });
  it('main where the sub-stream misses footage main has (switched on later, failed a while) or has none', () => {
    expect(recordedStreamFor('sub', main, [], T0, T0 + 120_000)).toBe('main');
    expect(recordedStreamFor('sub', main, run('a', 60, 120, 'sub'), T0, T0 + 120_000)).toBe('main');
    expect(recordedStreamFor('sub', main, run('b', 0, 120, 'sub').map((s) => ({ ...s, cameraId: 'a' })).filter((s) => s.startMs >= T0 + 200_000), T0, T0 + 120_000)).toBe('main');
    // a damaged sub-stream file is no footage
    const damaged = run('a', 0, 120, 'sub').map((s, i) => (i < 4 ? { ...s, status: 'corrupt' as const } : s));
    expect(coveredMs(damaged, T0, T0 + 120_000)).toBe(120_000 - 16_000);
    expect(recordedStreamFor('sub', main, damaged, T0, T0 + 120_000)).toBe('main');
    expect(16_000).toBeGreaterThan(SUB_COVER_SLACK_MS);
  });
  it('counts overlapping segments once', () => {
    expect(coveredMs([seg('a', 0, 'main', 6), seg('a', 4)], T0, T0 + 60_000)).toBe(8000);
  });
});

describe('sub-stream files in the index', () => {
  const root = mkdtempSync(join(tmpdir(), 'kuzet-subidx-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a sub-stream file is <camera>/sub/<day>/<start>.mp4; a camera named sub is still a camera', () => {
    expect(segmentFile('gate-1', T0, 'sub')).toBe(`gate-1/sub/2026-12-04/${T0}.mp4`);
    expect(parseSegmentFile(segmentFile('gate-1', T0, 'sub'))).toEqual({ cameraId: 'gate-1', startMs: T0, stream: 'sub' });
    expect(parseSegmentFile(segmentFile('sub', T0))).toEqual({ cameraId: 'sub', startMs: T0, stream: 'main' });
    expect(parseSegmentFile(`gate-1/main/2026-12-04/${T0}.mp4`)).toBeNull();
  });

  it('loads a journal written before sub-streams (no stream field) without loss, the stream from each path', async () => {
    const segs = [...run('cam', 0, 16), ...run('cam', 0, 16, 'sub').map(({ stream: _s, ...old }) => old)]; // no field at all
    for (const s of segs) { mkdirSync(dirname(join(root, s.file)), { recursive: true }); writeFileSync(join(root, s.file), 'x'); }
    writeFileSync(join(root, INDEX_FILE), segs.map((s) => JSON.stringify({ add: s })).join('\n') + '\n');
    expect(scanSegmentFiles(root)).toHaveLength(8);
    const index = new SegmentIndex(root);
    expect(await index.open()).toEqual({ added: 0, dropped: 0 });
    expect(index.camera('cam').map((s) => s.startMs)).toEqual(run('cam', 0, 16).map((s) => s.startMs));
    expect(index.camera('cam').every((s) => s.stream === undefined && !s.file.includes('/sub/'))).toBe(true);
    expect(index.camera('cam', 'sub').map((s) => s.stream)).toEqual(['sub', 'sub', 'sub', 'sub']);
    expect(index.cameras()).toEqual(['cam']);
    expect(index.size).toBe(8);
    // a sub-stream segment the recorder reports without its stream field is filed by its path, and survives a reopen
    const late = seg('cam', 16, 'sub');
    mkdirSync(dirname(join(root, late.file)), { recursive: true });
    writeFileSync(join(root, late.file), 'x');
    const { stream: _s, ...bare } = late;
    index.add(bare);
    expect(index.camera('cam', 'sub')).toHaveLength(5);
    expect(readFileSync(join(root, INDEX_FILE), 'utf8')).toContain('"stream":"sub"');
    const again = new SegmentIndex(root);
    await again.open();
    expect(again.camera('cam')).toHaveLength(4);
    expect(again.camera('cam', 'sub')).toHaveLength(5);
    // deleting one stream's segment leaves the other's
    again.delete(late.file);
    expect(again.camera('cam', 'sub')).toHaveLength(4);
    expect(again.camera('cam')).toHaveLength(4);
  });
});

describe('retention over both streams', () => {
  it('one quota for main and sub: the oldest of either goes first', () => {
    const segs = [...run('a', 0, 40), ...run('a', 0, 40, 'sub').map((s) => ({ ...s, bytes: 250 }))];
    const plan = planRetention({ segments: segs, locks: [], now: T0 + 60_000, maxAgeMs: 86_400_000, quotaBytes: 6250, mustFreeBytes: 0 });
    const gone = new Set(plan.delete.map((s) => s.file));
    // the first 5 slots of both streams (5 x 1250 bytes) go, nothing newer
    expect(plan.delete.filter((s) => s.stream === 'sub')).toHaveLength(5);
    expect(plan.delete.filter((s) => s.stream === undefined)).toHaveLength(5);
    for (const s of segs) expect(gone.has(s.file)).toBe(s.startMs < T0 + 20_000);
    // an evidence lock keeps both streams of its camera
    const locked = planRetention({ segments: segs, locks: [{ cameraIds: ['a'], fromMs: T0, toMs: T0 + 8000 }], now: T0 + 60_000, maxAgeMs: 86_400_000, quotaBytes: 6250, mustFreeBytes: 0 });
    expect(locked.delete.some((s) => s.startMs < T0 + 8000)).toBe(false);
  });
});

describe("replay's segment lists per stream", () => {
  it('asks and keeps the sub-stream list apart from the main one, and says which stream it lists', async () => {
    const asked: string[] = [];
    const list = (stream: 'main' | 'sub'): PlaybackSegment[] => run('a', 0, 40).map((s) => ({ startMs: s.startMs, endMs: s.endMs, bytes: 1, url: `/rec/${stream === 'sub' ? 'sub' : 'seg'}/a/${s.startMs}.mp4` }));
    const footage = cachedFootage({
      segments: (cameraId, f, t, stream = 'main') => { asked.push(stream); return Promise.resolve({ segments: list(stream), nextMs: null, stream }); },
      timeline: () => Promise.resolve([]),
    }, T0, T0 + 40_000);
    const sub = await footage.segments('a', T0, T0 + 10_000, 'sub');
    const main = await footage.segments('a', T0, T0 + 10_000, 'main');
    await footage.segments('a', T0 + 10_000, T0 + 20_000, 'sub');
    expect(sub.stream).toBe('sub');
    expect(sub.segments[0]!.url).toMatch(/^\/rec\/sub\//);
    expect(main.stream).toBe('main');
    expect(main.segments[0]!.url).toMatch(/^\/rec\/seg\//);
    expect(asked).toEqual(['sub', 'main']); // each list once
  });
});

describe("the sub-stream's pipeline", () => {
  it('receives and parses to the recording tee, and decodes nothing', () => {
    for (const codec of ['h264', 'h265'] as const) {
      const p = buildGstRecordPipeline(codec);
      expect(p).toMatch(/^rtspsrc name=src ! \S+ name=depay ! \S+ name=parse.* ! tee name=rec$/);
      expect(p).toContain(codec === 'h264' ? 'rtph264depay' : 'rtph265depay');
      expect(p).not.toMatch(/dec|appsink|scale/);
    }
  });
});
