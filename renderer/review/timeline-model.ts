/**
 * The review timeline as data: the visible window (zoomable from 24 hours to 10 seconds), time <-> position,
 * tick marks, and the mapping between wall time and a playback clip's own clock. Pure.
 */
import type { PlaybackClip } from '../../electron/contract/review-api.js';
import { formatDate, formatTime as formatClock, formatTimeMs, formatZone } from '../i18n/format.js';

export const MIN_SPAN_MS = 10_000;
export const MAX_SPAN_MS = 86_400_000;

/** What the timeline shows: [startMs, startMs + spanMs). */
export interface TimelineView { startMs: number; spanMs: number }

/** A window's span within the timeline's zoom limits (10 s to 24 h). */
export const clampSpan = (ms: number) => Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, ms));

/** A fraction of the time axis as a CSS percentage of a track (clamped to the track). */
export const axisPercent = (f: number) => `${(Math.max(0, Math.min(1, f)) * 100).toFixed(3)}%`;

/** A playhead's CSS left over rows whose labels take `--tl-label` before the axis (the timeline's, the review's lanes'). */
export const playheadLeft = (f: number) => `calc(var(--tl-label) + (100% - var(--tl-label)) * ${Math.max(0, Math.min(1, f))})`;

/** Zoom by factor (< 1 zooms in) keeping anchorMs at the same place on screen. */
export function zoomView(v: TimelineView, factor: number, anchorMs: number): TimelineView {
  const spanMs = clampSpan(v.spanMs * factor);
  const f = (anchorMs - v.startMs) / v.spanMs;
  return { startMs: Math.round(anchorMs - f * spanMs), spanMs };
}

/** A window of the given span centred on ms. */
export function centreOn(ms: number, spanMs: number): TimelineView {
  const s = clampSpan(spanMs);
  return { startMs: Math.round(ms - s / 2), spanMs: s };
}

export const timeAt = (v: TimelineView, fraction: number): number => Math.round(v.startMs + fraction * v.spanMs);
export const fractionOf = (v: TimelineView, ms: number): number => (ms - v.startMs) / v.spanMs;

const STEPS = [1000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000];

export interface Tick { ms: number; label: string }

/** About 6-12 ticks on round times, labelled in the centre's time zone (the wall shows it). */
export function ticks(v: TimelineView): Tick[] {
  const step = STEPS.find((s) => v.spanMs / s <= 12) ?? (STEPS[STEPS.length - 1] as number);
  const out: Tick[] = [];
  for (let t = Math.ceil(v.startMs / step) * step; t < v.startMs + v.spanMs; t += step) {
    const hms = formatClock(t);
    out.push({ ms: t, label: step < 60_000 ? hms : hms.slice(0, 5) });
  }
  return out;
}

/** Clip seconds of a wall time, or null when the clip has no footage then. */
export function clipSecondsAt(clip: Pick<PlaybackClip, 'spans'>, wallMs: number): number | null {
  for (const s of clip.spans) if (wallMs >= s.startMs && wallMs < s.endMs) return (s.clipMs + wallMs - s.startMs) / 1000;
  return null;
}

/** Wall time shown at a clip position (seconds). */
export function wallMsAt(clip: Pick<PlaybackClip, 'spans'>, clipSeconds: number): number | null {
  const ms = clipSeconds * 1000;
  for (const s of clip.spans) if (ms >= s.clipMs && ms < s.clipMs + (s.endMs - s.startMs)) return s.startMs + ms - s.clipMs;
  return null;
}

export const SPEEDS = [0.125, 0.25, 0.5, 1, 2, 4, 8, 16] as const;
export const FRAME_MS = 40; // 25 fps cameras; a step is one frame

/** The playhead's time: date, time to the millisecond and the zone, in the centre's time zone. */
export function formatTime(ms: number): string { return `${formatDate(ms)} ${formatTimeMs(ms)} ${formatZone(ms)}`; }
