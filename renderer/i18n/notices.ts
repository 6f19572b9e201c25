/** A host notice in the chosen language: by its key and parameters when the host sent one, else its English text. */
import type { Notice } from '../../electron/contract/schemas.js';
import { i18n } from './i18n.js';

export function noticeText(n: Notice): string {
  if (n.key && i18n.exists(`hostNotices.${n.key}`)) return i18n.t(`hostNotices.${n.key}`, n.params ?? {});
  return n.message;
}
