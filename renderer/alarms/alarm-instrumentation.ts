/** `window.__kuzetAlarms` (diagnostics only): when each alarm was first rendered in the queue (end-to-end tests and bench:alarms). */
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { diagnosticsOn } from '../app/diagnostics.js';

export interface AlarmInstrumentation { firstSeen: Record<string, number>; rendered: number }

declare global { interface Window { __kuzetAlarms?: AlarmInstrumentation } }

export function recordSeen(rows: readonly Alarm[]): void {
  if (!diagnosticsOn()) return;
  const inst = (window.__kuzetAlarms ??= { firstSeen: {}, rendered: 0 });
  inst.rendered++;
  if (inst.rendered % 100 === 0 && Object.keys(inst.firstSeen).length > 50_000) inst.firstSeen = {};
  const now = Date.now();
  for (const a of rows) inst.firstSeen[a.id] ??= now;
}
