/**
 * The lock screen over the wall after idle time (or "Lock now"): the signed-in user unlocks with their password, the
 * next operator takes the shift over, or the user signs out. By policy the wall keeps playing behind it.
 */
import { useState } from 'react';
import type { Me } from '../../electron/contract/access/access-schema.js';
import type { BridgeClient } from '../bridge/client.js';
import { HandOverForm } from './HandOverDialog.js';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { signInError } from './credential-form.js';
import { t } from './strings.js';

export function LockScreen({ client, me, onHandedOver, onSignOut }: { client: BridgeClient; me: Me; onHandedOver(r: { user: string; from: string | null; openAlarms: Alarm[] }): void; onSignOut(): void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [handOver, setHandOver] = useState(false);
  const unlock = async () => {
    try { await client.call('access.unlock', { password }); } catch (err) { setError(signInError(err)); setPassword(''); }
  };
  return (
    <div className={`lock-screen${me.wallPlaysWhenLocked ? '' : ' lock-dark'}`} role="dialog" aria-label={t('lock.title')}>
      <div className="access-card">
        <h1>{t('lock.title')}</h1>
        {handOver ? <HandOverForm client={client} onDone={onHandedOver} onCancel={() => setHandOver(false)} /> : (
          <form className="access-form" onSubmit={(e) => { e.preventDefault(); void unlock(); }}>
            <p>{t(me.wallPlaysWhenLocked ? 'lock.who' : 'lock.whoDark', { user: me.displayName || me.user })}</p>
            <label>{t('lock.password')}<input name="unlock-password" type="password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} /></label>
            {error && <p className="access-error" role="alert">{error}</p>}
            <div className="access-buttons">
              <button type="button" onClick={onSignOut}>{t('lock.signout')}</button>
              <button type="button" onClick={() => setHandOver(true)}>{t('lock.handover')}</button>
              <button type="submit" className="primary">{t('lock.unlock')}</button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
