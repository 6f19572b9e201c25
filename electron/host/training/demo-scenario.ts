/**
 * The demo city's sample scenario (resources/training/demo-scenario.json): stored on the demo's first start, its footage
 * range set to that start (the demo records its first cameras from then on). Validated like any scenario; a file that
 * does not validate is logged and skipped, never a crash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scenario } from '../../contract/training/scenario-schema.js';
import type { Logger } from '../log.js';
import { ScenarioStore, trainingFile } from './scenario-store.js';
import { describeIssues } from './training-module.js';

export const DEMO_SCENARIO_FILE = (root: string) => join(root, 'resources', 'training', 'demo-scenario.json');

/** Reads and validates the sample scenario with its footage from `fromMs`; throws with the problem named. */
export function readDemoScenario(root: string, fromMs: number): Scenario {
  const p = Scenario.safeParse({ ...(JSON.parse(readFileSync(DEMO_SCENARIO_FILE(root), 'utf8')) as object), source: { kind: 'recording', fromMs } });
  if (!p.success) throw new Error(`the demo scenario is not valid: ${describeIssues(p.error.issues)}`);
  return p.data;
}

/** Stores the sample scenario unless the demo already has it. */
export function seedDemoScenario(o: { root: string; dataDir: string; log: Logger; now?: number }): void {
  const store = new ScenarioStore(trainingFile(o.dataDir), o.log);
  try {
    const s = readDemoScenario(o.root, o.now ?? Date.now());
    if (store.get(s.id)) return;
    store.save(s, 'demo', o.now ?? Date.now());
    o.log.info('demo training scenario stored', { id: s.id });
  } catch (err) {
    o.log.warn('demo training scenario skipped', { error: err instanceof Error ? err.message : String(err) });
  } finally { store.close(); }
}
