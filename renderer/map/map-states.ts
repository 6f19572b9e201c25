/**
 * Each camera's state as the map colours it (live, stale, offline, idle: camera-look.ts), kept up to date per status
 * event in constant time. The host sends every camera's status once a second (1,016 events a second in the benchmark);
 * the map redraws only when some camera's map state changes. Before 2026-12-05 the map found that out by building a
 * signature string over all cameras on every status event (about a million map entries a second for 1,000 cameras);
 * this keeps one state per camera and a version that changes only when one of them does.
 *
 * For React's useSyncExternalStore: `subscribe` and `getVersion`. It listens to the status store only while someone
 * listens to it (and catches up with every camera when it starts listening again), so it needs no disposal.
 */
import type { KeyedStore } from '../bridge/stores.js';
import type { StreamStatus } from '../../electron/contract/schemas.js';
import { mapCameraState, type MapCameraState } from './camera-look.js';

export class MapStates {
  private readonly states = new Map<string, MapCameraState>();
  private readonly listeners = new Set<() => void>();
  private offStore: (() => void) | null = null;
  private version = 0;

  constructor(private readonly statuses: KeyedStore<StreamStatus>) {
    this.resync();
  }

  /** The map state of one camera ('idle' when it has no status). */
  get(id: string): MapCameraState { return this.states.get(id) ?? 'idle'; }

  /** Changes whenever some camera's map state changes, and only then. */
  getVersion = (): number => {
    if (!this.offStore) this.resync(); // nobody listens, so the store's changes were not followed
    return this.version;
  };

  subscribe = (cb: () => void): (() => void) => {
    if (!this.offStore) {
      this.resync();
      this.offStore = this.statuses.subscribeAll((id) => this.update(id));
    }
    this.listeners.add(cb);
    return () => {
      this.listeners.delete(cb);
      if (this.listeners.size === 0 && this.offStore) { this.offStore(); this.offStore = null; }
    };
  };

  private update(id: string): void {
    const next = mapCameraState(this.statuses.get(id)?.state);
    if ((this.states.get(id) ?? 'idle') === next) return;
    if (next === 'idle') this.states.delete(id); else this.states.set(id, next);
    this.bump();
  }

  /** Compares every camera (at the start, and when listening again after nobody listened). */
  private resync(): void {
    let changed = false;
    const seen = new Set<string>();
    for (const [id, s] of this.statuses.entries()) {
      seen.add(id);
      const next = mapCameraState(s.state);
      if ((this.states.get(id) ?? 'idle') === next) continue;
      changed = true;
      if (next === 'idle') this.states.delete(id); else this.states.set(id, next);
    }
    for (const id of [...this.states.keys()]) if (!seen.has(id)) { this.states.delete(id); changed = true; }
    if (changed) this.bump();
  }

  private bump(): void {
    this.version += 1;
    for (const l of this.listeners) l();
  }
}
