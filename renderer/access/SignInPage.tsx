/** The sign-in page: user name, password, and the host's reason when it refuses (wrong, locked until, directory down). */
import { useState } from 'react';
import type { Me } from '../../electron/contract/access/access-schema.js';
import { BridgeCallError, type BridgeClient } from '../bridge/client.js';
import { t } from './strings.js';
import { BRAND } from '../i18n/i18n.js';

/** The operator-facing text for a refused sign-in (host messages carry the detail: until when, which directory). */
export function signInError(err: unknown): string {
  if (!(err instanceof BridgeCallError)) return t('signin.error.other', { detail: err instanceof Error ? err.message : String(err) });
  const m = err.message;
  if (err.code === 'unavailable') return t('signin.error.directory', { detail: m });
  if (/too many failed sign-ins/.test(m)) return t('signin.error.locked', { detail: m.replace(/^.*?too many failed sign-ins:\s*/, '') });
  if (/disabled/.test(m)) return t('signin.error.disabled');
  if (err.code === 'unauthenticated' || /wrong user name or password/.test(m)) return t('signin.error.wrong');
  return t('signin.error.other', { detail: m });
}

export function SignInPage({ client, directory, notice, onSignedIn }: { client: BridgeClient; directory: boolean; notice: string | null; onSignedIn(token: string, me: Me): void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!user.trim() || !password) { setError(t('signin.error.empty')); return; }
    setBusy(true);
    setError(null);
    try {
      const r = await client.call('access.signIn', { user, password });
      onSignedIn(r.sessionToken, r.me);
    } catch (err) {
      setError(signInError(err));
      setPassword('');
    } finally { setBusy(false); }
  };
  return (
    <div className="access-page">
      <form className="access-card" aria-label={t('signin.title')} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <div className="brand">{BRAND}</div>
        <h1>{t('signin.title')}</h1>
        {notice && <p className="access-notice" role="status">{notice}</p>}
        <label>{t('signin.user')}<input name="user" autoComplete="username" autoFocus value={user} maxLength={256} onChange={(e) => setUser(e.target.value)} /></label>
        <label>{t('signin.password')}<input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        {error && <p className="access-error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={busy}>{busy ? t('signin.busy') : t('signin.submit')}</button>
        <p className="muted">{directory ? t('signin.directory') : t('signin.local')}</p>
      </form>
    </div>
  );
}
