/**
 * Zone and tripwire editor over a tile's live picture: draw polygons (zones) and lines (tripwires with a crossing
 * direction), name them, drag their corners, delete them, save. Drawn on the shared SVG surface (ShapeSurface.tsx, as
 * privacy masks) in normalised coordinates; names are shown as text. The host validates again and its message is shown.
 */
import { useState } from 'react';
import type { Point, Zone } from '../../electron/contract/zones-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { useKeyed } from '../bridge/stores.js';
import { errorMessage } from '../app/ui-errors.js';
import { useOperator } from '../alarms/operator.js';
import { zonesFor } from '../overlays/zone-store.js';
import { addPoint, draftProblem, emptyDraft, finish, movePoint, removeZone, updateZone, type ZoneDraft } from './zone-draft.js';
import { ShapeSurface, useEditorKeys, usePolledRect, type CssRect, type SurfaceShape } from './ShapeSurface.js';
import { useTranslation } from 'react-i18next';

export type { CssRect } from './ShapeSurface.js';

interface Props {
  host: HostState;
  cameraId: string;
  cameraName: string;
  /** Where the camera's picture is (CSS pixels, relative to the wall); polled, as it moves when the tile grows. */
  pictureRect: () => CssRect | null;
  onClose: () => void;
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

/** A zone or line as the surface draws it: a line carries its direction arrows and its ends A and B. */
function surfaceShape(z: Zone): SurfaceShape {
  if (z.kind === 'zone') return { name: z.name, points: z.points, closed: true, className: 'ze-zone' };
  const [a, b] = [z.points[0]!, z.points[1]!];
  return {
    name: z.name, points: z.points, closed: false, className: 'ze-line',
    decorate: (w, h) => <>
      {z.direction !== 'right' && <path className="ze-arrow" d={arrowPath(a, b, w, h, 'left')} />}
      {z.direction !== 'left' && <path className="ze-arrow" d={arrowPath(a, b, w, h, 'right')} />}
      <text className="ze-end" x={a.x * w - 14} y={a.y * h + 4}>A</text>
      <text className="ze-end" x={b.x * w + 6} y={b.y * h + 4}>B</text>
    </>,
  };
}

export function ZoneEditor({ host, cameraId, cameraName, pictureRect, onClose }: Props) {
  const { t } = useTranslation();
  const store = zonesFor(host.client);
  const saved = useKeyed(store, cameraId);
  const [draft, setDraft] = useState<ZoneDraft>(() => emptyDraft(saved ?? []));
  const [message, setMessage] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [operator] = useOperator();
  const rect = usePolledRect(pictureRect);

  useEditorKeys({
    escape: () => { if (draft.drawing.length || draft.tool !== 'select') setDraft({ ...draft, drawing: [], tool: 'select' }); else onClose(); },
    enter: () => setDraft(finish(draft)),
    remove: () => { if (draft.selected === null) return false; setDraft(removeZone(draft, draft.selected)); return true; },
  });

  const problem = draftProblem(cameraId, draft.shapes);
  const save = async () => {
    if (problem) { setMessage({ kind: 'error', text: problem }); return; }
    setSaving(true);
    try {
      await host.client.call('zones.save', { cameraId, zones: draft.shapes, operator });
      onClose();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    } finally { setSaving(false); }
  };

  const hint = draft.tool === 'zone'
    ? (draft.drawing.length < 3 ? t('zones.hintCorners') : t('zones.hintClose'))
    : draft.tool === 'line' ? (draft.drawing.length ? t('zones.hintLineEnd') : t('zones.hintLineStart'))
      : draft.selected !== null ? t('zones.hintSelected') : t('zones.hintChoose');

  return (
    <>
      <ShapeSurface
        rect={rect} shapes={draft.shapes.map(surfaceShape)} selected={draft.selected} testId="zone-canvas"
        drawing={draft.tool === 'select' ? null : { points: draft.drawing, polygon: draft.tool === 'zone', className: `ze-${draft.tool}` }}
        onSelect={(i) => setDraft((d) => ({ ...d, selected: i }))}
        onAddPoint={(p, close) => setDraft((d) => addPoint(d, p, close))}
        onMovePoint={(i, k, p) => setDraft((d) => movePoint(d, i, k, p))}
        onFinish={() => setDraft((d) => finish(d))}
      />
      <div className="zone-panel" role="dialog" aria-label={t('zones.title')} data-testid="zone-editor" onClick={(e) => e.stopPropagation()}>
        <div className="ze-head"><b>{t('zones.title')}</b><span className="muted">{cameraName}</span></div>
        <div className="ze-tools">
          <button className={draft.tool === 'zone' ? 'on' : ''} onClick={() => setDraft((d) => ({ ...d, tool: 'zone', drawing: [], selected: null }))}>{t('zones.drawZone')}</button>
          <button className={draft.tool === 'line' ? 'on' : ''} onClick={() => setDraft((d) => ({ ...d, tool: 'line', drawing: [], selected: null }))}>{t('zones.drawLine')}</button>
        </div>
        <div className="muted ze-hint">{rect ? hint : t('zones.waiting')}</div>
        <ul className="ze-list">
          {draft.shapes.map((z, i) => (
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
          {draft.shapes.length === 0 && <li className="muted">{t('zones.none')}</li>}
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
