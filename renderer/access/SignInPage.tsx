/** The sign-in page: user name, password, and the host's reason when it refuses (wrong, locked until, directory down). */
import type { Me } from '../../electron/contract/access/access-schema.js';
import type { BridgeClient } from '../bridge/client.js';
import { useCredentialForm } from './credential-form.js';

import { t } from './strings.js';
import { BRAND } from '../i18n/i18n.js';

export function SignInPage({ client, directory, notice, onSignedIn }: { client: BridgeClient; directory: boolean; notice: string | null; onSignedIn(token: string, me: Me): void }) {
  const f = useCredentialForm(async (user, password) => {
    const r = await client.call('access.signIn', { user, password });
    onSignedIn(r.sessionToken, r.me);
  });
  return (
    <div className="access-page">
      <form className="access-card" aria-label={t('signin.title')} onSubmit={(e) => { e.preventDefault(); void f.submit(); }}>
        <div className="brand">{BRAND}</div>
        <h1>{t('signin.title')}</h1>
        {notice && <p className="access-notice" role="status">{notice}</p>}
        <label>{t('signin.user')}<input name="user" autoComplete="username" autoFocus value={f.user} maxLength={256} onChange={(e) => f.setUser(e.target.value)} /></label>
        <label>{t('signin.password')}<input name="password" type="password" autoComplete="current-password" value={f.password} onChange={(e) => f.setPassword(e.target.value)} /></label>
        {f.error && <p className="access-error" role="alert">{f.error}</p>}
        <button type="submit" className="primary" disabled={f.busy}>{f.busy ? t('signin.busy') : t('signin.submit')}</button>
        <p className="muted">{directory ? t('signin.directory') : t('signin.local')}</p>
      </form>
    </div>
  );
}
