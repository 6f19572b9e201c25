/**
 * Roles in the administrator's screen (issue 12, §2): the built-in roles (their grants editable, never removed) and
 * custom roles (created, changed, removed), each with its rights per camera or camera group and optional time windows
 * (a contractor by day). Users get roles in the user form. Every change is one access.roles.save / remove call, audited
 * by the host, which refuses it to anyone without manageUsers on every camera.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../electron/contract/access/access-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { newGrant } from './user-form.js';
import { emptyRoleForm, formOfRole, roleOfForm, withName, type RoleForm } from './role-form.js';
import { GrantEditor } from './GrantEditor.js';

interface Props {
  host: HostState;
  roles: readonly Role[];
  cameras: Array<{ id: string; name: string }>;
  groups: string[];
  timeZone: string;
  /** Reloads users and roles after a change. */
  reload(): Promise<void>;
}

export function RolesView({ host, roles, cameras, groups, timeZone, reload }: Props) {
  const { t } = useTranslation();
  const [form, setForm] = useState<RoleForm | null>(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const checked = form ? roleOfForm(form, roles) : null;
  const roleName = (r: Pick<Role, 'id' | 'name' | 'builtIn'>) => (r.builtIn ? t(`admin.roleNames.${r.id}`) : r.name);
  const set = <K extends keyof RoleForm>(k: K, v: RoleForm[K]) => setForm((f) => (f ? { ...f, [k]: v } : f));

  const run = async (what: () => Promise<unknown>, done: string): Promise<boolean> => {
    try { await what(); await reload(); setError(''); setStatus(done); return true; } catch (e) { setError(errorMessage(e)); setStatus(''); return false; }
  };

  return (
    <div className="admin-roles" data-testid="roles-view">
      <div className="cam-table">
        <div className="admin-roles-head">
          <button onClick={() => { setForm(emptyRoleForm()); setStatus(''); setError(''); }}>{t('roles.newRole')}</button>
        </div>
        {error && <div className="banner banner-error" role="alert">{error}</div>}
        {status && <div className="banner" role="status">{status}</div>}
        <table>
          <thead><tr><th>{t('roles.col.name')}</th><th>{t('roles.col.id')}</th><th>{t('roles.col.kind')}</th><th>{t('roles.col.grants')}</th></tr></thead>
          <tbody>
            {roles.map((r) => (
              <tr key={r.id} data-role={r.id} className={form?.id === r.id && !form.isNew ? 'on' : ''} onClick={() => { setForm(formOfRole(r, timeZone)); setStatus(''); setError(''); }}>
                <td>{roleName(r)}</td><td>{r.id}</td><td>{r.builtIn ? t('roles.builtIn') : t('roles.custom')}</td>
                <td>{t('roles.grantCount', { count: r.grants.length })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {form && (
        <form className="cam-form admin-form" aria-label={form.isNew ? t('roles.newRole') : t('roles.editRole', { role: roleName(form) })} onSubmit={(e) => {
          e.preventDefault();
          const role = checked?.role;
          if (!role) return;
          void run(() => host.client.call('access.roles.save', { role }), t('roles.saved', { role: roleName(role) }))
            .then((ok) => { if (ok) setForm((f) => (f ? { ...f, isNew: false, idTyped: true } : f)); });
        }}>
          <h3>{form.isNew ? t('roles.newRole') : t('roles.editRole', { role: roleName(form) })}</h3>
          {form.builtIn
            ? <div className="muted">{t('roles.builtInNote')}</div>
            : <label className="field"><span>{t('roles.name')}</span><input value={form.name} maxLength={100} onChange={(e) => { const name = e.target.value; setForm((f) => (f ? withName(f, name) : f)); }} /></label>}
          {form.isNew && (
            <label className="field"><span>{t('roles.id')}</span>
              <input value={form.id} maxLength={32} autoComplete="off" onChange={(e) => { const id = e.target.value; setForm((f) => (f ? { ...f, id, idTyped: true } : f)); }} />
            </label>
          )}
          <div className="field"><span>{t('roles.grants')}</span>
            {form.grants.map((g, i) => (
              <GrantEditor key={i} g={g} cameras={cameras} groups={groups}
                onChange={(next) => set('grants', form.grants.map((x, j) => (j === i ? next : x)))}
                onRemove={() => set('grants', form.grants.filter((_, j) => j !== i))} />
            ))}
            <button type="button" onClick={() => set('grants', [...form.grants, newGrant(timeZone)])}>{t('admin.addGrant')}</button>
            {form.grants.length === 0 && <span className="muted">{t('roles.noGrants')}</span>}
          </div>
          {checked?.problems.map((p) => <div key={p} className="form-error">{t(p)}</div>)}
          <div className="modal-actions">
            <button type="submit" disabled={!checked?.role}>{t('common.save')}</button>
            {!form.isNew && !form.builtIn && (
              <button type="button" onClick={() => {
                if (!window.confirm(t('roles.removeConfirm', { role: form.name }))) return;
                void run(() => host.client.call('access.roles.remove', { id: form.id }), t('roles.removed', { role: form.name })).then((ok) => { if (ok) setForm(null); });
              }}>{t('roles.remove')}</button>
            )}
          </div>
        </form>
      )}
    </div>
  );
}
