/**
 * Where the suite's time goes, per test file: a vitest reporter (scripts/test.mjs adds it) that writes
 * tests/.artifacts/timings.json (timings-<project>.json when `npm test` runs projects side by side) and prints the slowest files. vitest's JSON report only spans the tests themselves;
 * this one also counts the file's import and its beforeAll/afterAll hooks (starting the simulator, the web shell,
 * Chromium), so fixed set-up and the checks can be told apart (docs/testing.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export interface FileTiming {
  file: string;
  project: string;
  /** The file's whole run (seconds): vitest's preparation, the import, hooks and tests. */
  wall: number;
  /** Importing the file and everything it imports. */
  import: number;
  /** The tests' own durations, summed (what vitest's JSON report shows per file; concurrent tests overlap). */
  tests: number;
  /** Hooks: the rest of the file's run (beforeAll/afterAll/beforeEach: the fixture's set-up and tear-down). */
  hooks: number;
  count: number;
  state: string;
}

const ROOT = join(import.meta.dirname, '..', '..');

export default class TimingReporter implements Reporter {
  private readonly rows: FileTiming[] = [];
  private t0 = Date.now();

  onTestRunStart(): void { this.t0 = Date.now(); }

  onTestModuleEnd(m: TestModule): void {
    const d = m.diagnostic();
    let tests = 0, count = 0;
    for (const t of m.children.allTests()) { tests += t.diagnostic()?.duration ?? 0; count++; }
    const wall = d.environmentSetupDuration + d.prepareDuration + d.setupDuration + d.collectDuration + d.duration;
    const s = (ms: number) => Math.round(ms / 100) / 10;
    this.rows.push({ file: relative(ROOT, m.moduleId), project: m.project.name, wall: s(wall), import: s(d.collectDuration),
      tests: s(tests), hooks: s(Math.max(0, d.duration - tests)), count, state: m.state() });
  }

  onTestRunEnd(): void {
    const rows = [...this.rows].sort((a, b) => b.wall - a.wall);
    const total = Math.round((Date.now() - this.t0) / 1000);
    const dir = join(ROOT, 'tests', '.artifacts');
    mkdirSync(dir, { recursive: true });
    // one file per vitest run: `npm test` runs integration and end-to-end side by side (timings-integration.json, timings-e2e.json)
    writeFileSync(join(dir, `timings${process.env.KUZET_TIMINGS_TAG ?? ''}.json`), JSON.stringify({ total, files: rows }, null, 1) + '\n');
    if (rows.length < 2) return;
    const line = (r: FileTiming) => `${r.wall.toFixed(1).padStart(7)} ${r.import.toFixed(1).padStart(6)} ${r.hooks.toFixed(1).padStart(6)} ${r.tests.toFixed(1).padStart(6)}  ${r.file}`;
    console.log(`[timings] slowest files (s): wall, import, hooks, tests; the run took ${total} s\n${rows.slice(0, 15).map(line).join('\n')}`);
  }
}
