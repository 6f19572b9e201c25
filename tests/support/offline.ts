/**
 * The map must never fetch from the internet (issue 10, §1): what counts as staying on this machine, and a watch that
 * collects every request of a browser context that does not.
 */
import type { BrowserContext } from 'playwright-core';

/** Loopback HTTP(S)/WebSocket, or data and blob URLs. */
export const isLoopback = (url: string): boolean => /^(https?|wss?):\/\/127\.0\.0\.1[:/]|^(data|blob):/.test(url);

/** Pushes every request of `context` that leaves this machine onto `outside`. */
export function watchOutside(context: BrowserContext, outside: string[]): void {
  context.on('request', (r) => { if (!isLoopback(r.url())) outside.push(r.url()); });
}
