/**
 * The map's three deck.gl canvases, one above the other on one view. Without a GPU every draw runs in software on the
 * cores the wall decodes on, and deck.gl redraws every layer of a canvas when anything in it changes. Most of the map
 * holds still (basemap, 1,000 camera cones, clusters, routes: the `still` canvas) while a few things move twice a
 * second or pulse (units, alarms: the `moving` canvas, on top, transparent). Between them the `trails` canvas
 * (transparent) holds the units' trails up to a snapshot, redrawn every few seconds (trail-split.ts); the moving canvas
 * draws only each unit's newest trail segments. A unit report then redraws only the moving canvas; pan and zoom redraw
 * all three. Every canvas draws only on change (frame-pacer.ts).
 *
 * The moving canvas takes the input (pan, zoom, rotate, keys, clicks); the others follow its view. A click picks
 * the moving canvas first, then the still one (the trails are not pickable), so callers see one map.
 *
 * While the view pans and zooms (same bearing, no tilt) neither canvas is drawn per input event: the last drawn
 * pictures are moved and scaled by a CSS transform to show the new view (view-transform.ts), and all are drawn sharp
 * once the view has held still for SETTLE_MS, or every STAND_IN_MAX_MS during a long drag. Rotation, tilt and jumps
 * draw as before. Input and picking use the views themselves, never the moved pictures: the canvases sit in wrappers,
 * and deck's input root (`deck-events-root`) is the moving canvas's wrapper, which is never transformed.
 *
 * When WebGL is software (SwiftShader: no GPU) the moving canvas's units and alarms are drawn with Canvas 2D instead,
 * on a fourth canvas above the others (`flat`, flat-moving.ts: no GPU-process round trip, no read-back of a WebGL
 * canvas per unit report); the moving deck canvas then draws nothing but still takes the input, and clicks and hovers
 * on the units and alarms go through flat-moving.ts's hit test. The trails snapshot is then drawn with Canvas 2D too
 * (`flatTrails`, on a canvas just above the trails deck's, which is hidden and not drawn): a trails draw by deck held
 * the GPU process, where the moved pictures of a pan or zoom are composited, for 50-100 ms every few seconds (docs/map.md,
 * "Pan and zoom steps that waited for a trails draw"). A GPU keeps deck.gl for everything.
 *
 * Without a GPU Chromium's display compositor blends the moved pictures in software on every frame of a stand-in
 * (Viz, in the GPU process). Two switches cut its time per frame on the map alone, but measured no better beside the
 * wall on a loaded machine, so both are off by default (the benchmark's A/B; docs/map.md, "The pan/zoom frame:
 * compositing the moved pictures"): every canvas kept a composited layer of its own (`setLayerHints`: `will-change:
 * transform`) and moved pictures sampled nearest-neighbour (`setStandInNearest`: `image-rendering: pixelated` while
 * they stand in, smooth again once drawn sharp).
 *
 * What the caller makes per zoom step (the still canvas's clusters and labels, the trails' simplification) waits for the
 * view to settle while moved pictures stand in (`layersWait`, `onSettle`: made and taken in the sharp draw's task, before
 * it): made per step, a wheel step crossing a whole zoom level held its first frame 34-96 ms (docs/map.md, "What the
 * pan/zoom frame waited for").
 *
 * While moved pictures stand in, the still and trails decks are not given each view either (they draw nothing until
 * the settle): they get the latest view when it settles, or when a pick on the still canvas needs it
 * (`setFollowersAtSettle`). An idle deck without layers (the trails and moving decks while units and trails are drawn
 * with Canvas 2D) does not poll (frame-pacer.ts, `setIdlePolls`): docs/map.md, "Quieter decks while the view moves".
 */
import { Deck, MapView as DeckMapView, type Layer, type MapViewState, type PickingInfo } from '@deck.gl/core';
import { browserClock, paceDeck, type FramePacer, type IdlePolls } from './frame-pacer.js';
import { cssTransform, pictureTransform, sameView, type SizedView } from './view-transform.js';
import { clipPath, screenBox, type GeoBox } from './moving-clip.js';
import { drawFlat, flatHit, flatShapes, isSoftwareGl, trailShapes, type FlatShape, type Project } from './flat-moving.js';
import { trailLayer } from './layers.js';
import type { MapUnit } from '../../electron/contract/units-schema.js';
import type { MapAlarm } from './alarm-geo.js';

export interface MapDecksOptions {
  parent: HTMLDivElement;
  initialViewState: MapViewState;
  onViewStateChange(view: MapViewState): void;
  onClick(info: PickingInfo): void;
  onError(err: Error): void;
  /** Units and alarms drawn with Canvas 2D (flat-moving.ts); default: when WebGL is software. */
  flatMoving?: boolean;
  /** The trails snapshot drawn with Canvas 2D (a canvas of its own above the trails deck's); default: when WebGL is software. */
  flatTrails?: boolean;
  /**
   * A moved picture ends (the view settled): called in the task that draws every canvas sharp, before those draws, with
   * the view they draw. Layers the caller makes for the view's zoom step (`layersWait`) given to the canvases now (in
   * this call, synchronously) are in those draws.
   */
  onSettle?(view: SizedView): void;
}

/** A draw of one canvas: which, when it started (performance.now()) and how long the renderer took (the probe's per-step record). */
export interface CanvasDraw { canvas: Which | Flat; atMs: number; ms: number }
/** How many draws `drawLog` keeps. */
const DRAW_LOG = 400;

/** What the moving layers show, for Canvas 2D (flat-moving.ts `flatShapes`: the same as `alarmLayers` + `unitLayers`). */
export interface MovingScene { units: readonly MapUnit[]; alarms: readonly MapAlarm[]; nowMs: number; trailZoom: number | null }

/** WebGL's renderer name (WEBGL_debug_renderer_info), null without WebGL: a throw-away context, lost at once. */
export function webglRenderer(): string | null {
  const gl = document.createElement('canvas').getContext('webgl');
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

/**
 * WebGL context attributes for drawing in software (SwiftShader, no GPU): luma.gl asks for `preserveDrawingBuffer`
 * by default, so every presented frame is a copy of the whole 1920x1080 buffer instead of a swap, and WebGL's default
 * antialiasing draws and resolves four samples a pixel. Neither is needed: the map is drawn only on change and read by
 * nobody but the compositor (pixel checks read screenshots), and its lines are one pixel or wider.
 */
export const SOFTWARE_GL = { webgl: { antialias: false, preserveDrawingBuffer: false } } as const;

/** How long the view must hold still after a pan or zoom before the canvases are drawn sharp again. */
export const SETTLE_MS = 150;
/** The longest a moved picture stands in for a draw while the view keeps changing (a long drag): then it is drawn. */
export const STAND_IN_MAX_MS = 300;

type Which = 'still' | 'trails' | 'moving';
/** The Canvas 2D canvases: `flat` the units and alarms (above all), `flatTrails` the trails snapshot (under the moving canvas). */
type Flat = 'flat' | 'flatTrails';
interface FlatCanvas { wrapper: HTMLDivElement; canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D }

/** A Canvas 2D canvas in a wrapper of its own, transparent to the pointer (input goes on to deck); null without a 2D context. */
function flatCanvas(className: string): FlatCanvas | null {
  const wrapper = document.createElement('div');
  wrapper.className = className;
  Object.assign(wrapper.style, { position: 'absolute', inset: '0', overflow: 'hidden', pointerEvents: 'none' });
  const canvas = document.createElement('canvas');
  Object.assign(canvas.style, { position: 'absolute', left: '0', top: '0', pointerEvents: 'none' });
  wrapper.appendChild(canvas);
  // a raster canvas in the renderer (Skia), never one in the GPU process
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  return ctx ? { wrapper, canvas, ctx } : null;
}
/** The canvases bottom to top. */
const CANVASES: readonly Which[] = ['still', 'trails', 'moving'];
/** The moving canvas's layers when it draws none (one list: deck compares layers by reference). */
const NO_LAYERS: Layer[] = [];
/** What deck.gl's Deck has but its types keep private: its own drawing (what `_customRender` replaces). */
interface DrawsLayers { _drawLayers(reason: string): void }
/** The same for its layer manager: takes the layers last given by setProps now (deck does so at the start of each loop step). */
interface UpdatesLayers { layerManager?: { updateLayers(): void } | null }

function sizedView(deck: Deck<DeckMapView>): SizedView | null {
  const vp = deck.getViewports()[0] as (SizedView & { pitch?: number; bearing?: number }) | undefined;
  return vp ? { longitude: vp.longitude, latitude: vp.latitude, zoom: vp.zoom, bearing: vp.bearing ?? 0, pitch: vp.pitch ?? 0, width: vp.width, height: vp.height } : null;
}

/** Hover picks on the still canvas (for the cursor) run at most this often: each one is a picking draw of its layers. */
const STILL_HOVER_EVERY_MS = 120;

type LayerList = readonly unknown[] | undefined;
function loadedIds(layers: LayerList): string[] {
  const out: string[] = [];
  for (const l of (layers ?? []).flat(Infinity)) if (l && typeof l === 'object' && (l as Layer).isLoaded) out.push((l as Layer).id);
  return out;
}

export class MapDecks {
  private readonly still: Deck<DeckMapView>;
  private readonly trails: Deck<DeckMapView>;
  private readonly moving: Deck<DeckMapView>;
  private readonly pacers: Array<{ pacer: FramePacer; dispose(): void }>;
  private draws: Record<Which | Flat, number> = { still: 0, trails: 0, moving: 0, flat: 0, flatTrails: 0 };
  private readonly log: CanvasDraw[] = [];
  /** Ids of the still canvas's layers whose asynchronous props (a plan's image, tiles) had loaded when it last drew. */
  private stillLoaded: string[] = [];
  private stillHover = false;
  private lastHoverPick = 0;
  private readonly parent: HTMLDivElement;
  private readonly wrappers: Record<Which, HTMLDivElement>;
  /** The view each canvas last drew (its picture), null before its first draw. */
  private drawn: Record<Which | Flat, SizedView | null> = { still: null, trails: null, moving: null, flat: null, flatTrails: null };
  /** Whether WebGL is software here (the default for the flat canvas). */
  readonly softwareGl: boolean;
  /** The Canvas 2D canvas of the units and alarms (flat-moving.ts) in a wrapper of its own above the others, when on. */
  private flat: FlatCanvas | null = null;
  /** The trails snapshot with Canvas 2D, when on; the units it draws (setTrails) and whether they changed since. */
  private flatTrails: FlatCanvas | null = null;
  private trailUnits: { units: readonly MapUnit[]; zoom: number | null } | null = null;
  private flatTrailsDirty = false;
  private scene: MovingScene | null = null;
  private flatBox: GeoBox | null = null;
  /** The scene changed since the flat canvas last drew it. */
  private flatDirty = false;
  /** When the moved pictures began to stand in for draws (0: they do not), and the timer that ends it. */
  private standInSince = 0;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private standInOn = true;
  /** Where the moving and the trail layers draw (moving-clip.ts), and whether those canvases are clipped to it. */
  private boxes: Record<'trails' | 'moving', GeoBox | null> = { trails: null, moving: null };
  private clipOn = true;
  private standIns = 0;
  private sharpDraws = 0;
  /** Every canvas kept a composited layer of its own (`will-change: transform`): the stand-in's transform then changes no paint. */
  private layerHints = false;
  /** Moved pictures sampled nearest-neighbour rather than bilinear (`setStandInNearest`). */
  private nearest = false;
  /** When setTrails last gave the trails canvas its layers (performance.now()). */
  private trailsSetAt = -Infinity;
  /** Layers made for the view's zoom step wait for the view to settle while a moved picture stands in (`setLayersAtSettle`). */
  private layersAtSettle = true;
  /**
   * The view the still and trails decks have not been given yet: while moved pictures stand in, they get it when the view
   * settles (or a pick on the still canvas needs it), not per input event (`setFollowersAtSettle`).
   */
  private heldView: MapViewState | null = null;
  private followersAtSettle = true;
  /** Which idle decks poll (frame-pacer.ts `IdlePolls`): `layers` those with layers (the default), `always` all three. */
  private idlePolls: IdlePolls = 'layers';
  private readonly onSettle: ((view: SizedView) => void) | undefined;
  private readonly settledListeners = new Set<() => void>();

  constructor(opts: MapDecksOptions) {
    this.parent = opts.parent;
    this.onSettle = opts.onSettle;
    const wrap = (className: string) => {
      const div = document.createElement('div');
      div.className = className;
      Object.assign(div.style, { position: 'absolute', inset: '0', overflow: 'hidden' });
      opts.parent.appendChild(div);
      return div;
    };
    // the still and trails canvases' wrappers take no input; the moving one's is deck's input root (never transformed)
    this.wrappers = { still: wrap('map-still'), trails: wrap('map-trails'), moving: wrap('map-moving deck-events-root') };
    this.wrappers.still.style.pointerEvents = 'none';
    this.wrappers.trails.style.pointerEvents = 'none';
    const common = { views: new DeckMapView({ repeat: false }), onError: opts.onError, deviceProps: SOFTWARE_GL } as const;
    // the canvases under the moving one: they follow its view as props and never take input
    const follower = (which: 'still' | 'trails', afterRender: () => void) => new Deck<DeckMapView>({
      ...common,
      parent: this.wrappers[which],
      _customRender: (reason: string) => { this.render(which, reason); },
      viewState: opts.initialViewState,
      controller: false,
      style: { pointerEvents: 'none' },
      onAfterRender: afterRender,
    });
    this.still = follower('still', () => { this.draws.still += 1; this.stillLoaded = loadedIds(this.still.props.layers); });
    this.trails = follower('trails', () => { this.draws.trails += 1; });
    this.moving = new Deck<DeckMapView>({
      ...common,
      parent: this.wrappers.moving,
      _customRender: (reason: string) => { this.render('moving', reason); },
      initialViewState: opts.initialViewState,
      controller: { dragRotate: true, touchRotate: true, keyboard: true },
      onViewStateChange: ({ viewState }) => {
        const view = viewState as MapViewState;
        this.viewChanged(view);
        // while moved pictures stand in, the canvases under the moving one get the view when it settles (or a pick needs it)
        if (this.standInSince && this.followersAtSettle) this.heldView = view;
        else this.follow(view);
        // a transition (keys, pinch) goes on in the moving deck's next loop step, even when this step drew nothing
        this.pacers[2]?.pacer.wake();
        opts.onViewStateChange(view);
      },
      onAfterRender: () => { this.draws.moving += 1; },
      getCursor: ({ isHovering, isDragging }) => (isDragging ? 'grabbing' : isHovering || this.stillHover ? 'pointer' : 'grab'),
      onHover: (info: PickingInfo) => { this.hoverStill(info); },
      onClick: (info: PickingInfo) => { opts.onClick(info.picked ? info : this.pickFlat(info) ?? this.pickStill(info)); },
    });
    const idlePolls = () => this.idlePolls;
    this.pacers = [
      paceDeck(this.still, null, () => this.draws.still, browserClock, idlePolls), // its view comes from the moving canvas as props
      paceDeck(this.trails, null, () => this.draws.trails, browserClock, idlePolls), // so does this one's
      paceDeck(this.moving, opts.parent, () => this.draws.moving, browserClock, idlePolls),
    ];
    this.softwareGl = isSoftwareGl(webglRenderer());
    this.setFlatMoving(opts.flatMoving ?? this.softwareGl);
    this.setFlatTrails(opts.flatTrails ?? this.softwareGl);
  }

  /** Whether units and alarms are drawn with Canvas 2D (flat-moving.ts) rather than by deck on the moving canvas. */
  flatMoving(): boolean { return this.flat !== null; }
  /**
   * Units and alarms with Canvas 2D (on) or by deck on the moving canvas (off): the benchmark's A/B. The caller then
   * gives them again, by `setMovingScene` (on) or `setMoving` (off).
   */
  setFlatMoving(on: boolean): void {
    if (on === (this.flat !== null)) return;
    if (on) {
      const f = flatCanvas('map-flat');
      if (!f) return;
      // above the moving canvas's wrapper (deck's input root)
      this.parent.appendChild(f.wrapper);
      this.flat = f;
      this.applyLayerHints();
      this.drawFlatNow();
    } else {
      this.flat?.wrapper.remove();
      this.flat = null;
      this.scene = null;
      this.flatBox = null;
      this.drawn.flat = null;
    }
  }
  /**
   * The units and alarms for the flat canvas (null: nothing on it); drawn at once unless a moved picture stands in.
   * The moving deck canvas is emptied (once) meanwhile.
   */
  setMovingScene(scene: MovingScene | null, box: GeoBox | null): void {
    if (!this.flat) return;
    if (scene && (this.moving.props.layers?.length ?? 0) > 0) this.setMoving([], null);
    if (!scene && !this.scene) return;
    this.scene = scene;
    this.flatBox = box;
    this.flatDirty = true;
    this.drawFlatNow();
  }

  /** Whether the trails snapshot is drawn with Canvas 2D rather than by deck on the trails canvas. */
  flatTrailsOn(): boolean { return this.flatTrails !== null; }
  /** The trails snapshot with Canvas 2D (on: the trails deck canvas hidden, not drawn) or by deck (off): the benchmark's A/B. */
  setFlatTrails(on: boolean): void {
    if (on === (this.flatTrails !== null)) return;
    if (on) {
      const f = flatCanvas('map-flat-trails');
      if (!f) return;
      this.wrappers.trails.after(f.wrapper); // above the trails deck, under the moving canvas (and the flat one)
      this.wrappers.trails.style.visibility = 'hidden'; // not composited; its size (the view) kept
      this.flatTrails = f;
      this.applyLayerHints();
      this.flatTrailsDirty = true;
      this.trails.setProps({ layers: NO_LAYERS });
      this.drawFlatTrailsNow();
    } else {
      this.flatTrails?.wrapper.remove();
      this.flatTrails = null;
      this.drawn.flatTrails = null;
      this.wrappers.trails.style.visibility = '';
      const t = this.trailUnits;
      this.trails.setProps({ layers: t ? [trailLayer(t.units, t.zoom)] : [] });
    }
  }

  /** Layers that hold still (basemap, cameras, routes...). */
  setStill(layers: Layer[]): void { this.still.setProps({ layers }); }
  /**
   * Layers that move (units, alarm pulses): setting them redraws only the moving canvas. `box` holds every point they
   * draw at (null: they draw nothing); the moving canvas is shown only around it (moving-clip.ts).
   */
  setMoving(layers: Layer[], box: GeoBox | null): void {
    this.boxes.moving = box;
    this.moving.setProps({ layers: layers.length ? layers : NO_LAYERS });
  }
  /**
   * The units' trails up to a snapshot (trail-split.ts; null: none), as layers.ts `trailLayer(units, zoom)`: setting them
   * redraws only the trails canvas (deck's, or the flat one). `box` holds every point they draw at (null: nothing); the
   * canvas is shown only around it, as the moving one.
   */
  setTrails(units: readonly MapUnit[] | null, zoom: number | null, box: GeoBox | null): void {
    this.boxes.trails = box;
    this.trailsSetAt = performance.now();
    this.trailUnits = units ? { units, zoom } : null;
    if (this.flatTrails) {
      this.flatTrailsDirty = true;
      this.drawFlatTrailsNow();
    } else this.trails.setProps({ layers: units ? [trailLayer(units, zoom)] : [] });
  }

  /** How long ago the trails canvas was given its layers (a new trails snapshot; Infinity: never). */
  trailsAgeMs(): number { return performance.now() - this.trailsSetAt; }

  /** Turns the moving and trails canvases' clip to what they draw off (the whole canvas composited per draw, as before) or on: the benchmark's A/B. */
  setMovingClip(on: boolean): void {
    this.clipOn = on;
    for (const deck of [this.trails, this.moving]) {
      const canvas = deck.getCanvas();
      if (canvas && !on) canvas.style.clipPath = '';
      deck.redraw('clip changed');
    }
    if (this.flat && !on) this.flat.canvas.style.clipPath = '';
    if (this.flatTrails && !on) this.flatTrails.canvas.style.clipPath = '';
    this.flatDirty = true;
    this.flatTrailsDirty = true;
    this.drawFlatNow();
    this.drawFlatTrailsNow();
  }

  /** Jumps every canvas to a view (drawn, never stood in for: a jump can go anywhere). */
  jump(view: MapViewState): void {
    this.endStandInUnsettled();
    this.moving.setProps({ initialViewState: view });
    this.follow(view);
  }

  /** The view's viewport (projection of coordinates to CSS pixels of the map). */
  viewport() {
    return this.moving.getViewports()[0] ?? this.still.getViewports()[0];
  }

  /** What either canvas shows at a pixel (moving first). */
  pickObject(x: number, y: number, radius = 4): PickingInfo | null {
    return this.pickFlat({ x, y, coordinate: this.viewport()?.unproject([x, y]) } as PickingInfo, radius) ?? this.moving.pickObject({ x, y, radius }) ?? this.stillPick(x, y, radius);
  }

  /** Ids of the still layers that were loaded when the still canvas last drew (a plan is on screen once its id is here). */
  drawnLoaded(): string[] { return this.stillLoaded; }
  /** Frames drawn, and loop steps on animation frames and idle polls, over all canvases. */
  redraws(): number { return this.draws.still + this.draws.trails + this.draws.moving + this.draws.flat + this.draws.flatTrails; }
  /** Frames drawn per canvas (`flat`: the units and alarms drawn with Canvas 2D; `flatTrails`: the trails snapshot so). */
  drawsBy(): Record<Which | Flat, number> { return { ...this.draws }; }
  /** The last draws of every canvas (at most DRAW_LOG) started at or after `sinceMs` (performance.now()). */
  drawLog(sinceMs = 0): CanvasDraw[] { return this.log.filter((d) => d.atMs >= sinceMs); }
  loopSteps(): { frames: number; polls: number } {
    return this.pacers.map((p) => p.pacer.counts()).reduce((a, b) => ({ frames: a.frames + b.frames, polls: a.polls + b.polls }));
  }
  /** Wakes every canvas (a tile or an image loaded). */
  wake(): void { for (const p of this.pacers) p.pacer.wake(); }

  /** Whether every canvas is kept a composited layer of its own (`setLayerHints`). */
  layerHintsOn(): boolean { return this.layerHints; }
  /**
   * Keeps every canvas a composited layer of its own (`will-change: transform`, on) or lets Chromium decide (off): the
   * benchmark's A/B only, off otherwise. (The guess behind it, that a moved canvas re-rasters its layer, was wrong: the
   * layer tree showed no repaint either way; docs/map.md.)
   */
  setLayerHints(on: boolean): void {
    this.layerHints = on;
    this.applyLayerHints();
  }

  /** Whether moved pictures are sampled nearest-neighbour (`setStandInNearest`). */
  standInNearestOn(): boolean { return this.nearest; }
  /**
   * Moved pictures sampled nearest-neighbour (on: a zoom's stand-in looks blocky rather than blurred for the ~150 ms
   * until the sharp draw; a pan's is the same picture, whole pixels) or bilinear (off): the benchmark's A/B. Applies
   * from the next view change.
   */
  setStandInNearest(on: boolean): void { this.nearest = on; }

  /** Whether layers made for the view's zoom step wait for the view to settle while a moved picture stands in (`setLayersAtSettle`). */
  layersAtSettleOn(): boolean { return this.layersAtSettle; }
  /**
   * On: while a moved picture stands in for a pan or zoom, the caller keeps the layers it makes for the view's zoom step
   * (the still canvas's clusters, labels and sizes, the trails' simplification) as they are, and makes them for the
   * settled view in `onSettle` (`layersWait()` says when to wait). Nothing draws them meanwhile, and making and
   * uploading them on a zoom step that crosses a whole zoom level held the first frame of the step (docs/map.md, "What
   * the pan/zoom frame waited for"). Off: they follow every view change (as before): the benchmark's A/B.
   */
  setLayersAtSettle(on: boolean): void { this.layersAtSettle = on; }
  /** Whether the caller should keep its zoom-step layers for now (a moved picture stands in and `setLayersAtSettle` is on). */
  layersWait(): boolean { return this.layersAtSettle && this.standingIn(); }
  /** Whether the still and trails decks get the view only when a pan or zoom settles (`setFollowersAtSettle`). */
  followersAtSettleOn(): boolean { return this.followersAtSettle; }
  /**
   * On (the default): while moved pictures stand in, the still and trails decks are not given each view (deck's
   * setProps, then a loop step of each in the step's first frame, for canvases that draw nothing until the settle); they
   * get the latest when the view settles, before the sharp draws, or when a pick on the still canvas needs it. Off:
   * every view change is given to them at once (as before 2026-12-06): the benchmark's A/B.
   */
  setFollowersAtSettle(on: boolean): void {
    this.followersAtSettle = on;
    if (!on) this.releaseView();
  }
  /** Which idle decks poll (frame-pacer.ts): `layers` (the default) only those with layers, `always` all three (as before 2026-12-06): the benchmark's A/B. */
  idlePollsNow(): IdlePolls { return this.idlePolls; }
  setIdlePolls(polls: IdlePolls): void {
    this.idlePolls = polls;
    this.wake();
  }
  /** Whether moved pictures stand in for draws now (a pan or zoom has not settled yet). */
  standingIn(): boolean { return this.standInSince !== 0; }
  /**
   * `cb` when a pan or zoom settles: in the task that draws every canvas sharp, after `onSettle` and before those draws
   * (what it gives the canvases is in them; units-painter.ts draws the reports that waited); also when a jump or a drawn
   * view change ends moved pictures. Returns the unsubscribe.
   */
  onSettled(cb: () => void): () => void {
    this.settledListeners.add(cb);
    return () => { this.settledListeners.delete(cb); };
  }

  /** Turns the moved picture on or off (off: every view change is drawn, as before; the benchmark's A/B). */
  setStandIn(on: boolean): void {
    this.standInOn = on;
    if (!on) this.settle();
  }
  /**
   * View changes shown by a moved picture so far, draws of the canvases after a stand-in, and whether all canvases
   * show a draw of the current view with no transform (what pixel checks wait for).
   */
  standInCounts(): { standIns: number; sharpDraws: number; sharp: boolean } {
    return { standIns: this.standIns, sharpDraws: this.sharpDraws, sharp: this.isSharp() };
  }

  finalize(): void {
    this.endStandIn();
    for (const p of this.pacers) p.dispose();
    this.moving.finalize();
    this.trails.finalize();
    this.still.finalize();
    for (const w of Object.values(this.wrappers)) w.remove();
    this.flat?.wrapper.remove();
    this.flat = null;
    this.flatTrails?.wrapper.remove();
    this.flatTrails = null;
  }

  /**
   * Shows a canvas's picture moved and scaled (a moved picture: `transform`) or as drawn (''). With `nearest` on, a moved
   * picture is sampled nearest-neighbour (`image-rendering: pixelated`) instead of bilinear: Chromium's software
   * compositor then copies its pixels instead of filtering them, about half the time per frame (docs/map.md).
   */
  private place(canvas: HTMLCanvasElement, transform: string): void {
    const style = canvas.style;
    if (transform) style.transformOrigin = '0 0';
    style.transform = transform;
    const rendering = transform && this.nearest ? 'pixelated' : '';
    if (style.imageRendering !== rendering) style.imageRendering = rendering;
  }

  private applyLayerHints(): void {
    const hint = this.layerHints ? 'transform' : '';
    for (const canvas of [...CANVASES.map((w) => this.deck(w).getCanvas()), this.flat?.canvas, this.flatTrails?.canvas]) {
      if (canvas && canvas.style.willChange !== hint) canvas.style.willChange = hint;
    }
  }

  private logged(canvas: Which | Flat, atMs: number): void {
    this.log.push({ canvas, atMs, ms: performance.now() - atMs });
    if (this.log.length > DRAW_LOG) this.log.splice(0, this.log.length - DRAW_LOG);
  }

  /** deck's draw of one canvas (its `_customRender`): skipped while the moved picture stands in for it. */
  private render(which: Which, reason: string): void {
    if (this.standInSince) return; // settle() draws them all
    const deck = this.deck(which);
    const t0 = performance.now();
    // the trails with Canvas 2D: the trails deck is hidden and draws nothing (its view is kept for isSharp)
    if (which !== 'trails' || !this.flatTrails) {
      (deck as unknown as DrawsLayers)._drawLayers(reason);
      this.logged(which, t0);
    }
    const view = sizedView(deck);
    this.drawn[which] = view;
    const canvas = deck.getCanvas();
    if (!canvas) return;
    this.place(canvas, '');
    if (this.layerHints && canvas.style.willChange !== 'transform') canvas.style.willChange = 'transform';
    // the flat canvases draw with the moving one's view: a view they have not drawn yet, in the same task
    const behind = (f: FlatCanvas | null, drawn: SizedView | null, dirty: boolean) => f !== null && (dirty || !drawn || !view || !sameView(drawn, view) || f.canvas.style.transform !== '');
    if (which === 'moving' && behind(this.flatTrails, this.drawn.flatTrails, this.flatTrailsDirty)) this.drawFlatTrailsNow();
    if (which === 'moving' && behind(this.flat, this.drawn.flat, this.flatDirty)) this.drawFlatNow();
    // the moving and trails canvases are composited only around what they drew (set in the same task as the draw: the same frame)
    if (which !== 'still' && this.clipOn && view) {
      const vp = deck.getViewports()[0];
      canvas.style.clipPath = clipPath(screenBox(this.boxes[which], (p) => vp?.project(p), view.width, view.height), view.width, view.height);
    }
  }

  /** The view changed by input: move and scale the drawn pictures to show it, or let the canvases draw it. */
  private viewChanged(view: MapViewState): void {
    if (!this.standInOn) return;
    const now = performance.now();
    const size = { width: this.parent.clientWidth, height: this.parent.clientHeight };
    const target: SizedView = { longitude: view.longitude, latitude: view.latitude, zoom: view.zoom, bearing: view.bearing ?? 0, pitch: view.pitch ?? 0, ...size };
    const moves = CANVASES.map((w) => {
      const drawn = this.drawn[w];
      return drawn ? pictureTransform(drawn, target) : null;
    });
    // the flat canvases move with the others (nothing drawn on one yet: nothing to move)
    const flatDrawn = this.flat ? this.drawn.flat : null;
    const flatMove = flatDrawn ? pictureTransform(flatDrawn, target) : null;
    const trailsDrawn = this.flatTrails ? this.drawn.flatTrails : null;
    const trailsMove = trailsDrawn ? pictureTransform(trailsDrawn, target) : null;
    if (moves.some((m) => !m) || (flatDrawn && !flatMove) || (trailsDrawn && !trailsMove)) {
      this.endStandInUnsettled(); // drawn on the canvases' next loop steps (the view change asked for it)
      return;
    }
    // deck reports a drag's start and end as view changes to the same view: nothing to move, nothing to redraw
    if (!this.standInSince && moves.every((m) => m && Math.abs(m.scale - 1) < 1e-9 && Math.abs(m.x) < 1e-3 && Math.abs(m.y) < 1e-3)) return;
    if (!this.standInSince) this.standInSince = now;
    CANVASES.forEach((w, i) => {
      const canvas = this.deck(w).getCanvas();
      if (!canvas) return;
      this.place(canvas, cssTransform(moves[i]!));
    });
    for (const [f, move] of [[this.flat, flatMove], [this.flatTrails, trailsMove]] as const) {
      if (!f || !move) continue;
      this.place(f.canvas, cssTransform(move));
    }
    this.standIns += 1;
    // sharp once the view holds still, and at least every STAND_IN_MAX_MS of a long drag (after deck took this view)
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => { this.settle(); }, Math.min(SETTLE_MS, Math.max(0, this.standInSince + STAND_IN_MAX_MS - now)));
  }

  /** The view held still: every canvas is drawn sharp now, in one task (their new pictures and transforms together). */
  private settle(): void {
    const was = this.standInSince;
    this.endStandIn();
    this.releaseView();
    if (!was) return;
    const view = sizedView(this.moving);
    if (view && this.onSettle) this.onSettle(view);
    for (const cb of [...this.settledListeners]) cb();
    // layers given now are taken now (deck takes new layers on its next loop step), so the draws below show them
    if ((view && this.onSettle) || this.settledListeners.size) for (const w of CANVASES) (this.deck(w) as unknown as UpdatesLayers).layerManager?.updateLayers();
    for (const w of CANVASES) this.deck(w).redraw('view settled');
    this.sharpDraws += 1;
  }

  /** A stand-in ended by a jump or a drawn view change, not by settling: what waited for the settle (onSettled) goes now. */
  private endStandInUnsettled(): void {
    const was = this.standInSince;
    this.endStandIn();
    this.releaseView();
    if (was) for (const cb of [...this.settledListeners]) cb();
  }

  /** The still and trails decks follow the moving one's view (given as props: each takes it on its next loop step or draw). */
  private follow(view: MapViewState): void {
    this.heldView = null;
    this.still.setProps({ viewState: view });
    this.trails.setProps({ viewState: view });
  }

  /** Gives the still and trails decks the view held for them while moved pictures stood in, if any. */
  private releaseView(): void {
    if (this.heldView) this.follow(this.heldView);
  }

  private endStandIn(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    this.standInSince = 0;
  }

  private isSharp(): boolean {
    if (this.standInSince) return false;
    const want = sizedView(this.moving);
    const sharpFlat = (f: FlatCanvas | null, drawn: SizedView | null, dirty: boolean) => !f || (!dirty && drawn !== null && want !== null && sameView(drawn, want) && !f.canvas.style.transform);
    return sharpFlat(this.flat, this.drawn.flat, this.flatDirty) && sharpFlat(this.flatTrails, this.drawn.flatTrails, this.flatTrailsDirty) && CANVASES.every((w) => {
      const drawn = this.drawn[w];
      const canvas = this.deck(w).getCanvas();
      return drawn !== null && want !== null && sameView(drawn, want) && !canvas?.style.transform;
    });
  }

  /**
   * Draws the flat canvas (units and alarms with Canvas 2D) for the moving canvas's current view, sized to it at the
   * device pixel ratio, clipped like the moving canvas; not while a moved picture stands in (settle() draws it), nor
   * before deck has a viewport (the moving canvas's first draw does it).
   */
  private drawFlatNow(): void {
    const scene = this.scene;
    if (!this.paintFlat('flat', this.flat, this.flatBox, (project) => (scene ? flatShapes(scene.units, scene.alarms, scene.nowMs, scene.trailZoom, project) : []))) return;
    this.flatDirty = false;
  }

  /** Draws the trails snapshot with Canvas 2D (`trailShapes`: deck's trail layer), as drawFlatNow, clipped like the trails canvas. */
  private drawFlatTrailsNow(): void {
    const t = this.trailUnits;
    if (!this.paintFlat('flatTrails', this.flatTrails, this.boxes.trails, (project) => (t ? trailShapes(t.units, t.zoom, project) : []))) return;
    this.flatTrailsDirty = false;
  }

  /** Paints one flat canvas for the moving canvas's view (see drawFlatNow); false when it could not (not now). */
  private paintFlat(which: Flat, f: FlatCanvas | null, box: GeoBox | null, shapes: (project: Project) => FlatShape[]): boolean {
    if (!f || this.standInSince || !this.moving.isInitialized) return false;
    const vp = this.moving.getViewports()[0];
    const view = sizedView(this.moving);
    if (!vp || !view) return false;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(view.width * dpr)), h = Math.max(1, Math.round(view.height * dpr));
    if (f.canvas.width !== w || f.canvas.height !== h) {
      f.canvas.width = w;
      f.canvas.height = h;
      Object.assign(f.canvas.style, { width: `${view.width}px`, height: `${view.height}px` });
    }
    const { ctx } = f;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const project = (p: readonly number[]) => vp.project(p as number[]);
    drawFlat(ctx, shapes(project));
    this.place(f.canvas, '');
    f.canvas.style.clipPath = this.clipOn ? clipPath(screenBox(box, project, view.width, view.height), view.width, view.height) : '';
    this.drawn[which] = view;
    this.draws[which] += 1;
    this.logged(which, t0);
    return true;
  }

  /** What the flat canvas shows at the pointer (units, footprints, alarms: flat-moving.ts), as deck's pick, or null. */
  private pickFlat(info: PickingInfo, radius = 0): PickingInfo | null {
    if (!this.flat || !this.scene || !this.moving.isInitialized) return null;
    const vp = this.moving.getViewports()[0];
    if (!vp) return null;
    const shapes = flatShapes(this.scene.units, this.scene.alarms, this.scene.nowMs, this.scene.trailZoom, (p) => vp.project(p as number[]));
    const hit = flatHit(shapes, [info.x, info.y], radius);
    return hit ? { ...info, picked: true, layer: { id: hit.layer } as Layer, object: hit.object, index: hit.index } : null;
  }

  private deck(which: Which): Deck<DeckMapView> {
    return which === 'still' ? this.still : which === 'trails' ? this.trails : this.moving;
  }

  /** A pick on the still canvas, with the current view (a view held while moved pictures stand in is given first). */
  private stillPick(x: number, y: number, radius: number): PickingInfo | null {
    this.releaseView();
    return this.still.pickObject({ x, y, radius });
  }

  private pickStill(info: PickingInfo): PickingInfo {
    const hit = this.stillPick(info.x, info.y, 2);
    return hit ? { ...hit, coordinate: hit.coordinate ?? info.coordinate } : info;
  }

  private hoverStill(info: PickingInfo): void {
    if (info.picked) { this.stillHover = false; return; }
    if (this.pickFlat(info)) { this.stillHover = true; return; }
    const now = performance.now();
    if (now - this.lastHoverPick < STILL_HOVER_EVERY_MS) return;
    this.lastHoverPick = now;
    this.stillHover = Boolean(this.stillPick(info.x, info.y, 2));
  }
}
