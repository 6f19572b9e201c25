/**
 * The units on the map's trails and moving canvases (map-decks.ts), drawn from the units feed without React (docs/map.md,
 * "The units' reports on the map's main thread"). A unit report (the host's `units.changed`, up to twice a second)
 * used to re-render a React component (MovingUnits) whose render and effects did this; now the feed's store calls
 * `setUnits` directly (no render, commit and effect scheduling per report).
 *
 * While the view pans or zooms (moved pictures stand in: `MapDecks.standingIn`), a report only keeps the units: the
 * trails snapshot, the tails and the draw wait for the view to settle (`MapDecks.onSettled`, in the task that draws
 * every canvas sharp, before those draws), so an input step's first frame never queues behind a report's work. Nothing
 * draws the units meanwhile anyway (the flat canvases are not drawn while a moved picture stands in); the sharp draw
 * shows the latest report. Units never move on the map while the view moves, and never show where they were not
 * reported.
 *
 * `setContext` gives what MapView decides (alarms and their pulse clock, the trails' zoom, which canvases are used);
 * everything else is the same logic MovingUnits' memos and effects had: a new trails snapshot when due (trail-split.ts),
 * each unit's tail from it, the moving canvas with the tails, units and alarms (Canvas 2D when `flat`).
 */
import type { MapUnit } from '../../electron/contract/units-schema.js';
import type { MapAlarm } from './alarm-geo.js';
import { alarmLayers, movingPoints, trailPoints, unitLayers } from './layers.js';
import { geoBox, type GeoBox } from './moving-clip.js';
import { snapDue, snapTrails, trailTails, type TrailSnapshot } from './trail-split.js';
import type { Layer } from '@deck.gl/core';
import type { MovingScene } from './map-decks.js';

/** What the painter needs of MapDecks. */
export interface UnitsCanvases {
  setTrails(units: readonly MapUnit[] | null, zoom: number | null, box: GeoBox | null): void;
  setMovingScene(scene: MovingScene | null, box: GeoBox | null): void;
  setMoving(layers: Layer[], box: GeoBox | null): void;
  /** Whether moved pictures stand in for draws now (a pan or zoom has not settled). */
  standingIn(): boolean;
  /** `cb` in the task that draws every canvas sharp after a stand-in, before those draws; returns the unsubscribe. */
  onSettled(cb: () => void): () => void;
}

export interface UnitsContext {
  alarms: readonly MapAlarm[];
  /** The alarm pulse's clock. */
  now: number;
  /** Trails with the points this zoom step can tell apart (trail-simplify.ts); null: every point. */
  trailZoom: number | null;
  /** The trails up to a snapshot on the trails canvas (trail-split.ts); false: all on the moving canvas. */
  trailCanvas: boolean;
  /** Units and alarms drawn with Canvas 2D (flat-moving.ts) instead of deck's layers. */
  flat: boolean;
}

export class UnitsPainter {
  private units: readonly MapUnit[] = [];
  private ctx: UnitsContext | null = null;
  /** The trails snapshot (null: none, or no trails canvas), the units it drew, and the units it was taken from. */
  private snap: { snapshot: TrailSnapshot; drawn: MapUnit[]; units: readonly MapUnit[] } | null = null;
  /** What the canvases were last given (a call only when it changes, as the effects' dependencies did). */
  private given: { trails: unknown; tails: { units: readonly MapUnit[]; snapshot: TrailSnapshot | null; out: readonly MapUnit[] } | null; moving: unknown[] | null } = { trails: undefined, tails: null, moving: null };
  /** What the snapshot was last looked at for: the units, the trails' zoom, the trails canvas. */
  private snapIn: unknown[] | null = null;
  /** Units or context changed while the view moved: drawn when it settles. */
  private pending = false;
  private readonly offSettled: () => void;

  constructor(private readonly canvases: UnitsCanvases, private readonly clock: () => number = Date.now) {
    this.offSettled = canvases.onSettled(() => { if (this.pending) this.paint(); });
  }

  /** The units after a report (the feed's store). */
  setUnits(units: readonly MapUnit[]): void {
    if (units === this.units) return;
    this.units = units;
    this.request();
  }

  setContext(ctx: UnitsContext): void {
    const c = this.ctx;
    if (c && c.alarms === ctx.alarms && c.now === ctx.now && c.trailZoom === ctx.trailZoom && c.trailCanvas === ctx.trailCanvas && c.flat === ctx.flat) return;
    this.ctx = ctx;
    this.request();
  }

  dispose(): void { this.offSettled(); }

  private request(): void {
    if (this.canvases.standingIn()) { this.pending = true; return; }
    this.paint();
  }

  private paint(): void {
    this.pending = false;
    const ctx = this.ctx;
    if (!ctx) return;
    const { units } = this;
    // the trails up to a snapshot, on the trails canvas: a new snapshot every TRACK_STEP_MS while units report, at once
    // when a unit comes, goes or turns stale (trail-split.ts); the same snapshot is not given again
    // (looked at when the units, the trails' zoom or the trails canvas changed, not on an alarm pulse)
    const snapIn = [units, ctx.trailZoom, ctx.trailCanvas];
    if (!this.snapIn || snapIn.some((k, i) => k !== this.snapIn![i])) {
      this.snapIn = snapIn;
      const prev = this.snap;
      const atMs = this.clock();
      if (!ctx.trailCanvas) this.snap = null;
      else if (snapDue(prev?.snapshot ?? null, units, ctx.trailZoom, atMs, prev?.units !== units)) this.snap = { ...snapTrails(units, ctx.trailZoom, atMs), units };
    }
    const snapshot = this.snap?.snapshot ?? null;
    const drawnTrails = this.snap?.drawn ?? null;
    if (this.given.trails !== drawnTrails) {
      this.given.trails = drawnTrails;
      this.canvases.setTrails(drawnTrails, snapshot?.zoom ?? null, drawnTrails ? geoBox(trailPoints(drawnTrails)) : null);
    }
    // each unit's trail from the snapshot's last drawn point to its position (or the whole trail without a trails canvas)
    const t = this.given.tails;
    const moving = t && t.units === units && t.snapshot === snapshot ? t.out : snapshot ? trailTails(units, snapshot) : units;
    this.given.tails = { units, snapshot, out: moving };
    // units move twice a second and open alarms pulse: they live on the moving canvas, so the rest is not redrawn for them
    const key = [moving, ctx.alarms, ctx.now, ctx.trailZoom, snapshot, ctx.flat];
    if (this.given.moving && key.every((k, i) => k === this.given.moving![i])) return;
    this.given.moving = key;
    // a tail is a few segments: drawn with every point (the trails canvas's end is one of them, exactly)
    const zoom = snapshot ? null : ctx.trailZoom;
    const box = geoBox(movingPoints(moving, ctx.alarms));
    // without a GPU: the same shapes with Canvas 2D, no deck layers (flat-moving.ts)
    if (ctx.flat) this.canvases.setMovingScene({ units: moving, alarms: ctx.alarms, nowMs: ctx.now, trailZoom: zoom }, box);
    else { this.canvases.setMovingScene(null, null); this.canvases.setMoving([...alarmLayers(ctx.alarms, ctx.now), ...unitLayers(moving, zoom)], box); }
  }
}
