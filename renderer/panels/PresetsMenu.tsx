/** Wall presets: every display's layout at once. Apply, save the current wall, delete. */
import { useEffect, useState } from 'react';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import type { UiErrors } from '../app/ui-errors.js';
import { useTranslation } from 'react-i18next';

export function PresetsMenu({ host, errors, onClose }: { host: HostState; errors: UiErrors; onClose: () => void }) {
  const { t } = useTranslation();
  const presets = useValue(host.presets);
  const [name, setName] = useState('');
  const reload = () => host.client.call('wall.presets.list', {}).then((p) => host.presets.set(p)).catch((e: unknown) => errors.report(t('presets.listing'), e));
  useEffect(() => { void reload(); }, []);
  return (
    <div className="popover">
      {presets.length === 0 && <div className="muted">{t('presets.none')}</div>}
      {presets.map((p) => (
        <div key={p.id} className="popover-row">
          <button className="grow" title={Object.keys(p.displays).join(', ')} onClick={() => {
            host.client.call('wall.presets.apply', { id: p.id }).then((d) => { host.displays.set(d); onClose(); }).catch((e: unknown) => errors.report(t('presets.applying'), e));
          }}>{p.name}</button>
          <button className="link" onClick={() => host.client.call('wall.presets.remove', { id: p.id }).then(reload).catch((e: unknown) => errors.report(t('presets.deleting'), e))}>{t('common.delete')}</button>
        </div>
      ))}
      <form className="popover-row" onSubmit={(e) => {
        e.preventDefault();
        const n = name.trim();
        if (n) host.client.call('wall.presets.save', { name: n }).then(() => { setName(''); return reload(); }).catch((err: unknown) => errors.report(t('presets.saving'), err));
      }}>
        <input className="grow" placeholder={t('presets.saveAs')} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={!name.trim()}>{t('common.save')}</button>
      </form>
    </div>
  );
}
