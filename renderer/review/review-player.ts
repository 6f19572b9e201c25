/**
 * One camera's player in the review grid: a <video> on a MediaSource fed with the recorded fragmented-MP4
 * segments themselves (init + fragments, fetched over HTTP and appended one by one), driven by the shared
 * PlaybackClock. Nothing is remuxed on a seek. Media time is wall time: a segment is appended at
 * (startMs - baseMs) / 1000, so a picture's wall time is baseMs + currentTime and gaps stay gaps.
 * Forward play at up to 16x uses the element's own playback with drift correction; reverse and paused
 * positions seek, which Chromium decodes frame-accurately from the preceding key frame.
 * The player owns its <video>: the grid moves the element into a cell, and a camera that leaves the grid is parked
 * (player-pool.ts), its MediaSource and decoder kept for when it comes back.
 * A small tile plays the camera's recorded sub-stream where there is one (the live wall's rule, contract/stream-choice.ts:
 * a 360p seek decodes a quarter of the pixels of a 720p one), a large or maximised tile the main stream; a change of
 * stream replaces the buffered footage in place at the clock's position (same MediaSource, same moment).
 * A paused seek appends its picture's GOP only up to the picture (fragment-cut.ts) and the rest of it once every tile
 * shows its picture: the decoders every player shares do the grid's pictures first.
 */
import type { CameraTimeline, PlaybackSegment } from '../../electron/contract/review-api.js';
import type { StreamProfile } from '../../electron/contract/schemas.js';
import { DEFAULT_SUB_SIZE, tileWantsMain } from '../../electron/contract/stream-choice.js';
import type { BridgeClient } from '../bridge/client.js';
import { cutAfterPicture } from './fragment-cut.js';
import { appendWindowEndMs, codecOf, continues, evictCut, JOIN_MS, markLive, markRecorded, planBuffer, segmentAt } from './segment-plan.js';
import { watchSeek, type Recovery, type SeekWatch } from './seek-recovery.js';
import { fetchBytes, type FetchBytes } from './seek-parts.js';
import { consoleFootage } from './review-sources.js';
import { standInFor, standInStep, type StandIn } from './stand-in.js';
import { t } from '../i18n/i18n.js';

/** Drift beyond which a playing video is re-seeked (below it the rate is nudged). */
const HARD_DRIFT_S = 1.0;
const SOFT_DRIFT_S = 0.02;
/** The segment list is fetched for this much around the playhead and refreshed when the playhead nears its edges. */
const LIST_BEFORE_MS = 120_000;
const LIST_AFTER_MS = 240_000;
const LIST_MARGIN_MS = 60_000;
/** Media time 0 is this long before the first position (reverse play and seeks back stay on one MediaSource). */
const BASE_BEFORE_MS = 24 * 3_600_000;
/**
 * A recorded (not live) stream completes a seek only once the video renderer has a few frames from the target on (its
 * preroll: 4 frames, plus the frame threads' one frame of delay): with less footage than this after the picture, the
 * player fetches what follows at once instead of after the other tiles' pictures.
 */
const RECORDED_PREROLL_S = 0.24;

/** Where the segments and the timeline come from when not this console's recordings (replay of an imported incident). */
export interface Footage {
  /** `stream`: the stream the tile wants; the answer's `stream` is the one listed (absent: main). */
  segments(cameraId: string, fromMs: number, toMs: number, stream?: StreamProfile): Promise<{ segments: PlaybackSegment[]; nextMs: number | null; stream?: StreamProfile }>;
  timeline(cameraIds: string[], fromMs: number, toMs: number): Promise<CameraTimeline[]>;
  /** Ask ahead for these cameras' segment lists of each stream, so that a seek finds them (replay's cached footage). */
  preload?(cameraIds: readonly string[], streams: readonly StreamProfile[]): Promise<void>;
}

export type PlayerState = 'idle' | 'loading' | 'ready' | 'no-recording' | 'error';

/**
 * Where one seek's time went, in ms after the request (diagnostics, bench:review). Each step is [start, end];
 * `painted` is the first frame at the target the compositor got (requestVideoFrameCallback).
 */
export interface SeekTrace {
  targetMs: number;
  list?: [number, number];
  fetch?: [number, number];
  bytes?: number;
  append?: [number, number];
  /** Waiting for the other stream's footage to be removed before the new stream's first append (a stream change). */
  switch?: [number, number];
  seekIssued?: number;
  seeked?: number;
  painted?: number;
  /** When the seek changed the player's stream (ms after it) and to which, each time (the tile maximised or restored). */
  switched?: Array<[number, StreamProfile]>;
  /** What the player did to recover a picture that did not come (seek-recovery.ts), in order. */
  recovered?: Recovery[];
  /**
   * A progressive seek (a tile that wants the main stream shows the sub-stream's picture of the moment first): `sub`
   * when the sub-stream's picture showed (the picture that counted as shown), `main` when the main stream's replaced it
   * (ms after the seek). Absent: the seek showed its stream's picture directly.
   */
  standIn?: { sub?: number; main?: number };
  /** What the player's pump was doing when the seek came (its first part waits for that to end): diagnostics. */
  busy?: PumpStep;
}

/** What a player's pump awaits (SeekTrace.busy). */
type PumpStep = 'idle' | 'fetch' | 'fetch-rest' | 'append' | 'append-rest' | 'decode' | 'yield' | 'evict' | 'switch';

/** How long shownMs waits for the compositor to present a decoded picture before it counts it anyway (`decodedSince`). */
const PRESENT_WAIT_MS = 300;

export class ReviewPlayer {
  readonly video: HTMLVideoElement = document.createElement('video');
  state: PlayerState = 'idle';
  message = '';
  private mediaSource: MediaSource | null = null;
  private sb: SourceBuffer | null = null;
  /** The codec the SourceBuffer was made or last changed for. */
  private sbCodec = '';
  /** The stream the tile wants (its size), and the stream of the listed segments (what the SourceBuffer gets). */
  private wantStream: StreamProfile = 'main';
  private listedStream: StreamProfile | null = null;
  /** A progressive seek under way (beginSeek): the sub-stream listed and shown first, then the main stream. */
  private standIn: StandIn | null = null;
  /** The tile's wanted stream changed: list again now. */
  private relist = false;
  /** The listed stream changed: the buffered footage of the other stream goes before the next append. */
  private replaceBuffer = false;
  /** After a stream change: seek the element to the clock once its picture is appended (a paused element shows the old one). */
  private forceSeek = false;
  /**
   * The other stream's footage being removed after a stream change: awaited before the next append, not before the
   * fetch of the new stream's first part (a switching tile's seek waited 13-130 ms for the removal, then fetched alone).
   */
  private removal: { sb: SourceBuffer; done: Promise<void> } | null = null;
  private opening = false;
  private baseMs = 0;
  private segs: PlaybackSegment[] = [];
  private listFrom = 0;
  private listTo = 0;
  private listedAt = 0;
  private nextMs: number | null = null;
  private listing = false;
  /** The stream a list on its way asks for (while `listing`). */
  private listingStream: StreamProfile | null = null;
  private listFailed = 0;
  private readonly appended = new Set<number>();
  /** Segments of which only the GOP at this offset (ms after their start) is appended (a seek's first fetch). */
  private readonly partial = new Map<number, number>();
  private readonly failed = new Map<number, number>();
  /** The MediaSource a pump runs for (a pump stuck on an old one does not stop a reopened player's). */
  private pumpingFor: MediaSource | null = null;
  private objectUrl = '';
  /** The append loop waits for the element to reach a seek's picture before fetching more; a new position ends the wait. */
  private wake: { targetMs: number; done(): void } | null = null;
  /** The fetch in flight (aborted when the playhead jumps far from its segment, or the player is parked). */
  private prefetch: { seg: PlaybackSegment; abort: AbortController } | null = null;
  private target = 0;
  private rate = 1;
  private playing = false;
  /** Out of the grid: nothing fetched, appended or decoded until it follows the clock again. */
  private parked = false;
  /** The wait for the picture at the target, when it does not come (seek-recovery.ts). */
  private watch: SeekWatch | null = null;
  /** Recoveries done (diagnostics). */
  recoveries = 0;
  /** This MediaSource's footage is appended as a recorded stream (frame-threaded decoding; see markRecorded). */
  private recordedMode = false;
  /** Fell back to a live MediaSource at a gap's edge (pump): stays live until reopen(). */
  private liveOnly = false;
  /** The position for which the pump already waited for the grid's seeks (yieldToSeeks). */
  private quietFor: number | null = null;
  private lastHardSeek = 0;
  private lastError = 0;
  /** Wall-time milliseconds from the seek request to the first picture at the target (diagnostics, bench). */
  lastSeekMs: number | null = null;
  private seekStarted: number | null = null;
  /**
   * A frame of the element's position reached the compositor (requestVideoFrameCallback) since its last seek or source:
   * shownMs counts a picture only then. readyState and `seeked` say the frame is decoded; a new MediaSource's first
   * picture could still be black on screen (and to drawImage) for a frame or two.
   */
  private presented = false;
  /**
   * When shownMs first found the position's frame decoded but not yet presented (null: not waiting). After
   * PRESENT_WAIT_MS it counts anyway: a callback missed (the element moved between tiles as it was presented) must not
   * leave a tile's picture unshown for good.
   */
  private decodedSince: number | null = null;
  /** The last seek's trace and when it was requested (performance.now()). */
  trace: SeekTrace | null = null;
  private traceAt = 0;

  /**
   * `othersSettling`: true while another player of the grid is still seeking to the clock's picture; this player's footage
   * beyond its own seek's GOP waits for it (2 cores: every tile's picture before anyone's prefetch).
   */
  private readonly load: FetchBytes;
  /** Where its segment lists come from (this console's recordings unless the view gives other footage). */
  private readonly footage: Footage;

  /**
   * `load`: how footage is fetched (the grid's, which sends a seek's first parts of every tile in one request).
   * `recorded`: asked when a MediaSource opens: its footage is appended as a recorded stream (markRecorded: decoded
   * with frame threads) rather than a live one (low-delay, one thread per picture).
   */
  constructor(readonly cameraId: string, client: BridgeClient, urlOf: (path: string) => string, private readonly changed: () => void, footage?: Footage,
    private readonly othersSettling?: () => boolean, load?: FetchBytes, private readonly recorded?: () => boolean) {
    this.load = load ?? fetchBytes(urlOf);
    this.footage = footage ?? consoleFootage(client);
    const video = this.video;
    video.addEventListener('error', () => { this.lastError = Date.now(); this.set('error', t('review.player.doesNotPlay', { reason: video.error?.message || t('review.player.decodeError') })); this.reset(); });
    video.addEventListener('seeked', () => {
      if (this.seekStarted !== null) { this.lastSeekMs = performance.now() - this.seekStarted; this.seekStarted = null; }
      this.mark('seeked');
    });
    // a paused element's frame counts when it is of the element's position (during a seek: its target; a recorded
    // stream's picture is presented before its seek completes), so that a stale callback (a frame of the position
    // before a seek) does not
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      if (!video.paused || Math.abs(meta.mediaTime - video.currentTime) < 0.5) this.presented = true;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    video.addEventListener('emptied', () => { this.presented = false; this.decodedSince = null; });
    video.muted = true;
    video.preload = 'auto';
    video.playsInline = true;
  }

  /** Segments known around the playhead (diagnostics). */
  get segments(): readonly PlaybackSegment[] { return this.segs; }

  /** Wall time of the element's time 0 (diagnostics and tests: a buffered range in wall time). */
  get mediaBaseMs(): number { return this.baseMs; }

  /** The stream the player plays (null before its first list; diagnostics and tests). */
  get stream(): StreamProfile | null { return this.listedStream; }

  /**
   * The tile is `px` device pixels tall: sub-stream below the live wall's threshold, main above (with its hysteresis).
   * A change lists again at once; the picture stays at the clock's moment (replaceBuffer).
   */
  setTileHeight(px: number): void {
    if (!(px > 0)) return; // not laid out yet
    const want: StreamProfile = tileWantsMain(px, DEFAULT_SUB_SIZE.height, this.wantStream === 'main') ? 'main' : 'sub';
    if (want === this.wantStream) return;
    this.wantStream = want;
    this.relist = true; // also when a first list is on its way: it asked for the other stream
  }

  /**
   * Wall time of the picture on screen (null when none): once the compositor has it (`presented`), once decoded while
   * the page is hidden (no frame is presented then), or PRESENT_WAIT_MS after it was first found decoded.
   */
  shownMs(): number | null {
    if (!this.sb || this.state !== 'ready' || this.video.readyState < 2 || this.video.seeking) return null;
    if (!this.presented && document.visibilityState !== 'hidden') {
      const now = performance.now();
      this.decodedSince ??= now;
      if (now - this.decodedSince < PRESENT_WAIT_MS) return null;
    }
    return this.baseMs + this.video.currentTime * 1000;
  }

  /**
   * The picture on screen for a seek's figure: shownMs, or while a progressive seek's main stream is being fetched and
   * decoded, the sub-stream's picture of the moment that stays on screen meanwhile.
   */
  pictureMs(): number | null {
    const s = this.standIn;
    return this.shownMs() ?? (s?.upgrading ? s.targetMs : null);
  }

  /** The picture on screen once settled: null while a progressive seek still shows the sub-stream's stand-in. */
  settledMs(): number | null {
    return this.standIn ? null : this.shownMs();
  }

  /** A progressive seek's stand-in on screen or being replaced (diagnostics). */
  get standingIn(): 'sub' | 'upgrading' | null { return this.standIn ? (this.standIn.upgrading ? 'upgrading' : 'sub') : null; }

  /**
   * A seek to ms begins (after setTileHeight, before follow). A progressive seek: a paused tile that wants the main stream
   * and has not the main stream's footage of ms buffered lists, fetches and shows the sub-stream's picture of ms first
   * (a quarter of the pixels, a key frame every half second), and the main stream's once every tile of the grid has its
   * picture (what Nx Witness does while scrubbing). A new seek cancels a pending upgrade.
   */
  beginSeek(ms: number, playing: boolean): void {
    const was = this.standIn;
    this.standIn = standInFor({ playing, want: this.wantStream, mainHolds: this.listedStream === 'main' && this.sb !== null && this.holds(ms), targetMs: ms, nowMs: performance.now() });
    if (this.standIn ? this.listedStream !== 'sub' : was && this.listedStream !== this.wantStream) this.relist = true;
  }

  /** A progressive seek's steps, on every follow: the stand-in shown, the upgrade started once the grid settled, done. */
  private stepStandIn(ms: number, playing: boolean): void {
    const s = this.standIn as StandIn;
    const shown = this.shownMs();
    const atTarget = shown !== null && Math.abs(shown - s.targetMs) <= 40;
    const t = this.trace && this.trace.targetMs === s.targetMs ? this.trace : null;
    const now = performance.now();
    if (!s.upgrading && atTarget && this.listedStream === 'sub' && !s.shown) { s.shown = true; if (t) (t.standIn ??= {}).sub = now - this.traceAt; }
    switch (standInStep(s, { clockMs: ms, playing, want: this.wantStream, listed: this.listedStream, atTarget, othersSettling: this.othersSettling?.() ?? false, nowMs: now })) {
      case 'end': this.endStandIn(); break;
      case 'upgrade': s.upgrading = true; this.relist = true; break;
      case 'done': if (t) (t.standIn ??= {}).main = now - this.traceAt; this.standIn = null; break;
      case 'wait': break;
    }
  }

  /** A progressive seek given up: the tile's own stream from here (listed again if the stand-in's is another). */
  private endStandIn(): void {
    this.standIn = null;
    if (this.listedStream !== this.wantStream) this.relist = true;
  }

  /** Playing but without the picture of the current position yet (network or decoder behind). */
  stalled(): boolean {
    if (this.state !== 'ready' || !this.sb || this.video.paused) return false;
    if (!(this.video.readyState < 3 || this.video.seeking)) return false;
    // waiting at the end of a recorded stretch is not a stall: the clock goes on into the gap
    const at = this.baseMs + this.video.currentTime * 1000;
    const seg = segmentAt(this.segs, at);
    return !(seg && seg.endMs - at < 120 && !continues(this.segs, seg));
  }

  /** Follow the clock: keep the segments around it appended, then seek or correct the running video. */
  follow(ms: number, playing: boolean, rate: number, held = false): void {
    this.parked = false;
    const from = this.target;
    this.target = ms;
    this.rate = rate;
    this.playing = playing;
    if (this.standIn) this.stepStandIn(ms, playing);
    if (!this.mediaSource) { if (Date.now() - this.lastError > 1000) this.open(ms); return; }
    if (ms < this.baseMs + 1000) { this.reset(); return; } // far before the MediaSource's origin: start a new one
    if (this.needsList(ms)) void this.list(ms);
    // a jump: the footage being fetched for the old position is not waited for
    const pre = this.prefetch;
    if (pre && (pre.seg.endMs < ms - 20_000 || pre.seg.startMs > ms + 70_000)) pre.abort.abort();
    // paused (a seek, a step): nothing is fetched before the picture's own footage (a 2 MB prefetch came first before)
    else if (pre && !playing && pre.seg.startMs !== segmentAt(this.segs, ms)?.startMs && !this.holds(ms)) pre.abort.abort(); // by start: a list refresh makes new objects
    if (!playing) this.recover(ms);
    if (this.wake && Math.abs(ms - this.wake.targetMs) > 1) this.wake.done();
    if (this.unyield && ms !== this.quietFor) this.unyield();
    if (this.moved && ms !== from) { const m = this.moved; this.moved = null; m.resolve(); }
    // a seek (paused) to a moment outside the segment whose rest is being appended (a 1.5 MB main-stream rest took 300 ms
    // on a loaded machine, and the seek's own part waited behind it): that append is abandoned (the pump asks it again)
    const rest = this.restAppend;
    if (rest && !playing && ms !== rest.targetMs && (ms < rest.seg.startMs || ms >= rest.seg.endMs) && rest.sb.updating) {
      this.restAppend = null;
      try { rest.sb.abort(); } catch { /* the source closed, or a removal runs: the append ends on its own */ }
    }
    void this.pump();
    if (!this.listedAt || ms < this.listFrom || ms >= this.listTo) { this.pauseVideo(); this.set('loading', t('review.player.loading')); return; } // a list for here is on its way
    const seg = segmentAt(this.segs, ms);
    if (!seg) {
      this.pauseVideo();
      this.set('no-recording', this.nextMs === null && ms >= (this.segs.at(-1)?.endMs ?? 0) ? t('review.player.notRecordedYet') : t('review.player.noRecordingHere'));
      return;
    }
    if (!this.sb || this.video.readyState < 1) { this.set('loading', t('review.player.loading')); return; }
    this.set('ready', '');
    const at = (Math.min(Math.max(ms, seg.startMs), seg.endMs - 1) - this.baseMs) / 1000;
    const forward = playing && rate > 0;
    if (!forward) {
      this.pauseVideo();
      // also while the element still seeks to an older position (currentTime reads the pending target): that footage
      // may never come (its fetch was aborted by this jump), and the element waited for it forever (bench:review's sync:
      // players that showed nothing after three seeks, readyState 1, never 'seeked')
      if (this.forceSeek && this.holds(ms)) { this.forceSeek = false; this.seekTo(at); return; }
      if (Math.abs(this.video.currentTime - at) > 0.005) this.seekTo(at);
      return;
    }
    if (this.video.seeking) {
      // seeking to an older position far from the clock (a jump while playing): go to the clock's instead
      if (Math.abs(this.video.currentTime - at) > HARD_DRIFT_S * Math.max(1, rate)) { this.seekTo(at); this.video.playbackRate = rate; }
      return;
    }
    const drift = this.video.currentTime - at;
    if (held) {
      // the clock waits for a slower camera: whoever is ahead waits too, whoever is behind catches up
      if (drift > 0 && !this.video.paused) this.video.pause();
      else if (drift <= 0 && this.video.paused) void this.video.play().catch(() => {});
      return;
    }
    const now = performance.now();
    // far off (a jump, a stalled decoder, the start of the next stretch): seek, then give the decoder time to start
    if (Math.abs(drift) > HARD_DRIFT_S * Math.max(1, rate) && now - this.lastHardSeek > 1500) {
      this.lastHardSeek = now;
      this.seekTo(at);
      this.video.playbackRate = rate;
    } else {
      // close: steer the rate so the picture converges on the clock within about half a second
      const k = Math.abs(drift) > SOFT_DRIFT_S ? Math.max(-0.5, Math.min(0.5, drift * 2)) : 0;
      const want = Math.min(16, Math.max(0.0625, rate * (1 - k)));
      if (Math.abs(this.video.playbackRate - want) > 0.01) this.video.playbackRate = want;
    }
    if (this.video.paused) void this.video.play().catch(() => {});
  }

  private needsList(ms: number): boolean {
    if (this.listing || Date.now() - this.listFailed < 1000) return false; // after a failure: not on every frame
    if (this.relist || ms - LIST_MARGIN_MS < this.listFrom || ms + LIST_MARGIN_MS > this.listTo) return true;
    // near the newest footage while recording goes on: look for new segments now and then
    return this.nextMs === null && ms + LIST_MARGIN_MS > (this.segs.at(-1)?.endMs ?? 0) && Date.now() - this.listedAt > 3000;
  }

  /** Paused and its picture not yet the clock's (a seek under way); never while playing, parked, in a gap or failed. */
  settling(): boolean {
    if (this.playing || this.parked || this.state === 'no-recording' || this.state === 'error') return false;
    const shown = this.shownMs();
    return shown === null || Math.abs(shown - this.target) > 40;
  }

  /** A seek under way whose picture's footage is not appended yet (its first part still being fetched or appended). */
  awaitingFootage(): boolean {
    return this.settling() && !(this.sb !== null && this.holds(this.target));
  }

  /** Paused and the picture at ms not coming: fetch its footage again, or open the player again (seek-recovery.ts). */
  private recover(ms: number): void {
    const shown = this.shownMs();
    const seg = segmentAt(this.segs, ms);
    const { watch, action } = watchSeek(this.watch, {
      nowMs: performance.now(), targetMs: ms,
      expected: !this.parked && this.state !== 'no-recording' && this.state !== 'error',
      shown: shown !== null && Math.abs(shown - ms) <= 40,
      buffered: this.sb !== null && this.holds(ms),
      fetching: seg !== null && this.prefetch?.seg.startMs === seg.startMs,
    });
    this.watch = watch;
    if (action === 'none') return;
    this.recoveries++;
    if (this.trace) (this.trace.recovered ??= []).push(action);
    this.prefetch?.abort.abort();
    this.wake?.done();
    if (action === 'refetch') {
      if (seg) { this.appended.delete(seg.startMs); this.partial.delete(seg.startMs); this.failed.delete(seg.startMs); if (this.tail?.seg.startMs === seg.startMs) this.tail = null; }
      return;
    }
    this.reset();
    this.listing = false; // a list that never answered does not hold the new MediaSource's
    this.lastError = 0;
  }

  /**
   * Opened ahead of being shown (replay's warm-up): the MediaSource open, the segment list, the init segment parsed and
   * the media pipeline with its decoder started (HAVE_METADATA), or nothing to show there. No picture is decoded for it.
   */
  opened(): boolean {
    return this.state === 'no-recording' || this.state === 'error' || (this.sb !== null && this.video.readyState >= 1);
  }

  /** Decoded as a recorded stream (diagnostics). */
  get recordedStream(): boolean { return this.recordedMode; }

  /**
   * Lets go of the MediaSource (kept in the pool, element and all): the next follow opens a new one, asking `recorded`
   * again (the bench's A/B of recorded against live decoding: a decoder's mode is fixed when its MediaSource opens).
   */
  reopen(): void {
    this.prefetch?.abort.abort();
    this.wake?.done();
    this.reset();
    this.listing = false;
    this.liveOnly = false;
    this.video.removeAttribute('src');
    this.video.load();
    this.set('idle', '');
  }

  /** The camera left the grid: stop fetching and decoding, keep the MediaSource, its footage and the decoder. */
  park(): void {
    this.parked = true;
    this.trace = null;
    if (this.standIn) this.endStandIn();
    this.pauseVideo();
    this.prefetch?.abort.abort();
    this.wake?.done();
  }

  /** Stop and let go of the MediaSource and the element (the camera left the grid for good). */
  dispose(): void {
    this.park();
    this.reset();
    this.video.removeAttribute('src');
    this.video.load();
    this.video.remove();
  }

  /** Start tracing a seek to wall time ms (the review view calls it when the operator or the bench jumps). */
  traceSeek(ms: number): void {
    this.trace = { targetMs: ms, busy: this.pumpingFor ? this.pumpStep : 'idle' };
    this.traceAt = performance.now();
  }

  private mark(step: 'seekIssued' | 'seeked' | 'painted'): void {
    if (this.trace && this.trace[step] === undefined) this.trace[step] = performance.now() - this.traceAt;
  }

  /** The trace of the current seek when its target lies in [fromMs, toMs), else null. */
  private traceFor(fromMs: number, toMs: number): SeekTrace | null {
    const t = this.trace;
    return t && t.targetMs >= fromMs && t.targetMs < toMs ? t : null;
  }

  /** Times a step for trace t (first time only; the trace of an older seek is left alone). */
  private async timed<T>(step: 'list' | 'fetch' | 'append' | 'switch', t: SeekTrace | null, run: () => Promise<T>): Promise<T> {
    if (!t || t[step]) return run();
    const at = this.traceAt;
    const a = performance.now() - at;
    try { return await run(); } finally { if (this.trace === t) t[step] = [a, performance.now() - at]; }
  }

  private seekTo(at: number) {
    const s = this.standIn;
    if (s?.upgrading && this.listedStream === 'main' && !this.replaceBuffer && !this.removal) s.mainSeek = true; // the main stream's picture, replacing the stand-in
    this.seekStarted = performance.now();
    this.presented = false;
    this.decodedSince = null;
    this.video.currentTime = at;
    const t = this.trace;
    if (!t || t.seekIssued !== undefined) return;
    this.mark('seekIssued');
    // the first frame the compositor gets at the target (frames of an older seek do not count)
    const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
      if (this.trace !== t) return;
      if (Math.abs(this.baseMs + meta.mediaTime * 1000 - t.targetMs) < 45) this.mark('painted');
      else this.video.requestVideoFrameCallback(onFrame);
    };
    this.video.requestVideoFrameCallback(onFrame);
  }

  private pauseVideo() { if (!this.video.paused) this.video.pause(); }

  private set(state: PlayerState, message: string) {
    if (this.state === state && this.message === message) return;
    this.state = state;
    this.message = message;
    this.changed();
  }

  private reset() {
    this.mediaSource = null;
    this.sb = null;
    this.sbCodec = '';
    this.replaceBuffer = false;
    this.forceSeek = false;
    this.removal = null;
    this.eviction = null; // one on the old SourceBuffer may never end (its source closed)
    this.tail = null;
    this.appended.clear();
    this.partial.clear();
    this.opening = false;
  }

  private open(ms: number) {
    if (this.opening) return;
    this.opening = true;
    this.set('loading', t('review.player.loading'));
    this.baseMs = Math.max(0, Math.floor(ms - BASE_BEFORE_MS));
    const source = new MediaSource();
    this.mediaSource = source;
    this.recordedMode = !this.liveOnly && (this.recorded?.() ?? false);
    this.appended.clear();
    this.partial.clear();
    source.addEventListener('sourceopen', () => {
      if (this.mediaSource !== source) return;
      this.opening = false;
      // open-ended (+Infinity), the live seekable range keeping every instant seekable before it is appended. Whether
      // Chromium decodes it as live (low-delay: a seek done once its picture is decoded, every player's decoding on the
      // renderer's one media thread) or as recorded (frame threads; a seek done with a few frames after its picture:
      // RECORDED_PREROLL_S) follows the first init segment's duration, not this one (markRecorded)
      source.duration = Infinity;
      source.setLiveSeekableRange(0, (Date.now() - this.baseMs) / 1000 + 86_400);
      void this.list(this.target);
    }, { once: true });
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = URL.createObjectURL(source);
    this.video.src = this.objectUrl;
  }

  private async list(ms: number): Promise<void> {
    if (this.listing) return;
    this.listing = true;
    const fromMs = Math.max(0, Math.round(ms - LIST_BEFORE_MS));
    const toMs = Math.round(ms + LIST_AFTER_MS);
    // a progressive seek's stand-in: the sub-stream until its picture is shown and the grid settled
    const stream: StreamProfile = this.standIn && !this.standIn.upgrading ? 'sub' : this.wantStream;
    this.listingStream = stream;
    this.relist = false;
    try {
      const r = await this.timed('list', this.traceFor(fromMs, toMs), () => this.footage.segments(this.cameraId, fromMs, toMs, stream));
      const listed = r.stream ?? 'main';
      // no sub-stream here (an imported package, a camera without one, a gap in its recording): main at once
      if (stream === 'sub' && listed !== 'sub' && this.standIn && !this.standIn.upgrading) this.standIn = null;
      if (this.listedStream !== null && listed !== this.listedStream) this.switchStream();
      this.listedStream = listed;
      this.segs = r.segments;
      this.nextMs = r.nextMs;
      this.listFrom = fromMs;
      // the answer is capped at 256 segments (about 17 minutes): the list covers up to its last one then
      this.listTo = r.segments.length >= 256 ? (r.segments.at(-1) as PlaybackSegment).endMs : toMs;
      this.listedAt = Date.now();
      // paused (a seek, a step): seek the element now rather than on the next animation frame
      if (!this.playing) this.follow(this.target, false, this.rate); else void this.pump();
    } catch (err) {
      this.listFailed = Date.now();
      this.set('error', err instanceof Error ? err.message : String(err));
    } finally {
      this.listing = false;
    }
  }

  /**
   * The listed stream changed (the tile was maximised or restored, or the sub-stream does not cover this stretch):
   * what is buffered or being fetched is the other stream's. The pump removes it before its next append and the element
   * is seeked to the clock once the new picture is in: the same moment in the other stream, on the same MediaSource.
   */
  private switchStream(): void {
    // a progressive seek's change to its stand-in is not a change of the tile's stream (standIn in the trace says it)
    const to: StreamProfile = this.listedStream === 'main' ? 'sub' : 'main';
    if (this.trace && this.listedStream && !(this.standIn && !this.standIn.upgrading && to === 'sub')) (this.trace.switched ??= []).push([Math.round(performance.now() - this.traceAt), to]);
    this.prefetch?.abort.abort();
    this.wake?.done();
    this.appended.clear();
    this.partial.clear();
    this.failed.clear();
    this.tail = null;
    if (this.sb) this.replaceBuffer = true;
  }

  /** What the pump awaits now (SeekTrace.busy). */
  private pumpStep: PumpStep = 'idle';
  /** The eviction under way (evict): it runs beside the pump, which a seek sends on to the seek's footage. */
  private eviction: Promise<void> | null = null;
  /**
   * A paused seek's first part cut after its picture (fragment-cut.ts): the rest of its GOP, appended after every tile's
   * picture, or at once when the clock moves into it (a frame step). It counts as held (holds): the picture one frame on
   * is coming with it, not from a new seek's fetch. `fromMs`/`toMs`: its wall-time span.
   */
  private tail: { seg: PlaybackSegment; sb: SourceBuffer; bytes: Uint8Array; fromMs: number; toMs: number; after: number } | null = null;
  /** Appends begun on this player (a tail continues only the append right before it). */
  private appends = 0;
  /** The append under way of footage no seek waits for (a segment's rest or a whole one): a seek elsewhere aborts it. */
  private restAppend: { seg: PlaybackSegment; sb: SourceBuffer; targetMs: number } | null = null;

  /** Appends what the plan wants, one segment at a time, most urgent first; evicts what is far from the playhead. */
  private async pump(): Promise<void> {
    if (!this.mediaSource || this.pumpingFor === this.mediaSource || this.mediaSource.readyState !== 'open') return;
    const source = this.mediaSource;
    this.pumpingFor = source;
    try {
      for (;;) {
        if (this.mediaSource !== source || source.readyState !== 'open' || this.parked) return;
        if (this.replaceBuffer && this.sb) {
          const sb = this.sb;
          this.replaceBuffer = false;
          const removal: { sb: SourceBuffer; done: Promise<void> } = { sb, done: Promise.resolve() };
          this.removal = removal;
          removal.done = (async () => {
            await this.free(sb);
            try {
              if (sb.buffered.length) await new Promise<void>((r) => { sb.addEventListener('updateend', () => r(), { once: true }); sb.remove(0, Infinity); });
            } catch { /* the source closed meanwhile: reset() drops this removal */ }
            if (this.removal !== removal) return;
            this.removal = null;
            this.forceSeek = true; // only now: a seek before the removal decodes the other stream's picture again
          })();
          // an append of the other stream that was on its way at the switch marked its segment: forget it (nothing of the
          // new stream is appended before the removal is done: the pump awaits it before its next append)
          this.appended.clear();
          this.partial.clear();
          continue;
        }
        if (this.tail) { await this.appendTail(this.tail); continue; }
        // a progressive seek's stand-in needs its picture's footage alone (the main stream's replaces it); unless its
        // seek needs more than that part brought (a picture in the part's last frames: the seek completes only with a
        // few frames after it, as below)
        if (this.standIn && !this.standIn.upgrading && this.listedStream === 'sub' && !this.replaceBuffer && this.holds(this.target) && !(this.video.seeking && this.bufferedAhead() < 0.2)) return;
        // a list of the other stream on its way (a seek that changed the tile's size): nothing of this one is fetched
        // (its part went in the seek's batch, 400 KB of main footage dropped at the switch, delaying every tile's part);
        // the list's answer starts the pump again
        if (this.listing && this.listedStream !== null && this.listingStream !== this.listedStream) return;
        let plan = planBuffer(this.segs, this.target, this.rate, this.playing);
        // nothing near the playhead: prepare the next footage along the direction so playing into it starts at once
        if (plan.want.length === 0) {
          const next = this.rate < 0 && this.playing ? [...this.segs].reverse().find((x) => x.endMs <= this.target) : this.segs.find((x) => x.startMs > this.target);
          if (next && Math.abs(next.startMs - this.target) < 30_000) plan = planBuffer(this.segs, this.rate < 0 && this.playing ? next.endMs - 1 : next.startMs, this.rate, this.playing);
        }
        const now = Date.now();
        const seg = plan.want.find((s) => !this.appended.has(s.startMs) && now - (this.failed.get(s.startMs) ?? 0) > 5000);
        if (!seg) {
          // a recorded stream's seek into the last frames before a gap never completes (no frames after it will come):
          // this player opens a live MediaSource instead, at the same moment (low-delay: the picture alone completes it)
          const here = segmentAt(this.segs, this.target);
          if (this.prerollShort() && here && this.appended.has(here.startMs) && !continues(this.segs, here)) { this.liveOnly = true; this.reset(); this.lastError = 0; }
          return;
        }
        const traced = this.traceFor(seg.startMs - 20, seg.endMs + 20);
        // the segment under the playhead comes in two parts: the GOP holding the picture first, the rest after
        const gopAt = this.partial.get(seg.startMs);
        const firstPart = gopAt === undefined && seg === plan.want[0] && segmentAt(this.segs, this.target) === seg ? Math.max(0, Math.round(this.target - seg.startMs)) : null;
        const url = gopAt !== undefined ? `${seg.url}?rest=${gopAt}` : firstPart !== null ? `${seg.url}?at=${firstPart}` : seg.url;
        if (firstPart === null && this.quietFor !== this.target && this.holds(this.target) && !this.prerollShort()) { // footage the picture does not need: after every tile's seek
          const t = this.target;
          this.pumpStep = 'yield';
          await this.yieldToSeeks();
          if (this.target !== t) continue;
        }
        this.pumpStep = firstPart !== null ? 'fetch' : 'fetch-rest';
        let bytes = await this.timed('fetch', traced, () => this.fetchSegment(seg, url));
        if (traced && bytes && traced.bytes === undefined) traced.bytes = bytes.length;
        if (!bytes || this.mediaSource !== source || source.readyState !== 'open') continue;
        // the new stream's part is in: the other stream's footage must be gone before it is appended
        this.pumpStep = 'switch';
        const removal = this.removal;
        if (removal && removal.sb === this.sb) await this.timed('switch', traced, () => removal.done);
        if (this.mediaSource !== source || source.readyState !== 'open') continue;
        const found = codecOf(bytes);
        if (!this.sb || (found && found !== this.sbCodec)) {
          const codec = found ?? 'avc1.640028';
          const type = `video/mp4; codecs="${codec}"`;
          if (!MediaSource.isTypeSupported(type)) { this.set('error', t('review.player.codec', { codec })); this.lastError = Date.now(); return; }
          if (!this.sb) { this.sb = source.addSourceBuffer(type); this.sb.mode = 'segments'; }
          else { await this.free(this.sb); this.sb.changeType(type); } // the other stream's profile or level
          this.sbCodec = codec;
        }
        // every part carries the init segment (the first one decides): recorded decoding only when asked for, live otherwise
        if (this.recordedMode) markRecorded(bytes); else markLive(bytes);
        // a paused seek's part, decoded live: the picture alone completes the seek, the frames after it wait (fragment-cut.ts)
        const cut = firstPart !== null && !this.playing && !this.recordedMode ? cutAfterPicture(bytes, (Math.min(Math.max(this.target, seg.startMs), seg.endMs - 1) - seg.startMs) / 1000) : null;
        if (cut) bytes = cut.head;
        try {
          this.pumpStep = firstPart !== null ? 'append' : 'append-rest';
          const sb = this.sb;
          if (firstPart === null && sb) this.restAppend = { seg, sb, targetMs: this.target };
          if (bytes.length) await this.timed('append', traced, () => this.append(bytes, (seg.startMs - this.baseMs) / 1000, this.windowEndS(seg)));
          if (firstPart !== null) {
            this.partial.set(seg.startMs, firstPart);
            if (cut && sb && this.sb === sb) this.tail = { seg, sb, bytes: cut.tail, fromMs: seg.startMs + cut.tailFromS * 1000, toMs: seg.startMs + cut.tailToS * 1000, after: this.appends };
          } else { this.appended.add(seg.startMs); this.partial.delete(seg.startMs); }
        } catch (err) {
          // abandoned for a seek elsewhere (follow): not a failure; what it appended stays, the rest is asked again later
          if ((err as DOMException).name === 'AbortError') continue;
          if ((err as DOMException).name === 'QuotaExceededError') { await this.evict(this.target - 4000, this.target + 8000); }
          this.failed.set(seg.startMs, Date.now());
        } finally {
          this.restAppend = null;
        }
        // a seek's picture is decoded before anything else is fetched, appended or evicted (2 cores: the decoder
        // first); unless it needs more footage than the append brought (its picture at the very end of it)
        this.pumpStep = 'decode';
        if (this.video.seeking && this.bufferedAhead() >= (this.recordedMode ? RECORDED_PREROLL_S : 0.2)) await this.seeked(1000);
        // and every other tile's picture before this one's prefetch and clean-up (unless this one's seek needs more)
        this.pumpStep = 'yield';
        const was = this.target;
        if (!this.prerollShort()) await this.yieldToSeeks();
        // a new seek meanwhile: its picture's footage first, the clean-up on a later round
        if (this.target !== was && !this.playing) continue;
        // evict after the urgent append, not before: a seek's picture does not wait for the clean-up. A seek during
        // the eviction fetches its picture's footage at once, in the seek's batch (it waited up to 220 ms for a removal
        // to end, then fetched alone); its append waits for the removal
        this.pumpStep = 'evict';
        if (!this.eviction) {
          const eviction = this.evict(plan.keepFromMs, plan.keepToMs).finally(() => { if (this.eviction === eviction) this.eviction = null; });
          this.eviction = eviction;
        }
        await Promise.race([this.eviction, this.nextMove()]);
      }
    } finally {
      if (this.pumpingFor === source) { this.pumpingFor = null; this.pumpStep = 'idle'; }
    }
  }

  /**
   * A cut seek part's rest (this.tail): appended once this tile's and every other tile's picture is shown, at once when
   * the clock is in it or playing. Dropped when the clock left it for footage not held (a seek elsewhere: that seek's
   * part first), or when anything else was appended since its head (its frames continue the head's decoding only);
   * the segment is then fetched whole later, its GOP appended again.
   */
  private async appendTail(tail: NonNullable<ReviewPlayer['tail']>): Promise<void> {
    if (tail.sb !== this.sb || tail.after !== this.appends || !this.holds(this.target)) { this.tail = null; this.partial.delete(tail.seg.startMs); return; }
    if (!this.playing && this.target < tail.fromMs) {
      const t = this.target;
      this.pumpStep = 'decode';
      if (this.video.seeking) await this.seeked(1000);
      this.pumpStep = 'yield';
      if (this.target === t) await this.yieldToSeeks();
      if (this.target !== t || this.tail !== tail) return;
    }
    if (tail.after !== this.appends) return; // appended meanwhile: dropped on the next look
    this.tail = null;
    this.pumpStep = 'append-rest';
    try {
      await this.append(tail.bytes, (tail.seg.startMs - this.baseMs) / 1000, this.windowEndS(tail.seg), true);
    } catch {
      this.partial.delete(tail.seg.startMs); // aborted or failed: the segment is fetched whole
    }
  }

  private async fetchSegment(seg: PlaybackSegment, url: string): Promise<Uint8Array | null> {
    // fetched abortably: a seek elsewhere must not queue behind it (Chromium has 6 connections to the host for 16 players)
    const abort = new AbortController();
    this.prefetch = { seg, abort };
    try {
      return await this.load(url, abort.signal);
    } catch {
      if (abort.signal.aborted) return null;
      // deleted by retention since the list was made, or the host went away: list again before retrying
      this.failed.set(seg.startMs, Date.now());
      this.listFrom = this.listTo = 0;
      return null;
    } finally {
      if (this.prefetch?.abort === abort) this.prefetch = null;
    }
  }

  /** The picture at wall time ms is appended, or comes with the tail of a cut part appended right after (appendTail). */
  private holds(ms: number): boolean {
    const tail = this.tail;
    if (tail && tail.sb === this.sb && ms >= tail.fromMs && ms < tail.toMs) return true;
    const b = this.video.buffered;
    const t = (ms - this.baseMs) / 1000;
    for (let i = 0; i < b.length; i++) if (t >= b.start(i) && t < b.end(i)) return true;
    return false;
  }

  /**
   * appendWindowEnd for seg in media seconds: appendWindowEndMs with the buffered ranges' starts (the next segment's
   * first frame when it is appended already). Whole microseconds plus 0.4 (Chromium keeps time in microseconds,
   * rounded or truncated): a window at a buffered start must not end a microsecond past it.
   */
  private windowEndS(seg: PlaybackSegment): number {
    const b = this.sb?.buffered;
    const starts = b ? Array.from({ length: b.length }, (_, i) => this.baseMs + b.start(i) * 1000) : [];
    const endMs = appendWindowEndMs(this.segs, seg, starts);
    return Number.isFinite(endMs) ? (Math.round((endMs - this.baseMs) * 1000) + 0.4) / 1e6 : Infinity;
  }

  /** Seconds of buffered video from the current position on (0 when the position is not buffered). */
  private bufferedAhead(): number {
    const b = this.video.buffered;
    const t = this.video.currentTime;
    for (let i = 0; i < b.length; i++) if (t >= b.start(i) - 0.001 && t < b.end(i)) return b.end(i) - t;
    return 0;
  }

  /** A recorded stream's seek that cannot complete with the footage appended: too little after the picture (RECORDED_PREROLL_S). */
  private prerollShort(): boolean {
    return this.recordedMode && this.video.seeking && this.bufferedAhead() < RECORDED_PREROLL_S;
  }

  /** Resolves when the element has sought, the playhead moved on (wake) or after timeoutMs. */
  private seeked(timeoutMs: number): Promise<void> {
    return new Promise((r) => {
      const done = () => { clearTimeout(timer); this.video.removeEventListener('seeked', done); this.wake = null; r(); };
      const timer = setTimeout(done, timeoutMs);
      this.video.addEventListener('seeked', done, { once: true });
      this.wake = { targetMs: this.target, done };
    });
  }

  /**
   * Paused after a seek: waits (once per position, at most 3 s) until no other player of the grid is settling, the
   * playhead moves, or this one is parked or played. Never while this one's own picture is not appended: its footage
   * is what the wait protects (a player whose first part missed the target waited 3 s for itself).
   */
  private yieldToSeeks(): Promise<void> {
    const target = this.target;
    if (this.playing || this.quietFor === target || !this.holds(target) || !this.othersSettling?.()) return Promise.resolve();
    this.quietFor = target;
    const until = performance.now() + 3000;
    return new Promise((r) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const end = () => { clearTimeout(timer); if (this.unyield === end) this.unyield = null; r(); };
      const poll = () => {
        if (!this.othersSettling?.() || this.target !== target || this.parked || this.playing || performance.now() > until) end();
        else timer = setTimeout(poll, 30);
      };
      this.unyield = end; // a seek ends the wait at once (follow), not at the next poll
      poll();
    });
  }

  /** Ends a yieldToSeeks wait under way. */
  private unyield: (() => void) | null = null;

  private idle(sb: SourceBuffer): Promise<void> {
    return sb.updating ? new Promise((r) => sb.addEventListener('updateend', () => r(), { once: true })) : Promise.resolve();
  }

  /**
   * Until sb is free for the caller's next operation, which the caller starts in the same task: an eviction runs beside
   * the pump (pump), so two waiters may wake at one `updateend`, and the second finds the first's operation under way.
   */
  private async free(sb: SourceBuffer): Promise<void> {
    while (sb.updating) await this.idle(sb);
  }

  /** Resolved when the clock moves to another position (follow): a wait of the pump that a seek ends. */
  private moved: { done: Promise<void>; resolve(): void } | null = null;

  private nextMove(): Promise<void> {
    if (!this.moved) {
      let resolve = () => {};
      const done = new Promise<void>((r) => { resolve = r; });
      this.moved = { done, resolve };
    }
    return this.moved.done;
  }

  /**
   * Appends a segment (or a part of one) at media time offsetS; frames ending after endS are dropped (appendEndMs).
   * `continuing`: the rest of the previous append (a cut part's tail), whose first frame is not a key frame: no abort()
   * before it, which would make MSE drop every frame up to the next key frame (its "need random access point" flag).
   */
  private async append(bytes: Uint8Array, offsetS: number, endS: number, continuing = false): Promise<void> {
    const sb = this.sb as SourceBuffer;
    await this.free(sb);
    this.appends++;
    if (!continuing) {
      sb.abort(); // a segment cut short by a crash may end mid-fragment: start the next append clean (and the window open)
      sb.timestampOffset = offsetS;
    }
    if (Number.isFinite(endS) && endS > offsetS) sb.appendWindowEnd = endS;
    await new Promise<void>((resolve, reject) => {
      const off = () => { sb.removeEventListener('updateend', done); sb.removeEventListener('error', fail); sb.removeEventListener('abort', aborted); };
      const done = () => { off(); resolve(); };
      const fail = () => { off(); reject(new DOMException('append failed', 'AppendError')); };
      // abort() fires 'abort' before 'updateend': the append did not complete
      const aborted = () => { off(); reject(new DOMException('append aborted', 'AbortError')); };
      sb.addEventListener('updateend', done, { once: true });
      sb.addEventListener('error', fail, { once: true });
      sb.addEventListener('abort', aborted, { once: true });
      try { sb.appendBuffer(bytes as Uint8Array<ArrayBuffer>); } catch (err) { off(); reject(err as Error); }
    });
  }

  /**
   * Removes the footage outside [fromMs, toMs]. It runs beside the pump (a seek meanwhile fetches and appends its
   * picture's footage): each cut is taken where the clock is when it starts, so it never removes what the clock's
   * position keeps now (evictCut), and only the marks of the segments it removed are forgotten.
   */
  private async evict(fromMs: number, toMs: number): Promise<void> {
    const sb = this.sb;
    if (!sb) return;
    try {
      for (const side of ['before', 'after'] as const) {
        await this.free(sb);
        if (this.sb !== sb || sb.buffered.length === 0) return;
        const buffered = [this.baseMs + sb.buffered.start(0) * 1000, this.baseMs + sb.buffered.end(sb.buffered.length - 1) * 1000] as const;
        const now = planBuffer(this.segs, this.target, this.rate, this.playing);
        const cut = evictCut(side, [fromMs, toMs], [now.keepFromMs, now.keepToMs], buffered, this.baseMs);
        if (!cut) continue;
        const [a, b] = cut;
        for (const s of [...this.appended, ...this.partial.keys()]) {
          const seg = this.segs.find((x) => x.startMs === s);
          if (!seg || (seg.endMs + JOIN_MS > a && seg.startMs - JOIN_MS < b)) { this.appended.delete(s); this.partial.delete(s); if (this.tail?.seg.startMs === s) this.tail = null; }
        }
        await new Promise<void>((r) => { sb.addEventListener('updateend', () => r(), { once: true }); sb.remove((a - this.baseMs) / 1000, (b - this.baseMs) / 1000); });
      }
    } catch { /* the source closed or was reset meanwhile: nothing left to clean */ }
  }

}
