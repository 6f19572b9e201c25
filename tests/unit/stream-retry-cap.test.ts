/**
 * A training session camera's stream retries at least every 2 s (training-cameras.ts `SESSION_RETRY_CAP_MS`), through
 * the real stream service and supervisor: its resolved camera's `retryCapMs` caps the back-off that a production
 * camera's stream keeps (1 s, 5 s, 10 s, then a minute). The media worker is a stand-in that fails at once (its source
 * is refused), so both streams keep retrying; the two are compared in one run, so a slow machine slows both alike.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/host/log.js';
import { StreamService } from '../../electron/host/streams/service.js';
import { SESSION_RETRY_CAP_MS } from '../../electron/host/training/training-cameras.js';
import { waitFor } from '../support/harness.js';

const SESSION = 'tr~ts-1~cam-a';
const PRODUCTION = 'cam-a';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kuzet-retry-cap-'));
  // stands in for media_worker.py: reads its configuration and fails, as a worker whose source refuses it
  writeFileSync(join(dir, 'worker.mjs'), `process.stdin.once('data', () => { process.stderr.write('could not connect\\n'); process.exit(1); });`);
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('a session camera\'s retries', () => {
  it('come at least every 2 s while a production camera\'s back off (1 s, 5 s, 10 s...)', async () => {
    const svc = new StreamService({
      resolve: (id) => (id === SESSION ? { mainUrl: 'rtsp://127.0.0.1:9/cam-a', retryCapMs: SESSION_RETRY_CAP_MS } : { mainUrl: 'rtsp://127.0.0.1:9/cam-a' }),
      python: process.execPath, workerPath: join(dir, 'worker.mjs'), governor: false, cores: 2, tag: 'kuzet-retry-cap-test', log: createLogger({ quiet: true }),
    });
    const retries = (id: string) => svc.statuses().find((s) => s.cameraId === id)?.counters.retries ?? 0;
    try {
      svc.setDemand('c1', [{ cameraId: SESSION, width: 320, height: 180 }, { cameraId: PRODUCTION, width: 320, height: 180 }]);
      // four retries of the session camera: after about 1 + 2 + 2 + 2 s. By then the production camera has retried
      // twice (after 1 s, then 5 s more); its third comes 10 s after that. Without the cap the session camera would
      // need 76 s (1 + 5 + 10 + 60) for four.
      await waitFor('four retries of the session camera', () => (retries(SESSION) >= 4 ? true : null), 60_000, 50);
      const production = retries(PRODUCTION);
      expect(production, `session ${retries(SESSION)}, production ${production}`).toBeGreaterThanOrEqual(1);
      expect(production, `session ${retries(SESSION)}, production ${production}`).toBeLessThanOrEqual(2);
      expect(svc.statuses().find((s) => s.cameraId === SESSION)?.state).not.toBe('live');
    } finally {
      await svc.stopAll();
    }
  }, 90_000);
});
