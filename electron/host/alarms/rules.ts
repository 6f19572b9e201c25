/**
 * Rule matching: pure. An event raises an alarm through the most urgent enabled rule that matches its type,
 * camera or group, zone, schedule, watch list and confidence.
 */
import type { KuzetEvent } from '../../contract/events-schema.js';
import type { Rule, Schedule } from '../../contract/alarms-schema.js';

export interface RuleContext {
  /** The camera's group (district, patrol units ...), if it has one. */
  groupOf(cameraId: string): string | undefined;
  /** Local time used for schedules. */
  now: Date;
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `at` lies in the schedule; a window whose end is before its start wraps midnight (22:00-06:00). */
export function inSchedule(s: Schedule, at: Date): boolean {
  const m = at.getHours() * 60 + at.getMinutes();
  const from = minutes(s.from), to = minutes(s.to);
  const day = at.getDay();
  if (from <= to) return s.days.includes(day) && m >= from && m < to;
  // Wrapping window: the part after midnight belongs to the previous day's schedule.
  if (m >= from) return s.days.includes(day);
  if (m < to) return s.days.includes((day + 6) % 7);
  return false;
}

/** The watch list an event hit, if any (face matches and plates on a list). */
export function watchlistOf(ev: KuzetEvent): string | null {
  if (ev.type === 'face_match') return ev.attributes.watchlist;
  if (ev.type === 'plate') return ev.attributes.watchlistHit ? (ev.attributes.watchlist ?? 'default') : null;
  return null;
}

export function ruleMatches(rule: Rule, ev: KuzetEvent, ctx: RuleContext): boolean {
  if (!rule.enabled) return false;
  if (rule.types.length && !rule.types.includes(ev.type)) return false;
  if (ev.confidence < rule.minConfidence) return false;
  if (rule.cameras.length || rule.groups.length) {
    const group = ctx.groupOf(ev.camera);
    const byCamera = rule.cameras.includes(ev.camera);
    const byGroup = group !== undefined && rule.groups.includes(group);
    if (!byCamera && !byGroup) return false;
  }
  if (rule.zones.length && !ev.zones.some((z) => rule.zones.includes(z))) return false;
  if (rule.watchlists.length) {
    const wl = watchlistOf(ev);
    if (wl === null || !rule.watchlists.includes(wl)) return false;
  }
  if (rule.violations.length && !(ev.type === 'traffic_violation' && rule.violations.includes(ev.attributes.violation))) return false;
  if (rule.schedule && !inSchedule(rule.schedule, ctx.now)) return false;
  return true;
}

/** The matching rule with the most urgent priority (1 before 5); ties go to the earlier rule in the list. */
export function matchRule(rules: readonly Rule[], ev: KuzetEvent, ctx: RuleContext): Rule | null {
  let best: Rule | null = null;
  for (const r of rules) if (ruleMatches(r, ev, ctx) && (!best || r.priority < best.priority)) best = r;
  return best;
}
