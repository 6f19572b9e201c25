/**
 * Frigate's MQTT messages -> Kuzet events, so an existing Frigate installation feeds Kuzet as it is
 * (docs/events.md "Frigate"). Pure: the engine supplies the camera directory and what it remembers of each track.
 *
 * - `frigate/events` `{type: new|update|end, before, after}`: one event per message, from `after` (Frigate 0.12-0.16
 *   shapes). Boxes are `[x1, y1, x2, y2]` pixels of the camera's detect resolution, which the messages do not carry.
 * - `frigate/tracked_object_update` (0.14+): `face` {id, name, score, camera, timestamp}, `lpr` {id, name, plate,
 *   score, camera, timestamp}, `description` {id, description}: a new event on the tracked object's track.
 */
import type { Box, KuzetEventInput, RejectReason } from '../../contract/events-schema.js';
import { frigateDetectSize } from '../../contract/schemas.js';

/** Frigate's topics (Frigate's default `topic_prefix`, `frigate`). */
export const FRIGATE_EVENTS_TOPIC = 'frigate/events';
export const FRIGATE_UPDATE_TOPIC = 'frigate/tracked_object_update';

/** A Kuzet camera as the adapter needs it: structurally a contract `Camera` (the engine passes the registry's list). */
export interface FrigateCameraFacts {
  id: string;
  frigate?: { names: string[]; detectWidth?: number | undefined; detectHeight?: number | undefined } | undefined;
  probe?: Parameters<typeof frigateDetectSize>[0]['probe'];
}

/** Where one Frigate camera's events go, and the size its boxes are pixels of (null: unknown, boxes are dropped). */
export interface FrigateTarget {
  cameraId: string;
  detect: { width: number; height: number; from: 'setting' | 'sub-stream probe' | 'main-stream probe' } | null;
}

/** What the engine remembers of one Frigate tracked object (by Frigate id) for `tracked_object_update`. */
export interface FrigateTrack {
  cameraId: string;
  label: string;
  box: Box | null;
  /** Capture time of the last observation, epoch ms. */
  at: number;
  zones: string[];
  /** Epoch ms when Frigate ended the object, null while it is tracked. */
  endedAt: number | null;
}

export interface FrigateContext {
  target(frigateCamera: string): FrigateTarget | null;
  track(frigateId: string): FrigateTrack | undefined;
}

export type FrigateResult = { event: KuzetEventInput; track: FrigateTrack; frigateId: string } | { skip: RejectReason; detail: string };

/** Frigate camera names to Kuzet cameras: names set on a camera first, else a camera whose id is the name's slug and that names no Frigate camera. */
export function frigateDirectory(cameras: readonly FrigateCameraFacts[]): (frigateCamera: string) => FrigateTarget | null {
  const byName = new Map<string, FrigateCameraFacts>();
  const bySlug = new Map<string, FrigateCameraFacts>();
  for (const c of cameras) {
    const names = c.frigate?.names ?? [];
    for (const n of names) if (!byName.has(n)) byName.set(n, c);
    if (!names.length) bySlug.set(c.id, c);
  }
  return (name) => {
    const c = byName.get(name) ?? bySlug.get(frigateSlug(name));
    return c ? { cameraId: c.id, detect: frigateDetectSize(c) } : null;
  };
}

/** The slug a Frigate camera name matches a Kuzet camera id by, when no camera names it. */
export const frigateSlug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 64);

const CLASS: Record<string, 'person' | 'vehicle' | 'bicycle' | 'motorcycle' | 'bus' | 'truck' | 'animal' | 'bag'> = {
  person: 'person', car: 'vehicle', truck: 'truck', bus: 'bus', school_bus: 'bus', motorcycle: 'motorcycle', bicycle: 'bicycle',
  dog: 'animal', cat: 'animal', bird: 'animal', horse: 'animal', sheep: 'animal', cow: 'animal', bear: 'animal', deer: 'animal',
  backpack: 'bag', handbag: 'bag', suitcase: 'bag',
};
const clamp = (x: number) => Math.min(1, Math.max(0, x));
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() !== '' ? x : undefined);
const obj = (x: unknown): Record<string, unknown> | null => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : null);
const skip = (reason: RejectReason, detail: string): FrigateResult => ({ skip: reason, detail });
/** Frigate times are float seconds since the epoch; Kuzet's are integer milliseconds. */
const ms = (seconds: number) => Math.round(seconds * 1000);
const eventId = (frigateId: string, suffix: string) => `frigate-${frigateId}-${suffix}`.replace(/[^A-Za-z0-9._:-]/g, '_').slice(0, 128);

/** Frigate's `[x1, y1, x2, y2]` pixel box as a normalised Kuzet box; null when absent or not four numbers. */
export function normaliseBox(box: unknown, size: { width: number; height: number }, label?: string): Box | null {
  if (!Array.isArray(box) || box.length !== 4 || !box.every((v) => num(v) !== undefined)) return null;
  const [x1, y1, x2, y2] = box as [number, number, number, number];
  const x = clamp(Math.min(x1, x2) / size.width), y = clamp(Math.min(y1, y2) / size.height);
  const w = Math.min(clamp(Math.abs(x2 - x1) / size.width), 1 - x), h = Math.min(clamp(Math.abs(y2 - y1) / size.height), 1 - y);
  return { x, y, w, h, ...(label ? { label: label.slice(0, 64) } : {}) };
}

/** `sub_label`: null, `[name, score]` (0.13+) or a plain name (older versions). */
function subLabelOf(x: unknown): { name: string; score?: number } | null {
  if (Array.isArray(x)) { const name = str(x[0]); return name ? { name, ...(num(x[1]) !== undefined ? { score: num(x[1])! } : {}) } : null; }
  const name = str(x);
  return name ? { name } : null;
}

function zonesOf(a: Record<string, unknown>): string[] {
  const list = [...(Array.isArray(a.current_zones) ? a.current_zones : []), ...(Array.isArray(a.entered_zones) ? a.entered_zones : [])];
  return [...new Set(list.filter((z): z is string => typeof z === 'string' && z !== '').map((z) => z.slice(0, 64)))].slice(0, 16);
}

/** One `frigate/events` message. */
export function fromFrigateEvent(msg: unknown, ctx: FrigateContext): FrigateResult {
  const m = obj(msg);
  if (!m) return skip('invalid', 'a Frigate event must be a JSON object');
  if (m.type !== 'new' && m.type !== 'update' && m.type !== 'end') return skip('unsupported', `Frigate event type ${JSON.stringify(m.type)?.slice(0, 40)} (expected new, update or end)`);
  const a = obj(m.after);
  if (!a) return skip('invalid', 'Frigate event without "after"');
  const frigateId = str(a.id), camera = str(a.camera), label = str(a.label);
  if (!frigateId || !camera || !label) return skip('invalid', 'after.id, after.camera and after.label are required');
  if (a.false_positive === true) return skip('false-positive', `Frigate marks ${label} ${frigateId.slice(0, 64)} on ${camera.slice(0, 64)} a false positive`);
  const frameTime = num(a.frame_time) ?? num(a.start_time);
  if (frameTime === undefined || frameTime < 0) return skip('invalid', 'after.frame_time must be seconds since the epoch');
  const target = ctx.target(camera);
  if (!target) return skip('unknown-camera', `Frigate camera '${camera.slice(0, 64)}' feeds no Kuzet camera (set it in the camera's Frigate names)`);

  const sub = subLabelOf(a.sub_label);
  const plate = str(Array.isArray(a.recognized_license_plate) ? a.recognized_license_plate[0] : a.recognized_license_plate);
  const boxLabel = sub ? `${label}: ${sub.name}` : plate ? `${label} ${plate}` : label;
  const box = target.detect ? normaliseBox(a.box, target.detect, boxLabel) : null;
  const captureTime = ms(frameTime);
  const ended = m.type === 'end';
  const endTime = ended ? ms(num(a.end_time) ?? frameTime) : undefined;
  const zones = zonesOf(a);
  const base = {
    id: eventId(frigateId, ended ? 'end' : String(captureTime)),
    camera: target.cameraId, captureTime, boxes: box ? [box] : [], track: frigateId.slice(0, 64), zones,
    confidence: clamp(num(a.top_score) ?? num(a.score) ?? 1),
    ...(endTime !== undefined ? { endTime: Math.max(endTime, captureTime) } : {}),
  };
  const track: FrigateTrack = { cameraId: target.cameraId, label, box, at: captureTime, zones, endedAt: base.endTime ?? null };
  let event: KuzetEventInput;
  if (plate) {
    const score = num(a.recognized_license_plate_score) ?? (Array.isArray(a.recognized_license_plate) ? num(a.recognized_license_plate[1]) : undefined);
    event = { ...base, type: 'plate', ...(score !== undefined ? { confidence: clamp(score) } : {}),
      attributes: { text: plate.slice(0, 16), watchlistHit: !!sub, ...(sub ? { watchlist: 'frigate' } : {}) } };
  } else if (label === 'person' && sub) {
    event = { ...base, type: 'face_match', attributes: { watchlist: 'frigate', personId: sub.name.slice(0, 64), name: sub.name.slice(0, 200), similarity: clamp(sub.score ?? base.confidence) } };
  } else {
    event = { ...base, type: 'object', attributes: {
      class: CLASS[label] ?? 'other', label: label.slice(0, 64),
      ...(sub ? { subLabel: sub.name.slice(0, 200) } : {}),
      ...(typeof a.stationary === 'boolean' ? { stationary: a.stationary } : {}),
    } };
  }
  return { event, track, frigateId };
}

/** One `frigate/tracked_object_update` message, applied to the tracked object it names. */
export function fromFrigateUpdate(msg: unknown, ctx: FrigateContext): FrigateResult {
  const m = obj(msg);
  if (!m) return skip('invalid', 'a Frigate tracked object update must be a JSON object');
  const frigateId = str(m.id);
  if (!frigateId) return skip('invalid', 'tracked object update without "id"');
  if (m.type !== 'face' && m.type !== 'lpr' && m.type !== 'description') return skip('unsupported', `tracked object update type ${JSON.stringify(m.type)?.slice(0, 40)} (face, lpr and description are used)`);
  const known = ctx.track(frigateId);
  const camera = str(m.camera);
  const target = camera ? ctx.target(camera) : null;
  if (camera && !target) return skip('unknown-camera', `Frigate camera '${camera.slice(0, 64)}' feeds no Kuzet camera (set it in the camera's Frigate names)`);
  const cameraId = target?.cameraId ?? known?.cameraId;
  if (!cameraId) return skip('unknown-track', `${String(m.type)} update for tracked object ${frigateId.slice(0, 64)}, which Kuzet has not seen (and the update names no camera)`);
  const stamp = num(m.timestamp);
  const captureTime = stamp !== undefined && stamp >= 0 ? ms(stamp) : known?.at;
  if (captureTime === undefined) return skip('unknown-track', `${String(m.type)} update for tracked object ${frigateId.slice(0, 64)}, which Kuzet has not seen (and the update has no timestamp)`);
  const sameTrack = known && known.cameraId === cameraId ? known : undefined;
  const label = sameTrack?.label ?? (m.type === 'face' ? 'person' : m.type === 'lpr' ? 'car' : 'object');
  const zones = sameTrack?.zones ?? [];
  const track: FrigateTrack = { cameraId, label, box: sameTrack?.box ?? null, at: Math.max(captureTime, sameTrack?.at ?? 0), zones, endedAt: sameTrack?.endedAt ?? null };
  const base = { camera: cameraId, captureTime, track: frigateId.slice(0, 64), zones, ...(track.endedAt !== null ? { endTime: Math.max(track.endedAt, captureTime) } : {}) };
  const boxWith = (text: string) => (track.box ? [{ ...track.box, label: text.slice(0, 64) }] : []);
  const score = num(m.score);

  if (m.type === 'face') {
    const name = str(m.name);
    if (!name || name.toLowerCase() === 'unknown') return skip('unsupported', `face on tracked object ${frigateId.slice(0, 64)} not recognised`);
    const event: KuzetEventInput = { ...base, id: eventId(frigateId, `face-${captureTime}`), type: 'face_match', boxes: boxWith(`person: ${name}`),
      confidence: clamp(score ?? 1), attributes: { watchlist: 'frigate', personId: name.slice(0, 64), name: name.slice(0, 200), similarity: clamp(score ?? 1) } };
    return { event, track, frigateId };
  }
  if (m.type === 'lpr') {
    const plate = str(m.plate);
    if (!plate) return skip('invalid', `lpr update for tracked object ${frigateId.slice(0, 64)} without "plate"`);
    const known = str(m.name);
    const event: KuzetEventInput = { ...base, id: eventId(frigateId, `lpr-${captureTime}`), type: 'plate', boxes: boxWith(`${label} ${plate}`),
      confidence: clamp(score ?? 1), attributes: { text: plate.slice(0, 16), watchlistHit: !!known, ...(known ? { watchlist: 'frigate' } : {}) } };
    return { event, track, frigateId };
  }
  const description = str(m.description);
  if (!description) return skip('invalid', `description update for tracked object ${frigateId.slice(0, 64)} without "description"`);
  const event: KuzetEventInput = { ...base, id: eventId(frigateId, `description-${captureTime}`), type: 'object', boxes: boxWith(label),
    attributes: { class: CLASS[label] ?? 'other', label: label.slice(0, 64), description: description.slice(0, 2000) } };
  return { event, track, frigateId };
}
