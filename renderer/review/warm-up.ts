/**
 * Replay's warm-up (ReviewView): the players of cameras shown later are opened ahead, one at a time, while every shown
 * tile has its picture. Which camera's turn it is, as a pure rule.
 */

/** A camera's player as the warm-up sees it; null when the camera has no player yet. */
export interface WarmPlayer { shown: boolean; opened: boolean }

/**
 * The next camera to open ahead, in the order of `ids`: one without a player while the pool has room, or a parked one
 * not opened. Not opened covers a player let go of by reopen() and one parked before it had opened (shown at the
 * replay's first moment, parked by the first seek while it loaded: the rule looked at idle players only before
 * 2026-12-06, and up to 7 of a 10-tile seek's players then had nothing to show and no decoder). Never one the warm-up
 * gave up on (not opened within its time: it opens when shown).
 */
export function nextToWarm(ids: readonly string[], player: (id: string) => WarmPlayer | null, poolSize: number, maxPlayers: number, gaveUp: ReadonlySet<string>): string | undefined {
  return ids.find((id) => {
    if (gaveUp.has(id)) return false;
    const p = player(id);
    return p === null ? poolSize < maxPlayers : !p.shown && !p.opened;
  });
}
