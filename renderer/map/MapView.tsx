/**
 * The city map window (`?view=map`): the offline basemap, every placed camera's view cone coloured by its stream
 * state, search, a north arrow and a scale bar. deck.gl draws only when something changed (its default), and the map
 * lives in its own window so that a machine without a GPU keeps the wall window off software WebGL (DESIGN.md).
 */
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Deck, MapView as DeckMapView, type MapViewState, type PickingInfo } from '@deck.gl/core';
import { useTranslation } from 'react-i18next';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { mapCameraState } from './camera-look.js';
import { countryOutlines, districtFeatures, HOME } from './basemap.js';
import { mapLayers, placedCameras, unitLayers, type MapCamera } from './layers.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import { scaleBar } from './geo.js';
import { searchMap } from './search.js';

/** What the e2e tests and the benchmark read: where a coordinate lands on the canvas, in CSS pixels. */
export interface MapProbe { project(lon: number, lat: number): [number, number] | null; pick(x: number, y: number): string | null; redraws(): number }

export function MapView({ host }: { host: HostState }) {
  const { t } = useTranslation();
  const cameras = useValue(host.cameras);
  // Statuses arrive every second; the map redraws only when a camera's map state (live/stale/offline/idle) changes.
  const stateKey = useSyncExternalStore(host.statuses.subscribeAll, () => stateSignature(host));
  const holder = useRef<HTMLDivElement>(null);
  const deckRef = useRef<Deck<DeckMapView> | null>(null);
  const [view, setView] = useState<MapViewState>(HOME);
  const [selected, setSelected] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [message, setMessage] = useState('');
  const [units, setUnits] = useState<MapUnit[]>([]);
  const basemap = useMemo(() => ({ countries: countryOutlines(), district: districtFeatures() }), []);
  const placed = useMemo(() => placedCameras(cameras, (id) => host.statuses.get(id)), [cameras, stateKey, host]);

  useEffect(() => {
    if (!holder.current) return;
    let redraws = 0;
    const deck = new Deck<DeckMapView>({
      parent: holder.current,
      views: new DeckMapView({ repeat: false }),
      initialViewState: HOME,
      controller: { dragRotate: true, touchRotate: true, keyboard: true },
      onViewStateChange: ({ viewState }) => { setView(viewState as MapViewState); },
      onAfterRender: () => { redraws += 1; },
      getCursor: ({ isHovering, isDragging }) => (isDragging ? 'grabbing' : isHovering ? 'pointer' : 'grab'),
      onClick: (info: PickingInfo) => {
        const picked = info.layer?.id === 'cameras' || info.layer?.id === 'camera-cones' ? info.object as MapCamera : undefined;
        setSelected(picked?.id ?? null);
      },
    });
    deckRef.current = deck;
    const probe: MapProbe = {
      project(lon, lat) {
        const vp = deck.getViewports()[0];
        if (!vp) return null;
        const [x, y] = vp.project([lon, lat]);
        return [x ?? 0, y ?? 0];
      },
      pick: (x, y) => (deck.pickObject({ x, y, radius: 4 })?.object as { id?: string } | undefined)?.id ?? null,
      redraws: () => redraws,
    };
    exposeDiagnostics('__kuzetMap', probe);
    return () => { deck.finalize(); deckRef.current = null; };
  }, []);

  // Moving units: the snapshot at start, then every change the host sends (at most twice a second).
  useEffect(() => {
    const off = host.client.on('units.changed', (s) => setUnits(s.units));
    host.client.call('units.list', {}).then((s) => setUnits(s.units)).catch(() => { /* the event brings them */ });
    return off;
  }, [host]);

  useEffect(() => { deckRef.current?.setProps({ layers: [...mapLayers(basemap, placed, selected), ...unitLayers(units)] }); }, [basemap, placed, selected, units]);

  const jumpTo = (next: Partial<MapViewState>) => {
    const target = { ...view, ...next };
    deckRef.current?.setProps({ initialViewState: target });
    setView(target);
  };

  const onSearch = (e: React.FormEvent) => {
    e.preventDefault();
    const hit = searchMap(query, cameras);
    if (hit.kind === 'none') { setMessage(t('map.notFound', { query })); return; }
    setMessage('');
    if (hit.kind === 'point') { jumpTo({ latitude: hit.lat, longitude: hit.lon, zoom: Math.max(view.zoom, 16) }); return; }
    setSelected(hit.camera.id);
    jumpTo({ latitude: hit.camera.location.lat, longitude: hit.camera.location.lon, zoom: Math.max(view.zoom, 16) });
  };

  const chosen = placed.find((c) => c.id === selected) ?? null;
  const at = chosen ? deckRef.current?.getViewports()[0]?.project(chosen.position) : undefined;
  const showOnWall = (cameraId: string) => {
    host.client.call('wall.push', { displayId: host.session.displayId, cameraId })
      .then(() => setMessage(t('map.shownOnWall')))
      .catch((err: unknown) => setMessage(`${t('map.cannotShow')}: ${err instanceof Error ? err.message : String(err)}`));
  };
  const scale = scaleBar(view.zoom, view.latitude);

  return (
    <div className="map-window">
      <form className="map-search" onSubmit={onSearch}>
        <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('map.searchPlaceholder')} aria-label={t('map.search')} />
        <button type="submit">{t('map.search')}</button>
        <button type="button" onClick={() => jumpTo(HOME)} title={t('map.homeHint')}>{t('map.home')}</button>
        {message && <span className="map-message" role="status">{message}</span>}
      </form>
      <div className="map-canvas" ref={holder} />
      <button className="map-north" onClick={() => jumpTo({ bearing: 0, pitch: 0 })} title={t('map.northHint')} aria-label={t('map.northHint')}>
        <span style={{ transform: `rotate(${-(view.bearing ?? 0)}deg)` }}>▲</span>
      </button>
      <div className="map-scale" aria-label={t('map.scale')}>
        <div className="map-scale-bar" style={{ width: `${scale.px}px` }} />
        <span>{scale.metres >= 1000 ? t('map.km', { n: scale.metres / 1000 }) : t('map.m', { n: scale.metres })}</span>
      </div>
      <div className="map-legend">
        {(['live', 'stale', 'offline', 'idle'] as const).map((s) => <span key={s} className={`map-legend-${s}`}>{t(`map.states.${s}`)}</span>)}
      </div>
      {chosen && at && (
        <div className="map-popup" style={{ left: at[0], top: at[1] }} role="dialog">
          <b>{chosen.name}</b>
          <span>{t(`map.states.${chosen.state}`)}</span>
          <button onClick={() => showOnWall(chosen.id)}>{t('map.showOnWall')}</button>
          <button onClick={() => setSelected(null)} aria-label={t('map.close')}>×</button>
        </div>
      )}
    </div>
  );
}

function stateSignature(host: HostState): string {
  let key = '';
  for (const [id, s] of host.statuses.entries()) key += `${id}:${mapCameraState(s.state)},`;
  return key;
}
