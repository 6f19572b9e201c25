/**
 * What on the map window follows every view change (a pan, a zoom, a turn) without the window re-rendering for it: the
 * north arrow and the scale bar. They read the view store MapView keeps outside React state (a pan or zoom step used to
 * re-render the whole window: a React task of 34-61 ms in the benchmark's slow steps, docs/map.md).
 */
import { useSyncExternalStore } from 'react';
import type { MapViewState } from '@deck.gl/core';
import { useTranslation } from 'react-i18next';
import type { ValueStore } from '../bridge/stores.js';
import { scaleBar } from './geo.js';

export function NorthArrow({ view, onNorth }: { view: ValueStore<MapViewState>; onNorth: () => void }) {
  const { t } = useTranslation();
  const bearing = useSyncExternalStore(view.subscribe, () => view.get().bearing ?? 0);
  return (
    <button className="map-north" onClick={onNorth} title={t('map.northHint')} aria-label={t('map.northHint')}>
      <span style={{ transform: `rotate(${-bearing}deg)` }}>▲</span>
    </button>
  );
}

export function ScaleBar({ view }: { view: ValueStore<MapViewState> }) {
  const { t } = useTranslation();
  const zoom = useSyncExternalStore(view.subscribe, () => view.get().zoom);
  const latitude = useSyncExternalStore(view.subscribe, () => view.get().latitude);
  const scale = scaleBar(zoom, latitude);
  return (
    <div className="map-scale" aria-label={t('map.scale')}>
      <div className="map-scale-bar" style={{ width: `${scale.px}px` }} />
      <span>{scale.metres >= 1000 ? t('map.km', { n: scale.metres / 1000 }) : t('map.m', { n: scale.metres })}</span>
    </div>
  );
}
