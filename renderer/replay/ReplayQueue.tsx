/** The alarm queue as it was at the replay's playhead: state, owner, SOP steps done (read only). */
import { useTranslation } from 'react-i18next';
import type { ConsoleState } from '../../electron/contract/replay-schema.js';
import { alarmStateLabel, verdictLabel } from '../i18n/labels.js';

export function ReplayQueue({ state }: { state: ConsoleState }) {
  const { t } = useTranslation();
  return (
    <aside className="replay-queue" data-testid="replay-queue" aria-label={t('replay.queue')}>
      <h3>{t('replay.queue')}</h3>
      {state.queue.length === 0 && <div className="muted pad">{t('alarms.none')}</div>}
      {state.queue.map((a) => (
        <div key={a.id} className={`replay-alarm replay-${a.state}`} data-alarm={a.id} data-state={a.state} data-owner={a.owner ?? ''}>
          <div><b>{alarmStateLabel(a.state)}</b>{a.owner && <span> · {t('replay.owner', { owner: a.owner })}</span>}{a.verdict && <span> · {verdictLabel(a.verdict)}</span>}</div>
          <div className="muted">{a.summary} · {a.cameraId}</div>
          {a.sop.length > 0 && <div className="muted">{t('replay.sop', { done: a.sop.filter((s) => s.state === 'done').length, total: a.sop.length })}</div>}
        </div>
      ))}
    </aside>
  );
}
