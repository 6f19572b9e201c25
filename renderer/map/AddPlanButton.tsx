/**
 * Adding a site plan from the map (issue 10 §1), for a user with `manageCameras`: pick a PNG or JPEG; the host checks
 * it (magic bytes, size: `map.plans.add`), stores it in the data dir and names it in map.json, first placed about a
 * third of the view wide in the view's centre. The map then opens the plan's reference-point editor (PlanEditor) to
 * place it exactly. A file over PLAN_MAX_BYTES is refused here with the host's sentence (it would not fit a request).
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostState } from '../bridge/host-state.js';
import { PLAN_MAX_BYTES, type MapConfig } from '../../electron/contract/map-api.js';
import { errorMessage } from '../app/ui-errors.js';
import { reasonMessage } from '../app/ui-errors.js';

export interface AddPlanButtonProps {
  host: HostState;
  /** Where to put the new plan first: the view's centre and a width in metres (null before the map has a view). */
  placement(): { at: { lon: number; lat: number }; widthM: number } | null;
  onAdded(id: string, config: MapConfig): void;
  onMessage(text: string): void;
}

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => { const s = String(r.result); resolve(s.slice(s.indexOf(',') + 1)); };
    r.onerror = () => reject(r.error ?? new Error('the file could not be read'));
    r.readAsDataURL(file);
  });
}

export function AddPlanButton(p: AddPlanButtonProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const add = async (file: File) => {
    const name = file.name.replace(/\.[^.]*$/, '').trim().slice(0, 120) || t('mapWall.addPlanDefaultName');
    if (file.size > PLAN_MAX_BYTES) {
      p.onMessage(`${t('mapWall.planNotAdded', { plan: name })}: ${reasonMessage({ code: 'planTooLarge', params: { sizeMb: Number((file.size / 1048576).toFixed(1)), maxMb: PLAN_MAX_BYTES / 1048576 } })}`);
      return;
    }
    const where = p.placement();
    if (!where) return;
    try {
      const r = await p.host.client.call('map.plans.add', { name, image: await base64Of(file), at: where.at, widthM: where.widthM });
      p.onAdded(r.id, r.config);
      p.onMessage(t('mapWall.planAdded', { plan: name }));
    } catch (err) {
      p.onMessage(`${t('mapWall.planNotAdded', { plan: name })}: ${errorMessage(err)}`);
    }
  };
  return (
    <>
      <input ref={input} type="file" accept="image/png,image/jpeg" hidden data-testid="map-plan-file"
        onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void add(f); }} />
      <button type="button" title={t('mapWall.addPlanHint')} data-testid="map-plan-add" onClick={() => input.current?.click()}>{t('mapWall.addPlan')}</button>
    </>
  );
}
