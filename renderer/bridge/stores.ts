/**
 * Stores that live outside React and are read with useSyncExternalStore. KeyedStore notifies per key,
 * so a status event for one camera re-renders only the components reading that camera.
 */
import { useCallback, useSyncExternalStore } from 'react';

export class ValueStore<T> {
  private readonly listeners = new Set<() => void>();
  constructor(private value: T) {}
  get = (): T => this.value;
  set(next: T): void {
    if (Object.is(next, this.value)) return;
    this.value = next;
    for (const l of this.listeners) l();
  }
  subscribe = (cb: () => void): (() => void) => { this.listeners.add(cb); return () => { this.listeners.delete(cb); }; };
}

export class KeyedStore<V> {
  private readonly values = new Map<string, V>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly anyListeners = new Set<(key: string) => void>();
  private version = 0;

  get(key: string): V | undefined { return this.values.get(key); }
  entries(): IterableIterator<[string, V]> { return this.values.entries(); }
  /** Bumps on every change; lets list views subscribe to the whole store. */
  getVersion = (): number => this.version;

  set(key: string, value: V): void {
    if (Object.is(this.values.get(key), value)) return;
    this.values.set(key, value);
    this.notify(key);
  }
  delete(key: string): void {
    if (!this.values.delete(key)) return;
    this.notify(key);
  }
  private notify(key: string): void {
    this.version++;
    const set = this.listeners.get(key);
    if (set) for (const l of set) l();
    for (const l of this.anyListeners) l(key);
  }
  subscribeKey(key: string, cb: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) { set = new Set(); this.listeners.set(key, set); }
    set.add(cb);
    return () => { set.delete(cb); if (set.size === 0) this.listeners.delete(key); };
  }
  /** Every change of any key; the callback is told which key changed (React's store callbacks ignore it). */
  subscribeAll = (cb: (key: string) => void): (() => void) => { this.anyListeners.add(cb); return () => { this.anyListeners.delete(cb); }; };
}

export function useValue<T>(store: ValueStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

const noKey = (): (() => void) => () => {};
export function useKeyed<V>(store: KeyedStore<V>, key: string | null): V | undefined {
  const subscribe = useCallback((cb: () => void) => (key === null ? noKey() : store.subscribeKey(key, cb)), [store, key]);
  const get = () => (key === null ? undefined : store.get(key));
  return useSyncExternalStore(subscribe, get, get);
}

export function useStoreVersion<V>(store: KeyedStore<V>): number {
  return useSyncExternalStore(store.subscribeAll, store.getVersion, store.getVersion);
}
