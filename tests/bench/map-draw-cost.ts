/**
 * What one map draw costs without a GPU (docs/map.md, "What a draw costs"): the map window alone in its app window on
 * an X screen of its own, 1,000 cameras placed over the district, zoom 14, then 10 s of one of
 *   idle    nothing changes (draw on change: about no draws),
 *   zoom    a small wheel zoom 4 times a second (map-steps.ts; before 2026-12-05 a jump of the probe's zoomTo),
 *   drag    a held drag moving every 16 ms, as a mouse does (map-steps.ts),
 *   moving  50 units reporting twice a second over MQTT with 5-minute trails (the moving canvas redrawn): as built
 *           (units and alarms drawn with Canvas 2D when WebGL is software: flat-moving.ts) and with deck drawing them on
 *           the moving canvas (as before 2026-12-05 afternoon), alternating, three times each; MAP_DRAW_MOVING=all adds
 *           the older A/Bs (the whole map window re-rendered per report: MovingUnits.tsx; every trail on the moving
 *           canvas: trail-split.ts; without the clip: moving-clip.ts; every trail point: trail-simplify.ts).
 * Prints CPU of the map browser's processes by type and by thread, frames drawn a second, GPU-process ms per drawn frame
 * (the ratio the machine's load disturbs least) and the renderer's hottest JavaScript functions. `zoom` and `drag` measure twice
 * in one run: every view change drawn (the moved pictures off), then with moved pictures standing in (map-decks.ts).
 * MAP_DRAW_WIRE=1: the moving A/B is the units' wire instead (docs/map.md "Units on the wire"): deltas as built against
 * every unit whole in every message (the host's benchmark switch KUZET_UNITS_WIRE=ab and a file in its data folder).
 * MAP_DRAW_ROUNDS=n: n rounds of the moving A/B instead of 3; MAP_DRAW_PROFILE=0: no JS profile (its thread costs 3-4 %). MAP_DRAW_TRACE=1 adds, after each variant, 5 s of a Chromium trace: each busy thread's ms a second by trace event.
 *   node scripts/bench-map-draw.mjs [idle|zoom|drag|moving]
 */
import { loadavg } from 'node:os';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openMapWindow, type MapWindow } from './map-window.js';
import { measureCpu, measureThreads, tree, type ProcInfo } from '../support/procfs.js';
import { KEEP_CHANGING } from './map-steps.js';
import { threadTimes, traceFor } from '../support/chrome-trace.js';
import type { CpuProfileNode } from './cpu-profile.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mode = process.argv[2] ?? 'zoom';
if (!['idle', 'zoom', 'drag', 'moving'].includes(mode)) throw new Error(`mode ${mode}: expected idle, zoom, drag or moving`);

let win: MapWindow | null = null;
try {
  const wireAB = process.env.MAP_DRAW_WIRE === '1';
  // MAP_DRAW_ZOOM: another zoom than 14 (the same trails longer or shorter on screen)
  win = await openMapWindow({ ...(wireAB ? { env: { KUZET_UNITS_WIRE: 'ab' } } : {}), zoom: Number(process.env.MAP_DRAW_ZOOM ?? 14) });
  const { api, shell, page: map } = win;
  await sleep(3000);
  const root = map.proc.pid!;
  const classify = (p: ProcInfo) => (p.pid === root || p.ancestry?.includes(root) ? /--type=([a-z-]+)/.exec(p.cmdline)?.[1] ?? 'browser' : null);
  if (mode === 'moving') {
    // full 5-minute trails from the start for every variant, as an operator sees them after 5 minutes
    await win.units('bench-map-draw');
    await sleep(4000);
    console.log(`trail points per unit: ${JSON.stringify((await api.call('units.list', {})).units.map((u) => u.track.length).slice(0, 5))}`);
  }
  const draws = () => map.evaluate<number>('window.__kuzetMap.redraws()');
  const standIns = () => map.evaluate<number>('window.__kuzetMap.standIn().standIns');
  // `moving` measures, in one run and twice in turn, the moving canvas as built (clipped to what it draws: moving-clip.ts;
  // trails with the points the zoom tells apart: trail-simplify.ts), without the clip, and with every trail point
  type Variant = { name: string; standIn: boolean; clip?: boolean; fullTrails?: boolean; trailCanvas?: boolean; unitsEveryReport?: boolean; flat?: boolean; wholeUnits?: boolean };
  const allMoving = process.env.MAP_DRAW_MOVING === 'all';
  const variants: Variant[] = mode === 'zoom' || mode === 'drag'
    ? [{ name: 'every change drawn', standIn: false }, { name: 'moved pictures', standIn: true }]
    : mode === 'moving' && wireAB
      ? Array.from({ length: Number(process.env.MAP_DRAW_ROUNDS ?? 3) }, (_, i) => i).flatMap((round) => [
        { name: `units' deltas to watchers (as built) #${round + 1}`, standIn: true, wholeUnits: false },
        { name: `every unit whole to every connection (before) #${round + 1}`, standIn: true, wholeUnits: true },
      ])
    : mode === 'moving'
      ? Array.from({ length: Number(process.env.MAP_DRAW_ROUNDS ?? 3) }, (_, i) => i).flatMap((round) => [
        { name: `as built (units and alarms with Canvas 2D, trails canvas, clip, simplified trails) #${round + 1}`, standIn: true, clip: true, fullTrails: false, trailCanvas: true, unitsEveryReport: false, flat: true },
        { name: `units and alarms drawn by deck on the moving canvas #${round + 1}`, standIn: true, clip: true, fullTrails: false, trailCanvas: true, unitsEveryReport: false, flat: false },
        ...(allMoving ? [{ name: `whole map window re-rendered per report #${round + 1}`, standIn: true, clip: true, fullTrails: false, trailCanvas: true, unitsEveryReport: true, flat: false },
          { name: `trails on the moving canvas #${round + 1}`, standIn: true, clip: true, fullTrails: false, trailCanvas: false, unitsEveryReport: false, flat: false },
          { name: `clip off #${round + 1}`, standIn: true, clip: false, fullTrails: false, trailCanvas: false, unitsEveryReport: false, flat: false },
          { name: `every trail point #${round + 1}`, standIn: true, clip: true, fullTrails: true, trailCanvas: false, unitsEveryReport: false, flat: false }] : []),
      ])
      : [{ name: 'as built', standIn: true }];
  for (const v of variants) {
    // (a build before these has neither switch: its variants all measure the map as it was)
    if (v.clip !== undefined) await map.evaluate(`window.__kuzetMap.setMovingClip?.(${v.clip})`);
    if (v.fullTrails !== undefined) await map.evaluate(`window.__kuzetMap.setFullTrails?.(${v.fullTrails})`);
    if (v.trailCanvas !== undefined) await map.evaluate(`window.__kuzetMap.setTrailCanvas?.(${v.trailCanvas})`);
    if (v.unitsEveryReport !== undefined) await map.evaluate(`window.__kuzetMap.setUnitsEveryReport?.(${v.unitsEveryReport})`);
    if (v.flat !== undefined) await map.evaluate(`window.__kuzetMap.setFlatMoving?.(${v.flat})`);
    if (v.wholeUnits !== undefined) { if (v.wholeUnits) writeFileSync(join(shell.dataDir, 'units-wire-whole'), ''); else rmSync(join(shell.dataDir, 'units-wire-whole'), { force: true }); }
    await map.evaluate(`window.__kuzetMap.setStandIn(${v.standIn})`);
    await sleep(1000);
    const d0 = await draws();
    const by0 = await map.evaluate<Record<string, number> | null>('window.__kuzetMap.drawsBy?.() ?? null');
    const s0 = await standIns();
    // MAP_DRAW_PROFILE=0: no JS profile (its V8 thread costs the renderer 3-4 % of a core)
    const profiling = process.env.MAP_DRAW_PROFILE !== '0';
    if (profiling) {
      await map.send('Profiler.enable');
      await map.send('Profiler.start');
    }
    const driving = mode === 'zoom' || mode === 'drag' ? map.evaluate(`(${KEEP_CHANGING})('${mode}', 10500)`) : Promise.resolve();
    const ours = new Map(tree(root).map((p) => [p.pid, /--type=([a-z-]+)/.exec(p.cmdline)?.[1] ?? 'browser'] as const));
    const [cpu, threads] = await Promise.all([measureCpu(classify, 10_000), measureThreads((p) => ours.get(p.pid) ?? null, 10_000)]);
    await driving;
    const prof = profiling ? await map.send<{ profile: { nodes: CpuProfileNode[] } }>('Profiler.stop') : { profile: { nodes: [] as CpuProfileNode[] } };
    const drawsPerS = (await draws() - d0) / 10;
    const by1 = await map.evaluate<Record<string, number> | null>('window.__kuzetMap.drawsBy?.() ?? null');
    const drawsPerSByCanvas = by0 && by1 ? Object.fromEntries(Object.keys(by1).map((k) => [k, ((by1[k] ?? 0) - (by0[k] ?? 0)) / 10])) : null;
    const standInsPerS = (await standIns() - s0) / 10;
    const gpu = cpu.byGroup['gpu-process'] ?? 0;
    const self = new Map<string, number>();
    let total = 0;
    for (const n of prof.profile.nodes) {
      const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(k, (self.get(k) ?? 0) + (n.hitCount ?? 0));
      total += n.hitCount ?? 0;
    }
    const mapCpuPct = Object.values(cpu.byGroup).reduce((a, b) => a + b, 0);
    const flatNow = await map.evaluate<unknown>('window.__kuzetMap.flatMoving?.() ?? null');
    console.log(JSON.stringify({ mode, variant: v.name, flatMoving: flatNow, mapCpuPct, cpuByProcessType: cpu.byGroup, machineBusyPct: cpu.machineBusyPct, loadAverage1m: loadavg()[0], drawsPerS, drawsPerSByCanvas, standInsPerS, gpuMsPerDraw: drawsPerS > 0 ? (10 * gpu) / drawsPerS : null }, null, 2));
    // where inside the processes the time went (thread names from /proc: CrRendererMain, VizCompositorThread, ...)
    console.log(Object.entries(threads).filter(([, pct]) => pct >= 0.5).sort((a, b) => b[1] - a[1]).map(([k, pct]) => `${pct.toFixed(1)} %  ${k}`).join('\n'));
    console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, n]) => `${((100 * n) / Math.max(1, total)).toFixed(1)} %  ${k}`).join('\n'));
    // the same profile by inclusive time (a function and what it called, each function counted once per stack)
    if (process.env.MAP_DRAW_TRACE && profiling) {
      const byId = new Map(prof.profile.nodes.map((n) => [n.id, n]));
      const incl = new Map<string, number>();
      const walk = (id: number, onStack: Set<string>): number => {
        const n = byId.get(id)!;
        const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
        const fresh = !onStack.has(k);
        if (fresh) onStack.add(k);
        let hits = n.hitCount ?? 0;
        for (const c of n.children ?? []) hits += walk(c, onStack);
        if (fresh) { onStack.delete(k); incl.set(k, (incl.get(k) ?? 0) + hits); }
        return hits;
      };
      walk(prof.profile.nodes[0]!.id, new Set());
      console.log('inclusive: ' + [...incl].filter(([k]) => !k.startsWith('(')).sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, n]) => `${((100 * n) / Math.max(1, total)).toFixed(2)} % ${k}`).join('\n  '));
    }
    // MAP_DRAW_TRACE=1: then 5 s of a Chromium trace (no JS profile running): each busy thread's time by trace event
    if (process.env.MAP_DRAW_TRACE) {
      const traced = threadTimes(await traceFor(map, 5000), 5).filter((t) => t.busyMsPerS >= 3).slice(0, 6);
      for (const t of traced) console.log(`trace ${t.thread}: ${t.busyMsPerS.toFixed(1)} ms/s busy; self ms/s: ${t.self.slice(0, 12).map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')}`);
    }
  }
} finally {
  // everything this run started goes, also when it failed half-way (an orphaned host once spun a core for an hour)
  await win?.close();
}
