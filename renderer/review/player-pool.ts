/**
 * The review grid's players, kept per camera across changes of what the grid shows: a camera that leaves the grid
 * (replay: the display's layout changed at the playhead) is parked with its MediaSource, SourceBuffer and decoder
 * instead of disposed, so showing it again is a seek, not a new player. The least recently shown parked players
 * beyond `maxParked` are disposed. Pure bookkeeping: tested without a browser.
 */

/** What the pool needs of a player. */
export interface PooledPlayer {
  /** Left the grid: stop fetching and decoding, keep what is open. */
  park(): void;
  /** Gone for good: let go of the MediaSource and the element. */
  dispose(): void;
}

export class PlayerPool<P extends PooledPlayer> {
  private readonly players = new Map<string, P>();
  /** Cameras of the grid now, in tile order. */
  private shownIds: string[] = [];
  /** When each camera was last shown (a counter: larger is more recent). */
  private readonly lastShown = new Map<string, number>();
  private tick = 0;

  constructor(private readonly make: (cameraId: string) => P, private readonly maxParked: number) {}

  /** The camera's player, made when it has none. */
  player(cameraId: string): P {
    let p = this.players.get(cameraId);
    if (!p) { p = this.make(cameraId); this.players.set(cameraId, p); this.lastShown.set(cameraId, ++this.tick); }
    return p;
  }

  /** The grid now shows these cameras: their players (made where needed), the others parked, the oldest parked disposed. */
  show(cameraIds: readonly string[]): P[] {
    const next = [...new Set(cameraIds)];
    const now = new Set(next);
    for (const id of this.shownIds) if (!now.has(id)) this.players.get(id)?.park();
    const tick = ++this.tick;
    const shown = next.map((id) => { const p = this.player(id); this.lastShown.set(id, tick); return p; });
    this.shownIds = next;
    const parked = [...this.players.keys()].filter((id) => !now.has(id)).sort((a, b) => (this.lastShown.get(a) ?? 0) - (this.lastShown.get(b) ?? 0));
    for (const id of parked.slice(0, Math.max(0, parked.length - this.maxParked))) this.drop(id);
    return shown;
  }

  /** Players of the cameras shown, in tile order. */
  shown(): P[] { return this.shownIds.flatMap((id) => { const p = this.players.get(id); return p ? [p] : []; }); }

  /** Every player, shown or parked. */
  all(): P[] { return [...this.players.values()]; }

  /** Cameras with a player, shown or parked (diagnostics). */
  has(cameraId: string): boolean { return this.players.has(cameraId); }

  /** The grid shows the camera now. */
  isShown(cameraId: string): boolean { return this.shownIds.includes(cameraId); }

  /** Players, shown or parked. */
  get size(): number { return this.players.size; }

  disposeAll(): void {
    for (const id of [...this.players.keys()]) this.drop(id);
    this.shownIds = [];
  }

  private drop(id: string): void {
    this.players.get(id)?.dispose();
    this.players.delete(id);
    this.lastShown.delete(id);
  }
}
