/** Cameras' names by id, the id itself for a camera this console does not list (the plates panel, replay, review, audit, rules). */
import { useMemo } from 'react';
import type { HostState } from './host-state.js';
import { useValue } from './stores.js';

/** The console's camera names as a record (what the replayed walls and the review grid take). */
export function useCameraNames(host: HostState): Readonly<Record<string, string>> {
  const cameras = useValue(host.cameras);
  return useMemo(() => Object.fromEntries(cameras.map((c) => [c.id, c.name])), [cameras]);
}

export function useCameraName(host: HostState): (id: string) => string {
  const names = useCameraNames(host);
  return useMemo(() => (id: string) => (Object.hasOwn(names, id) ? names[id]! : id), [names]);
}
