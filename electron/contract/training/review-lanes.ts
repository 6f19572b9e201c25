/**
 * The after-action review as lanes on the session's clock (ms from its start), pure: `expected` (the scripted events
 * and the responses owed, at their deadlines), `did` (what the trainee did: alarm actions, wall changes, alarms opened,
 * bookmarks, exports) and `comments` (the trainer's), and the differences between them: late claim, never claimed,
 * wrong verdict, not resolved, missed alarm, SOP step skipped, camera not on the wall when its event happened, not or
 * late escalated, no bookmark or export, a false alarm raised as real. The renderer marks them on the replay's
 * timeline; the HTML report lists them. Codes are keys under `trainingReview.` in resources/locales.
 */
import type { TrainingReport } from './report.js';

export type Lane = 'expected' | 'did' | 'comments';

/** One thing on a lane. `code`: the text's key under `trainingReview.` (`comment`: the trainer's own words in `params.text`). */
export interface LaneItem {
  id: string;
  lane: Lane;
  atMs: number;
  eventId: string | null;
  code: string;
  params: Record<string, string | number | boolean>;
  /** Part of a difference (a failed expectation, a wrong or late action). */
  difference: boolean;
}

export const DIFFERENCE_CODES = ['lateClaim', 'noClaim', 'wrongVerdict', 'notResolved', 'missedAlarm', 'skippedSop', 'notOnWall', 'noEscalation', 'lateEscalation', 'noBookmark', 'noExport', 'falseAsReal'] as const;
export type DifferenceCode = (typeof DIFFERENCE_CODES)[number];

/** Where the trainee's session differs from what was expected, at the moment it shows (ms from the session's start). */
export interface ReviewDifference { id: string; atMs: number; eventId: string; cameraId: string; code: DifferenceCode }

export type ReviewInput = Pick<TrainingReport, 'events' | 'expected' | 'eventScores' | 'checks' | 'session' | 'comments'>;

const DID = new Set(['claim', 'release', 'escalate', 'sop', 'resolve', 'comment']);
/** The operator actions recorded as events that have their own word on the Did lane (the rest: `did.other`). */
const DID_EVENT: Partial<Record<string, string>> = { 'tile.maximise': 'did.maximise', 'tile.restore': 'did.restore' };

export function reviewLanes(r: ReviewInput): { items: LaneItem[]; differences: ReviewDifference[] } {
  const s = r.session;
  const at = (epochMs: number) => epochMs - s.startedAt;
  const eventOfAlarm = new Map(Object.entries(s.alarms).map(([e, a]) => [a, e]));
  const scoreOf = new Map(r.eventScores.map((x) => [x.eventId, x]));
  const mine = s.actions.filter((a) => a.user === s.trainee && a.at <= s.endedAt);
  const lastAction = (alarmId: string | null, action: string) => [...mine].reverse().find((a) => a.action === action && a.change.kind === 'alarm' && a.change.alarm.id === alarmId);

  const differences: ReviewDifference[] = [];
  const differ = (code: DifferenceCode, eventId: string, atMs: number) => {
    const e = r.events.find((x) => x.id === eventId);
    if (e) differences.push({ id: `${code}-${eventId}`, atMs: Math.max(0, Math.round(atMs)), eventId, cameraId: e.cameraId, code });
  };
  for (const e of r.events) {
    const es = scoreOf.get(e.id);
    if (!es) continue;
    if (es.missed) differ('missedAlarm', e.id, e.atMs);
    if (!es.onWall) differ('notOnWall', e.id, e.atMs);
    if (es.falseRaisedAsReal) differ('falseAsReal', e.id, e.atMs + (es.escalatedMs ?? 0));
  }
  r.expected.forEach((x, i) => {
    const c = r.checks[i];
    const e = r.events.find((v) => v.id === x.eventId);
    const es = scoreOf.get(x.eventId);
    if (!c || c.passed || !e || !es) return;
    const deadline = e.atMs + ('withinMs' in x && x.withinMs !== undefined ? x.withinMs : 0);
    const resolved = lastAction(es.alarmId, 'alarm.resolve');
    switch (x.kind) {
      case 'claim': if (es.claimMs !== null) differ('lateClaim', e.id, e.atMs + es.claimMs); else if (!es.missed) differ('noClaim', e.id, deadline); break;
      case 'verdict': if (es.verdict !== null) differ('wrongVerdict', e.id, resolved ? at(resolved.at) : e.atMs); else if (!es.missed) differ('notResolved', e.id, e.atMs); break;
      case 'sop': differ('skippedSop', e.id, resolved ? at(resolved.at) : e.atMs); break;
      case 'escalate': if (es.escalatedMs !== null) differ('lateEscalation', e.id, e.atMs + es.escalatedMs); else differ('noEscalation', e.id, deadline); break;
      case 'bookmark': differ('noBookmark', e.id, deadline); break;
      case 'export': differ('noExport', e.id, deadline); break;
    }
  });
  differences.sort((a, b) => a.atMs - b.atMs || a.id.localeCompare(b.id));
  const differs = (eventId: string | null, ...codes: DifferenceCode[]) => differences.some((d) => d.eventId === eventId && codes.includes(d.code));

  const items: LaneItem[] = [];
  for (const e of r.events) items.push({ id: `event-${e.id}`, lane: 'expected', atMs: e.atMs, eventId: e.id, code: `event.${e.kind}`, params: { camera: e.cameraId }, difference: false });
  r.expected.forEach((x, i) => {
    const e = r.events.find((v) => v.id === x.eventId);
    if (!e) return;
    const within = 'withinMs' in x && x.withinMs !== undefined ? x.withinMs : 0;
    items.push({ id: `expected-${i}`, lane: 'expected', atMs: e.atMs + within, eventId: x.eventId, code: `kind.${x.kind}`, params: {}, difference: r.checks[i]?.passed === false });
  });
  for (const a of mine) {
    const c = a.change;
    const eventId = c.kind === 'alarm' ? eventOfAlarm.get(c.alarm.id) ?? null : null;
    const kind = a.action.replace(/^alarm\./, '');
    const code = c.kind === 'layout' ? 'did.layout' : c.kind === 'alarm' && DID.has(kind) ? `did.${kind}` : c.kind === 'event' ? DID_EVENT[c.what] ?? 'did.other' : 'did.other';
    const wrong = (kind === 'claim' && differs(eventId, 'lateClaim')) || (kind === 'resolve' && differs(eventId, 'wrongVerdict', 'falseAsReal')) || (kind === 'escalate' && differs(eventId, 'lateEscalation', 'falseAsReal'));
    const params: LaneItem['params'] = c.kind === 'alarm' ? { alarm: c.alarm.id } : c.kind === 'layout' ? { display: c.displayId } : { what: c.what };
    items.push({ id: `did-${a.seq}`, lane: 'did', atMs: at(a.at), eventId, code, params, difference: wrong });
  }
  s.marks.filter((m) => m.at <= s.endedAt).forEach((m, i) => {
    const eventId = m.alarmId ? eventOfAlarm.get(m.alarmId) ?? null : null;
    items.push({ id: `mark-${i}`, lane: 'did', atMs: at(m.at), eventId, code: `did.${m.kind}`, params: m.cameraId ? { camera: m.cameraId } : {}, difference: false });
  });
  r.comments.forEach((c, i) => items.push({ id: `comment-${i}`, lane: 'comments', atMs: c.atMs, eventId: null, code: 'comment', params: { text: c.text, by: c.by }, difference: false }));
  items.sort((x, y) => x.atMs - y.atMs || x.id.localeCompare(y.id));
  return { items, differences };
}
