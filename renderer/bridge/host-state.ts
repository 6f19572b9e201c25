/**
 * Everything the renderer knows about the host, kept in stores outside React and fed by the
 * contract's events: cameras, per-camera stream status, displays, layouts, wall presets, notices.
 */
import type { Camera, Layout, Notice, SessionInfo, StreamStatus, WallDisplay, WallPreset } from '../../electron/contract/schemas.js';
import type { BridgeClient } from './client.js';
import { KeyedStore, ValueStore } from './stores.js';
import { setDiagnostics } from '../app/diagnostics.js';

export interface HostState {
  client: BridgeClient;
  session: SessionInfo;
  connected: ValueStore<boolean>;
  cameras: ValueStore<Camera[]>;
  statuses: KeyedStore<StreamStatus>;
  displays: ValueStore<WallDisplay[]>;
  layouts: ValueStore<Layout[]>;
  presets: ValueStore<WallPreset[]>;
  notices: ValueStore<Notice[]>;
  /** Re-reads everything (after a reconnect). */
  refresh(): Promise<void>;
}

const MAX_NOTICES = 50;

export async function loadHostState(client: BridgeClient, displayId: string | null): Promise<HostState> {
  const session = await client.call('session.info', displayId ? { displayId } : {});
  setDiagnostics(session.diagnostics);
  const state: HostState = {
    client, session,
    connected: new ValueStore(true),
    cameras: new ValueStore<Camera[]>([]),
    statuses: new KeyedStore<StreamStatus>(),
    displays: new ValueStore<WallDisplay[]>([]),
    layouts: new ValueStore<Layout[]>([]),
    presets: new ValueStore<WallPreset[]>([]),
    notices: new ValueStore<Notice[]>([]),
    async refresh() {
      const [cameras, displays, layouts, presets, notices, statuses] = await Promise.all([
        client.call('cameras.list', {}), client.call('wall.displays', {}), client.call('layouts.list', {}),
        client.call('wall.presets.list', {}), client.call('notices.list', {}), client.call('streams.status', {}),
      ]);
      state.cameras.set(cameras);
      state.displays.set(displays);
      state.layouts.set(layouts);
      state.presets.set(presets);
      state.notices.set(notices.slice(-MAX_NOTICES));
      for (const s of statuses) state.statuses.set(s.cameraId, s);
    },
  };
  client.on('cameras.changed', (c) => state.cameras.set(c));
  client.on('wall.changed', (d) => state.displays.set(d));
  client.on('layouts.changed', (l) => state.layouts.set(l));
  client.on('stream.status', (s) => state.statuses.set(s.cameraId, s));
  client.on('notice', (n) => state.notices.set([...state.notices.get().filter((x) => x.id !== n.id), n].slice(-MAX_NOTICES)));
  client.transport.onConnection((up) => {
    state.connected.set(up);
    if (up) void state.refresh().catch(() => {});
  });
  await state.refresh();
  return state;
}
