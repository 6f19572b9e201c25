// `node scripts/bench-map.mjs [--quick]`: the map benchmark (issue 10 §6), writes bench/results/map.json (map.quick.json with --quick).
// Minimal runner for the units part (tests/bench/map-units.ts); the plates part (route query figures) merges into it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureAll, root } from './ensure.mjs';

ensureAll();
const entry = `
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchMapUnits } from './tests/bench/map-units.ts';
const quick = process.argv.includes('--quick');
const units = await benchMapUnits({ quick });
const out = { camerasOnMap: units.camerasOnMap, units: units.units, wallFpsMinWithMap: units.wallFpsMinWithMap,
  mapExtraCpuPct: units.mapExtraCpuPct, mapFrameP95Ms: units.mapFrameP95Ms, routeQueryP99Ms: null, plateReads: null,
  mapIdleCpuPct: units.mapIdleCpuPct, mapIdleRedrawsPerS: units.mapIdleRedrawsPerS, mapMovingRedrawsPerS: units.mapMovingRedrawsPerS, machineBusyPct: units.machineBusyPct, loadAverage1m: units.loadAverage1m,
  quick, at: new Date().toISOString(), notes: units.notes };
mkdirSync(join(process.cwd(), 'bench/results'), { recursive: true });
const file = join(process.cwd(), 'bench/results', quick ? 'map.quick.json' : 'map.json');
writeFileSync(file, JSON.stringify(out, null, 2) + '\\n');
console.log(JSON.stringify(out, null, 2));
`;
await build({ stdin: { contents: entry, resolveDir: root, sourcefile: 'bench-map-entry.ts', loader: 'ts' }, outfile: join(root, 'dist/bench/map.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const r = spawnSync(process.execPath, [join(root, 'dist/bench/map.mjs'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
