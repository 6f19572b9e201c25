/**
 * The footage of a training session's after-action review (issue 11 §3): what the trainee's tiles showed, the
 * scenario's footage played on the session's clock (the feeder plays footage recorded at R at `startedAt + R - fromMs`).
 * The review's player runs on the session's time; its footage is asked for `shiftMs` earlier (the session's start minus
 * its footage's start) and answered on the session's time: segment lists, timelines, overlays and hover thumbnails.
 * The footage's own timeline marks (its alarms, bookmarks, motion) are left out: the trainee never saw them; the
 * session's own (the differences) are the review's. Unit tracks stay the console's at the session's time: the trainee's
 * map showed the live units.
 */
import type { CameraTimeline } from '../../electron/contract/review-api.js';
import type { Footage } from '../review/review-player.js';
import type { ReviewSources } from '../review/review-sources.js';

export function sessionFootage(inner: Footage, shiftMs: number): Footage {
  const shiftTimeline = (t: CameraTimeline): CameraTimeline => ({ ...t, spans: t.spans.map((s) => ({ ...s, startMs: s.startMs + shiftMs, endMs: s.endMs + shiftMs })), markers: [] });
  return {
    segments: async (cameraId, fromMs, toMs, stream) => {
      const r = await inner.segments(cameraId, fromMs - shiftMs, toMs - shiftMs, stream);
      return { ...r, segments: r.segments.map((s) => ({ ...s, startMs: s.startMs + shiftMs, endMs: s.endMs + shiftMs })), nextMs: r.nextMs === null ? null : r.nextMs + shiftMs };
    },
    timeline: async (cameraIds, fromMs, toMs) => (await inner.timeline(cameraIds, fromMs - shiftMs, toMs - shiftMs)).map(shiftTimeline),
    ...(inner.preload ? { preload: inner.preload.bind(inner) } : {}),
  };
}

export function sessionSources(inner: ReviewSources, shiftMs: number): ReviewSources {
  return {
    zones: (cameraId) => inner.zones(cameraId),
    events: async (cameraId, fromMs, toMs) => {
      const r = await inner.events(cameraId, fromMs - shiftMs, toMs - shiftMs);
      return { ...r, events: r.events.map((e) => ({ ...e, captureTime: e.captureTime + shiftMs })) };
    },
    tracks: (fromMs, toMs) => inner.tracks(fromMs, toMs),
    thumbPath: (cameraId, ms) => inner.thumbPath(cameraId, ms - shiftMs),
  };
}
