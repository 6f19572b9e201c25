/** The camera form's plain data: what the inputs hold, and how it becomes a CameraInput. */
import { frigateDetectSize, type Camera, type CameraInput, type CameraKind, type FrigateSettings, type GeoPosition } from '../../electron/contract/schemas.js';
import { t } from '../i18n/i18n.js';
import { formatNumber } from '../i18n/format.js';

export interface CameraForm {
  name: string; mainUrl: string; subUrl: string; username: string; password: string;
  kind: CameraKind; group: string; tags: string;
  /** Location as typed: decimal degrees; all empty means no location. */
  lat: string; lon: string; heading: string; fov: string; range: string;
  /** Frigate camera names feeding this camera, comma separated; Frigate's detect size as `1280x720` (empty: the probed size). */
  frigateNames: string; frigateDetect: string;
}

export const EMPTY_FORM: CameraForm = {
  name: '', mainUrl: '', subUrl: '', username: '', password: '', kind: 'fixed', group: '', tags: '', lat: '', lon: '', heading: '', fov: '', range: '',
  frigateNames: '', frigateDetect: '',
};

const num = (v: number | undefined): string => (v === undefined ? '' : String(v));

export function formOf(c: Camera): CameraForm {
  return {
    name: c.name, mainUrl: c.mainUrl, subUrl: c.subUrl ?? '', username: c.username ?? '', password: '', kind: c.kind,
    group: c.group ?? '', tags: c.tags.join(', '), lat: num(c.location?.lat), lon: num(c.location?.lon), heading: num(c.location?.heading),
    fov: num(c.location?.fov), range: num(c.location?.rangeM),
    frigateNames: c.frigate?.names.join(', ') ?? '',
    frigateDetect: c.frigate?.detectWidth !== undefined ? `${c.frigate.detectWidth}x${c.frigate.detectHeight}` : '',
  };
}

/** Thrown for a form value that cannot become a CameraInput; the message names the field. */
export class FormError extends Error {}

function parseNumber(label: string, text: string, min: number, max: number): number {
  const v = Number(text.trim().replace(',', '.'));
  if (!Number.isFinite(v) || v < min || v > max) throw new FormError(t('cameraForm.errNumber', { label, min, max, got: text.trim().slice(0, 40) }));
  return v;
}

/**
 * Latitude and longitude go together; heading, field of view and range need a position. An empty field of view keeps
 * the stored camera's (set by an import); an empty range is the map's default.
 */
export function locationOf(f: CameraForm, previous?: GeoPosition): GeoPosition | undefined {
  const [lat, lon, heading, fov, range] = [f.lat.trim(), f.lon.trim(), f.heading.trim(), f.fov.trim(), f.range.trim()];
  if (!lat && !lon && !heading && !fov && !range) return undefined;
  if (!lat || !lon) throw new FormError(t('cameraForm.errLocation'));
  const out: GeoPosition = { lat: parseNumber(t('cameraForm.latitude'), lat, -90, 90), lon: parseNumber(t('cameraForm.longitude'), lon, -180, 180) };
  if (heading) out.heading = parseNumber(t('cameraForm.heading'), heading, 0, 360);
  if (fov) out.fov = parseNumber(t('cameraForm.fov'), fov, 1, 360);
  else if (previous?.fov !== undefined) out.fov = previous.fov;
  if (range) out.rangeM = parseNumber(t('cameraForm.range'), range, 1, 10_000);
  return out;
}

const FRIGATE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Frigate names and detect size; undefined when both are empty. */
export function frigateOf(f: CameraForm): FrigateSettings | undefined {
  const names = f.frigateNames.split(',').map((t) => t.trim()).filter(Boolean);
  const bad = names.find((n) => !FRIGATE_NAME.test(n));
  if (bad !== undefined) throw new FormError(t('cameraForm.errFrigateName', { got: bad.slice(0, 40) }));
  const detect = f.frigateDetect.trim();
  if (!names.length && !detect) return undefined;
  if (!detect) return { names };
  const m = /^(\d{1,5})\s*[xX×]\s*(\d{1,5})$/.exec(detect);
  const [w, h] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(w >= 16 && w <= 8192 && h >= 16 && h <= 8192)) throw new FormError(t('cameraForm.errFrigateDetect', { got: detect.slice(0, 40) }));
  return { names, detectWidth: w, detectHeight: h };
}

/** What the detect-size field shows when empty: the size used instead. */
export function frigateDetectHint(c: Camera | null): string {
  const d = c ? frigateDetectSize({ probe: c.probe }) : null;
  return d ? `${d.width}x${d.height} (${d.from === 'sub-stream probe' ? t('cameraForm.subStream') : t('cameraForm.mainStream')})` : t('cameraForm.detectExample');
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

/** Key frames further apart than this (ms) get a warning: a review seek decodes from the key frame before its picture. */
export const KEYFRAME_WARN_MS = { main: 2000, sub: 1000 } as const;
/** What the warning asks for instead (s): the sub-stream is what a many-tile review seek decodes. */
const KEYFRAME_ADVICE_S = { main: 1, sub: 0.5 } as const;

/** Seconds with one decimal, in the console's language ("0.5", "0,5"). */
const seconds = (ms: number) => formatNumber(ms / 1000, 1);

/** One stream's probe in a line: codec, size, fps, key-frame interval; a failure as its reason. */
function streamSummary(p: NonNullable<NonNullable<Camera['probe']>['main']>): string {
  if (!p.ok) return t('cameraForm.probeFailed', { reason: p.error ?? p.errorKind ?? t('cameraForm.unknownError') });
  const size = p.width && p.height ? ` ${p.width}x${p.height}` : '';
  const fps = p.fps ? ` ${Math.round(p.fps * 10) / 10} fps` : '';
  const keys = p.keyframeIntervalMs === undefined ? ''
    : `, ${t(p.keyframeIntervalAtLeast ? 'cameraForm.keyframeAtLeast' : 'cameraForm.keyframeEvery', { s: seconds(p.keyframeIntervalMs) })}`;
  return `${p.codec ?? t('cameraForm.unknownCodec')}${size}${fps}${keys}`;
}

/** The warnings a camera's probes call for (key frames too far apart for quick review seeks), in the console's language. */
export function probeWarnings(p: Camera['probe']): string[] {
  return (['main', 'sub'] as const).flatMap((stream) => {
    const r = p?.[stream];
    if (!r?.ok || r.keyframeIntervalMs === undefined || r.keyframeIntervalMs <= KEYFRAME_WARN_MS[stream]) return [];
    return [t('cameraForm.longGop', {
      stream: t(stream === 'sub' ? 'cameraForm.subStream' : 'cameraForm.mainStream'),
      s: seconds(r.keyframeIntervalMs), max: formatNumber(KEYFRAME_ADVICE_S[stream], 1),
    })];
  });
}

/** The camera's probes in a line: the main stream, then the sub-stream when it was probed, then any warnings. */
export function probeSummary(p: Camera['probe']): string {
  const main = p?.main;
  if (!main) return t('cameraForm.notProbed');
  const sub = p.sub ? ` · ${t('cameraForm.subStream')}: ${streamSummary(p.sub)}` : '';
  const warnings = probeWarnings(p);
  return `${streamSummary(main)}${sub}${warnings.length ? ` ⚠ ${warnings.join('; ')}` : ''}`;
}
