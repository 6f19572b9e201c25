/**
 * What review and recording remember in the data dir (`review.json`, versioned, schema-checked,
 * atomic writes; a corrupt file is set aside with a notice): each camera's recording mode,
 * retention, bookmarks and evidence locks.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Bookmark, CameraRecording, EvidenceLock, RetentionSettings } from '../../contract/review-api.js';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import type { Logger } from '../log.js';
import type { NoticeBoard } from '../notices.js';
import { openVersionedStore, type VersionedStore } from '../settings/versioned-store.js';

const ReviewFile = z.object({
  cameras: z.array(CameraRecording),
  retention: RetentionSettings,
  bookmarks: z.array(Bookmark),
  locks: z.array(EvidenceLock),
});
type ReviewFile = z.infer<typeof ReviewFile>;

export const DEFAULT_RETENTION: RetentionSettings = { maxAgeDays: 30, quotaBytes: 0, minFreeBytes: 512 * 1024 * 1024 };

export const newId = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

export class ReviewStore {
  private readonly store: VersionedStore<ReviewFile>;
  private data: ReviewFile;

  constructor(opts: { dataDir: string; notices?: NoticeBoard; log?: Logger }) {
    this.store = openVersionedStore<ReviewFile>({
      dataDir: opts.dataDir, name: 'review', label: 'recording and review settings', schema: ReviewFile,
      defaults: () => ({ cameras: [], retention: DEFAULT_RETENTION, bookmarks: [], locks: [] }), version: 1,
      notices: opts.notices, log: opts.log,
    });
    this.data = this.store.read();
  }

  cameraModes(): CameraRecording[] { return this.data.cameras; }
  cameraMode(cameraId: string): CameraRecording | undefined { return this.data.cameras.find((c) => c.cameraId === cameraId); }
  setCameraMode(c: CameraRecording): void { this.save({ ...this.data, cameras: [...this.data.cameras.filter((x) => x.cameraId !== c.cameraId), c] }); }

  retention(): RetentionSettings { return this.data.retention; }
  setRetention(r: RetentionSettings): void { this.save({ ...this.data, retention: r }); }

  bookmarks(): Bookmark[] { return this.data.bookmarks; }
  addBookmark(b: Omit<Bookmark, 'id' | 'createdAt'>): Bookmark {
    if (b.endMs !== undefined && b.endMs < b.atMs) throw new ContractError('invalid', 'bookmark ends before it starts', reason('rangeBackwards'));
    const bm: Bookmark = { ...b, id: newId('bm'), createdAt: Date.now() };
    this.save({ ...this.data, bookmarks: [...this.data.bookmarks, bm] });
    return bm;
  }
  removeBookmark(id: string): void {
    if (!this.data.bookmarks.some((b) => b.id === id)) throw new ContractError('not-found', `no bookmark ${id}`, reason('noBookmark', { id }));
    this.save({ ...this.data, bookmarks: this.data.bookmarks.filter((b) => b.id !== id) });
  }

  locks(): EvidenceLock[] { return this.data.locks; }
  addLock(l: Omit<EvidenceLock, 'id' | 'createdAt'>): EvidenceLock {
    if (l.toMs <= l.fromMs) throw new ContractError('invalid', 'an evidence lock needs a range that ends after it starts', reason('rangeBackwards'));
    const lock: EvidenceLock = { ...l, id: newId('lock'), createdAt: Date.now() };
    this.save({ ...this.data, locks: [...this.data.locks, lock] });
    return lock;
  }
  removeLock(id: string): void {
    if (!this.data.locks.some((l) => l.id === id)) throw new ContractError('not-found', `no evidence lock ${id}`, reason('noLock', { id }));
    this.save({ ...this.data, locks: this.data.locks.filter((l) => l.id !== id) });
  }

  private save(next: ReviewFile) { this.store.write(next); this.data = next; }
}
