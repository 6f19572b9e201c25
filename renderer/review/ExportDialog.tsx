/**
 * Evidence export: range, cameras, reason and operator, optional burn-in (re-encoded copies with time stamp,
 * watermark and event boxes); progress from the host, cancellable; then the UI verification.
 */
import { useEffect, useRef, useState } from 'react';
import type { ExportResult, VerifyResult } from '../../electron/contract/review-api.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatTime } from './timeline-model.js';
import { useTranslation } from 'react-i18next';
import { formatDuration, formatNumber } from '../i18n/format.js';


const RANGES = [5_000, 30_000, 120_000, 600_000];

export function ExportDialog({ host, cameraIds: allCameras, atMs, onClose }: { host: HostState; cameraIds: string[]; atMs: number; onClose(): void }) {
  const { t } = useTranslation();
  const [half, setHalf] = useState(30_000);
  const [picked, setPicked] = useState<string[]>(allCameras);
  const cameraIds = allCameras.filter((c) => picked.includes(c));
  const fromMs = Math.round(atMs - half);
  const toMs = Math.round(atMs + half);
  const [reason, setReason] = useState('');
  const [by, setBy] = useState('operator');
  const [burn, setBurn] = useState(false);
  const [watermark, setWatermark] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; stage: string } | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [verify, setVerify] = useState<VerifyResult | null>(null);
  const [error, setError] = useState('');
  const running = useRef<string | null>(null);

  useEffect(() => host.client.on('export.progress', (p) => { if (p.id === running.current) setProgress({ done: p.done, stage: p.stage }); }), [host]);

  const run = async () => {
    const id = `export-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    running.current = id;
    setBusy(true); setError(''); setResult(null); setVerify(null); setProgress({ done: 0, stage: 'remux' });
    try {
      const r = await host.client.call('export.create', {
        cameraIds, fromMs, toMs, reason, by, id,
        ...(burn ? { burnIn: { timestamp: true, overlays: true, watermark: watermark.trim() || `${by.trim()} · ${reason.trim()}`.slice(0, 200) } } : {}),
      });
      setResult(r);
      setVerify(await host.client.call('export.verify', { id: r.id }));
    } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); running.current = null; }
  };
  const cancel = async () => {
    if (!running.current) return;
    try { await host.client.call('export.cancel', { id: running.current }); } catch (err) { setError(errorMessage(err)); }
  };

  return (
    <div className="modal-back" role="dialog" aria-label={t('export.title')}>
      <div className="modal export-dialog">
        <h3>{t('export.title')}</h3>
        <div className="muted">{formatTime(fromMs)} → {formatTime(toMs)} · {t('export.cameras', { count: cameraIds.length })}</div>
        <label>{t('export.range')} <select name="range" value={half} onChange={(e) => setHalf(Number(e.target.value))} disabled={busy}>
          {RANGES.map((r) => <option key={r} value={r}>{t('export.eachSide', { duration: formatDuration(r) })}</option>)}
        </select></label>
        <div className="export-cameras">
          {allCameras.map((c) => (
            <label key={c} className="check"><input type="checkbox" name={`camera-${c}`} checked={picked.includes(c)} disabled={busy}
              onChange={(e) => setPicked(e.target.checked ? [...picked, c] : picked.filter((x) => x !== c))} />{c}</label>
          ))}
        </div>
        <label>{t('export.reason')} <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('export.reasonPlaceholder')} /></label>
        <label>{t('export.by')} <input name="by" value={by} onChange={(e) => setBy(e.target.value)} /></label>
        <label className="check"><input type="checkbox" name="burn-in" checked={burn} onChange={(e) => setBurn(e.target.checked)} disabled={busy} />
          {t('export.burnIn')}</label>
        {burn && <label>{t('export.watermark')} <input name="watermark" value={watermark} onChange={(e) => setWatermark(e.target.value)} placeholder={`${by} · ${reason || t('export.reasonWord')}`} disabled={busy} /></label>}
        {busy && progress && (
          <div className="export-progress" data-testid="export-progress">
            <progress max={1} value={progress.done} />
            <span>{Math.round(progress.done * 100)} % · {t(`export.stage.${progress.stage}`, { defaultValue: progress.stage })}</span>
          </div>
        )}
        {error && <div className="error" role="alert">{error}</div>}
        {result && (
          <div className="export-result" data-testid="export-result">
            <div>{t('export.summary', { files: result.files.length, mb: formatNumber(result.files.reduce((n, f) => n + f.bytes, 0) / 1e6, 1), ms: result.tookMs, gaps: result.gaps.length })}{result.files.some((f) => f.kind === 'burn-in') ? ` · ${t('export.burnedIn', { count: result.files.filter((f) => f.kind === 'burn-in').length })}` : ''}</div>
            <div className="muted">{result.dir}</div>
            {verify && <div className={verify.ok ? 'verified' : 'error'} data-testid="verify">{verify.ok ? t('export.verified', { by: verify.signedBy ?? '' }) : t('export.verifyFailed', { problems: verify.problems.join('; ') })}</div>}
          </div>
        )}
        <div className="modal-actions">
          {busy ? <button onClick={() => void cancel()} data-testid="export-cancel">{t('export.cancel')}</button> : <button onClick={onClose}>{t('common.close')}</button>}
          <button className="on" disabled={busy || !reason.trim() || !by.trim() || cameraIds.length === 0} onClick={() => void run()}>{t('export.run')}</button>
        </div>
      </div>
    </div>
  );
}
