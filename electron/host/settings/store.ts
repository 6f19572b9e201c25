/**
 * The console's own settings (`<dataDir>/settings.json`): decode engine, decode budget, roots that
 * file:// cameras may read from, compositor hint. Versioned; see versioned-store.ts for corruption.
 */
import { z } from 'zod';
import { ContractError } from '../../contract/api.js';
import { reasonOfIssue } from '../../contract/api-errors.js';
import type { Logger } from '../log.js';
import type { NoticeBoard } from '../notices.js';
import { describeIssues } from './describe-issue.js';
import { openVersionedStore, type Migration, type VersionedStore } from './versioned-store.js';

export const Settings = z.object({
  /** Pipeline engine for live decoding. */
  engine: z.enum(['gstreamer', 'ffmpeg']).default('gstreamer'),
  /** Share of the machine's total CPU (all cores = 100) the wall may spend decoding, 10-95. */
  decodeBudgetPct: z.number().int().min(10).max(95).default(80),
  /** Absolute directories file:// cameras may read from; empty means no file cameras. */
  fileRoots: z.array(z.string().min(1).max(1024).refine((p) => p.startsWith('/'), 'file root must be an absolute path')).max(32).default([]),
  /** Which compositor the renderer uses; 'auto' measures at start-up. */
  compositor: z.enum(['auto', 'canvas2d', 'webgl']).default('auto'),
  /** The interface's language where a user has not chosen one (kk, ru, en). */
  language: z.enum(['kk', 'ru', 'en']).default('kk'),
  /** The centre's time zone (IANA name): every time the console shows is in it, whatever the machine's zone. */
  timeZone: z.string().min(1).max(64).refine((tz) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } }, 'an IANA time zone such as Asia/Almaty').default('Asia/Almaty'),
});
export type Settings = z.infer<typeof Settings>;

export const SETTINGS_VERSION = 2;

/** Version 1 kept one `fileRoot` string and a `decodeBudget` fraction (0-1). */
export const settingsMigrations: Record<number, Migration> = {
  2: (v1) => {
    const { fileRoot, decodeBudget, ...rest } = v1;
    const out: Record<string, unknown> = { ...rest };
    if (typeof fileRoot === 'string' && fileRoot) out.fileRoots = [fileRoot];
    if (typeof decodeBudget === 'number') out.decodeBudgetPct = Math.round(Math.min(0.95, Math.max(0.1, decodeBudget)) * 100);
    return out;
  },
};

export interface SettingsStoreOptions {
  /** Where settings.json lives (web shell: KUZET_DATA_DIR or ~/.config/kuzet; Electron: userData). */
  dataDir: string;
  notices?: NoticeBoard;
  log?: Logger;
}

export class SettingsStore {
  private readonly store: VersionedStore<Settings>;
  private readonly listeners = new Set<(s: Settings) => void>();

  constructor(opts: SettingsStoreOptions) {
    this.store = openVersionedStore<Settings>({
      dataDir: opts.dataDir, name: 'settings', label: 'settings', schema: Settings,
      defaults: () => Settings.parse({}), version: SETTINGS_VERSION, migrations: settingsMigrations,
      notices: opts.notices, log: opts.log,
    });
  }

  get path(): string { return this.store.path; }

  get(): Settings { return structuredClone(this.store.read()); }

  /** Merges a partial change; throws ContractError('invalid') and keeps the old settings on bad input. */
  update(patch: Partial<Settings>): Settings {
    const result = Settings.safeParse({ ...this.store.read(), ...patch });
    if (!result.success) throw new ContractError('invalid', describeIssues(result.error, 'settings'), reasonOfIssue(result.error.issues[0]!) ?? undefined);
    this.store.write(result.data);
    const next = this.get();
    for (const cb of this.listeners) cb(next);
    return next;
  }

  onChange(cb: (settings: Settings) => void): () => void {
    this.listeners.add(cb);
    return () => { this.listeners.delete(cb); };
  }
}
