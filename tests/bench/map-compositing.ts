/**
 * Where a pan or zoom step's first frame goes without a GPU (docs/map.md, "The pan/zoom frame: compositing the moved
 * pictures"): the map window alone in its app window on an X screen of its own (1,000 cameras, zoom 14, 50 units at
 * 2 Hz with 5-minute trails, as bench:map's map), then per variant of the probe's `setLayerHints` (off, on, in turn,
 * MAP_COMP_ROUNDS times each):
 *   - the composited layers while a moved picture stands in (DevTools LayerTree: each layer's element, size,
 *     whether it draws content, and how many times it was painted over a wheel step and over a drag step);
 *   - a Chromium trace (cc, viz, gpu, benchmark) over MAP_COMP_STEPS wheel steps, then as many drag steps
 *     (map-steps.ts): each busy thread's ms per step by trace event, and the steps' first-frame times.
 *   node scripts/bench-map-compositing.mjs
 */
import { loadavg } from 'node:os';
import type { PlainChromium } from '../support/plain-chromium.js';
import { openMapWindow, type MapWindow } from './map-window.js';
import { percentile } from '../support/procfs.js';
import { threadTimes, type TraceEvent } from '../support/chrome-trace.js';
import { PAN_ZOOM_STEPS, type StepRecord } from './map-steps.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const STEPS = Number(process.env.MAP_COMP_STEPS ?? 10);
const ROUNDS = Number(process.env.MAP_COMP_ROUNDS ?? 2);
const CATEGORIES = ['cc', 'viz', 'gpu', 'benchmark', 'toplevel', 'blink', 'disabled-by-default-devtools.timeline'];

interface CompositedLayer { layerId: string; parentLayerId?: string; backendNodeId?: number; width: number; height: number; drawsContent: boolean; invisible?: boolean; paintCount: number; transform?: number[] }

/** The page's composited layers now (LayerTree.layerTreeDidChange's latest list), each named by its element. */
async function layersNow(page: PlainChromium, latest: () => CompositedLayer[]): Promise<Array<CompositedLayer & { node: string }>> {
  const out: Array<CompositedLayer & { node: string }> = [];
  for (const l of latest()) {
    let node = '';
    if (l.backendNodeId) {
      try {
        const d = await page.send<{ node: { nodeName: string; attributes?: string[] } }>('DOM.describeNode', { backendNodeId: l.backendNodeId });
        const attrs = d.node.attributes ?? [];
        const cls = attrs[attrs.indexOf('class') + 1];
        node = `${d.node.nodeName.toLowerCase()}${attrs.includes('class') && cls ? '.' + cls.split(' ')[0] : ''}`;
      } catch { node = '?'; }
    }
    out.push({ ...l, node });
  }
  return out;
}

let win: MapWindow | null = null;
try {
  win = await openMapWindow({ zoom: 14 });
  const map = win.page;
  await win.units('bench-map-compositing');
  await sleep(4000);

  let latest: CompositedLayer[] = [];
  map.on('LayerTree.layerTreeDidChange', (p) => { const l = (p as { layers?: CompositedLayer[] }).layers; if (l) latest = l; });
  await map.send('DOM.enable');
  await map.send('DOM.getDocument', { depth: -1 });
  type Steps = { first: number[]; perStep: StepRecord[] };
  const p = (xs: number[], q: number) => { const v = percentile(xs, q); return v === null ? null : Math.round(v * 10) / 10; };
  // the variants: the probe's switch, or a style set on every map canvas in the page (experiments, not product switches)
  const VARIANTS: Record<string, string> = {
    plain: '',
    hints: 'window.__kuzetMap.setLayerHints(true)',
    pixelated: "document.querySelectorAll('canvas').forEach((c) => { c.style.imageRendering = 'pixelated'; })",
    nearest: 'window.__kuzetMap.setStandInNearest(true)',
    hintsNearest: 'window.__kuzetMap.setLayerHints(true); window.__kuzetMap.setStandInNearest(true)',
    hideEmpty: "document.querySelector('.map-moving canvas').style.visibility = 'hidden'",
  };
  const RESET = "window.__kuzetMap.setLayerHints(false); window.__kuzetMap.setStandInNearest(false); document.querySelectorAll('canvas').forEach((c) => { c.style.imageRendering = ''; }); document.querySelector('.map-moving canvas').style.visibility = ''";
  const chosen = (process.env.MAP_COMP_VARIANTS ?? 'plain,hints').split(',');
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of chosen) {
      const hints = variant;
      await map.evaluate(RESET);
      if (VARIANTS[variant]) await map.evaluate(VARIANTS[variant]);
      await sleep(1500);
      // the layers while a moved picture stands in, and their paints over one wheel step and one drag step
      await map.send('LayerTree.enable');
      await sleep(500);
      for (const kind of ['wheel', 'drag'] as const) {
        const before = new Map((await layersNow(map, () => latest)).map((l) => [l.layerId, l.paintCount]));
        await map.evaluate(`(async () => {
          const c = document.querySelector('.map-moving canvas'); const b = c.getBoundingClientRect();
          const cx = b.left + b.width / 2, cy = b.top + b.height / 2;
          const ptr = (type, x, y, buttons) => c.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, composed: true, pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: x, clientY: y, button: 0, buttons }));
          if ('${kind}' === 'wheel') c.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: cx + 200, clientY: cy - 100, deltaY: -100, deltaMode: 0 }));
          else { ptr('pointerdown', cx, cy, 1); ptr('pointermove', cx + 3, cy + 3, 1); ptr('pointermove', cx + 43, cy + 28, 1); }
          for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
          window.__compEnd = () => ptr('pointerup', cx + 43, cy + 28, 0);
        })()`);
        const during = await layersNow(map, () => latest);
        const standIn = await map.evaluate<{ sharp: boolean }>('window.__kuzetMap.standIn()');
        await map.evaluate(`('${kind}' === 'drag') && window.__compEnd()`);
        console.log(`layers=${hints} round ${round + 1} ${kind} (sharp now: ${standIn.sharp}): ${during.length} layers`);
        for (const l of during) if (l.drawsContent || l.width * l.height > 100_000) console.log(`  ${l.node || '(no node)'} ${l.width}x${l.height} draws=${l.drawsContent} invisible=${l.invisible ?? false} painted +${l.paintCount - (before.get(l.layerId) ?? l.paintCount)}${l.transform ? ' transform=' + l.transform.map((x) => Math.round(x * 100) / 100).join(',') : ''}`);
        await sleep(1000);
      }
      await map.send('LayerTree.disable');
      await sleep(500);
      for (const only of ['wheel', 'drag'] as const) {
        let r: Steps | null = null;
        const run = map.evaluate<Steps>(`(${PAN_ZOOM_STEPS})(${STEPS}, true, '${only}')`).then((x) => { r = x; });
        const started = Date.now();
        const traceMs = async () => { while (!r) await sleep(200); return Date.now() - started; };
        // trace for as long as the steps take (at most 60 s)
        const events = await (async () => {
          const collected: TraceEvent[] = [];
          const offData = map.on('Tracing.dataCollected', (q) => { collected.push(...(q as { value: typeof collected }).value); });
          const done = new Promise<void>((resolve) => { const off = map.on('Tracing.tracingComplete', () => { off(); resolve(); }); });
          await map.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordContinuously' } });
          await Promise.race([run, sleep(60_000)]);
          await map.send('Tracing.end');
          await done;
          offData();
          return collected;
        })();
        await run;
        const secs = (await traceMs()) / 1000;
        const steps = (r as Steps | null)?.perStep ?? [];
        const firsts = steps.map((s) => s.first);
        console.log(`layers=${hints} round ${round + 1} ${only}: ${steps.length} steps, first p50 ${p(firsts, 50)} p95 ${p(firsts, 95)} max ${p(firsts, 100)} ms [${firsts.join(' ')}], load ${loadavg()[0]?.toFixed(2)}`);
        // the display compositor's frames (Viz, software): how long each took to draw, and its quads
        const viz = events.filter((e) => e.ph === 'X' && e.name === 'DirectRenderer::DrawFrame').map((e) => (e.dur ?? 0) / 1000);
        const swap = events.filter((e) => e.ph === 'X' && /SwapBuffers|EndPaint|PutImage|Present/.test(e.name)).map((e) => (e.dur ?? 0) / 1000);
        console.log(`  viz frames ${viz.length} (${(viz.length / Math.max(1, steps.length)).toFixed(1)}/step), DrawFrame ms p50 ${p(viz, 50)} p95 ${p(viz, 95)} max ${p(viz, 100)}; present ms p50 ${p(swap, 50)} p95 ${p(swap, 95)} (${swap.length})`);
        const perStep = threadTimes(events, secs).filter((t) => t.busyMsPerS >= 2).slice(0, 6);
        for (const t of perStep) console.log(`  ${t.thread}: ${((t.busyMsPerS * secs) / Math.max(1, steps.length)).toFixed(1)} ms/step; ${t.self.slice(0, 8).map(([n, ms]) => `${n} ${((ms * secs) / Math.max(1, steps.length)).toFixed(1)}`).join(', ')}`);
      }
    }
  }
} finally {
  await win?.close();
}
