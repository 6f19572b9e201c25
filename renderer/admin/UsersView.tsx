/**
 * The administrator's users and rights screen (issue 12, §2): list users, create a local user, disable or enable one (the
 * host ends a disabled user's sessions at once), assign roles, per-camera or per-group rights with a time window (a
 * contractor by day), unlock after too many failed sign-ins, and the audit's retention. Every change is made and audited
 * by the host, which refuses it to anyone without manageUsers; this screen is shown only to those who have it.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '../../electron/contract/access/access-schema.js';
import type { AuditRetention } from '../../electron/contract/audit-api.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatDateTime, getCentreTimeZone } from '../i18n/format.js';
import { useMe } from '../access/access-state.js';
import { emptyUserForm, formOfUser, inputOfForm, newGrant, userState, type UserForm } from './user-form.js';
import { GrantEditor, toggle } from './GrantEditor.js';
import { RolesView } from './RolesView.js';
import './admin.css';

function RetentionSetting({ host }: { host: HostState }) {
  const { t } = useTranslation();
  const [r, setR] = useState<AuditRetention | null>(null);
  const [days, setDays] = useState('');
  const [msg, setMsg] = useState('');
  useEffect(() => { host.client.call('audit.retention', {}).then((x) => { setR(x); setDays(String(x.days)); }).catch((e: unknown) => setMsg(errorMessage(e))); }, [host]);
  const save = () => {
    host.client.call('audit.retention', { days: Number(days) })
      .then((x) => { setR(x); setMsg(t('admin.retentionSaved')); })
      .catch((e: unknown) => setMsg(errorMessage(e)));
  };
  return (
    <div className="admin-retention" data-testid="audit-retention">
      <label className="field"><span>{t('admin.retention')}</span>
        <input type="number" min={1} value={days} onChange={(e) => setDays(e.target.value)} />
      </label>
      <button onClick={save} disabled={!/^\d+$/.test(days)}>{t('common.save')}</button>
      {r && <span className="muted">{t('admin.retentionFootage', { days: r.footageDays, effective: r.effectiveDays })}</span>}
      {msg && <span role="status">{msg}</span>}
    </div>
  );
}

export function UsersView({ host, onClose }: { host: HostState; onClose(): void }) {
  const { t } = useTranslation();
  const me = useMe();
  const cameraList = useValue(host.cameras);
  const cameras = useMemo(() => cameraList.map((c) => ({ id: c.id, name: c.name })), [cameraList]);
  const groups = useMemo(() => [...new Set(cameraList.map((c) => c.group).filter((g): g is string => !!g))].sort(), [cameraList]);
  const tz = getCentreTimeZone();
  const [users, setUsers] = useState<User[]>([]);
  const [roles, setRoles] = useState<Role[]>([]);
  const [form, setForm] = useState<UserForm | null>(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [showRoles, setShowRoles] = useState(false);

  const reload = useCallback(async () => {
    const [u, r] = await Promise.all([host.client.call('access.users.list', {}), host.client.call('access.roles.list', {})]);
    setUsers(u);
    setRoles(r);
  }, [host]);
  useEffect(() => { reload().catch((e: unknown) => setError(errorMessage(e))); }, [reload]);

  const run = async (what: () => Promise<unknown>, done: string) => {
    try { await what(); await reload(); setError(''); setStatus(done); } catch (e) { setError(errorMessage(e)); setStatus(''); }
  };
  const selected = form && !form.isNew ? users.find((u) => u.name === form.name) ?? null : null;
  const checked = form ? inputOfForm(form) : null;
  const set = <K extends keyof UserForm>(k: K, v: UserForm[K]) => setForm((f) => (f ? { ...f, [k]: v } : f));

  return (
    <div className="panel-backdrop" onClick={onClose}>
      <div className="panel admin-panel" role="dialog" aria-label={t('admin.title')} onClick={(e) => e.stopPropagation()} data-testid="users-view">
        <header className="panel-head">
          <h2>{t('admin.title')}</h2>
          <span className="spacer" />
          <button className={showRoles ? '' : 'on'} aria-pressed={!showRoles} onClick={() => setShowRoles(false)}>{t('roles.usersTab')}</button>
          <button className={showRoles ? 'on' : ''} aria-pressed={showRoles} onClick={() => setShowRoles(true)}>{t('roles.rolesTab')}</button>
          {!showRoles && <button onClick={() => { setForm(emptyUserForm()); setStatus(''); }}>{t('admin.newUser')}</button>}
          <button onClick={onClose}>{t('common.close')}</button>
        </header>
        {error && <div className="banner banner-error" role="alert">{error}</div>}
        {status && <div className="banner" role="status">{status}</div>}
        {showRoles && <div className="panel-body"><RolesView host={host} roles={roles} cameras={cameras} groups={groups} timeZone={tz} reload={reload} /></div>}
        <div className="panel-body" style={showRoles ? { display: 'none' } : undefined}>
          <div className="cam-table">
            <table>
              <thead><tr><th>{t('admin.col.name')}</th><th>{t('admin.col.displayName')}</th><th>{t('admin.col.source')}</th><th>{t('admin.col.roles')}</th><th>{t('admin.col.state')}</th><th>{t('admin.col.lastSignIn')}</th></tr></thead>
              <tbody>
                {users.map((u) => {
                  const state = userState(u, Date.now());
                  return (
                    <tr key={u.name} className={form?.name === u.name && !form.isNew ? 'on' : ''} onClick={() => { setForm(formOfUser(u, tz)); setStatus(''); }} data-user={u.name} data-state={state}>
                      <td>{u.name}</td><td>{u.displayName}</td><td>{t(`admin.source.${u.source}`)}</td><td>{[u.roles.join(', '), u.grants.length ? t('admin.ownGrants', { count: u.grants.length }) : ''].filter(Boolean).join(' + ')}</td>
                      <td className={state === 'active' ? '' : 'bad'}>{t(`admin.state.${state}`)}{state === 'locked' && u.lockedUntil ? ` (${formatDateTime(u.lockedUntil)})` : ''}</td>
                      <td>{u.lastSignInAt ? formatDateTime(u.lastSignInAt) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <RetentionSetting host={host} />
          </div>
          {form && (
            <form className="cam-form admin-form" aria-label={form.isNew ? t('admin.newUser') : t('admin.editUser', { user: form.name })} onSubmit={(e) => {
              e.preventDefault();
              if (!checked?.input) return;
              const input = checked.input;
              void run(() => host.client.call('access.users.save', { user: input }), t('admin.saved', { user: form.name }))
                .then(() => setForm((f) => (f ? { ...f, isNew: false, password: '', confirm: '' } : f)));
            }}>
              <h3>{form.isNew ? t('admin.newUser') : t('admin.editUser', { user: form.name })}</h3>
              {form.isNew && <label className="field"><span>{t('admin.name')}</span><input value={form.name} onChange={(e) => set('name', e.target.value)} maxLength={64} autoComplete="off" /></label>}
              <label className="field"><span>{t('admin.displayName')}</span><input value={form.displayName} onChange={(e) => set('displayName', e.target.value)} maxLength={100} /></label>
              {(form.isNew || selected?.source === 'local') && <>
                <label className="field"><span>{form.isNew ? t('admin.password') : t('admin.newPassword')}</span><input type="password" value={form.password} onChange={(e) => set('password', e.target.value)} autoComplete="new-password" /></label>
                <label className="field"><span>{t('admin.confirm')}</span><input type="password" value={form.confirm} onChange={(e) => set('confirm', e.target.value)} autoComplete="new-password" /></label>
                <span className="muted">{t('admin.passwordRules')}</span>
              </>}
              <div className="field"><span>{t('admin.roles')}</span>
                <div className="admin-checks">
                  {roles.map((r) => <label key={r.id} className="check"><input type="checkbox" checked={form.roles.includes(r.id)} onChange={(e) => set('roles', toggle(form.roles, r.id, e.target.checked))} />{r.builtIn ? t(`admin.roleNames.${r.id}`) : r.name}</label>)}
                </div>
              </div>
              <div className="field"><span>{t('admin.grants')}</span>
                {form.grants.map((g, i) => (
                  <GrantEditor key={i} g={g} cameras={cameras} groups={groups}
                    onChange={(next) => set('grants', form.grants.map((x, j) => (j === i ? next : x)))}
                    onRemove={() => set('grants', form.grants.filter((_, j) => j !== i))} />
                ))}
                <button type="button" onClick={() => set('grants', [...form.grants, newGrant(tz)])}>{t('admin.addGrant')}</button>
              </div>
              {checked?.problems.map((p) => <div key={p} className="form-error">{t(p)}</div>)}
              <div className="modal-actions">
                <button type="submit" disabled={!checked?.input}>{t('common.save')}</button>
              </div>
              {selected && (
                <div className="modal-actions">
                  {selected.lockedUntil && <button type="button" onClick={() => void run(() => host.client.call('access.users.save', { user: { name: selected.name, unlock: true } }), t('admin.unlocked', { user: selected.name }))}>{t('admin.unlock')}</button>}
                  <button type="button" disabled={selected.name === me?.user}
                    onClick={() => void run(() => host.client.call('access.users.save', { user: { name: selected.name, disabled: !selected.disabled } }), t(selected.disabled ? 'admin.enabled' : 'admin.disabled', { user: selected.name }))}>
                    {selected.disabled ? t('admin.enable') : t('admin.disable')}
                  </button>
                  <button type="button" disabled={selected.name === me?.user}
                    onClick={() => { if (window.confirm(t('admin.removeConfirm', { user: selected.name }))) void run(() => host.client.call('access.users.remove', { name: selected.name }), t('admin.removed', { user: selected.name })).then(() => setForm(null)); }}>
                    {t('admin.remove')}
                  </button>
                </div>
              )}
            </form>
          )}
        </div>
      </div>
    </div>
  );
}
