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
  const all = useValue(trainingSessions(host));
  const mine = sessionsOf(all, me?.user);
  const [now, setNow] = useState(() => Date.now());
  const [note, setNote] = useState('');
  // a session this user was the trainee of, ended while this window was open (the trainer stopped it, or its time ran
  // out): its score, until dismissed
  const [openedAt] = useState(() => Date.now());
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const ended = [...all.values()].map((v) => v.status).filter((s) => s.state === 'ended' && me && s.trainee === me.user && (s.endedAt ?? 0) >= openedAt && !dismissed.has(s.id));
  useEffect(() => {
    if (!mine.length) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [mine.length]);
  const endedBanner = ended.length > 0 && (
    <div className="training-banner training-ended" role="status" data-testid="training-ended">
      {ended.map((s) => (
        <span key={s.id} data-session={s.id} data-percent={s.percent ?? ''}>
          {t('training.ended', { scenario: scenarioText({ id: s.scenarioId, name: s.scenarioName }, t).name, percent: s.percent === null ? '–' : Math.round(s.percent) })}
          {' '}<button className="link" onClick={() => setDismissed(new Set([...dismissed, s.id]))}>{t('common.dismiss')}</button>
        </span>
      ))}
    </div>
  );
  if (!mine.length) return endedBanner || null;
  return (
    <>{endedBanner}<div className="training-banner" role="status" data-testid="training-banner">
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
    </div></>
  );
}
