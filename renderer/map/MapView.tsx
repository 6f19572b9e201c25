/**
 * The city map window (`?view=map`): the offline basemap (bundled outlines and district, a PMTiles city extract and
 * site plans when map.json names them), every placed camera's view cone coloured by its stream state (clustered at
 * low zoom), open alarms pulsing where they happened, a heat map of alarms, units, search, a north arrow and a scale
 * bar. deck.gl draws only when something changed, and its loop asks for animation frames only then (frame-pacer.ts; pulsing alarms redraw at 10 fps while any is open); what moves (units, alarms) is drawn on a canvas of its own above the rest (map-decks.ts),
 * and the map lives in its own window and its own bundle chunk, so the wall never loads deck.gl (DESIGN.md).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';
import type { MapViewState, PickingInfo, Layer } from '@deck.gl/core';
import { useTranslation } from 'react-i18next';
import type { HostState } from '../bridge/host-state.js';
import { useValue, ValueStore } from '../bridge/stores.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { mayAny, useMe } from '../access/access-state.js';
import { connectAlarmQueue } from '../alarms/alarm-queue-store.js';
import { alarmTiles } from '../alarms/auto-pop-wiring.js';
import { eventTypeLabel } from '../i18n/labels.js';
import { EventType } from '../../electron/contract/events-schema.js';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import type { MapConfig } from '../../electron/contract/map-api.js';
import type { Camera } from '../../electron/contract/schemas.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import { MapStates } from './map-states.js';
import { UnitFeed } from './unit-feed.js';
import { countryOutlines, districtFeatures, HOME } from './basemap.js';
import { BASEMAP_STYLE, clusterLayers, heatLayer, mapLayers, placedCameras, PLAN_LAYER_PREFIX, planLayer, type MapCamera } from './layers.js';
import { clampRange, DEFAULT_RANGE_M, distanceM, offset, type LonLat } from './geo.js';
import { placesOf, searchMap } from './search.js';
import { basemapLabels, LABEL_EVERY_PX, LABELS_FROM_ZOOM, metresPerPixel, type MapLabel } from './labels.js';
import { CLUSTER_BELOW_ZOOM, clusterPoints, type CameraCluster } from './cluster.js';
import { heatAlarms, placeAlarms, type MapAlarm } from './alarm-geo.js';
import { openPmtiles, pmtilesLayer, type PmtilesBasemap } from './pmtiles-basemap.js';
import { planCorners, planTransform } from './plan-geo.js';
import { postOpenAlarm } from './map-channel.js';
import type { Sighting, Violation, ViolationState } from '../../electron/contract/plates/plates-api.js';
import { PlatePanel } from '../plates/PlatePanel.js';
import { routeLayers, routeView } from '../plates/route-layers.js';
import { ReviewView } from '../review/ReviewView.js';
import { followEndedKey, useFollow } from './use-follow.js';
import { sightCameras, type SightCamera } from './follow.js';
import { coverage, detailReport, streetsOf } from './coverage.js';
import { coverageLayers, unwatchedLayer } from './coverage-layers.js';
import { CoveragePanel } from './CoveragePanel.js';
import { DND_CAMERA } from '../wall/Tile.js';
import { areaLayout, camerasInArea } from './area-select.js';
import { useAreaSelect } from './use-area-select.js';
import { HeadingHandle, MoveHandle } from './HeadingHandle.js';
import { LivePicture } from './LivePicture.js';
import { markerAt, violationMarkers } from './violation-markers.js';
import { violationLayer } from './violation-layer.js';
import { violationLabel } from '../i18n/labels.js';
import { MapDecks, type CanvasDraw } from './map-decks.js';
import { MovingUnits } from './MovingUnits.js';
import { UnitsPainter } from './units-painter.js';
import { PlanEditor } from './PlanEditor.js';
import { NorthArrow, ScaleBar } from './ViewChrome.js';
import { useWallYield } from './use-wall-yield.js';
import { errorMessage } from '../app/ui-errors.js';
import { AddPlanButton } from './AddPlanButton.js';
import { RemovePlanButton } from './RemovePlanButton.js';
import type { PlanPoint } from '../../electron/contract/map-api.js';

/** What the e2e tests and the benchmark read (diagnostics only): where a coordinate lands on the canvas, in CSS pixels. */
export interface MapProbe {
  project(lon: number, lat: number): [number, number] | null;
  pick(x: number, y: number): string | null;
  redraws(): number;
  zoom(): number;
  zoomTo(zoom: number): void;
  /** Loaded PMTiles tiles (0 when no archive is configured). */
  tiles(): number;
  /** deck.gl loop steps run on animation frames and on idle polls, both canvases (frame-pacer.ts, map-decks.ts). */
  loopSteps(): { frames: number; polls: number };
  /** Site plans whose image had loaded when the map last drew them (map.json ids): their picture is on screen. */
  plansDrawn(): string[];
  /** The demo district's names the map draws at this zoom, in the operator's language (one per label, labels.ts). */
  labels(): Array<{ text: string; lon: number; lat: number }>;
  /** Pan and zoom shown by moved pictures until the view settles (map-decks.ts): counts, and whether the map is sharp now. */
  standIn(): { standIns: number; sharpDraws: number; sharp: boolean };
  /** Turns the moved pictures off (every view change drawn, as before) or on: the benchmark's A/B. */
  setStandIn(on: boolean): void;
  /** Turns the moving canvas's clip to what it draws off (the whole canvas composited per draw) or on: the benchmark's A/B. */
  setMovingClip(on: boolean): void;
  /** Draws every trail point (as before 2026-12-05) or only those the zoom can tell apart (trail-simplify.ts): the benchmark's A/B. */
  setFullTrails(on: boolean): void;
  /** Draws the trails up to a snapshot on a canvas of their own (trail-split.ts) or all on the moving canvas (as before): the benchmark's A/B. */
  setTrailCanvas(on: boolean): void;
  /** Re-renders the whole map window on every unit report (as before 2026-12-05) or only the units' layers (MovingUnits.tsx): the benchmark's A/B. */
  setUnitsEveryReport(on: boolean): void;
  /** Tells the host of pans and zooms so the wall yields the CPU (use-wall-yield.ts; on by default) or not: the benchmark's A/B. */
  setWallYield(on: boolean): void;
  /** Draws the units and alarms with Canvas 2D (flat-moving.ts; the default when WebGL is software) or with deck on the moving canvas (as before): the benchmark's A/B. */
  setFlatMoving(on: boolean): void;
  /** Whether units and alarms are drawn with Canvas 2D now, and whether WebGL is software here. */
  flatMoving(): { on: boolean; softwareGl: boolean };
  /** Draws the trails snapshot with Canvas 2D (map-decks.ts; the default when WebGL is software) or by deck on the trails canvas: the benchmark's A/B. */
  setFlatTrails(on: boolean): void;
  flatTrails(): boolean;
  /** Keeps every map canvas a composited layer of its own (`will-change: transform`, map-decks.ts) or not: the benchmark's A/B. */
  setLayerHints(on: boolean): void;
  layerHints(): boolean;
  /** Samples the moved pictures nearest-neighbour (map-decks.ts) or bilinear: the benchmark's A/B. */
  setStandInNearest(on: boolean): void;
  standInNearest(): boolean;
  /** Makes the zoom step's layers (clusters, labels, trails) when a pan or zoom settles (map-decks.ts; on by default) or on every view change: the benchmark's A/B. */
  setLayersAtSettle(on: boolean): void;
  layersAtSettle(): boolean;
  /** Gives the still and trails decks the view when a pan or zoom settles (map-decks.ts; on by default) or on every view change: the benchmark's A/B. */
  setFollowersAtSettle(on: boolean): void;
  followersAtSettle(): boolean;
  /** Idle polls of the decks' loops (frame-pacer.ts): `layers` only decks with layers (the default), `always` all three: the benchmark's A/B. */
  setIdlePolls(polls: 'layers' | 'always'): void;
  idlePolls(): 'layers' | 'always';
  /** Frames drawn per canvas (map-decks.ts; `flat`: units and alarms with Canvas 2D, `flatTrails` the trails so). */
  drawsBy(): { still: number; trails: number; moving: number; flat: number; flatTrails: number };
  /** The last draws of every canvas started since `sinceMs` (performance.now()): which, when, how long in the renderer. */
  drawLog(sinceMs?: number): CanvasDraw[];
  /** How long ago the trails canvas got a new snapshot (ms). */
  trailsAgeMs(): number;
}

/** The zoom step and whole degree of latitude the map's per-zoom-step layers are made for (the same object when they did not change). */
interface LayerView { zoomStep: number; labelLat: number }
function layerViewOf(view: { zoom: number; latitude: number }): LayerView {
  return { zoomStep: Math.floor(view.zoom), labelLat: Math.round(view.latitude) };
}
/** A state update to `view`'s LayerView that keeps the previous object when nothing changed (no render for it). */
function layerViewFor(view: { zoom: number; latitude: number }): (prev: LayerView) => LayerView {
  const next = layerViewOf(view);
  return (prev) => (prev.zoomStep === next.zoomStep && prev.labelLat === next.labelLat ? prev : next);
}

const HEAT_WINDOWS = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 } as const;
type HeatWindow = keyof typeof HEAT_WINDOWS;
const ALL_STATES = ['new', 'claimed', 'escalated', 'resolved'] as const;
const PULSE_EVERY_MS = 100;
/** The plate panel's width and right margin (renderer/plates/plates.css). */
const PLATE_PANEL_PX = 470;

/** A loopback HTTP route of the host with this session's token (the frame channel's server). */
/** Degrees to 1e-7 (about a centimetre), as positions are saved. */
const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

function hostUrl(framesUrl: string, path: string): string {
  const u = new URL(framesUrl, window.location.href);
  const out = new URL(path, `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}`);
  out.searchParams.set('token', u.searchParams.get('token') ?? '');
  return out.toString();
}

export function MapView({ host }: { host: HostState }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? i18n.language;
  const me = useMe();
  const savedCameras = useValue(host.cameras);
  // a camera being turned by its cone's handle is drawn at the heading being dragged until the host has saved it
  const [turning, setTurning] = useState<{ id: string; heading: number; rangeM: number } | null>(null);
  // a camera being moved by its dot's handle is drawn where it is dragged, until the host has saved it
  const [moving, setMoving] = useState<{ id: string; position: LonLat } | null>(null);
  // a camera without a position, chosen to be placed by the next click on the map
  const [placingCamera, setPlacingCamera] = useState<string | null>(null);
  const cameras = useMemo(() => savedCameras.map((c) => {
    if (!c.location) return c;
    let location = c.location;
    if (turning?.id === c.id) location = { ...location, heading: turning.heading, rangeM: turning.rangeM };
    if (moving?.id === c.id) location = { ...location, lon: moving.position[0], lat: moving.position[1] };
    return location === c.location ? c : { ...c, location };
  }), [savedCameras, turning, moving]);
  // Statuses arrive every second; the map redraws only when a camera's map state (live/stale/offline/idle) changes
  // (map-states.ts: one state per camera, followed per status event, not a signature over all cameras per event).
  const mapStates = useMemo(() => new MapStates(host.statuses), [host]);
  const stateKey = useSyncExternalStore(mapStates.subscribe, mapStates.getVersion);
  const holder = useRef<HTMLDivElement>(null);
  const decksRef = useRef<MapDecks | null>(null);
  // the wall yields the CPU while the operator pans or zooms here (use-wall-yield.ts)
  const wallYield = useWallYield(host, holder);
  // draws the units on the canvases, fed by the units store outside React (units-painter.ts)
  const [painter, setPainter] = useState<UnitsPainter | null>(null);
  // The view lives outside React state: a pan or zoom step re-rendered the whole window (a React task of 34-61 ms in
  // the benchmark's slow steps). The north arrow and scale follow it themselves (ViewChrome.tsx); the window follows it
  // only while it shows something placed by the view (a camera's or unit's popup, a plan being placed)
  const viewStore = useMemo(() => new ValueStore<MapViewState>(HOME), []);
  // what the layers made per zoom step are made for (clusters, labels, sizes, the trails' simplification): the view's
  // zoom step, except while moved pictures stand in for a pan or zoom: then the settled view's (map-decks.ts onSettle)
  const [layerView, setLayerView] = useState<LayerView>(() => layerViewOf(HOME));
  const [selected, setSelected] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [message, setMessage] = useState('');
  // Every unit report goes into this store, outside React: the trails and moving canvases follow it (MovingUnits.tsx);
  // the window itself re-renders per report only while it shows a unit (its popup, a follow)
  const unitFeed = useMemo(() => new ValueStore<MapUnit[]>([]), []);
  // the whole window re-rendered on every unit report, as before 2026-12-05 (the benchmark's A/B, `setUnitsEveryReport`)
  const [unitsEveryReport, setUnitsEveryReport] = useState(false);
  const [config, setConfig] = useState<MapConfig | null>(null);
  // placing a site plan by dragging its reference points (PlanEditor.tsx): the plan being edited and its points so far
  const [planEdit, setPlanEdit] = useState<{ id: string; points: PlanPoint[]; saving: boolean } | null>(null);
  const [planPick, setPlanPick] = useState('');
  const [basemap, setBasemap] = useState<PmtilesBasemap | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [heatOn, setHeatOn] = useState(false);
  const [heatWindow, setHeatWindow] = useState<HeatWindow>('day');
  const [heatType, setHeatType] = useState<EventType | ''>('');
  const [history, setHistory] = useState<Alarm[]>([]);
  const [now, setNow] = useState(() => Date.now());
  // every trail point drawn (the benchmark's A/B, `setFullTrails`); normally trails keep the points the zoom can tell apart
  const [fullTrails, setFullTrails] = useState(false);
  // the trails up to a snapshot on a canvas of their own (trail-split.ts); off: all of them on the moving canvas (the benchmark's A/B)
  const [trailCanvas, setTrailCanvas] = useState(true);
  // units and alarms drawn with Canvas 2D (flat-moving.ts): set from the canvases once they exist (software WebGL)
  const [flatMoving, setFlatMoving] = useState(false);
  const tilesLoaded = useRef(0);
  const labelsRef = useRef<readonly MapLabel[]>([]);
  const bundled = useMemo(() => ({ countries: countryOutlines(), district: districtFeatures() }), []);
  const placed = useMemo(() => placedCameras(cameras, (id) => host.statuses.get(id)), [cameras, stateKey, host]);
  const workAlarms = mayAny(me, 'workAlarms');
  // where did it go (issue 10 §4): the plate panel, the chosen plate's route, a sighting opened in review
  const [platesOpen, setPlatesOpen] = useState(false);
  const [route, setRoute] = useState<Sighting[] | null>(null);
  const [reviewAt, setReviewAt] = useState<Pick<Sighting, 'cameraId' | 'atMs'> | null>(null);
  // pending traffic violations as markers where they happened; a click opens one in the plate panel's review list
  const [violations, setViolations] = useState<Violation[]>([]);
  const [openViolation, setOpenViolation] = useState<{ id: string; state: ViolationState; seq: number } | null>(null);
  const mayReview = mayAny(me, 'viewRecordings');
  useEffect(() => {
    if (!mayReview) { setViolations([]); return; }
    // the same list again keeps the old one: a new (even empty) list redrew the whole still canvas every 10 s
    const load = () => host.client.call('violations.list', { states: ['pending'], limit: 500 })
      .then((list) => setViolations((old) => (JSON.stringify(old) === JSON.stringify(list) ? old : list)))
      .catch(() => { /* the plate panel's list says why */ });
    void load();
    const id = setInterval(() => { void load(); }, 10_000);
    return () => clearInterval(id);
  }, [mayReview, host]);
  const violationSpots = useMemo(() => violationMarkers(violations), [violations]);
  // Follow a unit (issue 10 §3) and coverage (§5)
  const [pickedUnit, setPickedUnit] = useState<string | null>(null);
  const [coverageOn, setCoverageOn] = useState(false);
  const [proposed, setProposed] = useState<SightCamera | null>(null);
  const [placing, setPlacing] = useState(false);
  const streets = useMemo(() => streetsOf(bundled.district), [bundled]);
  const places = useMemo(() => placesOf(bundled.district, lang), [bundled, lang]);
  const sights = useMemo(() => sightCameras(cameras), [cameras]);
  const covered = useMemo(() => (coverageOn ? coverage(streets, sights) : null), [coverageOn, streets, sights]);
  const coveredAfter = useMemo(() => (coverageOn && proposed ? coverage(streets, [...sights, proposed]).share : null), [coverageOn, proposed, streets, sights]);
  const detail = useMemo(() => (coverageOn ? detailReport(cameras) : []), [coverageOn, cameras]);
  const [attentionOn, setAttentionOn] = useState(false);
  const [unwatchedIds, setUnwatchedIds] = useState<string[] | null>(null);
  const [unhealthy, setUnhealthy] = useState<Array<{ id: string; offline: number; tampered: number; stale: number; staleMs: number }> | null>(null);
  useEffect(() => {
    if (!attentionOn) { setUnwatchedIds(null); setUnhealthy(null); return; }
    const load = () => host.client.call('map.attention', { hours: 24 })
      .then((a) => {
        setUnwatchedIds(a.cameras.filter((c) => c.watchedMs === 0).map((c) => c.cameraId));
        setUnhealthy(a.cameras.filter((c) => c.offlineEvents + c.tamperEvents + c.staleSpells > 0)
          .sort((x, y) => y.tamperEvents - x.tamperEvents || y.offlineEvents - x.offlineEvents || y.staleMs - x.staleMs)
          .map((c) => ({ id: c.cameraId, offline: c.offlineEvents, tampered: c.tamperEvents, stale: c.staleSpells, staleMs: c.staleMs })));
      })
      .catch((err: unknown) => setMessage(err instanceof Error ? err.message : String(err)));
    void load();
    const id = setInterval(() => { void load(); }, 60_000);
    return () => clearInterval(id);
  }, [attentionOn, host]);
  const unwatched = useMemo(() => (unwatchedIds ? placed.filter((c) => unwatchedIds.includes(c.id)) : []), [unwatchedIds, placed]);

  useEffect(() => {
    if (!holder.current) return;
    // deck.gl needs WebGL; without a GPU Chromium gives it in software only when allowed (the app window's flags,
    // scripts/app-window.mjs): say so instead of showing an empty map
    const probeGl = document.createElement('canvas');
    if (!probeGl.getContext('webgl2') && !probeGl.getContext('webgl')) {
      setProblems((p) => [...p, t('map.noWebgl')]);
      return;
    }
    const decks = new MapDecks({
      parent: holder.current,
      initialViewState: HOME,
      onError: (err: Error) => { setProblems((p) => (p.length < 20 ? [...p, `${t('map.drawProblem')}: ${err.message}`] : p)); },
      onViewStateChange: (viewState) => {
        viewStore.set(viewState);
        if (!decksRef.current?.layersWait()) setLayerView(layerViewFor(viewState));
      },
      // the view settled after moved pictures: its layers now, before the canvases draw it sharp (in this task)
      onSettle: (settled) => { flushSync(() => { setLayerView(layerViewFor(settled)); }); },
      onClick: (info: PickingInfo) => { onPick.current(info); },
    });
    decksRef.current = decks;
    const unitsPainter = new UnitsPainter(decks);
    setPainter(unitsPainter);
    setFlatMoving(decks.flatMoving());
    const probe: MapProbe = {
      project(lon, lat) {
        const vp = decks.viewport();
        if (!vp) return null;
        const [x, y] = vp.project([lon, lat]);
        return [x ?? 0, y ?? 0];
      },
      pick: (x, y) => (decks.pickObject(x, y)?.object as { id?: string } | undefined)?.id ?? null,
      redraws: () => decks.redraws(),
      zoom: () => viewStore.get().zoom,
      zoomTo: (zoom) => jumpRef.current({ zoom }),
      tiles: () => tilesLoaded.current,
      loopSteps: () => decks.loopSteps(),
      labels: () => labelsRef.current.map((l) => ({ text: l.text, lon: l.position[0], lat: l.position[1] })),
      plansDrawn: () => decks.drawnLoaded().filter((id) => id.startsWith(PLAN_LAYER_PREFIX)).map((id) => id.slice(PLAN_LAYER_PREFIX.length)),
      standIn: () => decks.standInCounts(),
      setStandIn: (on) => decks.setStandIn(on),
      setMovingClip: (on) => decks.setMovingClip(on),
      setFullTrails: (on) => setFullTrails(on),
      setTrailCanvas: (on) => setTrailCanvas(on),
      setUnitsEveryReport: (on) => setUnitsEveryReport(on),
      setWallYield: (on) => wallYield.setOn(on),
      setFlatMoving: (on) => { decks.setFlatMoving(on); setFlatMoving(decks.flatMoving()); },
      flatMoving: () => ({ on: decks.flatMoving(), softwareGl: decks.softwareGl }),
      setFlatTrails: (on) => decks.setFlatTrails(on),
      flatTrails: () => decks.flatTrailsOn(),
      setLayerHints: (on) => decks.setLayerHints(on),
      layerHints: () => decks.layerHintsOn(),
      setStandInNearest: (on) => decks.setStandInNearest(on),
      standInNearest: () => decks.standInNearestOn(),
      setLayersAtSettle: (on) => decks.setLayersAtSettle(on),
      layersAtSettle: () => decks.layersAtSettleOn(),
      setFollowersAtSettle: (on) => decks.setFollowersAtSettle(on),
      followersAtSettle: () => decks.followersAtSettleOn(),
      setIdlePolls: (polls) => decks.setIdlePolls(polls),
      idlePolls: () => decks.idlePollsNow(),
      drawsBy: () => decks.drawsBy(),
      drawLog: (sinceMs) => decks.drawLog(sinceMs),
      trailsAgeMs: () => decks.trailsAgeMs(),
    };
    exposeDiagnostics('__kuzetMap', probe);
    return () => { unitsPainter.dispose(); decks.finalize(); decksRef.current = null; };
  }, []);

  // Moving units: this window asks for them (units.watch, again after a reconnect), takes the snapshot, then applies
  // the host's deltas (at most twice a second; unit-feed.ts, docs/map.md "Units on the wire").
  useEffect(() => {
    const feed = new UnitFeed({ list: () => host.client.call('units.list', {}) }, (units) => unitFeed.set(units));
    const watch = (): void => { host.client.call('units.watch', { on: true }).catch(() => { /* a reconnect asks again */ }); feed.catchUp(); };
    const off = host.client.on('units.changed', (d) => feed.delta(d));
    const offUp = host.client.transport.onConnection((up) => { if (up) watch(); });
    watch();
    return () => { off(); offUp(); host.client.call('units.watch', { on: false }).catch(() => {}); };
  }, [host, unitFeed]);

  // Local map files (map.json): the PMTiles basemap over HTTP range requests, and site plans.
  useEffect(() => {
    let live = true;
    host.client.call('map.config', {}).then(async (c) => {
      if (!live) return;
      setConfig(c);
      const found = [...c.problems];
      if (c.basemap) {
        try { const b = await openPmtiles(hostUrl(host.session.framesUrl, c.basemap.url)); if (live) setBasemap(b); } catch (err) { found.push(`${t('map.basemapProblem')}: ${err instanceof Error ? err.message : String(err)}`); }
      }
      if (live) setProblems((p) => [...p, ...found]);
    }).catch((err: unknown) => { if (live) setProblems((p) => [...p, err instanceof Error ? err.message : String(err)]); });
    return () => { live = false; };
  }, [host, t]);

  const plans = useMemo(() => {
    const out: Layer[] = [];
    const bad: string[] = [];
    for (const p of config?.plans ?? []) {
      const points = planEdit?.id === p.id ? planEdit.points : p.points;
      try { out.push(planLayer({ id: p.id, url: hostUrl(host.session.framesUrl, p.url), corners: planCorners(planTransform(points), p.width, p.height), opacity: p.opacity })); } catch (err) { if (planEdit?.id !== p.id) bad.push(`${p.name}: ${err instanceof Error ? err.message : String(err)}`); }
    }
    return { layers: out, bad };
  }, [config, host, planEdit]);

  const tiles = useMemo(() => (basemap ? pmtilesLayer(basemap, BASEMAP_STYLE, (m) => setProblems((p) => (p.length < 20 ? [...p, `${t('map.basemapProblem')}: ${m}`] : p)), () => decksRef.current?.wake(), lang) : null), [basemap, t, lang]);
  useEffect(() => {
    // counts tiles for the diagnostics probe (the e2e test waits for the archive's tiles before reading pixels)
    if (!tiles) return;
    const id = setInterval(() => { tilesLoaded.current = (tiles.state as { tileset?: { tiles: Array<{ isLoaded: boolean }> } } | null)?.tileset?.tiles.filter((x) => x.isLoaded).length ?? 0; }, 200);
    return () => clearInterval(id);
  }, [tiles]);

  // Alarms: the queue's own store (open ones and recent history), read by the map like the queue reads it.
  const queue = useMemo(() => (workAlarms ? connectAlarmQueue(host.client) : null), [host, workAlarms]);
  useEffect(() => () => queue?.dispose(), [queue]);
  const alarmVersion = useSyncExternalStore(queue?.store.subscribe ?? noSubscribe, queue?.store.getVersion ?? zero);
  const cameraAt = useMemo(() => { const m = new Map(placed.map((c) => [c.id, c.position])); return (id: string) => m.get(id); }, [placed]);
  const mapAlarms = useMemo(() => (queue ? placeAlarms([...queue.store.alarms.values()], cameraAt) : []), [queue, alarmVersion, cameraAt]);
  const anyOpen = mapAlarms.some((a) => a.open);
  useEffect(() => {
    if (!anyOpen) return;
    const id = setInterval(() => setNow(Date.now()), PULSE_EVERY_MS);
    return () => clearInterval(id);
  }, [anyOpen]);

  // Heat map: every alarm of the chosen window (up to the host's 5000), refreshed when the window or type changes.
  useEffect(() => {
    if (!heatOn || !workAlarms) return;
    let live = true;
    host.client.call('alarms.list', { states: [...ALL_STATES], limit: 5000 }).then((list) => { if (live) setHistory(list); }).catch((err: unknown) => setMessage(err instanceof Error ? err.message : String(err)));
    return () => { live = false; };
  }, [heatOn, heatWindow, heatType, host, workAlarms]);
  const heat = useMemo(() => {
    if (!heatOn) return null;
    const byId = new Map<string, MapAlarm>();
    for (const a of placeAlarms(history, cameraAt)) byId.set(a.id, a);
    for (const a of mapAlarms) byId.set(a.id, a);
    const to = Date.now();
    return heatLayer(heatAlarms([...byId.values()], { fromMs: to - HEAT_WINDOWS[heatWindow], toMs: to + 1, types: heatType ? [heatType] : [] }));
  }, [heatOn, history, mapAlarms, cameraAt, heatWindow, heatType]);

  // Cameras cluster below CLUSTER_BELOW_ZOOM; recomputed per whole zoom step, not on every frame of a zoom.
  const { zoomStep, labelLat } = layerView;
  const clustered = useMemo(() => clusterPoints(placed, zoomStep), [placed, zoomStep]);
  // street, river and park names in the operator's language, spaced for the zoom step (labels.ts)
  const labels = useMemo(() => (zoomStep >= LABELS_FROM_ZOOM ? basemapLabels(bundled.district, lang, LABEL_EVERY_PX * metresPerPixel(zoomStep, labelLat)) : []), [bundled, lang, zoomStep, labelLat]);
  labelsRef.current = labels;

  // a layout effect: in the commit, so the layers made in onSettle's flushSync reach the still canvas before its sharp draw
  useLayoutEffect(() => {
    decksRef.current?.setStill([
      ...mapLayers(bundled, clustered.singles, selected, { tiles, plans: plans.layers, heat, zoom: zoomStep, labels }),
      ...clusterLayers(clustered.clusters),
      ...(violationSpots.length ? [violationLayer(violationSpots)] : []),
      ...coverageLayers(covered, coverageOn ? proposed : null),
      ...(unwatched.length ? [unwatchedLayer(unwatched)] : []),
      ...routeLayers(route),
    ]);
  }, [bundled, clustered, selected, tiles, plans, heat, route, covered, coverageOn, proposed, unwatched, violationSpots, zoomStep, labels]);
  // trails with the points the next zoom step can tell apart (within half a pixel at every zoom below it)
  const trailZoom = fullTrails ? null : zoomStep + 1;
  const jumpTo = (next: Partial<MapViewState>) => {
    const target = { ...viewStore.get(), ...next };
    decksRef.current?.jump(target);
    viewStore.set(target);
    setLayerView(layerViewFor(target));
  };
  const jumpRef = useRef(jumpTo);
  jumpRef.current = jumpTo;
  // Map to wall (issue 10 §2): Shift-drag a rectangle, or draw a lasso, around cameras: they go on the wall as a layout
  const [lasso, setLasso] = useState(false);
  const area = useAreaSelect(holder, lasso, (shape) => {
    const vp = decksRef.current?.viewport();
    if (!vp) return;
    const ids = camerasInArea(placed.map((c) => { const [x, y] = vp.project(c.position); return { id: c.id, at: [x ?? -1, y ?? -1] }; }), shape);
    const made = areaLayout(ids, 'map-area', t('mapWall.areaLayoutName', { count: ids.length }));
    setLasso(false);
    if (!made) { setMessage(t('mapWall.areaEmpty')); return; }
    host.client.call('wall.setLayout', { displayId: host.session.displayId, layout: made.layout })
      .then(() => setMessage(made.left ? t('mapWall.areaLeftOut', { count: made.left }) : t('mapWall.areaOnWall', { count: ids.length })))
      .catch((err: unknown) => setMessage(`${t('map.cannotShow')}: ${err instanceof Error ? err.message : String(err)}`));
  });
  const follow = useFollow(host, unitFeed, ([longitude, latitude]) => jumpRef.current({ longitude, latitude }));
  const followId = follow.unitId;
  // the units as of this render: followed per report only while a unit's popup is open or a unit is followed
  const showsUnits = unitsEveryReport || pickedUnit !== null || followId !== null;
  const units = useSyncExternalStore(unitFeed.subscribe, showsUnits ? unitFeed.get : noUnits);

  const openAlarm = (a: MapAlarm) => {
    // a popup reaches the wall over its profile's BroadcastChannel; the host's map window (a profile of its own) through
    // the host, which relays it to the console that opened the map (map.openAlarm; the queue takes either, once)
    host.client.call('map.openAlarm', { alarmId: a.id }).catch((err: unknown) => console.warn(`map.openAlarm: ${err instanceof Error ? err.message : String(err)}`));
    const opened = postOpenAlarm(a.id);
    const tile = alarmTiles.get()[0];
    host.client.call('wall.push', { displayId: host.session.displayId, cameraId: a.cameraId, ...(tile !== undefined ? { cellIndex: tile } : {}) })
      .then(() => setMessage(opened ? t('map.alarmOpened') : t('map.shownOnWall')))
      .catch((err: unknown) => setMessage(`${t('map.cannotShow')}: ${err instanceof Error ? err.message : String(err)}`));
  };
  /** A plate's route: drawn, and the map fitted around it beside the plate panel (PLATE_PANEL_PX). */
  const showRoute = (sightings: Sighting[] | null) => {
    setRoute(sightings);
    const fit = sightings && holder.current ? routeView(sightings, holder.current.clientWidth, holder.current.clientHeight, PLATE_PANEL_PX) : null;
    if (fit) jumpTo({ ...fit, bearing: 0, pitch: 0 });
  };
  const onPick = useRef<(info: PickingInfo) => void>(() => {});
  onPick.current = (info) => {
    const layer = info.layer?.id;
    if (placingCamera && info.coordinate) {
      const id = placingCamera;
      setPlacingCamera(null);
      void saveLocation(id, { lon: round7(info.coordinate[0]!), lat: round7(info.coordinate[1]!), heading: 0, fov: 60 }, 'cameraPlaced').then((ok) => { if (ok) setSelected(id); });
      return;
    }
    if (placing && info.coordinate) {
      setProposed({ id: 'proposed', position: [info.coordinate[0]!, info.coordinate[1]!], heading: proposed?.heading ?? 0, fov: proposed?.fov ?? 70, rangeM: proposed?.rangeM ?? 60 });
      setPlacing(false);
      return;
    }
    const vp = decksRef.current?.viewport();
    const tag = vp ? markerAt(violationSpots, (p) => vp.project(p), [info.x, info.y]) : null;
    if (tag) {
      const v = tag.newest;
      setPlatesOpen(true);
      setOpenViolation((o) => ({ id: v.id, state: v.state, seq: (o?.seq ?? 0) + 1 }));
      setMessage(t('mapPopup.violationOpened', { kind: violationLabel(v.violation), plate: v.plate ?? t('plates.unread') }));
      return;
    }
    if (layer === 'alarms') { openAlarm(info.object as MapAlarm); return; }
    if (layer === 'units') { setPickedUnit((info.object as MapUnit).id); setSelected(null); return; }
    if (layer === 'camera-clusters') {
      const c = info.object as CameraCluster;
      jumpTo({ longitude: c.position[0], latitude: c.position[1], zoom: Math.min(Math.max(viewStore.get().zoom + 2, zoomStep + 2), CLUSTER_BELOW_ZOOM + 1) });
      return;
    }
    const picked = layer === 'cameras' || layer === 'camera-cones' ? info.object as MapCamera : undefined;
    setSelected(picked?.id ?? null);
  };

  const onSearch = (e: React.FormEvent) => {
    e.preventDefault();
    const hit = searchMap(query, cameras, places);
    if (hit.kind === 'none') { setMessage(t('map.notFound', { query })); return; }
    setMessage('');
    if (hit.kind === 'place') { setMessage(hit.label); jumpTo({ latitude: hit.lat, longitude: hit.lon, zoom: Math.max(viewStore.get().zoom, 17) }); return; }
    if (hit.kind === 'point') { jumpTo({ latitude: hit.lat, longitude: hit.lon, zoom: Math.max(viewStore.get().zoom, 16) }); return; }
    setSelected(hit.camera.id);
    jumpTo({ latitude: hit.camera.location.lat, longitude: hit.camera.location.lon, zoom: Math.max(viewStore.get().zoom, 16) });
  };

  // what is placed on the map by the view (popups, handles, a plan's points) follows it: the window re-renders per view
  // change only while one is shown
  const followsView = selected !== null || pickedUnit !== null || planEdit !== null;
  const view = useSyncExternalStore(viewStore.subscribe, followsView ? viewStore.get : homeView);
  const chosen = clustered.singles.find((c) => c.id === selected) ?? null;
  const at = chosen ? decksRef.current?.viewport()?.project(chosen.position as LonLat) : undefined;
  const chosenCamera = chosen ? cameras.find((c) => c.id === chosen.id) ?? null : null;
  const tip = chosenCamera?.location && mayAny(me, 'manageCameras') ? decksRef.current?.viewport()?.project(offset(chosen!.position, chosenCamera.location.heading ?? 0, chosenCamera.location.rangeM ?? DEFAULT_RANGE_M)) : undefined;
  /** The range a drag of the cone's handle to `to` (map CSS pixels) gives: the ground distance from the camera. */
  const rangeTo = (to: [number, number]): number => {
    const ll = decksRef.current?.viewport()?.unproject(to);
    const fallback = chosenCamera?.location?.rangeM ?? DEFAULT_RANGE_M;
    return chosen && ll ? clampRange(distanceM(chosen.position, [ll[0]!, ll[1]!])) : fallback;
  };
  const saveAim = (heading: number, to: [number, number]) => {
    const c = savedCameras.find((x) => x.id === chosenCamera?.id);
    if (!c?.location) return;
    const rangeM = rangeTo(to);
    const { id, name, mainUrl, subUrl, username, kind, group, tags, location } = c;
    host.client.call('cameras.update', { id, camera: { name, mainUrl, kind, tags, ...(subUrl ? { subUrl } : {}), ...(username ? { username } : {}), ...(group ? { group } : {}), location: { ...location, heading, rangeM } } })
      .then(() => setMessage(t('mapWall.aimSaved', { name, heading, range: rangeM })))
      .catch((err: unknown) => setMessage(`${t('mapWall.headingNotSaved')}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => setTurning(null));
  };
  /** Saves a camera's position (the rest of the camera unchanged); true when the host took it. */
  const saveLocation = (id: string, location: NonNullable<Camera['location']>, said: 'cameraPlaced' | 'cameraMoved'): Promise<boolean> => {
    const c = savedCameras.find((x) => x.id === id);
    if (!c) return Promise.resolve(false);
    const { name, mainUrl, subUrl, username, kind, group, tags } = c;
    return host.client.call('cameras.update', { id, camera: { name, mainUrl, kind, tags, ...(subUrl ? { subUrl } : {}), ...(username ? { username } : {}), ...(group ? { group } : {}), location } })
      .then(() => { setMessage(t(`mapWall.${said}`, { name })); return true; })
      .catch((err: unknown) => { setMessage(`${t('mapWall.cameraNotPlaced', { name })}: ${errorMessage(err)}`); return false; });
  };
  const unproject = (px: [number, number]): LonLat | undefined => { const x = decksRef.current?.viewport()?.unproject(px); return x ? [round7(x[0]!), round7(x[1]!)] : undefined; };
  const unplaced = mayAny(me, 'manageCameras') ? savedCameras.filter((c) => !c.location) : [];
  const editedPlan = planEdit ? config?.plans.find((p) => p.id === planEdit.id) ?? null : null;
  const savePlan = () => {
    if (!planEdit || !editedPlan) return;
    setPlanEdit({ ...planEdit, saving: true });
    host.client.call('map.plans.place', { id: planEdit.id, points: planEdit.points })
      .then((c) => { setConfig(c); setPlanEdit(null); setMessage(t('mapWall.planSaved', { plan: editedPlan.name })); })
      .catch((err: unknown) => { setPlanEdit((e) => (e ? { ...e, saving: false } : e)); setMessage(`${t('mapWall.planNotSaved', { plan: editedPlan.name })}: ${errorMessage(err)}`); });
  };
  const showOnWall = (cameraId: string) => {
    host.client.call('wall.push', { displayId: host.session.displayId, cameraId })
      .then(() => setMessage(t('map.shownOnWall')))
      .catch((err: unknown) => setMessage(`${t('map.cannotShow')}: ${err instanceof Error ? err.message : String(err)}`));
  };
  const unit = units.find((u) => u.id === pickedUnit) ?? null;
  const unitAt = unit ? decksRef.current?.viewport()?.project([unit.lon, unit.lat]) : undefined;
  const following = units.find((u) => u.id === followId) ?? null;
  const allProblems = [...problems, ...plans.bad];

  return (
    <div className="map-window">
      <form className="map-search" onSubmit={onSearch}>
        <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('map.searchPlaceholder')} aria-label={t('map.search')} />
        <button type="submit">{t('map.search')}</button>
        <button type="button" onClick={() => jumpTo(HOME)} title={t('map.homeHint')}>{t('map.home')}</button>
        {mayAny(me, 'viewRecordings') && <button type="button" className={platesOpen ? 'on' : ''} onClick={() => setPlatesOpen((o) => !o)} title={t('plates.openHint')} data-testid="plates-open">{t('plates.open')}</button>}
        <button type="button" className={lasso ? 'on' : ''} onClick={() => setLasso((l) => !l)} title={t('mapWall.lassoHint')} data-testid="map-lasso">{t('mapWall.lasso')}</button>
        {mayAny(me, 'manageCameras') && (config?.plans.length ?? 0) > 0 && !planEdit && (
          <>
            {config!.plans.length > 1 && (
              <select aria-label={t('mapWall.placePlan')} value={planPick || config!.plans[0]!.id} onChange={(e) => setPlanPick(e.target.value)}>
                {config!.plans.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
              </select>
            )}
            <button type="button" title={t('mapWall.placePlanHint')} data-testid="map-plan-place" onClick={() => {
              const p = config!.plans.find((x) => x.id === planPick) ?? config!.plans[0]!;
              setPlanEdit({ id: p.id, points: p.points.map((q) => ({ ...q })), saving: false });
            }}>{t('mapWall.placePlan')}</button>
            <RemovePlanButton host={host} plan={config!.plans.find((x) => x.id === planPick) ?? config!.plans[0]!} onMessage={setMessage} onRemoved={setConfig} />
          </>
        )}
        {unplaced.length > 0 && (
          <select aria-label={t('mapWall.placeCamera')} title={t('mapWall.placeCameraHint')} data-testid="map-camera-place" value={placingCamera ?? ''}
            onChange={(e) => {
              const c = unplaced.find((x) => x.id === e.target.value) ?? null;
              setPlacingCamera(c?.id ?? null);
              setMessage(c ? t('mapWall.placeCameraClick', { name: c.name }) : '');
            }}>
            <option value="">{t('mapWall.placeCamera')}</option>
            {unplaced.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        )}
        {mayAny(me, 'manageCameras') && !planEdit && (
          <AddPlanButton host={host} onMessage={setMessage}
            placement={() => {
              const vp = decksRef.current?.viewport();
              const box = holder.current?.getBoundingClientRect();
              if (!vp || !box) return null;
              // a third of the view wide, in its centre
              const [l, c, r] = [box.width / 3, box.width / 2, (2 * box.width) / 3].map((x) => vp.unproject([x, box.height / 2]) as LonLat);
              return { at: { lon: c![0], lat: c![1] }, widthM: Math.max(1, Math.round(distanceM(l!, r!))) };
            }}
            onAdded={(id, c) => {
              setConfig(c);
              const added = c.plans.find((x) => x.id === id);
              if (added) { setPlanPick(id); setPlanEdit({ id, points: added.points.map((q) => ({ ...q })), saving: false }); }
            }} />
        )}
        {message && <span className="map-message" role="status">{message}</span>}
      </form>
      <div className="map-canvas" ref={holder} />
      {painter && <MovingUnits painter={painter} units={unitFeed} alarms={mapAlarms} now={now} trailZoom={trailZoom} trailCanvas={trailCanvas} flat={flatMoving} />}
      {area && <svg className="map-area" aria-hidden="true"><polygon points={area.map((p) => p.join(',')).join(' ')} /></svg>}
      <NorthArrow view={viewStore} onNorth={() => jumpTo({ bearing: 0, pitch: 0 })} />
      <ScaleBar view={viewStore} />
      <div className="map-legend">
        {(['live', 'stale', 'offline', 'idle'] as const).map((s) => <span key={s} className={`map-legend-${s}`}>{t(`map.states.${s}`)}</span>)}
      </div>
      {workAlarms && (
        <div className="map-heat" role="group" aria-label={t('map.heat')}>
          <label><input type="checkbox" checked={heatOn} onChange={(e) => setHeatOn(e.target.checked)} /> {t('map.heat')}</label>
          <select aria-label={t('map.heatWindow')} value={heatWindow} disabled={!heatOn} onChange={(e) => setHeatWindow(e.target.value as HeatWindow)}>
            {(Object.keys(HEAT_WINDOWS) as HeatWindow[]).map((w) => <option key={w} value={w}>{t(`map.heatWindows.${w}`)}</option>)}
          </select>
          <select aria-label={t('map.heatType')} value={heatType} disabled={!heatOn} onChange={(e) => setHeatType(e.target.value as EventType | '')}>
            <option value="">{t('map.allTypes')}</option>
            {EventType.options.map((ty) => <option key={ty} value={ty}>{eventTypeLabel(ty)}</option>)}
          </select>
        </div>
      )}
      {allProblems.length > 0 && (
        <div className="map-problems" role="alert" title={allProblems.join('\n')}>{t('map.filesProblem', { count: allProblems.length })}: {allProblems[0]}</div>
      )}
      {platesOpen && (
        <PlatePanel host={host} onRoute={showRoute} onOpen={(s) => setReviewAt({ cameraId: s.cameraId, atMs: s.atMs })}
          onFocus={(lat, lon) => jumpTo({ latitude: lat, longitude: lon, zoom: Math.max(viewStore.get().zoom, 16) })}
          onClose={() => { setPlatesOpen(false); setRoute(null); setOpenViolation(null); }} openViolation={openViolation} />
      )}
      {reviewAt && (
        <div className="plates-review" data-testid="plates-review">
          <ReviewView host={host} cameraIds={[reviewAt.cameraId]} startMs={reviewAt.atMs} onExit={() => setReviewAt(null)} key={`${reviewAt.cameraId}@${reviewAt.atMs}`} />
        </div>
      )}
      {/* the plate panel and the coverage panel share the right-hand side: one at a time */}
      {!platesOpen && <CoveragePanel on={coverageOn} setOn={setCoverageOn} result={covered} proposed={proposed} setProposed={setProposed} after={coveredAfter} placing={placing} setPlacing={setPlacing} detail={detail}
        attentionOn={attentionOn} setAttentionOn={setAttentionOn} unwatched={unwatchedIds ? unwatched.map((c) => c.name) : null}
        unhealthy={unhealthy?.map((c) => ({ ...c, name: cameras.find((x) => x.id === c.id)?.name ?? c.id })) ?? null} />}
      {followId && (
        <div className="map-follow" role="status">
          {t('units.following', { id: followId })}{' · '}
          {follow.cameraId ? t('units.followCamera', { camera: cameras.find((c) => c.id === follow.cameraId)?.name ?? follow.cameraId }) : t('units.noCameraSees')}
          {follow.error && ` · ${follow.error}`}
          {!following && ` · ${t('units.lost')}`}
          <button onClick={() => follow.stop()}>{t('units.stopFollow')}</button>
        </div>
      )}
      {!followId && follow.ended && (
        <div className="map-follow map-follow-ended" role="status" data-testid="follow-ended" data-reason={follow.ended.reason}>
          {t(`units.${followEndedKey(follow.ended)}`, { id: follow.ended.unitId })}
        </div>
      )}
      {unit && unitAt && (
        <div className="map-popup map-unit-popup" style={{ left: unitAt[0], top: unitAt[1] }} role="dialog">
          <b>{unit.id}</b>
          <span>{t(`units.kinds.${unit.kind}`)}{unit.stale ? ` · ${t('units.stale')}` : ''}{unit.footprint ? ` · ${t('units.klv')}` : ''}</span>
          <button onClick={() => { follow.start(unit.id); setPickedUnit(null); }}>{t('units.follow')}</button>
          <button onClick={() => setPickedUnit(null)} aria-label={t('map.close')}>×</button>
        </div>
      )}
      {editedPlan && planEdit && (
        <PlanEditor plan={editedPlan} points={planEdit.points} saving={planEdit.saving}
          project={(ll) => { const x = decksRef.current?.viewport()?.project(ll); return x ? [x[0]!, x[1]!] : undefined; }}
          unproject={(px) => { const x = decksRef.current?.viewport()?.unproject(px); return x ? [x[0]!, x[1]!] : undefined; }}
          onMove={(points) => setPlanEdit((e) => (e ? { ...e, points } : e))}
          onCancel={() => setPlanEdit(null)}
          onSave={savePlan} />
      )}
      {chosen && at && tip && (
        <HeadingHandle camera={[at[0] ?? 0, at[1] ?? 0]} tip={[tip[0] ?? 0, tip[1] ?? 0]} mapBearing={view.bearing ?? 0} title={t('mapWall.headingHint')}
          onTurn={(heading, to) => setTurning({ id: chosen.id, heading, rangeM: rangeTo(to) })} onDone={saveAim} />
      )}
      {chosen && at && mayAny(me, 'manageCameras') && (
        <MoveHandle at={[at[0] ?? 0, at[1] ?? 0]} title={t('mapWall.moveHint')}
          onMove={(to) => { const ll = unproject(to); if (ll) setMoving({ id: chosen.id, position: ll }); }}
          onDone={(to) => {
            const ll = unproject(to);
            const loc = savedCameras.find((x) => x.id === chosen.id)?.location;
            if (!ll || !loc) { setMoving(null); return; }
            void saveLocation(chosen.id, { ...loc, lon: ll[0], lat: ll[1] }, 'cameraMoved').finally(() => setMoving(null));
          }} />
      )}
      {chosen && at && (
        <div className="map-popup map-camera-popup" style={{ left: at[0], top: at[1] }} role="dialog">
          <LivePicture host={host} cameraId={chosen.id} name={chosen.name} />
          <div className="map-popup-row">
            <b>{chosen.name}</b>
            <span>{t(`map.states.${chosen.state}`)}</span>
            <button onClick={() => showOnWall(chosen.id)}>{t('map.showOnWall')}</button>
            <span className="map-drag" draggable title={t('mapWall.dragHint')} data-testid="map-drag-camera"
              onDragStart={(e) => { e.dataTransfer.setData(DND_CAMERA, chosen.id); e.dataTransfer.effectAllowed = 'copy'; }}>⠿ {t('mapWall.drag')}</span>
            <button onClick={() => setSelected(null)} aria-label={t('map.close')}>×</button>
          </div>
        </div>
      )}
    </div>
  );
}

const noSubscribe = () => () => {};
const homeView = () => HOME;
const NO_UNITS: MapUnit[] = [];
const noUnits = () => NO_UNITS;
const zero = () => 0;

