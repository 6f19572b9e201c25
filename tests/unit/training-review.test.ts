/**
 * The after-action review (issue 11 §3): every check code, difference and lane text exists in Kazakh, Russian and
 * English; the scorer's checks carry codes worded in the chosen language; the lanes and the differences of a careful and
 * a careless trainee; the HTML report in a language, escaped; the dashboard's filter and sort; difference markers.
 */
import { describe, expect, it } from 'vitest';
import { CheckCode, ScriptedEventKind } from '../../electron/contract/training/scenario-schema.js';
import { checkSentence, eventNamer, REPORT_LANGUAGES, reportText } from '../../electron/contract/training/report-text.js';
import { DIFFERENCE_CODES, reviewLanes } from '../../electron/contract/training/review-lanes.js';
import { buildReport, reportHtml, TrainingReport } from '../../electron/contract/training/report.js';
import type { TrainingResult } from '../../electron/contract/training/review-api.js';
import { differenceMarkers, queryResults, sessionView, toggleSort } from '../../renderer/training/review-model.js';
import { scoreSession } from '../../electron/contract/training/score.js';
import { carefulReport, carelessReport, Journal, scenario, traineeSession } from '../support/training-review-fixture.js';

const S = 1000;

describe('report texts in every language', () => {
  const keys = [
    ...CheckCode.options.map((c) => `trainingReview.check.${c}`),
    ...DIFFERENCE_CODES.map((c) => `trainingReview.diff.${c}`),
    ...ScriptedEventKind.options.map((k) => `trainingReview.event.${k}`),
    ...['claim', 'verdict', 'sop', 'escalate', 'bookmark', 'export'].map((k) => `trainingReview.kind.${k}`),
    ...['claim', 'release', 'escalate', 'sop', 'resolve', 'comment', 'layout', 'look', 'bookmark', 'export', 'other', 'maximise', 'restore'].map((k) => `trainingReview.did.${k}`),
    ...['expected', 'did', 'comments'].map((k) => `trainingReview.lane.${k}`),
    'trainingReview.noAlarm', 'trainingReview.title',
  ];
  it.each(REPORT_LANGUAGES)('%s has a text for every check code, difference and lane item', (lang) => {
    const text = reportText(lang);
    const missing = keys.filter((k) => text(k) === k || text(k).trim() === '');
    expect(missing).toEqual([]);
  });
  it('the languages differ (not English copied) and parameters are filled in', () => {
    const [en, ru, kk] = [reportText('en'), reportText('ru'), reportText('kk')];
    for (const k of keys) { expect(ru(k), k).not.toBe(en(k)); expect(kk(k), k).not.toBe(en(k)); }
    expect(en('trainingReview.check.claimed', { afterS: 40, withinS: 30 })).toBe('claimed after 40 s (within 30 s expected)');
    expect(kk('trainingReview.check.claimed', { afterS: 40, withinS: 30 })).toContain('40');
  });
});

describe('checks carry codes', () => {
  it("the careless trainee's checks, worded in English, Russian and Kazakh", () => {
    const r = carelessReport();
    expect(r.checks.map((c) => [c.kind, c.code, c.passed])).toEqual([
      ['claim', 'claimed', false], ['verdict', 'resolved', false], ['sop', 'sopMissing', false], ['escalate', 'notEscalated', false],
      ['bookmark', 'notBookmarked', false], ['claim', 'claimed', true], ['verdict', 'resolved', false], ['claim', 'notClaimed', false],
    ]);
    expect(r.checks[0]!.params).toEqual({ afterS: 40, withinS: 30 });
    expect(checkSentence(r.checks[1]!, reportText('en'))).toBe('resolved as Suspicious, Confirmed expected');
    expect(checkSentence(r.checks[1]!, reportText('ru'))).toContain('Подозрительная');
    expect(checkSentence(r.checks[2]!, reportText('kk'))).toBe('2 регламент қадамдары орындалмады');
    // the missed alarm raised one: no "no alarm" note; English detail kept for logs
    expect(r.checks[7]!.params.noAlarm).toBe(false);
    expect(r.checks[2]!.detail).toBe('steps 2 not done');
  });
});

describe('review lanes and differences', () => {
  it('a careful trainee: no differences, every action on the "did" lane', () => {
    const { items, differences } = reviewLanes(carefulReport());
    expect(differences).toEqual([]);
    expect(items.filter((i) => i.lane === 'did').map((i) => [i.atMs / S, i.code])).toEqual([
      [0, 'did.layout'], [62, 'did.look'], [64, 'did.claim'], [70, 'did.sop'], [75, 'did.sop'], [90, 'did.escalate'], [100, 'did.bookmark'],
      [125, 'did.claim'], [140, 'did.resolve'], [200, 'did.resolve'], [310, 'did.claim'],
    ]);
    expect(items.filter((i) => i.difference)).toEqual([]);
    expect(items.filter((i) => i.lane === 'expected')).toHaveLength(3 + 8);
  });

  it('a maximise and a restore have their own words on the "did" lane (not the generic "action"), in every language', () => {
    const j = new Journal().layout(0, ['cam-1', 'cam-2', 'cam-3']).raised().maximise(65, 0, 'cam-1').maximise(80, null);
    const session = traineeSession(j, []);
    const report = buildReport(scenario, session, scoreSession(scenario, session), []);
    const did = reviewLanes(report).items.filter((i) => i.lane === 'did');
    expect(did.map((i) => [i.atMs / S, i.code])).toEqual([[0, 'did.layout'], [65, 'did.maximise'], [80, 'did.restore']]);
    const words = (lang: (typeof REPORT_LANGUAGES)[number]) => did.slice(1).map((i) => reportText(lang)(`trainingReview.${i.code}`, i.params));
    expect(words('en')).toEqual(['maximised a tile', 'restored the grid']);
    expect(words('ru')).toEqual(['развернул плитку', 'вернул сетку']);
    expect(words('kk')).toEqual(['плитканы үлкейтті', 'торды қайтарды']);
    expect(reportHtml(report)).toContain('maximised a tile');
    expect(reportHtml(report)).toContain('restored the grid');
  });

  it('a careless trainee: each mistake a difference at the moment it shows', () => {
    const r = carelessReport();
    const { items, differences } = reviewLanes(r);
    expect(differences.map((d) => [d.atMs / S, d.eventId, d.code])).toEqual([
      [60, 'intruder', 'notOnWall'],
      [100, 'intruder', 'lateClaim'],
      [110, 'intruder', 'skippedSop'],
      [110, 'intruder', 'wrongVerdict'],
      [131, 'cat', 'falseAsReal'],
      [150, 'cat', 'wrongVerdict'],
      [180, 'intruder', 'noEscalation'],
      [240, 'intruder', 'noBookmark'],
      [300, 'second', 'missedAlarm'],
      [300, 'second', 'notOnWall'],
    ]);
    // the wrong actions are marked on the "did" lane: the late claim, both wrong resolves, the cat's escalation
    expect(items.filter((i) => i.lane === 'did' && i.difference).map((i) => [i.atMs / S, i.code])).toEqual([[100, 'did.claim'], [110, 'did.resolve'], [131, 'did.escalate'], [150, 'did.resolve']]);
    expect(items.filter((i) => i.lane === 'comments')).toEqual([expect.objectContaining({ atMs: 100 * S, code: 'comment', params: { text: 'Claim first, <then> look', by: 'trainer' } })]);
    // the report (with the journal it carries) is what the contract says
    expect(TrainingReport.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
  });

  it('differences become markers on their camera row, or on every row when it is not shown', () => {
    const { differences } = reviewLanes(carelessReport());
    const m = differenceMarkers(differences, 5_000, ['cam-1', 'cam-2'], (d) => d.code);
    expect(m.filter((x) => x.text === 'lateClaim')).toEqual([{ id: 'diff-lateClaim-intruder-cam-1', cameraId: 'cam-1', kind: 'action', atMs: 5_000 + 100 * S, text: 'lateClaim' }]);
    expect(m.filter((x) => x.text === 'missedAlarm').map((x) => x.cameraId)).toEqual(['cam-1', 'cam-2']);
  });

  it('the review\'s timeline opens on the whole session with a margin, within the timeline\'s zoom limits', () => {
    // a 4-minute session: 12 s either side (a twentieth); the lanes, drawn on this window, show every moment of it
    const v = sessionView(1_000_000, 240 * S);
    expect(v).toEqual({ startMs: 1_000_000 - 12 * S, spanMs: 264 * S });
    expect(v.startMs).toBeLessThan(1_000_000);
    expect(v.startMs + v.spanMs).toBeGreaterThan(1_000_000 + 240 * S);
    expect(sessionView(0, 20 * S)).toEqual({ startMs: -5 * S, spanMs: 30 * S }); // 5 s at least
    expect(sessionView(0, 0).spanMs).toBe(10 * S); // the timeline's narrowest window
    expect(sessionView(0, 48 * 3600 * S).spanMs).toBe(24 * 3600 * S); // and its widest
  });
});

describe('the HTML report', () => {
  it('in Kazakh: the title, the worded checks and differences, every text escaped, no script', () => {
    const html = reportHtml(carelessReport(), reportText('kk'));
    expect(html).toContain('lang="kk"');
    expect(html).toContain('Жаттығуды талдау');
    expect(html).toContain('Кеш алынды');
    expect(html).toContain('trainee-1');
    expect(html).toContain('12.5 %');
    expect(html).toContain('Claim first, &lt;then&gt; look');
    expect(html).not.toContain('<then>');
    expect(html).not.toMatch(/<script|src=|href=/i);
    // the session's times in the language's own words with the zone named, not UTC ISO; every timeline column headed
    expect(html).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(html).toMatch(/\d{4} ж\. \d+ [а-яәөүұқғңһі]+\.?, \d\d:\d\d:\d\d/);
    expect(html).toContain('<th>Оқиға</th>');
  });
  it('defaults to English', () => {
    expect(reportHtml(carefulReport())).toContain('After-action review');
  });
  it('names events by their moment, kind and camera in the language (not the author\'s ids), cameras by the console\'s names', () => {
    const names: Record<string, string> = { 'cam-1': 'Republic Square', 'cam-2': 'Abay / Dostyk' };
    const name = eventNamer(scenario.events, reportText('ru'), (id) => names[id] ?? id);
    expect(name('intruder')).toBe('01:00 Настоящая тревога · Republic Square');
    expect(name('cat')).toBe('02:00 Ложная тревога · Abay / Dostyk');
    expect(name('second')).toBe('05:00 Настоящая тревога · cam-3');
    expect(name('gone')).toBe('gone'); // an event the scenario no longer has
    expect(name(null)).toBe('');
    const html = reportHtml(carelessReport(), reportText('ru'), (id) => names[id] ?? id);
    expect(html).toContain('02:00 Ложная тревога · Abay / Dostyk');
    // the checks, the differences and the timeline's event column: no author's id left
    expect(html).not.toMatch(/>\s*(&#x2713;|&#x2717;) (intruder|cat|second) /);
    expect(html).not.toMatch(/<td>(intruder|cat|second)<\/td>/);
  });
});

describe("the trainer's dashboard", () => {
  const row = (id: string, trainee: string, scenarioId: string, startedAt: number, percent: number, differences: number): TrainingResult => ({
    id, scenarioId, scenarioName: scenarioId.toUpperCase(), trainee, cameraIds: [], startedAt, endedAt: startedAt + 1, endReason: 'completed', percent, checksPassed: 0, checks: 0, differences, missed: 0,
  });
  const rows = [row('a', 'aigerim', 's1', 1, 50, 3), row('b', 'bolat', 's1', 2, 90, 1), row('c', 'aigerim', 's2', 3, 70, 2), row('d', 'bolat', 's2', 4, 70, 0)];
  it('filters by trainee and scenario, sorts by a column, ties newest first', () => {
    const q = { trainee: null, scenarioId: null, sort: 'startedAt' as const, descending: true };
    expect(queryResults(rows, q).map((r) => r.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(queryResults(rows, { ...q, trainee: 'aigerim' }).map((r) => r.id)).toEqual(['c', 'a']);
    expect(queryResults(rows, { ...q, scenarioId: 's2' }).map((r) => r.id)).toEqual(['d', 'c']);
    const byScore = toggleSort(q, 'percent');
    expect(byScore).toMatchObject({ sort: 'percent', descending: true });
    expect(queryResults(rows, byScore).map((r) => r.id)).toEqual(['b', 'd', 'c', 'a']);
    expect(queryResults(rows, toggleSort(byScore, 'percent')).map((r) => r.id)).toEqual(['a', 'd', 'c', 'b']);
    expect(queryResults(rows, toggleSort(q, 'trainee')).map((r) => r.trainee)).toEqual(['aigerim', 'aigerim', 'bolat', 'bolat']);
  });
});

describe('"Make incident" on the review timeline', () => {
  it('offers the nearest bookmark within 2 s of the playhead and the lock whose range holds it', async () => {
    const { markersAt } = await import('../../renderer/replay/replay-model.js');
    const ms = [
      { id: 'b1', cameraId: 'c', kind: 'bookmark' as const, atMs: 10_000 },
      { id: 'b2', cameraId: 'c', kind: 'bookmark' as const, atMs: 11_500 },
      { id: 'l1', cameraId: 'c', kind: 'lock' as const, atMs: 5_000, endMs: 20_000 },
      { id: 'a1', cameraId: 'c', kind: 'alarm' as const, atMs: 11_000 },
    ];
    expect(markersAt(ms, 11_000)).toEqual({ bookmark: ms[1], lock: ms[2] });
    expect(markersAt(ms, 9_000).bookmark?.id).toBe('b1');
    expect(markersAt(ms, 14_000).bookmark).toBeNull();
    expect(markersAt(ms, 21_000)).toEqual({ bookmark: null, lock: null });
  });
});
