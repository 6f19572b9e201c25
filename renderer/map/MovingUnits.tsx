/**
 * The units on the map's trails and moving canvases: gives the units painter (units-painter.ts) what MapView decides
 * (alarms, pulse, the trails' zoom, which canvases) and the units feed. Draws nothing in the DOM. The feed's store calls
 * the painter directly on every unit report (the host's `units.changed`, up to twice a second): no React render per
 * report (MapView re-renders per report only while it shows a unit: its popup or a follow). `direct` off re-renders
 * this component per report and gives the painter the units from an effect, as before 2026-12-05 night (the
 * benchmark's A/B).
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { ValueStore } from '../bridge/stores.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import type { MapAlarm } from './alarm-geo.js';
import type { UnitsPainter } from './units-painter.js';

export interface MovingUnitsProps {
  painter: UnitsPainter;
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
  /** The feed's store calls the painter directly (true) or through a render of this component (false: the benchmark's A/B). */
  direct: boolean;
}

const NONE: MapUnit[] = [];
const none = () => NONE;

export function MovingUnits({ painter, units: store, alarms, now, trailZoom, trailCanvas, flat, direct }: MovingUnitsProps): null {
  useEffect(() => { painter.setContext({ alarms, now, trailZoom, trailCanvas, flat }); }, [painter, alarms, now, trailZoom, trailCanvas, flat]);
  // directly: every report from the store to the painter, outside React
  useEffect(() => {
    if (!direct) return;
    painter.setUnits(store.get());
    return store.subscribe(() => painter.setUnits(store.get()));
  }, [painter, store, direct]);
  // through React (the A/B): a render per report, the painter called from its effect
  const units = useSyncExternalStore(store.subscribe, direct ? none : store.get);
  useEffect(() => { if (!direct) painter.setUnits(units); }, [painter, units, direct]);
  return null;
}
