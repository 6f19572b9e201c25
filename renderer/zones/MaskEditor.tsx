/**
 * Privacy-mask editor over a tile's live picture (issue 12 §3): draw mask polygons as liftable or permanent, name them,
 * change their kind, drag their corners, delete them, save (`masks.save`, needs editRules on the camera). Drawn on the
 * shared surface of the zone editor (ShapeSurface.tsx). The host validates the shape (no crossing edges, inside the
 * picture, 3 points or more) and its refusal is shown in the operator's language; nothing is saved then.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MaskKind } from '../../electron/contract/masks-schema.js';
import type { HostState } from '../bridge/host-state.js';
import { useKeyed } from '../bridge/stores.js';
import { errorMessage } from '../app/ui-errors.js';
import { useOperator } from '../alarms/operator.js';
import { masksFor } from '../overlays/mask-store.js';
import { addMaskPoint, emptyMaskDraft, finishMask, maskDraftProblem, moveMaskPoint, removeMask, updateMask, type MaskDraft } from './mask-draft.js';
import { ShapeSurface, useEditorKeys, usePolledRect, type CssRect } from './ShapeSurface.js';

interface Props {
  host: HostState;
  cameraId: string;
  cameraName: string;
  /** Where the camera's picture is (CSS pixels, relative to the wall); polled, as it moves when the tile grows. */
  pictureRect: () => CssRect | null;
  onClose: () => void;
}

const KINDS: readonly MaskKind[] = ['liftable', 'permanent'];

export function MaskEditor({ host, cameraId, cameraName, pictureRect, onClose }: Props) {
  const { t } = useTranslation();
  const saved = useKeyed(masksFor(host.client), cameraId);
  const [draft, setDraft] = useState<MaskDraft>(() => emptyMaskDraft(saved?.masks ?? []));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [operator] = useOperator();
  const rect = usePolledRect(pictureRect);

  useEditorKeys({
    escape: () => { if (draft.drawing.length || draft.tool !== 'select') setDraft({ ...draft, drawing: [], tool: 'select' }); else onClose(); },
    enter: () => setDraft(finishMask(draft)),
    remove: () => { if (draft.selected === null) return false; setDraft(removeMask(draft, draft.selected)); return true; },
  });
  const edit = (next: (d: MaskDraft) => MaskDraft) => { setError(null); setDraft(next); };

  const problem = maskDraftProblem(cameraId, draft.shapes);
  const save = async () => {
    if (problem) { setError(problem); return; }
    setSaving(true);
    try {
      await host.client.call('masks.save', { cameraId, masks: draft.shapes, operator: operator || 'console' });
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally { setSaving(false); }
  };

  const hint = draft.tool !== 'select'
    ? (draft.drawing.length < 3 ? t('masksEditor.hintCorners') : t('masksEditor.hintClose'))
    : draft.selected !== null ? t('masksEditor.hintSelected') : t('masksEditor.hintChoose');

  return (
    <>
      <ShapeSurface
        rect={rect} selected={draft.selected} testId="mask-canvas"
        shapes={draft.shapes.map((m) => ({ name: m.name, points: m.points, closed: true, className: `me-${m.kind}` }))}
        drawing={draft.tool === 'select' ? null : { points: draft.drawing, polygon: true, className: `me-${draft.tool}` }}
        onSelect={(i) => setDraft((d) => ({ ...d, selected: i }))}
        onAddPoint={(p, close) => edit((d) => addMaskPoint(d, p, close))}
        onMovePoint={(i, k, p) => edit((d) => moveMaskPoint(d, i, k, p))}
        onFinish={() => edit((d) => finishMask(d))}
      />
      <div className="zone-panel" role="dialog" aria-label={t('masksEditor.title')} data-testid="mask-editor" onClick={(e) => e.stopPropagation()}>
        <div className="ze-head"><b>{t('masksEditor.title')}</b><span className="muted">{cameraName}</span></div>
        <div className="ze-tools">
          {KINDS.map((k) => (
            <button key={k} className={draft.tool === k ? 'on' : ''} onClick={() => edit((d) => ({ ...d, tool: k, drawing: [], selected: null }))}>{t(`masksEditor.draw.${k}`)}</button>
          ))}
        </div>
        <div className="muted ze-hint">{rect ? hint : t('masksEditor.waiting')}</div>
        <div className="muted">{t('masksEditor.kinds')}</div>
        <ul className="ze-list">
          {draft.shapes.map((m, i) => (
            <li key={i} className={draft.selected === i ? 'sel' : ''} onClick={() => setDraft((d) => ({ ...d, selected: i }))}>
              <input aria-label={t('masksEditor.nameOf', { n: i + 1 })} value={m.name} maxLength={64} onChange={(e) => { const name = e.target.value; edit((d) => updateMask(d, i, { name })); }} />
              <select aria-label={t('masksEditor.kindOf', { n: i + 1 })} value={m.kind} onChange={(e) => { const kind = e.target.value as MaskKind; edit((d) => updateMask(d, i, { kind })); }}>
                {KINDS.map((k) => <option key={k} value={k}>{t(`masksEditor.kind.${k}`)}</option>)}
              </select>
              <button className="link danger" aria-label={t('masksEditor.deleteNamed', { name: m.name })} onClick={(e) => { e.stopPropagation(); edit((d) => removeMask(d, i)); }}>{t('common.delete')}</button>
            </li>
          ))}
          {draft.shapes.length === 0 && <li className="muted">{t('masksEditor.none')}</li>}
        </ul>
        {(error || problem) && <div className="error" role="alert">{error ?? problem}</div>}
        <div className="ze-actions">
          <button onClick={onClose}>{t('common.cancel')}</button>
          <button className="on" disabled={saving} onClick={() => void save()}>{t('common.save')}</button>
        </div>
      </div>
    </>
  );
}
