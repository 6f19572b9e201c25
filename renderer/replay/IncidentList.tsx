/** The incidents this console has, newest first: open one in replay, make its package; import a package. */
import { useCallback, useEffect, useState } from 'react';
import { useCameraName } from '../bridge/camera-name.js';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../electron/contract/replay-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatDateTime, formatDuration } from '../i18n/format.js';
import { useOperator } from '../alarms/operator.js';
import { mayOn, useMe } from '../access/access-state.js';
import { ImportPackage, MakePackage } from './IncidentPackages.js';

export function IncidentList({ host, onOpen, onClose }: { host: HostState; onOpen(id: string): void; onClose(): void }) {
  const { t } = useTranslation();
  const [list, setList] = useState<Incident[] | null>(null);
  const [error, setError] = useState('');
  const [operator] = useOperator();
  const nameOf = useCameraName(host);
  const load = useCallback(() => { host.client.call('replay.incidents.list', {}).then(setList).catch((err: unknown) => setError(errorMessage(err))); }, [host]);
  useEffect(load, [load]);
  return (
    <div className="panel-backdrop" onClick={onClose}>
      <div className="panel replay-list" role="dialog" aria-label={t('replay.incidents')} onClick={(e) => e.stopPropagation()} data-testid="incident-list">
        <header className="panel-head">
          <h2>{t('replay.incidents')}</h2>
          <span className="spacer" />
          <button onClick={onClose}>{t('common.close')}</button>
        </header>
        <div className="pad">
          {error && <div className="banner banner-error">{error}</div>}
          <ImportPackage host={host} operator={operator} onImported={load} />
          {list?.length === 0 && <div className="muted">{t('replay.noIncidents')}</div>}
          {list?.map((i) => (
            <div key={i.id} className="replay-incident">
              <button onClick={() => onOpen(i.id)} data-incident={i.id}>{t('replay.open')}</button>
              <span>{i.name}</span>
              <span className="muted">{formatDateTime(i.fromMs)} · {formatDuration(i.toMs - i.fromMs)} · {i.cameraIds.map(nameOf).join(', ')} · {i.createdBy}</span>
              <IncidentFootage host={host} incident={i} operator={operator} />
              <MakePackage host={host} incidentId={i.id} operator={operator} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

/**
 * What is left of an incident's footage here (retention deletes the oldest at the storage's limits) and **Keep footage**:
 * an evidence lock on its cameras and range, so replay and packages keep it. An imported incident plays its package.
 */
function IncidentFootage({ host, incident, operator }: { host: HostState; incident: Incident; operator: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const [state, setState] = useState<{ recordedPercent: number | null; lockId: string | null } | null>(null);
  const [error, setError] = useState('');
  const load = useCallback(() => { host.client.call('replay.incidents.footage', { id: incident.id }).then(setState, (e: unknown) => setError(errorMessage(e))); }, [host, incident.id]);
  useEffect(load, [load]);
  if (error) return <span className="banner-error" data-testid="incident-footage">{error}</span>;
  if (!state || state.recordedPercent === null) return null;
  const keep = () => {
    host.client.call('evidence.lock', { cameraIds: incident.cameraIds, fromMs: incident.fromMs, toMs: incident.toMs, reason: t('replay.keepReason', { name: incident.name }), by: operator })
      .then(load, (e: unknown) => setError(errorMessage(e)));
  };
  const may = incident.cameraIds.every((c) => mayOn(me, 'export', c));
  return (
    <span className="incident-footage" data-testid="incident-footage" data-percent={state.recordedPercent} data-lock={state.lockId ?? ''}>
      <span className={state.lockId ? 'muted' : state.recordedPercent < 100 ? 'warn' : 'muted'}>
        {state.lockId ? t('replay.footageKept', { percent: state.recordedPercent }) : t('replay.footageLeft', { percent: state.recordedPercent })}
      </span>
      {!state.lockId && state.recordedPercent > 0 && (
        <button onClick={keep} disabled={!may} title={t('replay.keepHint')} data-testid="incident-keep">{t('replay.keepFootage')}</button>
      )}
    </span>
  );
}
