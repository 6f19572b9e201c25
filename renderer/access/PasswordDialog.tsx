/** Change one's own password (local accounts): current, new twice. */
import { useState } from 'react';
import type { BridgeClient } from '../bridge/client.js';
import { t } from './strings.js';

export function PasswordDialog({ client, onClose }: { client: BridgeClient; onClose(): void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const submit = async () => {
    if (next !== repeat) { setMessage({ ok: false, text: t('password.mismatch') }); return; }
    try {
      await client.call('access.changePassword', { current, next });
      setMessage({ ok: true, text: t('password.done') });
      setCurrent(''); setNext(''); setRepeat('');
    } catch (err) { setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) }); }
  };
  return (
    <div className="access-modal" role="dialog" aria-label={t('password.title')}>
      <form className="access-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <h2>{t('password.title')}</h2>
        <label>{t('password.current')}<input type="password" name="current-password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} /></label>
        <label>{t('password.next')}<input type="password" name="new-password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} /></label>
        <label>{t('password.repeat')}<input type="password" name="new-password-2" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} /></label>
        {message && <p className={message.ok ? 'access-ok' : 'access-error'} role="alert">{message.text}</p>}
        <div className="access-buttons">
          <button type="button" onClick={onClose}>{t('handover.cancel')}</button>
          <button type="submit" className="primary">{t('password.submit')}</button>
        </div>
      </form>
    </div>
  );
}
