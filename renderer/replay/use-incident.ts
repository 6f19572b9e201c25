/**
 * An incident's replay data, as the main replay window and a follower window both need it: its record (once), its
 * footage (an imported incident's package video, this console's recordings for its own; the segment lists cached
 * over the incident) and its overlays, unit tracks and thumbnails.
 */
import { useEffect, useMemo, useState } from 'react';
import type { IncidentRecord } from '../../electron/contract/replay-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import type { Footage } from '../review/review-player.js';
import { incidentFootage, incidentSources, type ReviewSources } from '../review/review-sources.js';
import { cachedFootage } from './footage-cache.js';

/** The player lists 2 minutes before and 4 after its position: the cached lists reach that far around the incident. */
const LIST_MARGIN_MS = 5 * 60_000;

export interface IncidentReplay { record: IncidentRecord | null; error: string; footage: Footage; sources: ReviewSources }

export function useIncidentReplay(host: HostState, incidentId: string): IncidentReplay {
  const [record, setRecord] = useState<IncidentRecord | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    host.client.call('replay.incidents.get', { id: incidentId })
      .then((r) => setRecord(r))
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [host, incidentId]);
  const incident = record?.incident;
  const footage = useMemo<Footage>(() => {
    const direct = incidentFootage(host.client, incidentId);
    // each camera's segment list of the incident (and the players' list windows around it) asked once: a seek finds
    // its tiles' lists in the page; footage still being recorded (the last half minute) is asked of the host each time
    return incident ? cachedFootage(direct, incident.fromMs - LIST_MARGIN_MS, Math.min(incident.toMs + LIST_MARGIN_MS, Date.now() - 30_000)) : direct;
  }, [host, incidentId, incident]);
  // overlays, unit tracks and thumbnails of the incident (an imported one's from its package alone)
  const sources = useMemo(() => incidentSources(host.client, incidentId), [host, incidentId]);
  return { record, error, footage, sources };
}
