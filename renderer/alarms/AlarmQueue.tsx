/**
 * The alarm queue panel: live list ordered by priority then time, filters, bulk actions for floods, a sound per
 * priority, and the detail of the selected alarm. Reads the queue store outside React.
 */
import { memo, useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { EventType } from '../../electron/contract/events-schema.js';
import type { Alarm, AlarmAction, AlarmState } from '../../electron/contract/alarms-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { reasonMessage, type UiErrors } from '../app/ui-errors.js';
import { DEFAULT_FILTER, filterAlarms, type AlarmFilter } from './alarm-filter.js';
import { connectAlarmQueue } from './alarm-queue-store.js';
import { AlarmSound } from './alarm-sound.js';
import { AlarmDetail } from './AlarmDetail.js';
import { formatAge, useOperator } from './operator.js';
import { recordSeen } from './alarm-instrumentation.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import './alarms.css';
import { useTranslation } from 'react-i18next';
import { alarmText } from '../i18n/alarm-text.js';
import { eventTypeLabel, alarmStateLabel } from '../i18n/labels.js';
import { onMapOpenAlarm } from '../map/map-channel.js';

interface Props { host: HostState; errors: UiErrors; onShowCamera: (cameraId: string) => void; onArrival?: (a: Alarm) => void; onReplay?: (incidentId: string) => void }

const STATE_SETS: Record<string, AlarmState[]> = { open: ['new', 'claimed', 'escalated'], new: ['new', 'escalated'], resolved: ['resolved'], all: ['new', 'claimed', 'escalated', 'resolved'] };

export function AlarmQueue({ host, errors, onShowCamera, onArrival, onReplay }: Props) {
  const { t } = useTranslation();
  const { store, dispose } = useMemo(() => connectAlarmQueue(host.client), [host]);
  useEffect(() => dispose, [dispose]);
  const version = useSyncExternalStore(store.subscribe, store.getVersion, store.getVersion);
  const sound = useMemo(() => new AlarmSound(), []);
  const [muted, setMuted] = useState(false);
  const [collapsed, setCollapsed] = useState(() => { try { return localStorage.getItem('kuzet.alarmPanel') === 'collapsed'; } catch { return false; } });
  const collapse = (c: boolean) => { setCollapsed(c); try { localStorage.setItem('kuzet.alarmPanel', c ? 'collapsed' : 'open'); } catch { /* session only */ } };
  sound.muted = muted;
  const [operator] = useOperator();
  const [filter, setFilter] = useState<AlarmFilter>(DEFAULT_FILTER);
  const [stateSet, setStateSet] = useState('open');
  const [selected, setSelected] = useState<string | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const cameras = useValue(host.cameras);
  const cameraById = useMemo(() => new Map(cameras.map((c) => [c.id, c])), [cameras]);
  const [tickN, tick] = useState(0);
  useEffect(() => { const t = setInterval(() => tick((n) => n + 1), 5000); return () => clearInterval(t); }, []);

  useEffect(() => store.onArrival((a) => { sound.play(a.priority); onArrival?.(a); }), [store, sound, onArrival]);
  // issue 10: a click on an alarm in the map window opens it here: from a popup over the profile's BroadcastChannel
  // (renderer/map/map-channel.ts), from the host's map window (a browser of its own) relayed by the host (map.alarmOpen)
  useEffect(() => {
    const open = (id: string) => {
      setSelected(id); setFilter(DEFAULT_FILTER); setCollapsed(false);
      if (store.alarms.get(id)?.state === 'resolved') setStateSet('all');
      window.focus();
    };
    const offs = [onMapOpenAlarm(open), host.client.on('map.alarmOpen', (e) => open(e.alarmId))];
    return () => { for (const off of offs) off(); };
  }, [store, host]);
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
      const first = failed[0];
      if (first) errors.report(t('alarms.bulkFailed', { failed: failed.length, total: ids.length }), new Error(first.reason ? reasonMessage(first.reason) : first.message ?? 'failed'));
      setChecked(new Set());
    }, (e: unknown) => errors.report(t('alarms.bulkAction'), e));
  };
  const toggle = useCallback((id: string) => setChecked((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; }), []);

  if (collapsed) {
    return (
      <aside className="alarm-panel collapsed" aria-label={t('alarms.queue')}>
        <button className="aq-expand" title={t('alarms.show')} onClick={() => collapse(false)}>
          <span>{t('alarms.title')}</span><b className={counts.unclaimed ? 'aq-badge' : ''}>{counts.open}</b>
        </button>
      </aside>
    );
  }

  return (
    <aside className="alarm-panel" aria-label={t('alarms.queue')}>
      <div className="aq-head">
        <button className="link aq-collapse" title={t('alarms.hide')} onClick={() => collapse(true)}>»</button>
        <b>{t('alarms.title')}</b>
        <span className="aq-count" data-open={counts.open}>{t('alarms.counts', { open: counts.open, unclaimed: counts.unclaimed })}</span>
        <span className="spacer" />
        {/* who acts: the signed-in user (the host records that user whatever a page sends), shown, not typed */}
        <span className="aq-operator muted" aria-label={t('alarms.operator')} title={t('alarms.operatorName')} data-testid="aq-operator">{operator}</span>
        <button className={muted ? '' : 'on'} title={t('alarms.soundHint')} onClick={() => setMuted((m) => !m)}>{muted ? t('alarms.muted') : t('alarms.sound')}</button>
      </div>
      <div className="aq-filters">
        <select aria-label={t('alarms.stateFilter')} value={stateSet} onChange={(e) => setStateSet(e.target.value)}>
          <option value="open">{t('alarms.filterOpen')}</option><option value="new">{t('alarms.filterUnclaimed')}</option><option value="resolved">{t('alarms.filterResolved')}</option><option value="all">{t('alarms.filterAll')}</option>
        </select>
        <select aria-label={t('alarms.priorityFilter')} value={filter.maxPriority} onChange={(e) => setFilter({ ...filter, maxPriority: Number(e.target.value) })}>
          {[1, 2, 3, 4, 5].map((p) => <option key={p} value={p}>{p === 5 ? 'P1-P5' : `P1-P${p}`}</option>)}
        </select>
        <select aria-label={t('alarms.typeFilter')} value={filter.type} onChange={(e) => setFilter({ ...filter, type: e.target.value as AlarmFilter['type'] })}>
          <option value="">{t('alarms.allTypes')}</option>
          {EventType.options.map((ty) => <option key={ty} value={ty}>{eventTypeLabel(ty)}</option>)}
        </select>
        <input className="aq-search" aria-label={t('alarms.search')} placeholder={t('common.search')} value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
        <label className="aq-mine"><input type="checkbox" checked={filter.mineOnly} onChange={(e) => setFilter({ ...filter, mineOnly: e.target.checked })} />{t('alarms.mine')}</label>
      </div>
      {checked.size > 0 && (
        <div className="aq-bulk">
          <span>{t('alarms.selected', { count: checked.size })}</span>
          <button onClick={() => bulk({ kind: 'claim' })}>{t('alarms.claim')}</button>
          <button onClick={() => bulk({ kind: 'resolve', verdict: 'false', comment: t('alarms.bulkFalseComment') })}>{t('alarms.resolveAsFalse')}</button>
          <button className="link" onClick={() => setChecked(new Set())}>{t('common.clear')}</button>
        </div>
      )}
      <ul className="aq-list" role="list">
        {rows.map((a) => (
          <AlarmRow key={a.id} alarm={a} selected={a.id === selected} checked={checked.has(a.id)} cameraName={cameraById.get(a.cameraId)?.name}
            tick={tickN} onSelect={setSelected} onToggle={toggle} />
        ))}
        {total > rows.length && <li className="aq-more muted">{t('alarms.more', { count: total - rows.length })}</li>}
        {total === 0 && <li className="aq-empty muted">{t('alarms.none')}</li>}
      </ul>
      {current && <AlarmDetail host={host} alarm={current} camera={cameraById.get(current.cameraId)} operator={operator} onShowCamera={onShowCamera} onReplay={onReplay} onCommitted={(a) => store.apply([a], false)} />}
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
  const { t } = useTranslation();
  return (
    <li data-alarm-id={a.id} data-state={a.state} data-priority={a.priority}
      className={`aq-row st-${a.state}${selected ? ' sel' : ''}`} onClick={() => onSelect(a.id)}>
      <input type="checkbox" aria-label={t('alarms.selectForBulk')} checked={checked} onClick={(e) => e.stopPropagation()} onChange={() => onToggle(a.id)} />
      <span className={`prio prio-${a.priority}`}>P{a.priority}</span>
      <span className="aq-main">
        <span className="aq-summary">{alarmText(a)}</span>
        <span className="aq-sub muted">{cameraName ?? a.cameraId}</span>
      </span>
      <span className="aq-side">
        <span className="aq-age">{formatAge(Date.now() - a.createdAt)}</span>
        {a.count > 1 && <span className="aq-n">×{a.count}</span>}
        {a.owner ? <span className="aq-owner">{a.owner}</span> : <span className={`aq-st st-${a.state}`}>{alarmStateLabel(a.state)}</span>}
      </span>
    </li>
  );
});
