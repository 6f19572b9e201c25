/** The operator's name on this console (who claims, who resolved), remembered per browser profile. */
import { useCallback, useState } from 'react';
import { t } from '../i18n/i18n.js';
import { useMe } from '../access/access-state.js';

const KEY = 'kuzet.operator';

export function useOperator(): [string, (name: string) => void] {
  const [name, setName] = useState(() => {
    try { return localStorage.getItem(KEY) || `operator-${Math.random().toString(36).slice(2, 6)}`; } catch { return 'operator'; }
  });
  const set = useCallback((n: string) => {
    setName(n);
    try { localStorage.setItem(KEY, n); } catch { /* private mode: the name lasts for this session */ }
  }, []);
  const me = useMe(); // issue 12: signed in, the operator is the session's user (the host records that name anyway)
  return [me?.user ?? name, set];
}

export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('age.s', { n: s });
  if (s < 3600) return t('age.min', { n: Math.floor(s / 60) });
  return `${t('age.h', { n: Math.floor(s / 3600) })} ${t('age.min', { n: Math.floor((s % 3600) / 60) })}`;
}
