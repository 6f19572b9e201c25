/** Errors the operator should read (a failed call, a rejected import), shown in the notice banner. */
import { useMemo } from 'react';
import type { HostState } from '../bridge/host-state.js';
import { ValueStore } from '../bridge/stores.js';

export interface UiError { id: number; message: string; at: number }

export interface UiErrors {
  store: ValueStore<UiError[]>;
  report(what: string, err: unknown): void;
  dismiss(id: number): void;
}

let nextId = 1;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createUiErrors(host: HostState | null): UiErrors {
  const store = new ValueStore<UiError[]>([]);
  return {
    store,
    report(what, err) {
      const message = `${what}: ${errorMessage(err)}`;
      store.set([...store.get(), { id: nextId++, message, at: Date.now() }].slice(-5));
      host?.client.call('log.report', { level: 'warning', message: message.slice(0, 4000) }).catch(() => {});
    },
    dismiss(id) { store.set(store.get().filter((e) => e.id !== id)); },
  };
}

export function useUiErrors(host: HostState): UiErrors {
  return useMemo(() => createUiErrors(host), [host]);
}
