/**
 * The demo city's sample scenario (resources/training/demo-scenario.json): its footage is the demo's latest recordings
 * (`recent`: a session plays from a few seconds before its start, so the demo's storage limit, which keeps minutes, never
 * takes it away). Stored on the demo's start, and stored again when the file changed (an older sample, which played a
 * fixed range retention had long deleted) unless a trainer saved their own version over it. Validated like any
 * scenario; a file that does not validate is logged and skipped, never a crash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Scenario } from '../../contract/training/scenario-schema.js';
import type { Logger } from '../log.js';
import { ScenarioStore, trainingFile } from './scenario-store.js';
import { describeIssues } from './training-module.js';

export const DEMO_SCENARIO_FILE = (root: string) => join(root, 'resources', 'training', 'demo-scenario.json');
/** Who stores the sample: a scenario saved by anyone else is a trainer's, left as it is. */
const DEMO_SAVER = 'demo';

/** Reads and validates the sample scenario; throws with the problem named. */
export function readDemoScenario(root: string): Scenario {
  const p = Scenario.safeParse(JSON.parse(readFileSync(DEMO_SCENARIO_FILE(root), 'utf8')));
  if (!p.success) throw new Error(`the demo scenario is not valid: ${describeIssues(p.error.issues)}`);
  return p.data;
}

/** Stores the sample scenario when the demo lacks it or holds an older sample of its own. */
export function seedDemoScenario(o: { root: string; dataDir: string; log: Logger; now?: number }): void {
  const store = new ScenarioStore(trainingFile(o.dataDir), o.log);
  try {
    const s = readDemoScenario(o.root);
    const had = store.get(s.id);
    if (had && (store.savedBy(s.id) !== DEMO_SAVER || JSON.stringify(had) === JSON.stringify(s))) return;
    store.save(s, DEMO_SAVER, o.now ?? Date.now());
    o.log.info(had ? 'demo training scenario updated' : 'demo training scenario stored', { id: s.id });
  } catch (err) {
    o.log.warn('demo training scenario skipped', { error: err instanceof Error ? err.message : String(err) });
  } finally { store.close(); }
}
