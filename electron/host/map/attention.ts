/**
 * Attention (issue 10 §5): which cameras were on any wall in a time window and for how long, from the view audit's
 * `view.live` intervals (electron/host/access/view-audit.ts: details `{ from, to, ... }`, target `camera:<id>`). Watched
 * time is the union of a camera's intervals clipped to the window: two consoles watching it at once count once.
 * Cameras with no interval were watched by nobody. Pure: audit rows in, durations out.
 */
import type { AuditRow } from '../../contract/audit-api.js';
import type { CameraAttention } from '../../contract/map-api.js';

export function attentionFrom(rows: readonly AuditRow[], cameraIds: readonly string[], fromMs: number, toMs: number): Array<Omit<CameraAttention, 'offlineEvents' | 'tamperEvents' | 'staleSpells' | 'staleMs'>> {
  const spans = new Map<string, Array<[number, number]>>(cameraIds.map((id) => [id, []]));
  const viewers = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.action !== 'view.live' || !r.target.startsWith('camera:')) continue;
    const id = r.target.slice('camera:'.length);
    let d: { from?: unknown; to?: unknown };
    try { d = JSON.parse(r.details) as typeof d; } catch { continue; }
    const a = Math.max(fromMs, Number(d.from));
    const b = Math.min(toMs, Number(d.to));
    if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) continue;
    if (!spans.has(id)) spans.set(id, []);
    spans.get(id)!.push([a, b]);
    if (!viewers.has(id)) viewers.set(id, new Set());
    viewers.get(id)!.add(r.user);
  }
  const out: Array<Omit<CameraAttention, 'offlineEvents' | 'tamperEvents' | 'staleSpells' | 'staleMs'>> = [];
  for (const [cameraId, list] of spans) {
    list.sort((x, y) => x[0] - y[0]);
    let watchedMs = 0;
    let end = -Infinity;
    for (const [a, b] of list) {
      if (a >= end) { watchedMs += b - a; end = b; } else if (b > end) { watchedMs += b - end; end = b; }
    }
    out.push({ cameraId, watchedMs, viewers: viewers.get(cameraId)?.size ?? 0 });
  }
  return out.sort((x, y) => x.watchedMs - y.watchedMs || x.cameraId.localeCompare(y.cameraId));
}

/** A camera's health over the window from its stored events: how often it went offline and how often it was tampered with. */
export function healthFrom(events: ReadonlyArray<{ type: string }>): Pick<CameraAttention, 'offlineEvents' | 'tamperEvents'> {
  let offlineEvents = 0, tamperEvents = 0;
  for (const e of events) { if (e.type === 'camera_offline') offlineEvents++; else if (e.type === 'tamper') tamperEvents++; }
  return { offlineEvents, tamperEvents };
}
