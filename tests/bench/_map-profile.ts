// ad-hoc (not committed): where the map window's CPU goes with 1,000 cameras and 50 moving units, no wall.
import mqtt from 'mqtt';
import { writeFileSync } from 'node:fs';
import { startWebShell, waitFor } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { launchPlainChromium } from '../support/plain-chromium.js';
import { ensureXDisplay } from '../support/xvfb.js';
import { measureCpu, type ProcInfo } from '../support/procfs.js';
import { UNIT_TELEMETRY_VERSION, type UnitKind } from '../../electron/contract/units-schema.js';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mode = process.argv[2] ?? 'moving';
const skip = process.argv[3] ?? '';
const shell = await startWebShell();
const api = await ApiClient.connect(shell.info.origin, shell.info.token);
const placed = Array.from({ length: 1000 }, (_, i) => ({
  id: `map-${String(i).padStart(4, '0')}`, name: `Map camera ${i}`, mainUrl: 'rtsp://127.0.0.1:9/none', kind: 'fixed', tags: ['bench'],
  location: { lat: 43.216 + 0.058 * ((i * 0.6180339887) % 1), lon: 76.886 + 0.093 * ((i * 0.7548776662) % 1), heading: (i * 37) % 360, fov: 60 },
}));
await api.call('cameras.import', { format: 'json', text: JSON.stringify(placed) });
const scr = await ensureXDisplay('1920x1080x24', true);
const page = await launchPlainChromium(`${shell.info.url}&view=map&skip=${skip}${process.env.EXTRA ?? ""}`, { window: { display: scr.display } });
await waitFor('map', () => page.evaluate<boolean>('(window.__kuzetMap?.redraws() ?? 0) > 0'), 90_000, 250);
await page.evaluate('window.__kuzetMap.zoomTo(14)');
await sleep(3000);
const pid = page.proc.pid!;
const classify = (p: ProcInfo) => {
  if (!(p.pid === pid || p.ancestry?.includes(pid))) return null;
  const m = /--type=([a-z-]+)/.exec(p.cmdline); return m ? m[1]! : 'browser';
};
let timer: NodeJS.Timeout | null = null; let pub: mqtt.MqttClient | null = null;
if (mode === 'moving' || mode === 'moving-zoom') {
  const info = await api.call('alarms.info', {});
  pub = await mqtt.connectAsync(info.mqttUrl, { clientId: 'prof' });
  const kinds: UnitKind[] = ['drone', 'robot', 'body', 'patrol_car'];
  const t0 = Date.now();
  timer = setInterval(() => { const now = Date.now(); for (let i = 0; i < 50; i++) { const a = ((now - t0) / 1000) * 0.01 + i;
    pub!.publish(`kuzet/units/b-${i}`, JSON.stringify({ v: UNIT_TELEMETRY_VERSION, id: `b-${i}`, kind: kinds[i % 4], lat: 43.245 + 0.01 * Math.sin(a), lon: 76.935 + 0.013 * Math.cos(a), heading: (a * 57.3) % 360, ts: now }), { qos: 0 }); } }, 500);
  await sleep(4000);
}
const r0 = await page.evaluate<number>('window.__kuzetMap.redraws()');
await page.send('Profiler.enable'); await page.send('Profiler.start');
let zi = 0; const zt = mode.endsWith('zoom') ? setInterval(() => { void page.evaluate(`window.__kuzetMap.zoomTo(${14 + (zi++ % 2) * 0.01})`); }, 250) : null;
const cpu = await measureCpu(classify, 10_000);
if (zt) clearInterval(zt);
const prof = await page.send<{ profile: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }>; samples: number[]; timeDeltas: number[] } }>('Profiler.stop');
const r1 = await page.evaluate<number>('window.__kuzetMap.redraws()');
const self = new Map<string, number>(); let total = 0;
for (const n of prof.profile.nodes) { const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (n.hitCount ?? 0)); total += n.hitCount ?? 0; }
console.log(JSON.stringify({ mode, cpu, redrawsPerS: (r1 - r0) / 10 }, null, 1));
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(100 * v / total).toFixed(1)}% ${k}`).join('\n'));
writeFileSync(`/tmp/map-${mode}.cpuprofile`, JSON.stringify(prof.profile));
if (timer) clearInterval(timer); await pub?.endAsync();
await page.close(); await shell.close(); process.exit(0);
