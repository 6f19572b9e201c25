/**
 * What the MSE review player should hold in its SourceBuffer around the clock's position: the segment under
 * the playhead first, then the ones the playback direction reaches next, and the window outside which buffered
 * video is evicted (16 players x a few MB each, not a whole day). Pure: tested without a browser.
 */
import { boxesIn, moovChildren } from '../../electron/contract/fmp4.js';
import type { PlaybackSegment } from '../../electron/contract/review-api.js';

/** Two segments closer than this play as one stretch (joins carry a few ms of clock jitter). */
export const JOIN_MS = 100;

export interface BufferPlan {
  /** Segments to append, most urgent first (the one under the playhead, then along the playback direction). */
  want: PlaybackSegment[];
  /** Wall-time window to keep buffered; anything outside may be removed. */
  keepFromMs: number;
  keepToMs: number;
}

/**
 * The segment showing wall time ms, or null in a gap. The one whose range holds ms (the later-starting one where two
 * overlap); failing that, a frame's tolerance
 * at the edges (joins carry clock jitter). Not the tolerance first: ms in the first 20 ms of a segment picked the one
 * before it, whose frames stop at the join, and a seek there waited for a picture that segment does not have.
 */
export function segmentAt(segs: readonly PlaybackSegment[], ms: number): PlaybackSegment | null {
  // of two that both hold ms (an index end past the next file's start: the recorder's clock against the capture clock),
  // the later one: the earlier one's frames are cut at the later one's start (appendEndMs), so only it has the picture
  let holding: PlaybackSegment | null = null;
  for (const s of segs) if (ms >= s.startMs && ms < s.endMs && (!holding || s.startMs > holding.startMs)) holding = s;
  if (holding) return holding;
  for (const s of segs) if (ms >= s.startMs - 20 && ms < s.endMs + 20) return s;
  return null;
}

/** True when footage continues without a gap after the segment (the player may wait for it instead of stopping). */
export function continues(segs: readonly PlaybackSegment[], s: PlaybackSegment): boolean {
  return segs.some((x) => x !== s && x.startMs >= s.startMs && x.startMs - s.endMs <= JOIN_MS && x.startMs > s.startMs);
}

/**
 * Where the frames appended from `seg` must stop, in wall ms: the start of the recorded segment that follows it without
 * a gap or overlaps it, else +Infinity (nothing after it to protect). A file may run past where the next segment starts
 * (a capture-clock correction at the join, a file longer than its index entry): appended after the next one (a seek
 * back, reverse play, the plan's other side), its tail would cover the next segment's first pictures, and an append
 * over a key frame drops that key frame's whole GOP from the SourceBuffer (MSE's coded frame removal), so a seek there
 * showed the wrong file's picture or none. The SourceBuffer's append window cuts the tail instead.
 */
export function appendEndMs(segs: readonly PlaybackSegment[], seg: PlaybackSegment): number {
  let end = Infinity;
  // a "next" starting within a frame or so of this one's start is not a neighbour but a broken index: no cut then
  for (const x of segs) if (x.startMs > seg.startMs + 200 && x.startMs <= seg.endMs + JOIN_MS && x.startMs < end) end = x.startMs;
  return end;
}

/**
 * How far past the next segment's start a file's last frame may end and still be appended (ms): the window's end is
 * `appendEndMs` + this. A recorder's file puts its frames a fraction of a millisecond after the segment's start (the
 * simulator's main streams: 0.4 ms), so its last frame ends that much past the next segment's start, and MSE drops a
 * frame that ends after appendWindowEnd: a seek into the last 40 ms before a join had no frame (readyState 1, seen
 * in 3 of 33 seeks under load). Half a frame at 25 fps: the next file's first frame starts where this one's last ends.
 */
export const APPEND_WINDOW_SLACK_MS = 20;

/**
 * The SourceBuffer's appendWindowEnd for seg, in wall ms (+Infinity: no cut). `bufferedStartsMs`: where the
 * SourceBuffer's buffered ranges start (wall ms). When the next segment is already appended (a seek appends the
 * segment under the playhead and those ahead first, the one before it last), the window ends at the next segment's
 * first frame as buffered, not the slack past its start: a tail frame of this file that ends even a microsecond after
 * that key frame's time covers it, and MSE's coded frame removal then drops the key frame's whole GOP (a second-long
 * hole just after the join: the element stalled there with readyState 2, the clock held for it and the other players
 * waited, stamps 0.7-3 s apart in bench:review's sync).
 */
export function appendWindowEndMs(segs: readonly PlaybackSegment[], seg: PlaybackSegment, bufferedStartsMs: readonly number[] = []): number {
  const join = appendEndMs(segs, seg);
  let end = join + APPEND_WINDOW_SLACK_MS;
  for (const s of bufferedStartsMs) if (s > seg.startMs && s >= join - APPEND_WINDOW_SLACK_MS && s < end) end = s;
  return end;
}

export function planBuffer(segs: readonly PlaybackSegment[], ms: number, rate: number, playing: boolean): BufferPlan {
  const speed = Math.max(1, Math.abs(rate));
  // look ahead a few seconds of wall time per second of play (at 16x that is a minute of footage)
  const aheadMs = Math.min(60_000, 8_000 * speed);
  const backward = playing && rate < 0;
  const fwdMs = backward ? 4_000 : aheadMs;
  const backMs = backward ? aheadMs : 4_000;
  const here = segmentAt(segs, ms);
  const near = segs.filter((s) => s.endMs > ms - backMs && s.startMs < ms + fwdMs && s !== here);
  // along the playback direction first, nearest first; the other side after
  const key = (s: PlaybackSegment) => {
    const ahead = backward ? s.endMs <= ms : s.startMs >= ms;
    const dist = Math.abs((backward ? s.endMs : s.startMs) - ms);
    return (ahead ? 0 : 1e12) + dist;
  };
  near.sort((a, b) => key(a) - key(b));
  // in a gap: the next footage along the direction is what the player will need first
  return {
    want: here ? [here, ...near] : near,
    keepFromMs: ms - backMs - 8_000,
    keepToMs: ms + fwdMs + 8_000,
  };
}

/**
 * What an eviction removes on one side of the window it keeps ([keepFromMs, keepToMs], wall ms), when the cut starts:
 * never what the clock's position keeps at that moment (`now`: a seek may have come since the eviction was planned),
 * and nothing when less than half a second of footage lies on that side (`buffered`: the first and last buffered
 * wall ms). `before` runs from the MediaSource's origin (baseMs), `after` to the end of everything buffered.
 */
export function evictCut(side: 'before' | 'after', keep: readonly [number, number], now: readonly [number, number], buffered: readonly [number, number], baseMs: number): [number, number] | null {
  if (side === 'before') {
    const to = Math.min(keep[0], now[0]);
    return buffered[0] < to - 500 ? [baseMs, to] : null;
  }
  const from = Math.max(keep[1], now[1]);
  return buffered[1] > from + 500 ? [from, Infinity] : null;
}

/** H.264/H.265 codec string for MediaSource from an MP4 init segment ('avc1.64001f'), or null. */
export function codecOf(bytes: Uint8Array): string | null {
  const limit = Math.min(bytes.length - 8, 64 * 1024);
  for (let i = 4; i < limit; i++) {
    if (bytes[i] === 0x61 && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x63 && bytes[i + 3] === 0x43) { // 'avcC'
      const hex = (n: number | undefined) => (n ?? 0).toString(16).padStart(2, '0');
      return `avc1.${hex(bytes[i + 5])}${hex(bytes[i + 6])}${hex(bytes[i + 7])}`;
    }
    if (bytes[i] === 0x68 && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x63 && bytes[i + 3] === 0x43) return 'hvc1.1.6.L93.B0'; // 'hvcC': Main
  }
  return null;
}

/**
 * Gives an MP4 init segment with an unknown duration (mvhd duration 0: what a fragmented recording's `empty_moov` or
 * streamable init says) a long known one, in place; true when it changed it. Chromium takes a stream's liveness from
 * its first init segment, not from MediaSource.duration (MP4StreamParser: no mehd fragment duration and an mvhd
 * duration of 0 or all ones = live), and decodes a live stream low-delay (FFmpegVideoDecoder: slice threads only; a
 * camera's picture is one slice, so one thread); a stream with a duration is decoded with frame threads. The duration
 * itself is not used: the MediaSource's own (+Infinity, set before the first append) wins.
 */
export function markRecorded(bytes: Uint8Array): boolean {
  const mvhd = moovChildren(bytes).find(([type]) => type === 'mvhd');
  if (!mvhd || mvhd[2] - mvhd[1] < 36) return false;
  const [, i] = mvhd;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[i + 8] === 1) { // version 1: 64-bit times, duration after creation (8), modification (8) and timescale (4)
    const at = i + 32;
    const hi = view.getUint32(at), lo = view.getUint32(at + 4);
    if ((hi !== 0 || lo !== 0) && !(hi === 0xffffffff && lo === 0xffffffff)) return false;
    view.setUint32(at, 0); view.setUint32(at + 4, 0x7fffffff);
    return true;
  }
  const at = i + 24; // version 0: creation (4), modification (4), timescale (4), duration (4)
  const d = view.getUint32(at);
  if (d !== 0 && d !== 0xffffffff) return false;
  view.setUint32(at, 0x7fffffff);
  return true;
}

/**
 * The inverse of markRecorded, in place: an init segment whose duration is known (mp4mux, as the recorder runs it,
 * writes the segment's length into `mvex/mehd`, and a closed file may carry an `mvhd` duration) made live to Chromium:
 * both durations set to 0 (unknown). True when it changed something. Without it Chromium decoded every recorded
 * segment with frame threads, and a paused seek completed only once the renderer had decoded well past the picture
 * (16 frames against 4, docs/replay.md "Seek, fourteenth pass"); the benchmark's segments (ffmpeg's `empty_moov`) were
 * live and never saw it. Only the init's own boxes are read: the top-level `moov`, its `mvhd` and `mvex/mehd`.
 */
export function markLive(bytes: Uint8Array): boolean {
  let changed = false;
  const zero = (at: number, long: 4 | 8) => {
    for (let k = 0; k < long; k++) if (bytes[at + k] !== 0) { bytes[at + k] = 0; changed = true; }
  };
  for (const [type, start, end] of moovChildren(bytes)) {
    // mvhd: version 1 has 64-bit creation and modification times and duration, version 0 32-bit ones
    if (type === 'mvhd' && end - start >= 36) zero(bytes[start + 8] === 1 ? start + 32 : start + 24, bytes[start + 8] === 1 ? 8 : 4);
    if (type === 'mvex') for (const [m, ms] of boxesIn(bytes, start + 8, end)) if (m === 'mehd') zero(ms + 12, bytes[ms + 8] === 1 ? 8 : 4);
  }
  return changed;
}

