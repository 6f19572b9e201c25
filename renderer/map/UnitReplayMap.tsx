/**
 * The review's unit map (issue 10 §3): where each unit was at the player's time, from the host's recorded tracks
 * (`units.tracks`; in incident replay the incident's, an imported one's from its package), beside the footage in review and incident replay. A unit is drawn at its last report at or before
 * that time, never between or after reports (unit-replay.ts). Canvas2D, drawn only when what it shows changes: the
 * wall window never loads deck.gl (DESIGN.md). Hidden while no unit reported in the loaded window.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostState } from '../bridge/host-state.js';
import { useValue } from '../bridge/stores.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import type { UnitTrack } from '../../electron/contract/map-api.js';
import type { ReviewSources } from '../review/review-sources.js';
import { STALE_RING, STALE_UNIT, UNIT_COLOURS, type Rgba } from './camera-look.js';
import { offset, viewCone, type LonLat } from './geo.js';
import { fitView, unitsAt, unitsKey } from './unit-replay.js';

/** Tracks are fetched this far either side of the player's time, again when it comes within REFETCH_EDGE_MS of an end. */
const WINDOW_MS = 10 * 60_000;
const REFETCH_EDGE_MS = 60_000;
/** Near the live edge new reports keep arriving: fetched again this often. */
const LIVE_REFRESH_MS = 5_000;
/** The canvas's size in CSS pixels: 320 x 240 floating, narrower in a review panel's column (`size`). */
const SIZE = { width: 320, height: 240 } as const;

type Streets = Array<{ kind: string; lines: LonLat[][] }>;

const css = (c: Rgba, a = c[3] / 255) => `rgba(${c[0]},${c[1]},${c[2]},${a})`;

/** The demo district's streets and river, loaded only when a review shows units (its own chunk). */
async function loadStreets(): Promise<Streets> {
  const { default: district } = await import('../../resources/map/almaty-demo.geojson');
  const out: Streets = [];
  for (const f of district.features as Array<{ properties: { kind: string }; geometry: { type: string; coordinates: unknown } }>) {
    if (f.properties.kind !== 'street' && f.properties.kind !== 'river') continue;
    const lines = f.geometry.type === 'LineString' ? [f.geometry.coordinates as LonLat[]] : f.geometry.type === 'MultiLineString' ? f.geometry.coordinates as LonLat[][] : [];
    out.push({ kind: f.properties.kind, lines });
  }
  return out;
}

export function UnitReplayMap({ host, atMs, cameraIds, tracksOf, size = SIZE }: { host: HostState; atMs: number; cameraIds: readonly string[]; tracksOf: ReviewSources['tracks']; size?: { width: number; height: number } }) {
  const { width: WIDTH, height: HEIGHT } = size;
  const { t } = useTranslation();
  const cameras = useValue(host.cameras);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [loaded, setLoaded] = useState<{ fromMs: number; toMs: number; tracks: UnitTrack[]; truncated: boolean } | null>(null);
  const [error, setError] = useState('');
  const [open, setOpen] = useState(true);
  const [streets, setStreets] = useState<Streets>([]);
  const draws = useRef(0);
  const asking = useRef(false);

  // fetch the window around the player's time when it leaves the loaded one (and keep the live edge fresh)
  const needFetch = !loaded || atMs < loaded.fromMs + REFETCH_EDGE_MS || atMs > loaded.toMs - REFETCH_EDGE_MS;
  useEffect(() => {
    if (!needFetch || asking.current) return;
    asking.current = true;
    const fromMs = Math.max(0, Math.round(atMs - WINDOW_MS)), toMs = Math.round(atMs + WINDOW_MS);
    tracksOf(fromMs, toMs)
      .then((r) => { setLoaded(r); setError(''); })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() => { asking.current = false; });
  }, [needFetch, atMs, tracksOf]);
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;
  // near the live edge: the same window asked again for the reports that arrived since
  const live = loaded !== null && loaded.toMs > Date.now() - REFETCH_EDGE_MS;
  useEffect(() => {
    if (!live) return;
    const id = setInterval(() => {
      const l = loadedRef.current;
      if (!l || asking.current) return;
      asking.current = true;
      tracksOf(l.fromMs, l.toMs).then((r) => setLoaded(r)).catch(() => {}).finally(() => { asking.current = false; });
    }, LIVE_REFRESH_MS);
    return () => clearInterval(id);
  }, [live, tracksOf]);
  const tracks = loaded?.tracks ?? [];
  const any = tracks.length > 0;
  useEffect(() => { if (any && !streets.length) void loadStreets().then(setStreets).catch(() => {}); }, [any, streets.length]);

  const placed = useMemo(() => cameras.filter((c) => c.location && cameraIds.includes(c.id)), [cameras, cameraIds]);
  // the view fits every loaded report and the cameras under review: it moves when the loaded window does, not per frame
  const project = useMemo(() => fitView([...tracks.flatMap((u) => u.points.map((p): LonLat => [p[0], p[1]])), ...placed.map((c): LonLat => [c.location!.lon, c.location!.lat])], WIDTH, HEIGHT), [tracks, placed, WIDTH, HEIGHT]);
  const shown = useMemo(() => unitsAt(tracks, atMs), [tracks, atMs]);
  const key = unitsKey(shown);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !project || !open) return;
    const dpr = window.devicePixelRatio || 1;
    if (el.width !== WIDTH * dpr) { el.width = WIDTH * dpr; el.height = HEIGHT * dpr; }
    const g = el.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#0b0f14';
    g.fillRect(0, 0, WIDTH, HEIGHT);
    const path = (pts: readonly LonLat[]) => { g.beginPath(); pts.forEach((p, i) => { const [x, y] = project(p); if (i) g.lineTo(x, y); else g.moveTo(x, y); }); };
    for (const s of streets) {
      g.strokeStyle = s.kind === 'river' ? 'rgb(52,120,200)' : 'rgb(70,80,96)';
      g.lineWidth = s.kind === 'river' ? 3 : 2;
      for (const l of s.lines) { path(l); g.stroke(); }
    }
    for (const c of placed) {
      const at: LonLat = [c.location!.lon, c.location!.lat];
      path(viewCone(at, c.location!.heading ?? 0, c.location!.fov ?? 60));
      g.closePath(); g.fillStyle = 'rgba(46,204,113,0.25)'; g.fill();
      const [x, y] = project(at); g.fillStyle = 'rgb(46,204,113)'; g.beginPath(); g.arc(x, y, 3, 0, 2 * Math.PI); g.fill();
    }
    for (const u of shown) {
      const colour = u.stale ? STALE_UNIT : UNIT_COLOURS[u.kind];
      g.strokeStyle = css(colour, 0.6); g.lineWidth = 2; path(u.trail); g.stroke();
      if (u.heading !== null) { g.strokeStyle = css(colour); g.lineWidth = 2; path([u.position, offset(u.position, u.heading, 40)]); g.stroke(); }
      const [x, y] = project(u.position);
      g.beginPath(); g.arc(x, y, 6, 0, 2 * Math.PI); g.fillStyle = css(colour); g.fill();
      g.lineWidth = u.stale ? 3 : 1.5; g.strokeStyle = u.stale ? css(STALE_RING) : '#fff'; g.stroke();
    }
    draws.current += 1;
    // key stands for `shown`: redraw when a unit's report, staleness or the set of units changes, not on every tick
  }, [key, project, streets, placed, open]);

  useEffect(() => {
    exposeDiagnostics('__kuzetUnitReplay', {
      /** Where a coordinate is drawn, in the page's CSS pixels (null while the map is hidden). */
      project: (lon: number, lat: number) => {
        const r = canvas.current?.getBoundingClientRect();
        if (!r || !project) return null;
        const [x, y] = project([lon, lat]);
        return [r.left + x, r.top + y];
      },
      units: () => shown,
      draws: () => draws.current,
      loaded: () => (loaded ? { fromMs: loaded.fromMs, toMs: loaded.toMs, units: loaded.tracks.length, truncated: loaded.truncated } : null),
    });
  }, [project, shown, loaded]);

  // nothing recorded near the playhead (or nothing could be asked): no panel over the footage
  if (!any) return null;
  return (
    <div className="unit-replay" data-testid="unit-replay" role="group" aria-label={t('mapWall.replayTitle')}>
      <div className="unit-replay-head">
        <span>{t('mapWall.replayTitle')}</span>
        <span className="muted">{t('mapWall.replayCount', { count: shown.length })}</span>
        <button className="link" onClick={() => setOpen((o) => !o)} aria-expanded={open}>{open ? t('mapWall.hide') : t('mapWall.show')}</button>
      </div>
      {error && <div className="unit-replay-error">{error}</div>}
      {open && <canvas ref={canvas} style={{ width: WIDTH, height: HEIGHT }} />}
      {open && loaded?.truncated && <div className="muted">{t('mapWall.truncated')}</div>}
    </div>
  );
}
