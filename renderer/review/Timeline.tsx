/**
 * Per-camera timeline rows: recorded spans, gaps, damaged footage, markers (bookmarks, locks, alarms, motion, actions)
 * drawn on a canvas per row, the playhead, a hover thumbnail. Wheel zooms (24 h .. 10 s) around the pointer, drag pans,
 * click seeks (on a marker: to its moment).
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CameraTimeline } from '../../electron/contract/review-api.js';
import { axisPercent, fractionOf, playheadLeft, ticks, timeAt, zoomView, type TimelineView } from './timeline-model.js';
import { drawMarks, markAt, markRects, type MarkRect } from './timeline-marks.js';
import { exposeDiagnostics } from '../app/diagnostics.js';
import { useElementSize } from '../element-size.js';
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


export function Timeline({ view, rows, names, playheadMs, onView, onSeek, thumbUrl }: TimelineProps) {
  const track = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; startMs: number; moved: boolean } | null>(null);
  const [hover, setHover] = useState<{ cameraId: string; ms: number; x: number; mark: string | null } | null>(null);
  /** Each row's marker canvas and the markers as last drawn on it (pointer hits and diagnostics read them). */
  const canvases = useRef(new Map<string, HTMLCanvasElement>());
  const drawn = useRef(new Map<string, MarkRect[]>());
  /** The rows' box: a new width or pixel ratio (a resized window, another screen) draws the canvases again. */
  const box = useElementSize(track);
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

  // the rows are made again only when they or the window change, not when the playhead moves (ten times a second) or
  // the pointer hovers: React then skips them in the main thread's render. Their markers are drawn on a canvas per row
  const rowEls = useMemo(() => rows.map((row) => (
    <div key={row.cameraId} className="tl-row" data-camera={row.cameraId}>
      <div className="tl-label" title={row.cameraId}>{names[row.cameraId] ?? row.cameraId}</div>
      <div className="tl-track" data-camera={row.cameraId}>
        {row.spans.map((s) => (
          <div key={`${s.kind}-${s.startMs}`} className={`tl-span tl-${s.kind}`} data-kind={s.kind}
            style={{ left: axisPercent(fractionOf(view, s.startMs)), width: axisPercent(fractionOf(view, s.endMs) - fractionOf(view, s.startMs)) }} />
        ))}
        <canvas className="tl-marks" ref={(el) => { if (el) canvases.current.set(row.cameraId, el); else canvases.current.delete(row.cameraId); }} />
      </div>
    </div>
  )), [rows, view, names]);

  // the markers drawn when the rows, the window or the rows' width change: one size read for all rows (their tracks
  // are alike), before any canvas is resized (a read after a resize would lay the page out again, per row)
  useLayoutEffect(() => {
    const dpr = window.devicePixelRatio || 1;
    drawn.current.clear();
    const first = rows.map((r) => canvases.current.get(r.cameraId)).find((c) => c !== undefined);
    if (!first) return;
    const w = first.clientWidth, h = first.clientHeight;
    for (const row of rows) {
      const canvas = canvases.current.get(row.cameraId);
      if (!canvas) continue;
      const rects = markRects(view, row.markers, w);
      drawn.current.set(row.cameraId, rects);
      drawMarks(canvas, rects, w, h, dpr);
    }
  }, [rows, view, box.cssW, box.dpr]);

  /** The marker under the pointer on a row (the canvas fills the row's track: CSS px from the time axis's left). */
  const markUnder = (cameraId: string | undefined, clientX: number): MarkRect | null => {
    const rects = cameraId ? drawn.current.get(cameraId) : undefined;
    const r = axisRect();
    return rects && r ? markAt(rects, clientX - r.left) : null;
  };
  const markLabel = (r: MarkRect | null) => (r ? `${t(`review.marker.${r.marker.kind}`, { defaultValue: r.marker.kind })}${r.marker.text ? `: ${r.marker.text}` : ''}` : null);

  // tests and diagnostics: every marker as drawn, in the page's CSS pixels
  useEffect(() => {
    exposeDiagnostics('__kuzetTimeline', {
      marks: () => [...drawn.current].flatMap(([cameraId, rects]) => {
        const box = canvases.current.get(cameraId)?.getBoundingClientRect();
        return box ? rects.map((r) => ({ cameraId, kind: r.marker.kind, atMs: r.marker.atMs, text: r.marker.text ?? null, x: box.left + r.x, y: box.top, width: r.w, height: box.height })) : [];
      }),
    });
  }, []);

  return (
    <div className="timeline" data-testid="timeline">
      <div className="tl-ruler">
        <div className="tl-label" />
        <div className="tl-track">
          {ticks(view).map((t) => <span key={t.ms} className="tl-tick" style={{ left: axisPercent(fractionOf(view, t.ms)) }}>{t.label}</span>)}
        </div>
      </div>
      <div
        className={`tl-rows${hover?.mark ? ' tl-on-mark' : ''}`} ref={track}
        onPointerDown={(e) => { drag.current = { x: e.clientX, startMs: view.startMs, moved: false }; (e.target as HTMLElement).setPointerCapture?.(e.pointerId); }}
        onPointerMove={(e) => {
          const d = drag.current;
          const rowEl = (e.target as HTMLElement).closest('[data-camera]') as HTMLElement | null;
          if (rowEl?.dataset.camera) setHover({ cameraId: rowEl.dataset.camera, ms: timeAt(view, fractionAt(e.clientX)), x: e.clientX, mark: markLabel(markUnder(rowEl.dataset.camera, e.clientX)) });
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
          // a click on a marker (alarm, bookmark, action) goes to its exact moment, not to the pixel under the pointer;
          // on an evidence lock (a range) to the pixel's
          const rowEl = (e.target as HTMLElement).closest('[data-camera]') as HTMLElement | null;
          const mark = markUnder(rowEl?.dataset.camera, e.clientX);
          onSeek(mark && !mark.range ? mark.marker.atMs : timeAt(view, fractionAt(e.clientX)));
        }}
        onPointerLeave={() => setHover(null)}
      >
        {rowEls}
        <div className="tl-playhead" style={{ left: playheadLeft(fractionOf(view, playheadMs)) }} />
      </div>
      {hover && (
        <div className="tl-hover" style={{ left: hover.x }}>
          {thumbMs !== null && <img alt="" src={thumbUrl(hover.cameraId, thumbMs)} width={160} height={90} onError={(e) => { (e.target as HTMLImageElement).style.visibility = 'hidden'; }} />}
          <div>{formatTime(hover.ms)} · {names[hover.cameraId] ?? hover.cameraId}</div>
          {hover.mark && <div className="tl-hover-mark">{hover.mark}</div>}
        </div>
      )}
    </div>
  );
}
