/** The user menu in the top bar: who is signed in, lock, shift hand-over, change password, sign out. */
import { useState } from 'react';
import { accessState, useMe } from './access-state.js';
import { t } from './strings.js';
import { requestHandOver, signOut } from './AccessRoot.js';
import { PasswordDialog } from './PasswordDialog.js';

export function UserMenu() {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState(false);
  const access = accessState();
  if (!me || !access) return null;
  return (
    <div className="dropdown user-menu">
      <button className={open ? 'on' : ''} onClick={() => setOpen(!open)} aria-label={t('menu.signedInAs', { user: me.user })} title={t('menu.roles', { roles: me.roles.join(', ') })}>
        {me.user} ▾
      </button>
      {open && (
        <div className="popover popover-right" role="menu">
          <span className="muted">{t('menu.signedInAs', { user: me.displayName || me.user })}</span>
          <span className="muted">{t('menu.roles', { roles: me.roles.join(', ') })}</span>
          <button role="menuitem" onClick={() => { setOpen(false); void access.client.call('access.lock', {}); }}>{t('menu.lock')}</button>
          <button role="menuitem" onClick={() => { setOpen(false); requestHandOver(); }}>{t('menu.handover')}</button>
          {me.source === 'local' && <button role="menuitem" onClick={() => { setOpen(false); setPassword(true); }}>{t('menu.password')}</button>}
          <button role="menuitem" onClick={() => { setOpen(false); void signOut(); }}>{t('menu.signout')}</button>
        </div>
      )}
      {password && <PasswordDialog client={access.client} onClose={() => setPassword(false)} />}
    </div>
  );
}
