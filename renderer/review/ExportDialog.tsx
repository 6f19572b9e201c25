/** Evidence export: range, cameras, reason and operator; progress from the host; then the UI verification. */
import { useEffect, useState } from 'react';
import type { ExportResult, VerifyResult } from '../../electron/contract/review-api.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatTime } from './timeline-model.js';

export function ExportDialog({ host, cameraIds, fromMs, toMs, onClose }: { host: HostState; cameraIds: string[]; fromMs: number; toMs: number; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [by, setBy] = useState('operator');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState(0);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [verify, setVerify] = useState<VerifyResult | null>(null);
  const [error, setError] = useState('');

  useEffect(() => host.client.on('export.progress', (p) => setProgress(p.done)), [host]);

  const run = async () => {
    setBusy(true); setError(''); setResult(null); setVerify(null); setProgress(0);
    try {
      const r = await host.client.call('export.create', { cameraIds, fromMs, toMs, reason, by });
      setResult(r);
      setVerify(await host.client.call('export.verify', { id: r.id }));
    } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };

  return (
    <div className="modal-back" role="dialog" aria-label="Export evidence">
      <div className="modal export-dialog">
        <h3>Export evidence</h3>
        <div className="muted">{formatTime(fromMs)} → {formatTime(toMs)} · {cameraIds.length} camera(s): {cameraIds.join(', ')}</div>
        <label>Reason <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="incident number, request" /></label>
        <label>Exported by <input name="by" value={by} onChange={(e) => setBy(e.target.value)} /></label>
        {busy && <progress max={1} value={progress} />}
        {error && <div className="error" role="alert">{error}</div>}
        {result && (
          <div className="export-result" data-testid="export-result">
            <div>{result.files.length} file(s), {(result.files.reduce((n, f) => n + f.bytes, 0) / 1e6).toFixed(1)} MB in {result.tookMs} ms · {result.gaps.length} gap(s)</div>
            <div className="muted">{result.dir}</div>
            {verify && <div className={verify.ok ? 'verified' : 'error'} data-testid="verify">{verify.ok ? `Verified: signature and SHA-256 of every file match (${verify.signedBy ?? ''})` : `Verification failed: ${verify.problems.join('; ')}`}</div>}
          </div>
        )}
        <div className="modal-actions">
          <button onClick={onClose}>Close</button>
          <button className="on" disabled={busy || !reason.trim() || !by.trim()} onClick={() => void run()}>Export</button>
        </div>
      </div>
    </div>
  );
}
