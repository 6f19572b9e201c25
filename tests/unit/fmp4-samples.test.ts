/**
 * The fMP4 demux of the seek's poster (renderer/review/fmp4-samples.ts) against files written here by FFmpeg (the bench's
 * `empty_moov` recordings, with and without `default_base_moof`; one with B-frames) and by GStreamer's mp4mux
 * (fragmented, as the recorder writes them; when gst-launch-1.0 is there), compared with ffprobe's packets.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fmp4Samples, samplesFor, type Fmp4Video } from '../../renderer/review/fmp4-samples.js';
import { ROOT } from '../support/harness.js';

const clip = join(ROOT, 'resources', 'clips', 'park-360p.h264');
let dir = '';
const files: Record<string, string> = {};
const hasGst = (() => { try { execFileSync('gst-launch-1.0', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-fmp4-'));
  const ff = (name: string, args: string[]) => { files[name] = join(dir, `${name}.mp4`); execFileSync('ffmpeg', ['-v', 'error', '-fflags', '+genpts', '-r', '25', '-i', clip, '-frames:v', '60', ...args, '-f', 'mp4', '-y', files[name]!]); };
  ff('moofBase', ['-c', 'copy', '-movflags', 'frag_keyframe+empty_moov+default_base_moof']);
  ff('absoluteBase', ['-c', 'copy', '-movflags', 'frag_keyframe+empty_moov']);
  ff('bFrames', ['-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '2', '-g', '25', '-s', '320x180', '-movflags', 'frag_keyframe+empty_moov+default_base_moof']);
  if (hasGst) {
    const src = join(dir, 'src.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-fflags', '+genpts', '-r', '25', '-i', clip, '-frames:v', '60', '-c', 'copy', '-y', src]);
    files.gst = join(dir, 'gst.mp4');
    execFileSync('gst-launch-1.0', ['-q', 'filesrc', `location=${src}`, '!', 'qtdemux', '!', 'h264parse', '!', 'mp4mux', 'fragment-duration=1000', 'streamable=true', '!', 'filesink', `location=${files.gst}`]);
  }
}, 60_000);
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** ffprobe's packets: pts, dts (time base units), size, key. */
function probe(file: string): Array<{ pts: number; dts: number; size: number; key: boolean }> {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,dts,size,flags', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return out.trim().split('\n').map((l) => { const [pts, dts, size, flags] = l.split(','); return { pts: Number(pts), dts: Number(dts), size: Number(size), key: flags!.startsWith('K') }; });
}
function timeBase(file: string): number {
  const [n, d] = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=time_base', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim().split('/').map(Number);
  return n! / d!;
}
function video(bytes: Uint8Array): Fmp4Video {
  const r = fmp4Samples(bytes);
  if (!r.ok) throw new Error(r.error);
  return r.video;
}
/** Box offsets of the top-level boxes of type t. */
function topBoxes(b: Uint8Array, t: string): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let o = 0; o + 8 <= b.length; o += v.getUint32(o)) if (String.fromCharCode(...b.subarray(o + 4, o + 8)) === t) out.push(o);
  return out;
}

describe('fmp4Samples (the seek poster\'s demux)', () => {
  for (const name of ['moofBase', 'absoluteBase', 'bFrames', 'gst']) {
    it.skipIf(name === 'gst' && !hasGst)(`reads every sample of ${name} as ffprobe does (count, sizes, key flags, times)`, () => {
      const file = files[name]!;
      const bytes = new Uint8Array(readFileSync(file));
      const v = video(bytes);
      const want = probe(file);
      const tb = timeBase(file);
      expect(v.samples.length).toBe(want.length);
      expect(v.codec).toMatch(/^avc1\.[0-9a-f]{6}$/);
      expect(v.description[0]).toBe(1); // AVCDecoderConfigurationRecord version
      expect([v.width, v.height]).toEqual(name === 'bFrames' ? [320, 180] : [640, 360]);
      expect(v.samples.map((s) => s.data.length)).toEqual(want.map((p) => p.size));
      expect(v.samples.map((s) => s.key)).toEqual(want.map((p) => p.key));
      // times in seconds, relative to the first sample's (ffprobe shifts both by an edit list's start)
      const sec = (x: number) => Math.round((x / v.timescale) * 1e4) / 1e4;
      const fsec = (x: number) => Math.round(x * tb * 1e4) / 1e4;
      expect(v.samples.map((s) => sec(s.pts - v.samples[0]!.pts))).toEqual(want.map((p) => fsec(p.pts - want[0]!.pts)));
      expect(v.samples.map((s) => sec(s.dts - v.samples[0]!.dts))).toEqual(want.map((p) => fsec(p.dts - want[0]!.dts)));
      // each sample's bytes are AVC NAL units with 4-byte lengths that add up to the sample
      for (const s of v.samples) {
        let o = 0;
        while (o < s.data.length) o += 4 + new DataView(s.data.buffer, s.data.byteOffset + o).getUint32(0);
        expect(o).toBe(s.data.length);
      }
      if (name === 'bFrames') expect(v.samples.some((s) => s.pts !== s.dts)).toBe(true);
    });
  }

  it('reads a seek\'s part (the init and the fragments from a later key frame on, cut out of the file) with an absolute base offset', () => {
    for (const name of ['absoluteBase', 'moofBase']) {
      const bytes = new Uint8Array(readFileSync(files[name]!));
      const whole = video(bytes);
      const moofs = topBoxes(bytes, 'moof');
      expect(moofs.length).toBeGreaterThan(1);
      const part = new Uint8Array([...bytes.subarray(0, moofs[0]!), ...bytes.subarray(moofs[1]!)]);
      const v = video(part);
      const skipped = whole.samples.length - v.samples.length;
      expect(skipped).toBe(25); // one GOP a fragment (frag_keyframe)
      expect(v.samples[0]!.key).toBe(true);
      expect(v.samples.map((s) => [s.pts, s.dts, s.key, Buffer.from(s.data).toString('base64')])).toEqual(whole.samples.slice(skipped).map((s) => [s.pts, s.dts, s.key, Buffer.from(s.data).toString('base64')]));
    }
  });

  it('says what is wrong with a truncated or foreign file instead of throwing', () => {
    const bytes = new Uint8Array(readFileSync(files.moofBase!));
    const moof = topBoxes(bytes, 'moof');
    for (const cut of [100, moof[0]! - 10, moof[0]! + 50, bytes.length - 1000]) {
      const r = fmp4Samples(bytes.subarray(0, cut));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/cut short|no moov/);
    }
    expect(fmp4Samples(new Uint8Array(0)).ok).toBe(false);
    expect(fmp4Samples(new Uint8Array(64).fill(0xff)).ok).toBe(false);
    expect(fmp4Samples(Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) & 255)).ok).toBe(false);
  });

  it('picks the key frame before a moment and the samples up to the picture shown then', () => {
    const v = video(new Uint8Array(readFileSync(files.bFrames!)));
    const fps = v.timescale / 25; // one frame in timescale units
    const pts0 = v.samples[0]!.pts;
    // frame 30 (shown at its pts): GOP from sample 25; with B-frames the samples up to it in decode order include later ones
    const r = samplesFor(v.samples, pts0 + 30 * fps + fps / 2)!;
    expect(r.from).toBe(25);
    expect(v.samples[r.target]!.pts).toBe(pts0 + 30 * fps);
    for (let i = r.from; i < v.samples.length && !(i > r.from && v.samples[i]!.key); i++) if (v.samples[i]!.pts <= v.samples[r.target]!.pts) expect(i).toBeLessThanOrEqual(r.to);
    expect(samplesFor(v.samples, pts0 - 1)).toBeNull();
  });
});
