/** The alarm queue as it was at the replay's playhead: state, owner, SOP steps done (read only). */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmSnapshot, ConsoleState } from '../../electron/contract/replay-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { useCameraName } from '../bridge/camera-name.js';
import { alarmText } from '../i18n/alarm-text.js';
import { alarmStateLabel, verdictLabel } from '../i18n/labels.js';

export function ReplayQueue({ host, state }: { host: HostState; state: ConsoleState }) {
  const { t } = useTranslation();
  const nameOf = useCameraName(host);
  return (
    <aside className="replay-queue" data-testid="replay-queue" aria-label={t('replay.queue')}>
      <h3>{t('replay.queue')}</h3>
      {state.queue.length === 0 && <div className="muted pad">{t('alarms.none')}</div>}
      {state.queue.map((a) => <QueueRow key={a.id} alarm={a} camera={nameOf(a.cameraId)} />)}
    </aside>
  );
}

/**
 * One alarm as it was. A seek renders only the rows whose recorded snapshot changed: the state at a moment reuses the
 * record's snapshot objects, so an alarm unchanged between two moments is the same object (hundreds of rows in a busy incident).
 */
const QueueRow = memo(function QueueRow({ alarm: a, camera }: { alarm: AlarmSnapshot; camera: string }) {
  const { t } = useTranslation();
  return (
    <div className={`replay-alarm replay-${a.state}`} data-alarm={a.id} data-state={a.state} data-owner={a.owner ?? ''}>
      <div><b>{alarmStateLabel(a.state)}</b>{a.owner && <span> · {t('replay.owner', { owner: a.owner })}</span>}{a.verdict && <span> · {verdictLabel(a.verdict)}</span>}</div>
      <div className="muted">{alarmText(a)} · {camera}</div>
      {a.sop.length > 0 && <div className="muted">{t('replay.sop', { done: a.sop.filter((s) => s.state === 'done').length, total: a.sop.length })}</div>}
    </div>
  );
});
