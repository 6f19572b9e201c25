/**
 * A hover thumbnail (or alarm still) at a moment in a segment's last milliseconds. A segment's indexed end is its
 * wall-clock end, a few milliseconds after its last frame: a seek to 2.979 s of a 3 s, 25 fps file is past its last frame
 * (2.96 s), and ffmpeg then writes no picture. CI saw it as a 404 "nothing recorded then" on a replay's thumbnail.
 * The still at such a moment is the last frame, as the player shows it; real ffmpeg on a real H.264 file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskedStill } from '../../electron/host/masks/mask-burn.js';

let dir: string;
let clip: string;

/** The still's picture as 32x18 grey levels (JPEG noise aside, equal pictures give near-equal levels). */
function grey(file: string): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'scale=32:18', '-pix_fmt', 'gray', '-f', 'rawvideo', '-'], { maxBuffer: 1 << 20 });
}
const meanAbs = (a: Buffer, b: Buffer) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-still-'));
  clip = join(dir, 'seg.mp4');
  // a counter that changes every frame: each frame's picture differs from the others
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', '-t', '3', '-c:v', 'libx264', '-g', '25', '-pix_fmt', 'yuv420p', '-y', clip]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a still in the last milliseconds of a segment', () => {
  it('is the last frame, with and without masks; a moment inside is that moment\'s frame', async () => {
    const at = (name: string) => join(dir, name);
    await maskedStill(clip, 2.96, at('last.jpg'), [], 160);
    await maskedStill(clip, 2.979, at('end.jpg'), [], 160);
    await maskedStill(clip, 1.5, at('mid.jpg'), [], 160);
    for (const n of ['last.jpg', 'end.jpg', 'mid.jpg']) expect(existsSync(at(n)), n).toBe(true);
    expect(meanAbs(grey(at('end.jpg')), grey(at('last.jpg')))).toBeLessThan(2);
    expect(meanAbs(grey(at('mid.jpg')), grey(at('last.jpg')))).toBeGreaterThan(5); // a different picture: the check can fail

    const mask = [[{ x: 0.1, y: 0.1 }, { x: 0.5, y: 0.1 }, { x: 0.5, y: 0.5 }, { x: 0.1, y: 0.5 }]];
    await maskedStill(clip, 2.96, at('last-m.jpg'), mask, 160);
    await maskedStill(clip, 2.999, at('end-m.jpg'), mask, 160);
    expect(meanAbs(grey(at('end-m.jpg')), grey(at('last-m.jpg')))).toBeLessThan(2);
    expect(meanAbs(grey(at('end-m.jpg')), grey(at('end.jpg')))).toBeGreaterThan(2); // the mask is painted
    expect(readFileSync(at('end-m.jpg')).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('a file with no picture is an error, never an empty answer', async () => {
    const empty = join(dir, 'empty.mp4');
    await expect(maskedStill(empty, 1, join(dir, 'none.jpg'), [], 160)).rejects.toThrow();
    expect(existsSync(join(dir, 'none.jpg'))).toBe(false);
  });
});
