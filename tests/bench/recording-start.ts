/**
 * `npm run bench:recstart [-- --starts 5 --sec 25]`: how often the demo's recording fails at start-up (docs/recording.md,
 * "Time stamps that go back"). Each start is a fresh demo web shell (`startWebShell({ demo: true })`: the simulator,
 * the host, its media workers recording the demo's 4 cameras, main and sub-stream) watched for `sec` seconds: the
 * recording status every 0.5 s, then the host's log searched for splitmuxsink's "Queued GOP time is negative" (a
 * recording that failed, main or sub-stream) and for "recording re-timed" (a step back that the recorder handled).
 * KUZET_MEDIA_WORKER=<another checkout>/native/worker/media_worker.py measures another worker (the old code).
 * Prints one JSON line per start and a total; writes bench/results/recording-start.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../support/api-client.js';
import { ROOT, startWebShell } from '../support/harness.js';

const arg = (name: string, dflt: number) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
const starts = arg('starts', 5);
const sec = arg('sec', 25);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const runs: { start: number; negativeGop: number; retimed: number; camerasInError: string[]; load1: number }[] = [];
for (let i = 0; i < starts; i++) {
  const shell = await startWebShell({ demo: true });
  const api = await ApiClient.connect(shell.info.origin, shell.info.token);
  const t0 = Date.now();
  const inError = new Set<string>();
  while (Date.now() - t0 < sec * 1000) {
    for (const s of await api.call('recording.status', {})) if (s.state === 'error') inError.add(s.cameraId);
    await sleep(500);
  }
  const log = shell.stderr().split('\n');
  const run = { start: i, negativeGop: log.filter((l) => l.includes('GOP time is negative')).length,
    retimed: log.filter((l) => l.includes('recording re-timed')).length, camerasInError: [...inError], load1: loadavg()[0] ?? 0 };
  runs.push(run);
  console.log(JSON.stringify(run));
  api.close();
  await shell.close();
}
const total = { worker: process.env.KUZET_MEDIA_WORKER ?? 'native/worker/media_worker.py', starts, sec,
  negativeGop: runs.reduce((a, r) => a + r.negativeGop, 0), startsWithError: runs.filter((r) => r.camerasInError.length).length,
  retimed: runs.reduce((a, r) => a + r.retimed, 0), runs };
console.log(JSON.stringify({ ...total, runs: undefined }));
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'recording-start.json'), JSON.stringify(total, null, 2) + '\n');
