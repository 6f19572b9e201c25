/**
 * Every camera's privacy masks and lifts as the host keeps them (masks.list, then masks.changed), outside React.
 */
import type { CameraMasks, Mask } from '../../electron/contract/masks-schema.js';
import type { BridgeClient } from '../bridge/client.js';
import { KeyedStore } from '../bridge/stores.js';

const stores = new WeakMap<BridgeClient, KeyedStore<CameraMasks>>();

/** One mask store per connection to the host; loaded once and kept current by `masks.changed`. */
export function masksFor(client: BridgeClient): KeyedStore<CameraMasks> {
  let s = stores.get(client);
  if (!s) {
    const store = new KeyedStore<CameraMasks>();
    client.on('masks.changed', (m) => store.set(m.cameraId, m));
    const load = () => client.call('masks.list', {}).then((all) => { for (const m of all) store.set(m.cameraId, m); }, () => { /* retried on reconnect */ });
    void load();
    client.transport.onConnection((up) => { if (up) void load(); });
    stores.set(client, store);
    s = store;
  }
  return s;
}

/**
 * The masks to draw over a camera's picture now: permanent ones always, liftable ones unless a lift is in force.
 * (The host ends a lift with masks.changed; the clock check only covers a console that missed that event.)
 */
export function masksToDraw(m: CameraMasks | undefined, now = Date.now()): Mask[] {
  if (!m || !m.masks.length) return [];
  const lifted = m.lift !== null && m.lift.until > now;
  return lifted ? m.masks.filter((x) => x.kind === 'permanent') : m.masks;
}
