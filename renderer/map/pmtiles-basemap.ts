/**
 * A PMTiles vector basemap from the host (issue 10 §1): the archive named in map.json, read with HTTP range requests
 * on the loopback server (pmtiles), each tile decoded from MVT to GeoJSON in WGS84 (loaders.gl, on this thread: no
 * worker, nothing fetched from anywhere else) and drawn by a deck.gl TileLayer in the map's basemap colours.
 */
import { TileLayer } from '@deck.gl/geo-layers';
import { GeoJsonLayer } from '@deck.gl/layers';
import { MVTLoader } from '@loaders.gl/mvt';
import { PMTiles, FetchSource } from 'pmtiles';
import type { BasemapFeature } from './basemap.js';
import { basemapLabels, LABEL_EVERY_PX, LABELS_FROM_ZOOM, metresPerPixel } from './labels.js';
import { labelLayer } from './layers.js';

export type BasemapKind = BasemapFeature['properties']['kind'];

/**
 * The map's kind of a vector-tile feature, from its `kind` property or its layer's name (Protomaps, OpenMapTiles and
 * the project's own archives use these names); null for what the map does not draw (land, labels, boundaries).
 */
export function tileFeatureKind(layerName: string, props: Record<string, unknown>): BasemapKind | null {
  const kind = typeof props.kind === 'string' ? props.kind : '';
  const known: readonly string[] = ['street', 'river', 'water', 'park', 'building'];
  if (known.includes(kind)) return kind as BasemapKind;
  switch (layerName) {
    case 'roads': case 'transportation': case 'street': case 'streets': return 'street';
    case 'water': return 'water';
    case 'waterway': case 'river': return 'river';
    case 'landuse': case 'landcover': case 'park': case 'parks': return 'park';
    case 'buildings': case 'building': return 'building';
    default: return null;
  }
}

/** One MVT tile's features in WGS84 degrees, with the map's kind (features the map does not draw are left out). */
export function decodeTile(bytes: ArrayBuffer, index: { x: number; y: number; z: number }): BasemapFeature[] {
  const parsed = MVTLoader.parseSync(bytes, { mvt: { shape: 'geojson', coordinates: 'wgs84', tileIndex: index, layerProperty: 'layerName' } });
  const features = (Array.isArray(parsed) ? parsed : []) as Array<{ properties: Record<string, unknown> | null; geometry: BasemapFeature['geometry'] }>;
  const out: BasemapFeature[] = [];
  for (const f of features) {
    const props = f.properties ?? {};
    const kind = tileFeatureKind(String(props.layerName ?? ''), props);
    if (!kind) continue;
    const names = Object.fromEntries(Object.entries(props).filter(([k, v]) => (k === 'name' || k.startsWith('name:')) && typeof v === 'string'));
    out.push({ type: 'Feature', properties: { kind, ...names }, geometry: f.geometry });
  }
  return out;
}

/** An opened archive: its zoom range and bounds from the header, or why it cannot be used. */
export interface PmtilesBasemap { archive: PMTiles; minZoom: number; maxZoom: number; bounds: [number, number, number, number] }

export async function openPmtiles(url: string): Promise<PmtilesBasemap> {
  const archive = new PMTiles(new FetchSource(url));
  const h = await archive.getHeader();
  if (h.tileType !== 1) throw new Error(`tile type ${h.tileType} is not vector tiles (MVT)`);
  return { archive, minZoom: h.minZoom, maxZoom: h.maxZoom, bounds: [h.minLon, h.minLat, h.maxLon, h.maxLat] };
}

export interface BasemapStyle {
  fill: (f: BasemapFeature) => [number, number, number, number];
  line: (f: BasemapFeature) => [number, number, number, number];
  width: (f: BasemapFeature) => number;
}

/**
 * The deck.gl layer that draws the archive's tiles; `onTileError` hears of tiles that could not be read, `onTileLoad`
 * of each tile read (the map's frame pacer wakes to draw it).
 */
export function pmtilesLayer(base: PmtilesBasemap, style: BasemapStyle, onTileError: (message: string) => void, onTileLoad: () => void = () => {}, lang = 'en'): TileLayer<BasemapFeature[]> {
  return new TileLayer<BasemapFeature[]>({
    id: 'pmtiles-basemap',
    minZoom: base.minZoom, maxZoom: base.maxZoom, extent: base.bounds, tileSize: 512, maxRequests: 4,
    getTileData: async ({ index, signal }) => {
      const r = await base.archive.getZxy(index.z, index.x, index.y, signal);
      if (!r) return [];
      try { return decodeTile(r.data, index); } catch (err) { onTileError(err instanceof Error ? err.message : String(err)); return []; }
    },
    onTileError: (err: unknown) => onTileError(err instanceof Error ? err.message : String(err)),
    onTileLoad: () => onTileLoad(),
    renderSubLayers: (props) => {
      const features = props.data ?? [];
      const z = props.tile.index.z;
      // names from the zoom labels are drawn at, spaced for the tile's zoom (labels.ts); each tile labels its own part
      const labels = z >= LABELS_FROM_ZOOM ? basemapLabels(features, lang, LABEL_EVERY_PX * metresPerPixel(z, (props.tile.bbox as { north?: number }).north ?? 0)) : [];
      return [
        new GeoJsonLayer<BasemapFeature['properties']>({
          id: props.id, data: features as never, stroked: true, filled: true, lineWidthUnits: 'pixels', pointRadiusUnits: 'pixels',
          getFillColor: (f) => style.fill(f as unknown as BasemapFeature), getLineColor: (f) => style.line(f as unknown as BasemapFeature),
          getLineWidth: (f) => style.width(f as unknown as BasemapFeature), getPointRadius: 2,
        }),
        ...(labels.length ? [labelLayer(`${props.id}-labels`, labels)] : []),
      ];
    },
  });
}
