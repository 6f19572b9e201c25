/**
 * Things the operator must read (corrupt settings set aside, a camera rejected on import...).
 * Kept in memory, newest last, capped so a storm of notices cannot grow without bound.
 */
import type { ErrorReason } from '../contract/api-errors.js';
import type { Notice } from '../contract/schemas.js';

export type NoticeLevel = Notice['level'];

const MAX_NOTICES = 200;

export class NoticeBoard {
  private notices: Notice[] = [];
  private listeners = new Set<(notice: Notice) => void>();
  private seq = 0;

  /** `message` is the English message; `i18n` names its translation (key under `hostNotices.`, parameters, the reason code of its `{{reason}}`). */
  add(level: NoticeLevel, message: string, i18n?: { key: string; params?: Record<string, string | number>; reason?: ErrorReason }): Notice {
    const notice: Notice = { id: `n${Date.now().toString(36)}-${++this.seq}`, level, message,
      ...(i18n ? { key: i18n.key, params: i18n.params ?? {}, ...(i18n.reason ? { reason: i18n.reason } : {}) } : {}), at: Date.now() };
    this.notices.push(notice);
    if (this.notices.length > MAX_NOTICES) this.notices.splice(0, this.notices.length - MAX_NOTICES);
    for (const cb of this.listeners) {
      try { cb(notice); } catch { /* a broken listener must not stop the others */ }
    }
    return notice;
  }

  list(): Notice[] { return this.notices.slice(); }

  /** Returns false when no notice has this id (already dismissed or never existed). */
  dismiss(id: string): boolean {
    const before = this.notices.length;
    this.notices = this.notices.filter((n) => n.id !== id);
    return this.notices.length !== before;
  }

  onNotice(cb: (notice: Notice) => void): () => void {
    this.listeners.add(cb);
    return () => { this.listeners.delete(cb); };
  }
}
