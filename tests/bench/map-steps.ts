/**
 * Pan and zoom the map window by input, as a hand does (benchmarks only): pointer and wheel events dispatched on the
 * map's moving canvas inside the page, so deck.gl's controller turns them into view changes exactly as it does a
 * mouse's. Each source below is a function expression evaluated in the map page (window.__kuzetMap is its probe).
 *
 * A step's two times, both from just before the event is dispatched, to the first animation frame after the frame
 * that contained the change (the change was then composited, or queued to be):
 * - first: the first frame showing the new view at all: a moved picture (map-decks.ts) or a deck draw;
 * - sharp: both canvases drawn for the new view, no moved picture left.
 */

/** How long before a step's event a canvas's draw counts as in flight when the step came (a deck draw holds the GPU process ~50-100 ms without a GPU). */
export const STEP_DRAWS_BEFORE_MS = 200;

/** One timed step: its times (ms from the event) and the draws from STEP_DRAWS_BEFORE_MS before it to its first frame (atMs from the event, negative before it). */
export interface StepRecord {
  name: string; first: number; sharp: number; draws: Array<{ canvas: string; atMs: number; ms: number }>;
  /** How long dispatching the event took (deck's controller, the view change and what it calls synchronously), ms. */
  actMs?: number;
  /** The animation frames (rAF callbacks, ms from the event) up to the first frame. */
  frames?: number[];
  /**
   * Long animation frames (the renderer main thread over 50 ms, PerformanceObserver 'long-animation-frame') from
   * STEP_DRAWS_BEFORE_MS before the event to its first frame: `start+duration` (ms from the event), the rendering part, and
   * its longest scripts.
   */
  longFrames?: string[];
  /** The two longest of them after the first frame up to the sharp one (what the sharp draw waited for). */
  sharpLongFrames?: string[];
}

/**
 * `(steps, standIn, only?) => Promise<{ first: number[]; sharp: number[]; unchanged: number; unchangedSteps: string[]; perStep: StepRecord[] }>`:
 * half wheel zooms, half drag moves (`only`: 'wheel' or 'drag', all steps of that kind). `perStep`: each timed step's times and the canvases' draws (the probe's `drawLog`)
 * that started from STEP_DRAWS_BEFORE_MS before its event to its first frame (a draw in flight when the step came).
 */
export const PAN_ZOOM_STEPS = `async (steps, standIn, only) => {
  const m = window.__kuzetMap;
  m.setStandIn(standIn);
  const canvas = document.querySelector('.map-moving canvas');
  const box = canvas.getBoundingClientRect();
  const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
  const raf = () => new Promise((r) => requestAnimationFrame(r));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const ptr = (type, x, y, buttons) => canvas.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, composed: true, pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: x, clientY: y, button: 0, buttons }));
  const wheel = (x, y, dy) => canvas.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: x, clientY: y, deltaY: dy, deltaMode: 0 }));
  const untilSharp = async () => { const t = performance.now(); while (!m.standIn().sharp && performance.now() - t < 5000) await raf(); await raf(); };
  const first = [], sharp = [];
  let unchanged = 0;
  const unchangedSteps = [];
  const perStep = [];
  const loafs = [];
  let observer = null;
  try {
    observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) { loafs.push(e); if (loafs.length > 200) loafs.shift(); } });
    observer.observe({ type: 'long-animation-frame', buffered: false });
  } catch { observer = null; }
  const measure = async (name, act) => {
    await untilSharp();
    await sleep(100);
    const ref = m.project(76.93, 43.24);
    const s0 = m.standIn().standIns, r0 = m.redraws();
    const t0 = performance.now();
    act();
    const actMs = performance.now() - t0;
    const frames = [];
    let seenFirst = false, seenSharp = false, tFirst = null, tSharp = null;
    while (performance.now() - t0 < 5000) {
      await raf();
      const now = performance.now();
      if (tFirst === null) frames.push(Math.round((now - t0) * 10) / 10);
      if (seenFirst && tFirst === null) tFirst = now - t0;
      if (seenSharp) { if (tFirst === null) tFirst = now - t0; tSharp = now - t0; break; }
      const c = m.standIn();
      if (!seenFirst && (c.standIns !== s0 || m.redraws() !== r0)) seenFirst = true;
      if (c.sharp && m.redraws() !== r0) seenSharp = true;
    }
    const draws = (m.drawLog ? m.drawLog(t0 - ${STEP_DRAWS_BEFORE_MS}) : [])
      .filter((d) => tFirst === null || d.atMs - t0 <= tFirst)
      .map((d) => ({ canvas: d.canvas, atMs: Math.round(d.atMs - t0), ms: Math.round(d.ms * 10) / 10 }));
    const r1 = (x) => Math.round(x);
    const loafText = (e) => r1(e.startTime - t0) + '+' + r1(e.duration) + ' render@' + r1(e.renderStart - e.startTime) + ' blocking ' + r1(e.blockingDuration)
        + ' ' + [...(e.scripts || [])].sort((a, b) => b.duration - a.duration).slice(0, 3).map((sc) => (sc.invoker || sc.invokerType) + ' ' + (sc.sourceFunctionName || '') + '@' + String(sc.sourceURL || '').split('/').pop() + ':' + sc.sourceCharPosition + ' ' + r1(sc.duration) + (sc.forcedStyleAndLayoutDuration ? ' layout ' + r1(sc.forcedStyleAndLayoutDuration) : '')).join('; ');
    const longFrames = loafs.filter((e) => e.startTime + e.duration >= t0 - ${STEP_DRAWS_BEFORE_MS} && (tFirst === null || e.startTime - t0 <= tFirst)).map(loafText);
    // after the first frame up to the sharp one: the two longest (what the sharp draw waited for)
    const sharpLongFrames = tFirst === null || tSharp === null ? [] : loafs.filter((e) => e.startTime - t0 > tFirst && e.startTime - t0 <= tSharp)
      .sort((a, b) => b.duration - a.duration).slice(0, 2).map(loafText);
    const moved = m.project(76.93, 43.24);
    // a step that did not move the view is not timed (what drew then was the units, not the step)
    if (!ref || !moved || Math.hypot(moved[0] - ref[0], moved[1] - ref[1]) < 1) { unchanged += 1; unchangedSteps.push(name); return; }
    if (tSharp !== null) { first.push(tFirst); sharp.push(tSharp); perStep.push({ name, first: Math.round(tFirst * 10) / 10, sharp: Math.round(tSharp * 10) / 10, draws, actMs: Math.round(actMs * 10) / 10, frames, longFrames, sharpLongFrames }); }
  };
  const half = only === 'wheel' ? steps : only === 'drag' ? 0 : Math.ceil(steps / 2);
  for (let i = 0; i < half; i++) await measure('wheel ' + i, () => wheel(cx + 200, cy - 100, i % 2 ? 100 : -100));
  if (half < steps) ptr('pointerdown', cx, cy, 1);
  if (half < steps) ptr('pointermove', cx + 3, cy + 3, 1);
  let x = cx + 3, y = cy + 3;
  for (let i = 0; i < steps - half; i++) {
    const dx = i % 2 ? -40 : 40, dy = i % 4 < 2 ? 25 : -25;
    await measure('drag ' + i, () => { x += dx; y += dy; ptr('pointermove', x, y, 1); });
  }
  if (half < steps) ptr('pointerup', x, y, 0);
  m.setStandIn(true);
  await untilSharp();
  observer?.disconnect();
  return { first, sharp, unchanged, unchangedSteps, perStep };
}`;

/**
 * `(mode, ms) => Promise<void>`: keeps the view changing for `ms`: `zoom` a small wheel zoom 4 times a second (about
 * 0.06 of a zoom level, in and out in turn), `drag` a held drag moving every 16 ms (back and forth, 60 px).
 */
export const KEEP_CHANGING = `async (mode, ms) => {
  const canvas = document.querySelector('.map-moving canvas');
  const box = canvas.getBoundingClientRect();
  const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
  const ptr = (type, x, y, buttons) => canvas.dispatchEvent(new PointerEvent(type, { bubbles: true, cancelable: true, composed: true, pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: x, clientY: y, button: 0, buttons }));
  const end = performance.now() + ms;
  if (mode === 'zoom') {
    let n = 0;
    while (performance.now() < end) {
      canvas.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, clientX: cx, clientY: cy, deltaY: n++ % 2 ? 8 : -8, deltaMode: 0 }));
      await new Promise((r) => setTimeout(r, 250));
    }
    return;
  }
  ptr('pointerdown', cx, cy, 1);
  let n = 0;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 16)); // a mouse's rate, whatever the map draws
    const phase = (n++ % 60) / 60;
    ptr('pointermove', cx + 60 * Math.sin(2 * Math.PI * phase), cy, 1);
  }
  ptr('pointerup', cx, cy, 0);
}`;
