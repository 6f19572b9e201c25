/**
 * After-action review of a training session (issue 11 §3, docs/training.md): the trainee's session beside the expected
 * responses on one timeline (scenario offsets), each difference marked, the trainer's comments at their moments; as JSON
 * (`TrainingReport`) and as one self-contained HTML page (every text escaped). Pure: the host builds it, anyone reads it.
 */
import { z } from 'zod';
import type { Scenario, SessionScore, TraineeSession } from './scenario-schema.js';
import { ResponseCheck } from './scenario-schema.js';

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
  scenario: z.object({ id: z.string(), name: z.string(), durationMs: z.number() }),
  trainee: z.string(),
  startedAt: z.number(),
  endedAt: z.number(),
  percent: z.number(),
  checks: z.array(ResponseCheck),
  timeline: z.array(TimelineEntry),
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
    format: REPORT_FORMAT, scenario: { id: scenario.id, name: scenario.name, durationMs: scenario.durationMs }, trainee: session.trainee,
    startedAt: session.startedAt, endedAt: session.endedAt, percent: score.percent, checks: score.checks, timeline,
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const clock = (ms: number) => { const s = Math.max(0, Math.floor(ms / 1000)); return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`; };

/** The report as one HTML page (no scripts, no external resources). */
export function reportHtml(r: TrainingReport): string {
  const rows = r.timeline.map((e) => `<tr class="${e.kind}${e.difference ? ' diff' : ''}"><td>${clock(e.atMs)}</td><td>${e.kind}</td><td>${escapeHtml(e.eventId ?? '')}</td><td>${e.difference ? '&#x2717; ' : ''}${escapeHtml(e.text)}</td></tr>`).join('\n');
  const checks = r.checks.map((c) => `<li class="${c.passed ? 'ok' : 'diff'}">${c.passed ? '&#x2713;' : '&#x2717;'} ${escapeHtml(c.eventId)} &middot; ${c.kind}: ${escapeHtml(c.detail)}</li>`).join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(r.scenario.name)}: ${escapeHtml(r.trainee)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px}table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:3px 6px}
.diff{color:#b91c1c;font-weight:600}.ok{color:#15803d}.event td{background:#fef3c7}.comment td{font-style:italic}</style></head>
<body><h1>${escapeHtml(r.scenario.name)}</h1>
<p>Trainee <b>${escapeHtml(r.trainee)}</b> &middot; ${new Date(r.startedAt).toISOString()} to ${new Date(r.endedAt).toISOString()} &middot; <b>${r.percent} %</b> of the checks passed</p>
<h2>Checks</h2><ul>${checks}</ul>
<h2>Timeline</h2><table><tbody>
${rows}
</tbody></table></body></html>
`;
}
