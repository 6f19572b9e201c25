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
import { DAY_NAMES, describeRule, EVENT_TYPES, formOf, matchesEverything, newRuleForm, ruleFromForm, VIOLATIONS, type RuleForm } from './rule-form.js';

interface Props { host: HostState; onClose: () => void }

const toggle = <T,>(list: readonly T[], v: T): T[] => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

export function RuleEditor({ host, onClose }: Props) {
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [form, setForm] = useState<RuleForm | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [operator] = useOperator();
  const cameras = useValue(host.cameras);
  const zoneStore = zonesFor(host.client);
  const zonesVersion = useStoreVersion(zoneStore);
  const cameraName = useMemo(() => { const m = new Map(cameras.map((c) => [c.id, c.name])); return (id: string) => m.get(id) ?? id; }, [cameras]);
  const groups = useMemo(() => [...new Set(cameras.map((c) => c.group).filter((g): g is string => !!g))].sort(), [cameras]);

  useEffect(() => {
    host.client.call('alarms.rules.list', {}).then(setRules, (e: unknown) => setMessage({ kind: 'error', text: `loading the rules: ${errorMessage(e)}` }));
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
    if (await persist(next, `Saved rule "${rule.name}".`)) setForm(null);
  };

  const set = (change: Partial<RuleForm>) => setForm((f) => (f ? { ...f, ...change } : f));

  return (
    <div className="panel-backdrop" onClick={onClose}>
      <div className="panel rule-panel" role="dialog" aria-label="Rules" onClick={(e) => e.stopPropagation()}>
        <header className="panel-head">
          <h2>Rules</h2>
          <span className="muted">Events that match a rule raise an alarm; the most urgent matching rule wins.</span>
          <span className="spacer" />
          <button onClick={() => { setForm(newRuleForm()); setMessage(null); }}>Add rule</button>
          <button onClick={onClose}>Close</button>
        </header>
        {message && <div className={`banner ${message.kind === 'error' ? 'banner-error' : 'banner-info'}`} role={message.kind === 'error' ? 'alert' : 'status'}><span>{message.text}</span><button className="link" onClick={() => setMessage(null)}>dismiss</button></div>}
        <div className="panel-body rule-body">
          <div className="rule-list">
            {rules === null && <div className="pad muted">Loading…</div>}
            <table>
              <thead><tr><th>On</th><th>P</th><th>Rule</th><th>Matches</th><th /></tr></thead>
              <tbody>
                {(rules ?? []).map((r) => (
                  <tr key={r.id} data-rule-id={r.id} className={`${r.enabled ? '' : 'rule-off'}${form?.id === r.id ? ' sel' : ''}`}>
                    <td><input type="checkbox" aria-label={`enable ${r.name}`} checked={r.enabled} disabled={busy}
                      onChange={() => void persist(rules!.map((x) => (x.id === r.id ? { ...x, enabled: !x.enabled } : x)), `${r.enabled ? 'Disabled' : 'Enabled'} "${r.name}".`)} /></td>
                    <td><span className={`prio prio-${r.priority}`}>P{r.priority}</span></td>
                    <td className="rule-name">{r.name}{matchesEverything(r) && <span className="badge badge-warn" title="Matches every event">matches everything</span>}</td>
                    <td className="muted">{describeRule(r, cameraName)}</td>
                    <td className="rule-actions">
                      <button className="link" onClick={() => { setForm(formOf(r)); setMessage(null); }}>edit</button>
                      {confirmDelete === r.id
                        ? <><button className="link danger" onClick={() => { setConfirmDelete(null); void persist(rules!.filter((x) => x.id !== r.id), `Deleted "${r.name}".`); if (form?.id === r.id) setForm(null); }}>delete it</button><button className="link" onClick={() => setConfirmDelete(null)}>keep</button></>
                        : <button className="link danger" onClick={() => setConfirmDelete(r.id)}>delete</button>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {form && checked && (
            <form className="rule-form" aria-label="Rule" onSubmit={(e) => { e.preventDefault(); void saveForm(); }}>
              <h3>{form.id ? `Edit rule` : 'New rule'}</h3>
              <label>Name<input name="rule-name" value={form.name} maxLength={200} onChange={(e) => set({ name: e.target.value })} autoFocus /></label>
              <div className="rf-row">
                <label className="rf-inline"><input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />Enabled</label>
                <label className="rf-inline">Priority
                  <select name="priority" value={form.priority} onChange={(e) => set({ priority: Number(e.target.value) })}>
                    {[1, 2, 3, 4, 5].map((p) => <option key={p} value={p}>P{p}{p === 1 ? ' (most urgent)' : p === 5 ? ' (least)' : ''}</option>)}
                  </select>
                </label>
                <label className="rf-inline">Minimum confidence<input name="min-confidence" className="rf-num" value={form.minConfidencePct} onChange={(e) => set({ minConfidencePct: e.target.value })} /> %</label>
              </div>
              <fieldset><legend>Event types (none ticked: any)</legend>
                {EVENT_TYPES.map((t) => <label key={t} className="rf-chip"><input type="checkbox" checked={form.types.includes(t)} onChange={() => set({ types: toggle(form.types, t) })} />{t}</label>)}
              </fieldset>
              <fieldset><legend>Cameras or groups (none ticked: every camera)</legend>
                <div className="rf-scroll">
                  {groups.map((g) => <label key={`g-${g}`} className="rf-chip rf-group"><input type="checkbox" checked={form.groups.includes(g)} onChange={() => set({ groups: toggle(form.groups, g) })} />group {g}</label>)}
                  {cameras.map((c) => <label key={c.id} className="rf-chip"><input type="checkbox" aria-label={`camera ${c.name}`} checked={form.cameras.includes(c.id)} onChange={() => set({ cameras: toggle(form.cameras, c.id) })} />{c.name}</label>)}
                </div>
              </fieldset>
              <fieldset><legend>Zones or lines (none ticked: anywhere)</legend>
                {zoneChoices.length === 0 && <span className="muted">No zones or lines drawn on these cameras (right-click a tile: “Edit zones and lines…”).</span>}
                {zoneChoices.map(([name, z]) => (
                  <label key={name} className="rf-chip" title={z.on.length ? `on ${z.on.join(', ')}` : 'not drawn on these cameras: only analytics that name it match'}>
                    <input type="checkbox" aria-label={`zone ${name}`} checked={form.zones.includes(name)} onChange={() => set({ zones: toggle(form.zones, name) })} />
                    {z.kind === 'line' ? '⟷ ' : '▱ '}{name}{z.on.length ? '' : ' (not drawn)'}
                  </label>
                ))}
              </fieldset>
              <label>Watch lists (comma separated; face matches and listed plates)<input name="watchlists" value={form.watchlists} onChange={(e) => set({ watchlists: e.target.value })} /></label>
              {(form.types.includes('traffic_violation') || form.violations.length > 0) && (
                <fieldset><legend>Traffic violations (none ticked: any)</legend>
                  {VIOLATIONS.map((v) => <label key={v} className="rf-chip"><input type="checkbox" checked={form.violations.includes(v)} onChange={() => set({ violations: toggle(form.violations, v) })} />{v}</label>)}
                </fieldset>
              )}
              <fieldset><legend><label className="rf-inline"><input type="checkbox" name="schedule" checked={form.scheduleOn} onChange={(e) => set({ scheduleOn: e.target.checked })} />Only on a schedule (host’s local time)</label></legend>
                {form.scheduleOn && <div className="rf-row">
                  {DAY_NAMES.map((d, i) => <label key={d} className="rf-chip"><input type="checkbox" checked={form.days.includes(i)} onChange={() => set({ days: toggle(form.days, i) })} />{d}</label>)}
                  <label className="rf-inline">from<input name="from" className="rf-time" value={form.from} onChange={(e) => set({ from: e.target.value })} /></label>
                  <label className="rf-inline">to<input name="to" className="rf-time" value={form.to} onChange={(e) => set({ to: e.target.value })} /></label>
                </div>}
              </fieldset>
              <div className="rf-row">
                <label className="rf-inline">Same track is one alarm within<input className="rf-num" value={form.dedupWindowSec} onChange={(e) => set({ dedupWindowSec: e.target.value })} /> s</label>
                <label className="rf-inline">incident window<input className="rf-num" value={form.incidentWindowSec} onChange={(e) => set({ incidentWindowSec: e.target.value })} /> s</label>
                <label className="rf-inline">escalate if unclaimed after<input className="rf-num" value={form.claimWithinSec} onChange={(e) => set({ claimWithinSec: e.target.value })} /> s</label>
              </div>
              {checked.errors.map((e) => <div key={e} className="error" role="alert">{e}</div>)}
              {checked.warnings.map((w) => <div key={w} className="rf-warning" role="status">{w}</div>)}
              <div className="modal-actions">
                <button type="button" onClick={() => setForm(null)}>Cancel</button>
                <button type="submit" className="on" disabled={busy || !checked.rule}>Save rule</button>
              </div>
            </form>
          )}
        </div>
      </div>
    </div>
  );
}
