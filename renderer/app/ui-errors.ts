/**
 * Errors the operator should read (a failed call, a rejected import), shown in the notice banner, in the operator's
 * language: a host refusal or validation error that carries a reason (electron/contract/api-errors.ts) is translated
 * from `apiErrors.<code>` with its parameters; one without is introduced by its code (`apiErrors.code.<code>`) and shows
 * the host's English detail.
 */
import { useMemo } from 'react';
import { BRIDGE_ERROR_CODES, type BridgeErrorCode } from '../../electron/contract/api.js';
import type { ErrorReason } from '../../electron/contract/api-errors.js';
import type { HostState } from '../bridge/host-state.js';
import { BridgeCallError } from '../bridge/client.js';
import { ValueStore } from '../bridge/stores.js';
import { formatDateTime } from '../i18n/format.js';
import { i18n, t } from '../i18n/i18n.js';

export interface UiError { id: number; message: string; at: number }

export interface UiErrors {
  store: ValueStore<UiError[]>;
  report(what: string, err: unknown): void;
  dismiss(id: number): void;
}

let nextId = 1;

/** A right's name in the chosen language (the administrator's words), else its id. */
function rightName(right: unknown): string {
  const key = `admin.rights.${String(right)}`;
  return i18n.exists(key) ? t(key) : String(right);
}

/** A field the console names in words (`mainUrl`: the camera form's label) in the chosen language, else its contract name. */
function fieldName(field: unknown): string {
  const key = `apiErrors.fields.${String(field)}`;
  return i18n.exists(key) ? t(key) : String(field);
}

/** The sentence of a host's reason in the chosen language (a time `until`, in ms, as the centre's time in that language). */
export function reasonMessage(reason: ErrorReason): string {
  const p = reason.params;
  const params = {
    ...p, ...(p.right !== undefined ? { right: rightName(p.right) } : {}), ...(p.field !== undefined ? { field: fieldName(p.field) } : {}),
    ...(typeof p.until === 'number' ? { until: formatDateTime(p.until) } : {}),
    ...(typeof p.from === 'number' ? { from: formatDateTime(p.from) } : {}),
  };
  const text = t(`apiErrors.${reason.code}`, params);
  return p.hours === 1 ? `${text} ${t('apiErrors.outsideHours')}` : text;
}

export function errorMessage(err: unknown): string {
  if (err instanceof BridgeCallError) {
    if (err.reason) return reasonMessage(err.reason);
    if ((BRIDGE_ERROR_CODES as readonly string[]).includes(err.code)) return t(`apiErrors.code.${err.code as BridgeErrorCode}`, { detail: err.message });
  }
  return err instanceof Error ? err.message : String(err);
}

export function createUiErrors(host: HostState | null): UiErrors {
  const store = new ValueStore<UiError[]>([]);
  return {
    store,
    report(what, err) {
      const message = `${what}: ${errorMessage(err)}`;
      store.set([...store.get(), { id: nextId++, message, at: Date.now() }].slice(-5));
      host?.client.call('log.report', { level: 'warning', message: message.slice(0, 4000) }).catch(() => {});
    },
    dismiss(id) { store.set(store.get().filter((e) => e.id !== id)); },
  };
}

export function useUiErrors(host: HostState): UiErrors {
  return useMemo(() => createUiErrors(host), [host]);
}
