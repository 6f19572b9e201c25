import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../electron/contract/api.js';
import { createLogger } from '../../electron/host/log.js';
import { NoticeBoard } from '../../electron/host/notices.js';
import { FileKeySecretBox } from '../../electron/host/settings/secrets.js';
import { SettingsStore } from '../../electron/host/settings/store.js';

const log = createLogger({ quiet: true });
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kuzet-settings-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const corruptFiles = () => readdirSync(dir).filter((f) => f.startsWith('settings.corrupt-') && f.endsWith('.json'));

describe('SettingsStore', () => {
  it('starts from defaults and persists updates across restarts', () => {
    const s = new SettingsStore({ dataDir: dir, log });
    expect(s.get()).toEqual({ engine: 'gstreamer', decodeBudgetPct: 80, fileRoots: [], compositor: 'auto' });
    s.update({ engine: 'ffmpeg', fileRoots: ['/srv/clips'] });
    const again = new SettingsStore({ dataDir: dir, log });
    expect(again.get().engine).toBe('ffmpeg');
    expect(again.get().fileRoots).toEqual(['/srv/clips']);
    expect(statSync(s.path).mode & 0o777).toBe(0o600);
  });

  it('rejects a bad update with a clear error and keeps the old value', () => {
    const s = new SettingsStore({ dataDir: dir, log });
    expect(() => s.update({ decodeBudgetPct: 500 })).toThrow(ContractError);
    expect(() => s.update({ fileRoots: ['relative/path'] })).toThrow(/absolute path/);
    expect(new SettingsStore({ dataDir: dir, log }).get().decodeBudgetPct).toBe(80);
  });

  it('migrates a version 1 file', () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({
      engine: 'ffmpeg', fileRoot: '/media/evidence', decodeBudget: 0.6,
      __internal__: { migrations: { version: '1.0.0' } },
    }));
    const notices = new NoticeBoard();
    const s = new SettingsStore({ dataDir: dir, log, notices });
    expect(s.get()).toEqual({ engine: 'ffmpeg', decodeBudgetPct: 60, fileRoots: ['/media/evidence'], compositor: 'auto' });
    const onDisk = JSON.parse(readFileSync(s.path, 'utf8'));
    expect(onDisk.__internal__.migrations.version).toBe('2.0.0');
    expect(onDisk.fileRoot).toBeUndefined();
    expect(notices.list()).toEqual([]);
    expect(corruptFiles()).toEqual([]);
  });

  it.each([
    ['truncated', '{"engine": "ffmpeg", "decodeBud'],
    ['garbage', '\u0000\u0001binary garbage \u00ff'],
    ['wrong shape', JSON.stringify({ engine: 'vlc', decodeBudgetPct: 'lots', __internal__: { migrations: { version: '2.0.0' } } })],
    ['not an object', '[1,2,3]'],
  ])('sets a %s file aside with a notice and starts from defaults', (_what, content) => {
    writeFileSync(join(dir, 'settings.json'), content);
    const notices = new NoticeBoard();
    const s = new SettingsStore({ dataDir: dir, log, notices });
    expect(s.get().engine).toBe('gstreamer');
    const aside = corruptFiles();
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toBe(content);
    expect(notices.list()).toHaveLength(1);
    expect(notices.list()[0]!.level).toBe('error');
    expect(notices.list()[0]!.message).toContain(aside[0]);
    // The fresh file is valid: a second start leaves no new corrupt copy.
    new SettingsStore({ dataDir: dir, log, notices });
    expect(corruptFiles()).toHaveLength(1);
  });

  it.each([
    ['invalid UTF-8 inside valid JSON', Buffer.concat([Buffer.from('{"engine": "ffmpeg", "note": "'), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80]), Buffer.from('"}')])],
    ['invalid UTF-8 garbage', Buffer.from([0x00, 0xff, 0xd8, 0xff, 0xe0, 0x7b, 0x0a, 0xc0, 0xaf])],
  ])('sets a file with %s aside byte for byte, with a notice naming why', (_what, bytes) => {
    writeFileSync(join(dir, 'settings.json'), bytes);
    const notices = new NoticeBoard();
    const s = new SettingsStore({ dataDir: dir, log, notices });
    expect(s.get().engine).toBe('gstreamer');
    const aside = corruptFiles();
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!)).equals(bytes)).toBe(true);
    expect(notices.list()[0]!.message).toMatch(/not valid UTF-8 text/);
  });

  it('leaves a valid current file untouched', () => {
    const content = JSON.stringify({ engine: 'ffmpeg', decodeBudgetPct: 70, fileRoots: [], compositor: 'webgl', __internal__: { migrations: { version: '2.0.0' } } }, undefined, '\t');
    writeFileSync(join(dir, 'settings.json'), content);
    const before = statSync(join(dir, 'settings.json')).mtimeMs;
    const s = new SettingsStore({ dataDir: dir, log });
    expect(s.get().compositor).toBe('webgl');
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(content);
    expect(statSync(join(dir, 'settings.json')).mtimeMs).toBe(before);
    expect(corruptFiles()).toEqual([]);
  });

  it('keeps a copy of a file written by a newer version', () => {
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ engine: 'ffmpeg', futureField: 1, __internal__: { migrations: { version: '9.0.0' } } }));
    const notices = new NoticeBoard();
    const s = new SettingsStore({ dataDir: dir, log, notices });
    expect(s.get().engine).toBe('ffmpeg');
    expect(readdirSync(dir).filter((f) => f.startsWith('settings.newer-'))).toHaveLength(1);
    expect(notices.list()[0]?.level).toBe('warning');
  });
});

describe('FileKeySecretBox', () => {
  it('round-trips, creates a 0600 key, and refuses another key', () => {
    const box = new FileKeySecretBox(dir);
    const sealed = box.encrypt('s3cret:pa$$');
    expect(sealed).not.toContain('s3cret');
    expect(box.decrypt(sealed)).toBe('s3cret:pa$$');
    expect(statSync(box.keyFile).mode & 0o777).toBe(0o600);
    expect(new FileKeySecretBox(dir).decrypt(sealed)).toBe('s3cret:pa$$');
    const other = new FileKeySecretBox(mkdtempSync(join(tmpdir(), 'kuzet-key-')));
    expect(() => other.decrypt(sealed)).toThrow(/cannot be opened/);
    expect(() => box.decrypt('garbage')).toThrow(/unknown format/);
  });
});
