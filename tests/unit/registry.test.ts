import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../electron/contract/api.js';
import type { Camera } from '../../electron/contract/schemas.js';
import { CameraRegistry } from '../../electron/host/cameras/registry.js';
import { createLogger } from '../../electron/host/log.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import { FileKeySecretBox } from '../../electron/host/settings/secrets.js';

let dir: string;
let notices: NoticeBoard;
const log = createLogger({ quiet: true });
const open = (fileRoots: string[] = []) => new CameraRegistry({ dataDir: dir, secrets: new FileKeySecretBox(dir), notices, log, fileRoots: () => fileRoots });
const fileText = () => readFileSync(join(dir, 'cameras.json'), 'utf8');

beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kuzet-reg-')); notices = new NoticeBoard(); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

async function rejects(p: Promise<unknown> | (() => unknown), code: string, message: RegExp) {
  let err: unknown;
  try { await (typeof p === 'function' ? p() : p); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(ContractError);
  expect((err as ContractError).code).toBe(code);
  expect((err as ContractError).message).toMatch(message);
}

describe('CameraRegistry', () => {
  it('adds with a slug id, keeps ids unique, and persists', async () => {
    const reg = open();
    const a = await reg.add({ name: 'North Gate #1', mainUrl: 'rtsp://10.0.0.1/main' });
    const b = await reg.add({ name: 'North gate 1', mainUrl: 'rtsp://10.0.0.2/main', tags: ['gate', ' gate ', ''] });
    const c = await reg.add({ name: 'Абай даңғылы', mainUrl: 'rtsp://10.0.0.3/main' });
    expect([a.id, b.id, c.id]).toEqual(['north-gate-1', 'north-gate-1-2', 'abai-danghyly'.replace('gh', 'g')]);
    expect(b.tags).toEqual(['gate']);
    expect(a).toMatchObject({ kind: 'fixed', hasCredentials: false });
    expect(open().list().map((x) => x.id)).toEqual(['north-gate-1', 'north-gate-1-2', c.id]);
  });

  it('moves URL credentials out, seals the password, never shows it', async () => {
    const reg = open();
    const cam = await reg.add({ name: 'Bank', mainUrl: 'rtsp://admin:Sup3r%40Secret@10.0.0.9:554/h264', subUrl: 'rtsp://10.0.0.9:554/sub' });
    expect(cam).toMatchObject({ mainUrl: 'rtsp://10.0.0.9:554/h264', username: 'admin', hasCredentials: true });
    expect(JSON.stringify(reg.list())).not.toContain('Sup3r');
    expect(fileText()).not.toContain('Sup3r');
    expect(reg.export('json')).not.toContain('Sup3r');
    expect(reg.export('csv')).not.toContain('Sup3r');
    expect(reg.resolve('bank')).toEqual({ mainUrl: 'rtsp://10.0.0.9:554/h264', subUrl: 'rtsp://10.0.0.9:554/sub', username: 'admin', password: 'Sup3r@Secret' });
    expect(open().resolve('bank')?.password).toBe('Sup3r@Secret');
    // An update without a password keeps it; an empty password clears it.
    await reg.update('bank', { name: 'Bank HQ', mainUrl: 'rtsp://10.0.0.9:554/h264' });
    expect(reg.resolve('bank')?.password).toBe('Sup3r@Secret');
    expect(reg.get('bank')?.name).toBe('Bank HQ');
    await reg.update('bank', { name: 'Bank HQ', mainUrl: 'rtsp://10.0.0.9:554/h264', password: '' });
    expect(reg.get('bank')?.hasCredentials).toBe(false);
    expect(reg.resolve('bank')?.password).toBeUndefined();
  });

  it('rejects bad input with a clear error and changes nothing', async () => {
    const reg = open();
    await reg.add({ id: 'cam-1', name: 'One', mainUrl: 'rtsp://h/1' });
    const before = fileText();
    await rejects(reg.add({ name: 'x'.repeat(8000), mainUrl: 'rtsp://h/2' }), 'invalid', /^name: at most 200 characters$/);
    await rejects(reg.add({ name: 'Evil', mainUrl: 'rtsp://h/1;rm -rf ~' }), 'invalid', /main stream URL: contains/);
    await rejects(reg.add({ name: 'Evil', mainUrl: 'rtsp://h/x', subUrl: 'ftp://h/y' }), 'invalid', /sub-stream URL: protocol 'ftp' is not allowed/);
    await rejects(reg.add({ name: 'Garbage', mainUrl: '\u0000\u0001\u0002' }), 'invalid', /control character/);
    await rejects(reg.add({ name: '', mainUrl: 'rtsp://h/x' }), 'invalid', /name is required/);
    await rejects(reg.add({ id: 'cam-1', name: 'Dup', mainUrl: 'rtsp://h/3' }), 'conflict', /already exists/);
    await rejects(reg.add({ id: 'Bad Id!', name: 'X', mainUrl: 'rtsp://h/3' }), 'invalid', /camera id/);
    await rejects(reg.add({ name: 'File', mainUrl: 'file:///etc/passwd' }), 'invalid', /file cameras are off/);
    await rejects(reg.update('nope', { name: 'X', mainUrl: 'rtsp://h/x' }), 'not-found', /no camera with id "nope"/);
    await rejects(reg.update('cam-1', { id: 'cam-2', name: 'X', mainUrl: 'rtsp://h/x' }), 'invalid', /cannot be changed/);
    await rejects(() => reg.remove('nope'), 'not-found', /no camera/);
    expect(fileText()).toBe(before);
    expect(reg.list()).toHaveLength(1);
  });

  it('accepts file cameras under the configured roots', async () => {
    const reg = open(['/srv/clips']);
    const cam = await reg.add({ name: 'Clip', mainUrl: '/srv/clips/gate.mp4' });
    expect(cam.mainUrl).toBe('file:///srv/clips/gate.mp4');
  });

  it('notifies on change and stops after unsubscribe', async () => {
    const reg = open();
    const seen: Camera[][] = [];
    const off = reg.onChange((list) => seen.push(list));
    await reg.add({ name: 'A', mainUrl: 'rtsp://h/a' });
    reg.remove('a');
    off();
    await reg.add({ name: 'B', mainUrl: 'rtsp://h/b' });
    expect(seen.map((l) => l.length)).toEqual([1, 0]);
  });

  it('imports CSV row by row: good rows land, bad rows are reported by line', async () => {
    const reg = open();
    await reg.add({ id: 'gate', name: 'Gate', mainUrl: 'rtsp://old/gate', password: 'keepme' });
    const csv = [
      'id,name,mainUrl,subUrl,username,kind,group,tags,lat,lon,heading,fov',
      'gate,"Gate, north",rtsp://10.1.1.1/main,rtsp://10.1.1.1/sub,admin,ptz,Centre,gate;north,43.2389,76.8897,90,60',
      ',Drone 7,srt://gw:9000,,,drone,,,,,,',
      'bad,Bad one,ftp://x/y,,,,,,,,,',
      'evil,Evil,rtsp://h/$(reboot),,,,,,,,,',
      'geo,Geo,rtsp://h/geo,,,,,,abc,76,,',
      '"multi","Two\nlines",rtsp://h/m,,,body,,,,,,',
      'kind,Kind,rtsp://h/k,,,spaceship,,,,,,',
    ].join('\r\n');
    const res = reg.import('csv', csv);
    expect(res.added).toBe(1);
    expect(res.updated).toBe(1);
    expect(res.errors.map((e) => e.row)).toEqual([4, 5, 6, 7, 9]);
    expect(res.errors[0]!.message).toMatch(/protocol 'ftp' is not allowed/);
    expect(res.errors[2]!.message).toMatch(/lat: 'abc' is not a number/);
    expect(res.errors[3]!.message).toMatch(/name contains a line break \(U\+000A\)/); // names hold no control characters
    expect(res.errors[4]!.message).toMatch(/kind/);
    expect(reg.get('gate')).toMatchObject({ name: 'Gate, north', kind: 'ptz', group: 'Centre', tags: ['gate', 'north'], location: { lat: 43.2389, lon: 76.8897, heading: 90, fov: 60 }, username: 'admin' });
    expect(reg.resolve('gate')?.password).toBe('keepme');
    expect(reg.get('drone-7')?.kind).toBe('drone');
    expect(reg.get('multi')).toBeUndefined();
    expect(notices.list().some((n) => n.message.includes('5 rows were rejected'))).toBe(true);
  });

  it('rejects an unreadable import as a whole with a clear message', async () => {
    const reg = open();
    await rejects(() => reg.import('json', '{"cameras": [ truncated'), 'invalid', /not valid JSON/);
    await rejects(() => reg.import('csv', 'foo,bar\n1,2'), 'invalid', /no "name" column/);
    await rejects(() => reg.import('csv', 'name,mainUrl\n"unterminated,rtsp://h'), 'invalid', /line 2: a quoted field is never closed/);
  });

  it('round-trips export -> import for JSON and CSV, without passwords', async () => {
    const reg = open();
    await reg.add({ name: 'Square, "main"', mainUrl: 'rtsp://u:p@10.0.0.1/a', subUrl: 'rtsp://10.0.0.1/b', kind: 'ptz', group: 'Centre', tags: ['a', 'b c'], location: { lat: 51.1, lon: 71.4, heading: 180, fov: 90 } });
    await reg.add({ name: 'Drone', mainUrl: 'rtmp://relay/live/d1', kind: 'drone', frigate: { names: ['drone_1', 'drone-1b'], detectWidth: 960, detectHeight: 540 } });
    await reg.add({ name: 'Gate', mainUrl: 'rtsp://10.0.0.9/a', frigate: { names: ['gate'] } });
    for (const format of ['json', 'csv'] as const) {
      const text = reg.export(format);
      const other = new CameraRegistry({ dataDir: mkdtempSync(join(tmpdir(), 'kuzet-reg2-')), secrets: new FileKeySecretBox(dir), log });
      expect(other.import(format, text)).toEqual({ added: 3, updated: 0, errors: [] });
      const strip = (c: Camera) => ({ ...c, hasCredentials: false });
      expect(other.list()).toEqual(reg.list().map(strip));
    }
    expect(reg.export('csv').split('\r\n')[0]).toBe('id,name,mainUrl,subUrl,username,kind,group,tags,lat,lon,heading,fov,rangeM,frigateNames,frigateDetect');
  });

  it('keeps Frigate settings: a Frigate camera feeds one camera, an edit without them keeps them, empty ones clear them', async () => {
    const reg = open();
    await reg.add({ id: 'porch', name: 'Porch', mainUrl: 'rtsp://h/p', frigate: { names: ['front_door', 'front_door'], detectWidth: 1280, detectHeight: 720 } });
    expect(reg.get('porch')?.frigate).toEqual({ names: ['front_door'], detectWidth: 1280, detectHeight: 720 });
    await rejects(() => reg.add({ name: 'Porch 2', mainUrl: 'rtsp://h/p2', frigate: { names: ['front_door'] } }), 'conflict', /Frigate camera "front_door" already feeds camera "porch"/);
    await rejects(() => reg.update('porch', { name: 'Porch', mainUrl: 'rtsp://h/p', frigate: { names: [], detectWidth: 1280 } }), 'invalid', /give both width and height/);
    await rejects(() => reg.update('porch', { name: 'Porch', mainUrl: 'rtsp://h/p', frigate: { names: ['front door'] } }), 'invalid', /Frigate camera name/);
    await reg.update('porch', { name: 'Porch, renamed', mainUrl: 'rtsp://h/p' });
    expect(reg.get('porch')?.frigate?.names).toEqual(['front_door']);
    await reg.update('porch', { name: 'Porch', mainUrl: 'rtsp://h/p', frigate: { names: [] } });
    expect(reg.get('porch')?.frigate).toBeUndefined();
    const res = reg.import('csv', 'name,mainUrl,frigateNames,frigateDetect\r\nA,rtsp://h/a,abay_crossing;abay_2,640x360\r\nB,rtsp://h/b,,1280 by 720\r\n');
    expect(res.errors).toEqual([{ row: 3, message: "frigateDetect: '1280 by 720' is not a size like 1280x720",
      reason: { code: 'importDetectSize', params: { value: '1280 by 720' } } }]);
    expect(reg.get('a')?.frigate).toEqual({ names: ['abay_crossing', 'abay_2'], detectWidth: 640, detectHeight: 360 });
  });

  it('seeds the demo city once and re-points only demo cameras', async () => {
    const file = join(dir, 'demo-city.json');
    writeFileSync(file, JSON.stringify({ version: 1, city: 'Astana', cameras: [
      { id: 'baiterek', name: 'Baiterek', kind: 'fixed', group: 'Centre', tags: ['landmark'], location: { lat: 51.128, lon: 71.43, heading: 45, fov: 70 }, scene: 'plaza' },
      { id: 'drone-1', name: 'Drone 1', kind: 'drone', group: 'Air', tags: [], location: { lat: 51.1, lon: 71.4 }, scene: 'aerial' },
    ] }));
    const reg = open();
    const urlFor = (port: number) => (id: string, p: 'main' | 'sub') => `rtsp://127.0.0.1:${port}/${id}/${p}`;
    expect(reg.seedFromDemoCity(file, urlFor(8554))).toBe(2);
    expect(reg.get('baiterek')).toMatchObject({ tags: ['landmark', 'demo'], mainUrl: 'rtsp://127.0.0.1:8554/baiterek/main', location: { lat: 51.128 } });
    await reg.add({ name: 'Mine', mainUrl: 'rtsp://10.0.0.1/x' });
    expect(reg.seedFromDemoCity(file, urlFor(9000))).toBe(0);
    expect(reg.repointDemoCameras(urlFor(9000))).toBe(2);
    expect(reg.get('drone-1')?.subUrl).toBe('rtsp://127.0.0.1:9000/drone-1/sub');
    expect(reg.get('mine')?.mainUrl).toBe('rtsp://10.0.0.1/x');
    expect(reg.repointDemoCameras(urlFor(9000))).toBe(0);
    const empty = new CameraRegistry({ dataDir: mkdtempSync(join(tmpdir(), 'kuzet-reg3-')), secrets: new FileKeySecretBox(dir), notices, log });
    expect(empty.seedFromDemoCity(join(dir, 'missing.json'), urlFor(1))).toBe(0);
    expect(notices.list().at(-1)?.message).toMatch(/demo city file/);
  });

  it('sets a corrupt camera file aside instead of losing it', () => {
    writeFileSync(join(dir, 'cameras.json'), '{"cameras":[{"id":"a","name":"A","mainUrl":"rtsp://h/a"');
    const reg = open();
    expect(reg.list()).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith('cameras.corrupt-'))).toHaveLength(1);
    expect(notices.list()[0]?.message).toMatch(/camera list file could not be read/);
  });
});
