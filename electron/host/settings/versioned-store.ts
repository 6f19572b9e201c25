/**
 * One JSON file in the data dir, kept by `conf` (atomic writes, migrations keyed by version) and
 * checked with a zod schema. A file that cannot be read as the schema (bad JSON, truncated, wrong
 * shape, a migration that throws) is set aside as `<name>.corrupt-<timestamp>.json` next to it,
 * a Notice says so, and the store starts from defaults: saved data is never silently overwritten. The copy holds the
 * file's bytes exactly as they were (text that is not valid UTF-8 counts as unreadable, and is copied undecoded).
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import type { z } from 'zod';
import type { Logger } from '../log.js';
import type { NoticeBoard } from '../notices.js';
import { describeIssues } from './describe-issue.js';

/** A migration turns the data of version N-1 into version N; it gets plain JSON and may throw. */
export type Migration = (data: Record<string, unknown>) => Record<string, unknown>;

export interface VersionedStoreOptions<T> {
  /** Directory that holds the file; created when missing. */
  dataDir: string;
  /** File is `<name>.json`. */
  name: string;
  /** What the operator calls this data ("settings", "camera list"): used in notices. */
  label: string;
  schema: z.ZodType<T>;
  defaults: () => T;
  /** Current data version, an integer >= 1. */
  version: number;
  /** Keyed by the version they produce (2 migrates 1 -> 2). */
  migrations?: Record<number, Migration>;
  notices?: NoticeBoard | undefined;
  log?: Logger | undefined;
}

export interface VersionedStore<T> {
  readonly path: string;
  /** The validated data; treat as read-only, write a new value with write(). */
  read(): T;
  /** Validates, then replaces the file atomically. Throws on invalid data or a failed write. */
  write(value: T): void;
}

const INTERNAL = '__internal__';
const semverOf = (v: number) => `${v}.0.0`;

function storedVersion(data: Record<string, unknown>): number {
  const internal = data[INTERNAL] as { migrations?: { version?: unknown } } | undefined;
  const v = internal?.migrations?.version;
  const major = typeof v === 'string' ? Number.parseInt(v, 10) : NaN;
  return Number.isFinite(major) ? major : 0;
}

function withoutInternal(data: Record<string, unknown>): Record<string, unknown> {
  const { [INTERNAL]: _drop, ...rest } = data;
  return rest;
}

function timestamp(): string { return new Date().toISOString().replace(/[:.]/g, '-'); }

/** The text, or null when the bytes are not UTF-8 (decoding would replace them, and the copy would differ). */
function utf8(bytes: Buffer): string | null {
  try { return new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { return null; }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

export function openVersionedStore<T>(opts: VersionedStoreOptions<T>): VersionedStore<T> {
  const { dataDir, name, label, schema, version } = opts;
  const file = join(dataDir, `${name}.json`);
  mkdirSync(dataDir, { recursive: true });

  const fresh = (): T => {
    const value = opts.defaults();
    writeAtomic(file, JSON.stringify({ ...(value as object), [INTERNAL]: { migrations: { version: semverOf(version) } } }, undefined, '\t'));
    return value;
  };
  const setAside = (raw: Buffer, kind: 'corrupt' | 'newer'): string => {
    const aside = join(dataDir, `${name}.${kind}-${timestamp()}.json`);
    writeFileSync(aside, raw, { mode: 0o600, flag: 'wx' });
    return aside;
  };

  let raw: Buffer | undefined;
  try { raw = readFileSync(file); } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }

  let problem: string | undefined;
  let parsed: Record<string, unknown> | undefined;
  if (raw !== undefined) {
    const text = utf8(raw);
    if (text === null) problem = 'it is not valid UTF-8 text';
    else {
      try {
        const json: unknown = JSON.parse(text);
        if (json && typeof json === 'object' && !Array.isArray(json)) parsed = json as Record<string, unknown>;
        else problem = 'it does not hold a JSON object';
      } catch (err) { problem = `it is not valid JSON (${(err as Error).message})`; }
    }
  }

  if (parsed && storedVersion(parsed) > version && raw !== undefined) {
    // Written by a newer Kuzet: keep a copy, because this version may drop fields it does not know.
    const copy = setAside(raw, 'newer');
    opts.log?.warn('store written by a newer version; copy kept', { file, copy });
    const version = storedVersion(parsed);
    opts.notices?.add('warning', `The ${label} file was written by a newer Kuzet (data version ${version}); a copy was kept as ${copy}.`, { key: 'settingsNewer', params: { label, version, copy } });
  }

  let conf: Conf<Record<string, unknown>> | undefined;
  let current: T | undefined;
  if (parsed) {
    try {
      conf = openConf(opts);
      const result = schema.safeParse(withoutInternal(conf.store));
      if (result.success) current = result.data;
      else problem = `its content does not match (${describeIssues(result.error)})`;
    } catch (err) {
      problem = `it could not be migrated (${(err as Error).message})`;
    }
  }

  if (current === undefined) {
    if (raw !== undefined) {
      const aside = setAside(raw, 'corrupt');
      unlinkSync(file);
      opts.log?.error('store file unreadable; set aside, starting from defaults', { file, aside, problem });
      const why = problem ?? 'it is unreadable';
      opts.notices?.add('error', `The ${label} file could not be read because ${why}. It was kept as ${aside} and Kuzet started from defaults.`, { key: 'settingsUnreadable', params: { label, problem: why, aside } });
    }
    current = fresh();
    conf = openConf(opts);
  }

  const store = conf ?? openConf(opts);
  return {
    path: file,
    read: () => current as T,
    write(value: T) {
      const result = schema.safeParse(value);
      if (!result.success) throw new Error(`${label}: ${describeIssues(result.error)}`);
      store.store = { ...(result.data as object) };
      current = result.data;
    },
  };
}

function openConf<T>(opts: VersionedStoreOptions<T>): Conf<Record<string, unknown>> {
  const migrations: Record<string, (store: Conf<Record<string, unknown>>) => void> = {};
  for (const [v, migrate] of Object.entries(opts.migrations ?? {})) {
    migrations[semverOf(Number(v))] = (store) => { store.store = migrate(withoutInternal(store.store)); };
  }
  return new Conf<Record<string, unknown>>({
    cwd: opts.dataDir,
    configName: opts.name,
    projectVersion: semverOf(opts.version),
    migrations,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
  });
}
