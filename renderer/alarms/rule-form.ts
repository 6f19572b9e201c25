/**
 * The rule editor's form as data: a rule as the operator edits it (text fields stay text until checked), the
 * checks with messages in the operator's words, and the warning for a rule that matches everything. Pure.
 */
import { Rule, type RuleInput } from '../../electron/contract/alarms-schema.js';
import { EventType } from '../../electron/contract/events-schema.js';
import { t } from '../i18n/i18n.js';
import { eventTypeLabel, violationLabel } from '../i18n/labels.js';

export const EVENT_TYPES = EventType.options;
export const VIOLATIONS = ['speeding', 'red_light', 'pedestrian_crossing', 'wrong_way', 'other'] as const;
/** Short day names, Sunday first (the schedule's day numbers), in the chosen language. */
export const dayName = (d: number): string => t(`days.${d}`);

export interface RuleForm {
  /** Empty for a rule not saved yet (an id is made from the name). */
  id: string;
  name: string;
  enabled: boolean;
  types: EventType[];
  cameras: string[];
  groups: string[];
  zones: string[];
  /** Watch lists, comma separated. */
  watchlists: string;
  violations: string[];
  scheduleOn: boolean;
  days: number[];
  from: string;
  to: string;
  /** Minimum confidence in per cent, as typed. */
  minConfidencePct: string;
  priority: number;
  dedupWindowSec: string;
  incidentWindowSec: string;
  claimWithinSec: string;
}

export function newRuleForm(): RuleForm {
  return {
    id: '', name: '', enabled: true, types: [], cameras: [], groups: [], zones: [], watchlists: '', violations: [],
    scheduleOn: false, days: [1, 2, 3, 4, 5], from: '08:00', to: '20:00', minConfidencePct: '0', priority: 3,
    dedupWindowSec: '60', incidentWindowSec: '600', claimWithinSec: '120',
  };
}

export function formOf(r: Rule): RuleForm {
  return {
    id: r.id, name: r.name, enabled: r.enabled, types: [...r.types], cameras: [...r.cameras], groups: [...r.groups], zones: [...r.zones],
    watchlists: r.watchlists.join(', '), violations: [...r.violations], scheduleOn: r.schedule !== null,
    days: r.schedule ? [...r.schedule.days] : [1, 2, 3, 4, 5], from: r.schedule?.from ?? '08:00', to: r.schedule?.to ?? '20:00',
    minConfidencePct: String(Math.round(r.minConfidence * 1000) / 10), priority: r.priority,
    dedupWindowSec: String(r.dedupWindowSec), incidentWindowSec: String(r.incidentWindowSec), claimWithinSec: String(r.claimWithinSec),
  };
}

/** A rule id from its name: lower-case letters, digits and dashes, unique among `taken`. */
export function ruleIdFor(name: string, taken: ReadonlySet<string>): string {
  const base = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'rule';
  const start = /^[a-z0-9]/.test(base) ? base : `r-${base}`;
  if (!taken.has(start)) return start;
  for (let i = 2; ; i++) if (!taken.has(`${start}-${i}`)) return `${start}-${i}`;
}

/** True when the rule has no condition at all: every event of every camera at any time raises an alarm. */
export function matchesEverything(r: Pick<Rule, 'types' | 'cameras' | 'groups' | 'zones' | 'watchlists' | 'violations' | 'schedule' | 'minConfidence'>): boolean {
  return !r.types.length && !r.cameras.length && !r.groups.length && !r.zones.length && !r.watchlists.length && !r.violations.length && !r.schedule && r.minConfidence <= 0;
}

export const matchesEverythingWarning = (): string => t('rules.matchesEverythingWarning');

export interface FormResult { rule: RuleInput | null; errors: string[]; warnings: string[] }

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function seconds(label: string, text: string, errors: string[]): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || n > 86_400) { errors.push(t('rules.errSeconds', { label })); return 0; }
  return n;
}

/** Checks the form; `otherIds` are the ids of the other rules (a new rule gets an id not among them). */
export function ruleFromForm(f: RuleForm, otherIds: ReadonlySet<string>): FormResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const name = f.name.trim();
  if (!name) errors.push(t('rules.errName'));
  else if (name.length > 200) errors.push(t('rules.errNameLong'));
  const pct = Number(f.minConfidencePct.trim());
  if (f.minConfidencePct.trim() === '' || !Number.isFinite(pct) || pct < 0 || pct > 100) errors.push(t('rules.errConfidence'));
  if (!Number.isInteger(f.priority) || f.priority < 1 || f.priority > 5) errors.push(t('rules.errPriority'));
  const watchlists = [...new Set(f.watchlists.split(',').map((w) => w.trim()).filter(Boolean))];
  if (watchlists.some((w) => w.length > 64)) errors.push(t('rules.errWatchlistLong'));
  if (watchlists.length > 32) errors.push(t('rules.errWatchlistMany'));
  if (f.scheduleOn) {
    if (!f.days.length) errors.push(t('rules.errDays'));
    if (!HHMM.test(f.from) || !HHMM.test(f.to)) errors.push(t('rules.errTimes'));
    else if (f.from === f.to) errors.push(t('rules.errSameTime'));
  }
  const dedup = seconds(t('rules.dedupLabel'), f.dedupWindowSec, errors);
  const incident = seconds(t('rules.incidentLabel'), f.incidentWindowSec, errors);
  const claim = seconds(t('rules.claimLabel'), f.claimWithinSec, errors);
  if (f.violations.length && f.types.length && !f.types.includes('traffic_violation')) errors.push(t('rules.errViolations'));
  if (watchlists.length && f.types.length && !f.types.some((t) => t === 'face_match' || t === 'plate')) warnings.push(t('rules.warnWatchlists'));
  if (errors.length) return { rule: null, errors, warnings };
  const id = f.id || ruleIdFor(name, otherIds);
  if (f.id && otherIds.has(f.id)) return { rule: null, errors: [t('rules.errDuplicateId', { id: f.id })], warnings };
  const input: RuleInput = {
    id, name, enabled: f.enabled, types: f.types, cameras: f.cameras, groups: f.groups, zones: f.zones, watchlists, violations: f.violations,
    schedule: f.scheduleOn ? { days: [...f.days].sort(), from: f.from, to: f.to } : null,
    minConfidence: Math.round(pct * 10) / 1000, priority: f.priority, dedupWindowSec: dedup, incidentWindowSec: incident, claimWithinSec: claim,
  };
  const parsed = Rule.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { rule: null, errors: [`${i.path.join('.') || 'rule'}: ${i.message}`], warnings };
  }
  if (matchesEverything(parsed.data)) warnings.push(matchesEverythingWarning());
  if (!f.enabled) warnings.push(t('rules.warnDisabled'));
  return { rule: input, errors, warnings };
}

/** One line describing what a rule matches, for the list. */
export function describeRule(r: Rule, cameraName: (id: string) => string): string {
  const parts: string[] = [];
  parts.push(r.types.length ? r.types.map(eventTypeLabel).join(', ') : t('rules.anyType'));
  if (r.cameras.length || r.groups.length) parts.push(t('rules.onCameras', { list: [...r.cameras.map(cameraName), ...r.groups.map((g) => t('rules.groupNamed', { group: g }))].join(', ') }));
  else parts.push(t('rules.onEveryCamera'));
  if (r.zones.length) parts.push(t('rules.inZones', { list: r.zones.join(', ') }));
  if (r.watchlists.length) parts.push(t('rules.inLists', { list: r.watchlists.join(', ') }));
  if (r.violations.length) parts.push(r.violations.map(violationLabel).join(', '));
  if (r.minConfidence > 0) parts.push(`≥ ${Math.round(r.minConfidence * 100)} %`);
  if (r.schedule) parts.push(`${r.schedule.days.map(dayName).join(' ')} ${r.schedule.from}-${r.schedule.to}`);
  return parts.join(' · ');
}
