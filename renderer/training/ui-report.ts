/** A training request that failed in the background goes to the host log (the operator sees the panel's own errors). */
import type { HostState } from '../bridge/host-state.js';

export const reportUiError = (host: HostState) => (err: unknown): void => {
  const message = err instanceof Error ? err.message : String(err);
  host.client.call('log.report', { level: 'warning', message: `training: ${message}`.slice(0, 4000) }).catch(() => {});
};
