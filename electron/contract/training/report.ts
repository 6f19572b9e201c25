/**
 * After-action review of a training session (issue 11 §3, docs/training.md): the trainee's session beside the expected
 * responses on one timeline (scenario offsets), each difference marked, the trainer's comments at their moments; as JSON
 * (`TrainingReport`) and as one self-contained HTML page (every text escaped). Pure: the host builds it, anyone reads it.
 */
import { scenarioText } from '../default-texts.js';
import { z } from 'zod';
import type { Scenario, SessionScore, TraineeSession } from './scenario-schema.js';
import { EventScore, ExpectedResponse, ResponseCheck, ScenarioSource, ScriptedEvent, TraineeSession as TraineeSessionSchema } from './scenario-schema.js';
import { reviewLanes, type LaneItem, type ReviewDifference } from './review-lanes.js';
import { checkSentence, eventNamer, formatClock as clock, reportText, withCameraName, type ReportText } from './report-text.js';

export const REPORT_FORMAT = 'kuzet-training-report/1';

/** A trainer's comment at a moment of the session (ms from its start). */
export const TrainerComment = z.object({ atMs: z.number().int().min(0), by: z.string().max(200), text: z.string().trim().min(1).max(2000), at: z.number().int().min(0) });
export type TrainerComment = z.infer<typeof TrainerComment>;

export const TimelineEntry = z.object({
  atMs: z.number().int(),
  kind: z.enum(['event', 'expected', 'action', 'mark', 'comment']),
  eventId: z.string().nullable(),
  text: z.string(),
  /** A difference from what was expected (a failed check's deadline, a wrong action). */
  difference: z.boolean(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const TrainingReport = z.object({
  format: z.literal(REPORT_FORMAT),
  /** `source`: where its footage was (the after-action review plays it on the session's clock; absent in reports made before it was kept). */
  scenario: z.object({ id: z.string(), name: z.string(), durationMs: z.number(), source: ScenarioSource.optional() }),
  trainee: z.string(),
  startedAt: z.number(),
  endedAt: z.number(),
  percent: z.number(),
  checks: z.array(ResponseCheck),
  timeline: z.array(TimelineEntry),
  /** What the after-action review replays and compares (review-lanes.ts): the scenario's script and expectations, */
  events: z.array(ScriptedEvent),
  expected: z.array(ExpectedResponse),
  /** the measured response per event, */
  eventScores: z.array(EventScore),
  /** the session's console journal (the wall and the alarms, `consoleStateAt` replays it) and marks, */
  session: TraineeSessionSchema,
  /** and the trainer's comments. */
  comments: z.array(TrainerComment),
});
export type TrainingReport = z.infer<typeof TrainingReport>;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function buildReport(scenario: Scenario, session: TraineeSession, score: SessionScore, comments: readonly TrainerComment[]): TrainingReport {
  const eventOfAlarm = new Map(Object.entries(session.alarms).map(([e, a]) => [a, e]));
  const failed = new Set(score.checks.filter((c) => !c.passed).map((c) => `${c.eventId}:${c.kind}`));
  const at = (t: number) => t - session.startedAt;
  const timeline: TimelineEntry[] = [];
  for (const e of scenario.events) {
    timeline.push({ atMs: e.atMs, kind: 'event', eventId: e.id, text: `${e.kind} on ${e.cameraId}${e.summary ? `: ${e.summary}` : ''}`, difference: false });
  }
  for (const x of scenario.expected) {
    const e = scenario.events.find((v) => v.id === x.eventId)!;
    const within = 'withinMs' in x && x.withinMs !== undefined ? x.withinMs : null;
    const what = x.kind === 'verdict' ? `verdict ${x.verdict}` : x.kind === 'sop' ? `SOP steps ${x.steps.map((i) => i + 1).join(', ')}` : x.kind;
    const check = score.checks.find((c) => c.eventId === x.eventId && c.kind === x.kind);
    timeline.push({ atMs: e.atMs + (within ?? 0), kind: 'expected', eventId: x.eventId, text: `expected: ${what}${within !== null ? ` within ${secs(within)}` : ''} (${check?.detail ?? ''})`, difference: failed.has(`${x.eventId}:${x.kind}`) });
  }
  for (const a of session.actions) {
    if (a.user !== session.trainee || a.at > session.endedAt) continue;
    const eventId = a.change.kind === 'alarm' ? eventOfAlarm.get(a.change.alarm.id) ?? null : null;
    const target = a.change.kind === 'alarm' ? `alarm ${a.change.alarm.id}${a.change.alarm.verdict ? ` (${a.change.alarm.verdict})` : ''}` : `display ${a.change.displayId}`;
    const wrongVerdict = a.action === 'alarm.resolve' && eventId !== null && failed.has(`${eventId}:verdict`);
    timeline.push({ atMs: at(a.at), kind: 'action', eventId, text: `${a.action} ${target}`, difference: wrongVerdict });
  }
  for (const m of session.marks) {
    if (m.at > session.endedAt) continue;
    timeline.push({ atMs: at(m.at), kind: 'mark', eventId: m.alarmId ? eventOfAlarm.get(m.alarmId) ?? null : null, text: `${m.kind}${m.cameraId ? ` ${m.cameraId}` : ''}`, difference: false });
  }
  for (const c of comments) timeline.push({ atMs: c.atMs, kind: 'comment', eventId: null, text: `${c.by}: ${c.text}`, difference: false });
  const order = { event: 0, expected: 1, action: 2, mark: 3, comment: 4 } as const;
  timeline.sort((x, y) => x.atMs - y.atMs || order[x.kind] - order[y.kind]);
  return {
    format: REPORT_FORMAT, scenario: { id: scenario.id, name: scenario.name, durationMs: scenario.durationMs, source: scenario.source }, trainee: session.trainee,
    startedAt: session.startedAt, endedAt: session.endedAt, percent: score.percent, checks: score.checks, timeline,
    events: scenario.events, expected: scenario.expected, eventScores: score.events, session, comments: [...comments],
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const lanesOrder = ['expected', 'did', 'comments'] as const;

/**
 * The report as one HTML page (no scripts, no external resources) in a language of the interface (`reportText`): the
 * score, the checks, the differences and the lanes of the after-action review, every text escaped; events and cameras
 * named by `cameraName` (the console's camera names; default: their ids).
 */
export function reportHtml(r: TrainingReport, text: ReportText = reportText('en'), cameraName: (id: string) => string = (id) => id): string {
  const { items, differences } = reviewLanes(r);
  const check = (c: ResponseCheck) => checkSentence(c, text);
  const eventName = eventNamer(r.events, text, cameraName);
  const checks = r.checks.map((c) => `<li class="${c.passed ? 'ok' : 'diff'}">${c.passed ? '&#x2713;' : '&#x2717;'} ${escapeHtml(eventName(c.eventId))} &middot; ${escapeHtml(text(`trainingReview.kind.${c.kind}`))}: ${escapeHtml(check(c))}</li>`).join('\n');
  const diffs = differences.map((d: ReviewDifference) => `<li class="diff">${clock(d.atMs)} &middot; ${escapeHtml(eventName(d.eventId))} &middot; ${escapeHtml(text(`trainingReview.diff.${d.code}`))}</li>`).join('\n');
  const rows = [...items].sort((x, y) => x.atMs - y.atMs || lanesOrder.indexOf(x.lane) - lanesOrder.indexOf(y.lane)).map((e: LaneItem) =>
    `<tr class="${e.lane}${e.difference ? ' diff' : ''}"><td>${clock(e.atMs)}</td><td>${escapeHtml(text(`trainingReview.lane.${e.lane}`))}</td><td>${escapeHtml(eventName(e.eventId))}</td><td>${e.difference ? '&#x2717; ' : ''}${escapeHtml(e.code === 'comment' ? String(e.params.text ?? '') : text(`trainingReview.${e.code}`, withCameraName(e.params, cameraName)))}${e.params.by ? ` <span class="by">(${escapeHtml(String(e.params.by))})</span>` : ''}</td></tr>`).join('\n');
  // the console's local date and time in the report's language, with the zone named (the file travels)
  const when = new Intl.DateTimeFormat(text.language, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
  const line = text('trainingReview.html.traineeLine', { trainee: r.trainee, from: when.format(r.startedAt), to: when.format(r.endedAt), percent: r.percent });
  return `<!doctype html>
<html lang="${escapeHtml(text.language)}"><head><meta charset="utf-8"><title>${escapeHtml(scenarioText(r.scenario, text).name)}: ${escapeHtml(r.trainee)}</title>
<style>body{font:14px "DejaVu Sans",system-ui,sans-serif;margin:24px}table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:3px 6px}
.diff{color:#b91c1c;font-weight:600}.ok{color:#15803d}.expected td{background:#fef3c7}.comments td{font-style:italic}.by{color:#555}</style></head>
<body><h1>${escapeHtml(text('trainingReview.title'))}: ${escapeHtml(scenarioText(r.scenario, text).name)}</h1>
<p>${escapeHtml(line)}</p>
<h2>${escapeHtml(text('trainingReview.html.checks'))}</h2><ul>${checks}</ul>
<h2>${escapeHtml(text('trainingReview.html.differences'))}</h2><ul>${diffs || `<li>${escapeHtml(text('trainingReview.noDifferences'))}</li>`}</ul>
<h2>${escapeHtml(text('trainingReview.html.timeline'))}</h2><table><thead><tr><th>${escapeHtml(text('trainingReview.html.time'))}</th><th>${escapeHtml(text('trainingReview.html.lane'))}</th><th>${escapeHtml(text('trainingReview.html.event'))}</th><th>${escapeHtml(text('trainingReview.html.what'))}</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}
