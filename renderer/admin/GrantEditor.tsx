/**
 * One grant as the administrator edits it (a user's own rights and a role's rights alike): rights, on all cameras,
 * chosen cameras or camera groups, optionally only on chosen weekdays between two times on the centre's clock.
 */
import { useTranslation } from 'react-i18next';
import { ALL_RIGHTS, CONSOLE_ONLY, type GrantForm } from './user-form.js';

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
export const toggle = <T,>(list: readonly T[], x: T, on: boolean): T[] => (on ? [...new Set([...list, x])] : list.filter((y) => y !== x));

export function GrantEditor({ g, onChange, onRemove, cameras, groups }: {
  g: GrantForm; onChange(g: GrantForm): void; onRemove(): void; cameras: Array<{ id: string; name: string }>; groups: string[];
}) {
  const { t } = useTranslation();
  const set = <K extends keyof GrantForm>(k: K, v: GrantForm[K]) => onChange({ ...g, [k]: v });
  return (
    <fieldset className="admin-grant">
      <legend>{t('admin.grant')}</legend>
      <div className="admin-checks">
        {ALL_RIGHTS.filter((r) => g.scope === 'all' || !CONSOLE_ONLY.includes(r)).map((r) => (
          <label key={r} className="check"><input type="checkbox" checked={g.rights.includes(r)} onChange={(e) => set('rights', toggle(g.rights, r, e.target.checked))} />{t(`admin.rights.${r}`)}</label>
        ))}
      </div>
      <label className="field"><span>{t('admin.scope')}</span>
        <select data-testid="grant-scope" value={g.scope} onChange={(e) => set('scope', e.target.value as GrantForm['scope'])}>
          <option value="all">{t('admin.scopeAll')}</option>
          <option value="cameras">{t('admin.scopeCameras')}</option>
          <option value="groups">{t('admin.scopeGroups')}</option>
        </select>
      </label>
      {g.scope === 'cameras' && (
        <select multiple aria-label={t('admin.scopeCameras')} value={g.cameraIds} onChange={(e) => set('cameraIds', [...e.target.selectedOptions].map((o) => o.value))} size={Math.max(3, Math.min(8, cameras.length))}>
          {cameras.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
      )}
      {g.scope === 'groups' && (
        <select multiple aria-label={t('admin.scopeGroups')} value={g.groups} onChange={(e) => set('groups', [...e.target.selectedOptions].map((o) => o.value))} size={Math.max(3, Math.min(6, groups.length))}>
          {groups.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      )}
      <label className="check"><input type="checkbox" checked={g.windowOn} onChange={(e) => set('windowOn', e.target.checked)} />{t('admin.windowOn')}</label>
      {g.windowOn && (
        <div className="admin-window">
          <div className="admin-checks">
            {DAYS.map((d) => <label key={d} className="check"><input type="checkbox" checked={g.days.includes(d)} onChange={(e) => set('days', toggle(g.days, d, e.target.checked))} />{t(`admin.days.${d}`)}</label>)}
          </div>
          <label className="field"><span>{t('admin.windowFrom')}</span><input type="time" value={g.from} onChange={(e) => set('from', e.target.value)} /></label>
          <label className="field"><span>{t('admin.windowTo')}</span><input type="time" value={g.to} onChange={(e) => set('to', e.target.value)} /></label>
          <span className="muted">{g.timeZone}</span>
        </div>
      )}
      <button type="button" onClick={onRemove}>{t('admin.removeGrant')}</button>
    </fieldset>
  );
}

