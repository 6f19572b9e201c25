/**
 * What the app window costs Chromium's GPU process (the software compositor) and why: one simulator, one host, a
 * 4x4 wall of 360p cameras, then the app window of `npm start` (scripts/app-window.mjs) opened once per variant, in
 * rounds (A B C ... A B C ...) so the machine's load hits every variant alike. A variant changes the window's flags
 * and/or the page (a script evaluated before measuring). Prints CPU of the GPU process, renderer and browser per
 * variant, paints per second and GPU-process CPU per paint (ms), which the machine's load disturbs least.
 *   node scripts/bench-window.mjs [--rounds 2] [--sec 12] [--variants a,b,...]
 */
import { parseArgs } from 'node:util';
import { startSimulator } from '../../native/simulator/control.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { startWebShell, waitFor } from '../support/harness.js';
import { ApiClient } from '../support/api-client.js';
import { launchPlainChromium } from '../support/plain-chromium.js';
import { ensureXDisplay } from '../support/xvfb.js';
import { measureCpu } from '../support/procfs.js';

interface Variant { name: string; why: string; flags?: (a: string[]) => string[]; page?: string }
const hide = (sel: string) => `for (const e of document.querySelectorAll(${JSON.stringify(sel)})) e.style.display = 'none';`;
const VARIANTS: Variant[] = [
  { name: 'product', why: 'the window as npm start opens it' },
  { name: 'ticking-age', why: 'the age labels rewritten 5 times a second, as before "<1 s" (the previous product)', page: `setInterval(() => { for (const e of document.querySelectorAll('.tile-age')) e.textContent = (Math.random() * 0.3).toFixed(1) + ' s'; }, 200);` },
  { name: 'no-labels', why: 'tile label bands hidden', page: hide('.tile-band') },
  { name: 'no-tiles', why: 'every tile element over the canvas hidden', page: hide('.tile') },
  { name: 'no-age', why: 'only the age text (changes 5 times a second) hidden', page: hide('.tile-age') },
  { name: 'band-layers', why: 'each label band its own composited layer (will-change: transform)', page: `document.head.insertAdjacentHTML('beforeend', '<style>.tile-band { will-change: transform; }</style>');` },
  { name: 'srgb', why: '+ --force-color-profile=srgb', flags: (a) => [...a, '--force-color-profile=srgb'] },
  { name: 'dsf1', why: '+ --force-device-scale-factor=1', flags: (a) => [...a, '--force-device-scale-factor=1'] },
  { name: 'no-app', why: 'a normal window instead of --app', flags: (a) => a.map((x) => (x.startsWith('--app=') ? x.slice(6) : x)) },
];

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' }, sec: { type: 'string', default: '12' }, variants: { type: 'string' } } });
const rounds = Number(values.rounds);
const secs = Number(values.sec);
const chosen = values.variants ? VARIANTS.filter((v) => values.variants!.split(',').includes(v.name)) : VARIANTS;
const log = (m: string) => process.stdout.write(`[bench:window] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const xd = await ensureXDisplay();
  const sim = await startSimulator({ extra: 16 });
  const cams = (await sim.cameras()).map((c) => c.id).slice(0, 16);
  const shell = await startWebShell();
  const api = await ApiClient.connect(shell.info.origin, shell.info.token);
  const text = JSON.stringify(cams.map((id) => ({ id: `w-${id}`.slice(0, 64), name: id, mainUrl: sim.url(id, 'sub'), kind: 'fixed', tags: ['bench'] })));
  await api.call('cameras.import', { format: 'json', text });
  await api.call('wall.setLayout', { displayId: 'main', layout: makePresetLayout('4x4', cams.map((id) => `w-${id}`.slice(0, 64)), 'bench', 'window cost') });
  const out = new Map<string, Array<Record<string, number>>>();
  try {
    for (let r = 0; r < rounds; r++) {
      for (const v of chosen) {
        const page = await launchPlainChromium(shell.info.url, { window: { display: xd.display, ...(v.flags ? { editArgs: v.flags } : {}) } });
        try {
          await waitFor('the wall page', () => page.evaluate<boolean>('window.__kuzet?.ready === true'), 60_000, 250);
          await sleep(8000); // warm-up: the wall's streams start and settle before the measured window
          if (v.page) await page.evaluate(v.page);
          const geometry = await page.evaluate<string>(`(() => { const c = document.querySelector('.wall-canvas'); const r = c.getBoundingClientRect(); return 'dpr ' + devicePixelRatio + ', window ' + innerWidth + 'x' + innerHeight + ', canvas ' + c.width + 'x' + c.height + ' shown at ' + r.width + 'x' + r.height; })()`);
          await sleep(2000); // settle after the page change, then the measured window starts
          const w0 = await page.evaluate<{ paints: number }>('window.__kuzet.work()');
          const root = page.proc.pid!;
          const cpu = await measureCpu((p) => {
            if (p.pid !== root && !(p.ancestry ?? []).includes(root)) return null;
            return /--type=([a-z-]+)/.exec(p.cmdline)?.[1] ?? 'browser';
          }, secs * 1000);
          const w1 = await page.evaluate<{ paints: number }>('window.__kuzet.work()');
          const paintsPerSec = (w1.paints - w0.paints) / secs;
          const gpu = cpu.byGroup['gpu-process'] ?? 0;
          const row = { gpu, renderer: cpu.byGroup.renderer ?? 0, browser: cpu.byGroup.browser ?? 0, paintsPerSec, gpuMsPerPaint: paintsPerSec > 0 ? (gpu * 10) / paintsPerSec : 0, busy: cpu.machineBusyPct };
          (out.get(v.name) ?? out.set(v.name, []).get(v.name)!).push(row);
          log(`round ${r + 1} ${v.name.padEnd(10)} gpu ${gpu.toFixed(1)} %  renderer ${row.renderer.toFixed(1)} %  browser ${row.browser.toFixed(1)} %  ${paintsPerSec.toFixed(1)} paints/s  ${row.gpuMsPerPaint.toFixed(2)} ms GPU per paint  machine ${row.busy.toFixed(0)} % busy  (${geometry})`);
        } finally {
          await page.close();
        }
      }
    }
  } finally {
    api.close();
    await shell.close();
    await sim.close();
    await xd.close();
  }
  log('summary (mean over rounds): variant, GPU process %, ms GPU per paint, paints/s');
  for (const v of chosen) {
    const l = out.get(v.name) ?? [];
    const mean = (k: string) => l.reduce((s, x) => s + (x[k] ?? 0), 0) / Math.max(1, l.length);
    log(`${v.name.padEnd(10)} ${mean('gpu').toFixed(1).padStart(5)} %  ${mean('gpuMsPerPaint').toFixed(2)} ms/paint  ${mean('paintsPerSec').toFixed(1)} paints/s  — ${v.why}`);
  }
}

main().catch((e: unknown) => { process.stderr.write(`[bench:window] failed: ${e instanceof Error ? e.stack : String(e)}\n`); process.exit(1); });
