/**
 * Tells the host that the operator pans or zooms the map (`map.interacting`, at most once a second while it goes on),
 * so that the wall's browser yields the CPU to this window meanwhile (electron/host/map/wall-priority.ts; docs/map.md
 * "The map window first"). Sent on the input itself (capture phase, before deck.gl's controller handles it), so the
 * host lowers the wall before the step's frame is made. Only the host's own map window acts on it.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { HostState } from '../bridge/host-state.js';

/** At most one `map.interacting` a second: the host keeps the wall yielding for 5 s after the last one. */
export const INTERACTING_EVERY_MS = 1000;

export function useWallYield(host: HostState, holder: RefObject<HTMLElement | null>): { setOn(on: boolean): void } {
  const on = useRef(true);
  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    let last = -Infinity;
    const tell = (): void => {
      const now = performance.now();
      if (!on.current || now - last < INTERACTING_EVERY_MS) return;
      last = now;
      host.client.call('map.interacting', {}).catch(() => { /* a map without the host's window: nothing to yield */ });
    };
    const onMove = (e: PointerEvent): void => { if (e.buttons) tell(); };
    const opts = { capture: true, passive: true } as const;
    el.addEventListener('wheel', tell, opts);
    el.addEventListener('pointerdown', tell, opts);
    el.addEventListener('pointermove', onMove, opts);
    el.addEventListener('touchstart', tell, opts);
    el.addEventListener('keydown', tell, opts);
    return () => {
      el.removeEventListener('wheel', tell, opts);
      el.removeEventListener('pointerdown', tell, opts);
      el.removeEventListener('pointermove', onMove, opts);
      el.removeEventListener('touchstart', tell, opts);
      el.removeEventListener('keydown', tell, opts);
    };
  }, [host, holder]);
  return { setOn: (v) => { on.current = v; } };
}
