/**
 * Per-camera timeline rows: recorded spans, gaps, damaged footage, markers (bookmarks, locks, alarms, motion),
 * the playhead, a hover thumbnail. Wheel zooms (24 h .. 10 s) around the pointer, drag pans, click seeks.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CameraTimeline } from '../../electron/contract/review-api.js';
import { fractionOf, ticks, timeAt, zoomView, type TimelineView } from './timeline-model.js';
import { t } from '../i18n/i18n.js';
import { formatTime } from '../i18n/format.js';

export interface TimelineProps {
  view: TimelineView;
  rows: CameraTimeline[];
  names: Record<string, string>;
  playheadMs: number;
  onView(v: TimelineView): void;
  onSeek(ms: number): void;
  thumbUrl(cameraId: string, ms: number): string;
}

const pct = (f: number) => `${(Math.max(0, Math.min(1, f)) * 100).toFixed(3)}%`;

export function Timeline({ view, rows, names, playheadMs, onView, onSeek, thumbUrl }: TimelineProps) {
  const track = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; startMs: number; moved: boolean } | null>(null);
  const [hover, setHover] = useState<{ cameraId: string; ms: number; x: number } | null>(null);
  const [thumbMs, setThumbMs] = useState<number | null>(null);

  // ask for a thumbnail only once the pointer rests (a thumbnail costs a seek in a segment)
  useEffect(() => {
    if (!hover) { setThumbMs(null); return; }
    const t = setTimeout(() => setThumbMs(Math.round(hover.ms / 1000) * 1000), 150);
    return () => clearTimeout(t);
  }, [hover]);

  /** Fraction of the time axis under clientX: the axis is a row's track, right of the camera labels. */
  const axisRect = () => track.current?.querySelector('.tl-track')?.getBoundingClientRect();
  const fractionAt = (clientX: number) => {
    const r = axisRect();
    return r ? (clientX - r.left) / r.width : 0;
  };

  useEffect(() => {
    const el = track.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      onView(zoomView(view, e.deltaY > 0 ? 1.5 : 1 / 1.5, timeAt(view, fractionAt(e.clientX))));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [view, onView]);

  // the rows (thousands of markers in a replay) are made again only when they or the window change, not when the
  // playhead moves (ten times a second) or the pointer hovers: React then skips them in the main thread's render
  const rowEls = useMemo(() => {
    // one translation per marker kind, not per marker (thousands in a replay)
    const kinds = new Map<string, string>();
    const kindLabel = (kind: string) => { let l = kinds.get(kind); if (l === undefined) { l = t(`review.marker.${kind}`, { defaultValue: kind }); kinds.set(kind, l); } return l; };
    return rows.map((row) => (
      <div key={row.cameraId} className="tl-row" data-camera={row.cameraId}>
        <div className="tl-label" title={row.cameraId}>{names[row.cameraId] ?? row.cameraId}</div>
        <div className="tl-track" data-camera={row.cameraId}>
          {row.spans.map((s) => (
            <div key={`${s.kind}-${s.startMs}`} className={`tl-span tl-${s.kind}`} data-kind={s.kind}
              style={{ left: pct(fractionOf(view, s.startMs)), width: pct(fractionOf(view, s.endMs) - fractionOf(view, s.startMs)) }} />
          ))}
          {row.markers.map((m) => (
            <div key={m.id} className={`tl-marker tl-m-${m.kind}`} title={`${kindLabel(m.kind)}: ${m.text ?? ''}`} data-kind={m.kind} data-at={m.kind === 'lock' ? undefined : m.atMs}
              style={{ left: pct(fractionOf(view, m.atMs)), ...(m.endMs ? { width: pct(fractionOf(view, m.endMs) - fractionOf(view, m.atMs)) } : {}) }} />
          ))}
        </div>
      </div>
    ));
  }, [rows, view, names]);

  return (
    <div className="timeline" data-testid="timeline">
      <div className="tl-ruler">
        <div className="tl-label" />
        <div className="tl-track">
          {ticks(view).map((t) => <span key={t.ms} className="tl-tick" style={{ left: pct(fractionOf(view, t.ms)) }}>{t.label}</span>)}
        </div>
      </div>
      <div
        className="tl-rows" ref={track}
        onPointerDown={(e) => { drag.current = { x: e.clientX, startMs: view.startMs, moved: false }; (e.target as HTMLElement).setPointerCapture?.(e.pointerId); }}
        onPointerMove={(e) => {
          const d = drag.current;
          const rowEl = (e.target as HTMLElement).closest('[data-camera]') as HTMLElement | null;
          if (rowEl?.dataset.camera) setHover({ cameraId: rowEl.dataset.camera, ms: timeAt(view, fractionAt(e.clientX)), x: e.clientX });
          if (!d) return;
          const r = axisRect();
          if (!r) return;
          const dx = e.clientX - d.x;
          if (Math.abs(dx) > 3) d.moved = true;
          if (d.moved) onView({ ...view, startMs: Math.round(d.startMs - (dx / r.width) * view.spanMs) });
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = null;
          if (!d || d.moved) return;
          // a click on a marker (alarm, bookmark) goes to its exact moment, not to the pixel under the pointer
          const at = (e.target as HTMLElement).closest('[data-at]')?.getAttribute('data-at');
          onSeek(at ? Number(at) : timeAt(view, fractionAt(e.clientX)));
        }}
        onPointerLeave={() => setHover(null)}
      >
        {rowEls}
        <div className="tl-playhead" style={{ left: `calc(var(--tl-label) + (100% - var(--tl-label)) * ${Math.max(0, Math.min(1, fractionOf(view, playheadMs)))})` }} />
      </div>
      {hover && (
        <div className="tl-hover" style={{ left: hover.x }}>
          {thumbMs !== null && <img alt="" src={thumbUrl(hover.cameraId, thumbMs)} width={160} height={90} onError={(e) => { (e.target as HTMLImageElement).style.visibility = 'hidden'; }} />}
          <div>{formatTime(hover.ms)} · {names[hover.cameraId] ?? hover.cameraId}</div>
        </div>
      )}
    </div>
  );
}
