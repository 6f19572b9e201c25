/**
 * The host's log: one line of JSON per entry to stderr and, when configured, to a file.
 * Anything that looks like credentials in a URL (scheme://user:pass@host) is redacted before it is written.
 */
import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const CREDENTIALS_IN_URL = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@:]*:[^/\s@]*@/gi;
const SECRET_KEYS = /pass(word)?|secret|token|credential/i;

/** Removes user:password@ from URLs and blanks fields whose names say they hold secrets. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CREDENTIALS_IN_URL, '$1***@');
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '***' : redact(v);
    return out;
  }
  return value;
}

export function createLogger(opts: { scope?: string; level?: LogLevel; file?: string; quiet?: boolean } = {}): Logger {
  const min = ORDER[opts.level ?? ((process.env.KUZET_LOG_LEVEL as LogLevel | undefined) ?? 'info')] ?? ORDER.info;
  const write = (level: LogLevel, scope: string | undefined, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level, scope, msg: redact(msg), ...(fields ? (redact(fields) as object) : {}) });
    if (!opts.quiet) process.stderr.write(line + '\n');
    if (opts.file) {
      try { appendFileSync(opts.file, line + '\n'); } catch { /* a full or missing log disk must never take the host down */ }
    }
  };
  const make = (scope: string | undefined): Logger => ({
    debug: (m, f) => write('debug', scope, m, f),
    info: (m, f) => write('info', scope, m, f),
    warn: (m, f) => write('warn', scope, m, f),
    error: (m, f) => write('error', scope, m, f),
    child: (s) => make(scope ? `${scope}.${s}` : s),
  });
  return make(opts.scope);
}
