/** Renderer entry: picks the transport, loads the host's state, then mounts the wall console (or the city map). */
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { MapView } from './map/MapView.js';
import { createClient } from './bridge/client.js';
import { chooseTransport, readStartParams } from './bridge/connect.js';
import { loadHostState } from './bridge/host-state.js';
import { runFrameWorker } from './wall/frame-worker.js';
import { setLanguage, t } from './i18n/i18n.js';
import { initialLanguage } from './i18n/language-pref.js';
import { setCentreTimeZone } from './i18n/format.js';

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
    const transport = chooseTransport(params);
    const client = createClient(transport, (event, problem) => console.warn(`event ${event} rejected: ${problem}`));
    const host = await loadHostState(client, params.displayId);
    setCentreTimeZone(host.session.timeZone);
    await setLanguage(initialLanguage(host.session.language));
    // `?view=map` is the city map in its own window (opened by the wall's Map button).
    const isMap = new URLSearchParams(window.location.search).get('view') === 'map';
    createRoot(rootEl).render(isMap ? <MapView host={host} /> : <App host={host} />);
  } catch (err) {
    showFatal(rootEl, err instanceof Error ? err.message : String(err));
  }
}

// The same bundle also runs as the frame worker (see wall/frame-channel.ts startFrameWorker).
if (typeof document === 'undefined') runFrameWorker(self as unknown as Parameters<typeof runFrameWorker>[0]);
else void start();
