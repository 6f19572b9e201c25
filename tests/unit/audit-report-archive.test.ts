// A signed audit report as one file (electron/host/audit/report-archive.ts): the tar of the report folder unpacks to the
// same files (system tar agrees), verifies as the folder does, a changed byte is caught by the signature check, and an
// archive with links, '..' or several folders is refused. The audit's retention is never shorter than the footage's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditRetention, auditRetentionProblem } from '../../electron/host/audit/audit-handlers.js';
import { writeAuditReport } from '../../electron/host/audit/audit-report.js';
import { archiveFolder, extractArchive, readArchive } from '../../electron/host/export/folder-archive.js';
import { loadOrCreateSigningKey } from '../../electron/host/export/signing-key.js';
import { verifyExport } from '../../electron/host/export/verify-export.js';

const dirs: string[] = [];
const temp = () => { const d = mkdtempSync(join(tmpdir(), 'kuzet-archive-')); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function report(): { dataDir: string; dir: string; id: string } {
  const dataDir = temp();
  const r = writeAuditReport(dataDir, loadOrCreateSigningKey(dataDir), { filter: { actions: ['view.'] }, reason: 'prosecutor request 17', by: 'auditor', software: 'Kuzet test' });
  return { dataDir, dir: r.dir, id: r.id };
}

describe('audit report archive', () => {
  it('holds the report folder: the same files, which system tar unpacks and which verify as signed', async () => {
    const { dir, id } = report();
    const tar = archiveFolder(dir, id);
    expect(tar.length % 512).toBe(0);
    const files = readArchive(tar);
    expect(files.map((f) => f.name).sort()).toEqual(readdirSync(dir).sort());
    for (const f of files) { expect(f.folder).toBe(id); expect(f.body.equals(readFileSync(join(dir, f.name)))).toBe(true); }
    const file = join(temp(), `${id}.tar`);
    writeFileSync(file, tar);
    const out = temp();
    execFileSync('tar', ['-xf', file, '-C', out]);
    expect(readdirSync(join(out, id)).sort()).toEqual(readdirSync(dir).sort());
    const unpacked = extractArchive(file, temp());
    expect(await verifyExport(unpacked)).toMatchObject({ ok: true, files: 2 });
  });

  it('a byte changed inside the archive fails verification', async () => {
    const { dir, id } = report();
    const tar = archiveFolder(dir, id);
    const at = tar.lastIndexOf('prosecutor request 17'); // in report.json, the last file
    expect(at).toBeGreaterThan(0);
    tar[at] = 'P'.charCodeAt(0);
    const file = join(temp(), 'edited.tar');
    writeFileSync(file, tar);
    const r = await verifyExport(extractArchive(file, temp()));
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(/SHA-256 .* does not match/);
  });

  it('refuses links, paths outside the folder, several folders, damaged headers and plain junk', () => {
    const { dir, id } = report();
    const good = archiveFolder(dir, id);
    const withHeader = (edit: (h: Buffer) => void) => {
      const b = Buffer.from(good);
      const h = b.subarray(0, 512);
      edit(h);
      h.fill(0x20, 148, 156);
      let sum = 0;
      for (const x of h) sum += x;
      h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
      return b;
    };
    expect(() => readArchive(withHeader((h) => { h[156] = '2'.charCodeAt(0); }))).toThrow(/not a plain file/);
    expect(() => readArchive(withHeader((h) => { h.fill(0, 0, 100); h.write('../../etc/passwd', 0); }))).toThrow(/directly inside/);
    const two = join(temp(), 'two.tar');
    writeFileSync(two, Buffer.concat([good.subarray(0, good.length - 1024), withHeader((h) => { h.fill(0, 0, 100); h.write('other/report.json', 0); })]));
    expect(() => extractArchive(two, temp())).toThrow(/2 folders/);
    const damaged = Buffer.from(good);
    damaged[10] = damaged[10]! ^ 0xff;
    expect(() => readArchive(damaged)).toThrow(/checksum/);
    expect(() => readArchive(Buffer.from('not a tar at all'.repeat(64)))).toThrow(/not a Kuzet archive/);
  });
});

describe('audit retention', () => {
  it('is never shorter than the recordings it covers', () => {
    expect(auditRetentionProblem(30, 30)).toBeNull();
    expect(auditRetentionProblem(29, 30)).toMatch(/shorter than the recordings it covers \(kept 30 days\); set at least 30 days/);
    expect(auditRetentionProblem(1, 0.5)).toBeNull();
    expect(auditRetentionProblem(0, 0.5)).toMatch(/at least 1/);
    const store = new Map<string, string>();
    const settings = { getMeta: (k: string) => store.get(k) ?? null, setMeta: (k: string, v: string) => { store.set(k, v); } };
    expect(auditRetention(settings, 30)).toEqual({ days: 365, footageDays: 30, effectiveDays: 365 });
    settings.setMeta('auditRetentionDays', '60');
    // the footage's retention raised later: pruning keeps the audit as long as the footage
    expect(auditRetention(settings, 90.5)).toEqual({ days: 60, footageDays: 90.5, effectiveDays: 91 });
  });
});
