/**
 * After-action review of a finished training session (issue 11 §3): the incident replay's player (ReviewView) on the
 * session's clock, showing the trainee's console as it was (every display's wall in its layout's own geometry, as the
 * incident replay draws it, and the training queue, from the session journal with `consoleStateAt`; the tiles play the
 * scenario's footage on the session's clock, session-footage.ts), with lanes of what was expected and what the trainee did, the differences marked on the
 * lanes and the timeline, the trainer's comments (added at the playhead), and the report exported as JSON, HTML or PDF.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { scenarioText } from '../../electron/contract/default-texts.js';
import type { TrainingReport } from '../../electron/contract/training/report.js';
import { reviewLanes, type LaneItem } from '../../electron/contract/training/review-lanes.js';
import { checkSentence, eventNamer, REPORT_LANGUAGES, withCameraName, reportLanguage, type ReportLanguage } from '../../electron/contract/training/report-text.js';
import type { ReportFormat } from '../../electron/contract/training/review-api.js';
import { footageFromMs } from '../../electron/contract/training/scenario-schema.js';
import { consoleStateAt } from '../../electron/contract/replay-state.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { ReviewView } from '../review/ReviewView.js';
import type { Footage } from '../review/review-player.js';
import type { TimelineView } from '../review/timeline-model.js';
import { consoleFootage, consoleSources, incidentFootage, incidentSources, type ReviewSources } from '../review/review-sources.js';
import { ReplayQueue } from '../replay/ReplayQueue.js';
import { MAX_TILES } from '../replay/replay-model.js';
import { displayAspect, replayWalls } from '../replay/replay-walls.js';
import { ReplayWalls } from '../replay/ReplayWalls.js';
import { useValue } from '../bridge/stores.js';
import { LANGUAGE_NAMES } from '../i18n/i18n.js';
import { ReviewLanes } from './ReviewLanes.js';
import { differenceMarkers, sessionView } from './review-model.js';
import { download, fromBase64 } from './download.js';
import { formatClock } from './training-store.js';
import { sessionFootage, sessionSources } from './session-footage.js';
import { useCameraNames } from '../bridge/camera-name.js';

interface Props { host: HostState; sessionId: string; operator: string; onExit(): void }

export function SessionReview({ host, sessionId, operator, onExit }: Props) {
  const { t, i18n } = useTranslation();
  const [report, setReport] = useState<TrainingReport | null>(null);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [position, setPosition] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [language, setLanguage] = useState<ReportLanguage>(() => reportLanguage(i18n.language));
  const seekRef = useRef<((ms: number) => void) | null>(null);

  const load = useCallback(() => host.client.call('training.sessions.report', { id: sessionId }).then((r) => setReport(r.report), (e: unknown) => setError(errorMessage(e))), [host, sessionId]);
  useEffect(() => { void load(); }, [load]);

  const lanes = useMemo(() => (report ? reviewLanes(report) : null), [report]);
  const record = useMemo(() => (report ? { before: report.session.before, actions: report.session.actions } : null), [report]);
  const state = useMemo(() => (record ? consoleStateAt(record, position || (report?.startedAt ?? 0)) : null), [record, position, report]);
  // the trainee's displays side by side (a console that recorded no layout: the grid of the scenario's cameras)
  const { walls, cameras: shown } = useMemo(() => (state ? replayWalls(state, state.displays.map((d) => d.displayId), MAX_TILES) : { walls: [], cameras: [] }), [state]);
  const liveDisplays = useValue(host.displays);
  const names = useCameraNames(host);
  const fallback = report ? [...new Set(report.events.map((e) => e.cameraId))] : [];
  const idsKey = (shown.length ? shown : fallback).join(',');
  const ids = useMemo(() => (idsKey ? idsKey.split(',') : []), [idsKey]);
  // events named by their moment, kind and camera in the operator's language, not by the scenario author's ids
  const eventName = useMemo(() => eventNamer(report?.events ?? [], (k, p) => t(k, p ?? {}), (id) => names[id] ?? id), [report, names, t]);
  const markers = useMemo(() => (report && lanes ? differenceMarkers(lanes.differences, report.startedAt, ids, (d) => `${t(`trainingReview.diff.${d.code}`)} · ${eventName(d.eventId)}`) : []), [report, lanes, ids, t, eventName]);
  const at = report ? Math.max(0, Math.round(position - report.startedAt)) : 0;
  // the scenario's footage on the session's clock, as the trainee's tiles showed it: this console's recordings from the
  // scenario's start (or its lead before the session's, latest recordings), or an incident package's (whose footage starts at the incident's start)
  // (by value: a report reloaded after a comment must not give the players new footage, which would start them again)
  const source = report?.scenario.source;
  const startedAt = report?.startedAt ?? null;
  const recordedFrom = source && source.kind !== 'package' && startedAt !== null ? footageFromMs(source, startedAt) : null;
  const incidentId = source?.kind === 'package' ? source.incidentId : null;
  // undefined while asked; null: the package is gone (the review goes on without its footage, and says why)
  const [packageFromMs, setPackageFromMs] = useState<number | null | undefined>(undefined);
  useEffect(() => {
    if (incidentId === null) return;
    host.client.call('replay.incidents.get', { id: incidentId }).then((r) => setPackageFromMs(r.incident.fromMs), (e: unknown) => { setPackageFromMs(null); setNote(errorMessage(e)); });
  }, [host, incidentId]);
  const played = useMemo<{ footage: Footage; sources: ReviewSources } | null>(() => {
    if (startedAt === null) return null;
    if (recordedFrom !== null) return { footage: sessionFootage(consoleFootage(host.client), startedAt - recordedFrom), sources: sessionSources(consoleSources(host.client), startedAt - recordedFrom) };
    // a report made before its source was kept, or a package no longer here: this console's recordings at the session's time
    if (incidentId === null || packageFromMs === null) return { footage: consoleFootage(host.client), sources: consoleSources(host.client) };
    if (packageFromMs === undefined) return null;
    return { footage: sessionFootage(incidentFootage(host.client, incidentId), startedAt - packageFromMs), sources: sessionSources(incidentSources(host.client, incidentId), startedAt - packageFromMs) };
  }, [host, startedAt, recordedFrom, incidentId, packageFromMs]);

  useEffect(() => {
    exposeDiagnostics('__kuzetTrainingReview', { differences: () => lanes?.differences ?? [], items: () => lanes?.items ?? [], cameras: () => ids, atMs: () => at, queue: () => state?.queue ?? [] });
  }, [lanes, ids, at, state]);

  const itemText = (i: LaneItem) => {
    if (i.code === 'comment') return `${String(i.params.by)}: ${String(i.params.text)}`;
    if (i.code.startsWith('event.')) return eventName(i.eventId); // its moment, kind and camera
    return `${i.eventId ? `${eventName(i.eventId)} · ` : ''}${t(`trainingReview.${i.code}`, withCameraName(i.params, (id) => names[id] ?? id))}`;
  };
  const seek = (atMs: number) => { if (report) seekRef.current?.(report.startedAt + atMs); };
  const run = (work: () => Promise<unknown>) => { setBusy(true); setNote(''); work().catch((e: unknown) => setNote(errorMessage(e))).finally(() => setBusy(false)); };
  const addComment = () => run(async () => {
    if (!comment.trim()) return;
    await host.client.call('training.sessions.comment', { id: sessionId, operator, atMs: at, text: comment.trim() });
    setComment('');
    await load();
  });
  const exportAs = (format: ReportFormat) => run(async () => {
    setNote(t('trainingReview.exporting'));
    const f = await host.client.call('training.sessions.export', { id: sessionId, format, language });
    download(f.name, f.encoding === 'base64' ? fromBase64(f.data) : f.data, f.mime);
    setNote(t('trainingReview.exported', { name: f.name }));
  });

  if (error || !report || !lanes || !state || !played) {
    return (
      <div className="review" data-testid="training-review">
        <div className="topbar review-bar"><button onClick={onExit}>◀ {t('trainingReview.back')}</button></div>
        <div className="pad muted">{error || t('training.loading')}</div>
      </div>
    );
  }
  const aside = (
    <div className="replay-side training-review-side" data-testid="training-review-side">
      <div className="replay-head"><b>{t('trainingReview.title')}</b></div>
      <div className="pad" data-testid="training-review-summary" data-percent={report.percent}>{t('trainingReview.summary', { trainee: report.trainee, scenario: scenarioText(report.scenario, t).name, percent: Math.round(report.percent) })}</div>
      <h3>{t('trainingReview.differences')}</h3>
      {lanes.differences.length === 0 && <div className="muted pad">{t('trainingReview.noDifferences')}</div>}
      <ul className="tr-diffs">
        {lanes.differences.map((d) => (
          <li key={d.id}><button className="link" onClick={() => seek(d.atMs)} data-diff={d.code}>{formatClock(d.atMs)} · {t(`trainingReview.diff.${d.code}`)} · {eventName(d.eventId)}</button></li>
        ))}
      </ul>
      <h3>{t('trainingReview.html.checks')}</h3>
      <ul className="tr-checks">
        {report.checks.map((c, i) => <li key={i} className={c.passed ? 'tp-check-passed' : 'tp-check-failed'}>{c.passed ? '✓' : '✗'} {eventName(c.eventId)} · {t(`trainingReview.kind.${c.kind}`)}: {checkSentence(c, (k, p) => t(k, p ?? {}))}</li>)}
      </ul>
      <h3>{t('trainingReview.comment')} ({formatClock(at)})</h3>
      <textarea value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('trainingReview.commentPlaceholder')} aria-label={t('trainingReview.comment')} data-testid="review-comment" rows={2} />
      <button disabled={busy || !comment.trim()} onClick={addComment} data-testid="review-comment-add">{t('trainingReview.addComment')}</button>
      <h3>{t('trainingReview.export')}</h3>
      <div className="tr-export">
        <select value={language} onChange={(e) => setLanguage(e.target.value as ReportLanguage)} aria-label={t('trainingReview.language')} data-testid="review-language">
          {REPORT_LANGUAGES.map((l) => <option key={l} value={l}>{LANGUAGE_NAMES[l]}</option>)}
        </select>
        {(['json', 'html', 'pdf'] as const).map((f) => <button key={f} disabled={busy} onClick={() => exportAs(f)} data-testid={`review-export-${f}`}>{t(`trainingReview.export${f === 'json' ? 'Json' : f === 'html' ? 'Html' : 'Pdf'}`)}</button>)}
      </div>
      {note && <div className="muted pad" data-testid="review-note">{note}</div>}
      <ReplayQueue host={host} state={state} />
    </div>
  );
  const below = (view: TimelineView) => <ReviewLanes items={lanes.items} differences={lanes.differences} view={view} startedAt={report.startedAt} positionMs={at} onSeek={seek} itemText={itemText} eventName={eventName} />;
  return (
    <ReviewView host={host} cameraIds={ids} onExit={onExit} startMs={report.startedAt} onPosition={setPosition} extraMarkers={markers} footage={played.footage} sources={played.sources}
      aside={aside} below={below} initialView={sessionView(report.startedAt, Math.max(report.endedAt - report.startedAt, report.scenario.durationMs))} seekRef={seekRef} testId="training-review"
      layoutCells={walls.length ? (cell) => <ReplayWalls walls={walls} aspects={walls.map((w) => displayAspect(liveDisplays, w.displayId))} names={names} cell={cell} /> : undefined} />
  );
}
