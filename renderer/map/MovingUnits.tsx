/**
 * The units on the map's trails and moving canvases: gives the units painter (units-painter.ts) what MapView decides
 * (alarms, pulse, the trails' zoom, which canvases) and the units feed. Draws nothing in the DOM. The feed's store calls
 * the painter directly on every unit report (the host's `units.changed`, up to twice a second): no React render per
 * report (MapView re-renders per report only while it shows a unit: its popup or a follow).
 */
import { useEffect } from 'react';
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
}

export function MovingUnits({ painter, units: store, alarms, now, trailZoom, trailCanvas, flat }: MovingUnitsProps): null {
  useEffect(() => { painter.setContext({ alarms, now, trailZoom, trailCanvas, flat }); }, [painter, alarms, now, trailZoom, trailCanvas, flat]);
  // every report from the store to the painter, outside React
  useEffect(() => {
    painter.setUnits(store.get());
    return store.subscribe(() => painter.setUnits(store.get()));
  }, [painter, store]);
  return null;
}
