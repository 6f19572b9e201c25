/**
 * Coverage on the map (issue 10 §5): blind stretches of street drawn in red over the streets, and a proposed camera
 * (not installed yet) as a dashed-looking violet cone with its dot. Pure: data in, layers out.
 */
import { PathLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { CoverageResult } from './coverage.js';
import type { SightCamera } from './follow.js';
import { viewCone } from './geo.js';
import type { Rgba } from './camera-look.js';

export const BLIND_COLOUR: Rgba = [231, 76, 60, 255];
export const PROPOSED_COLOUR: Rgba = [186, 104, 200, 255];
export const UNWATCHED_COLOUR: Rgba = [255, 0, 220, 255];

/** Cameras nobody watched in the attention window: a magenta ring around each (issue 10 §5). */
export function unwatchedLayer(positions: ReadonlyArray<{ id: string; position: [number, number] }>): Layer {
  return new ScatterplotLayer<{ id: string; position: [number, number] }>({
    id: 'unwatched-cameras', data: positions, radiusUnits: 'pixels', getRadius: 13, stroked: true, filled: false,
    lineWidthUnits: 'pixels', getLineWidth: 3, getPosition: (c) => c.position, getLineColor: UNWATCHED_COLOUR,
  });
}

export function coverageLayers(result: CoverageResult | null, proposed: SightCamera | null): Layer[] {
  const out: Layer[] = [];
  if (result) {
    out.push(new PathLayer<CoverageResult['blind'][number]>({
      id: 'blind-streets', data: result.blind, widthUnits: 'pixels', getWidth: 5, capRounded: true,
      getPath: (b) => b.path, getColor: BLIND_COLOUR,
    }));
  }
  if (proposed) {
    out.push(new PolygonLayer<SightCamera>({
      id: 'proposed-cone', data: [proposed], stroked: true, filled: true, lineWidthUnits: 'pixels', getLineWidth: 2,
      getPolygon: (c) => viewCone(c.position, c.heading, c.fov, c.rangeM),
      getFillColor: [PROPOSED_COLOUR[0], PROPOSED_COLOUR[1], PROPOSED_COLOUR[2], 90], getLineColor: PROPOSED_COLOUR,
    }));
    out.push(new ScatterplotLayer<SightCamera>({
      id: 'proposed-camera', data: [proposed], radiusUnits: 'pixels', getRadius: 6, stroked: true, lineWidthUnits: 'pixels',
      getPosition: (c) => c.position, getFillColor: PROPOSED_COLOUR, getLineColor: [255, 255, 255, 255], getLineWidth: 2,
    }));
  }
  return out;
}
