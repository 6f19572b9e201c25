/** Right-click menu of a tile: maximise, pin, tour of the camera's group, clear, send to another display. */
import type { WallDisplay } from '../../electron/contract/schemas.js';
import type { HostState } from '../bridge/host-state.js';
import type { UiErrors } from '../app/ui-errors.js';
import type { WallAction, WallState } from './wall-model.js';
import { overlaysFor } from '../overlays/overlay-store.js';
import { alarmTiles, toggleAlarmTile } from '../alarms/auto-pop-wiring.js';

export interface MenuAt { x: number; y: number; index: number }

const TOUR_SECONDS = 10;

interface Props {
  at: MenuAt;
  host: HostState;
  wall: WallState;
  act: (a: WallAction) => void;
  otherDisplays: WallDisplay[];
  errors: UiErrors;
  cameraId: string | null;
  onClose: () => void;
}

/** Per-tile switch of the analytics overlay layer (issue 3). */
function OverlayToggle({ host, index, onDone }: { host: HostState; index: number; onDone: () => void }) {
  const store = overlaysFor(host.client);
  const off = store.switches.get().offTiles.includes(index);
  return <button role="menuitem" onClick={() => { store.toggleTile(index); onDone(); }}>{off ? 'Show analytics boxes' : 'Hide analytics boxes'}</button>;
}

export function TileMenu({ at, host, wall, act, otherDisplays, errors, cameraId, onClose }: Props) {
  const cell = wall.layout.cells[at.index];
  if (!cell) return null;
  const camera = cameraId ? host.cameras.get().find((c) => c.id === cameraId) : undefined;
  const group = camera?.group;
  const groupIds = group ? host.cameras.get().filter((c) => c.group === group).map((c) => c.id) : [];
  const run = (fn: () => void) => () => { fn(); onClose(); };
  const pin = (pinned: boolean) => {
    act({ type: 'pin', index: at.index, pinned });
    if (cameraId) host.client.call('streams.pin', { cameraId, pinned }).catch((e: unknown) => errors.report('pinning the camera', e));
  };
  const push = (displayId: string, what: 'camera' | 'layout') => {
    const params = what === 'camera' && cameraId ? { displayId, cameraId } : { displayId, layout: wall.layout };
    host.client.call('wall.push', params).catch((e: unknown) => errors.report(`sending to display ${displayId}`, e));
  };
  // Keep the menu on screen near the pointer.
  const style = { left: Math.min(at.x, window.innerWidth - 260), top: Math.min(at.y, window.innerHeight - 320) };

  return (
    <div className="menu" style={style} role="menu" onClick={(e) => e.stopPropagation()}>
      <button role="menuitem" onClick={run(() => act({ type: 'toggle-maximise', index: at.index }))}>
        {wall.maximised === at.index ? 'Restore' : 'Maximise'}
      </button>
      {cameraId && (cell.pinned
        ? <button role="menuitem" onClick={run(() => pin(false))}>Unpin (allow downgrade)</button>
        : <button role="menuitem" onClick={run(() => pin(true))}>Pin to full quality</button>)}
      {cell.tour
        ? <button role="menuitem" onClick={run(() => act({ type: 'stop-tour', index: at.index }))}>Stop tour</button>
        : groupIds.length > 1 && (
          <button role="menuitem" onClick={run(() => act({ type: 'tour', index: at.index, cameraIds: groupIds, seconds: TOUR_SECONDS }))}>
            Start tour of group “{group}” ({groupIds.length} cameras, {TOUR_SECONDS} s)
          </button>
        )}
      {cameraId && <button role="menuitem" onClick={run(() => act({ type: 'clear', index: at.index }))}>Clear</button>}
      {cameraId && <OverlayToggle host={host} index={at.index} onDone={onClose} />}
      <button role="menuitem" onClick={run(() => toggleAlarmTile(at.index))}>{alarmTiles.get().includes(at.index) ? 'Stop using as alarm tile' : 'Use as alarm tile (auto-pop)'}</button>
      {otherDisplays.length > 0 && <div className="menu-sep" />}
      {cameraId && otherDisplays.map((d) => (
        <button key={`c-${d.id}`} role="menuitem" onClick={run(() => push(d.id, 'camera'))}>Send camera to {d.name || d.id}</button>
      ))}
      {otherDisplays.map((d) => (
        <button key={`l-${d.id}`} role="menuitem" onClick={run(() => push(d.id, 'layout'))}>Send layout to {d.name || d.id}</button>
      ))}
      <div className="menu-sep" />
      <button role="menuitem" onClick={onClose}>Close</button>
    </div>
  );
}
