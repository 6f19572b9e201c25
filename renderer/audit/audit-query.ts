/**
 * The auditor's search as data (issue 12, §4): the form the auditor fills in, turned into the contract's AuditFilter;
 * times typed in the centre's time zone (not the machine's); one page of the table at a time; what a row shows. Pure:
 * unit-tested without a browser.
 */
import type { AuditFilter, AuditRow } from '../../electron/contract/audit-api.js';

/** Rows per page of the table. */
export const PAGE_SIZE = 50;

/** The kinds of action the auditor picks from, as action prefixes of the chains (docs/audit.md). */
export const ACTION_KINDS = {
  all: [],
  views: ['view.'],
  unmasks: ['masks.lift', 'export.unmasked'], // lifts of liftable masks, and exports of the originals without any mask
  masks: ['masks.'],
  signins: ['signin.', 'session.', 'shift.'],
  rights: ['user.', 'role.'],
  refused: ['access.refused'],
  alarms: ['alarm.', 'rules.', 'zones.'],
  evidence: ['export.', 'evidence.', 'bookmark.', 'recording.'],
  audit: ['audit.'],
} as const satisfies Record<string, readonly string[]>;
export type ActionKind = keyof typeof ACTION_KINDS;
export const ACTION_KIND_IDS = Object.keys(ACTION_KINDS) as ActionKind[];

/** What the auditor typed: `from`/`to` as a datetime-local value ("2026-12-03T08:00") in the centre's time zone. */
export interface AuditForm { user: string; cameraId: string; kind: ActionKind; from: string; to: string; text: string }

export const EMPTY_FORM: AuditForm = { user: '', cameraId: '', kind: 'all', from: '', to: '', text: '' };

function zoneParts(ms: number, timeZone: string): number[] {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const get = (type: string) => Number(f.formatToParts(ms).find((p) => p.type === type)?.value ?? 0);
  return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
}

/** How far the zone's clock is ahead of UTC at that instant (ms). */
function zoneOffset(ms: number, timeZone: string): number {
  const [y, mo, d, h, mi, s] = zoneParts(ms, timeZone) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - (ms - (((ms % 1000) + 1000) % 1000));
}

/** "2026-12-03T08:00" on the centre's clock -> ms since the epoch; null when it is not such a value. */
export function zonedInputToMs(value: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // the offset at the guess, then again at the corrected instant (right across a DST change)
  let at = wall - zoneOffset(wall, timeZone);
  at = wall - zoneOffset(at, timeZone);
  return at;
}

/** ms since the epoch -> the centre's clock as a datetime-local value ("2026-12-03T08:00"). */
export function msToZonedInput(ms: number, timeZone: string): string {
  const [y, mo, d, h, mi] = zoneParts(ms, timeZone) as [number, number, number, number, number];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}`;
}

/** What is wrong with the form, as message keys (audit.problem.*), or none. */
export function formProblems(f: AuditForm, timeZone: string): string[] {
  const out: string[] = [];
  const from = f.from ? zonedInputToMs(f.from, timeZone) : null;
  const to = f.to ? zonedInputToMs(f.to, timeZone) : null;
  if (f.from && from === null) out.push('audit.problem.from');
  if (f.to && to === null) out.push('audit.problem.to');
  if (from !== null && to !== null && to < from) out.push('audit.problem.order');
  return out;
}

/** The contract's filter for the form (every condition given must hold), without paging. */
export function filterOf(f: AuditForm, timeZone: string): AuditFilter {
  const filter: AuditFilter = {};
  const user = f.user.trim();
  if (user) filter.users = [user];
  if (f.cameraId) filter.cameraId = f.cameraId;
  const actions = ACTION_KINDS[f.kind];
  if (actions.length) filter.actions = [...actions];
  const from = f.from ? zonedInputToMs(f.from, timeZone) : null;
  // "to" is the end of the minute typed: 10:00 includes everything up to 10:00:59.999
  const to = f.to ? zonedInputToMs(f.to, timeZone) : null;
  if (from !== null) filter.fromMs = from;
  if (to !== null) filter.toMs = to + 59_999;
  const text = f.text.trim();
  if (text) filter.text = text.slice(0, 200);
  return filter;
}

/** One page of the table. */
export function pageFilter(filter: AuditFilter, page: number): AuditFilter {
  return { ...filter, offset: Math.max(0, page) * PAGE_SIZE, limit: PAGE_SIZE };
}

export function pageCount(total: number): number { return Math.max(1, Math.ceil(total / PAGE_SIZE)); }

/** The three questions of issue 12 as forms: who watched a camera in a range, what a user did in a shift, every unmask. */
export const presets = {
  whoWatched: (cameraId: string, from: string, to: string): AuditForm => ({ ...EMPTY_FORM, cameraId, kind: 'views', from, to }),
  userShift: (user: string, from: string, to: string): AuditForm => ({ ...EMPTY_FORM, user, from, to }),
  unmasks: (): AuditForm => ({ ...EMPTY_FORM, kind: 'unmasks' }),
};

/** What a row shows: the interval of a view (from when to when), where from, and the rest of the details as text. */
export interface RowView { from: number; to: number | null; source: string | null; details: string; reason: string | null }

export function viewOf(r: AuditRow): RowView {
  let parsed: unknown = null;
  if (r.details.startsWith('{')) { try { parsed = JSON.parse(r.details); } catch { /* plain text */ } }
  if (!parsed || typeof parsed !== 'object') return { from: r.at, to: null, source: null, details: r.details, reason: null };
  const d = { ...(parsed as Record<string, unknown>) };
  const isView = r.action.startsWith('view.') && typeof d.from === 'number' && typeof d.to === 'number';
  const from = isView ? d.from as number : r.at;
  const to = isView ? d.to as number : null;
  const source = typeof d.source === 'string' ? d.source : null;
  const reason = typeof d.reason === 'string' ? d.reason : null;
  if (isView) { delete d.from; delete d.to; }
  delete d.source;
  delete d.reason;
  const rest = Object.entries(d).filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
  return { from, to, source, details: rest, reason };
}

/** base64 (the contract's archive) -> bytes for a Blob. */
export function bytesOfBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
