/**
 * The map benchmarks' map window alone (benchmarks only; map-draw-cost.ts, map-compositing.ts): a web shell with the
 * 1,000 placed cameras, the map in its app window on an X screen of its own, drawn once, at `zoom`; `units()` starts the
 * 50 circling units with their 5-minute trails; `close()` ends everything it started, also after a failure half-way.
 */
import mqtt from 'mqtt';
import { startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { launchPlainChromium, type PlainChromium } from '../support/plain-chromium.js';
import { ensureXDisplay, type XDisplay } from '../support/xvfb.js';
import { placedBenchCameras, startCirclingUnits } from './map-units.js';

export interface MapWindow {
  shell: RunningShell;
  api: ApiClient;
  page: PlainChromium;
  /** Starts the 50 units (ids `b-0..49`) reporting over the host's broker as `clientId`. */
  units(clientId: string): Promise<void>;
  close(): Promise<void>;
}

export async function openMapWindow(opts: { env?: Record<string, string>; zoom?: number } = {}): Promise<MapWindow> {
  let shell: RunningShell | null = null;
  let screen: XDisplay | null = null;
  let page: PlainChromium | null = null;
  let pub: mqtt.MqttClient | null = null;
  let timer: NodeJS.Timeout | null = null;
  const close = async () => {
    if (timer) clearInterval(timer);
    await pub?.endAsync().catch(() => {});
    await page?.close().catch(() => {});
    await shell?.close().catch(() => {});
    await screen?.close().catch(() => {});
  };
  try {
    shell = await startWebShell(opts.env ? { env: opts.env } : {});
    const api = await ApiClient.connect(shell.info.origin, shell.info.token);
    await api.call('cameras.import', { format: 'json', text: JSON.stringify(placedBenchCameras()) });
    screen = await ensureXDisplay('1920x1080x24', true);
    page = await launchPlainChromium(`${shell.info.url}&view=map`, { window: { display: screen.display } });
    const map = page;
    await waitFor('the map drawn', () => map.evaluate<boolean>('(window.__kuzetMap?.redraws() ?? 0) > 0'), 90_000, 250);
    await map.evaluate(`window.__kuzetMap.zoomTo(${opts.zoom ?? 14})`);
    return {
      shell, api, page,
      async units(clientId) {
        pub = await mqtt.connectAsync((await api.call('alarms.info', {})).mqttUrl, { clientId });
        timer = await startCirclingUnits(pub, 'b-');
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
