/**
 * A simulated console for replay tests and the replay benchmark: the real wall store, the real alarm lifecycle and the
 * real replay module (journal in SQLite) on a fake clock, driven by seeded random operator steps.
 */
import type { HostService } from '../../electron/contract/api.js';
import { compareAlarms, type Alarm, type AlarmAction } from '../../electron/contract/alarms-schema.js';
import { makePresetLayout, PRESET_IDS } from '../../electron/contract/layout-presets.js';
import { maximisedIn } from '../../electron/contract/schemas.js';
import { AlarmSnapshot, type ConsoleState } from '../../electron/contract/replay-schema.js';
import { applyAction } from '../../electron/host/alarms/lifecycle.js';
import { createLogger } from '../../electron/host/log.js';
import { createReplayModule, type ReplayModule } from '../../electron/host/replay/replay-module.js';
import { WallStore } from '../../electron/host/wall/store.js';
import { alarm as makeAlarm, T0 } from './alarm-fixtures.js';

const log = createLogger({ quiet: true });
export const cameras = Array.from({ length: 24 }, (_, i) => `cam-${i + 1}`);
export const operators = ['aigerim', 'bolat', 'dana'];

/** A seeded PRNG (mulberry32): the same history on every run. */
export function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/** The simulated console: a wall, an alarm queue driven by the real lifecycle, and its replay module. */
export class Console {
  t = T0;
  readonly wall: WallStore;
  readonly alarms = new Map<string, Alarm>();
  /** Each display's maximised tile, as its renderer keeps it (view state the host does not see; it tells the journal). */
  readonly maximised = new Map<string, number>();
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

  /** An operator maximises a tile of a display (or restores its grid): the renderer's wall state and its note to the journal. */
  maximise(displayId: string, index: number | null, clientId: string, operator: string): void {
    const was = this.maximised.get(displayId);
    if (index === null) this.maximised.delete(displayId); else this.maximised.set(displayId, index);
    const shown = index ?? was;
    const cell = shown === undefined ? undefined : this.wall.displays().find((d) => d.id === displayId)?.layout.cells[shown];
    void this.replay.handlers['replay.journal.note']({ what: index === null ? 'tile.restore' : 'tile.maximise', displayId, cameraIds: cell?.cameraId ? [cell.cameraId] : [], operator, ...(shown === undefined ? {} : { index: shown }) }, { clientId });
  }

  /** After a layout change: a display's renderer drops a maximised tile its new layout lacks and tells the journal (App.tsx). */
  settleMaximised(): void {
    for (const d of this.wall.displays()) {
      const m = this.maximised.get(d.id);
      if (m !== undefined && maximisedIn(d.layout, m) === null) this.maximise(d.id, null, 'host', 'system');
    }
  }

  /** What the console shows now, in the shape consoleStateAt gives (alarms resolved before `fromMs` are not in a replay's queue). */
  shown(fromMs: number): Omit<ConsoleState, 'atMs'> {
    const displays = this.wall.displays().map((d) => ({ displayId: d.id, layout: d.layout, maximised: this.maximised.get(d.id) ?? null })).sort((x, y) => (x.displayId < y.displayId ? -1 : 1));
    const queue = [...this.alarms.values()].filter((a) => a.resolvedAt === null || a.resolvedAt >= fromMs).sort(compareAlarms).map((a) => AlarmSnapshot.parse(a));
    return { displays, queue };
  }

  private emit(list: Alarm[]) { for (const l of this.listeners) l(list); }
}

/** One random step of an operator's shift; returns false when the step was refused (nothing changed). */
export function step(c: Console, r: ReturnType<typeof rng>, clients: string[]): void {
  const ctx = { clientId: r.pick(clients) };
  const open = [...c.alarms.values()].filter((a) => a.state !== 'resolved');
  const call = (m: string, p: unknown) => { try { void (c.service as unknown as Record<string, (p: unknown, x: unknown) => unknown>)[m]!(p, ctx); } catch { /* refused: nothing changed */ } };
  switch (r.int(9)) {
    case 0: call('wall.setLayout', { displayId: r.pick(['main', 'left', 'right']), layout: makePresetLayout(r.pick(PRESET_IDS.slice(0, 4)), cameras.filter(() => r.next() < 0.5), `l${r.int(5)}`, 'grid') }); break;
    case 1: call('wall.push', { displayId: r.pick(['main', 'left']), cameraId: r.pick(cameras) }); break;
    case 2: if (r.next() < 0.3) { c.wall.savePreset(`p${r.int(3)}`); } else if (c.wall.listPresets().length) call('wall.presets.apply', { id: r.pick(c.wall.listPresets()).id }); break;
    case 3: case 4: c.raise(r.pick(cameras)); break;
    case 8: { // a tile maximised on a display for a look, then the grid restored (a display is maximised ~1/5 of the time)
      const d = r.pick(c.wall.displays());
      if (c.maximised.has(d.id)) c.maximise(d.id, r.next() < 0.2 ? r.int(d.layout.cells.length) : null, ctx.clientId, r.pick(operators));
      else if (d.layout.cells.length && r.next() < 0.25) c.maximise(d.id, r.int(d.layout.cells.length), ctx.clientId, r.pick(operators));
      break;
    }
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
  c.settleMaximised();
}

