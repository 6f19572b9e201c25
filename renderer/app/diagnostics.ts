/**
 * The one diagnostics switch, renderer side. The host starts with it (`KUZET_DIAGNOSTICS=1`, or `--diagnostics` for the
 * web shell) and says so in `session.info`; only then does the page publish its measurement hooks (`window.__kuzet`,
 * `__kuzetOverlay`, `__kuzetReview`, `__kuzetAlarms`, `__kuzetAlarmSound`) and obey the comparison switches in its URL
 * (`&decode=host`, `&paint=browser`). Tests and benchmarks turn it on; an operator's console has none of it.
 */
let on = false;

/** Set once from the host's session, before the console renders. */
export function setDiagnostics(value: boolean): void { on = value; }

export function diagnosticsOn(): boolean { return on; }

/** The page's URL query when diagnostics is on, else an empty one (its comparison switches then do nothing). */
export function diagnosticsQuery(): string {
  return on && typeof location !== 'undefined' ? location.search : '';
}

/** Publishes a measurement hook as `window[name]` when diagnostics is on. */
export function exposeDiagnostics(name: `__kuzet${string}`, value: unknown): void {
  if (on) (window as unknown as Record<string, unknown>)[name] = value;
}
