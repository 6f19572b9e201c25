/**
 * A camera's live picture in the map's popup (issue 10 §2): the wall's own painter and frame channel on a small canvas,
 * with a demand of that size from this window (the host decodes once per camera and scales for it, as for a tile).
 * The demand is withdrawn when the popup closes.
 */
import { useEffect, useRef } from 'react';
import type { HostState } from '../bridge/host-state.js';
import { toWebSocketUrl } from '../bridge/connect.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { createCompositor } from '../wall/compositor-choice.js';
import { FrameChannel } from '../wall/frame-channel.js';
import { WallPainter } from '../wall/wall-painter.js';

/** The popup picture's size in CSS pixels (16:9); the demand is in device pixels. */
export const POPUP_PICTURE = { width: 240, height: 135 } as const;
const CLIENT_ID = `map-${Math.random().toString(36).slice(2, 10)}`;

export function LivePicture({ host, cameraId }: { host: HostState; cameraId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(POPUP_PICTURE.width * dpr), h = Math.round(POPUP_PICTURE.height * dpr);
    // Canvas2D always: the map window's WebGL belongs to deck.gl, and one small picture costs little in software
    const painter = new WallPainter(el, createCompositor('canvas2d', el), (id) => host.statuses.get(id));
    const channel = new FrameChannel(toWebSocketUrl(host.session.framesUrl), CLIENT_ID, painter.requestPaint, null, painter.compositor.paintsI420);
    painter.channel = channel;
    painter.setTiles([{ index: 0, cameraId, box: { x: 0, y: 0, w, h } }], w, h);
    channel.setCameras([cameraId]);
    const demand = (tiles: Array<{ cameraId: string; width: number; height: number }>) => host.client.call('streams.demand', { clientId: CLIENT_ID, tiles }).catch(() => { /* the tile state shows it */ });
    void demand([{ cameraId, width: w, height: h }]);
    exposeDiagnostics('__kuzetMapPicture', { snapshot: () => painter.snapshot(), received: () => channel.feeds.get(cameraId)?.received ?? 0 });
    return () => { void demand([]); channel.close(); painter.dispose(); };
  }, [host, cameraId]);
  return <canvas ref={canvas} className="map-popup-picture" style={{ width: POPUP_PICTURE.width, height: POPUP_PICTURE.height }} data-testid="map-popup-picture" />;
}
