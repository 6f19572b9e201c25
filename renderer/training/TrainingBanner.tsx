/**
 * The training banner (issue 11 §2): on every screen of a console in a training session (the wall, the map window,
 * review, replay), the scenario's name and clock, so that nobody takes a training alarm for a real one. On a wall, the
 * trainee signed in again, or on another console, is told the footage is on the console that joined, and can continue here.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { scenarioText } from '../../electron/contract/default-texts.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { useMe } from '../access/access-state.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatClock, sessionsOf, trainingSessions } from './training-store.js';
import './training.css';

/** `offerContinue`: this window is a console's wall with its own sign-in, which a join maps (not a map or follower window). */
export function TrainingBanner({ host, offerContinue = false }: { host: HostState; offerContinue?: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const mine = sessionsOf(useValue(trainingSessions(host)), me?.user);
  const [now, setNow] = useState(() => Date.now());
  const [note, setNote] = useState('');
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
          {/* the trainee signed in again, or on another console: the footage is on the console that joined */}
          {offerContinue && me && s.trainee === me.user && s.traineeSignIn !== me.sessionRef && (
            <> · {t('training.elsewhere')} <button className="link" data-testid="training-rejoin" title={t('training.rejoinHint')}
              onClick={() => { setNote(''); host.client.call('training.sessions.join', { id: s.id, operator: me.user }).catch((e: unknown) => setNote(errorMessage(e))); }}>{t('training.rejoin')}</button></>
          )}
        </span>
      ))}
      {note && <span className="training-banner-error" role="alert"> · {note}</span>}
    </div>
  );
}
