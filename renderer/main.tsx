/** Renderer entry: picks the transport, loads the host's state, then mounts the wall console. */
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { createClient } from './bridge/client.js';
import { chooseTransport, readStartParams } from './bridge/connect.js';
import { loadHostState } from './bridge/host-state.js';

function showFatal(root: HTMLElement, message: string): void {
  const box = document.createElement('div');
  box.className = 'fatal';
  box.textContent = `Kuzet cannot start: ${message}`;
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
    createRoot(rootEl).render(<App host={host} />);
  } catch (err) {
    showFatal(rootEl, err instanceof Error ? err.message : String(err));
  }
}

void start();
