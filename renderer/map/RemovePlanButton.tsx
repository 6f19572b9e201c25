/**
 * Removing a site plan from the map (issue 10 §1), for a user with `manageCameras`: "Remove plan" asks first (the plan's
 * name, and that its image is deleted when it lies in the data folder's plans folder), then the host writes map.json
 * without it and deletes that image (`map.plans.remove`; it refuses a user without the right, whatever this page shows).
 * The map stops drawing the plan with the configuration the host answers.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostState } from '../bridge/host-state.js';
import type { MapConfig, MapPlan } from '../../electron/contract/map-api.js';
import { errorMessage } from '../app/ui-errors.js';

export interface RemovePlanButtonProps {
  host: HostState;
  /** The plan the top bar's list has chosen. */
  plan: MapPlan;
  onRemoved(config: MapConfig): void;
  onMessage(text: string): void;
}

export function RemovePlanButton(p: RemovePlanButtonProps) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<MapPlan | null>(null);
  const [busy, setBusy] = useState(false);
  const remove = (plan: MapPlan) => {
    setBusy(true);
    p.host.client.call('map.plans.remove', { id: plan.id })
      .then((r) => {
        p.onRemoved(r.config);
        p.onMessage(t(r.imageDeleted ? 'mapWall.planRemoved' : 'mapWall.planRemovedKept', { plan: plan.name }));
      })
      .catch((err: unknown) => p.onMessage(`${t('mapWall.planNotRemoved', { plan: plan.name })}: ${errorMessage(err)}`))
      .finally(() => { setBusy(false); setAsking(null); });
  };
  return (
    <>
      <button type="button" title={t('mapWall.removePlanHint')} data-testid="map-plan-remove" disabled={busy} onClick={() => setAsking(p.plan)}>{t('mapWall.removePlan')}</button>
      {asking && (
        <div className="map-plan-edit map-plan-remove" role="alertdialog" aria-label={t('mapWall.removePlan')} data-testid="map-plan-remove-confirm">
          <span>{t('mapWall.removePlanConfirm', { plan: asking.name })}</span>
          <button type="button" className="danger" disabled={busy} onClick={() => remove(asking)} data-testid="map-plan-remove-yes">{t('mapWall.removePlanYes')}</button>
          <button type="button" disabled={busy} onClick={() => setAsking(null)}>{t('mapWall.removePlanNo')}</button>
        </div>
      )}
    </>
  );
}
