/**
 * One tile's thin interactive layer over its region of the wall canvas: label band (camera name,
 * state, frame age), big state text when not live, badges, stats. Re-renders only when this tile's
 * state or this camera's status changes; the age text is updated in place by the painter.
 */
import { memo, useCallback, useRef } from 'react';
import type { Camera, LayoutCell, StreamStatus } from '../../electron/contract/schemas.js';
import { useKeyed, type KeyedStore } from '../bridge/stores.js';
import { stateText } from './tile-state.js';
import type { WallAction } from './wall-model.js';
import type { WallPainter } from './wall-painter.js';
import { t } from '../i18n/i18n.js';
import { CROWD_LIMIT } from '../../electron/contract/stream-choice.js';

export const DND_CAMERA = 'application/x-kuzet-camera';
export const DND_TILE = 'application/x-kuzet-tile';

interface Props {
  index: number;
  rect: { left: number; top: number; width: number; height: number } | null;
  cameraId: string | null;
  camera: Camera | undefined;
  cell: LayoutCell;
  selected: boolean;
  maximised: boolean;
  statsOn: boolean;
  painter: WallPainter;
  statuses: KeyedStore<StreamStatus>;
  act: (a: WallAction) => void;
  onMenu: (index: number, x: number, y: number) => void;
}

function useAgeRef(painter: WallPainter, index: number) {
  const prev = useRef<HTMLElement | null>(null);
  return useCallback((el: HTMLElement | null) => {
    if (prev.current) painter.unbindAge(index, prev.current);
    prev.current = el;
    if (el) painter.bindAge(index, el);
  }, [painter, index]);
}

export const Tile = memo(function Tile(p: Props) {
  const { index, cameraId, painter } = p;
  const state = useKeyed(painter.states, String(index)) ?? (cameraId ? 'connecting' : 'empty');
  const status = useKeyed(p.statuses, cameraId);
  const ageRef = useAgeRef(painter, index);
  const bigAgeRef = useAgeRef(painter, index);
  const statsRef = useCallback((el: HTMLPreElement | null) => painter.bindStats(index, el), [painter, index]);

  if (!p.rect) return null;
  const name = p.camera?.name ?? cameraId ?? '';
  const pinned = !!p.cell.pinned || !!status?.pinned;
  const showBig = state !== 'live' && state !== 'empty';
  const className = `tile tile-${state}${p.selected ? ' tile-selected' : ''}${p.maximised ? ' tile-max' : ''}`;

  return (
    <div
      className={className}
      style={p.rect}
      data-tile-index={index}
      data-camera-id={cameraId ?? ''}
      data-state={state}
      draggable={cameraId !== null}
      onClick={() => p.act({ type: 'select', index })}
      onDoubleClick={() => p.act({ type: 'toggle-maximise', index })}
      onContextMenu={(e) => { e.preventDefault(); p.act({ type: 'select', index }); p.onMenu(index, e.clientX, e.clientY); }}
      onDragStart={(e) => { e.dataTransfer.setData(DND_TILE, String(index)); e.dataTransfer.effectAllowed = 'move'; }}
      onDragOver={(e) => { if (e.dataTransfer.types.includes(DND_CAMERA) || e.dataTransfer.types.includes(DND_TILE)) e.preventDefault(); }}
      onDrop={(e) => {
        e.preventDefault();
        const cam = e.dataTransfer.getData(DND_CAMERA);
        const from = e.dataTransfer.getData(DND_TILE);
        if (cam) p.act({ type: 'assign', index, cameraId: cam });
        else if (from !== '') p.act({ type: 'swap', from: Number(from), to: index });
      }}
    >
      {state === 'empty' ? (
        <div className="tile-empty">{t('tile.dropHere')}</div>
      ) : (
        <>
          <div className="tile-band">
            <span className={`dot dot-${state}`} />
            <span className="tile-name" title={name}>{name}</span>
            <span className="tile-state">{t(`tileStates.${state}`).toUpperCase()}</span>
            <span className="tile-age" ref={ageRef} />
            {pinned && <span className="badge badge-pin" title={t('tile.pinnedHint')}>{t('tile.pin')}</span>}
            {p.cell.tour && <span className="badge" title={t('tile.tourHint')}>{t('tile.tour', { seconds: p.cell.tour.seconds })}</span>}
            {status?.downgrade && <span className="badge badge-down" title={t(`downgrade.${status.downgrade}Hint`, { limit: CROWD_LIMIT })}>{t(`downgrade.${status.downgrade}`, { limit: CROWD_LIMIT })}</span>}
          </div>
          {showBig && (
            <div className="tile-big">
              {(state === 'connecting' || state === 'reconnecting') && <span className="spinner" />}
              <span>{stateText(state, status)}</span>
              {state !== 'connecting' && <span className="tile-big-age" ref={bigAgeRef} />}
            </div>
          )}
          {p.statsOn && <pre className="tile-stats" ref={statsRef} />}
        </>
      )}
    </div>
  );
});
