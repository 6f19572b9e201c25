/**
 * Every camera's zones and lines as the host keeps them (zones.list, then zones.changed), outside React.
 */
import type { Zone } from '../../electron/contract/zones-schema.js';
import type { BridgeClient } from '../bridge/client.js';
import { KeyedStore } from '../bridge/stores.js';

const stores = new WeakMap<BridgeClient, KeyedStore<Zone[]>>();
/** A camera without zones: one constant, so that whoever keys on a list's identity (review-overlays.ts) sees no change. */
export const NO_ZONES: readonly Zone[] = [];

/** One zone store per connection to the host; loaded once and kept current by `zones.changed`. */
export function zonesFor(client: BridgeClient): KeyedStore<Zone[]> {
  let s = stores.get(client);
  if (!s) {
    const store = new KeyedStore<Zone[]>();
    client.on('zones.changed', (z) => store.set(z.cameraId, z.zones));
    const load = () => client.call('zones.list', {}).then((all) => { for (const z of all) store.set(z.cameraId, z.zones); }, () => { /* shown empty; retried on reconnect */ });
    void load();
    client.transport.onConnection((up) => { if (up) void load(); });
    stores.set(client, store);
    s = store;
  }
  return s;
}

/** A camera's zones from the store: the list the store holds (replaced when it changes), or NO_ZONES. */
export function zonesOf(store: KeyedStore<Zone[]>, cameraId: string | null): readonly Zone[] {
  return (cameraId && store.get(cameraId)) || NO_ZONES;
}
