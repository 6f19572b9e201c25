/** The MSE player's buffer plan and codec string, and the burn-in filter graph (pure parts of issue 4's playback and export). */
import { describe, expect, it } from 'vitest';
import { codecOf, continues, evictCut, planBuffer, segmentAt } from '../../renderer/review/segment-plan.js';
import { burnInGraph, timestampTemplate } from '../../electron/host/export/burn-in.js';

const seg = (startMs: number, endMs = startMs + 4000) => ({ startMs, endMs, url: `/rec/seg/c/${startMs}.mp4`, bytes: 1 });
const day = [seg(0), seg(4000), seg(8000), seg(12_000), seg(16_000), seg(30_000), seg(34_000)];

describe('MSE buffer plan', () => {
  it('wants the segment under the playhead first, then along the playback direction', () => {
    expect(planBuffer(day, 5000, 1, true).want.map((s) => s.startMs)).toEqual([4000, 8000, 12_000, 0]);
    // reverse: the earlier ones come before the later ones
    expect(planBuffer(day, 13_000, -1, true).want.map((s) => s.startMs).slice(0, 3)).toEqual([12_000, 8000, 4000]);
    // 16x looks a minute ahead
    expect(planBuffer(day, 1000, 16, true).want.map((s) => s.startMs)).toContain(34_000);
  });

  it('knows gaps and where a stretch ends', () => {
    expect(segmentAt(day, 25_000)).toBeNull();
    expect(segmentAt(day, 19_990)?.startMs).toBe(16_000);
    expect(continues(day, day[0]!)).toBe(true);
    expect(continues(day, day[4]!)).toBe(false);
    const p = planBuffer(day, 25_000, 1, false);
    expect(p.want.map((s) => s.startMs)).toEqual([30_000]); // in a gap: the next footage, ready to play into
    expect(p.keepFromMs).toBeLessThan(25_000);
    expect(p.keepToMs).toBeGreaterThan(25_000);
  });

  it('reads the codec string of an MP4 init segment', () => {
    const b = new Uint8Array(64);
    b.set([0x61, 0x76, 0x63, 0x43, 0x01, 0x64, 0x00, 0x1f], 20);
    expect(codecOf(b)).toBe('avc1.64001f');
    expect(codecOf(new Uint8Array(64))).toBeNull();
  });
});

describe('eviction beside a seek', () => {
  const base = 1_000;
  it('removes what lies outside the kept window, from the origin or to the end of everything buffered', () => {
    expect(evictCut('before', [60_000, 90_000], [60_000, 90_000], [20_000, 200_000], base)).toEqual([base, 60_000]);
    expect(evictCut('after', [60_000, 90_000], [60_000, 90_000], [20_000, 200_000], base)).toEqual([90_000, Infinity]);
  });

  it('spares what the clock keeps when the cut starts (a seek came after the eviction was planned)', () => {
    // a seek back into the part planned for removal: the cut stops where the new window starts
    expect(evictCut('before', [60_000, 90_000], [30_000, 50_000], [20_000, 200_000], base)).toEqual([base, 30_000]);
    // a seek forward past the window: the cut after it starts where the new window ends
    expect(evictCut('after', [60_000, 90_000], [150_000, 170_000], [20_000, 200_000], base)).toEqual([170_000, Infinity]);
    // (the old rule removed [base, 60 s] and [90 s, end]: the new moment's footage with it)
  });

  it('cuts nothing where less than half a second lies on that side', () => {
    expect(evictCut('before', [60_000, 90_000], [60_000, 90_000], [59_700, 89_000], base)).toBeNull();
    expect(evictCut('after', [60_000, 90_000], [60_000, 90_000], [59_700, 90_400], base)).toBeNull();
    expect(evictCut('after', [60_000, 90_000], [150_000, 170_000], [20_000, 170_200], base)).toBeNull();
  });
});

describe('burn-in graph', () => {
  const job = { cameraId: 'cam', name: 'cam_x.mp4', startMs: 1_764_461_533_250, endMs: 1_764_461_543_250 };
  it('draws time stamp, watermark and boxes with every text in files, never in the graph', () => {
    const evil = "x',drawtext=text='pwned':enable='1";
    const { graph, texts } = burnInGraph(job, { timestamp: true, watermark: evil, overlays: true },
      [{ atMs: job.startMs + 2000, label: evil, boxes: [{ x: 0.1, y: 0.2, w: 0.3, h: 0.4 }] }, { atMs: job.endMs + 5000, label: 'later', boxes: [{ x: 0, y: 0, w: 1, h: 1 }] }]);
    expect(graph).not.toContain('pwned');
    expect([...texts.values()]).toContain(evil);
    expect(graph).toContain("drawbox=x=iw*0.1000:y=ih*0.2000:w=iw*0.3000:h=ih*0.4000");
    expect(graph).toContain("enable='between(t,2.000,3.000)'");
    expect(graph.match(/drawbox/g)).toHaveLength(1); // the event after the file is not drawn
    expect([...texts.keys()].every((n) => /^t\d+\.txt$/.test(n))).toBe(true);
    expect(timestampTemplate(job.startMs)).toBe('%{pts:gmtime:1764461533.250:%Y-%m-%d %H\\:%M\\:%S}.%{eif:mod(floor((t+0.250)*1000),1000):d:3} UTC');
  });
  it('with nothing to draw passes the picture through', () => {
    expect(burnInGraph(job, { timestamp: false, watermark: '', overlays: false }, []).graph.trim()).toBe('null');
  });
});
