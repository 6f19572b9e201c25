/**
 * Every string the access screens show, through one function `t(key, vars)`: English for now; the languages helper
 * moves these to i18next (Kazakh, Russian, English) with the same keys.
 */
const EN = {
  'signin.title': 'Sign in to Kuzet',
  'signin.user': 'User name',
  'signin.password': 'Password',
  'signin.submit': 'Sign in',
  'signin.busy': 'Signing in…',
  'signin.directory': 'Local account or directory (LDAP) account',
  'signin.local': 'Local account',
  'signin.error.wrong': 'Wrong user name or password.',
  'signin.error.locked': 'Too many failed sign-ins. {detail}',
  'signin.error.directory': 'The directory cannot be used right now: {detail}',
  'signin.error.disabled': 'This account is disabled. Ask an administrator.',
  'signin.error.other': 'Sign-in failed: {detail}',
  'signin.error.empty': 'Enter your user name and password.',
  'lock.title': 'Console locked',
  'lock.who': 'Signed in as {user}. The wall keeps playing.',
  'lock.whoDark': 'Signed in as {user}.',
  'lock.password': 'Your password',
  'lock.unlock': 'Unlock',
  'lock.handover': 'Next operator: hand over the shift',
  'lock.signout': 'Sign out',
  'menu.signedInAs': 'Signed in as {user}',
  'menu.roles': 'Roles: {roles}',
  'menu.lock': 'Lock now',
  'menu.handover': 'Hand over the shift…',
  'menu.password': 'Change password…',
  'menu.signout': 'Sign out',
  'handover.title': 'Shift hand-over',
  'handover.hint': 'The next operator signs in; the wall keeps running.',
  'handover.submit': 'Take over',
  'handover.cancel': 'Cancel',
  'handover.done': '{user} took over from {from}.',
  'handover.alarms': 'Open alarms you take over: {n}',
  'handover.none': 'No open alarms.',
  'handover.ok': 'OK',
  'password.title': 'Change password',
  'password.current': 'Current password',
  'password.next': 'New password (at least 8 characters)',
  'password.repeat': 'New password again',
  'password.mismatch': 'The two new passwords differ.',
  'password.submit': 'Change',
  'password.done': 'Password changed.',
  'session.ended': 'Your session ended: {reason}. Sign in again.',
  'forbidden.title': 'Not allowed for {user}: {right}',
} as const;

export type StringKey = keyof typeof EN;

export function t(key: StringKey, vars: Record<string, string | number> = {}): string {
  return EN[key].replace(/\{(\w+)\}/g, (_m, k: string) => String(vars[k] ?? `{${k}}`));
}
