/**
 * MQTT ingest. By default an embedded broker (aedes) on 127.0.0.1: messages on `kuzet/events/<camera>`,
 * `frigate/events` and `frigate/tracked_object_update` are committed to the store *before* the broker sends PUBACK (QoS 1), because aedes writes
 * the PUBACK only after `authorizePublish` calls back. With an external broker (Mosquitto ...) Kuzet
 * subscribes with a persistent session and acknowledges each message after commit (mqtt.js handleMessage).
 */
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import type { EventSource } from '../../contract/events-schema.js';
import type { Logger } from '../log.js';
import type { AlarmEngine } from './engine.js';
import { FRIGATE_EVENTS_TOPIC, FRIGATE_UPDATE_TOPIC } from './frigate-adapter.js';

export const KUZET_TOPIC = 'kuzet/events/';
export const FRIGATE_TOPIC = FRIGATE_EVENTS_TOPIC;
export { FRIGATE_UPDATE_TOPIC };

export interface MqttOptions {
  /** External broker (mqtt://, mqtts://); absent: the embedded broker. */
  url?: string;
  username?: string;
  password?: string;
  /** PEM file with the CA that signed the external broker's certificate. */
  caFile?: string;
  /** Embedded broker port on 127.0.0.1; 0 picks a free one; a busy port falls back to a free one. */
  port?: number;
  bind?: string;
}

export interface MqttIngest {
  /** Where publishers connect (the embedded broker) or which broker Kuzet listens to. */
  readonly url: string;
  readonly embedded: boolean;
  close(): Promise<void>;
}

export function sourceOf(topic: string): EventSource | null {
  if (topic.startsWith(KUZET_TOPIC)) return 'mqtt';
  if (topic === FRIGATE_TOPIC || topic === FRIGATE_UPDATE_TOPIC) return 'frigate';
  return null;
}

async function listen(server: Server, port: number, bind: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => { server.off('error', reject); resolve((server.address() as { port: number }).port); });
  });
}

export async function startEmbeddedBroker(engine: AlarmEngine, opts: MqttOptions, log: Logger): Promise<MqttIngest> {
  const broker = await Aedes.createBroker({
    authorizePublish: (_client, packet, callback) => {
      const source = sourceOf(packet.topic);
      if (!source) { callback(null); return; }
      // Commit first; the PUBACK follows the callback. A rejected message is acknowledged (it was judged,
      // counted and will never become valid by resending); a failed commit drops the connection unacknowledged.
      engine.submit(packet.payload as Buffer, packet.topic, source).then(() => callback(null), (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
  });
  const server = createServer(broker.handle);
  const bind = opts.bind ?? '127.0.0.1';
  let port: number;
  try { port = await listen(server, opts.port ?? 1883, bind); } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    log.warn('MQTT port busy, using a free one', { port: opts.port });
    port = await listen(server, 0, bind);
  }
  log.info('embedded MQTT broker listening', { bind, port });
  return {
    url: `mqtt://${bind}:${port}`, embedded: true,
    async close() {
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export async function connectExternalBroker(engine: AlarmEngine, opts: MqttOptions & { url: string }, log: Logger): Promise<MqttIngest> {
  const client: MqttClient = mqtt.connect(opts.url, {
    clientId: `kuzet-ingest-${Math.random().toString(36).slice(2, 10)}`,
    clean: false, reconnectPeriod: 2000, connectTimeout: 10_000,
    ...(opts.username ? { username: opts.username } : {}),
    ...(opts.password ? { password: opts.password } : {}),
    ...(opts.caFile ? { ca: readFileSync(opts.caFile), rejectUnauthorized: true } : {}),
  });
  // mqtt.js sends PUBACK when this callback runs: after the commit.
  client.handleMessage = (packet, callback) => {
    const source = sourceOf(packet.topic);
    if (!source) { callback(); return; }
    engine.submit(packet.payload as Buffer, packet.topic, source).then(() => callback(), (err: unknown) => {
      log.error('event not committed; leaving it unacknowledged', { error: String(err) });
      client.end(true); // the broker redelivers to the next session
    });
  };
  client.on('connect', () => {
    log.info('connected to MQTT broker', { url: opts.url });
    client.subscribe([`${KUZET_TOPIC}+`, FRIGATE_TOPIC, FRIGATE_UPDATE_TOPIC], { qos: 1 }, (err) => { if (err) log.error('MQTT subscribe failed', { error: err.message }); });
  });
  client.on('error', (err) => log.warn('MQTT broker error', { url: opts.url, error: err.message }));
  return { url: opts.url, embedded: false, close: () => new Promise<void>((r) => client.end(false, {}, () => r())) };
}
