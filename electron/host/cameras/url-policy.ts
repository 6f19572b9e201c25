/**
 * Which camera URLs Kuzet accepts (pure: no I/O). Allow-listed protocols only, file:// only under
 * the configured roots, no control characters, whitespace or shell metacharacters, bounded length.
 * URLs reach pipelines as argv, never through a shell; this policy is the second line of defence.
 */
import { posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { reason, type ErrorReason, type ErrorReasonCode } from '../../contract/api-errors.js';

export const ALLOWED_PROTOCOLS = ['rtsp', 'rtsps', 'http', 'https', 'srt', 'rtmp', 'file'] as const;
export type StreamProtocol = (typeof ALLOWED_PROTOCOLS)[number];
export const MAX_URL_LENGTH = 2048;

export interface UrlPolicyOptions {
  /** Absolute folders file:// cameras may read from. */
  fileRoots: readonly string[];
  /** How the operator knows this field: "main stream URL". */
  label?: string;
  /** The contract's name of the field (`mainUrl`), which a refusal's reason names for the console to translate. */
  field?: string;
}

/** A URL that passed the policy, with any user:pass@ moved out of it. */
export interface AcceptedUrl { ok: true; url: string; protocol: StreamProtocol; username?: string; password?: string }
/** A refused URL: the English message, and its reason for the console (electron/contract/api-errors.ts). */
export type UrlCheck = AcceptedUrl | { ok: false; message: string; reason: ErrorReason };

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const WHITESPACE = /\s/;
const SHELL_META = /[;|`$()<>&'"\\]/;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

function decode(part: string): string {
  try { return decodeURIComponent(part); } catch { return part; }
}

/** Splits `scheme://user:pass@host/...` at the last '@' of the authority (passwords often hold '@'). */
export function splitCredentials(raw: string): { url: string; username?: string; password?: string } {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s.exec(raw);
  if (!m) return { url: raw };
  const [, scheme = '', authority = '', rest = ''] = m;
  const at = authority.lastIndexOf('@');
  if (at < 0) return { url: raw };
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  const username = decode(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? undefined : decode(userinfo.slice(colon + 1));
  return { url: scheme + authority.slice(at + 1) + rest, ...(username ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}

/** Puts credentials back into a URL for a child process's argv. Never log the result. */
export function withCredentials(url: string, username?: string, password?: string): string {
  if ((!username && !password) || /^file:/i.test(url)) return url;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)(.*)$/s.exec(url);
  if (!m) return url;
  const info = encodeURIComponent(username ?? '') + (password ? `:${encodeURIComponent(password)}` : '');
  return `${m[1]}${info}@${m[2]}`;
}

function isInside(path: string, root: string): boolean {
  const r = posix.resolve(root);
  return path === r || path.startsWith(r.endsWith('/') ? r : `${r}/`);
}

export function checkStreamUrl(raw: string, opts: UrlPolicyOptions): UrlCheck {
  const label = opts.label ?? 'URL';
  const field = opts.field ?? 'url';
  const fail = (why: string, code: ErrorReasonCode, params: Record<string, string | number> = {}): UrlCheck =>
    ({ ok: false, message: `${label}: ${why}`, reason: reason(code, { field, ...params }) });
  if (typeof raw !== 'string' || raw.length === 0) return fail('is empty', 'urlEmpty');
  if (raw.length > MAX_URL_LENGTH) return fail(`is too long (${raw.length} characters, at most ${MAX_URL_LENGTH})`, 'urlTooLong', { max: MAX_URL_LENGTH });
  if (CONTROL.test(raw)) return fail('contains a control character', 'urlControl');

  // A bare absolute path is taken as a file camera.
  const typed = raw.startsWith('/') ? pathToFileURL(raw).href : raw;
  const scheme = SCHEME.exec(typed)?.[1]?.toLowerCase();
  if (!scheme) return fail(`'${raw.slice(0, 60)}' is not a URL (expected something like rtsp://camera-host/stream)`, 'urlNotUrl');
  if (!(ALLOWED_PROTOCOLS as readonly string[]).includes(scheme)) {
    return fail(`protocol '${scheme}' is not allowed (allowed: ${ALLOWED_PROTOCOLS.join(', ')})`, 'urlProtocol', { protocol: scheme, allowed: ALLOWED_PROTOCOLS.join(', ') });
  }
  const protocol = scheme as StreamProtocol;
  const { url, username, password } = protocol === 'file' ? { url: typed } : splitCredentials(typed);
  if (WHITESPACE.test(url)) return fail('contains whitespace (encode spaces as %20)', 'urlWhitespace');
  const meta = SHELL_META.exec(url);
  if (meta) return fail(`contains the character ${meta[0] === "'" ? '"\'"' : `'${meta[0]}'`}, which is not allowed in a camera URL`, 'urlCharacter', { char: meta[0] });

  let parsed: URL;
  try { parsed = new URL(url); } catch { return fail('is malformed (check the host name and port)', 'urlMalformed'); }

  if (protocol === 'file') {
    if (parsed.host && parsed.host !== 'localhost') return fail(`file URLs must be local (found host '${parsed.host}')`, 'urlFileRemote', { host: parsed.host });
    if (/(^|\/)\.\.(\/|$)/.test(decode(typed.replace(/^file:\/\/[^/]*/i, '')))) return fail("must not contain '..'", 'urlFileDotDot');
    let path: string;
    try { path = posix.normalize(fileURLToPath(parsed)); } catch { return fail('is not a valid file path', 'urlFilePath'); }
    if (opts.fileRoots.length === 0) return fail('file cameras are off: add a folder under Settings > File roots first', 'urlFileOff');
    if (!opts.fileRoots.some((root) => isInside(path, root))) {
      return fail(`${path} is outside the allowed folders (${opts.fileRoots.join(', ')})`, 'urlFileOutside', { path, roots: opts.fileRoots.join(', ') });
    }
    return { ok: true, url: pathToFileURL(path).href, protocol };
  }

  if (!parsed.hostname) return fail('has no host', 'urlNoHost');
  return { ok: true, url, protocol, ...(username ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}
