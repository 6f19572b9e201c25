/**
 * Transport-independent request dispatch: validates a RequestMessage against the contract, calls the host
 * service and turns every outcome (including thrown errors) into a ReplyMessage. Both shells use it.
 */
import { ZodError } from 'zod';
import { reasonOfIssue, type ErrorReason } from '../contract/api-errors.js';
import { ContractError, isMethod, requests, type BridgeError, type HostService, type ReplyMessage } from '../contract/api.js';
import type { Logger } from './log.js';

export const MAX_REQUEST_BYTES = 6_000_000;

function describeZod(err: ZodError): string {
  return err.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
}

export async function dispatch(service: HostService, raw: unknown, clientId: string, log: Logger): Promise<ReplyMessage | null> {
  const msg = raw as { id?: unknown; method?: unknown; params?: unknown } | null;
  if (!msg || typeof msg !== 'object' || typeof msg.id !== 'number' || typeof msg.method !== 'string') {
    log.warn('malformed request dropped');
    return null;
  }
  const { id, method } = msg as { id: number; method: string };
  const fail = (code: BridgeError['code'], message: string, reason?: ErrorReason | null): ReplyMessage =>
    ({ id, ok: false, error: reason ? { code, message, reason } : { code, message } });
  const zodReason = (err: ZodError) => (err.issues[0] ? reasonOfIssue(err.issues[0]) : null);
  if (!isMethod(method)) return fail('invalid', `unknown request '${method.slice(0, 80)}'`, { code: 'unknownRequest', params: { method: method.slice(0, 80) } });
  const parsed = requests[method].params.safeParse(msg.params ?? {});
  if (!parsed.success) return fail('invalid', describeZod(parsed.error), zodReason(parsed.error));
  try {
    const handler = service[method] as (p: unknown, ctx: { clientId: string }) => unknown;
    const result = await handler(parsed.data, { clientId });
    return { id, ok: true, result };
  } catch (err) {
    if (err instanceof ContractError) return fail(err.code, err.message, err.reason);
    if (err instanceof ZodError) return fail('invalid', describeZod(err), zodReason(err));
    log.error('request failed', { method, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    return fail('internal', `${method} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
