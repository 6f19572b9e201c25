/** The deck.gl layer of traffic violation markers (violation-markers.ts): a pink tag with '!', drawn only: a click is hit-tested on the tag (violation-markers.ts markerAt). */
import { TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { markerText, VIOLATION_COLOUR, VIOLATION_OFFSET_PX, type ViolationMarker } from './violation-markers.js';

export const VIOLATION_LAYER_ID = 'violations';

export function violationLayer(markers: readonly ViolationMarker[]): Layer {
  return new TextLayer<ViolationMarker>({
    id: VIOLATION_LAYER_ID, data: markers,
    getPosition: (m) => m.position, getText: markerText, getPixelOffset: [...VIOLATION_OFFSET_PX],
    getSize: 13, getColor: [255, 255, 255, 255], fontWeight: 700, getTextAnchor: 'middle', getAlignmentBaseline: 'center',
    characterSet: '!0123456789',
    background: true, getBackgroundColor: VIOLATION_COLOUR, backgroundPadding: [7, 4], backgroundBorderRadius: 3,
    getBorderColor: [255, 255, 255, 255], getBorderWidth: 1.5,
  });
}
