/**
 * Incident packages from the incident list (issue 11 §1): make one of an incident (progress, then the folder and .tar
 * written on the host and the signer), and import one by its path on the host (a folder or a .tar), with the refusal
 * told in the operator's language (tampered, a file missing, not a package, no such path) and the host's detail.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportResult, PackageResult } from '../../electron/contract/replay-package.js';
import type { HostState } from '../bridge/host-state.js';
import { BridgeCallError } from '../bridge/client.js';
import { errorMessage } from '../app/ui-errors.js';
import { packageProblem } from './package-errors.js';

type Outcome<T> = { kind: 'busy'; done: number } | { kind: 'ok'; result: T } | { kind: 'error'; headline: string; detail: string };

function useFailure(): (err: unknown, prefix: string) => Outcome<never> {
  const { t } = useTranslation();
  return (err, prefix) => {
    const code = err instanceof BridgeCallError ? err.code : 'internal';
    return { kind: 'error', headline: t(`${prefix}.${packageProblem(code, errorMessage(err))}`), detail: errorMessage(err) };
  };
}

/** "Make package" for one incident: export progress, then where it was written and who signed it. */
export function MakePackage({ host, incidentId, operator }: { host: HostState; incidentId: string; operator: string }) {
  const { t } = useTranslation();
  const fail = useFailure();
  const [state, setState] = useState<Outcome<PackageResult> | null>(null);
  const running = useRef(false);
  // the package's video is an evidence export named pkg-<incident>-<time>: its progress events say how far it is
  useEffect(() => host.client.on('export.progress', (p) => {
    if (running.current && p.id.startsWith(`pkg-${incidentId}-`)) setState({ kind: 'busy', done: p.done });
  }), [host, incidentId]);
  const make = () => {
    running.current = true;
    setState({ kind: 'busy', done: 0 });
    host.client.call('replay.packages.create', { id: incidentId, operator, archive: true })
      .then((result) => setState({ kind: 'ok', result }), (err: unknown) => setState(fail(err, 'replayPkg.makeError')))
      .finally(() => { running.current = false; });
  };
  return (
    <div className="replay-pkg" data-testid="make-package" data-package-incident={incidentId}>
      <button onClick={make} disabled={state?.kind === 'busy'}>{t('replayPkg.make')}</button>
      {state?.kind === 'busy' && <span className="muted" data-testid="package-progress">{t('replayPkg.making', { percent: Math.round(state.done * 100) })}</span>}
      {state?.kind === 'ok' && (
        <span data-testid="package-written" data-dir={state.result.dir} data-archive={state.result.archive ?? ''}>
          {t('replayPkg.written', { dir: state.result.dir, archive: state.result.archive ?? '—', signer: state.result.signer })}
        </span>
      )}
      {state?.kind === 'error' && <span className="replay-pkg-error" data-testid="package-error">{state.headline} <span className="muted">{state.detail}</span></span>}
    </div>
  );
}

/** "Import package": a folder or .tar on the host, verified there; the incident is listed when it imports. */
export function ImportPackage({ host, operator, onImported }: { host: HostState; operator: string; onImported(r: ImportResult): void }) {
  const { t } = useTranslation();
  const fail = useFailure();
  const [path, setPath] = useState('');
  const [state, setState] = useState<Outcome<ImportResult> | null>(null);
  const submit = () => {
    if (!path.trim()) return;
    setState({ kind: 'busy', done: 0 });
    host.client.call('replay.packages.import', { path: path.trim(), operator })
      .then((result) => { setState({ kind: 'ok', result }); onImported(result); }, (err: unknown) => setState(fail(err, 'replayPkg.importError')));
  };
  return (
    <form className="replay-pkg replay-import" data-testid="import-package" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <input value={path} onChange={(e) => { setPath(e.target.value); if (state?.kind !== 'busy') setState(null); }} placeholder={t('replayPkg.pathPlaceholder')} aria-label={t('replayPkg.path')} data-testid="package-path" />
      <button type="submit" disabled={state?.kind === 'busy' || !path.trim()}>{t('replayPkg.import')}</button>
      {state?.kind === 'busy' && <span className="muted">{t('replayPkg.importing')}</span>}
      {state?.kind === 'ok' && <span data-testid="package-imported" data-incident={state.result.incidentId}>{t('replayPkg.imported', { signer: state.result.signer, actions: state.result.actions })}</span>}
      {state?.kind === 'error' && <span className="replay-pkg-error" data-testid="package-error">{state.headline} <span className="muted">{state.detail}</span></span>}
    </form>
  );
}
