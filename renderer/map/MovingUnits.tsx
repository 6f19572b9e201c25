/**
 * The units on the map's trails and moving canvases (map-decks.ts), fed by the units store outside React: a unit report
 * (the host's `units.changed`, up to twice a second) re-renders this component, which draws nothing in the DOM, instead
 * of the whole map window (MapView re-renders per report only while it shows a unit: its popup or a follow).
 */
import { useEffect, useMemo, useRef, useSyncExternalStore, type RefObject } from 'react';
import type { ValueStore } from '../bridge/stores.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import type { MapAlarm } from './alarm-geo.js';
import { alarmLayers, movingPoints, trailPoints, unitLayers } from './layers.js';
import { geoBox } from './moving-clip.js';
import { snapDue, snapTrails, trailTails, type TrailSnapshot } from './trail-split.js';
import type { MapDecks } from './map-decks.js';

export interface MovingUnitsProps {
  decks: RefObject<MapDecks | null>;
  units: ValueStore<MapUnit[]>;
  alarms: readonly MapAlarm[];
  /** The alarm pulse's clock. */
  now: number;
  /** Trails with the points this zoom step can tell apart (trail-simplify.ts); null: every point. */
  trailZoom: number | null;
  /** The trails up to a snapshot on the trails canvas (trail-split.ts); false: all on the moving canvas. */
  trailCanvas: boolean;
  /** Units and alarms drawn with Canvas 2D (flat-moving.ts: when WebGL is software) instead of deck's layers. */
  flat: boolean;
}

export function MovingUnits({ decks, units: store, alarms, now, trailZoom, trailCanvas, flat }: MovingUnitsProps): null {
  const units = useSyncExternalStore(store.subscribe, store.get);
  // The trails up to a snapshot, on the trails canvas: a new snapshot every TRACK_STEP_MS while units report, at once when
  // a unit comes, goes or turns stale (trail-split.ts). Same snapshot, same object: the trails canvas is not redrawn.
  const snapRef = useRef<{ snapshot: TrailSnapshot; drawn: MapUnit[]; units: readonly MapUnit[] } | null>(null);
  const snap = useMemo(() => {
    if (!trailCanvas) { snapRef.current = null; return null; }
    const prev = snapRef.current;
    const atMs = Date.now();
    if (snapDue(prev?.snapshot ?? null, units, trailZoom, atMs, prev?.units !== units)) snapRef.current = { ...snapTrails(units, trailZoom, atMs), units };
    return snapRef.current;
  }, [units, trailZoom, trailCanvas]);
  const snapshot = snap?.snapshot ?? null;
  const drawnTrails = snap?.drawn ?? null;
  useEffect(() => {
    decks.current?.setTrails(drawnTrails, snapshot?.zoom ?? null, drawnTrails ? geoBox(trailPoints(drawnTrails)) : null);
  }, [decks, drawnTrails, snapshot]);
  // each unit's trail from the snapshot's last drawn point to its position (or the whole trail without a trails canvas)
  const movingUnits = useMemo(() => (snapshot ? trailTails(units, snapshot) : units), [units, snapshot]);
  // units move twice a second and open alarms pulse: they live on the moving canvas, so the rest is not redrawn for them
  useEffect(() => {
    const d = decks.current;
    if (!d) return;
    // a tail is a few segments: drawn with every point (the trails canvas's end is one of them, exactly)
    const zoom = snapshot ? null : trailZoom;
    const box = geoBox(movingPoints(movingUnits, alarms));
    // without a GPU: the same shapes with Canvas 2D, no deck layers (flat-moving.ts)
    if (flat) d.setMovingScene({ units: movingUnits, alarms, nowMs: now, trailZoom: zoom }, box);
    else { d.setMovingScene(null, null); d.setMoving([...alarmLayers(alarms, now), ...unitLayers(movingUnits, zoom)], box); }
  }, [decks, movingUnits, alarms, now, trailZoom, snapshot, flat]);
  return null;
}
