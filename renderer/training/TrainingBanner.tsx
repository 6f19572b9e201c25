/**
 * The training banner (issue 11 §2): on every screen of a console in a training session (the wall, the map window,
 * review, replay), the scenario's name and clock, so that nobody takes a training alarm for a real one.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { scenarioText } from '../../electron/contract/default-texts.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { useMe } from '../access/access-state.js';
import { formatClock, sessionsOf, trainingSessions } from './training-store.js';
import './training.css';

export function TrainingBanner({ host }: { host: HostState }) {
  const { t } = useTranslation();
  const me = useMe();
  const mine = sessionsOf(useValue(trainingSessions(host)), me?.user);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!mine.length) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [mine.length]);
  if (!mine.length) return null;
  return (
    <div className="training-banner" role="status" data-testid="training-banner">
      {mine.map(({ status: s }) => (
        <span key={s.id} data-session={s.id}>
          <b>{t('training.banner')}</b> · {scenarioText({ id: s.scenarioId, name: s.scenarioName }, t).name} · <span className="training-clock">{formatClock(Math.min(s.durationMs, now - s.startedAt))} / {formatClock(s.durationMs)}</span>
        </span>
      ))}
    </div>
  );
}
