/** A Node client of the contract over the web shell's /api WebSocket, for tests and benchmarks. */
import WebSocket from 'ws';
import type { EventMessage, Method, Params, ReplyMessage, Result } from '../../electron/contract/api.js';

export class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<number, (r: ReplyMessage) => void>();
  readonly events: EventMessage[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as ReplyMessage | EventMessage;
      if ('event' in msg) { this.events.push(msg); if (this.events.length > 5000) this.events.shift(); return; }
      this.pending.get(msg.id)?.(msg);
      this.pending.delete(msg.id);
    });
  }

  static async connect(origin: string, token: string, display = 'main'): Promise<ApiClient> {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api?token=${encodeURIComponent(token)}&display=${display}`);
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`))); });
    return new ApiClient(ws);
  }

  /** Sends a request; resolves with the reply (ok or error) so tests can assert on errors too. */
  raw(method: string, params: unknown): Promise<ReplyMessage> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const reply = await this.raw(method, params);
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
    return reply.result as Result<M>;
  }

  close(): void { this.ws.close(); }
}
