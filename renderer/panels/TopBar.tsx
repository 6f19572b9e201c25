/** Thin top bar: layout presets, custom grid, saved layouts, wall presets, displays, stats, cameras, full screen. */
import { useState } from 'react';
import { displayText } from '../../electron/contract/default-texts.js';
import { PRESET_IDS, presetOf } from '../../electron/contract/layout-presets.js';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import type { UiErrors } from '../app/ui-errors.js';
import type { WallAction, WallState } from '../wall/wall-model.js';
import { LayoutsMenu } from './LayoutsMenu.js';
import { PresetsMenu } from './PresetsMenu.js';
import { DEFAULT_LAYERS, LAYER_NAMES } from '../../electron/contract/schemas.js';
import { layerLabel } from '../wall/TileMenu.js';
import { useTranslation } from 'react-i18next';
import { LanguageMenu } from './LanguageMenu.js';
import { CentreClock } from './CentreClock.js';
import { BRAND } from '../i18n/i18n.js';
import { mayAll, mayAny, useMe } from '../access/access-state.js';

interface Props {
  host: HostState;
  wall: WallState;
  act: (a: WallAction) => void;
  statsOn: boolean;
  onStats: () => void;
  onCameras: () => void;
  onFullscreen: () => void;
  /** Opens the rule editor. */
  onRules: () => void;
  errors: UiErrors;
}

function GridInput({ act, cols, rows }: { act: (a: WallAction) => void; cols: number; rows: number }) {
  const { t } = useTranslation();
  const [c, setC] = useState(String(cols));
  const [r, setR] = useState(String(rows));
  const nc = Number(c);
  const nr = Number(r);
  const ok = Number.isInteger(nc) && Number.isInteger(nr) && nc >= 1 && nr >= 1 && nc <= 16 && nr <= 16;
  return (
    <form className="grid-input" onSubmit={(e) => { e.preventDefault(); if (ok) act({ type: 'grid', cols: nc, rows: nr }); }}>
      <input aria-label={t('topbar.columns')} type="number" min={1} max={16} value={c} onChange={(e) => setC(e.target.value)} />
      <span>×</span>
      <input aria-label={t('topbar.rows')} type="number" min={1} max={16} value={r} onChange={(e) => setR(e.target.value)} />
      <button type="submit" disabled={!ok} title={ok ? t('topbar.applyGrid') : t('topbar.gridLimits')}>{t('topbar.grid')}</button>
    </form>
  );
}

export function TopBar({ host, wall, act, statsOn, onStats, onCameras, onFullscreen, onRules, errors }: Props) {
  const { t } = useTranslation();
  const displays = useValue(host.displays);
  const current = presetOf(wall.layout);
  const [open, setOpen] = useState<'layouts' | 'presets' | 'layers' | null>(null);
  const layers = { ...DEFAULT_LAYERS, ...wall.layout.layers };
  const layersOn = LAYER_NAMES.filter((l) => layers[l]).length;
  const me = displays.find((d) => d.id === host.session.displayId);
  const user = useMe(); // issue 12: what the host would refuse is greyed out
  const mayRules = mayAll(user, 'editRules');
  const mayCameras = mayAny(user, 'manageCameras');
  return (
    <header className="topbar">
      <span className="brand">{BRAND}</span>
      <nav className="presets" aria-label={t('topbar.presets')}>
        {PRESET_IDS.map((id, i) => (
          <button key={id} className={current === id ? 'on' : ''} onClick={() => act({ type: 'preset', preset: id })} title={i < 9 ? `Alt+${i + 1}` : id}>
            {id}
          </button>
        ))}
      </nav>
      {/* keyed by the layout's grid: a preset, a layout or another console's change resets what the fields show */}
      <GridInput key={`${wall.layout.cols}x${wall.layout.rows}`} act={act} cols={wall.layout.cols} rows={wall.layout.rows} />
      <div className="dropdown">
        <button className={open === 'layouts' ? 'on' : ''} onClick={() => setOpen(open === 'layouts' ? null : 'layouts')}>{t('topbar.layouts')} ▾</button>
        {open === 'layouts' && <LayoutsMenu host={host} wall={wall} act={act} errors={errors} onClose={() => setOpen(null)} />}
      </div>
      <div className="dropdown">
        <button className={open === 'presets' ? 'on' : ''} onClick={() => setOpen(open === 'presets' ? null : 'presets')}>{t('topbar.wallPresets')} ▾</button>
        {open === 'presets' && <PresetsMenu host={host} errors={errors} onClose={() => setOpen(null)} />}
      </div>
      <span className="displays" title={displays.map((d) => `${displayText(d, t)}: ${d.layout.name}`).join('\n')}>
        <b>{me?.name || host.session.displayId}</b> · {t('topbar.displays', { count: displays.length })}
      </span>
      <span className="spacer" />
      <div className="dropdown">
        <button className={open === 'layers' ? 'on' : ''} onClick={() => setOpen(open === 'layers' ? null : 'layers')} title={t('topbar.layersHint')}>
          {t('topbar.layers')} {layersOn}/{LAYER_NAMES.length} ▾
        </button>
        {open === 'layers' && (
          <div className="popover popover-right" role="group" aria-label={t('topbar.overlayLayers')}>
            {LAYER_NAMES.map((l) => (
              <label key={l} className="popover-row">
                <input type="checkbox" checked={layers[l]} onChange={(e) => act({ type: 'layer', layer: l, on: e.target.checked })} />
                {layerLabel(l)}
              </label>
            ))}
            <span className="muted">{t('topbar.layersSaved')}</span>
          </div>
        )}
      </div>
      <button onClick={onRules} disabled={!mayRules} title={mayRules ? t('topbar.rulesHint') : t('forbidden.right', { right: 'editRules' })}>{t('rules.title')}</button>
      <button className={statsOn ? 'on' : ''} onClick={onStats} title={t('topbar.statsHint')}>{t('topbar.stats')}</button>
      <button onClick={onCameras} disabled={!mayCameras} title={mayCameras ? t('topbar.camerasHint') : t('forbidden.right', { right: 'manageCameras' })}>{t('topbar.cameras')}</button>
      <CentreClock />
      <LanguageMenu host={host} />
      <button onClick={onFullscreen} title={t('topbar.fullscreenHint')}>{t('topbar.fullscreen')}</button>
    </header>
  );
}
