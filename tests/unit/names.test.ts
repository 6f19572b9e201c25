/**
 * Names people type: control characters and text-direction controls are refused with a clear message (or, in data
 * saved before, removed), names in any script stay exactly as typed; and what was refused before stays refused
 * (shell metacharacters and traversal in URLs, corrupt imports).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError, requests } from '../../electron/contract/api.js';
import { unsafeNameChar, withoutUnsafeChars } from '../../electron/contract/names.js';
import { Camera, CameraInput, Layout, WallPreset } from '../../electron/contract/schemas.js';
import { Rule } from '../../electron/contract/alarms-schema.js';
import { Zone } from '../../electron/contract/zones-schema.js';
import { CameraRegistry } from '../../electron/host/cameras/registry.js';
import { createLogger } from '../../electron/host/log.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import { FileKeySecretBox } from '../../electron/host/settings/secrets.js';

const RLO = '\u202E';
const TYPED_AS_IS = ['Абай даңғылы / Абая проспект', 'Алматы-1 қақпасы', 'بوابة الشمال', 'شارع\u200Fالنصر', 'Камера №7 (въезд)', 'gate.png'];
const UNSAFE: Array<[string, RegExp]> = [
  [`photo${RLO}gnp.exe`, /right-to-left override \(U\+202E\)/],
  ['North\tGate', /a tab \(U\+0009\)/],
  ['North\nGate', /a line break \(U\+000A\)/],
  ['bell\u0007', /a control character \(U\+0007\)/],
  ['c1\u0085next', /a control character \(U\+0085\)/],
  ['iso\u2067late', /right-to-left isolate \(U\+2067\)/],
  ['emb\u202Bed', /right-to-left embedding \(U\+202B\)/],
];

describe('names', () => {
  it('keeps names in any script as typed, bidi marks included', () => {
    for (const name of TYPED_AS_IS) {
      expect(unsafeNameChar(name), name).toBeNull();
      expect(CameraInput.parse({ name, mainUrl: 'rtsp://h/x' }).name).toBe(name);
      expect(Layout.parse({ id: 'l', name, cols: 1, rows: 1, cells: [] }).name).toBe(name);
    }
  });

  it.each(UNSAFE)('refuses %j in typed names with a message that names the character', (name, why) => {
    const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? 'ACCEPTED' : r.error!.issues.map((i) => i.message).join('; '));
    expect(messages(CameraInput.safeParse({ name, mainUrl: 'rtsp://h/x' }))).toMatch(why);
    expect(messages(CameraInput.safeParse({ name: 'ok', group: name, mainUrl: 'rtsp://h/x' }))).toMatch(/^group contains/);
    expect(messages(CameraInput.safeParse({ name: 'ok', tags: [name], mainUrl: 'rtsp://h/x' }))).toMatch(/^tag contains/);
    expect(messages(Rule.safeParse({ id: 'r1', name, priority: 2 }))).toMatch(/^rule name contains .*control/);
    expect(messages(requests['wall.presets.save'].params.safeParse({ name }))).toMatch(/^preset name contains/);
  });

  it('removes them from names saved before (layouts, presets, zones, cameras) so saved data still loads', () => {
    const dirty = `Night${RLO}shift\t2`;
    expect(withoutUnsafeChars(dirty)).toBe('Nightshift2');
    expect(Layout.parse({ id: 'l', name: dirty, cols: 1, rows: 1, cells: [] }).name).toBe('Nightshift2');
    expect(WallPreset.parse({ id: 'p', name: dirty, displays: {} }).name).toBe('Nightshift2');
    expect(Zone.parse({ kind: 'zone', name: `Gate${RLO}A`, points: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }] }).name).toBe('GateA');
    expect(Camera.parse({ id: 'c', name: dirty, mainUrl: 'rtsp://h/x', hasCredentials: false, kind: 'fixed', tags: [] }).name).toBe('Nightshift2');
  });
});

describe('the camera registry refuses bad names and keeps refusing what it refused before', () => {
  let dir: string;
  const open = () => new CameraRegistry({ dataDir: dir, secrets: new FileKeySecretBox(dir), notices: new NoticeBoard(), log: createLogger({ quiet: true }), fileRoots: () => ['/srv/clips'] });
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kuzet-names-')); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });
  const refused = async (p: Promise<unknown>, why: RegExp) => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).message).toMatch(why);
  };

  it('add and import refuse a right-to-left override with a clear message; Kazakh names stay as typed', async () => {
    const reg = open();
    await refused(reg.add({ name: `report${RLO}fdp.exe`, mainUrl: 'rtsp://10.0.0.1/a' }), /name contains a right-to-left override \(U\+202E\)/);
    expect((await reg.add({ name: 'Абай даңғылы', mainUrl: 'rtsp://10.0.0.1/b' })).name).toBe('Абай даңғылы');
    const r = reg.import('csv', `name,mainUrl\r\n"Tab\there",rtsp://10.0.0.2/a\r\nGood one,rtsp://10.0.0.3/a\r\n`);
    expect(r.added).toBe(1);
    expect(JSON.stringify(r)).toMatch(/a tab \(U\+0009\)/);
    expect(reg.list().map((c) => c.name)).toEqual(['Абай даңғылы', 'Good one']);
  });

  it.each([
    ['rtsp://10.0.0.1/a;reboot', /';'/],
    ['rtsp://10.0.0.1/$(id)', /'\$'/],
    ['rtsp://10.0.0.1/`id`', /'`'/],
    ['file:///srv/clips/../../etc/passwd', /'\.\.'|outside/],
    ['file:///srv/clips/%2e%2e/etc/shadow', /'\.\.'|outside/],
  ])('still refuses %j', async (mainUrl, why) => {
    await refused(open().add({ name: 'x', mainUrl }), why);
  });

  it('still moves credentials out of URLs and refuses a corrupt import as a whole', async () => {
    const reg = open();
    const cam = await reg.add({ name: 'Creds', mainUrl: 'rtsp://admin:s3cret@10.0.0.9/main' });
    expect(cam.mainUrl).toBe('rtsp://10.0.0.9/main');
    expect(JSON.stringify(reg.list())).not.toContain('s3cret');
    expect(() => reg.import('csv', 'name,mainUrl\n"never closed,rtsp://h/x\n')).toThrow(/quoted field is never closed/);
    expect(() => reg.import('json', '{"cameras": [ truncated')).toThrow(/not valid JSON/);
  });
});
