/**
 * Placing a site plan by dragging its reference points on the map (issue 10 §1). In edit mode each reference point
 * of the plan is a numbered handle at the place it names; dragging one moves that place (the plan is drawn through the
 * points as they are dragged, one redraw per move), and Save writes the points into map.json through
 * `map.plans.place` (the host refuses points that cannot place a plan, with the reason, and then writes nothing).
 * The pixel of the image each point pins stays as map.json has it: the drag says where that pixel lies.
 * A plan placed by two points (moved, turned, scaled) gets a third with "Add point 3" (an image corner, where the two
 * put it: the plan does not move until it is dragged, then it is placed by any affine transform, for a skewed scan);
 * "Remove point 3" goes back to two.
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapPlan, PlanPoint } from '../../electron/contract/map-api.js';
import { planPointsProblem } from '../../electron/contract/plan-points.js';
import { reasonMessage } from '../app/ui-errors.js';
import { thirdPoint } from './plan-geo.js';

export interface PlanEditorProps {
  plan: MapPlan;
  points: readonly PlanPoint[];
  /** A place on the map to the window's CSS pixels (undefined before the map has a viewport). */
  project(lonLat: [number, number]): [number, number] | undefined;
  unproject(px: [number, number]): [number, number] | undefined;
  onMove(points: PlanPoint[]): void;
  onSave(): void;
  onCancel(): void;
  saving: boolean;
}

export function PlanEditor(p: PlanEditorProps) {
  const { t } = useTranslation();
  const dragging = useRef<number | null>(null);
  const problem = planPointsProblem(p.points, p.plan.width, p.plan.height);
  const move = (i: number, e: React.PointerEvent) => {
    const box = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect();
    const ll = p.unproject([e.clientX - box.left, e.clientY - box.top]);
    if (!ll) return;
    p.onMove(p.points.map((q, k) => (k === i ? { ...q, lon: Math.round(ll[0] * 1e7) / 1e7, lat: Math.round(ll[1] * 1e7) / 1e7 } : q)));
  };
  return (
    <>
      {p.points.map((q, i) => {
        const at = p.project([q.lon, q.lat]);
        if (!at) return null;
        const label = t('mapWall.planPoint', { n: i + 1, plan: p.plan.name });
        return (
          <div key={i} className="map-plan-point" style={{ left: at[0], top: at[1] }} title={label} aria-label={label} role="button" data-testid={`map-plan-point-${i + 1}`}
            onPointerDown={(e) => { e.stopPropagation(); e.preventDefault(); e.currentTarget.setPointerCapture(e.pointerId); dragging.current = i; }}
            onPointerMove={(e) => { if (dragging.current === i && e.currentTarget.hasPointerCapture(e.pointerId)) move(i, e); }}
            onPointerUp={(e) => { if (dragging.current !== i) return; e.currentTarget.releasePointerCapture(e.pointerId); move(i, e); dragging.current = null; }}>
            {i + 1}
          </div>
        );
      })}
      <div className="map-plan-edit" role="group" aria-label={t('mapWall.placePlan')}>
        <b>{p.plan.name}</b>
        <span>{problem ? reasonMessage({ code: problem.code, params: problem.params }) : t('mapWall.placePlanHint')}</span>
        {p.points.length === 2 && (
          <button type="button" title={t('mapWall.addPlanPointHint')} data-testid="map-plan-add-point" disabled={p.saving || problem !== null}
            onClick={() => p.onMove([...p.points, thirdPoint(p.points, p.plan.width, p.plan.height)])}>{t('mapWall.addPlanPoint')}</button>
        )}
        {p.points.length === 3 && (
          <button type="button" title={t('mapWall.removePlanPointHint')} data-testid="map-plan-remove-point" disabled={p.saving}
            onClick={() => p.onMove(p.points.slice(0, 2))}>{t('mapWall.removePlanPoint')}</button>
        )}
        <button type="button" onClick={p.onSave} disabled={p.saving || problem !== null} data-testid="map-plan-save">{t('mapWall.savePlan')}</button>
        <button type="button" onClick={p.onCancel} disabled={p.saving}>{t('mapWall.cancelPlan')}</button>
      </div>
    </>
  );
}
