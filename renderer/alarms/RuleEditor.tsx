/**
 * Rule editor (issue 3 §3): the rules that turn events into alarms. List, add, edit, enable/disable, delete; every
 * change saves the whole list with `alarms.rules.save` (audited by the host). Messages are plain text.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Rule } from '../../electron/contract/alarms-schema.js';
import type { Zone } from '../../electron/contract/zones-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { useStoreVersion, useValue } from '../bridge/stores.js';
import { errorMessage } from '../app/ui-errors.js';
import { zonesFor } from '../overlays/zone-store.js';
import { useOperator } from './operator.js';
import { useTranslation } from 'react-i18next';
import { eventTypeLabel, violationLabel } from '../i18n/labels.js';
import { dayName, describeRule, EVENT_TYPES, formOf, matchesEverything, newRuleForm, ruleFromForm, VIOLATIONS, type RuleForm } from './rule-form.js';
import { useCameraName } from '../bridge/camera-name.js';

interface Props { host: HostState; onClose: () => void }

const toggle = <T,>(list: readonly T[], v: T): T[] => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

export function RuleEditor({ host, onClose }: Props) {
  const { t } = useTranslation();
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [form, setForm] = useState<RuleForm | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [operator] = useOperator();
  const cameras = useValue(host.cameras);
  const zoneStore = zonesFor(host.client);
  const zonesVersion = useStoreVersion(zoneStore);
  const cameraName = useCameraName(host);
  const groups = useMemo(() => [...new Set(cameras.map((c) => c.group).filter((g): g is string => !!g))].sort(), [cameras]);

  useEffect(() => {
    host.client.call('alarms.rules.list', {}).then(setRules, (e: unknown) => setMessage({ kind: 'error', text: t('rules.loadFailed', { error: errorMessage(e) }) }));
  }, [host]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') { if (form) setForm(null); else onClose(); e.stopImmediatePropagation(); } };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [form, onClose]);

  const persist = async (next: Rule[], done: string) => {
    setBusy(true);
    try {
      const saved = await host.client.call('alarms.rules.save', { rules: next, operator });
      setRules(saved);
      setMessage({ kind: 'info', text: done });
      return true;
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
      return false;
    } finally { setBusy(false); }
  };

  // Zones the rule can pick: those drawn on its cameras (or on every camera when it names none), by name.
  const zoneChoices = useMemo(() => {
    if (!form) return [];
    const scoped = form.cameras.length || form.groups.length
      ? cameras.filter((c) => form.cameras.includes(c.id) || (c.group !== undefined && form.groups.includes(c.group)))
      : cameras;
    const byName = new Map<string, { kind: Zone['kind']; on: string[] }>();
    for (const c of scoped) for (const z of zoneStore.get(c.id) ?? []) {
      const e = byName.get(z.name) ?? { kind: z.kind, on: [] };
      e.on.push(c.name);
      byName.set(z.name, e);
    }
    for (const name of form.zones) if (!byName.has(name)) byName.set(name, { kind: 'zone', on: [] });
    return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [form, cameras, zoneStore, zonesVersion]);

  const others = new Set((rules ?? []).filter((r) => r.id !== form?.id).map((r) => r.id));
  const checked = form ? ruleFromForm(form, others) : null;

  const saveForm = async () => {
    if (!form || !checked?.rule || !rules) return;
    const rule = checked.rule as Rule;
    const exists = rules.some((r) => r.id === form.id && form.id);
    const next = exists ? rules.map((r) => (r.id === form.id ? rule : r)) : [...rules, rule];
    if (await persist(next, t('rules.saved', { name: rule.name }))) setForm(null);
  };

  const set = (change: Partial<RuleForm>) => setForm((f) => (f ? { ...f, ...change } : f));

  return (
    <div className="panel-backdrop" onClick={onClose}>
      <div className="panel rule-panel" role="dialog" aria-label={t('rules.title')} onClick={(e) => e.stopPropagation()}>
        <header className="panel-head">
          <h2>{t('rules.title')}</h2>
          <span className="muted">{t('rules.intro')}</span>
          <span className="spacer" />
          <button onClick={() => { setForm(newRuleForm()); setMessage(null); }}>{t('rules.add')}</button>
          <button onClick={onClose}>{t('common.close')}</button>
        </header>
        {message && <div className={`banner ${message.kind === 'error' ? 'banner-error' : 'banner-info'}`} role={message.kind === 'error' ? 'alert' : 'status'}><span>{message.text}</span><button className="link" onClick={() => setMessage(null)}>{t('common.dismiss')}</button></div>}
        <div className="panel-body rule-body">
          <div className="rule-list">
            {rules === null && <div className="pad muted">{t('common.loading')}</div>}
            <table>
              <thead><tr><th>{t('rules.colOn')}</th><th>P</th><th>{t('rules.colRule')}</th><th>{t('rules.colMatches')}</th><th /></tr></thead>
              <tbody>
                {(rules ?? []).map((r) => (
                  <tr key={r.id} data-rule-id={r.id} className={`${r.enabled ? '' : 'rule-off'}${form?.id === r.id ? ' sel' : ''}`}>
                    <td><input type="checkbox" aria-label={t('rules.enableNamed', { name: r.name })} checked={r.enabled} disabled={busy}
                      onChange={() => void persist(rules!.map((x) => (x.id === r.id ? { ...x, enabled: !x.enabled } : x)), t(r.enabled ? 'rules.disabledNamed' : 'rules.enabledNamed', { name: r.name }))} /></td>
                    <td><span className={`prio prio-${r.priority}`}>P{r.priority}</span></td>
                    <td className="rule-name">{r.name}{matchesEverything(r) && <span className="badge badge-warn" title={t('rules.matchesEveryEvent')}>{t('rules.matchesEverything')}</span>}</td>
                    <td className="muted">{describeRule(r, cameraName)}</td>
                    <td className="rule-actions">
                      <button className="link" onClick={() => { setForm(formOf(r)); setMessage(null); }}>{t('common.edit')}</button>
                      {confirmDelete === r.id
                        ? <><button className="link danger" onClick={() => { setConfirmDelete(null); void persist(rules!.filter((x) => x.id !== r.id), t('rules.deletedNamed', { name: r.name })); if (form?.id === r.id) setForm(null); }}>{t('rules.deleteIt')}</button><button className="link" onClick={() => setConfirmDelete(null)}>{t('rules.keep')}</button></>
                        : <button className="link danger" onClick={() => setConfirmDelete(r.id)}>{t('common.delete')}</button>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {form && checked && (
            <form className="rule-form" aria-label={t('rules.rule')} onSubmit={(e) => { e.preventDefault(); void saveForm(); }}>
              <h3>{form.id ? t('rules.editRule') : t('rules.newRule')}</h3>
              <label>{t('rules.name')}<input name="rule-name" value={form.name} maxLength={200} onChange={(e) => set({ name: e.target.value })} autoFocus /></label>
              <div className="rf-row">
                <label className="rf-inline"><input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />{t('rules.enabled')}</label>
                <label className="rf-inline">{t('rules.priority')}
                  <select name="priority" value={form.priority} onChange={(e) => set({ priority: Number(e.target.value) })}>
                    {[1, 2, 3, 4, 5].map((p) => <option key={p} value={p}>P{p}{p === 1 ? ` ${t('rules.mostUrgent')}` : p === 5 ? ` ${t('rules.least')}` : ''}</option>)}
                  </select>
                </label>
                <label className="rf-inline">{t('rules.minConfidence')}<input name="min-confidence" className="rf-num" value={form.minConfidencePct} onChange={(e) => set({ minConfidencePct: e.target.value })} /> %</label>
              </div>
              <fieldset><legend>{t('rules.eventTypes')}</legend>
                {EVENT_TYPES.map((ty) => <label key={ty} className="rf-chip"><input type="checkbox" checked={form.types.includes(ty)} onChange={() => set({ types: toggle(form.types, ty) })} />{eventTypeLabel(ty)}</label>)}
              </fieldset>
              <fieldset><legend>{t('rules.camerasOrGroups')}</legend>
                <div className="rf-scroll">
                  {groups.map((g) => <label key={`g-${g}`} className="rf-chip rf-group"><input type="checkbox" checked={form.groups.includes(g)} onChange={() => set({ groups: toggle(form.groups, g) })} />{t('rules.groupNamed', { group: g })}</label>)}
                  {cameras.map((c) => <label key={c.id} className="rf-chip"><input type="checkbox" aria-label={t('rules.cameraNamed', { name: c.name })} checked={form.cameras.includes(c.id)} onChange={() => set({ cameras: toggle(form.cameras, c.id) })} />{c.name}</label>)}
                </div>
              </fieldset>
              <fieldset><legend>{t('rules.zonesOrLines')}</legend>
                {zoneChoices.length === 0 && <span className="muted">{t('rules.noZones')}</span>}
                {zoneChoices.map(([name, z]) => (
                  <label key={name} className="rf-chip" title={z.on.length ? t('rules.onCameras', { list: z.on.join(', ') }) : t('rules.notDrawnHint')}>
                    <input type="checkbox" aria-label={t('rules.zoneNamed', { name })} checked={form.zones.includes(name)} onChange={() => set({ zones: toggle(form.zones, name) })} />
                    {z.kind === 'line' ? '⟷ ' : '▱ '}{name}{z.on.length ? '' : ` ${t('rules.notDrawn')}`}
                  </label>
                ))}
              </fieldset>
              <label>{t('rules.watchlists')}<input name="watchlists" value={form.watchlists} onChange={(e) => set({ watchlists: e.target.value })} /></label>
              {(form.types.includes('traffic_violation') || form.violations.length > 0) && (
                <fieldset><legend>{t('rules.violations')}</legend>
                  {VIOLATIONS.map((v) => <label key={v} className="rf-chip"><input type="checkbox" checked={form.violations.includes(v)} onChange={() => set({ violations: toggle(form.violations, v) })} />{violationLabel(v)}</label>)}
                </fieldset>
              )}
              <fieldset><legend><label className="rf-inline"><input type="checkbox" name="schedule" checked={form.scheduleOn} onChange={(e) => set({ scheduleOn: e.target.checked })} />{t('rules.schedule')}</label></legend>
                {form.scheduleOn && <div className="rf-row">
                  {[0, 1, 2, 3, 4, 5, 6].map((i) => <label key={i} className="rf-chip"><input type="checkbox" checked={form.days.includes(i)} onChange={() => set({ days: toggle(form.days, i) })} />{dayName(i)}</label>)}
                  <label className="rf-inline">{t('rules.from')}<input name="from" className="rf-time" value={form.from} onChange={(e) => set({ from: e.target.value })} /></label>
                  <label className="rf-inline">{t('rules.to')}<input name="to" className="rf-time" value={form.to} onChange={(e) => set({ to: e.target.value })} /></label>
                </div>}
              </fieldset>
              <div className="rf-row">
                <label className="rf-inline">{t('rules.dedupWithin')}<input className="rf-num" value={form.dedupWindowSec} onChange={(e) => set({ dedupWindowSec: e.target.value })} /> {t('units.s')}</label>
                <label className="rf-inline">{t('rules.incidentWindow')}<input className="rf-num" value={form.incidentWindowSec} onChange={(e) => set({ incidentWindowSec: e.target.value })} /> {t('units.s')}</label>
                <label className="rf-inline">{t('rules.escalateAfter')}<input className="rf-num" value={form.claimWithinSec} onChange={(e) => set({ claimWithinSec: e.target.value })} /> {t('units.s')}</label>
              </div>
              {checked.errors.map((e) => <div key={e} className="error" role="alert">{e}</div>)}
              {checked.warnings.map((w) => <div key={w} className="rf-warning" role="status">{w}</div>)}
              <div className="modal-actions">
                <button type="button" onClick={() => setForm(null)}>{t('common.cancel')}</button>
                <button type="submit" className="on" disabled={busy || !checked.rule}>{t('rules.save')}</button>
              </div>
            </form>
          )}
        </div>
      </div>
    </div>
  );
}
