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
import type { HostService } from '../../electron/contract/api.js';
import { compareAlarms, type Alarm, type AlarmAction } from '../../electron/contract/alarms-schema.js';
import { makePresetLayout, PRESET_IDS } from '../../electron/contract/layout-presets.js';
import { AlarmSnapshot, type ConsoleState, type IncidentRecord } from '../../electron/contract/replay-schema.js';
import { actionMoments, consoleStateAt } from '../../electron/contract/replay-state.js';
import { applyAction } from '../../electron/host/alarms/lifecycle.js';
import { createLogger } from '../../electron/host/log.js';
import { journalFile } from '../../electron/host/replay/console-journal.js';
import { createReplayModule, type ReplayModule } from '../../electron/host/replay/replay-module.js';
import { WallStore } from '../../electron/host/wall/store.js';
import { alarm as makeAlarm, T0 } from '../support/alarm-fixtures.js';

const log = createLogger({ quiet: true });
const cameras = Array.from({ length: 24 }, (_, i) => `cam-${i + 1}`);
const operators = ['aigerim', 'bolat', 'dana'];

/** A seeded PRNG (mulberry32): the same history on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/** The simulated console: a wall, an alarm queue driven by the real lifecycle, and its replay module. */
class Console {
  t = T0;
  readonly wall: WallStore;
  readonly alarms = new Map<string, Alarm>();
  readonly replay: ReplayModule;
  readonly service: HostService;
  private readonly listeners = new Set<(a: Alarm[]) => void>();
  audited = 0;
  private n = 0;

  constructor(dir: string) {
    this.wall = new WallStore({ dataDir: dir, log, cameraIds: () => cameras });
    this.wall.ensureDefaultWall();
    this.replay = createReplayModule({
      dataDir: dir, wall: this.wall, log, now: () => this.t,
      alarms: { onChange: (cb) => { this.listeners.add(cb); return () => this.listeners.delete(cb); }, get: (id) => this.alarms.get(id) ?? null, audit: () => { this.audited++; } },
    });
    const act = (id: string, action: AlarmAction, operator: string) => {
      const r = applyAction(this.alarms.get(id)!, action, operator, this.t);
      if (!r.ok) throw new Error(r.message);
      if (r.changed) { this.alarms.set(id, r.alarm); this.emit([r.alarm]); }
      return r.alarm;
    };
    this.service = {
      'wall.setLayout': ({ displayId, layout }: { displayId: string; layout: never }) => this.wall.setLayout(displayId, layout),
      'wall.push': (p: never) => this.wall.push(p),
      'wall.presets.apply': ({ id }: { id: string }) => this.wall.applyPreset(id),
      'alarms.act': ({ id, operator, action }: { id: string; operator: string; action: AlarmAction }) => act(id, action, operator),
      'alarms.bulk': ({ ids, operator, action }: { ids: string[]; operator: string; action: AlarmAction }) => ({
        results: ids.map((id) => { try { act(id, action, operator); return { id, ok: true, message: null }; } catch (e) { return { id, ok: false, message: String(e) }; } }),
      }),
    } as unknown as HostService;
    this.replay.attribute(this.service);
  }

  raise(cameraId: string): Alarm {
    const a = makeAlarm({ id: `A${++this.n}`, cameraId, createdAt: this.t, firstAt: this.t - 500, lastAt: this.t, priority: 1 + (this.n % 5) });
    this.alarms.set(a.id, a);
    this.emit([a]);
    return a;
  }

  /** What the console shows now, in the shape consoleStateAt gives (alarms resolved before `fromMs` are not in a replay's queue). */
  shown(fromMs: number): Omit<ConsoleState, 'atMs'> {
    const displays = this.wall.displays().map((d) => ({ displayId: d.id, layout: d.layout })).sort((x, y) => (x.displayId < y.displayId ? -1 : 1));
    const queue = [...this.alarms.values()].filter((a) => a.resolvedAt === null || a.resolvedAt >= fromMs).sort(compareAlarms).map((a) => AlarmSnapshot.parse(a));
    return { displays, queue };
  }

  private emit(list: Alarm[]) { for (const l of this.listeners) l(list); }
}

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'kuzet-replay-')); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

/** One random step of an operator's shift; returns false when the step was refused (nothing changed). */
function step(c: Console, r: ReturnType<typeof rng>, clients: string[]): void {
  const ctx = { clientId: r.pick(clients) };
  const open = [...c.alarms.values()].filter((a) => a.state !== 'resolved');
  const call = (m: string, p: unknown) => { try { void (c.service as unknown as Record<string, (p: unknown, x: unknown) => unknown>)[m]!(p, ctx); } catch { /* refused: nothing changed */ } };
  switch (r.int(8)) {
    case 0: call('wall.setLayout', { displayId: r.pick(['main', 'left', 'right']), layout: makePresetLayout(r.pick(PRESET_IDS.slice(0, 4)), cameras.filter(() => r.next() < 0.5), `l${r.int(5)}`, 'grid') }); break;
    case 1: call('wall.push', { displayId: r.pick(['main', 'left']), cameraId: r.pick(cameras) }); break;
    case 2: if (r.next() < 0.3) { c.wall.savePreset(`p${r.int(3)}`); } else if (c.wall.listPresets().length) call('wall.presets.apply', { id: r.pick(c.wall.listPresets()).id }); break;
    case 3: case 4: c.raise(r.pick(cameras)); break;
    default: {
      if (!open.length) { c.raise(r.pick(cameras)); break; }
      const a = r.pick(open);
      const operator = a.owner && r.next() < 0.8 ? a.owner : r.pick(operators);
      const action: AlarmAction = r.pick<AlarmAction>([
        { kind: 'claim' }, { kind: 'claim' }, { kind: 'release' }, { kind: 'escalate', reason: 'needs a supervisor' },
        { kind: 'sop', step: r.int(2), state: r.pick(['done', 'skipped', 'pending'] as const) }, { kind: 'resolve', verdict: r.pick(['confirmed', 'false', 'suspicious'] as const), comment: 'checked' },
      ]);
      if (r.next() < 0.15) { call('alarms.bulk', { ids: open.slice(0, 3).map((x) => x.id), operator, action }); break; }
      void Promise.resolve((c.service['alarms.act'] as (p: unknown, x: unknown) => unknown)({ id: a.id, operator, action }, ctx)).catch(() => {});
    }
  }
}

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
    expect(record.actions.some((a) => a.change.kind === 'layout') && record.actions.some((a) => a.change.kind === 'alarm' && a.change.alarm.state === 'resolved')).toBe(true);
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
