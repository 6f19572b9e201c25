/**
 * The demo city's sample training scenario from `npm start` (issue 11, "Done means"; docs/training.md, "The demo city's
 * sample scenario"): it plays the demo's latest recordings, so a session started at any time after the demo has
 * recorded a little has footage (its first version played a fixed range that the demo's storage limit deleted within
 * minutes, and a later session silently showed the live cameras). Too early, the start is refused and says why.
 */
import { afterAll, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.js';
import { demoUser, signIn, startWebShell, waitFor, type RunningShell } from '../support/harness.js';
import { demoSim } from '../support/e2e-console.js';
import { waitSegments } from '../support/recording.js';
import { DEMO_SCENARIO_ID } from '../../electron/contract/default-texts.js';

let shell: RunningShell | undefined;
afterAll(async () => { await shell?.close(); });

it('the sample scenario plays the demo\'s latest recordings: a joined trainee\'s tile shows footage while its camera is down; a start before there is any is refused with the reason', async () => {
  shell = await startWebShell({ demo: true });
  const api = await ApiClient.connect(shell.info.origin, shell.info.token); // the administrator: trainer and trainee
  const op = demoUser('operator');
  const other = await ApiClient.connect(shell.info.origin, await signIn(shell.info.origin, shell.info.startToken, op.name, op.password)); // a production console
  const CAM = 'republic-square';
  try {
    const sample = (await api.call('training.scenarios.list', {})).find((s) => s.id === DEMO_SCENARIO_ID)!;
    expect(sample.source).toEqual({ kind: 'recent', leadMs: 20_000 });
    // the demo has recorded nothing yet: refused, the cameras named
    await expect(api.call('training.sessions.start', { scenarioId: sample.id, operator: 'x' })).rejects.toThrow(/footage from .* is not in this console's recordings .* republic-square/);
    // once the recorder has its lead (20 s, and the two segments it may not have indexed yet)
    for (const c of sample.cameraIds) await waitSegments(api, c, 8, 120_000);
    const { status } = await api.call('training.sessions.start', { scenarioId: sample.id, operator: 'x' });
    await api.call('training.sessions.join', { id: status.id, operator: 'x' });
    await api.call('streams.demand', { clientId: 'r-trainee', tiles: [{ cameraId: CAM, width: 320, height: 180 }] });
    await other.call('streams.demand', { clientId: 'r-other', tiles: [{ cameraId: CAM, width: 320, height: 180 }] });
    // the camera stops: production's tile leaves live; the trainee's is live on the recorded footage (20 s behind), which
    // only the session's footage can be, and its pictures go on
    await demoSim(shell, `/cameras/${CAM}/stop`, 'POST');
    await waitFor('production\'s tile not live', async () => ((await other.call('streams.status', {})).find((x) => x.cameraId === CAM)?.state !== 'live' ? true : null), 30_000, 250);
    const was = await waitFor('the trainee\'s tile live', async () => { const s = (await api.call('streams.status', {})).find((x) => x.cameraId === CAM); return s?.state === 'live' ? s : null; }, 60_000, 250);
    await waitFor('the trainee\'s pictures going on', async () => { const s = (await api.call('streams.status', {})).find((x) => x.cameraId === CAM); return s?.state === 'live' && s.generation === was.generation && s.counters.frames >= was.counters.frames + 25 ? true : null; }, 30_000, 250);
    expect((await other.call('streams.status', {})).find((x) => x.cameraId === CAM)?.state).not.toBe('live');
    await api.call('training.sessions.stop', { id: status.id, operator: 'x' });
  } finally { api.close(); other.close(); }
}, 300_000);
