/** The map's part of the contract (issue 10): moving units. Cameras come from `cameras.list` (the access gate filters it). */
import { z } from 'zod';
import { UnitsSnapshot } from './units-schema.js';

export const mapRequests = {
  /** Every unit the host heard from in the last minutes, and the rejected telemetry counts by reason. */
  'units.list': { params: z.object({}).strict(), result: UnitsSnapshot },
} as const;

export const mapEvents = {
  /** The whole unit picture, at most twice a second and only when something changed. */
  'units.changed': UnitsSnapshot,
} as const;
