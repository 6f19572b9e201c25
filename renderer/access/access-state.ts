/**
 * The signed-in user as the renderer knows it (from `access.whoami` and `access.session` events): who, which rights
 * where, locked or not. Buttons ask `mayAny`/`mayOn` to grey out what the host would refuse anyway.
 */
import { useSyncExternalStore } from 'react';
import type { Me, Right } from '../../electron/contract/access/access-schema.js';
import type { BridgeClient } from '../bridge/client.js';
import { ValueStore } from '../bridge/stores.js';
import { setLanguage } from '../i18n/i18n.js';
import { rememberLanguageWith, userLanguageChanged } from '../i18n/language-pref.js';

export interface AccessState {
  client: BridgeClient;
  me: ValueStore<Me | null>;
  /** Why the session ended (shown on the sign-in page), or null. */
  ended: ValueStore<string | null>;
}

let current: AccessState | null = null;

export function createAccessState(client: BridgeClient, me: Me | null): AccessState {
  const state: AccessState = { client, me: new ValueStore<Me | null>(me), ended: new ValueStore<string | null>(null) };
  client.on('access.session', (e) => {
    if (e.state === 'ended') { state.me.set(null); state.ended.set(e.reason); return; }
    if (e.me) state.me.set(e.me);
  });
  // per-user language (issue 12): the signed-in user's choice is saved on the host and applied when they sign in
  let user: string | null = null;
  let language = me?.language ?? null;
  const follow = (m: Me | null) => {
    if ((m?.user ?? null) === user) {
      // the same user chose another language in another window (the map window follows the wall's, language-pref.ts)
      if (m?.language && m.language !== language) userLanguageChanged(m.language);
      language = m?.language ?? null;
      return;
    }
    user = m?.user ?? null;
    language = m?.language ?? null;
    rememberLanguageWith(m ? async (lng) => { if (lng !== 'pseudo') await client.call('access.language', { language: lng }); } : null);
    const urlLang = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('lang');
    if (m?.language && !urlLang) void setLanguage(m.language);
  };
  follow(me);
  state.me.subscribe(() => follow(state.me.get()));
  current = state;
  return state;
}

export function accessState(): AccessState | null { return current; }

const nobody = new ValueStore<Me | null>(null);

export function useMe(): Me | null {
  const store = current?.me ?? nobody;
  return useSyncExternalStore((cb) => store.subscribe(cb), () => store.get());
}

export function mayAny(me: Me | null, right: Right): boolean {
  return !!me && (me.global.includes(right) || Object.values(me.cameras).some((r) => r.includes(right)));
}
export function mayAll(me: Me | null, right: Right): boolean { return !!me && me.global.includes(right); }
export function mayOn(me: Me | null, right: Right, cameraId: string): boolean {
  return !!me && (me.global.includes(right) || !!me.cameras[cameraId]?.includes(right));
}
