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

export function filterAlarms(alarms: Iterable<Alarm>, f: AlarmFilter, me: string, cameraName: (id: string) => string | undefined, limit = 300): { rows: Alarm[]; total: number } {
  const text = f.text.trim().toLowerCase();
  const out: Alarm[] = [];
  for (const a of alarms) {
    if (!f.states.includes(a.state) || a.priority > f.maxPriority) continue;
    if (f.type && a.type !== f.type) continue;
    if (f.mineOnly && a.owner !== me) continue;
    if (text && !`${a.summary} ${a.cameraId} ${cameraName(a.cameraId) ?? ''} ${a.ruleName}`.toLowerCase().includes(text)) continue;
    out.push(a);
  }
  out.sort(compareAlarms);
  return { rows: out.slice(0, limit), total: out.length };
}

/** Keeps the newer of two copies of one alarm (events can arrive after a reply that already had a newer copy). */
export function newer(current: Alarm | undefined, incoming: Alarm): boolean {
  return !current || incoming.version >= current.version;
}
