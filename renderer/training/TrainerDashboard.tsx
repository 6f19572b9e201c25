/**
 * The trainer's dashboard (issue 11 §3): finished sessions with their scores over time, sortable by any column and
 * filtered by trainee and scenario; each row opens the session's after-action review.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { scenarioText } from '../../electron/contract/default-texts.js';
import type { TrainingResult } from '../../electron/contract/training/review-api.js';
import type { HostState } from '../bridge/host-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatDateTime } from '../i18n/format.js';
import { queryResults, toggleSort, type ResultColumn, type ResultQuery } from './review-model.js';

interface Props { host: HostState; onReview(sessionId: string): void }

const COLUMNS: Array<[ResultColumn, string]> = [['startedAt', 'colDate'], ['trainee', 'colTrainee'], ['scenarioName', 'colScenario'], ['percent', 'colScore'], ['differences', 'differences']];

export function TrainerDashboard({ host, onReview }: Props) {
  const { t } = useTranslation();
  const [results, setResults] = useState<TrainingResult[] | null>(null);
  const [error, setError] = useState('');
  const [q, setQ] = useState<ResultQuery>({ trainee: null, scenarioId: null, sort: 'startedAt', descending: true });
  useEffect(() => { host.client.call('training.sessions.results', {}).then(setResults, (e: unknown) => { setResults([]); setError(errorMessage(e)); }); }, [host]);
  const rows = useMemo(() => queryResults(results ?? [], q), [results, q]);
  const trainees = [...new Set((results ?? []).map((r) => r.trainee))].sort();
  const scenarios = [...new Map((results ?? []).map((r) => [r.scenarioId, r.scenarioName])).entries()];
  return (
    <section className="trainer-dashboard" data-testid="trainer-dashboard">
      <h3>{t('trainingReview.dashboard')}</h3>
      {error && <p className="tp-error" role="alert">{error}</p>}
      <div className="td-filters">
        <label>{t('trainingReview.filterTrainee')} <select value={q.trainee ?? ''} onChange={(e) => setQ({ ...q, trainee: e.target.value || null })} data-testid="dashboard-trainee">
          <option value="">{t('trainingReview.all')}</option>{trainees.map((x) => <option key={x} value={x}>{x}</option>)}
        </select></label>
        <label>{t('trainingReview.filterScenario')} <select value={q.scenarioId ?? ''} onChange={(e) => setQ({ ...q, scenarioId: e.target.value || null })} data-testid="dashboard-scenario">
          <option value="">{t('trainingReview.all')}</option>{scenarios.map(([id, name]) => <option key={id} value={id}>{scenarioText({ id, name }, t).name}</option>)}
        </select></label>
      </div>
      {results === null ? <p className="muted">{t('training.loading')}</p> : rows.length === 0 ? <p className="muted">{t('trainingReview.noResults')}</p> : (
        <table>
          <thead><tr>
            {COLUMNS.map(([col, key]) => (
              <th key={col} aria-sort={q.sort === col ? (q.descending ? 'descending' : 'ascending') : 'none'}>
                <button className="link" onClick={() => setQ(toggleSort(q, col))} data-sort={col}>{t(`trainingReview.${key}`)}{q.sort === col ? (q.descending ? ' ▼' : ' ▲') : ''}</button>
              </th>
            ))}
            <th>{t('trainingReview.colChecks')}</th><th />
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-result={r.id} data-trainee={r.trainee} data-percent={r.percent}>
                <td>{formatDateTime(r.startedAt)}</td><td>{r.trainee}</td><td>{scenarioText({ id: r.scenarioId, name: r.scenarioName }, t).name}</td><td>{Math.round(r.percent)} %</td>
                <td>{r.differences}</td><td>{r.checksPassed} / {r.checks}</td>
                <td><button onClick={() => onReview(r.id)} data-testid="dashboard-review">{t('trainingReview.open')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
