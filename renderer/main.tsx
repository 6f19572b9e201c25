/** Renderer entry: picks the transport, asks who is signed in, then mounts the sign-in page or the console (the wall, or the city map in its own window). */
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { createClient } from './bridge/client.js';
import { chooseTransport, readStartParams } from './bridge/connect.js';
import { AccessRoot } from './access/AccessRoot.js';
import { createAccessState } from './access/access-state.js';
import { readSessionParam, readTicketParam, sessionToken, setSessionToken } from './access/session-token.js';
import { errorMessage } from './app/ui-errors.js';
import { setLanguage, t } from './i18n/i18n.js';
import { followWallLanguage, initialLanguage } from './i18n/language-pref.js';
import { TrainingBanner } from './training/TrainingBanner.js';
import { ReplayFollower } from './replay/ReplayFollower.js';
import { readFollowerParams } from './replay/replay-follow.js';
// the map window's plate panel (its chunk's own CSS would not be loaded: index.html links app.css only)
import './plates/plates.css';
// the review's unit map (renderer/map/UnitReplayMap.tsx) lives in the wall window
import './map/map-wall.css';

function showFatal(root: HTMLElement, message: string): void {
  const box = document.createElement('div');
  box.className = 'fatal';
  box.textContent = `${t('app.cannotStart')}: ${message}`;
  root.replaceChildren(box);
}

async function start(): Promise<void> {
  const rootEl = document.getElementById('root');
  if (!rootEl) return;
  try {
    const params = readStartParams();
    readSessionParam();
    const ticket = readTicketParam();
    const transport = chooseTransport(params);
    const client = createClient(transport, (event, problem) => console.warn(`event ${event} rejected: ${problem}`));
    // the sign-in page speaks the console's language too: the user's or this window's choice, else the centre's default
    await setLanguage(initialLanguage('kk'));
    // `?view=map` is the city map in its own window (opened by the wall's Map button); `?view=replay&...` a replayed
    // display on a monitor of its own, following the main replay window's clock (renderer/replay/ReplayFollower.tsx)
    const isMap = new URLSearchParams(window.location.search).get('view') === 'map';
    const follow = readFollowerParams(window.location.search);
    // The map (deck.gl, loaders) is its own chunk: only the map window loads it, never the wall (scripts/build.mjs).
    const MapView = isMap ? (await import('./map/MapView.js')).MapView : null;
    if (isMap) followWallLanguage();
    // Issue 12: the sign-in page until a session exists; the console behind it (access/AccessRoot.tsx).
    const who = await client.call('access.whoami', {});
    if (who.me && !sessionToken() && params.token) setSessionToken(params.token); // the address carried a session's token
    // The map window the host started signs in with its one-time ticket: a session of its own for the wall's user (issue 10);
    // a used, expired or foreign ticket shows the sign-in page with the reason.
    let ticketRefused: string | null = null;
    if (ticket && !who.me) {
      try {
        const r = await client.call('access.signInTicket', { ticket });
        setSessionToken(r.sessionToken);
        who.me = r.me;
      } catch (err) { ticketRefused = errorMessage(err); }
    }
    const access = createAccessState(client, who.me);
    // the training banner offers "Continue on this console" only in a wall window signed in with its own sign-in (a map
    // or follower window, or one signed in with a ticket, is another sign-in of the same console)
    createRoot(rootEl).render(<AccessRoot access={access} directory={who.directory} displayId={params.displayId} firstNotice={ticketRefused} renderConsole={(host) => (<>{MapView ? <MapView host={host} /> : follow ? <ReplayFollower host={host} follow={follow} /> : <App host={host} />}<TrainingBanner host={host} offerContinue={!MapView && !follow && !ticket} /></>)} />);
  } catch (err) {
    showFatal(rootEl, err instanceof Error ? err.message : String(err));
  }
}

// (the frame worker is its own bundle, frame-worker.js: wall/frame-channel.ts startFrameWorker)
void start();
