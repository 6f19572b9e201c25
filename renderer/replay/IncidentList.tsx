/** The incidents this console has, newest first: open one in replay, make its package; import a package. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../electron/contract/replay-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatDateTime, formatDuration } from '../i18n/format.js';
import { useOperator } from '../alarms/operator.js';
import { ImportPackage, MakePackage } from './IncidentPackages.js';

export function IncidentList({ host, onOpen, onClose }: { host: HostState; onOpen(id: string): void; onClose(): void }) {
  const { t } = useTranslation();
  const [list, setList] = useState<Incident[] | null>(null);
  const [error, setError] = useState('');
  const [operator] = useOperator();
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
              <span className="muted">{formatDateTime(i.fromMs)} · {formatDuration(i.toMs - i.fromMs)} · {i.cameraIds.join(', ')} · {i.createdBy}</span>
              <MakePackage host={host} incidentId={i.id} operator={operator} />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
