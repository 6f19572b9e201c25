/**
 * Append-only audit log (`audit.jsonl` in the data dir), hash-chained: every line carries the SHA-256
 * of the line before it, so a removed or edited line breaks the chain. Issue 3's audit store replaces
 * this file when the branches merge; the record shape is the same.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

export interface AuditRecord { at: string; actor: string; action: string; details: Record<string, unknown> }

export class AuditLog {
  readonly path: string;
  private prev: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'audit.jsonl');
    const lines = existsSync(this.path) ? readFileSync(this.path, 'utf8').split('\n').filter(Boolean) : [];
    this.prev = lines.length ? sha(lines[lines.length - 1] as string) : 'genesis';
  }

  append(actor: string, action: string, details: Record<string, unknown>): void {
    const line = JSON.stringify({ at: new Date().toISOString(), actor, action, details, prev: this.prev });
    appendFileSync(this.path, line + '\n');
    this.prev = sha(line);
  }

  /** Reads every record and checks the chain; broken is the first line number (1-based) that does not follow. */
  read(): { records: Array<AuditRecord & { prev: string }>; broken: number | null } {
    const lines = existsSync(this.path) ? readFileSync(this.path, 'utf8').split('\n').filter(Boolean) : [];
    let prev = 'genesis';
    let broken: number | null = null;
    const records = lines.map((l, i) => {
      const r = JSON.parse(l) as AuditRecord & { prev: string };
      if (broken === null && r.prev !== prev) broken = i + 1;
      prev = sha(l);
      return r;
    });
    return { records, broken };
  }
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
