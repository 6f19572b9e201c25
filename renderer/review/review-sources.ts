/**
 * Where the review player's overlays, unit map and hover thumbnails come from (issue 4, issue 10 §3, issue 11 §1):
 * this console's stores in review; in incident replay the incident's own answers, which for an imported incident come
 * from its package alone (events.json, units.json, zones.json, the package's video), never from this console's stores.
 */
import type { StoredOverlay } from '../../electron/contract/alarms-api.js';
import type { UnitTrack } from '../../electron/contract/map-api.js';
import type { Zone } from '../../electron/contract/zones-schema.js';
import type { BridgeClient } from '../bridge/client.js';
import { NO_ZONES, zonesFor, zonesOf as storedZones } from '../overlays/zone-store.js';
import type { Footage } from './review-player.js';

export interface ReviewSources {
  /** Stored events with boxes of a camera captured in [fromMs, toMs), oldest first (as `events.query`). */
  events(cameraId: string, fromMs: number, toMs: number): Promise<{ events: StoredOverlay[]; truncated: boolean }>;
  /** Every unit's recorded reports in [fromMs, toMs] with its lead-in (as `units.tracks`). */
  tracks(fromMs: number, toMs: number): Promise<{ fromMs: number; toMs: number; tracks: UnitTrack[]; truncated: boolean }>;
  /** The host path (without the token) of a hover thumbnail of the camera's footage at `ms`. */
  thumbPath(cameraId: string, ms: number): string;
  /** The zones and lines the zones layer draws over a camera's picture. */
  zones(cameraId: string): readonly Zone[];
}

/** This console's recordings: the segment lists and timelines review plays when no other footage is given. */
export function consoleFootage(client: BridgeClient): Footage {
  return {
    segments: (cameraId, fromMs, toMs, stream) => client.call('playback.segments', { cameraId, fromMs, toMs, ...(stream ? { stream } : {}) }),
    timeline: (cameraIds, fromMs, toMs) => client.call('recording.timeline', { cameraIds, fromMs, toMs }),
  };
}

/** Review of this console's recordings: its event store, its track store, its recordings' thumbnails. */
export function consoleSources(client: BridgeClient): ReviewSources {
  const zones = zonesFor(client);
  return {
    zones: (cameraId) => storedZones(zones, cameraId),
    events: (cameraId, fromMs, toMs) => client.call('events.query', { cameraId, fromMs, toMs }),
    tracks: (fromMs, toMs) => client.call('units.tracks', { fromMs, toMs }),
    thumbPath: (cameraId, ms) => `/rec/thumb/${cameraId}/${ms}.jpg`,
  };
}

/** An incident's footage as the host answers for it (an imported incident's package video, this console's recordings for its own). */
export function incidentFootage(client: BridgeClient, incidentId: string): Footage {
  return {
    segments: (cameraId, fromMs, toMs, stream) => client.call('replay.footage.segments', { id: incidentId, cameraId, fromMs, toMs, ...(stream ? { stream } : {}) }),
    timeline: (cameraIds, fromMs, toMs) => client.call('replay.footage.timeline', { id: incidentId, cameraIds, fromMs, toMs }),
  };
}

/**
 * Replay of an incident: the host answers for the incident (from its package when it was imported). Zones: this console's
 * live ones for its own incident, the package's for an imported one; none until the host said which (nor when it could
 * not: another console's zones are not drawn over a package's picture).
 */
export function incidentSources(client: BridgeClient, incidentId: string): ReviewSources {
  const live = zonesFor(client);
  let zonesOf: (cameraId: string) => readonly Zone[] = () => NO_ZONES;
  void client.call('replay.footage.zones', { id: incidentId }).then((r) => {
    if (r.source === 'console') { zonesOf = (cameraId) => storedZones(live, cameraId); return; }
    const own = new Map(r.cameras.map((c) => [c.cameraId, c.zones]));
    zonesOf = (cameraId) => own.get(cameraId) ?? NO_ZONES;
  }, () => { /* none drawn */ });
  return {
    zones: (cameraId) => zonesOf(cameraId),
    events: (cameraId, fromMs, toMs) => client.call('replay.footage.events', { id: incidentId, cameraId, fromMs, toMs }),
    tracks: (fromMs, toMs) => client.call('replay.footage.tracks', { id: incidentId, fromMs, toMs }),
    thumbPath: (cameraId, ms) => `/rec/pkg/${incidentId}/${cameraId}/${ms}.jpg`,
  };
}
