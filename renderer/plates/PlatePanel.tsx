/**
 * "Where did it go" in the map window (issue 10 §4): search a plate (exact, or `?`/`*` for unread characters), pick
 * a plate, see its sightings in time order (numbered as on the map's route), open one in review at that moment; the
 * traffic violations' review list (picture, place on the map, accept or reject with a reason); the watch list (edited
 * by a user with editRules). The map draws the route (route-layers.ts); this panel only says which sightings.
 */
import { useCameraName } from '../bridge/camera-name.js';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostState } from '../bridge/host-state.js';
import type { Sighting, Violation, ViolationState, WatchEntry } from '../../electron/contract/plates/plates-api.js';
import { errorMessage } from '../app/ui-errors.js';
import { formatDateTime, formatTime } from '../i18n/format.js';
import { violationLabel } from '../i18n/labels.js';
import { mayAll, mayOn, useMe } from '../access/access-state.js';

export interface PlatePanelProps {
  host: HostState;
  /** The chosen plate's sightings (oldest first) for the map's route layer; null clears it. */
  onRoute(sightings: Sighting[] | null): void;
  /** Review the recording of this sighting's camera at its moment. */
  onOpen(s: Pick<Sighting, 'cameraId' | 'atMs'>): void;
  /** Centre the map here. */
  onFocus(lat: number, lon: number): void;
  onClose(): void;
  /** A violation to show in the review list (a click on its map marker); `seq` changes on every click. */
  openViolation?: { id: string; state: ViolationState; seq: number } | null;
}

type Tab = 'search' | 'violations' | 'watch';
interface PlateHit { plate: string; count: number; lastAt: number }

/** A loopback HTTP route of the host with this session's token (recording thumbnails). */
function hostUrl(framesUrl: string, path: string): string {
  const u = new URL(framesUrl, window.location.href);
  const out = new URL(path, `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}`);
  out.searchParams.set('token', u.searchParams.get('token') ?? '');
  return out.toString();
}

export function PlatePanel(props: PlatePanelProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('search');
  useEffect(() => { if (props.openViolation) setTab('violations'); }, [props.openViolation]);
  return (
    <aside className="plates-panel" aria-label={t('plates.title')} data-testid="plates-panel">
      <header>
        <b>{t('plates.title')}</b>
        <nav role="tablist">
          {(['search', 'violations', 'watch'] as const).map((x) => (
            <button key={x} role="tab" aria-selected={tab === x} className={tab === x ? 'on' : ''} onClick={() => setTab(x)}>{t(`plates.tabs.${x}`)}</button>
          ))}
        </nav>
        <button onClick={props.onClose} aria-label={t('plates.close')}>×</button>
      </header>
      {tab === 'search' && <PlateSearch {...props} />}
      {tab === 'violations' && <ViolationList {...props} />}
      {tab === 'watch' && <WatchList host={props.host} />}
    </aside>
  );
}


function PlateSearch({ host, onRoute, onOpen }: PlatePanelProps) {
  const { t } = useTranslation();
  const nameOf = useCameraName(host);
  const [query, setQuery] = useState('');
  const [problem, setProblem] = useState('');
  const [hits, setHits] = useState<PlateHit[] | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [plate, setPlate] = useState<string | null>(null);
  const [route, setRoute] = useState<Sighting[]>([]);

  const choose = useCallback(async (p: string) => {
    setPlate(p);
    try {
      const r = await host.client.call('plates.route', { plate: p });
      setRoute(r.sightings);
      setTruncated(r.truncated);
      onRoute(r.sightings);
    } catch (err) { setProblem(errorMessage(err)); }
  }, [host, onRoute]);

  const find = async (e: React.FormEvent) => {
    e.preventDefault();
    setProblem(''); setPlate(null); setRoute([]); onRoute(null);
    try {
      const r = await host.client.call('plates.search', { pattern: query, limit: 1000 });
      const byPlate = new Map<string, PlateHit>();
      for (const s of r.sightings) {
        const h = byPlate.get(s.plate) ?? { plate: s.plate, count: 0, lastAt: 0 };
        h.count++; h.lastAt = Math.max(h.lastAt, s.atMs);
        byPlate.set(s.plate, h);
      }
      const list = [...byPlate.values()].sort((a, b) => b.lastAt - a.lastAt);
      setHits(list);
      setTruncated(r.truncated);
      if (list.length === 1) await choose(list[0]!.plate);
    } catch (err) { setHits(null); setProblem(errorMessage(err)); }
  };

  return (
    <div className="plates-body">
      <form className="plates-find" onSubmit={(e) => void find(e)}>
        <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('plates.patternPlaceholder')} aria-label={t('plates.pattern')} maxLength={200} data-testid="plates-pattern" />
        <button type="submit">{t('plates.find')}</button>
      </form>
      <p className="plates-hint">{t('plates.patternHint')}</p>
      {problem && <p className="plates-problem" role="alert">{problem}</p>}
      {hits && hits.length === 0 && <p>{t('plates.none')}</p>}
      {hits && hits.length > 1 && (
        <ul className="plates-hits" aria-label={t('plates.matches')}>
          {hits.map((h) => (
            <li key={h.plate}><button className={h.plate === plate ? 'on' : ''} onClick={() => void choose(h.plate)}>
              <b className="plate-text">{h.plate}</b> <span className="muted">{t('plates.seen', { n: h.count, at: formatDateTime(h.lastAt) })}</span>
            </button></li>
          ))}
        </ul>
      )}
      {truncated && <p className="muted">{t('plates.truncated')}</p>}
      {plate && (
        <>
          <h4><span className="plate-text">{plate}</span> {t('plates.routeOf', { n: route.length })}</h4>
          <ol className="plates-sightings" data-testid="plates-sightings">
            {route.map((s, i) => (
              <li key={s.id}><button onClick={() => onOpen(s)} title={t('plates.openHint')} data-at={s.atMs} data-camera={s.cameraId}>
                <span className="plates-n">{i + 1}</span> {formatTime(s.atMs)} <b>{nameOf(s.cameraId)}</b>
                {s.kind === 'violation' && <span className="plates-tag"> {t('plates.violationTag')}</span>}
                {!s.position && <span className="muted"> {t('plates.noPlace')}</span>}
              </button></li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function ViolationList({ host, onOpen, onFocus, openViolation }: PlatePanelProps) {
  const { t } = useTranslation();
  const me = useMe();
  const nameOf = useCameraName(host);
  const [which, setWhich] = useState<ViolationState>('pending');
  const [list, setList] = useState<Violation[]>([]);
  const [problem, setProblem] = useState('');
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [pictures, setPictures] = useState<Record<string, string>>({});
  // a violation opened from the map: its state's list, its row marked and scrolled into view
  const opened = useRef<HTMLLIElement | null>(null);
  useEffect(() => { if (openViolation) setWhich(openViolation.state); }, [openViolation]);
  const openedShown = openViolation ? list.some((v) => v.id === openViolation.id) : false;
  useEffect(() => { if (openedShown) opened.current?.scrollIntoView({ block: 'nearest' }); }, [openedShown, openViolation]);

  const load = useCallback(async () => {
    try { setList(await host.client.call('violations.list', { states: [which], limit: 200 })); setProblem(''); } catch (err) { setProblem(errorMessage(err)); }
  }, [host, which]);
  useEffect(() => { void load(); const id = setInterval(() => void load(), 10_000); return () => clearInterval(id); }, [load, openViolation]);
  // the event's own picture where it carried one (masked by the host); else the recording's frame at that moment
  useEffect(() => {
    for (const v of list) {
      if (!v.hasSnapshot || pictures[v.id]) continue;
      host.client.call('violations.picture', { id: v.id }).then((r) => { if (r.data) setPictures((p) => ({ ...p, [v.id]: r.data! })); }).catch(() => { /* the thumbnail stands in */ });
    }
  }, [list, host, pictures]);

  const decide = async (v: Violation, verdict: 'accepted' | 'rejected') => {
    try {
      await host.client.call('violations.decide', { id: v.id, verdict, reason: reasons[v.id] ?? '', operator: me?.user ?? 'console' });
      await load();
    } catch (err) { setProblem(errorMessage(err)); }
  };

  return (
    <div className="plates-body">
      <select aria-label={t('plates.violationState')} value={which} onChange={(e) => setWhich(e.target.value as ViolationState)}>
        {(['pending', 'accepted', 'rejected'] as const).map((s) => <option key={s} value={s}>{t(`plates.states.${s}`)}</option>)}
      </select>
      {problem && <p className="plates-problem" role="alert">{problem}</p>}
      {list.length === 0 && <p>{t('plates.noViolations')}</p>}
      <ul className="plates-violations" data-testid="plates-violations">
        {list.map((v) => (
          <li key={v.id} data-violation-id={v.id} className={v.id === openViolation?.id ? 'sel' : undefined} aria-current={v.id === openViolation?.id || undefined}
            ref={v.id === openViolation?.id ? opened : undefined}>
            <Picture key={pictures[v.id] ?? 'thumb'} alt={t('plates.picture')} src={pictures[v.id] ?? hostUrl(host.session.framesUrl, `/rec/thumb/${v.cameraId}/${v.atMs}.jpg`)} />
            <div>
              <b>{violationLabel(v.violation)}</b> <span className="plate-text">{v.plate ?? t('plates.unread')}</span>
              {v.speedKmh !== null && <span> {t('plates.speed', { speed: Math.round(v.speedKmh), limit: v.limitKmh ?? '?' })}</span>}
              <div className="muted">{formatDateTime(v.atMs)} · {nameOf(v.cameraId)}</div>
              <div className="plates-actions">
                {v.position && <button onClick={() => onFocus(v.position!.lat, v.position!.lon)}>{t('plates.onMap')}</button>}
                <button onClick={() => onOpen(v)}>{t('plates.review')}</button>
              </div>
              {v.state === 'pending' && mayOn(me, 'workAlarms', v.cameraId) && (
                <div className="plates-decide">
                  <input value={reasons[v.id] ?? ''} onChange={(e) => setReasons((r) => ({ ...r, [v.id]: e.target.value }))} placeholder={t('plates.reason')} aria-label={t('plates.reason')} maxLength={500} />
                  <button disabled={!(reasons[v.id] ?? '').trim()} onClick={() => void decide(v, 'accepted')}>{t('plates.accept')}</button>
                  <button disabled={!(reasons[v.id] ?? '').trim()} onClick={() => void decide(v, 'rejected')}>{t('plates.reject')}</button>
                </div>
              )}
              {v.state !== 'pending' && <div className="muted">{t('plates.decided', { state: t(`plates.states.${v.state}`), by: v.decidedBy ?? '?', reason: v.reason ?? '' })}</div>}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A picture that leaves its place empty when it cannot load (nothing recorded there yet). */
function Picture({ src, alt }: { src: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  return <img alt={alt} src={src} style={failed ? { visibility: 'hidden' } : undefined} onError={() => setFailed(true)} />;
}

function WatchList({ host }: { host: HostState }) {
  const { t } = useTranslation();
  const me = useMe();
  const editable = mayAll(me, 'editRules');
  const [entries, setEntries] = useState<WatchEntry[]>([]);
  const [pattern, setPattern] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => { host.client.call('plates.watchlist.get', {}).then(setEntries).catch((err: unknown) => setProblem(errorMessage(err))); }, [host]);
  const save = async (next: WatchEntry[]) => {
    setSaved(false);
    try { setEntries(await host.client.call('plates.watchlist.save', { entries: next, operator: me?.user ?? 'console' })); setProblem(''); setSaved(true); return true; } catch (err) { setProblem(errorMessage(err)); return false; }
  };
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    if (await save([...entries, { pattern, list: 'wanted', note }])) { setPattern(''); setNote(''); }
  };

  return (
    <div className="plates-body">
      <p className="plates-hint">{t('plates.watchHint')}</p>
      {problem && <p className="plates-problem" role="alert">{problem}</p>}
      {saved && <p className="muted" role="status">{t('plates.watchSaved')}</p>}
      <ul className="plates-watch" data-testid="plates-watch">
        {entries.map((w) => (
          <li key={w.pattern}>
            <b className="plate-text">{w.pattern}</b> <span className="muted">{w.list}</span> {w.note}
            {editable && <button onClick={() => void save(entries.filter((x) => x.pattern !== w.pattern))} aria-label={t('plates.remove')}>×</button>}
          </li>
        ))}
      </ul>
      {editable ? (
        <form className="plates-find" onSubmit={(e) => void add(e)}>
          <input value={pattern} onChange={(e) => setPattern(e.target.value)} placeholder={t('plates.patternPlaceholder')} aria-label={t('plates.pattern')} maxLength={200} />
          <input value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('plates.note')} aria-label={t('plates.note')} maxLength={200} />
          <button type="submit" disabled={!pattern.trim()}>{t('plates.add')}</button>
        </form>
      ) : <p className="muted">{t('plates.watchReadOnly')}</p>}
    </div>
  );
}
