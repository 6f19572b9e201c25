/** Shift hand-over: the next operator signs in on the running console; the open alarms they take over are listed. */
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import type { BridgeClient } from '../bridge/client.js';
import { useCredentialForm } from './credential-form.js';
import { t } from './strings.js';

export function HandOverForm({ client, onDone, onCancel }: { client: BridgeClient; onDone(r: { user: string; from: string | null; openAlarms: Alarm[] }): void; onCancel(): void }) {
  const f = useCredentialForm(async (user, password) => {
    const r = await client.call('access.handOver', { user, password });
    onDone({ user: r.me.user, from: r.from, openAlarms: r.openAlarms });
  });
  return (
    <form className="access-form" aria-label={t('handover.title')} onSubmit={(e) => { e.preventDefault(); void f.submit(); }}>
      <h2>{t('handover.title')}</h2>
      <p className="muted">{t('handover.hint')}</p>
      <label>{t('signin.user')}<input name="handover-user" autoComplete="off" value={f.user} maxLength={256} onChange={(e) => f.setUser(e.target.value)} /></label>
      <label>{t('signin.password')}<input name="handover-password" type="password" autoComplete="off" value={f.password} onChange={(e) => f.setPassword(e.target.value)} /></label>
      {f.error && <p className="access-error" role="alert">{f.error}</p>}
      <div className="access-buttons">
        <button type="button" onClick={onCancel}>{t('handover.cancel')}</button>
        <button type="submit" className="primary" disabled={f.busy}>{t('handover.submit')}</button>
      </div>
    </form>
  );
}

export function HandOverSummary({ result, onClose }: { result: { user: string; from: string | null; openAlarms: Alarm[] }; onClose(): void }) {
  return (
    <div className="access-modal" role="dialog" aria-label={t('handover.title')}>
      <div className="access-form handover-summary">
        <h2>{t('handover.done', { user: result.user, from: result.from ?? '—' })}</h2>
        <p>{t('handover.alarms', { n: result.openAlarms.length })}</p>
        {result.openAlarms.length === 0 ? <p className="muted">{t('handover.none')}</p> : (
          <ul className="handover-alarms">
            {result.openAlarms.slice(0, 50).map((a) => (
              <li key={a.id} data-alarm-id={a.id}><b>P{a.priority}</b> {a.summary} · {a.cameraId} · {a.state}{a.owner ? ` (${a.owner})` : ''}</li>
            ))}
          </ul>
        )}
        <div className="access-buttons"><button className="primary" onClick={onClose} autoFocus>{t('handover.ok')}</button></div>
      </div>
    </div>
  );
}
