/**
 * The alarm queue panel: live list ordered by priority then time, filters, bulk actions for floods, a sound per
 * priority, and the detail of the selected alarm. Reads the queue store outside React.
 */
import { memo, useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { EventType } from '../../electron/contract/events-schema.js';
import type { Alarm, AlarmAction, AlarmState } from '../../electron/contract/alarms-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import type { UiErrors } from '../app/ui-errors.js';
import { DEFAULT_FILTER, filterAlarms, type AlarmFilter } from './alarm-filter.js';
import { connectAlarmQueue } from './alarm-queue-store.js';
import { AlarmSound } from './alarm-sound.js';
import { AlarmDetail } from './AlarmDetail.js';
import { formatAge, useOperator } from './operator.js';
import { recordSeen } from './alarm-instrumentation.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import './alarms.css';

interface Props { host: HostState; errors: UiErrors; onShowCamera: (cameraId: string) => void; onArrival?: (a: Alarm) => void }

const STATE_SETS: Record<string, AlarmState[]> = { open: ['new', 'claimed', 'escalated'], new: ['new', 'escalated'], resolved: ['resolved'], all: ['new', 'claimed', 'escalated', 'resolved'] };

export function AlarmQueue({ host, errors, onShowCamera, onArrival }: Props) {
  const { store, dispose } = useMemo(() => connectAlarmQueue(host.client), [host]);
  useEffect(() => dispose, [dispose]);
  const version = useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);
  const sound = useMemo(() => new AlarmSound(), []);
  const [muted, setMuted] = useState(false);
  const [collapsed, setCollapsed] = useState(() => { try { return localStorage.getItem('kuzet.alarmPanel') === 'collapsed'; } catch { return false; } });
  const collapse = (c: boolean) => { setCollapsed(c); try { localStorage.setItem('kuzet.alarmPanel', c ? 'collapsed' : 'open'); } catch { /* session only */ } };
  sound.muted = muted;
  const [operator, setOperator] = useOperator();
  const [filter, setFilter] = useState<AlarmFilter>(DEFAULT_FILTER);
  const [stateSet, setStateSet] = useState('open');
  const [selected, setSelected] = useState<string | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const cameras = useValue(host.cameras);
  const cameraById = useMemo(() => new Map(cameras.map((c) => [c.id, c])), [cameras]);
  const [tickN, tick] = useState(0);
  useEffect(() => { const t = setInterval(() => tick((n) => n + 1), 5000); return () => clearInterval(t); }, []);

  useEffect(() => store.onArrival((a) => { sound.play(a.priority); onArrival?.(a); }), [store, sound, onArrival]);
  useEffect(() => { exposeDiagnostics('__kuzetAlarmSound', sound); }, [sound]);

  const { rows, total } = useMemo(
    () => filterAlarms(store.alarms.values(), { ...filter, states: STATE_SETS[stateSet]! }, operator, (id) => cameraById.get(id)?.name),
    [store, version, filter, stateSet, operator, cameraById],
  );
  useEffect(() => recordSeen(rows), [rows]);
  const current = selected ? store.alarms.get(selected) : undefined;
  const counts = useMemo(() => {
    let open = 0, unclaimed = 0;
    for (const a of store.alarms.values()) if (a.state !== 'resolved') { open++; if (!a.owner) unclaimed++; }
    return { open, unclaimed };
  }, [store, version]);

  const bulk = (action: AlarmAction) => {
    const ids = [...checked].slice(0, 1000);
    host.client.call('alarms.bulk', { ids, operator, action }).then((r) => {
      const failed = r.results.filter((x) => !x.ok);
      if (failed.length) errors.report(`${failed.length} of ${ids.length} alarms`, new Error(failed[0]!.message ?? 'failed'));
      setChecked(new Set());
    }, (e: unknown) => errors.report('bulk action', e));
  };
  const toggle = useCallback((id: string) => setChecked((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; }), []);

  if (collapsed) {
    return (
      <aside className="alarm-panel collapsed" aria-label="Alarm queue">
        <button className="aq-expand" title="Show the alarm queue" onClick={() => collapse(false)}>
          <span>Alarms</span><b className={counts.unclaimed ? 'aq-badge' : ''}>{counts.open}</b>
        </button>
      </aside>
    );
  }

  return (
    <aside className="alarm-panel" aria-label="Alarm queue">
      <div className="aq-head">
        <button className="link aq-collapse" title="Hide the alarm queue" onClick={() => collapse(true)}>»</button>
        <b>Alarms</b>
        <span className="aq-count" data-open={counts.open}>{counts.open} open · {counts.unclaimed} new</span>
        <span className="spacer" />
        <input className="aq-operator" aria-label="operator" title="Operator name" value={operator} maxLength={64} onChange={(e) => setOperator(e.target.value.trim() || operator)} />
        <button className={muted ? '' : 'on'} title="A sound per priority for new alarms" onClick={() => setMuted((m) => !m)}>{muted ? 'Muted' : 'Sound'}</button>
      </div>
      <div className="aq-filters">
        <select aria-label="state filter" value={stateSet} onChange={(e) => setStateSet(e.target.value)}>
          <option value="open">Open</option><option value="new">Unclaimed</option><option value="resolved">Resolved</option><option value="all">All</option>
        </select>
        <select aria-label="priority filter" value={filter.maxPriority} onChange={(e) => setFilter({ ...filter, maxPriority: Number(e.target.value) })}>
          {[1, 2, 3, 4, 5].map((p) => <option key={p} value={p}>{p === 5 ? 'P1-P5' : `P1-P${p}`}</option>)}
        </select>
        <select aria-label="type filter" value={filter.type} onChange={(e) => setFilter({ ...filter, type: e.target.value as AlarmFilter['type'] })}>
          <option value="">All types</option>
          {EventType.options.map((t) => <option key={t} value={t}>{t.replace('_', ' ')}</option>)}
        </select>
        <input aria-label="search alarms" placeholder="Search" value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
        <label className="aq-mine"><input type="checkbox" checked={filter.mineOnly} onChange={(e) => setFilter({ ...filter, mineOnly: e.target.checked })} />mine</label>
      </div>
      {checked.size > 0 && (
        <div className="aq-bulk">
          <span>{checked.size} selected</span>
          <button onClick={() => bulk({ kind: 'claim' })}>Claim</button>
          <button onClick={() => bulk({ kind: 'resolve', verdict: 'false', comment: 'bulk: false alarms' })}>Resolve as false</button>
          <button className="link" onClick={() => setChecked(new Set())}>clear</button>
        </div>
      )}
      <ul className="aq-list" role="list">
        {rows.map((a) => (
          <AlarmRow key={a.id} alarm={a} selected={a.id === selected} checked={checked.has(a.id)} cameraName={cameraById.get(a.cameraId)?.name}
            tick={tickN} onSelect={setSelected} onToggle={toggle} />
        ))}
        {total > rows.length && <li className="aq-more muted">{total - rows.length} more: narrow the filter</li>}
        {total === 0 && <li className="aq-empty muted">No alarms</li>}
      </ul>
      {current && <AlarmDetail host={host} alarm={current} camera={cameraById.get(current.cameraId)} operator={operator} onShowCamera={onShowCamera} onCommitted={(a) => store.apply([a], false)} />}
    </aside>
  );
}

interface RowProps {
  alarm: Alarm; selected: boolean; checked: boolean; cameraName: string | undefined;
  /** Changes every few seconds so the age column moves. */
  tick: number;
  onSelect: (id: string) => void; onToggle: (id: string) => void;
}

/** One queue row; memoised so a flood re-renders only the rows whose alarm changed. */
const AlarmRow = memo(function AlarmRow({ alarm: a, selected, checked, cameraName, onSelect, onToggle }: RowProps) {
  return (
    <li data-alarm-id={a.id} data-state={a.state} data-priority={a.priority}
      className={`aq-row st-${a.state}${selected ? ' sel' : ''}`} onClick={() => onSelect(a.id)}>
      <input type="checkbox" aria-label="select for bulk action" checked={checked} onClick={(e) => e.stopPropagation()} onChange={() => onToggle(a.id)} />
      <span className={`prio prio-${a.priority}`}>P{a.priority}</span>
      <span className="aq-main">
        <span className="aq-summary">{a.summary}</span>
        <span className="aq-sub muted">{cameraName ?? a.cameraId}</span>
      </span>
      <span className="aq-side">
        <span className="aq-age">{formatAge(Date.now() - a.createdAt)}</span>
        {a.count > 1 && <span className="aq-n">×{a.count}</span>}
        {a.owner ? <span className="aq-owner">{a.owner}</span> : <span className={`aq-st st-${a.state}`}>{a.state}</span>}
      </span>
    </li>
  );
});
