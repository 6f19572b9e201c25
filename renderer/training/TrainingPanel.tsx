/**
 * The trainer's panel (issue 11 §2-3): the stored scenarios, a Start button for each (the session's clock starts then,
 * and this console joins as the signed-in user's), the sessions with Stop, and an ended session's score with every check.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { scenarioText } from '../../electron/contract/default-texts.js';
import type { Scenario, SessionScore } from '../../electron/contract/training/scenario-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatTime } from '../i18n/format.js';
import { formatClock, trainingSessions } from './training-store.js';
import { checkSentence, eventNamer, reportLanguage } from '../../electron/contract/training/report-text.js';
import { useCameraName } from '../bridge/camera-name.js';
import { download } from './download.js';
import { TrainerDashboard } from './TrainerDashboard.js';

interface Props { host: HostState; operator: string; onClose: () => void; /** Opens a finished session's after-action review. */ onReview?: (sessionId: string) => void }

export function TrainingPanel({ host, operator, onClose, onReview }: Props) {
  const { t, i18n } = useTranslation();
  const sessions = [...useValue(trainingSessions(host)).values()].sort((a, b) => b.status.startedAt - a.status.startedAt);
  const [scenarios, setScenarios] = useState<Scenario[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [score, setScore] = useState<SessionScore | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    host.client.call('training.scenarios.list', {}).then(setScenarios, (e: unknown) => { setScenarios([]); setError(errorMessage(e)); });
  }, [host]);
  const run = (work: () => Promise<unknown>) => {
    setBusy(true); setError(null);
    work().catch((e: unknown) => setError(errorMessage(e))).finally(() => setBusy(false));
  };
  const start = (scenarioId: string) => run(async () => {
    const v = await host.client.call('training.sessions.start', { scenarioId, operator });
    await host.client.call('training.sessions.join', { id: v.status.id, operator });
  });
  const join = (id: string) => run(async () => { await host.client.call('training.sessions.join', { id, operator }); });
  const stop = (id: string) => run(async () => {
    await host.client.call('training.sessions.stop', { id, operator });
    setScore(await host.client.call('training.sessions.score', { id }));
  });
  // the report in the interface's language (the Debrief exports JSON, PDF and other languages)
  const report = (id: string) => run(async () => {
    const f = await host.client.call('training.sessions.export', { id, format: 'html', language: reportLanguage(i18n.language) });
    download(f.name, f.data, f.mime);
  });
  const showScore = (id: string) => run(async () => setScore(await host.client.call('training.sessions.score', { id })));
  const cameraName = useCameraName(host);
  // the score's events named by their moment, kind and camera (the scenario's as stored now; an id it no longer has, as it is)
  const eventName = eventNamer(scenarios?.find((s) => s.id === score?.scenarioId)?.events ?? [], (k, p) => t(k, p ?? {}), cameraName);
  return (
    <div className="training-panel" role="dialog" aria-label={t('training.title')} data-testid="training-panel">
      <div style={{ display: 'flex', justifyContent: 'space-between' }}><h2>{t('training.title')}</h2><button onClick={onClose}>{t('training.close')}</button></div>
      {error && <p className="tp-error" role="alert">{error}</p>}
      <h3>{t('training.scenarios')}</h3>
      {scenarios === null ? <p className="muted">{t('training.loading')}</p> : scenarios.length === 0 ? <p className="muted">{t('training.noScenarios')}</p> : (
        <table><tbody>
          {scenarios.map((s) => (
            <tr key={s.id} data-scenario={s.id}>
              <td><b>{scenarioText(s, t).name}</b><div className="muted">{scenarioText(s, t).description}</div></td>
              <td>{formatClock(s.durationMs)}</td>
              <td>{t('training.eventCount', { count: s.events.length })}</td>
              <td><button className="primary" disabled={busy} data-testid="training-start" onClick={() => start(s.id)}>{t('training.start')}</button></td>
            </tr>
          ))}
        </tbody></table>
      )}
      <h3>{t('training.sessions')}</h3>
      {sessions.length === 0 ? <p className="muted">{t('training.noSessions')}</p> : (
        <table><tbody>
          {sessions.map(({ status: s }) => (
            <tr key={s.id} data-session={s.id} data-state={s.state}>
              <td><b>{scenarioText({ id: s.scenarioId, name: s.scenarioName }, t).name}</b><div className="muted">{formatTime(s.startedAt)}</div></td>
              <td>{s.trainee ?? '—'}</td>
              <td>{s.state === 'running' ? t('training.running') : t(s.endReason === 'stopped' ? 'training.stopped' : 'training.completed')}</td>
              <td>{s.percent === null ? '' : `${Math.round(s.percent)} %`}</td>
              <td>{s.state === 'running'
                ? <>{s.trainee !== operator && <button disabled={busy} data-testid="training-join" onClick={() => join(s.id)}>{t('training.join')}</button>} {(s.trainee !== operator || s.startedBy === operator) && <button disabled={busy} data-testid="training-stop" onClick={() => stop(s.id)}>{t('training.stop')}</button>}</>
                : <><button disabled={busy} onClick={() => showScore(s.id)}>{t('training.score')}</button> <button disabled={busy} data-testid="training-report" onClick={() => report(s.id)}>{t('training.report')}</button>{onReview && <> <button disabled={busy} data-testid="training-review-open" onClick={() => onReview(s.id)}>{t('trainingReview.open')}</button></>}</>}</td>
            </tr>
          ))}
        </tbody></table>
      )}
      {score && (
        <section data-testid="training-score" data-percent={score.percent}>
          <h3>{t('training.scoreOf', { trainee: score.trainee, percent: Math.round(score.percent) })}</h3>
          <ul>{score.checks.map((c, i) => <li key={i} className={c.passed ? 'tp-check-passed' : 'tp-check-failed'}>{c.passed ? '✓' : '✗'} {eventName(c.eventId)} · {t(`trainingReview.kind.${c.kind}`)}: {checkSentence(c, (k, p) => t(k, p ?? {}))}</li>)}</ul>
        </section>
      )}
      {/* re-read when a session ends */}
      {onReview && <TrainerDashboard key={sessions.filter((v) => v.status.state === 'ended').length} host={host} onReview={onReview} />}
    </div>
  );
}
