/**
 * Alarms on the map (issue 10 §2): where an alarm happened (the event's own position when its attributes carry one,
 * else its camera's), how it pulses by priority, and which alarms a heat map of a time window and types shows. Pure.
 */
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import type { EventType } from '../../electron/contract/events-schema.js';
import type { LonLat } from './geo.js';

export interface MapAlarm { id: string; cameraId: string; position: LonLat; priority: number; type: EventType; createdAt: number; open: boolean }

const inRange = (lon: unknown, lat: unknown): lon is number => typeof lon === 'number' && typeof lat === 'number' && Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;

/** The alarm's own position (`attributes.lat`/`lon`, or `attributes.location.{lat,lon}`) when valid, else its camera's. */
export function alarmPosition(alarm: Pick<Alarm, 'attributes'>, camera: LonLat | undefined): LonLat | null {
  const a = alarm.attributes;
  if (inRange(a.lon, a.lat)) return [a.lon, a.lat as number];
  const loc = a.location as { lat?: unknown; lon?: unknown } | undefined;
  if (loc && typeof loc === 'object' && inRange(loc.lon, loc.lat)) return [loc.lon, loc.lat as number];
  return camera ?? null;
}

/** The alarms the map can place (a camera without a location and no position of its own: left out). */
export function placeAlarms(alarms: readonly Alarm[], cameraAt: (id: string) => LonLat | undefined): MapAlarm[] {
  const out: MapAlarm[] = [];
  for (const a of alarms) {
    const position = alarmPosition(a, cameraAt(a.cameraId));
    if (!position) continue;
    out.push({ id: a.id, cameraId: a.cameraId, position, priority: a.priority, type: a.type, createdAt: a.createdAt, open: a.state !== 'resolved' });
  }
  return out;
}

/** Seconds per pulse: priority 1 (most urgent) fastest. */
export function pulsePeriodS(priority: number): number { return [0.8, 1.2, 1.8, 2.6, 3.5][Math.min(Math.max(priority, 1), 5) - 1]!; }

/** The pulse ring's radius in pixels at time `tMs`: from the dot's 8 px out to 8 + 16 px, once per period. */
export function pulseRadiusPx(priority: number, tMs: number): number {
  const phase = ((tMs / 1000) % pulsePeriodS(priority)) / pulsePeriodS(priority);
  return 8 + 16 * phase;
}

/** Alarm colours by priority (1 red .. 5 blue). */
export const PRIORITY_COLOURS: Record<number, [number, number, number]> = { 1: [231, 76, 60], 2: [230, 126, 34], 3: [241, 196, 15], 4: [52, 152, 219], 5: [149, 165, 166] };

/** The alarms a heat map shows: created in [fromMs, toMs), of the given types (all when empty). */
export function heatAlarms(alarms: readonly MapAlarm[], opts: { fromMs: number; toMs: number; types: readonly EventType[] }): MapAlarm[] {
  return alarms.filter((a) => a.createdAt >= opts.fromMs && a.createdAt < opts.toMs && (!opts.types.length || opts.types.includes(a.type)));
}
