/**
 * Frigate's `frigate/events` MQTT messages -> Kuzet events, so an existing Frigate installation feeds Kuzet as
 * it is. Frigate sends { type: new|update|end, before, after } with boxes in pixels of its detect resolution
 * (not in the message): the adapter normalises with the configured detect size. Pure.
 */
import type { KuzetEventInput } from '../../contract/events-schema.js';

export interface FrigateOptions { detectWidth: number; detectHeight: number }
export const FRIGATE_DEFAULTS: FrigateOptions = { detectWidth: 1280, detectHeight: 720 };

type FrigateAfter = {
  id?: unknown; camera?: unknown; label?: unknown; sub_label?: unknown; top_score?: unknown; score?: unknown;
  box?: unknown; frame_time?: unknown; start_time?: unknown; current_zones?: unknown; recognized_license_plate?: unknown;
};

const CLASS: Record<string, string> = { person: 'person', car: 'vehicle', truck: 'truck', bus: 'bus', motorcycle: 'motorcycle', bicycle: 'bicycle', dog: 'animal', cat: 'animal', bird: 'animal', horse: 'animal', backpack: 'bag', handbag: 'bag', suitcase: 'bag' };
const clamp = (x: number) => Math.min(1, Math.max(0, x));
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

/** Maps one Frigate message; returns null for messages that carry no new observation ('end'), or a reason. */
export function fromFrigate(msg: unknown, opts: FrigateOptions = FRIGATE_DEFAULTS): { event: KuzetEventInput } | { skip: string } {
  if (!msg || typeof msg !== 'object') return { skip: 'not an object' };
  const m = msg as { type?: unknown; after?: unknown };
  if (m.type === 'end') return { skip: 'end of a tracked object' };
  if (m.type !== 'new' && m.type !== 'update') return { skip: `unknown Frigate message type ${JSON.stringify(m.type)?.slice(0, 40)}` };
  const a = (m.after ?? {}) as FrigateAfter;
  const camera = str(a.camera), id = str(a.id), label = str(a.label);
  if (!camera || !id || !label) return { skip: 'after.camera, after.id and after.label are required' };
  const frameTime = num(a.frame_time) ?? num(a.start_time);
  if (frameTime === undefined) return { skip: 'after.frame_time is required' };
  const box = Array.isArray(a.box) && a.box.length === 4 && a.box.every((v) => typeof v === 'number') ? (a.box as number[]) : null;
  const boxes = box ? [{
    x: clamp(box[0]! / opts.detectWidth), y: clamp(box[1]! / opts.detectHeight),
    w: clamp((box[2]! - box[0]!) / opts.detectWidth), h: clamp((box[3]! - box[1]!) / opts.detectHeight), label,
  }].map((b) => ({ ...b, w: Math.min(b.w, 1 - b.x), h: Math.min(b.h, 1 - b.y) })) : [];
  const base = {
    id: `frigate-${id}-${Math.round(frameTime * 1000)}`.replace(/[^A-Za-z0-9._:-]/g, '_').slice(0, 128),
    camera: camera.toLowerCase().replace(/[^a-z0-9_-]/g, '-'),
    captureTime: Math.round(frameTime * 1000),
    confidence: clamp(num(a.top_score) ?? num(a.score) ?? 1),
    boxes, track: id.slice(0, 64),
    zones: Array.isArray(a.current_zones) ? a.current_zones.filter((z): z is string => typeof z === 'string').slice(0, 16) : [],
  };
  const plate = Array.isArray(a.recognized_license_plate) ? str(a.recognized_license_plate[0]) : str(a.recognized_license_plate);
  if (plate) return { event: { ...base, type: 'plate', attributes: { text: plate.slice(0, 16), watchlistHit: false } } };
  const sub = Array.isArray(a.sub_label) ? a.sub_label : null;
  if (label === 'person' && sub && typeof sub[0] === 'string') {
    return { event: { ...base, type: 'face_match', attributes: { watchlist: 'frigate', personId: sub[0].slice(0, 64), similarity: clamp(num(sub[1]) ?? base.confidence) } } };
  }
  return { event: { ...base, type: 'object', attributes: { class: (CLASS[label] ?? 'other') as 'other' } } };
}
