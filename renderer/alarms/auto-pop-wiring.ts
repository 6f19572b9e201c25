/**
 * Auto-pop on this console: the designated alarm tiles (remembered per browser profile) and the hook that turns
 * a new alarm into a wall action through the pure policy in auto-pop.ts.
 */
import { useCallback, useRef } from 'react';
import type { Alarm } from '../../electron/contract/alarms-schema.js';
import { ValueStore } from '../bridge/stores.js';
import type { WallAction, WallState } from '../wall/wall-model.js';
import { applyPop, decideAutoPop, DEFAULT_AUTO_POP, type AutoPopSlot } from './auto-pop.js';

const KEY = 'kuzet.alarmTiles';

function loadTiles(): number[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x) && x >= 0 && x < 256) : [];
  } catch { return []; }
}

/** The tiles this console lets alarms take. */
export const alarmTiles = new ValueStore<readonly number[]>(typeof localStorage === 'undefined' ? [] : loadTiles());

export function toggleAlarmTile(index: number): void {
  const cur = alarmTiles.get();
  const next = cur.includes(index) ? cur.filter((i) => i !== index) : [...cur, index];
  alarmTiles.set(next);
  try { localStorage.setItem(KEY, JSON.stringify(next)); } catch { /* kept for this session */ }
}

/** Returns the queue's onArrival callback: pops the alarm's camera onto an alarm tile when the policy says so. */
export function useAutoPop(wallRef: { current: WallState }, dispatch: (a: WallAction) => void): (a: Alarm) => void {
  const state = useRef(new Map<number, AutoPopSlot>());
  return useCallback((alarm: Alarm) => {
    const cells = wallRef.current.layout.cells;
    const tiles = alarmTiles.get().filter((i) => i < cells.length);
    const now = Date.now();
    const d = decideAutoPop({ ...DEFAULT_AUTO_POP, alarmTiles: tiles }, state.current, alarm, (i) => !!cells[i]?.pinned, now);
    if (d.kind !== 'pop') return;
    state.current = applyPop(state.current, d.tile, alarm, now);
    dispatch({ type: 'assign', index: d.tile, cameraId: alarm.cameraId });
  }, [wallRef, dispatch]);
}
