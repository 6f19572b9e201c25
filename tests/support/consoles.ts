/**
 * Consoles started one after another in one test (a package made on console A, imported on console B): each a web
 * shell on its own data dir, signed in, with its API client. Data dirs made by `tmp` are removed by `cleanup`
 * (kept with KZ_KEEP=1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSimulator, type Simulator } from '../../native/simulator/control.js';
import { ApiClient } from './api-client.js';
import { startWebShell, type RunningShell } from './harness.js';

export class Consoles {
  shell: RunningShell | undefined;
  api: ApiClient | undefined;
  private readonly dirs: string[] = [];

  tmp(prefix: string): string { const d = mkdtempSync(join(tmpdir(), prefix)); this.dirs.push(d); return d; }

  async start(dataDir: string): Promise<ApiClient> {
    this.shell = await startWebShell({ dataDir, env: { KUZET_MQTT_PORT: '0' } });
    this.api = await ApiClient.connect(this.shell.info.origin, this.shell.info.token);
    return this.api;
  }

  async stop(): Promise<void> {
    this.api?.close(); this.api = undefined;
    await this.shell?.close(); this.shell = undefined;
  }

  async cleanup(): Promise<void> {
    await this.stop();
    if (!process.env.KZ_KEEP) for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

/**
 * A test file's consoles and a simulator with one extra camera (`cam-extra-01`) for them to record: the simulator starts
 * before the file's tests; after them the running console stops, the simulator closes and the data dirs go.
 */
export function consolesWithCamera(): { consoles: Consoles; sim(): Simulator } {
  const consoles = new Consoles();
  let sim: Simulator | undefined;
  beforeAll(async () => { sim = await startSimulator({ camerasFile: 'none', extra: 1 }); }, 120_000);
  afterAll(async () => {
    await consoles.stop();
    await sim?.close();
    await consoles.cleanup();
  });
  return { consoles, sim: () => { if (!sim) throw new Error('the simulator has not started'); return sim; } };
}
