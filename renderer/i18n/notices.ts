/** A host notice in the chosen language: by its key and parameters (and reason code) when the host sent one, else its English text. */
import type { Notice } from '../../electron/contract/schemas.js';
import { reasonMessage } from '../app/ui-errors.js';
import { i18n } from './i18n.js';

export function noticeText(n: Notice): string {
  // a refusal it names (a rejected import row's) in the chosen language, not the host's English (its full stop dropped: it sits in brackets)
  if (n.key && i18n.exists(`hostNotices.${n.key}`)) return i18n.t(`hostNotices.${n.key}`, { ...n.params, ...(n.reason ? { reason: reasonMessage(n.reason).replace(/\.$/, '') } : {}) });
  return n.message;
}
