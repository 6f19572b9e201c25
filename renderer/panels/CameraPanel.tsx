/** Camera management: list, add / edit / remove, probe, recording mode, import and export (JSON, CSV), notices. */
import { useEffect, useState } from 'react';
import type { RecordingMode, RecordingStatus } from '../../electron/contract/review-api.js';
import { CameraKind, type Camera } from '../../electron/contract/schemas.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { errorMessage, reasonMessage, type UiErrors } from '../app/ui-errors.js';
import { EMPTY_FORM, formOf, frigateDetectHint, inputOf, probeSummary, probeWarnings, type CameraForm } from './camera-form.js';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../i18n/format.js';
import { noticeText } from '../i18n/notices.js';

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Examples in the form's fields: technical text, the same in every language. */
const EXAMPLE_URL = 'rtsp://host:554/main';
const EXAMPLE_FRIGATE = 'front_door, …';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return <label className="field"><span>{label}</span>{children}</label>;
}

export function CameraPanel({ host, onClose, errors }: { host: HostState; onClose: () => void; errors: UiErrors }) {
  const { t } = useTranslation();
  const cameras = useValue(host.cameras);
  const notices = useValue(host.notices);
  const [editing, setEditing] = useState<Camera | null>(null);
  const [form, setForm] = useState<CameraForm>(EMPTY_FORM);
  const [formError, setFormError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recording, setRecording] = useState<Record<string, RecordingStatus>>({});
  useEffect(() => {
    host.client.call('recording.status', {})
      .then((list) => setRecording(Object.fromEntries(list.map((s) => [s.cameraId, s]))))
      .catch((e: unknown) => errors.report(t('cameraPanel.readingRecording'), e));
  }, [host, errors]);
  /** The sub-stream switch as the operator set it, until the host's answer says what it is (the click shows at once). */
  const [subWanted, setSubWanted] = useState<Record<string, boolean>>({});
  const setRecordingMode = (c: Camera, mode: RecordingMode, subStream?: boolean) => {
    if (subStream !== undefined) setSubWanted((w) => ({ ...w, [c.id]: subStream }));
    const settled = () => { if (subStream !== undefined) setSubWanted((w) => { const { [c.id]: _, ...rest } = w; return rest; }); };
    host.client.call('recording.configure', { cameraId: c.id, mode, ...(subStream !== undefined ? { subStream } : {}) })
      .then((s) => { setRecording((r) => ({ ...r, [c.id]: s })); settled(); })
      .catch((e: unknown) => { settled(); errors.report(t('cameraPanel.settingRecording', { name: c.name }), e); });
  };
  const set = (k: keyof CameraForm) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  const edit = (c: Camera | null) => { setEditing(c); setForm(c ? formOf(c) : EMPTY_FORM); setFormError(null); setResult(null); };

  const submit = async () => {
    setBusy(true);
    setFormError(null);
    try {
      const camera = inputOf(form, editing?.location, !!editing?.frigate);
      const saved = editing
        ? await host.client.call('cameras.update', { id: editing.id, camera, probe: true })
        : await host.client.call('cameras.add', { camera, probe: true });
      setResult(t('cameraPanel.saved', { name: saved.name, id: saved.id, probe: probeSummary(saved.probe) }));
      setEditing(saved);
      setForm(formOf(saved));
    } catch (e) {
      setFormError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const probe = async (c: Camera) => {
    setResult(t('cameraPanel.probing', { name: c.name }));
    try {
      const [main, sub] = await Promise.all([host.client.call('cameras.probe', { id: c.id, profile: 'main' }),
        c.subUrl ? host.client.call('cameras.probe', { id: c.id, profile: 'sub' }) : undefined]);
      setResult(`${c.name}: ${probeSummary({ main, ...(sub ? { sub } : {}) })}`);
    } catch (e) { setResult(`${c.name}: ${errorMessage(e)}`); }
  };

  const remove = (c: Camera) => {
    host.client.call('cameras.remove', { id: c.id }).then(() => { if (editing?.id === c.id) edit(null); })
      .catch((e: unknown) => errors.report(t('cameraPanel.removing', { name: c.name }), e));
  };

  const importFile = async (file: File) => {
    const format = /\.csv$/i.test(file.name) ? 'csv' : 'json';
    try {
      const r = await host.client.call('cameras.import', { format, text: await file.text() });
      const errs = r.errors.slice(0, 10).map((e) => t('cameraPanel.row', { row: e.row, message: e.reason ? reasonMessage(e.reason) : e.message })).join('; ');
      setResult(t('cameraPanel.imported', { file: file.name, added: r.added, updated: r.updated, rejected: r.errors.length }) + (errs ? ` — ${errs}` : ''));
    } catch (e) { setResult(t('cameraPanel.importFailed', { file: file.name, error: errorMessage(e) })); }
  };

  const exportAs = (format: 'json' | 'csv') => {
    host.client.call('cameras.export', { format })
      .then((r) => download(`kuzet-cameras.${format}`, r.text, format === 'json' ? 'application/json' : 'text/csv'))
      .catch((e: unknown) => errors.report(t('cameraPanel.exporting'), e));
  };

  return (
    <div className="panel-backdrop" onClick={onClose}>
      <div className="panel" role="dialog" aria-label={t('topbar.cameras')} onClick={(e) => e.stopPropagation()}>
        <header className="panel-head">
          <h2>{t('topbar.cameras')} ({cameras.length})</h2>
          <span className="spacer" />
          <label className="button">{t('cameraPanel.import')}<input type="file" accept=".json,.csv,application/json,text/csv" hidden
            onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} /></label>
          <button onClick={() => exportAs('json')}>{t('cameraPanel.exportJson')}</button>
          <button onClick={() => exportAs('csv')}>{t('cameraPanel.exportCsv')}</button>
          <button onClick={onClose}>{t('common.close')}</button>
        </header>
        <div className="panel-body">
          <div className="cam-table">
            <table>
              <thead><tr><th>{t('cameraPanel.name')}</th><th>{t('cameraPanel.group')}</th><th>{t('cameraPanel.probe')}</th><th>{t('cameraPanel.recording')}</th><th /></tr></thead>
              <tbody>
                {cameras.map((c) => (
                  <tr key={c.id} className={editing?.id === c.id ? 'on' : ''}>
                    <td title={c.id}>{c.name}</td>
                    <td>{c.group ?? ''}</td>
                    <td className={c.probe?.main && !c.probe.main.ok ? 'bad' : probeWarnings(c.probe).length ? 'warn' : ''}>{probeSummary(c.probe)}</td>
                    <td className={recording[c.id]?.state === 'error' ? 'bad' : ''} title={recording[c.id]?.message ?? (recording[c.id]?.state ? t(`recordingStates.${recording[c.id]!.state}`, { defaultValue: recording[c.id]!.state }) : t('cameraPanel.recOff'))}>
                      <select aria-label={t('cameraPanel.recordingOf', { name: c.name })} value={recording[c.id]?.mode ?? 'off'}
                        onChange={(e) => setRecordingMode(c, e.target.value as RecordingMode)}>
                        <option value="off">{t('cameraPanel.recOff')}</option>
                        <option value="continuous">{t('cameraPanel.recContinuous')}</option>
                        <option value="event">{t('cameraPanel.recEvents')}</option>
                      </select>
                      {recording[c.id] && recording[c.id]!.mode !== 'off' && <span className="muted"> {t(`recordingStates.${recording[c.id]!.state}`, { defaultValue: recording[c.id]!.state })}</span>}
                      {c.subUrl && recording[c.id] && recording[c.id]!.mode !== 'off' && (
                        <label className="muted" title={recording[c.id]!.sub?.message ?? t('cameraPanel.recordSubHint')}>
                          {' '}<input type="checkbox" checked={subWanted[c.id] ?? !!recording[c.id]!.sub} aria-label={t('cameraPanel.recordSubOf', { name: c.name })}
                            onChange={(e) => setRecordingMode(c, recording[c.id]!.mode, e.target.checked)} /> {t('cameraPanel.recordSub')}
                        </label>
                      )}
                    </td>
                    <td className="actions">
                      <button className="link" onClick={() => edit(c)}>{t('common.edit')}</button>
                      <button className="link" onClick={() => void probe(c)}>{t('cameraPanel.probeAction')}</button>
                      <button className="link danger" onClick={() => remove(c)}>{t('cameraPanel.remove')}</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <form className="cam-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
            <h3>{editing ? t('cameraPanel.editNamed', { name: editing.name }) : t('cameraPanel.add')}</h3>
            <Field label={t('cameraPanel.name')}><input value={form.name} onChange={set('name')} maxLength={200} /></Field>
            <Field label={t('cameraPanel.mainUrl')}><input value={form.mainUrl} onChange={set('mainUrl')} placeholder={EXAMPLE_URL} /></Field>
            <Field label={t('cameraPanel.subUrl')}><input value={form.subUrl} onChange={set('subUrl')} placeholder={t('cameraPanel.optional')} /></Field>
            <Field label={t('cameraPanel.username')}><input value={form.username} onChange={set('username')} autoComplete="off" /></Field>
            <Field label={t('cameraPanel.password')}><input type="password" value={form.password} onChange={set('password')} autoComplete="new-password"
              placeholder={editing?.hasCredentials ? t('cameraPanel.unchanged') : ''} /></Field>
            <Field label={t('cameraPanel.kind')}>
              <select value={form.kind} onChange={set('kind')}>{CameraKind.options.map((k) => <option key={k} value={k}>{t(`cameraKinds.${k}`)}</option>)}</select>
            </Field>
            <Field label={t('cameraPanel.group')}><input value={form.group} onChange={set('group')} /></Field>
            <Field label={t('cameraPanel.tags')}><input value={form.tags} onChange={set('tags')} placeholder={t('cameraPanel.commaSeparated')} /></Field>
            <div className="field-row">
              <Field label={t('cameraPanel.latitude')}><input value={form.lat} onChange={set('lat')} inputMode="decimal" placeholder="43.2383" /></Field>
              <Field label={t('cameraPanel.longitude')}><input value={form.lon} onChange={set('lon')} inputMode="decimal" placeholder="76.9453" /></Field>
              <Field label={t('cameraPanel.heading')}><input value={form.heading} onChange={set('heading')} inputMode="decimal" placeholder="0–360" /></Field>
              <Field label={t('cameraPanel.fov')}><input value={form.fov} onChange={set('fov')} inputMode="decimal" placeholder="60" /></Field>
              <Field label={t('cameraPanel.range')}><input value={form.range} onChange={set('range')} inputMode="decimal" placeholder="60" /></Field>
            </div>
            <div className="field-row">
              <Field label={t('cameraPanel.frigateCameras')}><input value={form.frigateNames} onChange={set('frigateNames')} placeholder={EXAMPLE_FRIGATE} /></Field>
              <Field label={t('cameraPanel.frigateDetect')}><input value={form.frigateDetect} onChange={set('frigateDetect')} placeholder={frigateDetectHint(editing)}
                title={t('cameraPanel.frigateDetectHint')} /></Field>
            </div>
            {formError && <div className="form-error" role="alert">{formError}</div>}
            <div className="row">
              <button type="submit" disabled={busy}>{busy ? t('cameraPanel.saving') : editing ? t('common.save') : t('common.add')}</button>
              {editing && <button type="button" onClick={() => edit(null)}>{t('cameraPanel.newCamera')}</button>}
            </div>
            {result && <div className="result">{result}</div>}
          </form>
        </div>
        <section className="notices">
          <h3>{t('cameraPanel.notices')}</h3>
          {notices.length === 0 && <div className="muted">{t('cameraPanel.none')}</div>}
          {notices.slice().reverse().map((n) => (
            <div key={n.id} className={`notice notice-${n.level}`}>
              <span className="muted">{formatTime(n.at)}</span> {noticeText(n)}
            </div>
          ))}
        </section>
      </div>
    </div>
  );
}
