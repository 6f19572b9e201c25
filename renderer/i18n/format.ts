/**
 * Dates, times, numbers and durations in the chosen language and the centre's time zone (Asia/Almaty in the demo),
 * through Intl. The time zone is the centre's, not the machine's: an operator in a remote console sees the same
 * clock as the wall.
 */
import { currentLanguage, t } from './i18n.js';

let centreTimeZone = 'Asia/Almaty';

export function setCentreTimeZone(tz: string): void {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); centreTimeZone = tz; } catch { /* unknown zone: keep the previous one */ }
}
export function getCentreTimeZone(): string { return centreTimeZone; }

function locale(): string {
  const l = currentLanguage();
  return l === 'pseudo' ? 'en' : l === 'kk' ? 'kk-KZ' : l === 'ru' ? 'ru-RU' : 'en-GB';
}

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(kind: 'time' | 'timeMs' | 'date' | 'dateTime' | 'zone'): Intl.DateTimeFormat {
  const key = `${locale()}|${centreTimeZone}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    const base: Intl.DateTimeFormatOptions = { timeZone: centreTimeZone, hourCycle: 'h23' };
    const opts: Record<typeof kind, Intl.DateTimeFormatOptions> = {
      time: { ...base, hour: '2-digit', minute: '2-digit', second: '2-digit' },
      timeMs: { ...base, hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 },
      date: { timeZone: centreTimeZone, year: 'numeric', month: '2-digit', day: '2-digit' },
      dateTime: { ...base, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
      zone: { timeZone: centreTimeZone, timeZoneName: 'short' },
    };
    f = new Intl.DateTimeFormat(locale(), opts[kind]);
    cache.set(key, f);
  }
  return f;
}

export const formatTime = (ms: number): string => dtf('time').format(ms);
export const formatTimeMs = (ms: number): string => dtf('timeMs').format(ms);
export const formatDate = (ms: number): string => dtf('date').format(ms);
export const formatDateTime = (ms: number): string => dtf('dateTime').format(ms);
/** The centre's zone as the wall shows it, e.g. "GMT+5". */
export function formatZone(ms: number = Date.now()): string {
  return dtf('zone').formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? centreTimeZone;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
export function formatNumber(n: number, maxFractionDigits = 0, minFractionDigits = 0): string {
  const key = `${locale()}|${maxFractionDigits}|${minFractionDigits}`;
  let f = numberFormats.get(key);
  if (!f) { f = new Intl.NumberFormat(locale(), { maximumFractionDigits: maxFractionDigits, minimumFractionDigits: minFractionDigits }); numberFormats.set(key, f); }
  return f.format(n);
}

/**
 * A short duration: "12 s", "3 min 05 s", "2 h 10 min", in the chosen language's unit names. The unit words come from
 * the locale files (`durationUnits.*`), not from Intl's unit formatting: Debian's Chromium has no Kazakh unit data and wrote
 * "4m 44s" in a Kazakh interface.
 */
export function formatDuration(ms: number): string {
  const unit = (n: number, u: 'second' | 'minute' | 'hour' | 'day') => t(`durationUnits.${u}`, { n: formatNumber(n) });
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return unit(s, 'second');
  const m = Math.floor(s / 60);
  if (m < 60) return `${unit(m, 'minute')} ${unit(s % 60, 'second')}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${unit(h, 'hour')} ${unit(m % 60, 'minute')}`;
  return unit(Math.floor(h / 24), 'day');
}
