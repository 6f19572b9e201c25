/**
 * A seek is served the init and the GOP holding its picture (`/rec/seg/…?at=`), the rest of the segment after
 * (`?rest=`): real fragmented MP4 files written by ffmpeg, the real HTTP route, ffprobe on what it sends. A seek of
 * several tiles asks their first parts in one request (`/rec/parts`): the same bytes, one response.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveReviewHttp, type ReviewFiles } from '../../electron/host/review/review-http.js';
import { fragmentsFor, readSegmentLayout } from '../../electron/host/review/segment-layout.js';
import { parseSeekParts, seekPartOf } from '../../electron/contract/seek-parts.js';
import { batchedFootage, fetchBytes, splitParts } from '../../renderer/review/seek-parts.js';

let dir: string;
let server: Server;
let origin: string;
const files: Record<string, string> = {};

/** 4 s of 25 fps H.264 as fragmented MP4, one fragment a second; key frames every gop frames. */
function record(name: string, gop: number): string {
  const out = join(dir, `${name}.mp4`);
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', '-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast',
    '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0', '-movflags', 'empty_moov+default_base_moof', '-frag_duration', '1000000', '-y', out]);
  return out;
}

/** Presentation times (s) and key flags of the frames ffprobe finds in a file. */
function frames(path: string): Array<{ t: number; key: boolean }> {
  const csv = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  return csv.trim().split('\n').filter(Boolean).map((l) => { const [t, f] = l.split(','); return { t: Number(t), key: (f ?? '').startsWith('K') }; }).sort((a, b) => a.t - b.t);
}

async function get(name: string, query: string): Promise<Buffer> {
  const r = await fetch(`${origin}/rec/seg/cam/${name === 'gop1' ? 1000 : 2000}.mp4?token=t${query}`);
  expect(r.status).toBe(200);
  return Buffer.from(await r.arrayBuffer());
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-seg-parts-'));
  files.gop1 = record('gop1', 25); // the simulator's cameras: a key frame every second, each fragment starts with one
  files.gop2 = record('gop2', 50); // a camera with a 2-second GOP: every other fragment starts without a key frame
  files.growing = join(dir, 'growing.mp4');
  copyFileSync(files.gop1, files.growing);
  // a camera without permanent masks: its recorded segments are served as they are
  const clips: ReviewFiles = {
    segmentPath: (_c: string, start: number) => {
      // a segment whose writer is still finishing it: it grows right after the route has looked at its size
      if (start === 3000) { process.nextTick(() => appendFileSync(files.growing!, Buffer.alloc(50_000, 7))); return files.growing ?? null; }
      return start === 1000 ? files.gop1 ?? null : start === 2000 ? files.gop2 ?? null : null;
    },
    masked: () => false,
    thumbnail: () => { throw new Error('no thumbnails in this test'); },
    pathOf: () => null,
    maskedSegment: () => { throw new Error('no masked camera in this test'); },
  };
  server = createServer((req, res) => serveReviewHttp(req, res, clips, (t) => t === 't'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('segment parts for a seek', () => {
  it('reads where each fragment lies and whether it starts with a key frame', async () => {
    const one = (await readSegmentLayout(files.gop1!))!;
    expect(one.fragments.map((f) => Math.round(f.atMs))).toEqual([0, 1000, 2000, 3000]);
    expect(one.fragments.every((f) => f.key)).toBe(true);
    const two = (await readSegmentLayout(files.gop2!))!;
    expect(two.fragments.map((f) => f.key)).toEqual([true, false, true, false]);
    // how long the frames last: to the end of the last frame (100 of 40 ms), as ffprobe counts them
    const last = frames(files.gop1!).at(-1)!.t - frames(files.gop1!)[0]!.t + 0.04;
    expect(one.durationMs).toBeCloseTo(last * 1000, 0);
    expect(two.durationMs).toBeCloseTo(4000, 0);
    // the GOP holding a picture: from its key fragment through the fragment before the next key fragment
    expect(fragmentsFor(one, 2500)).toEqual([2, 2]);
    expect(fragmentsFor(two, 1500)).toEqual([0, 1]);
    expect(fragmentsFor(two, 2000)).toEqual([2, 3]);
    expect(await readSegmentLayout(join(dir, 'none.mp4')).catch(() => 'missing')).toBe('missing');
  });

  it('sends the init and the GOP holding the picture first, then everything else, each byte of media once', async () => {
    const whole = frames(files.gop1!);
    const gop = await get('gop1', '&at=2500');
    const rest = await get('gop1', '&rest=2500');
    expect(gop.length).toBeLessThan(readFileSync(files.gop1!).length / 2);
    writeFileSync(join(dir, 'part-gop.mp4'), gop);
    writeFileSync(join(dir, 'part-rest.mp4'), rest);
    const g = frames(join(dir, 'part-gop.mp4'));
    // a playable file on its own: starts on a key frame, holds the second from 2 s on, in the segment's own time
    expect(g[0]).toEqual({ t: 2, key: true });
    expect(g.length).toBe(25);
    const r = frames(join(dir, 'part-rest.mp4'));
    expect(r.length + g.length).toBe(whole.length);
    expect([...g, ...r].map((f) => f.t).sort((a, b) => a - b)).toEqual(whole.map((f) => f.t));
    // the part after the GOP starts on a key frame too (a MediaSource drops frames after a jump until one)
    expect(r.find((f) => f.t > 2.5)?.key).toBe(true);
  });

  it('a 2-second GOP: the whole GOP, from its key frame', async () => {
    writeFileSync(join(dir, 'part-gop2.mp4'), await get('gop2', '&at=1500'));
    writeFileSync(join(dir, 'part-rest2.mp4'), await get('gop2', '&rest=1500'));
    const g = frames(join(dir, 'part-gop2.mp4'));
    const r = frames(join(dir, 'part-rest2.mp4'));
    expect([g[0], g.length]).toEqual([{ t: 0, key: true }, 50]);
    expect([r[0], r.length]).toEqual([{ t: 2, key: true }, 50]);
  });

  it('sends as many bytes as its Content-Length says, also of a file that grows meanwhile', async () => {
    const before = statSync(files.growing!).size;
    // raw bytes off the socket: an HTTP client stops at the length and hides what follows it on the connection
    const { port } = server.address() as AddressInfo;
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const s = connect(port, '127.0.0.1', () => s.write('GET /rec/seg/cam/3000.mp4?token=t HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      s.on('data', (d: Buffer) => chunks.push(d)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
    });
    const split = raw.indexOf('\r\n\r\n');
    const length = Number(/content-length: (\d+)/i.exec(raw.subarray(0, split).toString('latin1'))?.[1]);
    expect(length).toBe(before);
    expect(statSync(files.growing!).size).toBe(before + 50_000); // it did grow while being sent
    expect(raw.length - split - 4).toBe(length);
  });
});

describe('a seek\'s first parts of several tiles in one request (/rec/parts)', () => {
  const parts = (query: string) => fetch(`${origin}/rec/parts?token=t&${query}`);

  it('sends each asked segment\'s `at` part, byte for byte, in order; -1 for a segment it has not', async () => {
    const r = await parts('p=seg/cam/1000/2500&p=seg/cam/9999/0&p=seg/cam/2000/1500&p=seg/cam/1000/300');
    expect(r.status).toBe(200);
    const lengths = JSON.parse(r.headers.get('x-kuzet-parts') ?? 'null') as number[];
    const want = [await get('gop1', '&at=2500'), null, await get('gop2', '&at=1500'), await get('gop1', '&at=300')];
    expect(lengths).toEqual(want.map((b) => (b ? b.length : -1)));
    const body = Buffer.from(await r.arrayBuffer());
    const got = splitParts(body, lengths, 4);
    expect(got.map((b) => (b ? Buffer.from(b).toString('base64') : null))).toEqual(want.map((b) => (b ? b.toString('base64') : null)));
    expect(Buffer.compare(Buffer.from(got[0]!), Buffer.from(got[3]!))).not.toBe(0); // two GOPs of one file, not one twice
  });

  it('refuses malformed or too many parts, and a wrong token', async () => {
    expect((await parts('p=seg/CAM!/1000/0')).status).toBe(400);
    expect((await parts('p=main/cam/1000/0')).status).toBe(400);
    expect((await parts('')).status).toBe(400);
    expect((await parts(Array.from({ length: 17 }, (_, i) => `p=seg/cam/1000/${i}`).join('&'))).status).toBe(400);
    expect((await fetch(`${origin}/rec/parts?token=x&p=seg/cam/1000/0`)).status).toBe(403);
  });

  it('validates a part with the contract\'s schema, and reads a segment\'s `at` URL back as its part', () => {
    expect(parseSeekParts(['sub/cam-1/1764496860000/500'])).toEqual([{ route: 'sub', cameraId: 'cam-1', startMs: 1764496860000, atMs: 500 }]);
    expect(parseSeekParts(['sub/cam-1/1764496860000/500', 'seg/../1/0'])).toBeNull();
    expect(parseSeekParts([])).toBeNull();
    expect(seekPartOf('/rec/sub/cam-1/1764496860000.mp4?at=500')).toEqual({ route: 'sub', cameraId: 'cam-1', startMs: 1764496860000, atMs: 500 });
    expect(seekPartOf('/rec/seg/cam-1/1764496860000.mp4?rest=500')).toBeNull(); // the rest: fetched alone
    expect(seekPartOf('/rec/pkg/inc-1/cam-1/1764496860000.mp4?at=500')).toBeNull(); // an imported package's piece: alone
    expect(seekPartOf('/rec/seg/cam-1/1764496860000.mp4')).toBeNull();
  });

  it('the page\'s fetch sends the first parts asked in one task as one request, and each player gets what it asked alone', async () => {
    const asked: string[] = [];
    const urlOf = (path: string) => { asked.push(path.split('?')[0]!); return `${origin}${path}${path.includes('?') ? '&' : '?'}token=t`; };
    const load = batchedFootage(fetchBytes(urlOf), urlOf);
    const signal = () => new AbortController().signal;
    const [a, missing, b, rest] = await Promise.allSettled([
      load('/rec/seg/cam/1000.mp4?at=2500', signal()), load('/rec/seg/cam/9999.mp4?at=0', signal()),
      load('/rec/seg/cam/2000.mp4?at=1500', signal()), load('/rec/seg/cam/1000.mp4?rest=2500', signal()),
    ]);
    // the rest alone, the three first parts together, then the one the host had not alone (as a player would have had it)
    expect(asked).toEqual(['/rec/seg/cam/1000.mp4', '/rec/parts', '/rec/seg/cam/9999.mp4']);
    expect(a.status === 'fulfilled' && Buffer.from(a.value).equals(await get('gop1', '&at=2500'))).toBe(true);
    expect(b.status === 'fulfilled' && Buffer.from(b.value).equals(await get('gop2', '&at=1500'))).toBe(true);
    expect(rest.status === 'fulfilled' && Buffer.from(rest.value).equals(await get('gop1', '&rest=2500'))).toBe(true);
    expect(missing.status === 'rejected' && String(missing.reason)).toContain('404');
  });

  it('an aborted part ends at once; a part asked alone in its task is its own request', async () => {
    const asked: string[] = [];
    const urlOf = (path: string) => { asked.push(path.split('?')[0]!); return `${origin}${path}${path.includes('?') ? '&' : '?'}token=t`; };
    const load = batchedFootage(fetchBytes(urlOf), urlOf);
    const stop = new AbortController();
    const gone = load('/rec/seg/cam/1000.mp4?at=0', stop.signal);
    const kept = load('/rec/seg/cam/2000.mp4?at=0', new AbortController().signal);
    stop.abort();
    await expect(gone).rejects.toThrow(/abort/i);
    expect(Buffer.from(await kept).equals(await get('gop2', '&at=0'))).toBe(true);
    expect(asked).toEqual(['/rec/seg/cam/2000.mp4']); // the aborted one was dropped before the batch went: the other alone
  });
});
