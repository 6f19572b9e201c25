/**
 * The wall of this display: ONE canvas painted by the WallPainter, with a thin positioned div per
 * tile over its region for interaction and labels. Tiles move (new rects), they are never remounted
 * as video elements. Tells the host what every tile needs (streams.demand), debounced.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useElementSize } from '../element-size.js';
import type { WallDisplay } from '../../electron/contract/schemas.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { toWebSocketUrl } from '../bridge/connect.js';
import type { UiErrors } from '../app/ui-errors.js';
import { chooseCompositorKind, createCompositor } from './compositor-choice.js';
import { FrameChannel, startFrameWorker } from './frame-channel.js';
import { browserDecodeSupported } from './frame-decoder.js';
import { installInstrumentation, type KuzetInstrumentation } from './instrumentation.js';
import { diagnosticsQuery } from '../app/diagnostics.js';
import { demandSize, tileRects, type Rect } from './tile-geometry.js';
import { mayOn, useMe } from '../access/access-state.js';
import { cellCameraAt, type WallAction, type WallState } from './wall-model.js';
import { WallPainter } from './wall-painter.js';
import { createOverlayLayer } from '../overlays/overlay-layer.js';
import { overlaysFor } from '../overlays/overlay-store.js';
import { zonesFor } from '../overlays/zone-store.js';
import { masksFor, masksToDraw } from '../overlays/mask-store.js';
import { createMaskLayer } from './mask-layer.js';
import { layersOf } from '../../electron/contract/schemas.js';
import { ZoneEditor } from '../zones/ZoneEditor.js';
import { MaskEditor } from '../zones/MaskEditor.js';
import { LiftMasksDialog } from './LiftMasksDialog.js';
import { Tile } from './Tile.js';
import { TileMenu, type MenuAt } from './TileMenu.js';
import { t as tr } from '../i18n/i18n.js';

const DEMAND_DEBOUNCE_MS = 200;

interface Props {
  host: HostState;
  wall: WallState;
  act: (a: WallAction) => void;
  statsOn: boolean;
  clientId: string;
  otherDisplays: WallDisplay[];
  errors: UiErrors;
}

/** Re-renders once a second while any cell runs a tour, so tours advance. */
function useTourClock(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return active ? now : 0;
}

export function WallView({ host, wall, act, statsOn, clientId, otherDisplays, errors }: Props) {
  const areaRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [painter, setPainter] = useState<WallPainter | null>(null);
  // Whether this page decodes H.264 itself (WebCodecs + Canvas2D); null until known, and no demand is sent before.
  const [browserDecode, setBrowserDecode] = useState<boolean | null>(null);
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const instRef = useRef<KuzetInstrumentation | null>(null);
  const size = useElementSize(areaRef);
  const cameras = useValue(host.cameras);
  const connected = useValue(host.connected);
  const cameraById = useMemo(() => new Map(cameras.map((c) => [c.id, c])), [cameras]);

  // One painter and one frame channel for the life of the wall.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const choice = chooseCompositorKind(host.session.compositorHint);
    const compositor = createCompositor(choice.kind, canvas);
    const p = new WallPainter(canvas, compositor, (id) => host.statuses.get(id));
    const channel = new FrameChannel(toWebSocketUrl(host.session.framesUrl), clientId, p.requestPaint, startFrameWorker(), compositor.paintsI420);
    p.channel = channel;
    p.onPaintShare = (paintedPct) => { host.client.call('streams.pageLoad', { clientId, paintedPct }).catch(() => { /* the next report follows in 2 s */ }); };
    const overlay = createOverlayLayer(canvas, overlaysFor(host.client), zonesFor(host.client), (id) => p.repaintCamera(id));
    p.overlay = overlay;
    const masks = masksFor(host.client);
    p.masks = createMaskLayer(canvas, (id) => masksToDraw(masks.get(id)));
    if (new URLSearchParams(diagnosticsQuery()).get('pace') === 'latest') channel.setPacing(false);
    instRef.current = installInstrumentation(p, choice.why, () => channel.mode, () => channel.decodeIn, (on) => { if (on !== undefined) channel.setPacing(on); return channel.pacing; });
    setPainter(p);
    let live = true;
    void browserDecodeSupported(diagnosticsQuery()).then((ok) => { if (live) setBrowserDecode(ok && choice.kind === 'canvas2d'); });
    return () => { live = false; overlay.dispose(); channel.close(); p.dispose(); setPainter(null); };
  }, [host, clientId]);

  const { layout, maximised, selected } = wall;
  const tourActive = layout.cells.some((c) => c.tour);
  const tourNow = useTourClock(tourActive);
  const devW = Math.round(size.cssW * size.dpr);
  const devH = Math.round(size.cssH * size.dpr);
  const rects = useMemo(() => tileRects(layout, devW, devH, maximised), [layout, devW, devH, maximised]);
  const shown = useMemo(() => layout.cells.map((c) => cellCameraAt(c, tourNow || Date.now())), [layout, tourNow]);
  const shownKey = shown.join('|');

  useLayoutEffect(() => {
    if (!painter || devW === 0 || devH === 0) return;
    const tiles = rects.flatMap((box, index) => (box ? [{ index, cameraId: shown[index] ?? null, box }] : []));
    painter.setTiles(tiles, devW, devH);
    painter.channel?.setCameras(tiles.flatMap((t) => (t.cameraId ? [t.cameraId] : [])));
    if (instRef.current) instRef.current.ready = true;
    // shownKey stands for `shown`; rects already depend on layout.
  }, [painter, rects, shownKey, devW, devH]);

  // Tell the host what each visible tile needs, in device pixels (one demand per tile).
  // Issue 12: only cameras this user may watch live are asked for (the host refuses the others).
  const me = useMe();
  const live = (id: string | null | undefined): id is string => !!id && mayOn(me, 'viewLive', id);
  const demandKey = JSON.stringify([browserDecode, rects.map((r, i) => (r && live(shown[i]) ? [shown[i], demandSize(r), !!layout.cells[i]?.pinned] : null))]);
  useEffect(() => {
    if (devW === 0 || browserDecode === null) return;
    if (instRef.current) instRef.current.browserDecode = browserDecode;
    const tiles = rects.flatMap((r, i) => {
      const cameraId = shown[i];
      return r && live(cameraId) ? [{ cameraId, ...demandSize(r), pinned: !!layout.cells[i]?.pinned, browserDecode }] : [];
    });
    const t = setTimeout(() => {
      host.client.call('streams.demand', { clientId, tiles }).catch((e: unknown) => errors.report(tr('wall.askingStreams'), e));
    }, DEMAND_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [demandKey]);

  // Overlay layers per tile (layout data) and the cameras' zones: a change repaints the last frames at once.
  const overlays = overlaysFor(host.client);
  const layersKey = JSON.stringify([layout.layers, layout.cells.map((c) => c.layers ?? null)]);
  useEffect(() => {
    overlays.setTileLayers(new Map(layout.cells.map((c, i) => [i, layersOf(layout.layers, c.layers)])));
    painter?.invalidate();
  }, [painter, layersKey]);
  useEffect(() => (painter ? zonesFor(host.client).subscribeAll(() => painter.invalidate()) : undefined), [painter, host]);
  useEffect(() => (painter ? masksFor(host.client).subscribeAll(() => painter.invalidate()) : undefined), [painter, host]);

  // Zone editor on one tile: the tile is maximised while editing; its zones layer is left to the editor.
  // The privacy-mask editor works the same way (what: 'masks'); the masks stay painted while it is open.
  const [editing, setEditing] = useState<{ index: number; cameraId: string; what: 'zones' | 'masks' } | null>(null);
  const [lifting, setLifting] = useState<string | null>(null);
  const editOn = useCallback((index: number, what: 'zones' | 'masks') => {
    const cameraId = shown[index];
    if (!cameraId) return;
    if (wall.maximised !== index) act({ type: 'maximise', index });
    setEditing({ index, cameraId, what });
  }, [shown, wall.maximised, act]);
  const editZones = useCallback((index: number) => editOn(index, 'zones'), [editOn]);
  const editMasks = useCallback((index: number) => editOn(index, 'masks'), [editOn]);
  useEffect(() => {
    overlays.editingTile = editing?.what === 'zones' ? editing.index : null;
    painter?.invalidate();
  }, [editing, painter, overlays]);
  useEffect(() => { if (editing && shown[editing.index] !== editing.cameraId) setEditing(null); }, [editing, shownKey]);
  const editorRect = useCallback(() => {
    if (!painter || !editing) return null;
    const r = painter.pictureRect(editing.index) ?? rects[editing.index];
    return r ? css(r) : null;
  }, [painter, editing, rects, size.dpr]);

  useEffect(() => {
    if (!menu) return;
    const close = (e: KeyboardEvent) => { if (e.key === 'Escape') setMenu(null); };
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [menu]);
  const openMenu = useCallback((index: number, x: number, y: number) => setMenu({ x, y, index }), []);
  const css = (r: Rect) => ({ left: r.x / size.dpr, top: r.y / size.dpr, width: r.w / size.dpr, height: r.h / size.dpr });

  return (
    <div className="wall" ref={areaRef} onClick={() => setMenu(null)}>
      <canvas
        ref={canvasRef}
        className="wall-canvas"
        style={{ width: devW / size.dpr, height: devH / size.dpr }}
      />
      {painter && layout.cells.map((cell, index) => {
        const r = rects[index];
        const cameraId = shown[index] ?? null;
        return (
          <Tile
            key={index}
            index={index}
            rect={r ? css(r) : null}
            cameraId={cameraId}
            camera={cameraId ? cameraById.get(cameraId) : undefined}
            cell={cell}
            selected={index === selected}
            maximised={index === maximised}
            statsOn={statsOn}
            painter={painter}
            statuses={host.statuses}
            act={act}
            onMenu={openMenu}
          />
        );
      })}
      {!connected && <div className="wall-lost" role="alert">{tr('wall.connectionLost')}</div>}
      {menu && (
        <TileMenu
          at={menu} host={host} wall={wall} act={act} otherDisplays={otherDisplays} errors={errors}
          cameraId={shown[menu.index] ?? null} onClose={() => setMenu(null)} onEditZones={editZones} onEditMasks={editMasks}
          onLiftMasks={setLifting} hasLiftableMasks={(masksFor(host.client).get(shown[menu.index] ?? '')?.masks ?? []).some((m) => m.kind === 'liftable')}
        />
      )}
      {lifting && <LiftMasksDialog host={host} cameraId={lifting} cameraName={cameraById.get(lifting)?.name ?? lifting} onClose={() => setLifting(null)} />}
      {editing?.what === 'masks' && (
        <MaskEditor
          key={`m-${editing.index}-${editing.cameraId}`} host={host} cameraId={editing.cameraId}
          cameraName={cameraById.get(editing.cameraId)?.name ?? editing.cameraId} pictureRect={editorRect}
          onClose={() => { setEditing(null); act({ type: 'restore' }); }}
        />
      )}
      {editing?.what === 'zones' && (
        <ZoneEditor
          key={`${editing.index}-${editing.cameraId}`} host={host} cameraId={editing.cameraId}
          cameraName={cameraById.get(editing.cameraId)?.name ?? editing.cameraId} pictureRect={editorRect}
          onClose={() => { setEditing(null); act({ type: 'restore' }); }}
        />
      )}
    </div>
  );
}
