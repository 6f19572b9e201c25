/**
 * Camera lists in and out: JSON arrays and CSV with the header below. Passwords are never
 * exported; an imported `password` column is accepted (sealed on the way in).
 */
import { reason, type ErrorReason } from '../../contract/api-errors.js';
import type { Camera, CameraInput } from '../../contract/schemas.js';
import { readCsv, writeCsv } from './csv.js';

export const CSV_COLUMNS = ['id', 'name', 'mainUrl', 'subUrl', 'username', 'kind', 'group', 'tags', 'lat', 'lon', 'heading', 'fov', 'rangeM', 'frigateNames', 'frigateDetect'] as const;

/** One row of an import: its number as the operator sees it, and the camera or why it is unreadable. */
export type ImportRow = { row: number; input: CameraInput } | { row: number; error: string; reason: ErrorReason };

/** What an export holds for one camera (Camera without hasCredentials and probe results). */
function exported(c: Camera): Record<string, unknown> {
  return {
    id: c.id, name: c.name, mainUrl: c.mainUrl,
    ...(c.subUrl ? { subUrl: c.subUrl } : {}),
    ...(c.username ? { username: c.username } : {}),
    kind: c.kind,
    ...(c.group ? { group: c.group } : {}),
    tags: c.tags,
    ...(c.location ? { location: c.location } : {}),
    ...(c.frigate ? { frigate: c.frigate } : {}),
  };
}

export function exportJson(cameras: readonly Camera[]): string {
  return JSON.stringify(cameras.map(exported), undefined, 2) + '\n';
}

export function exportCsv(cameras: readonly Camera[]): string {
  const num = (n: number | undefined) => (n === undefined ? '' : String(n));
  return writeCsv([
    [...CSV_COLUMNS],
    ...cameras.map((c) => [
      c.id, c.name, c.mainUrl, c.subUrl ?? '', c.username ?? '', c.kind, c.group ?? '', c.tags.join(';'),
      num(c.location?.lat), num(c.location?.lon), num(c.location?.heading), num(c.location?.fov), num(c.location?.rangeM),
      c.frigate?.names.join(';') ?? '', c.frigate?.detectWidth !== undefined ? `${c.frigate.detectWidth}x${c.frigate.detectHeight}` : '',
    ]),
  ]);
}

/** JSON: an array (or { cameras: [...] }); row numbers count from 1. Throws when the text is not such JSON. */
export function parseJsonImport(text: string): ImportRow[] {
  let data: unknown;
  try { data = JSON.parse(text); } catch (err) { throw new Error(`the file is not valid JSON (${(err as Error).message})`); }
  const list = Array.isArray(data) ? data : (data as { cameras?: unknown } | null)?.cameras;
  if (!Array.isArray(list)) throw new Error('expected a JSON array of cameras (or an object with a "cameras" array)');
  return list.map((item, i): ImportRow => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return { row: i + 1, error: 'not a camera object', reason: reason('importNotCamera') };
    const { hasCredentials: _h, probe: _p, lat, lon, heading, fov, rangeM, ...rest } = item as Record<string, unknown>;
    const flatLocation = lat !== undefined || lon !== undefined ? { lat, lon, ...(heading !== undefined ? { heading } : {}), ...(fov !== undefined ? { fov } : {}), ...(rangeM !== undefined ? { rangeM } : {}) } : undefined;
    return { row: i + 1, input: { ...(flatLocation && !rest.location ? { location: flatLocation } : {}), ...rest } as CameraInput };
  });
}

/** CSV: a header row naming columns (any order, case-insensitive); rows are the lines they start on. */
export function parseCsvImport(text: string): ImportRow[] {
  const records = readCsv(text);
  const header = records.shift();
  if (!header) throw new Error('the file is empty');
  const index = new Map(header.fields.map((h, i) => [h.trim().toLowerCase(), i]));
  for (const required of ['name', 'mainurl']) {
    if (!index.has(required)) throw new Error(`the header has no "${required === 'mainurl' ? 'mainUrl' : required}" column (expected: ${CSV_COLUMNS.join(',')})`);
  }
  return records.map(({ line, fields }): ImportRow => {
    const get = (col: string) => { const i = index.get(col); return i === undefined ? '' : (fields[i] ?? '').trim(); };
    const opt = (col: string) => get(col) || undefined;
    const nums: Record<string, number | undefined> = {};
    for (const col of ['lat', 'lon', 'heading', 'fov', 'rangeM']) {
      const raw = get(col.toLowerCase());
      if (!raw) continue;
      const n = Number(raw);
      if (!Number.isFinite(n)) return { row: line, error: `${col}: '${raw.slice(0, 40)}' is not a number`, reason: reason('importNotNumber', { field: col, value: raw.slice(0, 40) }) };
      nums[col] = n;
    }
    if ((nums.lat === undefined) !== (nums.lon === undefined)) return { row: line, error: 'lat and lon go together: give both or neither', reason: reason('importLatLon') };
    const input: Record<string, unknown> = {
      name: get('name'), mainUrl: get('mainurl'),
      tags: get('tags').split(';').map((t) => t.trim()).filter(Boolean),
    };
    for (const [key, col] of [['id', 'id'], ['subUrl', 'suburl'], ['username', 'username'], ['password', 'password'], ['kind', 'kind'], ['group', 'group']] as const) {
      const v = opt(col);
      if (v !== undefined) input[key] = v;
    }
    const frigateNames = get('frigatenames').split(';').map((t) => t.trim()).filter(Boolean);
    const detect = get('frigatedetect');
    const size = /^(\d{1,5})\s*[xX×]\s*(\d{1,5})$/.exec(detect);
    if (detect && !size) return { row: line, error: `frigateDetect: '${detect.slice(0, 40)}' is not a size like 1280x720`, reason: reason('importDetectSize', { value: detect.slice(0, 40) }) };
    if (frigateNames.length || size) input.frigate = { names: frigateNames, ...(size ? { detectWidth: Number(size[1]), detectHeight: Number(size[2]) } : {}) };
    if (nums.lat !== undefined && nums.lon !== undefined) {
      input.location = { lat: nums.lat, lon: nums.lon, ...(nums.heading !== undefined ? { heading: nums.heading } : {}), ...(nums.fov !== undefined ? { fov: nums.fov } : {}), ...(nums.rangeM !== undefined ? { rangeM: nums.rangeM } : {}) };
    }
    return { row: line, input: input as CameraInput };
  });
}
