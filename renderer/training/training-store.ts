/**
 * The training sessions this console knows of, outside React: fed by `training.sessions.list` / `.status` and the
 * `training.session` event (issue 11 §2). One store per connection to the host, shared by the banner, the panel and the
 * trainee's queue.
 */
import type { TrainingSessionView } from '../../electron/contract/training/session-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { ValueStore } from '../bridge/stores.js';

export type TrainingSessions = ValueStore<ReadonlyMap<string, TrainingSessionView>>;

const stores = new WeakMap<HostState, TrainingSessions>();

export function trainingSessions(host: HostState): TrainingSessions {
  const known = stores.get(host);
  if (known) return known;
  const store: TrainingSessions = new ValueStore<ReadonlyMap<string, TrainingSessionView>>(new Map());
  stores.set(host, store);
  const put = (v: TrainingSessionView) => { const next = new Map(store.get()); next.set(v.status.id, v); store.set(next); };
  const load = async () => {
    const list = await host.client.call('training.sessions.list', {});
    const views = await Promise.all(list.filter((s) => s.state === 'running').map((s) => host.client.call('training.sessions.status', { id: s.id })));
    const next = new Map<string, TrainingSessionView>(list.map((s) => [s.id, { status: s, alarms: [] }]));
    for (const v of views) next.set(v.status.id, v);
    store.set(next);
  };
  host.client.on('training.session', put);
  host.client.transport.onConnection((up) => { if (up) void load().catch(() => {}); });
  void load().catch(() => {});
  return store;
}

/** The running session this user trains in (the trainee), or null. */
export function traineeSession(sessions: ReadonlyMap<string, TrainingSessionView>, user: string | undefined): TrainingSessionView | null {
  if (!user) return null;
  for (const v of sessions.values()) if (v.status.state === 'running' && v.status.trainee === user) return v;
  return null;
}

/** The running sessions this user is in, as trainee or as the trainer who started them (the banner shows them). */
export function sessionsOf(sessions: ReadonlyMap<string, TrainingSessionView>, user: string | undefined): TrainingSessionView[] {
  if (!user) return [];
  return [...sessions.values()].filter((v) => v.status.state === 'running' && (v.status.trainee === user || v.status.startedBy === user));
}

/** "mm:ss" of a scenario clock. */
export { formatClock } from '../../electron/contract/training/report-text.js';
