/** Wall presets: every display's layout at once. Apply, save the current wall, delete. */
import { useEffect, useState } from 'react';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import type { UiErrors } from '../app/ui-errors.js';

export function PresetsMenu({ host, errors, onClose }: { host: HostState; errors: UiErrors; onClose: () => void }) {
  const presets = useValue(host.presets);
  const [name, setName] = useState('');
  const reload = () => host.client.call('wall.presets.list', {}).then((p) => host.presets.set(p)).catch((e: unknown) => errors.report('listing wall presets', e));
  useEffect(() => { void reload(); }, []);
  return (
    <div className="popover">
      {presets.length === 0 && <div className="muted">No wall presets.</div>}
      {presets.map((p) => (
        <div key={p.id} className="popover-row">
          <button className="grow" title={Object.keys(p.displays).join(', ')} onClick={() => {
            host.client.call('wall.presets.apply', { id: p.id }).then((d) => { host.displays.set(d); onClose(); }).catch((e: unknown) => errors.report('applying the wall preset', e));
          }}>{p.name}</button>
          <button className="link" onClick={() => host.client.call('wall.presets.remove', { id: p.id }).then(reload).catch((e: unknown) => errors.report('deleting the wall preset', e))}>delete</button>
        </div>
      ))}
      <form className="popover-row" onSubmit={(e) => {
        e.preventDefault();
        const n = name.trim();
        if (n) host.client.call('wall.presets.save', { name: n }).then(() => { setName(''); return reload(); }).catch((err: unknown) => errors.report('saving the wall preset', err));
      }}>
        <input className="grow" placeholder="Save wall as…" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        <button type="submit" disabled={!name.trim()}>Save</button>
      </form>
    </div>
  );
}
