/**
 * A chain's signed checkpoints, one JSON line each, in `<data dir>/audit/<chain>.checkpoints.jsonl`: a file of its own,
 * outside the chain's table or file, so cutting the chain's tail leaves checkpoints that name the missing entries.
 * Every line is fsynced before append() returns.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Checkpoint } from './chain.js';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const CheckpointLine = z.object({
  v: z.literal(1), chain: z.string().min(1).max(64), n: z.number().int().min(1), prev: Hex64,
  seq: z.number().int().min(0), head: Hex64, at: z.number(), count: z.number().int().min(0),
  key: z.string().max(100), sig: z.string().max(200),
}).strict();

export const checkpointFile = (dataDir: string, chain: string) => join(dataDir, 'audit', `${chain}.checkpoints.jsonl`);

export interface CheckpointRead {
  /** null when the file does not exist. */
  checkpoints: Checkpoint[] | null;
  /** Lines that are not checkpoints, described. */
  unreadable: string[];
}

export class CheckpointLog {
  constructor(readonly path: string) {}

  read(): CheckpointRead {
    if (!existsSync(this.path)) return { checkpoints: null, unreadable: [] };
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    lines.pop(); // '' after the last newline, or a line the process died writing (append() removes it)
    const unreadable: string[] = [];
    const checkpoints: Checkpoint[] = [];
    lines.forEach((line, i) => {
      let parsed: unknown;
      try { parsed = JSON.parse(line); } catch { parsed = undefined; }
      const r = CheckpointLine.safeParse(parsed);
      if (r.success) checkpoints.push(r.data);
      else unreadable.push(`checkpoint log line ${i + 1} is not a checkpoint (edited or damaged)`);
    });
    return { checkpoints, unreadable };
  }

  last(): Checkpoint | undefined { return this.read().checkpoints?.at(-1); }

  append(c: Checkpoint): void {
    const fresh = !existsSync(this.path);
    if (fresh) mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    else dropTornLine(this.path);
    const fd = openSync(this.path, 'a', 0o600);
    try { writeSync(fd, JSON.stringify(c) + '\n'); fsyncSync(fd); } finally { closeSync(fd); }
    if (fresh) syncDir(dirname(this.path));
  }
}

/** A line without its newline is a write that died half-way: cut it, so the next line starts on a line of its own. */
function dropTornLine(path: string): void {
  const bytes = readFileSync(path);
  if (bytes.length && bytes[bytes.length - 1] !== 0x0a) truncateSync(path, bytes.lastIndexOf(0x0a) + 1);
}

/** A new file's directory entry must be durable too, or a power cut can lose the whole file. */
export function syncDir(dir: string): void {
  try { const fd = openSync(dir, 'r'); try { fsyncSync(fd); } finally { closeSync(fd); } } catch { /* not supported on this file system */ }
}
