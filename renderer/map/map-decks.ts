/**
 * The map's two deck.gl canvases, one above the other on one view. Without a GPU every draw runs in software on the
 * cores the wall decodes on, and deck.gl redraws every layer of a canvas when anything in it changes. Most of the map
 * holds still (basemap, 1,000 camera cones, clusters, routes: the `still` canvas) while a few things move twice a
 * second or pulse (units, alarms: the `moving` canvas, on top, transparent). A unit report then redraws only the
 * moving canvas; pan and zoom redraw both. Both canvases draw only on change (frame-pacer.ts).
 *
 * The moving canvas takes the input (pan, zoom, rotate, keys, clicks); the still one follows its view. A click picks
 * the moving canvas first, then the still one, so callers see one map.
 */
import { Deck, MapView as DeckMapView, type Layer, type MapViewState, type PickingInfo } from '@deck.gl/core';
import { paceDeck, type FramePacer } from './frame-pacer.js';

export interface MapDecksOptions {
  parent: HTMLDivElement;
  initialViewState: MapViewState;
  onViewStateChange(view: MapViewState): void;
  onClick(info: PickingInfo): void;
  onError(err: Error): void;
}

/**
 * WebGL context attributes for drawing in software (SwiftShader, no GPU): luma.gl asks for `preserveDrawingBuffer`
 * by default, so every presented frame is a copy of the whole 1920x1080 buffer instead of a swap, and WebGL's default
 * antialiasing draws and resolves four samples a pixel. Neither is needed: the map is drawn only on change and read by
 * nobody but the compositor (pixel checks read screenshots), and its lines are one pixel or wider.
 */
export const SOFTWARE_GL = { webgl: { antialias: false, preserveDrawingBuffer: false } } as const;

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
  private readonly moving: Deck<DeckMapView>;
  private readonly pacers: Array<{ pacer: FramePacer; dispose(): void }>;
  private draws = { still: 0, moving: 0 };
  /** Ids of the still canvas's layers whose asynchronous props (a plan's image, tiles) had loaded when it last drew. */
  private stillLoaded: string[] = [];
  private stillHover = false;
  private lastHoverPick = 0;

  constructor(opts: MapDecksOptions) {
    const common = { parent: opts.parent, views: new DeckMapView({ repeat: false }), onError: opts.onError, deviceProps: SOFTWARE_GL } as const;
    this.still = new Deck<DeckMapView>({
      ...common,
      viewState: opts.initialViewState,
      controller: false,
      style: { pointerEvents: 'none' }, // it lies under the moving canvas and never takes input
      onAfterRender: () => { this.draws.still += 1; this.stillLoaded = loadedIds(this.still.props.layers); },
    });
    this.moving = new Deck<DeckMapView>({
      ...common,
      initialViewState: opts.initialViewState,
      controller: { dragRotate: true, touchRotate: true, keyboard: true },
      onViewStateChange: ({ viewState }) => {
        this.still.setProps({ viewState: viewState as MapViewState });
        opts.onViewStateChange(viewState as MapViewState);
      },
      onAfterRender: () => { this.draws.moving += 1; },
      getCursor: ({ isHovering, isDragging }) => (isDragging ? 'grabbing' : isHovering || this.stillHover ? 'pointer' : 'grab'),
      onHover: (info: PickingInfo) => { this.hoverStill(info); },
      onClick: (info: PickingInfo) => { opts.onClick(info.picked ? info : this.pickStill(info)); },
    });
    this.pacers = [
      paceDeck(this.still, null, () => this.draws.still), // its view comes from the moving canvas as props
      paceDeck(this.moving, opts.parent, () => this.draws.moving),
    ];
  }

  /** Layers that hold still (basemap, cameras, routes...). */
  setStill(layers: Layer[]): void { this.still.setProps({ layers }); }
  /** Layers that move (units, alarm pulses): setting them redraws only the moving canvas. */
  setMoving(layers: Layer[]): void { this.moving.setProps({ layers }); }

  /** Jumps both canvases to a view. */
  jump(view: MapViewState): void {
    this.moving.setProps({ initialViewState: view });
    this.still.setProps({ viewState: view });
  }

  /** The view's viewport (projection of coordinates to CSS pixels of the map). */
  viewport() {
    return this.moving.getViewports()[0] ?? this.still.getViewports()[0];
  }

  /** What either canvas shows at a pixel (moving first). */
  pickObject(x: number, y: number, radius = 4): PickingInfo | null {
    return this.moving.pickObject({ x, y, radius }) ?? this.still.pickObject({ x, y, radius });
  }

  /** Ids of the still layers that were loaded when the still canvas last drew (a plan is on screen once its id is here). */
  drawnLoaded(): string[] { return this.stillLoaded; }
  /** Frames drawn, and loop steps on animation frames and idle polls, over both canvases. */
  redraws(): number { return this.draws.still + this.draws.moving; }
  loopSteps(): { frames: number; polls: number } {
    return this.pacers.map((p) => p.pacer.counts()).reduce((a, b) => ({ frames: a.frames + b.frames, polls: a.polls + b.polls }));
  }
  /** Wakes both canvases (a tile or an image loaded). */
  wake(): void { for (const p of this.pacers) p.pacer.wake(); }

  finalize(): void {
    for (const p of this.pacers) p.dispose();
    this.moving.finalize();
    this.still.finalize();
  }

  private pickStill(info: PickingInfo): PickingInfo {
    const hit = this.still.pickObject({ x: info.x, y: info.y, radius: 2 });
    return hit ? { ...hit, coordinate: hit.coordinate ?? info.coordinate } : info;
  }

  private hoverStill(info: PickingInfo): void {
    if (info.picked) { this.stillHover = false; return; }
    const now = performance.now();
    if (now - this.lastHoverPick < STILL_HOVER_EVERY_MS) return;
    this.lastHoverPick = now;
    this.stillHover = Boolean(this.still.pickObject({ x: info.x, y: info.y, radius: 2 }));
  }
}
