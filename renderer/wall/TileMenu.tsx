/** Right-click menu of a tile: maximise, pin, tour of the camera's group, clear, send to another display. */
import type { WallDisplay } from '../../electron/contract/schemas.js';
import { displayText } from '../../electron/contract/default-texts.js';
import type { HostState } from '../bridge/host-state.js';
import type { UiErrors } from '../app/ui-errors.js';
import type { WallAction, WallState } from './wall-model.js';
import { LAYER_NAMES, layersOf, type LayerName } from '../../electron/contract/schemas.js';
import { alarmTiles, toggleAlarmTile } from '../alarms/auto-pop-wiring.js';
import { t } from '../i18n/i18n.js';
import { mayOn, useMe } from '../access/access-state.js';

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
  /** Opens the zone and tripwire editor on this tile. */
  onEditZones: (index: number) => void;
  /** Opens the privacy-mask editor on this tile (shown to those who may edit the camera's masks: editRules). */
  onEditMasks: (index: number) => void;
  /** Opens the lift dialog of the camera's privacy masks (shown when it has liftable ones). */
  onLiftMasks: (cameraId: string) => void;
  hasLiftableMasks: boolean;
}

/** An overlay layer's name in the chosen language. */
export const layerLabel = (l: LayerName): string => t(`layers.${l}`);

/** Per-tile overrides of the overlay layers (issue 3): a layer differing from the top bar's switch is this tile's own. */
function LayerItems({ wall, index, act, onDone }: { wall: WallState; index: number; act: (a: WallAction) => void; onDone: () => void }) {
  const cell = wall.layout.cells[index];
  const shown = layersOf(wall.layout.layers, cell?.layers);
  return (
    <>
      <div className="menu-sep" />
      <div className="menu-title muted">{t('tileMenu.layersOnTile')}</div>
      {LAYER_NAMES.map((l) => (
        <button key={l} role="menuitemcheckbox" aria-checked={shown[l]} onClick={() => { act({ type: 'tile-layer', index, layer: l, on: !shown[l] }); onDone(); }}>
          <span className="menu-check">{shown[l] ? '✓' : ''}</span>{layerLabel(l)}{cell?.layers?.[l] !== undefined ? ` ${t('tileMenu.thisTile')}` : ''}
        </button>
      ))}
      {cell?.layers && <button role="menuitem" onClick={() => { for (const l of LAYER_NAMES) act({ type: 'tile-layer', index, layer: l, on: null }); onDone(); }}>{t('tileMenu.followWall')}</button>}
    </>
  );
}

export function TileMenu({ at, host, wall, act, otherDisplays, errors, cameraId, onClose, onEditZones, onEditMasks, onLiftMasks, hasLiftableMasks }: Props) {
  const me = useMe();
  const cell = wall.layout.cells[at.index];
  if (!cell) return null;
  const camera = cameraId ? host.cameras.get().find((c) => c.id === cameraId) : undefined;
  const group = camera?.group;
  const groupIds = group ? host.cameras.get().filter((c) => c.group === group).map((c) => c.id) : [];
  const run = (fn: () => void) => () => { fn(); onClose(); };
  const pin = (pinned: boolean) => {
    act({ type: 'pin', index: at.index, pinned });
    if (cameraId) host.client.call('streams.pin', { cameraId, pinned }).catch((e: unknown) => errors.report(t('tileMenu.pinning'), e));
  };
  const push = (displayId: string, what: 'camera' | 'layout') => {
    const params = what === 'camera' && cameraId ? { displayId, cameraId } : { displayId, layout: wall.layout };
    host.client.call('wall.push', params).catch((e: unknown) => errors.report(t('tileMenu.sending', { display: displayId }), e));
  };
  // Keep the menu on screen near the pointer.
  const style = { left: Math.min(at.x, window.innerWidth - 260), top: Math.min(at.y, window.innerHeight - 460) };

  return (
    <div className="menu" style={style} role="menu" onClick={(e) => e.stopPropagation()}>
      <button role="menuitem" onClick={run(() => act({ type: 'toggle-maximise', index: at.index }))}>
        {wall.maximised === at.index ? t('tileMenu.restore') : t('tileMenu.maximise')}
      </button>
      {cameraId && (cell.pinned
        ? <button role="menuitem" onClick={run(() => pin(false))}>{t('tileMenu.unpin')}</button>
        : <button role="menuitem" onClick={run(() => pin(true))}>{t('tileMenu.pin')}</button>)}
      {cell.tour
        ? <button role="menuitem" onClick={run(() => act({ type: 'stop-tour', index: at.index }))}>{t('tileMenu.stopTour')}</button>
        : groupIds.length > 1 && (
          <button role="menuitem" onClick={run(() => act({ type: 'tour', index: at.index, cameraIds: groupIds, seconds: TOUR_SECONDS }))}>
            {t('tileMenu.startTour', { group, count: groupIds.length, seconds: TOUR_SECONDS })}
          </button>
        )}
      {cameraId && <button role="menuitem" onClick={run(() => act({ type: 'clear', index: at.index }))}>{t('tileMenu.clear')}</button>}
      {cameraId && <button role="menuitem" onClick={run(() => onEditZones(at.index))}>{t('tileMenu.editZones')}</button>}
      {cameraId && mayOn(me, 'editRules', cameraId) && <button role="menuitem" onClick={run(() => onEditMasks(at.index))}>{t('masksEditor.menu')}</button>}
      {cameraId && hasLiftableMasks && <button role="menuitem" onClick={run(() => onLiftMasks(cameraId))}>{t('tileMenu.liftMasks')}</button>}
      <button role="menuitem" onClick={run(() => toggleAlarmTile(at.index))}>{alarmTiles.get().includes(at.index) ? t('tileMenu.stopAlarmTile') : t('tileMenu.useAlarmTile')}</button>
      {cameraId && <LayerItems wall={wall} index={at.index} act={act} onDone={onClose} />}
      {otherDisplays.length > 0 && <div className="menu-sep" />}
      {cameraId && otherDisplays.map((d) => (
        <button key={`c-${d.id}`} role="menuitem" onClick={run(() => push(d.id, 'camera'))}>{t('tileMenu.sendCamera', { display: displayText(d, t) })}</button>
      ))}
      {otherDisplays.map((d) => (
        <button key={`l-${d.id}`} role="menuitem" onClick={run(() => push(d.id, 'layout'))}>{t('tileMenu.sendLayout', { display: displayText(d, t) })}</button>
      ))}
      <div className="menu-sep" />
      <button role="menuitem" onClick={onClose}>{t('common.close')}</button>
    </div>
  );
}
