/**
 * The map's local files (issue 10 §1): `<dataDir>/map.json` names a PMTiles basemap and PNG site plans. Read on every
 * `map.config` call, so an edit applies when the map window reloads. A file that is missing, unreadable or not what it
 * claims (not PMTiles v3, not a PNG or JPEG) is left out with a problem in words; it never stops the map or the host.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { MapConfigFile, type KlvSourceConfig, type MapConfig } from '../../contract/map-api.js';

export const MAP_CONFIG_FILE = 'map.json';
export const BASEMAP_ROUTE = '/map/basemap.pmtiles';
export const PLAN_ROUTE = '/map/plan/';

/** What the host serves: the basemap and plan files by route, and the reply for `map.config`. */
export interface MapFiles {
  config: MapConfig;
  /** Absolute path of the file behind a route (`/map/basemap.pmtiles`, `/map/plan/<id>`), or undefined. */
  files: Map<string, { path: string; type: string }>;
  /** KLV drones map.json names (the map module starts and stops them to match); null when the file was refused, so
   *  a bad edit leaves the drones already being read as they are. */
  klv: KlvSourceConfig[] | null;
}

function head(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally { closeSync(fd); }
}

/** Why a file is not a PMTiles v3 archive of vector tiles, or null. Spec: github.com/protomaps/PMTiles, spec/v3. */
export function pmtilesProblem(path: string): string | null {
  const h = head(path, 127);
  if (h.length < 127 || h.subarray(0, 7).toString('latin1') !== 'PMTiles') return 'not a PMTiles archive (no PMTiles header)';
  if (h[7] !== 3) return `PMTiles version ${h[7]} is not supported (version 3 only)`;
  const tileType = h[99];
  if (tileType !== 1) return `PMTiles tile type ${tileType} is not vector tiles (MVT); raster basemaps are not supported`;
  const minLon = h.readInt32LE(102) / 1e7, minLat = h.readInt32LE(106) / 1e7, maxLon = h.readInt32LE(110) / 1e7, maxLat = h.readInt32LE(114) / 1e7;
  // Coordinates outside WGS84 degrees mean the archive was written in another projection (metres, for instance).
  if (![minLon, maxLon].every((x) => Math.abs(x) <= 180) || ![minLat, maxLat].every((y) => Math.abs(y) <= 90) || minLon > maxLon || minLat > maxLat) {
    return `PMTiles bounds ${minLon},${minLat},${maxLon},${maxLat} are not WGS84 degrees (wrong projection?)`;
  }
  const rootEnd = Number(h.readBigUInt64LE(8) + h.readBigUInt64LE(16));
  const dataEnd = Number(h.readBigUInt64LE(56) + h.readBigUInt64LE(64));
  const size = statSync(path).size;
  if (rootEnd > size || dataEnd > size) return `PMTiles archive is truncated (${size} bytes, its header needs ${Math.max(rootEnd, dataEnd)})`;
  return null;
}

/** A PNG's size in pixels, or a problem in words. */
export function pngSize(path: string): { width: number; height: number } | string {
  const h = head(path, 24);
  if (h.length < 24 || h.readUInt32BE(0) !== 0x89504e47 || h.readUInt32BE(4) !== 0x0d0a1a0a || h.subarray(12, 16).toString('latin1') !== 'IHDR') return 'not a PNG image';
  const width = h.readUInt32BE(16), height = h.readUInt32BE(20);
  if (width < 1 || height < 1 || width > 16_384 || height > 16_384) return `PNG size ${width}x${height} is outside 1..16384 pixels`;
  return { width, height };
}

/** The largest side of a plan image, pixels (a texture beyond this does not fit a software WebGL). */
export const PLAN_MAX_SIDE = 16_384;

/**
 * A plan image's type and size from its first bytes (magic bytes, never the file name): a PNG (signature, IHDR) or a
 * JPEG (SOI, then the first start-of-frame marker), or a problem in words.
 */
export function imageInfo(h: Buffer): { type: 'png' | 'jpeg'; width: number; height: number } | string {
  let found: { type: 'png' | 'jpeg'; width: number; height: number } | null = null;
  if (h.length >= 24 && h.readUInt32BE(0) === 0x89504e47 && h.readUInt32BE(4) === 0x0d0a1a0a && h.subarray(12, 16).toString('latin1') === 'IHDR') {
    found = { type: 'png', width: h.readUInt32BE(16), height: h.readUInt32BE(20) };
  } else if (h.length >= 4 && h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff) {
    let i = 2;
    while (i + 4 <= h.length && !found) {
      if (h[i] !== 0xff) return 'a damaged JPEG image (no marker where one should be)';
      const m = h[i + 1]!;
      if (m === 0xff) { i++; continue; } // fill byte
      if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { i += 2; continue; } // no length
      if (m === 0xd9 || m === 0xda) return 'a JPEG image without a frame header before its data';
      const len = h.readUInt16BE(i + 2);
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
        if (i + 9 > h.length) break;
        found = { type: 'jpeg', width: h.readUInt16BE(i + 7), height: h.readUInt16BE(i + 5) };
      }
      i += 2 + len;
    }
    if (!found) return 'a truncated JPEG image (no frame header)';
  } else return 'not a PNG or JPEG image';
  const { width, height, type } = found;
  if (width < 1 || height < 1 || width > PLAN_MAX_SIDE || height > PLAN_MAX_SIDE) return `${type.toUpperCase()} size ${width}x${height} is outside 1..${PLAN_MAX_SIDE} pixels`;
  return found;
}

/** A plan image file's type and size (PNG or JPEG, by its bytes), or a problem in words. */
export function planImageInfo(path: string): { type: 'png' | 'jpeg'; width: number; height: number } | string {
  return imageInfo(head(path, 256 * 1024));
}

/** Reads map.json in `dataDir` (none: the bundled basemap only). Never throws. */
export function readMapFiles(dataDir: string): MapFiles {
  const files = new Map<string, { path: string; type: string }>();
  const problems: string[] = [];
  const config: MapConfig = { basemap: null, plans: [], problems };
  const file = join(dataDir, MAP_CONFIG_FILE);
  if (!existsSync(file)) return { config, files, klv: [] };
  let parsed: MapConfigFile;
  try {
    const r = MapConfigFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!r.success) { problems.push(`${MAP_CONFIG_FILE}: ${r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`); return { config, files, klv: null }; }
    parsed = r.data;
  } catch (err) {
    problems.push(`${MAP_CONFIG_FILE}: ${err instanceof Error ? err.message : String(err)}`);
    return { config, files, klv: null };
  }
  const resolve = (p: string) => (isAbsolute(p) ? p : join(dataDir, p));
  const usable = (label: string, path: string, check: (p: string) => string | null): boolean => {
    try {
      if (!statSync(path).isFile()) { problems.push(`${label}: ${path} is not a file`); return false; }
      const why = check(path);
      if (why) { problems.push(`${label}: ${path}: ${why}`); return false; }
      return true;
    } catch (err) {
      problems.push(`${label}: ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
      return false;
    }
  };
  if (parsed.basemap) {
    const path = resolve(parsed.basemap.pmtiles);
    if (usable('basemap', path, pmtilesProblem)) {
      files.set(BASEMAP_ROUTE, { path, type: 'application/vnd.pmtiles' });
      config.basemap = { url: BASEMAP_ROUTE, bytes: statSync(path).size };
    }
  }
  const seen = new Set<string>();
  for (const plan of parsed.plans) {
    if (seen.has(plan.id)) { problems.push(`plan ${plan.id}: the id is used twice`); continue; }
    seen.add(plan.id);
    const path = resolve(plan.image);
    let size: { type: 'png' | 'jpeg'; width: number; height: number } | null = null;
    if (!usable(`plan ${plan.id}`, path, (p) => { const s = planImageInfo(p); if (typeof s === 'string') return s; size = s; return null; }) || !size) continue;
    const { width, height, type } = size;
    files.set(`${PLAN_ROUTE}${plan.id}`, { path, type: `image/${type}` });
    config.plans.push({ id: plan.id, name: plan.name, url: `${PLAN_ROUTE}${plan.id}`, width, height, points: plan.points, opacity: plan.opacity });
  }
  return { config, files, klv: parsed.klv };
}
