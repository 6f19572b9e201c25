/**
 * The replayed displays side by side (issue 11 §1): each display's wall at the playhead in its layout's own geometry
 * (the live wall's tile rects: spanning tiles, its columns and rows) and its screen's aspect, every tile playing the
 * recorded footage through the review player's tiles (`cell`). Empty cells stay dark; a camera past the played limit
 * says so instead of opening another decoder.
 */
import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useElementSize } from '../element-size.js';
import type { ReviewCellSpec } from '../review/ReviewView.js';
import { arrangeWalls, wallTileRects, type ReplayWall } from './replay-walls.js';

interface Props {
  walls: ReplayWall[];
  /** Each wall's width over height, in the walls' order. */
  aspects: number[];
  names: Record<string, string>;
  cell(tile: ReviewCellSpec): ReactNode;
  /** Told the walls' area size (CSS px) when it changes: what a seek lays the next moment's walls out in. */
  onArea?(width: number, height: number): void;
}

/**
 * The walls' area as ReplayWalls last measured it (CSS px; 0 before), and the `onArea` to give it: what a seek lays
 * the next moment's walls out in (replay-walls.ts `gridAt`).
 */
export function useWallsArea(): { area: { readonly current: { w: number; h: number } }; onArea(width: number, height: number): void } {
  const area = useRef({ w: 0, h: 0 });
  const onArea = useCallback((w: number, h: number) => { area.current = { w, h }; }, []);
  return { area, onArea };
}

export function ReplayWalls({ walls, aspects, names, cell, onArea }: Props) {
  const { t } = useTranslation();
  const area = useRef<HTMLDivElement>(null);
  const { cssW: w, cssH: h } = useElementSize(area);
  useEffect(() => { onArea?.(w, h); }, [onArea, w, h]);
  const boxes = arrangeWalls(aspects, w, h);
  return (
    <div className="replay-walls" ref={area} data-testid="replay-walls">
      {walls.length === 0 && <div className="pad muted">{t('review.noCameras')}</div>}
      {walls.map((wall, i) => {
        const box = boxes[i];
        if (!box) return null;
        const rects = wallTileRects(wall.layout, box.w, box.h, wall.maximised);
        return (
          <div key={wall.displayId} className="replay-wall" data-display={wall.displayId} data-layout={wall.layout.name} data-maximised={wall.maximised ?? undefined}
            style={{ left: box.x, top: box.y, width: box.w, height: box.h }}>
            <div className="replay-wall-head">
              <b>{wall.displayId}</b> · {t('replay.layout', { name: wall.layout.name })} · {wall.layout.cols}×{wall.layout.rows}
              {wall.maximised !== null && <> · {t('replay.maximised', { n: wall.maximised + 1 })}</>}
            </div>
            {wall.tiles.map((tile) => {
              const r = rects[tile.index];
              if (!r) return null;
              const style = { left: r.x, top: r.y, width: r.w, height: r.h };
              if (tile.cameraId === null) return <div key={tile.key} className="replay-tile replay-empty" style={style} />;
              if (!tile.played) {
                return (
                  <div key={tile.key} className="replay-tile replay-unplayed" style={style} data-unplayed={tile.cameraId}>
                    <div className="review-cell-label">{names[tile.cameraId] ?? tile.cameraId}</div>
                    <div className="review-cell-state">{t('replay.notPlayed')}</div>
                  </div>
                );
              }
              return cell({ key: tile.key, cameraId: tile.cameraId, mirror: tile.mirror, style, className: 'replay-tile', layers: tile.layers });
            })}
          </div>
        );
      })}
    </div>
  );
}
