/** Named layouts: open one on this display, save the current one under a name, delete. */
import { useState } from 'react';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import type { UiErrors } from '../app/ui-errors.js';
import type { WallAction, WallState } from '../wall/wall-model.js';
import { useTranslation } from 'react-i18next';

/** A layout id from a name: lowercase slug plus a short random suffix so names may repeat. */
export function layoutIdFor(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'layout';
  return `${slug}-${Math.random().toString(36).slice(2, 8)}`;
}

export function LayoutsMenu({ host, wall, act, errors, onClose }: { host: HostState; wall: WallState; act: (a: WallAction) => void; errors: UiErrors; onClose: () => void }) {
  const { t } = useTranslation();
  const layouts = useValue(host.layouts);
  const [name, setName] = useState('');
  const save = () => {
    const n = name.trim();
    if (!n) return;
    host.client.call('layouts.save', { layout: { ...wall.layout, id: layoutIdFor(n), name: n } })
      .then(() => { setName(''); onClose(); })
      .catch((e: unknown) => errors.report(t('layouts.saving'), e));
  };
  return (
    <div className="popover">
      {layouts.length === 0 && <div className="muted">{t('layouts.none')}</div>}
      {layouts.map((l) => (
        <div key={l.id} className="popover-row">
          <button className="grow" onClick={() => { act({ type: 'load', layout: { ...l, id: wall.layout.id } }); onClose(); }} title={t('layouts.shape', { cols: l.cols, rows: l.rows, cells: l.cells.length })}>
            {l.name}
          </button>
          <button className="link" onClick={() => host.client.call('layouts.remove', { id: l.id }).catch((e: unknown) => errors.report(t('layouts.deleting'), e))}>{t('common.delete')}</button>
        </div>
      ))}
      <form className="popover-row" onSubmit={(e) => { e.preventDefault(); save(); }}>
        <input className="grow" placeholder={t('layouts.saveAs')} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={!name.trim()}>{t('common.save')}</button>
      </form>
    </div>
  );
}
