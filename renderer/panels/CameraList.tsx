/** Left column: cameras grouped, searchable, with a live state dot each; drag one onto a tile. */
import { memo, useMemo, useState } from 'react';
import type { Camera } from '../../electron/contract/schemas.js';
import type { HostState } from '../bridge/host-state.js';
import { useKeyed, useValue, type KeyedStore } from '../bridge/stores.js';
import type { StreamStatus } from '../../electron/contract/schemas.js';
import { DND_CAMERA } from '../wall/Tile.js';
import { useTranslation } from 'react-i18next';

/** The group of cameras without one; shown in the chosen language, sorted last. */
const UNGROUPED = '';

export function groupCameras(cameras: readonly Camera[], query: string): Array<[string, Camera[]]> {
  const q = query.trim().toLowerCase();
  const groups = new Map<string, Camera[]>();
  for (const c of cameras) {
    if (q && !`${c.name} ${c.id} ${c.group ?? ''} ${c.tags.join(' ')}`.toLowerCase().includes(q)) continue;
    const g = c.group || UNGROUPED;
    const list = groups.get(g);
    if (list) list.push(c); else groups.set(g, [c]);
  }
  for (const list of groups.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return [...groups.entries()].sort(([a], [b]) => (a === UNGROUPED ? 1 : b === UNGROUPED ? -1 : a.localeCompare(b)));
}

const CameraRow = memo(function CameraRow({ camera, statuses, onPick }: { camera: Camera; statuses: KeyedStore<StreamStatus>; onPick: (id: string) => void }) {
  const status = useKeyed(statuses, camera.id);
  const state = status?.state ?? 'idle';
  const { t } = useTranslation();
  return (
    <li
      className="cam-row"
      draggable
      data-camera-id={camera.id}
      title={t('cameras.rowHint', { name: camera.name, id: camera.id, state: t(`tileStates.${state}`), message: status?.message ? `: ${status.message}` : '' })}
      onDragStart={(e) => { e.dataTransfer.setData(DND_CAMERA, camera.id); e.dataTransfer.effectAllowed = 'copy'; }}
      onDoubleClick={() => onPick(camera.id)}
    >
      <span className={`dot dot-${state}`} />
      <span className="cam-name">{camera.name}</span>
      <span className="cam-kind">{camera.kind !== 'fixed' ? t(`cameraKinds.${camera.kind}`) : ''}</span>
    </li>
  );
});

export function CameraList({ host, onPick }: { host: HostState; onPick: (cameraId: string) => void }) {
  const cameras = useValue(host.cameras);
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const groups = useMemo(() => groupCameras(cameras, query), [cameras, query]);
  const toggle = (g: string) => setCollapsed((s) => { const n = new Set(s); if (n.has(g)) n.delete(g); else n.add(g); return n; });

  return (
    <aside className="camera-list">
      <input className="search" type="search" placeholder={t('cameras.searchN', { count: cameras.length })} value={query} onChange={(e) => setQuery(e.target.value)} />
      <div className="cam-groups">
        {groups.length === 0 && <div className="muted pad">{cameras.length === 0 ? t('cameras.noneYet') : t('cameras.noMatch')}</div>}
        {groups.map(([g, list]) => (
          <section key={g}>
            <button className="group-head" onClick={() => toggle(g)} aria-expanded={!collapsed.has(g)}>
              <span>{collapsed.has(g) ? '▸' : '▾'} {g || t('cameras.ungrouped')}</span><span className="muted">{list.length}</span>
            </button>
            {!collapsed.has(g) && (
              <ul>{list.map((c) => <CameraRow key={c.id} camera={c} statuses={host.statuses} onPick={onPick} />)}</ul>
            )}
          </section>
        ))}
      </div>
    </aside>
  );
}
