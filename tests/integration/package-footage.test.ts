/**
 * An imported incident plays the package's own video (issue 11 §1): a simulator camera records on console A, an
 * incident of it is packaged; console B (fresh data dir, no recordings) imports the .tar, the package's source is
 * deleted, and B's replay footage of that camera is pieces of the package's MP4s served under /rec/pkg/ with the
 * session token, whose decoded pictures (luma and chroma, decoded by ffmpeg) are A's recorded pictures at the same
 * moments. Paths that are not indexed pieces, and a request without the token, are refused.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlaybackSegment } from '../../electron/contract/review-api.js';
import { utcDay } from '../../electron/host/recording/segment.js';
import { consolesWithCamera } from '../support/consoles.js';
import { pictureError, THUMB_FILTER, thumbsOfYuv444, type Thumb } from '../support/pictures.js';
import { waitFor } from '../support/harness.js';
import { addRecordedCameras } from '../support/recording.js';

const CAM = 'cam-extra-01';
const { consoles, sim } = consolesWithCamera();
const tmp = (prefix: string) => consoles.tmp(prefix);

const startConsole = (dataDir: string) => consoles.start(dataDir);
const stopConsole = () => consoles.stop();

/** The picture `offsetMs` into an MP4 (and the next two), as 64x36 YUV thumbnails decoded by ffmpeg. */
function picturesAt(file: string, offsetMs: number): Thumb[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-ss', (offsetMs / 1000).toFixed(3), '-i', file, '-frames:v', '3', '-vf', THUMB_FILTER, '-f', 'rawvideo', '-'], { maxBuffer: 64 * 1024 * 1024 });
  return thumbsOfYuv444(new Uint8Array(raw));
}
/** The smallest error of a picture against a few neighbouring pictures (a millisecond rounding may shift one frame). */
const nearest = (p: Thumb, others: Thumb[]) => others.map((o) => pictureError(p, o)).sort((a, b) => a.luma + a.chroma - b.luma - b.chroma)[0]!;
/** The segment holding moment t; in a gap of a few ms between two (segments start at their capture time), the one before. */
const containing = (segs: PlaybackSegment[], t: number) => segs.find((s) => s.startMs <= t && t < s.endMs) ?? segs.filter((s) => s.startMs <= t).at(-1);


describe('imported incident video', () => {
  it('plays the package\'s MP4s on a console without recordings, picture for picture as recorded', async () => {
    const dataA = tmp('kuzet-pkgv-a-');
    const a = await startConsole(dataA);
    const user = consoles.shell!.info.user ?? 'admin';
    await addRecordedCameras(a, sim(), [CAM]);
    // whole segments inside the incident (the export cuts on fragments), more than one piece of the package's
    // video (pieces of 30 s): wait for the span, not a count of segments, whose lengths vary a little
    let recorded: PlaybackSegment[] = [];
    await waitFor('over 34 s of whole recorded segments', async () => {
      const now = Date.now();
      recorded = (await a.call('playback.segments', { cameraId: CAM, fromMs: now - 600_000, toMs: now })).segments;
      return recorded.length >= 4 && recorded.at(-2)!.endMs - recorded[1]!.startMs > 34_000;
    }, 150_000, 1000);
    const fromMs = recorded[1]!.startMs;
    const toMs = recorded.at(-2)!.endMs;
    expect(toMs - fromMs).toBeGreaterThan(32_000);
    const incident = await a.call('replay.incidents.create', { name: 'package video', fromMs, toMs, cameraIds: [CAM], operator: user });
    // this console's own incident replays its recordings, through the same route
    const own = await a.call('replay.footage.segments', { id: incident.id, cameraId: CAM, fromMs, toMs });
    expect(own.segments[0]?.url).toMatch(new RegExp(`^/rec/seg/${CAM}/`));
    const pkg = await a.call('replay.packages.create', { id: incident.id, operator: user, archive: true });
    await stopConsole();
    // A's recorded files, read from its data dir (the console is gone; B never sees them)
    const recordedFile = (s: PlaybackSegment) => join(dataA, 'recordings', CAM, utcDay(s.startMs), `${s.startMs}.mp4`);

    const dataB = tmp('kuzet-pkgv-b-');
    const b = await startConsole(dataB);
    const token = consoles.shell!.info.token;
    const origin = consoles.shell!.info.origin;
    expect((await b.call('playback.segments', { cameraId: CAM, fromMs, toMs })).segments).toEqual([]); // nothing recorded here
    await b.call('replay.packages.import', { path: pkg.archive!, operator: user });
    rmSync(pkg.dir, { recursive: true });
    rmSync(pkg.archive!);

    const footage = await b.call('replay.footage.segments', { id: incident.id, cameraId: CAM, fromMs, toMs });
    expect(footage.segments.length).toBeGreaterThanOrEqual(2); // cut into pieces of about 30 s
    for (const s of footage.segments) expect(s.url).toBe(`/rec/pkg/${incident.id}/${CAM}/${s.startMs}.mp4`);
    expect(footage.segments[0]!.startMs).toBeLessThanOrEqual(fromMs + 1000);
    expect(footage.segments.at(-1)!.endMs).toBeGreaterThanOrEqual(toMs - 1500);
    const timeline = await b.call('replay.footage.timeline', { id: incident.id, cameraIds: [CAM], fromMs, toMs });
    const recordedMs = timeline[0]!.spans.filter((x) => x.kind === 'recorded').reduce((n, x) => n + x.endMs - x.startMs, 0);
    expect(recordedMs).toBeGreaterThan((toMs - fromMs) * 0.9);

    // every piece is served with the token (whole, and its at/rest parts add up to it); nothing else is
    const dl = tmp('kuzet-pkgv-dl-');
    const pieceFile = new Map<number, string>();
    for (const s of footage.segments) {
      const r = await fetch(`${origin}${s.url}?token=${token}`);
      expect(r.status, s.url).toBe(200);
      const body = Buffer.from(await r.arrayBuffer());
      expect(body.length).toBe(s.bytes);
      const f = join(dl, `${s.startMs}.mp4`);
      writeFileSync(f, body);
      pieceFile.set(s.startMs, f);
    }
    const first = footage.segments[0]!;
    const at = Buffer.from(await (await fetch(`${origin}${first.url}?token=${token}&at=5000`)).arrayBuffer());
    const rest = Buffer.from(await (await fetch(`${origin}${first.url}?token=${token}&rest=5000`)).arrayBuffer());
    expect(at.length).toBeLessThan(first.bytes / 2);
    expect(rest.length).toBeGreaterThan(first.bytes / 2);
    expect((await fetch(`${origin}${first.url}`)).status).toBe(403); // no token
    expect((await fetch(`${origin}/rec/pkg/${incident.id}/${CAM}/${first.startMs + 1}.mp4?token=${token}`)).status).toBe(404); // not a piece
    expect((await fetch(`${origin}/rec/pkg/nope/${CAM}/${first.startMs}.mp4?token=${token}`)).status).toBe(404);
    expect((await fetch(`${origin}/rec/pkg/${incident.id}/..%2F${CAM}/${first.startMs}.mp4?token=${token}`)).status).toBe(404);

    // the pictures: at moments spread over the incident, B's piece decodes to A's recorded picture
    const moments = Array.from({ length: 6 }, (_, k) => Math.round(fromMs + 1500 + ((toMs - fromMs - 3000) * k) / 5));
    const errors: string[] = [];
    for (const t of moments) {
      const piece = containing(footage.segments, t)!;
      const seg = containing(recorded, t)!;
      expect(piece, `a piece at ${t}`).toBeDefined();
      const shown = picturesAt(pieceFile.get(piece.startMs)!, t - piece.startMs)[0]!;
      const same = nearest(shown, picturesAt(recordedFile(seg), Math.max(0, t - seg.startMs - 40)));
      // the simulator loops a 10 s clip: 2.5 s away is another picture of the same camera
      const away = t + 2_500 < toMs ? 2_500 : -2_500;
      const later = containing(recorded, t + away)!;
      const other = nearest(shown, picturesAt(recordedFile(later), Math.max(0, t + away - later.startMs - 40)));
      errors.push(`${t - fromMs}: same ${same.luma.toFixed(2)}/${same.chroma.toFixed(2)}, 2.5 s away ${other.luma.toFixed(2)}/${other.chroma.toFixed(2)}`);
      expect(same.luma, errors.at(-1)).toBeLessThan(1); // the same H.264 samples: the same picture
      expect(same.chroma, errors.at(-1)).toBeLessThan(1);
      expect(other.luma + other.chroma, errors.at(-1)).toBeGreaterThan(same.luma + same.chroma + 1); // the check can fail
    }
    console.log(`package video pictures vs recording (luma/chroma error, 0-255):\n  ${errors.join('\n  ')}`);
  }, 300_000);
});
