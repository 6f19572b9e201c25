/**
 * The trainee's alarm queue of a training session (issue 11 §2): the session's alarms (its own store on the host, never
 * the production queue), worked with the live queue's own detail and controls (AlarmDetail), the actions going to
 * `training.sessions.act`. Opening an alarm is a `look` mark the scorer times.
 */
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { compareAlarms, type Alarm, type AlarmAction } from '../../electron/contract/alarms-schema.js';
import type { TrainingSessionView } from '../../electron/contract/training/session-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { AlarmDetail } from '../alarms/AlarmDetail.js';
import { alarmText } from '../i18n/alarm-text.js';
import { alarmStateLabel } from '../i18n/labels.js';
import { reportUiError } from './ui-report.js';

interface Props { host: HostState; session: TrainingSessionView; operator: string; onShowCamera: (cameraId: string) => void }

export function TrainingQueue({ host, session, operator, onShowCamera }: Props) {
  const { t } = useTranslation();
  const cameras = useValue(host.cameras);
  const [selected, setSelected] = useState<string | null>(null);
  const [committed, setCommitted] = useState<Alarm | null>(null);
  const id = session.status.id;
  const alarms = useMemo(() => [...session.alarms].sort(compareAlarms), [session.alarms]);
  const fromHost = alarms.find((a) => a.id === selected) ?? null;
  const alarm = committed && fromHost && committed.id === fromHost.id && committed.version > fromHost.version ? committed : fromHost;
  const open = (a: Alarm) => {
    setSelected(a.id);
    setCommitted(null);
    host.client.call('training.sessions.mark', { id, operator, mark: { kind: 'look', alarmId: a.id, cameraId: a.cameraId } }).catch(reportUiError(host));
  };
  const perform = (action: AlarmAction) => host.client.call('training.sessions.act', { id, alarmId: alarm!.id, operator, action });
  // the session's own history of the alarm (the live queue's `alarms.get` does not know a training alarm); one function per alarm
  const alarmId = alarm?.id ?? null;
  const history = useCallback(() => host.client.call('training.sessions.alarm', { id, alarmId: alarmId! }), [host, id, alarmId]);
  return (
    <aside className="training-queue" aria-label={t('training.queue')} data-testid="training-queue">
      <h2>{t('training.queue')} <span className="muted">({alarms.filter((a) => a.state !== 'resolved').length})</span></h2>
      <ul>
        {alarms.map((a) => (
          <li key={a.id}>
            <button className={`tq-row${a.id === selected ? ' selected' : ''}`} data-alarm-id={a.id} data-camera-id={a.cameraId} onClick={() => open(a)}>
              <span className={`prio prio-${a.priority}`}>P{a.priority}</span>
              <span>{alarmText(a)}</span>
              <span className="muted">{alarmStateLabel(a.state)}</span>
            </button>
          </li>
        ))}
      </ul>
      {alarms.length === 0 && <p className="muted" style={{ margin: '0 10px' }}>{t('training.noAlarms')}</p>}
      {alarm && (
        <AlarmDetail host={host} alarm={alarm} camera={cameras.find((c) => c.id === alarm.cameraId)} operator={operator}
          onShowCamera={onShowCamera} onCommitted={setCommitted} perform={perform} history={history} />
      )}
    </aside>
  );
}
