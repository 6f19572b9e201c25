/** Camera management: list, add / edit / remove, probe, recording mode, import and export (JSON, CSV), notices. */
import { useEffect, useState } from 'react';
import type { RecordingMode, RecordingStatus } from '../../electron/contract/review-api.js';
import { CameraKind, type Camera } from '../../electron/contract/schemas.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { errorMessage, type UiErrors } from '../app/ui-errors.js';
import { EMPTY_FORM, formOf, frigateDetectHint, inputOf, probeSummary, type CameraForm } from './camera-form.js';

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return <label className="field"><span>{label}</span>{children}</label>;
}

export function CameraPanel({ host, onClose, errors }: { host: HostState; onClose: () => void; errors: UiErrors }) {
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
      .catch((e: unknown) => errors.report('reading recording states', e));
  }, [host, errors]);
  const setRecordingMode = (c: Camera, mode: RecordingMode) => {
    host.client.call('recording.configure', { cameraId: c.id, mode })
      .then((s) => setRecording((r) => ({ ...r, [c.id]: s })))
      .catch((e: unknown) => errors.report(`setting the recording of ${c.name}`, e));
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
      setResult(`Saved ${saved.name} (${saved.id}): ${probeSummary(saved.probe)}`);
      setEditing(saved);
      setForm(formOf(saved));
    } catch (e) {
      setFormError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const probe = async (c: Camera) => {
    setResult(`Probing ${c.name}…`);
    try {
      const p = await host.client.call('cameras.probe', { id: c.id, profile: 'main' });
      setResult(`${c.name}: ${probeSummary({ main: p })}`);
    } catch (e) { setResult(`${c.name}: ${errorMessage(e)}`); }
  };

  const remove = (c: Camera) => {
    host.client.call('cameras.remove', { id: c.id }).then(() => { if (editing?.id === c.id) edit(null); })
      .catch((e: unknown) => errors.report(`removing ${c.name}`, e));
  };

  const importFile = async (file: File) => {
    const format = /\.csv$/i.test(file.name) ? 'csv' : 'json';
    try {
      const r = await host.client.call('cameras.import', { format, text: await file.text() });
      const errs = r.errors.slice(0, 10).map((e) => `row ${e.row}: ${e.message}`).join('; ');
      setResult(`Imported ${file.name}: ${r.added} added, ${r.updated} updated, ${r.errors.length} rejected${errs ? ` — ${errs}` : ''}`);
    } catch (e) { setResult(`Import of ${file.name} failed: ${errorMessage(e)}`); }
  };

  const exportAs = (format: 'json' | 'csv') => {
    host.client.call('cameras.export', { format })
      .then((r) => download(`kuzet-cameras.${format}`, r.text, format === 'json' ? 'application/json' : 'text/csv'))
      .catch((e: unknown) => errors.report('exporting cameras', e));
  };

  return (
    <div className="panel-backdrop" onClick={onClose}>
      <div className="panel" role="dialog" aria-label="Cameras" onClick={(e) => e.stopPropagation()}>
        <header className="panel-head">
          <h2>Cameras ({cameras.length})</h2>
          <span className="spacer" />
          <label className="button">Import JSON/CSV<input type="file" accept=".json,.csv,application/json,text/csv" hidden
            onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} /></label>
          <button onClick={() => exportAs('json')}>Export JSON</button>
          <button onClick={() => exportAs('csv')}>Export CSV</button>
          <button onClick={onClose}>Close</button>
        </header>
        <div className="panel-body">
          <div className="cam-table">
            <table>
              <thead><tr><th>Name</th><th>Group</th><th>Probe</th><th>Recording</th><th /></tr></thead>
              <tbody>
                {cameras.map((c) => (
                  <tr key={c.id} className={editing?.id === c.id ? 'on' : ''}>
                    <td title={c.id}>{c.name}</td>
                    <td>{c.group ?? ''}</td>
                    <td className={c.probe?.main && !c.probe.main.ok ? 'bad' : ''}>{probeSummary(c.probe)}</td>
                    <td className={recording[c.id]?.state === 'error' ? 'bad' : ''} title={recording[c.id]?.message ?? recording[c.id]?.state ?? 'off'}>
                      <select aria-label={`Recording of ${c.name}`} value={recording[c.id]?.mode ?? 'off'}
                        onChange={(e) => setRecordingMode(c, e.target.value as RecordingMode)}>
                        <option value="off">off</option>
                        <option value="continuous">continuous</option>
                        <option value="event">on events</option>
                      </select>
                      {recording[c.id] && recording[c.id]!.mode !== 'off' && <span className="muted"> {recording[c.id]!.state}</span>}
                    </td>
                    <td className="actions">
                      <button className="link" onClick={() => edit(c)}>edit</button>
                      <button className="link" onClick={() => void probe(c)}>probe</button>
                      <button className="link danger" onClick={() => remove(c)}>remove</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <form className="cam-form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
            <h3>{editing ? `Edit ${editing.name}` : 'Add camera'}</h3>
            <Field label="Name"><input value={form.name} onChange={set('name')} maxLength={200} /></Field>
            <Field label="Main stream URL"><input value={form.mainUrl} onChange={set('mainUrl')} placeholder="rtsp://host:554/main" /></Field>
            <Field label="Sub-stream URL"><input value={form.subUrl} onChange={set('subUrl')} placeholder="optional" /></Field>
            <Field label="Username"><input value={form.username} onChange={set('username')} autoComplete="off" /></Field>
            <Field label="Password"><input type="password" value={form.password} onChange={set('password')} autoComplete="new-password"
              placeholder={editing?.hasCredentials ? 'unchanged' : ''} /></Field>
            <Field label="Kind">
              <select value={form.kind} onChange={set('kind')}>{CameraKind.options.map((k) => <option key={k} value={k}>{k}</option>)}</select>
            </Field>
            <Field label="Group"><input value={form.group} onChange={set('group')} /></Field>
            <Field label="Tags"><input value={form.tags} onChange={set('tags')} placeholder="comma separated" /></Field>
            <div className="field-row">
              <Field label="Latitude"><input value={form.lat} onChange={set('lat')} inputMode="decimal" placeholder="43.2383" /></Field>
              <Field label="Longitude"><input value={form.lon} onChange={set('lon')} inputMode="decimal" placeholder="76.9453" /></Field>
              <Field label="Heading °"><input value={form.heading} onChange={set('heading')} inputMode="decimal" placeholder="0–360" /></Field>
            </div>
            <div className="field-row">
              <Field label="Frigate cameras"><input value={form.frigateNames} onChange={set('frigateNames')} placeholder="front_door, …" /></Field>
              <Field label="Frigate detect size"><input value={form.frigateDetect} onChange={set('frigateDetect')} placeholder={frigateDetectHint(editing)}
                title="Frigate's detect resolution (width x height); empty: the probed sub-stream's size, else the main stream's" /></Field>
            </div>
            {formError && <div className="form-error" role="alert">{formError}</div>}
            <div className="row">
              <button type="submit" disabled={busy}>{busy ? 'Saving and probing…' : editing ? 'Save' : 'Add'}</button>
              {editing && <button type="button" onClick={() => edit(null)}>New camera</button>}
            </div>
            {result && <div className="result">{result}</div>}
          </form>
        </div>
        <section className="notices">
          <h3>Notices</h3>
          {notices.length === 0 && <div className="muted">None.</div>}
          {notices.slice().reverse().map((n) => (
            <div key={n.id} className={`notice notice-${n.level}`}>
              <span className="muted">{new Date(n.at).toLocaleTimeString()}</span> {n.message}
            </div>
          ))}
        </section>
      </div>
    </div>
  );
}
