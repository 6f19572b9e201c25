/** The camera form's plain data: what the inputs hold, and how it becomes a CameraInput. */
import { frigateDetectSize, type Camera, type CameraInput, type CameraKind, type FrigateSettings, type GeoPosition } from '../../electron/contract/schemas.js';

export interface CameraForm {
  name: string; mainUrl: string; subUrl: string; username: string; password: string;
  kind: CameraKind; group: string; tags: string;
  /** Location as typed: decimal degrees; all empty means no location. */
  lat: string; lon: string; heading: string;
  /** Frigate camera names feeding this camera, comma separated; Frigate's detect size as `1280x720` (empty: the probed size). */
  frigateNames: string; frigateDetect: string;
}

export const EMPTY_FORM: CameraForm = {
  name: '', mainUrl: '', subUrl: '', username: '', password: '', kind: 'fixed', group: '', tags: '', lat: '', lon: '', heading: '',
  frigateNames: '', frigateDetect: '',
};

const num = (v: number | undefined): string => (v === undefined ? '' : String(v));

export function formOf(c: Camera): CameraForm {
  return {
    name: c.name, mainUrl: c.mainUrl, subUrl: c.subUrl ?? '', username: c.username ?? '', password: '', kind: c.kind,
    group: c.group ?? '', tags: c.tags.join(', '), lat: num(c.location?.lat), lon: num(c.location?.lon), heading: num(c.location?.heading),
    frigateNames: c.frigate?.names.join(', ') ?? '',
    frigateDetect: c.frigate?.detectWidth !== undefined ? `${c.frigate.detectWidth}x${c.frigate.detectHeight}` : '',
  };
}

/** Thrown for a form value that cannot become a CameraInput; the message names the field. */
export class FormError extends Error {}

function parseNumber(label: string, text: string, min: number, max: number): number {
  const v = Number(text.trim().replace(',', '.'));
  if (!Number.isFinite(v) || v < min || v > max) throw new FormError(`${label}: a number from ${min} to ${max}, got “${text.trim().slice(0, 40)}”`);
  return v;
}

/** Latitude and longitude go together; heading needs a position. The field of view is kept from the stored camera. */
export function locationOf(f: CameraForm, previous?: GeoPosition): GeoPosition | undefined {
  const [lat, lon, heading] = [f.lat.trim(), f.lon.trim(), f.heading.trim()];
  if (!lat && !lon && !heading) return undefined;
  if (!lat || !lon) throw new FormError('location: give both latitude and longitude, or neither');
  const out: GeoPosition = { lat: parseNumber('latitude', lat, -90, 90), lon: parseNumber('longitude', lon, -180, 180) };
  if (heading) out.heading = parseNumber('heading', heading, 0, 360);
  if (previous?.fov !== undefined) out.fov = previous.fov;
  return out;
}

const FRIGATE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Frigate names and detect size; undefined when both are empty. */
export function frigateOf(f: CameraForm): FrigateSettings | undefined {
  const names = f.frigateNames.split(',').map((t) => t.trim()).filter(Boolean);
  const bad = names.find((n) => !FRIGATE_NAME.test(n));
  if (bad !== undefined) throw new FormError(`Frigate camera name: letters, digits, _ and - only (as in Frigate's config), got “${bad.slice(0, 40)}”`);
  const detect = f.frigateDetect.trim();
  if (!names.length && !detect) return undefined;
  if (!detect) return { names };
  const m = /^(\d{1,5})\s*[xX×]\s*(\d{1,5})$/.exec(detect);
  const [w, h] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(w >= 16 && w <= 8192 && h >= 16 && h <= 8192)) throw new FormError(`Frigate detect size: width x height in pixels (16 to 8192), like 1280x720, got “${detect.slice(0, 40)}”`);
  return { names, detectWidth: w, detectHeight: h };
}

/** What the detect-size field shows when empty: the size used instead. */
export function frigateDetectHint(c: Camera | null): string {
  const d = c ? frigateDetectSize({ probe: c.probe }) : null;
  return d ? `${d.width}x${d.height} (${d.from === 'sub-stream probe' ? 'sub-stream' : 'main stream'})` : 'e.g. 1280x720';
}

/**
 * Empty optional fields are left out; an empty password on edit keeps the stored one. Frigate settings are sent when
 * filled in, or empty when the camera had some (which clears them).
 */
export function inputOf(f: CameraForm, previousLocation?: GeoPosition, hadFrigate = false): CameraInput {
  const out: CameraInput = { name: f.name.trim(), mainUrl: f.mainUrl.trim(), kind: f.kind, tags: f.tags.split(',').map((t) => t.trim()).filter(Boolean) };
  if (f.subUrl.trim()) out.subUrl = f.subUrl.trim();
  if (f.username.trim()) out.username = f.username.trim();
  if (f.password) out.password = f.password;
  if (f.group.trim()) out.group = f.group.trim();
  const location = locationOf(f, previousLocation);
  if (location) out.location = location;
  const frigate = frigateOf(f);
  if (frigate || hadFrigate) out.frigate = frigate ?? { names: [] };
  return out;
}

export function probeSummary(p: Camera['probe']): string {
  const main = p?.main;
  if (!main) return 'not probed';
  if (!main.ok) return `probe failed: ${main.error ?? main.errorKind ?? 'unknown error'}`;
  const size = main.width && main.height ? ` ${main.width}x${main.height}` : '';
  const fps = main.fps ? ` ${Math.round(main.fps * 10) / 10} fps` : '';
  return `${main.codec ?? 'unknown codec'}${size}${fps}`;
}
