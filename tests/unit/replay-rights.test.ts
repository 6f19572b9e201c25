/**
 * Incident replay's rights (route-rights.ts): an incident is read with the recordings right on every one of its cameras
 * (as the incidents list shows it), and its replayed queue, which holds the whole console's alarms, only with the alarms
 * of cameras whose recordings the user may view. Before, the recordings right on any one camera read any incident by id
 * with every alarm of the console.
 */
import { describe, expect, it } from 'vitest';
import type { HostService } from '../../electron/contract/api.js';
import type { ConsoleAction, ConsoleState, IncidentRecord } from '../../electron/contract/replay-schema.js';
import { ROUTE_RIGHTS, type May } from '../../electron/host/access/route-rights.js';

const T0 = 1_800_000_000_000;
const alarm = (id: string, cameraId: string) => ({ id, cameraId, state: 'new', owner: null, priority: 2, summary: id, verdict: null, comment: null, escalation: null, sop: [], createdAt: T0, version: 1 }) as never;
const action = (seq: number, cameraId: string): ConsoleAction => ({ seq, at: T0 + seq, console: 'c', user: 'u', action: 'alarm.new', change: { kind: 'alarm', alarm: alarm(`a-${cameraId}`, cameraId) } });
const layout: ConsoleAction = { seq: 9, at: T0, console: 'c', user: 'u', action: 'wall.setLayout', change: { kind: 'layout', displayId: 'main', layout: { name: 'x' } as never } };
const record: IncidentRecord = {
  incident: { id: 'inc-1', name: 'gate', fromMs: T0, toMs: T0 + 60_000, cameraIds: ['cam-a'], alarmId: null, createdAt: T0, createdBy: 'u' },
  before: [action(1, 'cam-b'), layout], actions: [action(2, 'cam-a'), action(3, 'cam-b')],
};
const svc = { 'replay.incidents.get': ({ id }: { id: string }) => { if (id !== 'inc-1') throw new Error('no incident'); return record; } } as unknown as HostService;
/** The recordings right on cam-a only. */
const may: May = (right, cameraId) => right === 'viewRecordings' && cameraId === 'cam-a';

describe('incident replay rights', () => {
  it('reading an incident (its record, its footage, a moment of it) needs the recordings right on each of its cameras', async () => {
    for (const m of ['replay.incidents.get', 'replay.incidents.footage', 'replay.stateAt'] as const) {
      const on = ROUTE_RIGHTS[m].on as (p: { id: string }, s: HostService) => Promise<string[]>;
      expect(ROUTE_RIGHTS[m].need).toBe('viewRecordings');
      expect(await on({ id: 'inc-1' }, svc)).toEqual(['cam-a']);
      expect(await on({ id: 'nope' }, svc)).toEqual([]); // the route itself says there is no such incident
    }
  });

  it('the replayed queue keeps only alarms of cameras whose recordings the user may view; layouts stay', () => {
    const filtered = ROUTE_RIGHTS['replay.incidents.get'].filter!(record, may);
    expect([...filtered.before, ...filtered.actions].map((a) => a.seq)).toEqual([9, 2]);
    const state: ConsoleState = { atMs: T0, displays: [], queue: [alarm('a1', 'cam-a'), alarm('a2', 'cam-b')] };
    expect(ROUTE_RIGHTS['replay.stateAt'].filter!(state, may).queue.map((a) => a.cameraId)).toEqual(['cam-a']);
  });
});
