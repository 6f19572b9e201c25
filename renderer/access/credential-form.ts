/**
 * The user-name-and-password form state shared by sign-in and shift hand-over: an empty field is refused before the
 * host is asked, a refusal shows the host's reason (signInError) and clears the password, `busy` while asking.
 */
import { useState } from 'react';
import { BridgeCallError } from '../bridge/client.js';
import { reasonMessage } from '../app/ui-errors.js';
import { t } from './strings.js';

/** The operator-facing text for a refused sign-in (host messages carry the detail: until when, which directory). */
export function signInError(err: unknown): string {
  if (!(err instanceof BridgeCallError)) return t('signin.error.other', { detail: err instanceof Error ? err.message : String(err) });
  const m = err.message;
  // a lock's end or the wait, in the chosen language and the centre's time (the host's reason, api-errors.ts)
  if (err.reason?.code === 'signInLocked' || err.reason?.code === 'signInWait') return reasonMessage(err.reason);
  if (err.code === 'unavailable') return t('signin.error.directory', { detail: m });
  if (/too many failed sign-ins/.test(m)) return t('signin.error.locked', { detail: m.replace(/^.*?too many failed sign-ins:\s*/, '') });
  if (/disabled/.test(m)) return t('signin.error.disabled');
  if (err.code === 'unauthenticated' || /wrong user name or password/.test(m)) return t('signin.error.wrong');
  return t('signin.error.other', { detail: m });
}

export interface CredentialForm {
  user: string; setUser(v: string): void;
  password: string; setPassword(v: string): void;
  error: string | null;
  busy: boolean;
  submit(): Promise<void>;
}

/** `send` asks the host with the typed credentials; it throws the host's refusal. */
export function useCredentialForm(send: (user: string, password: string) => Promise<void>): CredentialForm {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!user.trim() || !password) { setError(t('signin.error.empty')); return; }
    setBusy(true);
    setError(null);
    try {
      await send(user, password);
    } catch (err) {
      setError(signInError(err));
      setPassword('');
    } finally { setBusy(false); }
  };
  return { user, setUser, password, setPassword, error, busy, submit };
}
