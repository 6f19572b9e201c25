/** An alarm as a mark on its camera's timeline: one definition for this console's alarms and an imported package's. */
import type { Alarm } from '../../contract/alarms-schema.js';
import type { TimelineMarker } from '../../contract/review-api.js';

export function alarmMarker(a: Pick<Alarm, 'id' | 'cameraId' | 'firstAt' | 'priority' | 'ruleName' | 'summary'>): TimelineMarker {
  return {
    id: `alarm-${a.id}`, cameraId: a.cameraId, kind: 'alarm', atMs: Math.max(0, Math.round(a.firstAt)),
    text: `P${a.priority} ${a.ruleName}: ${a.summary}`.slice(0, 2000),
  };
}

/** The alarms among `alarms` that first fired on one of `cameraIds` in [fromMs, toMs), as timeline marks. */
export function alarmMarkers(alarms: readonly Alarm[], cameraIds: readonly string[], fromMs: number, toMs: number): TimelineMarker[] {
  const ids = new Set(cameraIds);
  return alarms.filter((a) => ids.has(a.cameraId) && a.firstAt >= fromMs && a.firstAt < toMs).map(alarmMarker);
}
