/**
 * Zone and tripwire editor over a tile's live picture: draw polygons (zones) and lines (tripwires with a crossing
 * direction), name them, drag their corners, delete them, save. Everything is drawn as SVG over the picture in
 * normalised coordinates; names are shown as text. The host validates again and its message is shown as text.
 */
import { useEffect, useRef, useState } from 'react';
import type { Point, Zone } from '../../electron/contract/zones-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { useKeyed } from '../bridge/stores.js';
import { errorMessage } from '../app/ui-errors.js';
import { useOperator } from '../alarms/operator.js';
import { zonesFor } from '../overlays/zone-store.js';
import { addPoint, draftProblem, emptyDraft, finish, movePoint, removeZone, updateZone, type ZoneDraft } from './zone-draft.js';
import './zones.css';
import { useTranslation } from 'react-i18next';

export interface CssRect { left: number; top: number; width: number; height: number }

interface Props {
  host: HostState;
  cameraId: string;
  cameraName: string;
  /** Where the camera's picture is (CSS pixels, relative to the wall); polled, as it moves when the tile grows. */
  pictureRect: () => CssRect | null;
  onClose: () => void;
}

const CLOSE_PX = 12;

function usePolledRect(get: () => CssRect | null): CssRect | null {
  const [rect, setRect] = useState<CssRect | null>(get);
  useEffect(() => {
    const t = setInterval(() => {
      const r = get();
      setRect((old) => (old && r && old.left === r.left && old.top === r.top && old.width === r.width && old.height === r.height ? old : r));
    }, 250);
    return () => clearInterval(t);
  }, [get]);
  return rect;
}

function arrowPath(a: Point, b: Point, w: number, h: number, side: 'left' | 'right'): string {
  const ax = a.x * w, ay = a.y * h, bx = b.x * w, by = b.y * h;
  const dx = bx - ax, dy = by - ay, n = Math.hypot(dx, dy) || 1;
  const s = side === 'left' ? 1 : -1;
  const nx = (dy / n) * s, ny = (-dx / n) * s;
  const mx = (ax + bx) / 2, my = (ay + by) / 2, len = Math.max(16, h / 16);
  const tx = mx + nx * len, ty = my + ny * len;
  return `M${mx},${my} L${tx},${ty} M${tx},${ty} L${tx - nx * len * 0.4 + ny * len * 0.3},${ty - ny * len * 0.4 - nx * len * 0.3} M${tx},${ty} L${tx - nx * len * 0.4 - ny * len * 0.3},${ty - ny * len * 0.4 + nx * len * 0.3}`;
}

export function ZoneEditor({ host, cameraId, cameraName, pictureRect, onClose }: Props) {
  const { t } = useTranslation();
  const store = zonesFor(host.client);
  const saved = useKeyed(store, cameraId);
  const [draft, setDraft] = useState<ZoneDraft>(() => emptyDraft(saved ?? []));
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [hover, setHover] = useState<Point | null>(null);
  const [operator] = useOperator();
  const drag = useRef<{ zone: number; point: number } | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const rect = usePolledRect(pictureRect);

  // The editor owns the keyboard while open: the wall's keys (Delete clears a tile, arrows move the selection,
  // Esc restores) would take the camera away from under it.
  const draftRef = useRef(draft);
  draftRef.current = draft;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'SELECT')) return;
      const d = draftRef.current;
      if (e.key === 'Escape') { if (d.drawing.length || d.tool !== 'select') setDraft({ ...d, drawing: [], tool: 'select' }); else onClose(); }
      else if (e.key === 'Enter') setDraft(finish(d));
      else if ((e.key === 'Delete' || e.key === 'Backspace') && d.selected !== null) setDraft(removeZone(d, d.selected));
      else if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Delete', 'Backspace'].includes(e.key)) return;
      e.stopImmediatePropagation();
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);

  const toPoint = (clientX: number, clientY: number): Point | null => {
    const r = svgRef.current?.getBoundingClientRect();
    if (!r || r.width === 0) return null;
    return { x: Math.min(1, Math.max(0, (clientX - r.left) / r.width)), y: Math.min(1, Math.max(0, (clientY - r.top) / r.height)) };
  };

  const problem = draftProblem(cameraId, draft.zones);
  const save = async () => {
    if (problem) { setMessage({ kind: 'error', text: problem }); return; }
    setSaving(true);
    try {
      await host.client.call('zones.save', { cameraId, zones: draft.zones, operator });
      onClose();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    } finally { setSaving(false); }
  };

  const w = rect?.width ?? 0, h = rect?.height ?? 0;
  const first = draft.drawing[0];
  const nearFirst = (p: Point) => !!first && draft.tool === 'zone' && draft.drawing.length >= 3 && Math.hypot((p.x - first.x) * w, (p.y - first.y) * h) < CLOSE_PX;
  const hint = draft.tool === 'zone'
    ? (draft.drawing.length < 3 ? t('zones.hintCorners') : t('zones.hintClose'))
    : draft.tool === 'line' ? (draft.drawing.length ? t('zones.hintLineEnd') : t('zones.hintLineStart'))
      : draft.selected !== null ? t('zones.hintSelected') : t('zones.hintChoose');

  const shape = (z: Zone, i: number) => {
    const sel = draft.selected === i;
    const pts = z.points.map((p) => `${p.x * w},${p.y * h}`).join(' ');
    return (
      <g key={i} className={`ze-shape ze-${z.kind}${sel ? ' ze-selected' : ''}`} data-zone-name={z.name} onPointerDown={(e) => { if (draft.tool === 'select') { e.stopPropagation(); setDraft((d) => ({ ...d, selected: i })); } }}>
        {z.kind === 'zone' ? <polygon points={pts} /> : <polyline points={pts} />}
        {z.kind === 'line' && z.direction !== 'right' && <path className="ze-arrow" d={arrowPath(z.points[0]!, z.points[1]!, w, h, 'left')} />}
        {z.kind === 'line' && z.direction !== 'left' && <path className="ze-arrow" d={arrowPath(z.points[0]!, z.points[1]!, w, h, 'right')} />}
        <text x={z.points[0]!.x * w + 4} y={z.points[0]!.y * h - 6}>{z.name}</text>
        {z.kind === 'line' && <>
          <text className="ze-end" x={z.points[0]!.x * w - 14} y={z.points[0]!.y * h + 4}>A</text>
          <text className="ze-end" x={z.points[1]!.x * w + 6} y={z.points[1]!.y * h + 4}>B</text>
        </>}
        {sel && z.points.map((p, k) => (
          <circle key={k} className="ze-handle" cx={p.x * w} cy={p.y * h} r={6}
            onPointerDown={(e) => { e.stopPropagation(); drag.current = { zone: i, point: k }; svgRef.current?.setPointerCapture(e.pointerId); }} />
        ))}
      </g>
    );
  };

  return (
    <>
      {rect && (
        <svg
          ref={svgRef} className={`zone-canvas${draft.tool !== 'select' ? ' drawing' : ''}`} data-testid="zone-canvas"
          style={{ left: rect.left, top: rect.top, width: w, height: h }} viewBox={`0 0 ${w} ${h}`}
          onPointerDown={(e) => {
            if (draft.tool === 'select') { setDraft((d) => ({ ...d, selected: null })); return; }
            const p = toPoint(e.clientX, e.clientY);
            if (p) setDraft((d) => addPoint(d, p, nearFirst(p)));
          }}
          onPointerMove={(e) => {
            const p = toPoint(e.clientX, e.clientY);
            setHover(p);
            const dr = drag.current;
            if (dr && p) setDraft((d) => movePoint(d, dr.zone, dr.point, p));
          }}
          onPointerUp={() => { drag.current = null; }}
          onDoubleClick={() => setDraft((d) => finish(d))}
          onContextMenu={(e) => e.preventDefault()}
        >
          {draft.zones.map(shape)}
          {draft.drawing.length > 0 && (
            <g className={`ze-drawing ze-${draft.tool}`}>
              <polyline points={[...draft.drawing, ...(hover ? [hover] : [])].map((p) => `${p.x * w},${p.y * h}`).join(' ')} />
              {draft.drawing.map((p, k) => <circle key={k} className={k === 0 && hover && nearFirst(hover) ? 'ze-handle ze-close' : 'ze-handle'} cx={p.x * w} cy={p.y * h} r={5} />)}
            </g>
          )}
        </svg>
      )}
      <div className="zone-panel" role="dialog" aria-label={t('zones.title')} data-testid="zone-editor" onClick={(e) => e.stopPropagation()}>
        <div className="ze-head"><b>{t('zones.title')}</b><span className="muted">{cameraName}</span></div>
        <div className="ze-tools">
          <button className={draft.tool === 'zone' ? 'on' : ''} onClick={() => setDraft((d) => ({ ...d, tool: 'zone', drawing: [], selected: null }))}>{t('zones.drawZone')}</button>
          <button className={draft.tool === 'line' ? 'on' : ''} onClick={() => setDraft((d) => ({ ...d, tool: 'line', drawing: [], selected: null }))}>{t('zones.drawLine')}</button>
        </div>
        <div className="muted ze-hint">{rect ? hint : t('zones.waiting')}</div>
        <ul className="ze-list">
          {draft.zones.map((z, i) => (
            <li key={i} className={draft.selected === i ? 'sel' : ''} onClick={() => setDraft((d) => ({ ...d, selected: i }))}>
              <span className={`ze-kind ze-kind-${z.kind}`}>{z.kind === 'zone' ? t('zones.kindZone') : t('zones.kindLine')}</span>
              <input aria-label={t(z.kind === 'zone' ? 'zones.nameOfZone' : 'zones.nameOfLine', { n: i + 1 })} value={z.name} maxLength={64} onChange={(e) => { const name = e.target.value; setDraft((d) => updateZone(d, i, { name })); }} />
              {z.kind === 'line' && (
                <select aria-label={t('zones.directionOf', { n: i + 1 })} value={z.direction} onChange={(e) => { const direction = e.target.value as 'both' | 'left' | 'right'; setDraft((d) => updateZone(d, i, { direction })); }}>
                  <option value="both">{t('zones.bothWays')}</option>
                  <option value="left">{t('zones.intoLeft')}</option>
                  <option value="right">{t('zones.intoRight')}</option>
                </select>
              )}
              <button className="link danger" aria-label={t('zones.deleteNamed', { name: z.name })} onClick={(e) => { e.stopPropagation(); setDraft((d) => removeZone(d, i)); }}>{t('common.delete')}</button>
            </li>
          ))}
          {draft.zones.length === 0 && <li className="muted">{t('zones.none')}</li>}
        </ul>
        {(message || problem) && <div className={message?.kind === 'info' ? 'muted' : 'error'} role="alert">{message?.text ?? problem}</div>}
        <div className="ze-actions">
          <button onClick={onClose}>{t('common.cancel')}</button>
          <button className="on" disabled={saving} onClick={() => void save()}>{t('common.save')}</button>
        </div>
      </div>
    </>
  );
}
