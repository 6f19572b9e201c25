/** The host's line per event, in English (logs, overlay labels burned into exports): electron/contract/event-text.ts. */
import type { KuzetEvent, StoredEvent } from '../../contract/events-schema.js';
import type { StoredOverlay } from '../../contract/alarms-api.js';
import { describeEvent as describe, translatorOf } from '../../contract/event-text.js';
import en from '../../../resources/locales/en.json' with { type: 'json' };

const english = translatorOf(en);

export function describeEvent(ev: KuzetEvent): string {
  return describe(ev as unknown as { type: string; attributes: Record<string, unknown> }, english);
}

/** "<event> in <zones>": the alarm line of a zone rule. */
export const inZonesEnglish = (p: { what: string; zones: string }): string => english('events.inZones', p);

/** A stored event as review draws it (`events.query`): its boxes, track and line. */
export function storedOverlay(ev: StoredEvent): StoredOverlay {
  return { id: ev.id, cameraId: ev.camera, captureTime: ev.captureTime, type: ev.type, ...(ev.track ? { track: ev.track } : {}), label: describeEvent(ev), attributes: ev.attributes, boxes: ev.boxes };
}
