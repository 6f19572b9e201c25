/**
 * Typed client of the contract: `call('cameras.list', {})` is checked against `requests` in api.ts,
 * replies are parsed with the result schema, failures reject with the host's BridgeError message.
 */
import {
  events, requests, type EventName, type EventPayload, type Method, type Params, type Result,
} from '../../electron/contract/api.js';
import { ErrorReason } from '../../electron/contract/api-errors.js';
import type { Transport } from './transport.js';

/**
 * A failed call: `code` from the host's BridgeError, its English message, and the reason (a code and parameters) the
 * console translates when the host gave one (renderer/app/ui-errors.ts).
 */
export class BridgeCallError extends Error {
  constructor(readonly code: string, message: string, readonly method: string, readonly reason: ErrorReason | null = null) { super(message); this.name = 'BridgeCallError'; }
}

export interface BridgeClient {
  readonly transport: Transport;
  call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, cb: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(transport: Transport, onBadEvent?: (event: string, problem: string) => void): BridgeClient {
  let nextId = 1;
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  transport.onEvent((msg) => {
    const set = handlers.get(msg.event);
    if (!set || set.size === 0) return;
    const schema = (events as Record<string, (typeof events)[EventName]>)[msg.event];
    if (!schema) return;
    const parsed = schema.safeParse(msg.payload);
    if (!parsed.success) { onBadEvent?.(msg.event, parsed.error.message); return; }
    for (const h of set) h(parsed.data);
  });

  return {
    transport,
    async call(method, params) {
      const reply = await transport.request({ id: nextId++, method, params });
      if (!reply.ok) {
        const reason = ErrorReason.safeParse(reply.error?.reason);
        throw new BridgeCallError(reply.error?.code ?? 'internal', reply.error?.message ?? `${method} failed`, method, reason.success ? reason.data : null);
      }
      const parsed = requests[method].result.safeParse(reply.result);
      if (!parsed.success) throw new BridgeCallError('internal', `${method}: the host sent a malformed reply`, method);
      return parsed.data as Result<typeof method>;
    },
    on(event, cb) {
      let set = handlers.get(event);
      if (!set) { set = new Set(); handlers.set(event, set); }
      const h = cb as (payload: unknown) => void;
      set.add(h);
      return () => { set.delete(h); };
    },
  };
}
