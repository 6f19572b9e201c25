/**
 * Lifting a camera's liftable privacy masks for a while with a written reason (issue 12 §3), or putting them back.
 * The host checks the right (liftMasks) and audits; its refusal ("forbidden: liftMasks on …") is shown as text.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostState } from '../bridge/host-state.js';
import { useKeyed } from '../bridge/stores.js';
import { errorMessage } from '../app/ui-errors.js';
import { useOperator } from '../alarms/operator.js';
import { masksFor } from '../overlays/mask-store.js';
import { formatDuration, formatTime } from '../i18n/format.js';

const MINUTES = [1, 5, 10, 15];

interface Props { host: HostState; cameraId: string; cameraName: string; onClose: () => void }

export function LiftMasksDialog({ host, cameraId, cameraName, onClose }: Props) {
  const { t } = useTranslation();
  const masks = useKeyed(masksFor(host.client), cameraId);
  const [minutes, setMinutes] = useState(5);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [operator] = useOperator();
  const lift = masks?.lift && masks.lift.until > Date.now() ? masks.lift : null;
  const liftable = (masks?.masks ?? []).filter((m) => m.kind === 'liftable').length;
  const permanent = (masks?.masks ?? []).length - liftable;

  const call = async (fn: () => Promise<unknown>) => {
    setBusy(true); setError(null);
    try { await fn(); onClose(); } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };

  return (
    <div className="modal-back" role="dialog" aria-label={t('masks.liftTitle')} data-testid="lift-masks" onClick={(e) => e.stopPropagation()}>
      <div className="modal">
        <h3>{t('masks.liftTitle')}</h3>
        <div className="muted">{cameraName} · {t('masks.liftableCount', { count: liftable })}</div>
        {permanent > 0 && <div className="muted" data-testid="permanent-masks">{t('masks.permanentCount', { count: permanent })}</div>}
        {lift
          ? <div data-testid="lift-state">{t('masks.liftedBy', { by: lift.by, until: formatTime(lift.until), reason: lift.reason })}</div>
          : <>
            <label>{t('masks.liftFor')} <select name="minutes" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} disabled={busy}>
              {MINUTES.map((m) => <option key={m} value={m}>{formatDuration(m * 60_000)}</option>)}
            </select></label>
            <label>{t('masks.reason')} <input name="reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} placeholder={t('masks.reasonPlaceholder')} /></label>
          </>}
        {error && <div className="error" role="alert">{error}</div>}
        <div className="modal-actions">
          <button onClick={onClose}>{t('common.close')}</button>
          {lift
            ? <button className="on" disabled={busy} onClick={() => void call(() => host.client.call('masks.restore', { cameraId, operator: operator || 'console' }))}>{t('masks.restoreNow')}</button>
            : <button className="on" disabled={busy || reason.trim().length < 5 || liftable === 0} onClick={() => void call(() => host.client.call('masks.lift', { cameraId, minutes, reason, operator: operator || 'console' }))}>{t('masks.lift')}</button>}
        </div>
      </div>
    </div>
  );
}
