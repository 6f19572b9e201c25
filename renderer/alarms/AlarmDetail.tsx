/**
 * One alarm worked by the operator: snapshot, location, event attributes, claim / escalate / resolve with a
 * verdict and comment, the SOP checklist (skipped steps stay visible), and the alarm's history.
 * All event text is rendered as React text nodes: never HTML.
 */
import { useEffect, useState } from 'react';
import type { Alarm, AlarmAction, Verdict } from '../../electron/contract/alarms-schema.js';
import type { Camera } from '../../electron/contract/schemas.js';
import type { AuditLineRow } from '../../electron/contract/alarms-api.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatAge } from './operator.js';
import { useTranslation } from 'react-i18next';
import { alarmText } from '../i18n/alarm-text.js';
import { alarmStateLabel, demoEventText, ruleText, sopText, verdictLabel } from '../i18n/labels.js';
import { formatTime } from '../i18n/format.js';

interface Props {
  host: HostState;
  alarm: Alarm;
  camera: Camera | undefined;
  operator: string;
  onShowCamera: (cameraId: string) => void;
  /** Opens the replay of an incident made from this alarm (issue 11). */
  onReplay?: ((incidentId: string) => void) | undefined;
  /** The committed alarm from the host's reply (shown at once, before the broadcast arrives). */
  onCommitted: (a: Alarm) => void;
  /** Carries out an action elsewhere than the live queue (a training session's alarms, renderer/training); default `alarms.act`. */
  perform?: ((action: AlarmAction) => Promise<Alarm>) | undefined;
  /** The alarm's history from elsewhere than the live queue (a training session's store); default `alarms.get`. */
  history?: (() => Promise<{ history: AuditLineRow[] }>) | undefined;
}

export function AlarmDetail({ host, alarm, camera, operator, onShowCamera, onCommitted, onReplay, perform, history: historyOf }: Props) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [verdict, setVerdict] = useState<Verdict>('confirmed');
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [snapshot, setSnapshot] = useState<string | null>(null);
  const [history, setHistory] = useState<AuditLineRow[]>([]);
  const mine = alarm.owner === operator;
  const open = alarm.state !== 'resolved';

  useEffect(() => {
    setError(null);
    if (!alarm.hasSnapshot) { setSnapshot(null); return; }
    let live = true;
    host.client.call('alarms.snapshot', { id: alarm.id }).then((r) => { if (live) setSnapshot(r.data); }, () => {});
    return () => { live = false; };
  }, [host, alarm.id, alarm.hasSnapshot]);

  useEffect(() => {
    let live = true;
    (historyOf ? historyOf() : host.client.call('alarms.get', { id: alarm.id })).then((r) => { if (live) setHistory(r.history); }, () => {});
    return () => { live = false; };
  }, [host, alarm.id, alarm.version, historyOf]);

  const act = (action: AlarmAction) => {
    setBusy(true);
    setError(null);
    (perform ? perform(action) : host.client.call('alarms.act', { id: alarm.id, operator, action }))
      .then((a) => { onCommitted(a); if (action.kind === 'resolve') setComment(''); if (action.kind === 'escalate') setReason(''); })
      .catch((e: unknown) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };

  return (
    <section className="alarm-detail" aria-label={t('alarm.detail')} data-alarm-id={alarm.id}>
      <div className="ad-head">
        <span className={`prio prio-${alarm.priority}`}>P{alarm.priority}</span>
        <b className="ad-summary">{alarmText(alarm)}</b>
      </div>
      <div className="ad-meta muted">
        <span className={`ad-state st-${alarm.state}`}>{alarmStateLabel(alarm.state)}</span>
        {alarm.owner && <span> · {t('alarm.owner')} <b className="ad-owner">{alarm.owner}</b></span>}
        <span> · {ruleText(alarm.ruleId, alarm.ruleName)}</span>
        {alarm.count > 1 && <span> · {t('alarm.events', { count: alarm.count })}</span>}
        {alarm.incidentId && alarm.incidentId !== alarm.id && <span> · {t('alarm.incident', { id: alarm.incidentId })}</span>}
      </div>
      {snapshot && <img className="ad-snapshot" src={snapshot} alt={t('alarm.snapshot')} />}
      <dl className="ad-facts">
        <dt>{t('alarm.camera')}</dt><dd>{camera?.name ?? alarm.cameraId} <button className="link" onClick={() => onShowCamera(alarm.cameraId)}>{t('alarm.showOnWall')}</button>{onReplay && <> <button className="link" data-testid="replay-incident" onClick={() => { host.client.call('replay.incidents.fromAlarm', { alarmId: alarm.id, operator, name: `${ruleText(alarm.ruleId, alarm.ruleName)}: ${alarmText(alarm)}`.slice(0, 200) }).then((i) => onReplay(i.id)).catch((err: unknown) => window.alert(errorMessage(err))); }}>{t('replay.fromAlarm')}</button></>}</dd>
        {camera?.group && (<><dt>{t('alarm.group')}</dt><dd>{camera.group}</dd></>)}
        {camera?.location && (<><dt>{t('alarm.location')}</dt><dd>{camera.location.lat.toFixed(5)}, {camera.location.lon.toFixed(5)}</dd></>)}
        <dt>{t('alarm.firstLast')}</dt><dd>{formatTime(alarm.firstAt)} / {formatTime(alarm.lastAt)} ({t('alarm.ago', { age: formatAge(Date.now() - alarm.createdAt) })})</dd>
        {alarm.endedAt !== undefined && <><dt>{t('alarm.objectLeft')}</dt><dd>{formatTime(alarm.endedAt)}</dd></>}
        {Object.entries(alarm.attributes).map(([k, v]) => (<AttrRow key={k} name={k} value={v} />))}
        {alarm.escalation && (<><dt>{t('alarm.escalated')}</dt><dd>{alarm.escalation}</dd></>)}
        {alarm.verdict && (<><dt>{t('alarm.verdict')}</dt><dd className="ad-verdict">{verdictLabel(alarm.verdict)}{alarm.comment ? `: ${alarm.comment}` : ''}</dd></>)}
      </dl>

      {open && (
        <div className="ad-actions">
          {!alarm.owner && <button className="primary" disabled={busy} onClick={() => act({ kind: 'claim' })}>{t('alarms.claim')}</button>}
          {mine && <button disabled={busy} onClick={() => act({ kind: 'release' })}>{t('alarm.release')}</button>}
          {alarm.owner && !mine && <span className="ad-locked">{t('alarm.claimedBy', { owner: alarm.owner })}</span>}
          {(mine || !alarm.owner) && (
            <span className="ad-escalate">
              <input aria-label={t('alarm.escalationReason')} placeholder={t('alarm.reason')} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
              <button disabled={busy || !reason.trim()} title={reason.trim() ? undefined : t('alarm.escalateNeedsReason')} onClick={() => act({ kind: 'escalate', reason: reason.trim() })}>{t('alarm.escalate')}</button>
            </span>
          )}
        </div>
      )}

      <ol className="sop" aria-label={t('alarm.sop')}>
        {alarm.sop.map((s, i) => (
          <li key={i} className={`sop-${s.state}`} data-step={i}>
            <label>
              <input type="checkbox" checked={s.state === 'done'} disabled={!mine || !open || busy}
                onChange={(e) => act({ kind: 'sop', step: i, state: e.target.checked ? 'done' : 'pending' })} />
              <span>{sopText(s.text)}</span>
            </label>
            {s.state === 'skipped' && <span className="sop-flag">{s.by ? t('alarm.skippedBy', { by: s.by }) : t('alarm.skipped')}</span>}
            {s.state === 'pending' && mine && open && <button className="link" disabled={busy} onClick={() => act({ kind: 'sop', step: i, state: 'skipped' })}>{t('alarm.skip')}</button>}
          </li>
        ))}
      </ol>

      {open && mine && (
        <div className="ad-resolve">
          <select aria-label={t('alarm.verdict')} value={verdict} onChange={(e) => setVerdict(e.target.value as Verdict)}>
            <option value="confirmed">{verdictLabel('confirmed')}</option>
            <option value="suspicious">{verdictLabel('suspicious')}</option>
            <option value="false">{verdictLabel('false')}</option>
          </select>
          <textarea aria-label={t('alarm.comment')} placeholder={t('alarm.commentPlaceholder')} value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
          <button className="primary" disabled={busy} onClick={() => act({ kind: 'resolve', verdict, comment })}>{t('alarm.resolve')}</button>
        </div>
      )}
      {error && <div className="ad-error" role="alert">{error}</div>}

      <details className="ad-history">
        <summary>{t('alarm.history', { count: history.length })}</summary>
        <ul>{history.map((h) => <li key={h.seq}><span className="muted">{formatTime(h.at)}</span> <b>{h.actor}</b> {h.detail}</li>)}</ul>
      </details>
    </section>
  );
}

function AttrRow({ name, value }: { name: string; value: unknown }) {
  const { t } = useTranslation();
  const text = typeof value === 'number' ? (value > 0 && value < 1 ? `${Math.round(value * 100)} %` : String(value)) : typeof value === 'string' ? demoEventText(value) : JSON.stringify(value);
  // a known attribute's name in the operator's language; an analytics' own attribute as it came
  return (<><dt>{t(`eventAttributes.${name}`, { defaultValue: name, nsSeparator: false, keySeparator: name.includes('.') ? false : '.' })}</dt><dd>{text}</dd></>);
}
