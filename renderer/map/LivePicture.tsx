/**
 * A camera's live picture in the map's popup (issue 10 §2): the wall's own painter and frame channel on a small canvas,
 * with a demand of that size from this window (the host picks the sub-stream for it and decodes once per camera, as for
 * a tile). The demand is withdrawn when the popup closes or shows another camera.
 * The frame worker starts from this chunk as from the wall's: it is its own bundle (wall/frame-channel.ts
 * FRAME_WORKER_FILE); a worker started from `import.meta.url` here once left every wall tile `connecting` (docs/map.md).
 */
import { useEffect, useRef } from 'react';
import type { HostState } from '../bridge/host-state.js';
import { toWebSocketUrl } from '../bridge/connect.js';
import { diagnosticsQuery, exposeDiagnostics } from '../app/diagnostics.js';
import { createCompositor } from '../wall/compositor-choice.js';
import { FrameChannel, startFrameWorker } from '../wall/frame-channel.js';
import { browserDecodeSupported } from '../wall/frame-decoder.js';
import { WallPainter } from '../wall/wall-painter.js';
import { t } from '../i18n/i18n.js';

/** The popup picture's size in CSS pixels (16:9); the demand is in device pixels. */
export const POPUP_PICTURE = { width: 240, height: 135 } as const;

/** What e2e tests read (diagnostics only): the popup tile's paint counters and where its frames are decoded. */
export interface MapPictureProbe {
  snapshot(): ReturnType<WallPainter['snapshot']>;
  mode(): 'worker' | 'main';
  decodeIn(): 'worker' | 'main';
}

export function LivePicture({ host, cameraId, name }: { host: HostState; cameraId: string; name: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const clientId = `map-${Math.random().toString(36).slice(2, 10)}`;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(POPUP_PICTURE.width * dpr), h = Math.round(POPUP_PICTURE.height * dpr);
    // Canvas2D always: the map window's WebGL belongs to deck.gl, and one small picture costs little in software
    const painter = new WallPainter(el, createCompositor('canvas2d', el), (id) => host.statuses.get(id));
    const channel = new FrameChannel(toWebSocketUrl(host.session.framesUrl), clientId, painter.requestPaint, startFrameWorker(), painter.compositor.paintsI420);
    painter.channel = channel;
    painter.setTiles([{ index: 0, cameraId, box: { x: 0, y: 0, w, h } }], w, h);
    channel.setCameras([cameraId]);
    let open = true;
    const demand = (tiles: Array<{ cameraId: string; width: number; height: number; browserDecode?: boolean }>) =>
      host.client.call('streams.demand', { clientId, tiles }).catch(() => { /* the popup's state line shows the stream's state */ });
    // like the wall: where this page decodes H.264 itself the camera's access units travel compressed (one decode for both)
    void browserDecodeSupported(diagnosticsQuery()).then((browserDecode) => {
      if (open) void demand([{ cameraId, width: w, height: h, browserDecode: browserDecode && painter.compositor.paintsI420 }]);
    });
    const probe: MapPictureProbe = { snapshot: () => painter.snapshot(), mode: () => channel.mode, decodeIn: () => channel.decodeIn };
    exposeDiagnostics('__kuzetMapPicture', probe);
    return () => { open = false; void demand([]); channel.close(); painter.dispose(); };
  }, [host, cameraId]);
  return <canvas ref={canvas} className="map-popup-picture" role="img" aria-label={t('mapPopup.picture', { name })}
    style={{ width: POPUP_PICTURE.width, height: POPUP_PICTURE.height }} data-testid="map-popup-picture" />;
}
