// The renderer's typed client over the web shell transport, against the host's real HTTP/WebSocket server
// and dispatcher (with a small in-memory service), plus the per-camera event store.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsClient } from 'ws';
import { startHttpServer, type RunningServer } from '../../electron/host/http-server.js';
import { createLogger } from '../../electron/host/log.js';
import { ContractError, type EventMessage, type HostService } from '../../electron/contract/api.js';
import type { Camera, StreamStatus } from '../../electron/contract/schemas.js';
import { createClient, BridgeCallError } from '../../renderer/bridge/client.js';
import { electronTransport, webSocketTransport, type Transport } from '../../renderer/bridge/transport.js';
import { KeyedStore } from '../../renderer/bridge/stores.js';
import { toWebSocketUrl } from '../../renderer/bridge/connect.js';
import { dispatch } from '../../electron/host/dispatch.js';
import { until } from '../support/until.js';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WsClient;

const log = createLogger({ scope: 'test', level: 'error', quiet: true });
const camera: Camera = { id: 'gate-1', name: 'Gate <1>', mainUrl: 'rtsp://x/1', hasCredentials: false, kind: 'fixed', tags: [] };
const status = (cameraId: string, state: StreamStatus['state']): StreamStatus => ({
  cameraId, state, reason: 'none', engine: 'gstreamer', profile: 'sub', decision: [{ key: 'fitsSub', params: { tile: '480x270', size: '640x360' } }], width: 640, height: 360,
  keyframeOnly: false, pinned: false, downgrade: null, generation: 1, lastFrameAt: null, fps: 25, bitrateKbps: 900, latencyMs: null,
  counters: { connects: 1, retries: 0, errors: 0, frames: 0, drops: 0, damaged: 0 }, since: 0,
});

function fakeHost() {
  const listeners = new Set<(m: EventMessage) => void>();
  let release: () => void = () => {};
  const service = {
    'cameras.list': () => [camera],
    'cameras.remove': ({ id }: { id: string }) => { throw new ContractError('not-found', `no camera '${id}'`); },
    'streams.status': () => new Promise((resolve) => { release = () => resolve([]); }),
  } as unknown as HostService;
  return {
    // no people and rights here (tests/integration/access-*.test.ts): every connection passes, every event reaches it
    host: { service, frames: { subscribeFrames: () => () => {} }, log, access: { connect() {}, disconnect() {}, tokenSession: () => null, onSessionChange: () => () => {} }, gate: { filterEvent: (_c: string, m: EventMessage) => m }, trainingCameras: { eventFor: (_c: string, m: EventMessage) => m, follow: (src: { subscribeFrames(id: string, cb: (f: Buffer) => void): () => void }, _c: () => string, id: string, cb: (f: Buffer) => void) => src.subscribeFrames(id, cb) }, onEvent: (cb: (m: EventMessage) => void) => { listeners.add(cb); return () => listeners.delete(cb); }, eventFor: (_c: string, m: EventMessage) => m, clientGone() {} },
    emit: (m: EventMessage) => { for (const l of listeners) l(m); },
    release: () => release(),
  };
}


describe('bridge client over the web shell', () => {
  let server: RunningServer | null = null;
  let transport: Transport | null = null;
  afterEach(async () => { transport?.close(); await server?.close(); server = null; });

  async function connect() {
    const h = fakeHost();
    server = await startHttpServer({ host: h.host as never, port: 0 });
    transport = webSocketTransport(toWebSocketUrl(`/api?token=${server.token}`, server.origin));
    const bad: string[] = [];
    const client = createClient(transport, (event) => bad.push(event));
    return { ...h, client, bad };
  }

  it('makes typed calls and rejects failures with the host message', async () => {
    const { client } = await connect();
    const cams = await client.call('cameras.list', {});
    expect(cams[0]?.name).toBe('Gate <1>');
    await expect(client.call('cameras.remove', { id: 'gate-9' })).rejects.toThrow("no camera 'gate-9'");
    const err = await client.call('cameras.remove', { id: 'gate-9' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeCallError);
    expect((err as BridgeCallError).code).toBe('not-found');
    await expect(client.call('cameras.remove', { id: 'Bad Id!' })).rejects.toThrow(/camera id/);
  });

  it('delivers valid events, drops malformed ones, and notifies only the camera that changed', async () => {
    const { client, emit, bad } = await connect();
    await client.call('cameras.list', {}); // connected
    const store = new KeyedStore<StreamStatus>();
    client.on('stream.status', (s) => store.set(s.cameraId, s));
    let aHits = 0;
    let bHits = 0;
    store.subscribeKey('cam-a', () => aHits++);
    store.subscribeKey('cam-b', () => bHits++);
    emit({ event: 'stream.status', payload: status('cam-a', 'live') });
    emit({ event: 'stream.status', payload: { cameraId: 'cam-b', state: 'exploded' } });
    emit({ event: 'stream.status', payload: status('cam-a', 'stalled') });
    await until(() => aHits === 2);
    expect(store.get('cam-a')?.state).toBe('stalled');
    expect(bHits).toBe(0);
    expect(bad).toEqual(['stream.status']);
  });

  it('fails calls in flight when the host goes away, then reconnects', async () => {
    const h = await connect();
    await h.client.call('cameras.list', {});
    const ups: boolean[] = [];
    transport!.onConnection((up) => ups.push(up));
    const pending = h.client.call('streams.status', {});
    const { port, token } = server!;
    await server!.close();
    await expect(pending).rejects.toThrow('host connection lost');
    expect(ups).toEqual([false]);
    // A host with another token refuses the socket: the transport keeps retrying without crashing.
    server = await startHttpServer({ host: fakeHost().host as never, port, token: 'another-token' });
    await new Promise((r) => setTimeout(r, 600)); // the thing tested: for 0.6 s of retries the refused socket never comes up
    expect(ups).toEqual([false]);
    await server.close();
    server = await startHttpServer({ host: fakeHost().host as never, port, token });
    await until(() => ups.at(-1) === true, 8000);
    expect((await h.client.call('cameras.list', {}))[0]?.id).toBe('gate-1');
  });
});

describe('bridge client over the Electron preload', () => {
  it('uses window.kuzet-style invoke and parses the reply', async () => {
    const h = fakeHost();
    let n = 0;
    const t = electronTransport({
      invoke: async (method, params) => (await dispatch(h.host.service, { id: ++n, method, params }, 'win-1', log))!,
      onEvent: (cb) => h.host.onEvent(cb),
    });
    const client = createClient(t);
    expect((await client.call('cameras.list', {})).map((c) => c.id)).toEqual(['gate-1']);
    await expect(client.call('cameras.remove', { id: 'nope' })).rejects.toThrow("no camera 'nope'");
    const seen: string[] = [];
    client.on('notice', (nt) => seen.push(nt.message));
    h.emit({ event: 'notice', payload: { id: 'n1', level: 'warning', message: '<b>text</b>', at: 1 } });
    expect(seen).toEqual(['<b>text</b>']);
  });
});
