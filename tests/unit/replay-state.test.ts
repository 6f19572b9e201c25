/**
 * Replay fidelity (issue 11, "mismatches 0"): a simulated console (the real wall store, the real alarm lifecycle, the real
 * journal in SQLite, a fake clock) records its history through the replay module; consoleStateAt over an incident's
 * record must equal what the console showed at every sampled moment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { makePresetLayout } from '../../electron/contract/layout-presets.js';
import { AlarmSnapshot, type ConsoleState, type IncidentRecord } from '../../electron/contract/replay-schema.js';
import { actionMoments, consoleStateAt } from '../../electron/contract/replay-state.js';
import { journalFile } from '../../electron/host/replay/console-journal.js';
import { alarm as makeAlarm, T0 } from '../support/alarm-fixtures.js';
import { cameras, Console, rng, step } from '../support/replay-console.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kuzet-replay-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

describe('consoleStateAt equals what the console showed', () => {
  it.each([1, 2, 3, 4])('random shift %i: 400 steps, every action moment, the moment before it, and 50 random moments', async (seed) => {
    const c = new Console(dir);
    const r = rng(seed);
    const shown: Array<{ t: number; state: Omit<ConsoleState, 'atMs'> }> = [];
    const fromMs = T0 + 100 * 1000; // the incident starts while the shift is under way
    for (let i = 0; i < 400; i++) {
      c.t += 1 + r.int(2000);
      step(c, r, ['console-1', 'console-2']);
      await Promise.resolve(); await Promise.resolve(); // the act wrapper records after its await
      shown.push({ t: c.t, state: c.shown(fromMs) });
    }
    const toMs = c.t;
    const incident = c.replay.handlers['replay.incidents.create']({ name: 'shift', fromMs, toMs, cameraIds: ['cam-1'], operator: 'trainer' }, { clientId: 'x' }) as { id: string };
    const record = c.replay.handlers['replay.incidents.get']({ id: incident.id }, { clientId: 'x' }) as IncidentRecord;
    const expectedAt = (t: number) => [...shown].reverse().find((s) => s.t <= t)!.state;
    const moments = new Set<number>();
    for (const t of actionMoments(record)) { moments.add(t); if (t - 1 >= fromMs) moments.add(t - 1); }
    for (let i = 0; i < 50; i++) moments.add(fromMs + r.int(toMs - fromMs + 1));
    let mismatches = 0;
    for (const t of moments) {
      const got = consoleStateAt(record, t);
      const want = expectedAt(t);
      if (JSON.stringify({ displays: got.displays, queue: got.queue }) !== JSON.stringify(want)) mismatches++;
    }
    expect(moments.size).toBeGreaterThan(100);
    // the shift maximised tiles (and restored them) at moments compared
    expect([...moments].some((t) => expectedAt(t).displays.some((d) => d.maximised !== null))).toBe(true);
    expect(record.actions.some((a) => a.change.kind === 'layout') && record.actions.some((a) => a.change.kind === 'alarm' && a.change.alarm.state === 'resolved')).toBe(true);
    // every journaled alarm keeps its event's type and attributes (replay words its line in the operator's language)
    expect(record.actions.filter((a) => a.change.kind === 'alarm').every((a) => a.change.kind === 'alarm' && a.change.alarm.type !== undefined && a.change.alarm.attributes !== undefined)).toBe(true);
    expect(mismatches).toBe(0);
    // the host's route gives the same answer as the pure function
    const mid = Math.round((fromMs + toMs) / 2);
    expect(c.replay.handlers['replay.stateAt']({ id: incident.id, atMs: mid }, { clientId: 'x' })).toEqual(consoleStateAt(record, mid));
    c.replay.close();
  });
});

describe('the journal names who did what', () => {
  it('an alarm action carries the operator and console; a wall change the operator that console last acted as', async () => {
    const c = new Console(dir);
    const a = c.raise('cam-3');
    c.t += 1000;
    await c.service['alarms.act']({ id: a.id, operator: 'aigerim', action: { kind: 'claim' } }, { clientId: 'console-7' });
    c.t += 1000;
    c.service['wall.push']({ displayId: 'main', cameraId: 'cam-9', cellIndex: 0 }, { clientId: 'console-7' });
    c.t += 1000;
    c.wall.retainCameras(cameras.filter((x) => x !== 'cam-9')); // the registry lost a camera: the host changed the wall
    const record = c.replay.handlers['replay.incidents.get']({ id: (c.replay.handlers['replay.incidents.create']({ name: 'x', fromMs: T0 + 1, toMs: c.t, cameraIds: ['cam-3'], operator: 'trainer' }, { clientId: 'x' }) as { id: string }).id }, { clientId: 'x' }) as IncidentRecord;
    expect(record.actions.map((x) => [x.at - T0, x.action, x.user, x.console])).toEqual([
      [1000, 'alarm.claim', 'aigerim', 'console-7'],
      [2000, 'wall.push', 'aigerim', 'console-7'],
      [3000, 'wall.change', 'system', 'host'],
    ]);
    expect(record.before.map((x) => x.action).sort()).toEqual(['alarm.raise', 'wall.change']);
    expect(c.audited).toBe(3); // the starting wall and both layout changes are in the audit chain
    c.replay.close();
  });

  it('an incident from an alarm spans its cameras from minutes before it was raised to minutes after it was resolved', async () => {
    const c = new Console(dir);
    const a = c.raise('cam-5');
    await c.service['alarms.act']({ id: a.id, operator: 'bolat', action: { kind: 'claim' } }, { clientId: 'k' });
    c.t += 60_000;
    await c.service['alarms.act']({ id: a.id, operator: 'bolat', action: { kind: 'resolve', verdict: 'confirmed', comment: '' } }, { clientId: 'k' });
    const i = await c.replay.handlers['replay.incidents.fromAlarm']({ alarmId: a.id, beforeMin: 2, afterMin: 3, operator: 'trainer' }, { clientId: 'k' });
    expect(i).toMatchObject({ alarmId: a.id, cameraIds: ['cam-5'], fromMs: T0 - 500 - 120_000, toMs: T0 + 60_000 + 180_000, createdBy: 'trainer' });
    expect(await c.replay.handlers['replay.incidents.list']({}, { clientId: 'k' })).toEqual([i]);
    expect(i.name).toBe(`${a.ruleName}: ${a.summary}`); // no name given: the alarm's as stored
    // a console names it as its operator reads the alarm (their language)
    const named = await c.replay.handlers['replay.incidents.fromAlarm']({ alarmId: a.id, beforeMin: 1, afterMin: 1, operator: 'trainer', name: 'Движение: человек' }, { clientId: 'k' });
    expect(named.name).toBe('Движение: человек');
    expect(() => c.replay.handlers['replay.incidents.fromAlarm']({ alarmId: 'nope', beforeMin: 1, afterMin: 1, operator: 'x' }, { clientId: 'k' })).toThrow(/no alarm nope/);
    expect(() => c.replay.handlers['replay.stateAt']({ id: i.id, atMs: T0 + 3_600_000 }, { clientId: 'k' })).toThrow(/outside incident/);
    c.replay.close();
  });

  it('a corrupt journal row is skipped with a warning, the rest replays', async () => {
    const c = new Console(dir);
    const a = c.raise('cam-2');
    c.t += 10;
    await c.service['alarms.act']({ id: a.id, operator: 'dana', action: { kind: 'claim' } }, { clientId: 'k' });
    const db = new Database(journalFile(dir));
    db.prepare(`UPDATE console_actions SET body = '{"kind":"alarm","alarm":{"id":' WHERE action = 'alarm.raise'`).run();
    db.close();
    const i = c.replay.handlers['replay.incidents.create']({ name: 'x', fromMs: T0 - 1000, toMs: c.t, cameraIds: ['cam-2'], operator: 'trainer' }, { clientId: 'k' }) as { id: string };
    const s = c.replay.handlers['replay.stateAt']({ id: i.id, atMs: c.t }, { clientId: 'k' }) as ConsoleState;
    expect(s.queue.map((x) => [x.id, x.state, x.owner])).toEqual([[a.id, 'claimed', 'dana']]);
    c.replay.close();
  });
});

describe('consoleStateAt on hand-made records', () => {
  const layout = (cams: string[]) => makePresetLayout('2x2', cams, 'l', '2x2');
  const snap = (a: Partial<Alarm>) => AlarmSnapshot.parse(makeAlarm(a));
  const act = (seq: number, at: number, change: IncidentRecord['actions'][number]['change']) => ({ seq, at, console: 'c', user: 'u', action: 'x', change });

  it('the starting state applies first; an older alarm version never overwrites a newer one', () => {
    const before = [act(1, T0 - 5, { kind: 'layout', displayId: 'main', layout: layout(['cam-1']) }), act(2, T0 - 4, { kind: 'alarm', alarm: snap({ id: 'A', version: 1 }) })];
    const actions = [
      act(3, T0 + 10, { kind: 'alarm', alarm: snap({ id: 'A', version: 3, state: 'claimed', owner: 'bolat' }) }),
      act(4, T0 + 11, { kind: 'alarm', alarm: snap({ id: 'A', version: 2, state: 'claimed', owner: 'aigerim' }) }), // a late copy from another console
      act(5, T0 + 20, { kind: 'layout', displayId: 'main', layout: layout(['cam-2', 'cam-3']) }),
    ];
    expect(consoleStateAt({ before, actions }, T0).queue.map((a) => a.state)).toEqual(['new']);
    expect(consoleStateAt({ before, actions }, T0).displays[0]!.layout.cells[0]!.cameraId).toBe('cam-1');
    expect(consoleStateAt({ before, actions }, T0 + 15).queue.map((a) => a.owner)).toEqual(['bolat']);
    expect(consoleStateAt({ before, actions }, T0 + 20).displays[0]!.layout.cells.map((x) => x.cameraId)).toEqual(['cam-2', 'cam-3', null, null]);
    expect(consoleStateAt({ before: [], actions: [] }, T0)).toEqual({ atMs: T0, displays: [], queue: [] });
    expect(actionMoments({ actions })).toEqual([T0 + 10, T0 + 11, T0 + 20]);
  });
});
