/**
 * The renderer's alarm queue, outside React: fed by `alarms.list` and the `alarms.changed` event, read with
 * useSyncExternalStore. Resolved alarms stay visible for a while (history filter) up to a cap.
 */
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import type { BridgeClient } from '../bridge/client.js';
import { newer } from './alarm-filter.js';

const MAX_RESOLVED = 500;
/** Views re-render at most this often: a console that falls behind in a flood catches up instead of queueing renders. */
const NOTIFY_EVERY_MS = 80;

export class AlarmQueueStore {
  readonly alarms = new Map<string, Alarm>();
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private readonly arrivals = new Set<(a: Alarm) => void>();
  private applies = 0;
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;

  getVersion = (): number => this.version;
  subscribe = (cb: () => void): (() => void) => { this.listeners.add(cb); return () => { this.listeners.delete(cb); }; };
  /** Called once per alarm the first time this console sees it (sound, auto-pop). */
  onArrival(cb: (a: Alarm) => void): () => void { this.arrivals.add(cb); return () => { this.arrivals.delete(cb); }; }

  apply(list: Alarm[], announce: boolean): void {
    let changed = false;
    for (const a of list) {
      const cur = this.alarms.get(a.id);
      if (!newer(cur, a)) continue;
      this.alarms.set(a.id, a);
      changed = true;
      if (!cur && announce && a.state !== 'resolved') for (const cb of this.arrivals) cb(a);
    }
    if (!changed) return;
    if (++this.applies % 50 === 0) this.trimResolved(); // a scan of the whole queue, not on every batch
    this.version++;
    this.notifyTimer ??= setTimeout(() => { this.notifyTimer = null; for (const l of this.listeners) l(); }, NOTIFY_EVERY_MS);
  }

  private trimResolved(): void {
    const resolved = [...this.alarms.values()].filter((a) => a.state === 'resolved');
    if (resolved.length <= MAX_RESOLVED) return;
    resolved.sort((x, y) => (x.resolvedAt ?? 0) - (y.resolvedAt ?? 0));
    for (const a of resolved.slice(0, resolved.length - MAX_RESOLVED)) this.alarms.delete(a.id);
  }
}

export function connectAlarmQueue(client: BridgeClient): { store: AlarmQueueStore; dispose(): void } {
  const store = new AlarmQueueStore();
  const load = () => Promise.all([
    client.call('alarms.list', { states: ['new', 'claimed', 'escalated'], limit: 5000 }),
    client.call('alarms.list', { states: ['resolved'], limit: 200 }),
  ]).then(([open, done]) => store.apply([...open, ...done], false), () => {});
  const offs = [
    client.on('alarms.changed', (list) => store.apply(list, true)),
    client.transport.onConnection((up) => { if (up) void load(); }),
  ];
  void load();
  return { store, dispose: () => { for (const off of offs) off(); } };
}
