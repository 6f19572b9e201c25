/**
 * The renderer's root once connected: the sign-in page until someone signs in, then the console (App) with the lock
 * screen over it when the session locks, the hand-over dialog, and the sign-in page again when the session ends (sign-out,
 * disabled by an administrator). The operator's input counts as activity for the host's idle lock.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { loadHostState, type HostState } from '../bridge/host-state.js';
import { useValue, ValueStore } from '../bridge/stores.js';
import type { AccessState } from './access-state.js';
import { accessState } from './access-state.js';
import { HandOverForm, HandOverSummary } from './HandOverDialog.js';
import { LockScreen } from './LockScreen.js';
import { setSessionToken, withSession } from './session-token.js';
import { SignInPage } from './SignInPage.js';
import { t } from './strings.js';
import './access.css';

/** Activity is reported at most this often (the host's idle lock counts minutes). */
const ACTIVITY_EVERY_MS = 15_000;

type HandOverResult = { user: string; from: string | null; openAlarms: Alarm[] };
const handOverOpen = new ValueStore(false);

/** Opens the hand-over form (user menu). */
export function requestHandOver(): void { handOverOpen.set(true); }

/** Ends the session; the page shows the sign-in form again. */
export async function signOut(): Promise<void> {
  const a = accessState();
  if (!a) return;
  try { await a.client.call('access.signOut', {}); } catch { /* already ended: the page signs out anyway */ }
  setSessionToken(null);
  a.me.set(null);
  a.ended.set(null);
}

/** `firstNotice`: shown on the sign-in page until a session ends (a refused sign-in ticket of the map window, issue 10). */
export function AccessRoot({ access, directory, displayId, firstNotice, renderConsole }: {
  access: AccessState; directory: boolean; displayId: string | null; firstNotice?: string | null; renderConsole(host: HostState): ReactNode;
}) {
  const me = useValue(access.me);
  const ended = useValue(access.ended);
  const handOver = useValue(handOverOpen);
  const [host, setHost] = useState<HostState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [summary, setSummary] = useState<HandOverResult | null>(null);
  const signedIn = me !== null;

  // The console's state is loaded once signed in, and dropped when the session ends (the wall stops, sockets close).
  useEffect(() => {
    if (!signedIn) { setHost(null); return; }
    let live = true;
    loadHostState(access.client, displayId).then((h) => {
      h.session.framesUrl = withSession(h.session.framesUrl);
      if (live) setHost(h);
    }, (err: unknown) => { if (live) setLoadError(err instanceof Error ? err.message : String(err)); });
    return () => { live = false; };
  }, [signedIn, access, displayId]);

  useEffect(() => {
    if (!signedIn) return;
    let last = 0;
    const onInput = () => {
      const now = Date.now();
      if (now - last < ACTIVITY_EVERY_MS || access.me.get()?.state !== 'active') return;
      last = now;
      access.client.call('access.activity', {}).catch(() => {});
    };
    const kinds = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const k of kinds) window.addEventListener(k, onInput, { passive: true, capture: true });
    return () => { for (const k of kinds) window.removeEventListener(k, onInput, { capture: true }); };
  }, [signedIn, access]);

  if (!me) {
    return <SignInPage client={access.client} directory={directory} notice={ended ? t('session.ended', { reason: ended }) : firstNotice ?? null}
      onSignedIn={(token, next) => { setSessionToken(token); access.ended.set(null); access.me.set(next); }} />;
  }
  if (loadError) return <div className="fatal">{t('app.cannotStart')}: {loadError}</div>;
  const done = (r: HandOverResult) => { handOverOpen.set(false); setSummary(r); };
  return (
    <>
      {host && renderConsole(host)}
      {me.state === 'locked' && <LockScreen client={access.client} me={me} onHandedOver={done} onSignOut={() => void signOut()} />}
      {handOver && me.state === 'active' && (
        <div className="access-modal"><HandOverForm client={access.client} onDone={done} onCancel={() => handOverOpen.set(false)} /></div>
      )}
      {summary && <HandOverSummary result={summary} onClose={() => setSummary(null)} />}
    </>
  );
}


