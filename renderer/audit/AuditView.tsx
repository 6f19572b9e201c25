/**
 * The auditor's screen (issue 12, §4): who watched a camera between two times, what a user did during a shift, every
 * unmask with its reason; filter by user, camera, kind of action and time range, free-text search, a paged table in the
 * centre's time zone, and "export signed report": the host writes and signs the report, the browser downloads it as one
 * file that `kuzet verify` checks. Opened from the top bar for users with viewAudit; the host refuses the routes to others.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditFilter, AuditRow } from '../../electron/contract/audit-api.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatDateTime, formatNumber, formatTime, formatZone, getCentreTimeZone } from '../i18n/format.js';
import {
  ACTION_KIND_IDS, EMPTY_FORM, bytesOfBase64, filterOf, formProblems, msToZonedInput, pageCount, pageFilter, presets, viewOf, type AuditForm,
} from './audit-query.js';
import './audit.css';
import { useCameraName } from '../bridge/camera-name.js';

interface Page { entries: AuditRow[]; total: number }

function download(name: string, bytes: Uint8Array): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/x-tar' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

export function AuditView({ host, onClose }: { host: HostState; onClose: () => void }) {
  const { t } = useTranslation();
  const cameras = useValue(host.cameras);
  const tz = getCentreTimeZone();
  // the default range: the last 8 hours (a shift), on the centre's clock
  const [form, setForm] = useState<AuditForm>(() => ({ ...EMPTY_FORM, from: msToZonedInput(Date.now() - 8 * 3600_000, tz), to: msToZonedInput(Date.now() + 60_000, tz) }));
  const [applied, setApplied] = useState<AuditFilter | null>(null);
  const [page, setPage] = useState(0);
  const [result, setResult] = useState<Page | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [exported, setExported] = useState<string>('');
  const problems = formProblems(form, tz);
  const cameraName = useCameraName(host);

  const search = useCallback((f: AuditForm) => {
    if (formProblems(f, tz).length) return;
    setApplied(filterOf(f, tz));
    setPage(0);
  }, [tz]);

  // the first search, when the screen opens (search changes only with the centre's zone)
  useEffect(() => { search(form); }, [search]);

  useEffect(() => {
    if (!applied) return;
    let live = true;
    setBusy(true);
    host.client.call('audit.query', { filter: pageFilter(applied, page) })
      .then((r) => { if (live) { setResult({ entries: r.entries, total: r.total }); setError(''); } })
      .catch((err: unknown) => { if (live) setError(errorMessage(err)); })
      .finally(() => { if (live) setBusy(false); });
    return () => { live = false; };
  }, [host, applied, page]);

  const set = <K extends keyof AuditForm>(k: K, v: AuditForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const ask = (f: AuditForm) => { setForm(f); search(f); };

  const exportReport = async () => {
    if (!applied || !reason.trim()) return;
    setBusy(true);
    setExported('');
    try {
      const r = await host.client.call('audit.report', { filter: applied, reason: reason.trim() });
      const file = await host.client.call('audit.reportArchive', { id: r.id });
      download(file.fileName, bytesOfBase64(file.base64));
      setExported(t('audit.exported', { file: file.fileName, count: r.entries, signer: r.signer }));
      setError('');
    } catch (err) { setError(errorMessage(err)); } finally { setBusy(false); }
  };

  const pages = pageCount(result?.total ?? 0);
  const target = (s: string) => (s.startsWith('camera:') ? cameraName(s.slice(7)) : s);

  return (
    <div className="panel-backdrop" onClick={onClose}>
      <div className="panel audit-panel" role="dialog" aria-label={t('audit.title')} onClick={(e) => e.stopPropagation()} data-testid="audit-view">
        <header className="panel-head">
          <h2>{t('audit.title')}</h2>
          <span className="muted">{t('audit.zone', { zone: `${tz} (${formatZone()})` })}</span>
          <span className="spacer" />
          <button onClick={onClose}>{t('common.close')}</button>
        </header>
        <div className="audit-body">
          <div className="audit-questions">
            <span className="muted">{t('audit.questions')}</span>
            <button onClick={() => ask(presets.whoWatched(form.cameraId || cameras[0]?.id || '', form.from, form.to))} disabled={!cameras.length}>{t('audit.whoWatched')}</button>
            <button onClick={() => ask(presets.userShift(form.user, form.from, form.to))} disabled={!form.user.trim()} title={t('audit.userShiftHint')}>{t('audit.userShift')}</button>
            <button onClick={() => ask(presets.unmasks())}>{t('audit.unmasks')}</button>
          </div>
          <form className="audit-filter" aria-label={t('audit.filter')} onSubmit={(e) => { e.preventDefault(); search(form); }}>
            <label className="field"><span>{t('audit.user')}</span>
              <input value={form.user} onChange={(e) => set('user', e.target.value)} placeholder={t('audit.anyone')} maxLength={64} />
            </label>
            <label className="field"><span>{t('audit.camera')}</span>
              <select value={form.cameraId} onChange={(e) => set('cameraId', e.target.value)}>
                <option value="">{t('audit.anyCamera')}</option>
                {cameras.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </label>
            <label className="field"><span>{t('audit.kind')}</span>
              <select value={form.kind} onChange={(e) => set('kind', e.target.value as AuditForm['kind'])}>
                {ACTION_KIND_IDS.map((k) => <option key={k} value={k}>{t(`audit.kinds.${k}`)}</option>)}
              </select>
            </label>
            <label className="field"><span>{t('audit.from')}</span>
              <input type="datetime-local" value={form.from} onChange={(e) => set('from', e.target.value)} />
            </label>
            <label className="field"><span>{t('audit.to')}</span>
              <input type="datetime-local" value={form.to} onChange={(e) => set('to', e.target.value)} />
            </label>
            <label className="field grow"><span>{t('audit.text')}</span>
              <input type="search" value={form.text} onChange={(e) => set('text', e.target.value)} placeholder={t('audit.textHint')} maxLength={200} />
            </label>
            <button type="submit" disabled={problems.length > 0}>{t('common.search')}</button>
          </form>
          {problems.map((p) => <div key={p} className="form-error">{t(p)}</div>)}
          {error && <div className="banner banner-error" role="alert">{error}</div>}
          <div className="audit-table">
            <table>
              <thead>
                <tr><th>{t('audit.col.when')}</th><th>{t('audit.col.user')}</th><th>{t('audit.col.action')}</th><th>{t('audit.col.target')}</th><th>{t('audit.col.where')}</th><th>{t('audit.col.details')}</th><th>{t('audit.col.entry')}</th></tr>
              </thead>
              <tbody>
                {result?.entries.map((r) => {
                  const v = viewOf(r);
                  return (
                    <tr key={`${r.chain}-${r.seq}`} data-action={r.action} data-user={r.user}>
                      <td className="nowrap">{formatDateTime(v.from)}{v.to !== null && <> – {formatTime(v.to)}</>}</td>
                      <td>{r.user}</td>
                      <td className="nowrap">{r.action}</td>
                      <td>{target(r.target)}</td>
                      <td>{v.source ?? r.console}</td>
                      <td className="audit-details">{v.reason && <strong>{t('audit.reason', { reason: v.reason })} </strong>}{v.details}</td>
                      <td className="muted nowrap">{r.chain} #{r.seq}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {result?.entries.length === 0 && <div className="muted pad">{t('audit.none')}</div>}
          </div>
          <div className="audit-foot">
            <button onClick={() => setPage((p) => Math.max(0, p - 1))} disabled={page === 0 || busy}>{t('audit.prev')}</button>
            <span data-testid="audit-page">{t('audit.page', { page: formatNumber(page + 1), pages: formatNumber(pages), total: formatNumber(result?.total ?? 0) })}</span>
            <button onClick={() => setPage((p) => Math.min(pages - 1, p + 1))} disabled={page >= pages - 1 || busy}>{t('audit.next')}</button>
            <span className="spacer" />
            <label className="field audit-reason"><span>{t('audit.reportReason')}</span>
              <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('audit.reportReasonHint')} maxLength={500} />
            </label>
            <button onClick={() => void exportReport()} disabled={!applied || !reason.trim() || busy}>{t('audit.export')}</button>
          </div>
          {exported && <div className="banner" role="status">{exported}</div>}
        </div>
      </div>
    </div>
  );
}
