/** What the operator narrows the queue to. Pure. */
import { compareAlarms, type Alarm, type AlarmState } from '../../electron/contract/alarms-schema.js';

export interface AlarmFilter {
  states: AlarmState[];
  /** Show priorities 1..maxPriority. */
  maxPriority: number;
  type: Alarm['type'] | '';
  /** Case-insensitive text in the summary, camera id or camera name. */
  text: string;
  mineOnly: boolean;
}

export const DEFAULT_FILTER: AlarmFilter = { states: ['new', 'claimed', 'escalated'], maxPriority: 5, type: '', text: '', mineOnly: false };

/**
 * The first `limit` alarms in queue order that pass the filter, and how many pass in all. Keeps only the best
 * `limit` while scanning (one comparison rejects most alarms), so a queue of tens of thousands stays cheap.
 */
export function filterAlarms(alarms: Iterable<Alarm>, f: AlarmFilter, me: string, cameraName: (id: string) => string | undefined, limit = 300): { rows: Alarm[]; total: number } {
  const text = f.text.trim().toLowerCase();
  const top: Alarm[] = [];
  let total = 0;
  for (const a of alarms) {
    if (!f.states.includes(a.state) || a.priority > f.maxPriority) continue;
    if (f.type && a.type !== f.type) continue;
    if (f.mineOnly && a.owner !== me) continue;
    if (text && !`${a.summary} ${a.cameraId} ${cameraName(a.cameraId) ?? ''} ${a.ruleName}`.toLowerCase().includes(text)) continue;
    total++;
    if (top.length === limit && compareAlarms(a, top[limit - 1]!) >= 0) continue;
    let lo = 0, hi = top.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (compareAlarms(top[mid]!, a) <= 0) lo = mid + 1; else hi = mid; }
    top.splice(lo, 0, a);
    if (top.length > limit) top.pop();
  }
  return { rows: top, total };
}

/** Keeps the newer of two copies of one alarm (events can arrive after a reply that already had a newer copy). */
export function newer(current: Alarm | undefined, incoming: Alarm): boolean {
  return !current || incoming.version >= current.version;
}
