/**
 * A stretch of recorded segments becomes one MP4 on the recording's clock (electron/host/export/fmp4-concat.ts): a
 * picture t ms into the file was captured t ms after the file's start, also across the few ms to a second a stretch
 * may skip between two segments. Real fragmented MP4 files written by ffmpeg, the real concatenation, ffprobe on the
 * result. (Squeezing the gaps out made an imported incident's replay drift a frame or more behind the recording.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatFmp4 } from '../../electron/host/export/fmp4-concat.js';

let dir: string;

/** `seconds` of 25 fps H.264 as fragmented MP4, one fragment (starting with a key frame) a second. */
function segment(name: string, seconds: number): string {
  const out = join(dir, `${name}.mp4`);
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast',
    '-g', '25', '-keyint_min', '25', '-sc_threshold', '0', '-movflags', 'empty_moov+default_base_moof', '-frag_duration', '1000000', '-y', out]);
  return out;
}

/** Decode times (ms from the first) of every frame in a file, by ffprobe. */
function decodeTimes(path: string): number[] {
  const csv = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=dts_time', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  const t = csv.trim().split('\n').filter(Boolean).map((l) => Number(l) * 1000);
  return t.map((x) => x - t[0]!);
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'kuzet-export-clock-')); });
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe('export on the recording\'s clock', () => {
  it('keeps the capture-time gaps between segments of a stretch, and plays straight through where there are none', async () => {
    const a = segment('a', 3), b = segment('b', 3), c = segment('c', 3);
    const t0 = 1_700_000_000_000;
    // b starts 120 ms (three frames) after a ends, c right after b
    const sources = [{ path: a, startMs: t0 }, { path: b, startMs: t0 + 3000 + 120 }, { path: c, startMs: t0 + 6120 }];
    const out = join(dir, 'out.mp4');
    const r = await concatFmp4(sources, t0, t0 + 10_000, out);
    expect(r.startMs).toBe(t0);
    expect(r.endMs).toBe(t0 + 9120);
    const times = decodeTimes(out);
    expect(times.length).toBe(225);
    // frame k of segment s at its segment's capture start + 40 k
    const want = [0, 3120, 6120].flatMap((s) => Array.from({ length: 75 }, (_, k) => s + 40 * k));
    times.forEach((t, i) => expect(Math.abs(t - want[i]!), `frame ${i}`).toBeLessThan(1));
    // the check can fail: without the gap, frame 75 would be at 3000
    expect(times[75]! - times[74]!).toBeCloseTo(160, 0);
  });

  it('never goes back in time when a segment starts before the previous one ends', async () => {
    const a = segment('d', 2), b = segment('e', 2);
    const t0 = 1_700_000_100_000;
    const out = join(dir, 'overlap.mp4');
    await concatFmp4([{ path: a, startMs: t0 }, { path: b, startMs: t0 + 1990 }], t0, t0 + 10_000, out);
    const times = decodeTimes(out);
    expect(times.length).toBe(100);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!, `frame ${i}`).toBeCloseTo(40, 0);
  });
});
