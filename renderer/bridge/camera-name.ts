/** A camera's name by id, the id itself for a camera this console does not list (the plates panel, replay's lists). */
import { useMemo } from 'react';
import type { HostState } from './host-state.js';
import { useValue } from './stores.js';

export function useCameraName(host: HostState): (id: string) => string {
  const cameras = useValue(host.cameras);
  return useMemo(() => { const m = new Map(cameras.map((c) => [c.id, c.name])); return (id: string) => m.get(id) ?? id; }, [cameras]);
}
