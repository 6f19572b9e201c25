/**
 * The units a window holds, kept from the host's `units.changed` deltas (docs/map.md, "Units on the wire"): a pure
 * reducer (applyUnitsDelta, applyUnitsSnapshot) and UnitFeed, which drives it from the host client. A first delta, a
 * gap in the numbers or a `resync` makes the window ask `units.list`; deltas not after that snapshot are dropped, the
 * ones that arrived while it was asked are applied after it.
 */
import { applyTrailEdit, type MapUnit, type UnitRejectCounts, type UnitsDelta, type UnitsSnapshot } from '../../electron/contract/units-schema.js';

export interface UnitsHeld {
  /** The number of the last delta applied (or the snapshot's); null: nothing yet, a snapshot is needed. */
  seq: number | null;
  /** By id, in the host's order (new units last, as the host's store keeps them). */
  units: ReadonlyMap<string, MapUnit>;
  rejected: UnitRejectCounts;
}

export const NO_UNITS: UnitsHeld = { seq: null, units: new Map(), rejected: {} };

/** The outcome of a delta: the units after it, and whether the window must ask `units.list` (then `held` is unchanged). */
export interface DeltaStep { held: UnitsHeld; resync: boolean }

export function applyUnitsSnapshot(s: UnitsSnapshot): UnitsHeld {
  return { seq: s.seq, units: new Map(s.units.map((u) => [u.id, u])), rejected: s.rejected };
}

export function applyUnitsDelta(held: UnitsHeld, d: UnitsDelta): DeltaStep {
  if (held.seq !== null && d.seq <= held.seq) return { held, resync: false }; // older than what the window holds
  if (held.seq === null || d.resync || d.seq !== held.seq + 1) return { held, resync: true };
  const units = new Map(held.units);
  for (const id of d.removed) units.delete(id);
  for (const u of d.added) units.set(u.id, u);
  for (const { trail, ...fields } of d.changed) {
    const before = units.get(fields.id);
    if (!before) return { held, resync: true }; // a change of a unit the window never got: it missed something
    units.set(fields.id, { ...fields, track: applyTrailEdit(before.track, trail) });
  }
  return { held: { seq: d.seq, units, rejected: d.rejected }, resync: false };
}

/** What UnitFeed needs of the host client. */
export interface UnitFeedHost {
  list(): Promise<UnitsSnapshot>;
}

/**
 * The reducer driven by the host's deltas: `delta` for each `units.changed`, `reset` after a (re)connection (the
 * window asks `units.watch` again, then this asks `units.list`). `onChange` gets the units after every change.
 */
export class UnitFeed {
  private held: UnitsHeld = NO_UNITS;
  /** Deltas that arrived while `units.list` was asked (applied after its answer, those after its number). */
  private waiting: UnitsDelta[] | null = null;
  private asked = 0;

  constructor(private readonly host: UnitFeedHost, private readonly onChange: (units: MapUnit[], held: UnitsHeld) => void,
    private readonly onError: (e: unknown) => void = () => {}) {}

  get(): UnitsHeld { return this.held; }

  delta(d: UnitsDelta): void {
    if (this.waiting) { if (this.waiting.length < 100) this.waiting.push(d); return; }
    const step = applyUnitsDelta(this.held, d);
    if (step.resync) { this.catchUp(); return; }
    if (step.held !== this.held) this.set(step.held);
  }

  /** Asks `units.list` (after a connection, or when the deltas cannot be applied). */
  catchUp(): void {
    this.waiting = [];
    const ask = ++this.asked;
    this.host.list().then((snap) => {
      if (ask !== this.asked) return; // a newer ask answers
      const pending = this.waiting ?? [];
      this.waiting = null;
      let held = applyUnitsSnapshot(snap);
      for (const d of pending) {
        const step = applyUnitsDelta(held, d);
        if (step.resync) { this.set(held); this.catchUp(); return; }
        held = step.held;
      }
      this.set(held);
    }, (e: unknown) => {
      if (ask !== this.asked) return;
      this.waiting = null; // the next delta asks again
      this.held = { ...this.held, seq: null };
      this.onError(e);
    });
  }

  private set(held: UnitsHeld): void {
    this.held = held;
    this.onChange([...held.units.values()], held);
  }
}
