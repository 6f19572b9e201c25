/**
 * "Make incident" from the review timeline (issue 11 §1): offered for the bookmark at the playhead (within 2 s) and for
 * the evidence lock whose range holds it; the host makes the incident (`replay.incidents.fromBookmark` / `fromLock`)
 * and the console opens it in replay.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineMarker } from '../../electron/contract/review-api.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { useOperator } from '../alarms/operator.js';
import { markersAt } from './replay-model.js';

interface Props { host: HostState; markers: readonly TimelineMarker[]; positionMs: number; onIncident?(id: string): void; onNote(text: string): void }

export function IncidentFromMarker({ host, markers, positionMs, onIncident, onNote }: Props) {
  const { t } = useTranslation();
  const [operator] = useOperator();
  const [busy, setBusy] = useState(false);
  const { bookmark, lock } = markersAt(markers, positionMs);
  const make = (call: () => Promise<{ id: string; name: string }>) => {
    setBusy(true);
    call().then((i) => { onNote(t('trainingReview.incidentMade', { name: i.name })); onIncident?.(i.id); }, (e: unknown) => onNote(errorMessage(e))).finally(() => setBusy(false));
  };
  return (
    <>
      {bookmark && <button disabled={busy} data-testid="incident-from-bookmark" title={bookmark.text} onClick={() => make(() => host.client.call('replay.incidents.fromBookmark', { bookmarkId: bookmark.id, operator }))}>{t('trainingReview.fromBookmark')}</button>}
      {lock && <button disabled={busy} data-testid="incident-from-lock" title={lock.text} onClick={() => make(() => host.client.call('replay.incidents.fromLock', { lockId: lock.id, operator }))}>{t('trainingReview.fromLock')}</button>}
    </>
  );
}
