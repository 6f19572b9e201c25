// The after-action review's footage (renderer/training/session-footage.ts): the scenario's footage asked for at footage
// time and answered on the session's clock.
import { describe, expect, it } from 'vitest';
import type { Footage } from '../../renderer/review/review-player.js';
import type { ReviewSources } from '../../renderer/review/review-sources.js';
import { sessionFootage, sessionSources } from '../../renderer/training/session-footage.js';

const SHIFT = 600_000; // the session started 10 minutes after its footage's start

describe('a training session\'s footage in its review', () => {
  it('asks for the segments and timeline SHIFT earlier and answers them on the session\'s clock, without the footage\'s own marks', async () => {
    const asked: unknown[] = [];
    const inner: Footage = {
      segments: async (cameraId, fromMs, toMs, stream) => {
        asked.push({ cameraId, fromMs, toMs, stream });
        return { segments: [{ startMs: 1000, endMs: 5000, url: '/rec/a/1000.mp4', bytes: 10 }], nextMs: 9000, stream: 'sub' };
      },
      timeline: async (cameraIds, fromMs, toMs) => {
        asked.push({ cameraIds, fromMs, toMs });
        return [{ cameraId: 'a', spans: [{ startMs: 1000, endMs: 5000, kind: 'recorded' }], markers: [{ id: 'm', cameraId: 'a', kind: 'alarm', atMs: 2000, label: 'x' } as never] }];
      },
    };
    const f = sessionFootage(inner, SHIFT);
    const r = await f.segments('a', SHIFT + 1000, SHIFT + 5000, 'sub');
    expect(asked[0]).toEqual({ cameraId: 'a', fromMs: 1000, toMs: 5000, stream: 'sub' });
    expect(r).toEqual({ segments: [{ startMs: SHIFT + 1000, endMs: SHIFT + 5000, url: '/rec/a/1000.mp4', bytes: 10 }], nextMs: SHIFT + 9000, stream: 'sub' });
    const none = await sessionFootage({ ...inner, segments: async () => ({ segments: [], nextMs: null }) }, SHIFT).segments('a', 0, 1);
    expect(none.nextMs).toBeNull();
    const t = await f.timeline(['a'], SHIFT, SHIFT + 10_000);
    expect(asked[1]).toEqual({ cameraIds: ['a'], fromMs: 0, toMs: 10_000 });
    expect(t).toEqual([{ cameraId: 'a', spans: [{ startMs: SHIFT + 1000, endMs: SHIFT + 5000, kind: 'recorded' }], markers: [] }]);
    expect(f.preload).toBeUndefined();
  });

  it('shifts the overlays and hover thumbnails the same way; zones and unit tracks are the inner ones', async () => {
    const asked: unknown[] = [];
    const zones = [{ id: 'z' }] as never[];
    const inner: ReviewSources = {
      zones: () => zones,
      events: async (cameraId, fromMs, toMs) => { asked.push([cameraId, fromMs, toMs]); return { events: [{ id: 'e', cameraId, captureTime: 1500, type: 'object', label: 'x', boxes: [] }], truncated: false }; },
      tracks: async (fromMs, toMs) => { asked.push(['tracks', fromMs, toMs]); return { fromMs, toMs, tracks: [], truncated: false }; },
      thumbPath: (cameraId, ms) => `/rec/thumb/${cameraId}/${ms}.jpg`,
    };
    const s = sessionSources(inner, SHIFT);
    const e = await s.events('a', SHIFT + 1000, SHIFT + 2000);
    expect(asked[0]).toEqual(['a', 1000, 2000]);
    expect(e.events[0]!.captureTime).toBe(SHIFT + 1500);
    expect(s.thumbPath('a', SHIFT + 1234)).toBe('/rec/thumb/a/1234.jpg');
    expect(s.zones('a')).toBe(zones);
    await s.tracks(SHIFT, SHIFT + 1);
    expect(asked[1]).toEqual(['tracks', SHIFT, SHIFT + 1]); // the trainee's map showed the live units at the session's time
  });
});
