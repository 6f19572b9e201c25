/** Banner under the top bar: host connection lost, host notices, and errors of the operator's own actions. */
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import type { UiErrors } from '../app/ui-errors.js';
import { useTranslation } from 'react-i18next';
import { noticeText } from '../i18n/notices.js';

export function NoticeBanner({ host, connected, errors }: { host: HostState; connected: boolean; errors: UiErrors }) {
  const { t } = useTranslation();
  const notices = useValue(host.notices);
  const uiErrors = useValue(errors.store);
  const dismiss = (id: string) => {
    host.notices.set(host.notices.get().filter((n) => n.id !== id));
    host.client.call('notices.dismiss', { id }).catch(() => {});
  };
  const latest = notices.filter((n) => n.level !== 'info').slice(-3);
  if (connected && latest.length === 0 && uiErrors.length === 0) return null;
  return (
    <div className="banners">
      {!connected && <div className="banner banner-error" role="alert">{t('notices.connectionLost')}</div>}
      {latest.map((n) => (
        <div key={n.id} className={`banner banner-${n.level}`} role="status">
          <span>{noticeText(n)}</span>
          <button className="link" onClick={() => dismiss(n.id)}>{t('common.dismiss')}</button>
        </div>
      ))}
      {uiErrors.map((e) => (
        <div key={e.id} className="banner banner-error" role="alert">
          <span>{e.message}</span>
          <button className="link" onClick={() => errors.dismiss(e.id)}>{t('common.dismiss')}</button>
        </div>
      ))}
    </div>
  );
}
