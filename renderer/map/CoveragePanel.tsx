/**
 * The coverage panel (issue 10 §5): the share of the district's street length that fixed cameras' cones reach (blind
 * stretches are drawn on the map), a proposed camera placed by a click on the map and turned here (share before and
 * after), and the cameras whose detail at their useful range (px/m) is below what their purpose needs.
 */
import { useTranslation } from 'react-i18next';
import { staleTime, type CoverageResult, type DetailRow } from './coverage.js';
import type { SightCamera } from './follow.js';

export interface CoveragePanelProps {
  on: boolean;
  setOn(on: boolean): void;
  result: CoverageResult | null;
  proposed: SightCamera | null;
  setProposed(c: SightCamera | null): void;
  /** Share with the proposed camera added. */
  after: number | null;
  placing: boolean;
  setPlacing(on: boolean): void;
  detail: readonly DetailRow[];
  /** Attention: cameras nobody watched in the last 24 hours (null: off). */
  attentionOn: boolean;
  setAttentionOn(on: boolean): void;
  unwatched: readonly string[] | null;
  /** Health over the same window: cameras that went offline, stale (with the stale time) or were tampered with, worst first (null: off). */
  unhealthy?: ReadonlyArray<{ name: string; offline: number; tampered: number; stale: number; staleMs: number }> | null;
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 2 : 1)} %`;

export function CoveragePanel(p: CoveragePanelProps) {
  const { t } = useTranslation();
  const below = p.detail.filter((d) => d.below);
  return (
    <div className="map-coverage" role="group" aria-label={t('coverage.title')}>
      <label><input type="checkbox" checked={p.on} onChange={(e) => p.setOn(e.target.checked)} /> {t('coverage.title')}</label>
      <label><input type="checkbox" checked={p.attentionOn} onChange={(e) => p.setAttentionOn(e.target.checked)} /> {t('coverage.attention')}</label>
      {p.attentionOn && p.unwatched && (
        <div className="map-coverage-attention" data-unwatched={p.unwatched.length}>
          <b>{t('coverage.unwatched', { count: p.unwatched.length })}</b>
          <ul>{p.unwatched.slice(0, 12).map((n) => <li key={n}>{n}</li>)}</ul>
        </div>
      )}
      {p.attentionOn && p.unhealthy && (
        <div className="map-coverage-health" data-unhealthy={p.unhealthy.length}>
          <b>{t('mapWall.unhealthyStale', { count: p.unhealthy.length })}</b>
          <ul>{p.unhealthy.slice(0, 12).map((c) => <li key={c.name}>{t('mapWall.healthRowStale', { name: c.name, offline: c.offline, tampered: c.tampered, stale: c.stale, time: staleTime(c.staleMs) })}</li>)}</ul>
        </div>
      )}
      {p.on && p.result && (
        <>
          <div className="map-coverage-share" data-share={p.result.share.toFixed(4)}>
            {t('coverage.share', { share: pct(p.result.share), km: (p.result.totalM / 1000).toFixed(1) })}
          </div>
          <div className="map-coverage-legend"><span className="map-coverage-blind" /> {t('coverage.blind', { count: p.result.blind.length })}</div>
          <div className="map-coverage-proposal">
            <button type="button" aria-pressed={p.placing} onClick={() => p.setPlacing(!p.placing)}>{p.placing ? t('coverage.clickMap') : t('coverage.propose')}</button>
            {p.proposed && (
              <>
                <label>{t('coverage.heading')} <input type="number" min={0} max={359} step={5} value={Math.round(p.proposed.heading)} onChange={(e) => p.setProposed({ ...p.proposed!, heading: ((Number(e.target.value) % 360) + 360) % 360 })} /></label>
                <label>{t('coverage.fov')} <input type="number" min={10} max={180} step={5} value={Math.round(p.proposed.fov)} onChange={(e) => p.setProposed({ ...p.proposed!, fov: Math.min(180, Math.max(10, Number(e.target.value) || 60)) })} /></label>
                <button type="button" onClick={() => p.setProposed(null)}>{t('coverage.removeProposal')}</button>
                {p.after !== null && <div className="map-coverage-after" data-after={p.after.toFixed(4)}>{t('coverage.beforeAfter', { before: pct(p.result.share), after: pct(p.after) })}</div>}
              </>
            )}
          </div>
          <div className="map-coverage-detail">
            <b>{t('coverage.detailTitle', { count: below.length })}</b>
            <ul>
              {below.slice(0, 12).map((d) => (
                <li key={d.id} title={t('coverage.detailHint')}>{t('coverage.detailRow', { name: d.name, px: d.pxPerM.toFixed(0), needs: t(`coverage.levels.${d.needs}`) })}</li>
              ))}
            </ul>
          </div>
        </>
      )}
    </div>
  );
}
