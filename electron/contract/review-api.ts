/**
 * Recording, review and evidence export's part of the contract (issue 4). Merged into api.ts.
 * Times are epoch milliseconds (UTC); durations milliseconds.
 */
import { z } from 'zod';
import { CameraId, StreamProfile } from './schemas.js';

const Ok = z.object({ ok: z.literal(true) });
const Empty = z.object({}).strict();
const EpochMs = z.number().int().min(0).max(8.64e15);
const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

export const RecordingMode = z.enum(['off', 'continuous', 'event']);
export type RecordingMode = z.infer<typeof RecordingMode>;

/** How one camera records. Event mode keeps preMs before and postMs after every trigger. */
export const CameraRecording = z.object({
  cameraId: CameraId,
  mode: RecordingMode,
  preMs: z.number().int().min(0).max(300_000).default(10_000),
  postMs: z.number().int().min(0).max(3_600_000).default(30_000),
  /**
   * Also record the camera's sub-stream (remuxed like the main one, in its own index) for small review tiles; unset means
   * on. Ignored for a camera without a sub-stream URL. Export and incident packages always take the main stream.
   */
  subStream: z.boolean().optional(),
});
export type CameraRecording = z.infer<typeof CameraRecording>;

/** Retention: oldest first by age and by disk quota; evidence-locked ranges are never deleted. */
export const RetentionSettings = z.object({
  maxAgeDays: z.number().min(0.001).max(3650),
  /** Bytes the recordings may use; 0 = no quota (free disk space is still guarded). */
  quotaBytes: z.number().int().min(0),
  /** Keep at least this much of the disk free (bytes). */
  minFreeBytes: z.number().int().min(0),
});
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const RecordingStatus = z.object({
  cameraId: CameraId,
  mode: RecordingMode,
  /** off | starting (waiting for the first segment) | recording | error (branch failed; the wall goes on). */
  state: z.enum(['off', 'starting', 'recording', 'error']),
  message: z.string().optional(),
  lastSegmentEndMs: EpochMs.nullable(),
  bytes: z.number().int().min(0),
  segments: z.number().int().min(0),
  /**
   * The sub-stream's recording beside the main one (absent when it is not recorded): its own state (its failure never
   * stops the main recording), its segments and bytes (`bytes`/`segments` above are the main stream's; the quota covers both).
   */
  sub: z.object({
    state: z.enum(['starting', 'recording', 'error']),
    message: z.string().optional(),
    bytes: z.number().int().min(0),
    segments: z.number().int().min(0),
  }).optional(),
});
export type RecordingStatus = z.infer<typeof RecordingStatus>;

export const SegmentStatus = z.enum(['ok', 'partial', 'corrupt']);
/** A stretch of the timeline: recorded footage or a gap (no footage: camera down, recording off). */
export const TimelineSpan = z.object({ startMs: EpochMs, endMs: EpochMs, kind: z.enum(['recorded', 'gap', 'corrupt']) });
export type TimelineSpan = z.infer<typeof TimelineSpan>;

/** Something at a moment of a camera's timeline. Alarms and motion are fed by the event store (issue 3). */
export const TimelineMarker = z.object({
  id: z.string(),
  cameraId: CameraId,
  /** action: an operator action recorded by the console journal (incident replay). */
  kind: z.enum(['bookmark', 'alarm', 'motion', 'lock', 'action']),
  atMs: EpochMs,
  endMs: EpochMs.optional(),
  text: z.string().max(2000).optional(),
});
export type TimelineMarker = z.infer<typeof TimelineMarker>;

export const CameraTimeline = z.object({ cameraId: CameraId, spans: z.array(TimelineSpan), markers: z.array(TimelineMarker) });
export type CameraTimeline = z.infer<typeof CameraTimeline>;

export const Bookmark = z.object({
  id: Id, cameraId: CameraId, atMs: EpochMs, endMs: EpochMs.optional(),
  comment: z.string().trim().max(2000), by: z.string().max(200), createdAt: EpochMs,
});
export type Bookmark = z.infer<typeof Bookmark>;

export const EvidenceLock = z.object({
  id: Id, cameraIds: z.array(CameraId).min(1).max(64), fromMs: EpochMs, toMs: EpochMs,
  reason: z.string().trim().min(1).max(2000), by: z.string().max(200), createdAt: EpochMs,
});
export type EvidenceLock = z.infer<typeof EvidenceLock>;

/**
 * `original`: the camera's stream remuxed, not re-encoded (the evidence); `burn-in`: a re-encoded copy with text and boxes
 * drawn in; `masked`: a camera with privacy masks, re-encoded with the masks burned in (its original is left out unless
 * the export is unmasked; docs/masks.md).
 */
export const ExportFileKind = z.enum(['original', 'burn-in', 'masked']);
export const ExportFile = z.object({ cameraId: CameraId, file: z.string(), bytes: z.number().int(), startMs: EpochMs, endMs: EpochMs, sha256: z.string(), kind: ExportFileKind });

/** Optional burn-in: a re-encoded copy of every file with the time stamp, an operator watermark and event boxes drawn in. */
export const BurnIn = z.object({
  timestamp: z.boolean().default(true),
  /** Text drawn across the picture (who exported, for whom); empty = none. */
  watermark: z.string().trim().max(200).default(''),
  /** Boxes of analytics events (the event store) on the frames they were seen on. */
  overlays: z.boolean().default(true),
});
export type BurnIn = z.infer<typeof BurnIn>;
export const ExportResult = z.object({
  id: Id, dir: z.string(), files: z.array(ExportFile), gaps: z.array(z.object({ cameraId: CameraId, startMs: EpochMs, endMs: EpochMs })),
  tookMs: z.number(), footageMs: z.number(),
  /** Diagnostics only: where the time went (ms, summed over parallel work): remux, hashing, burn-in encoding, manifest and signature. */
  profile: z.object({ remuxMs: z.number(), hashMs: z.number(), encodeMs: z.number(), signMs: z.number() }).optional(),
});
export type ExportResult = z.infer<typeof ExportResult>;

export const VerifyResult = z.object({ ok: z.boolean(), problems: z.array(z.string()), files: z.number().int(), signedBy: z.string().nullable() });
export type VerifyResult = z.infer<typeof VerifyResult>;

export const ExportProgress = z.object({ id: Id, cameraId: CameraId.nullable(), done: z.number().min(0).max(1), stage: z.enum(['remux', 'encode', 'hash', 'sign', 'done', 'error', 'cancelled']), message: z.string().optional() });
export type ExportProgress = z.infer<typeof ExportProgress>;

/** A playable window of one camera's recording, served over HTTP (token in the URL, Range supported). */
export const PlaybackClip = z.object({
  cameraId: CameraId, url: z.string(), startMs: EpochMs, endMs: EpochMs,
  /** Recorded spans inside the clip on the clip's own clock (ms from its start), for gap-aware seeking. */
  spans: z.array(z.object({ clipMs: z.number(), startMs: EpochMs, endMs: EpochMs })),
});
export type PlaybackClip = z.infer<typeof PlaybackClip>;

/** One recorded segment as the player fetches it: a fragmented MP4 file (init + 1-second fragments), no remux. */
export const PlaybackSegment = z.object({ startMs: EpochMs, endMs: EpochMs, url: z.string(), bytes: z.number().int().min(0) });
export type PlaybackSegment = z.infer<typeof PlaybackSegment>;

const Range = { fromMs: EpochMs, toMs: EpochMs };

export const reviewRequests = {
  'recording.status': { params: Empty, result: z.array(RecordingStatus) },
  'recording.configure': { params: CameraRecording, result: RecordingStatus },
  'recording.retention': { params: z.object({ retention: RetentionSettings.optional() }), result: RetentionSettings },
  /** Event-triggered cameras keep [atMs - pre, atMs + post]; the alarm work (issue 3) calls this too. */
  'recording.trigger': { params: z.object({ cameraId: CameraId, atMs: EpochMs.optional(), reason: z.string().max(200).default('manual') }), result: Ok },
  'recording.rebuildIndex': { params: Empty, result: z.object({ segments: z.number().int(), corrupt: z.number().int(), tookMs: z.number() }) },
  'recording.timeline': { params: z.object({ cameraIds: z.array(CameraId).min(1).max(64), ...Range }), result: z.array(CameraTimeline) },
  'playback.clip': { params: z.object({ cameraId: CameraId, atMs: EpochMs, windowMs: z.number().int().min(10_000).max(3_600_000).default(120_000) }), result: PlaybackClip },
  /**
   * The recorded segments of one camera overlapping [fromMs, toMs) (corrupt ones left out), for the MSE player. `stream`:
   * the stream the tile wants (`sub` for a small tile); the answer's `stream` is the one listed: the sub-stream only
   * when its recording covers that range as the main one does (recordedStreamFor), else the main stream.
   */
  'playback.segments': {
    params: z.object({ cameraId: CameraId, ...Range, stream: StreamProfile.default('main') }),
    result: z.object({
      cameraId: CameraId, segments: z.array(PlaybackSegment), /** start of the first segment at or after toMs, if any */ nextMs: EpochMs.nullable(),
      /** Which stream the segments are of (absent: main, as an imported package's footage always is). */
      stream: StreamProfile.optional(),
    }),
  },
  'bookmarks.list': { params: z.object({ cameraIds: z.array(CameraId).max(64).optional(), ...Range }), result: z.array(Bookmark) },
  'bookmarks.add': { params: z.object({ cameraId: CameraId, atMs: EpochMs, endMs: EpochMs.optional(), comment: z.string().trim().max(2000), by: z.string().max(200).default('operator') }), result: Bookmark },
  'bookmarks.remove': { params: z.object({ id: Id }), result: Ok },
  'evidence.locks': { params: Empty, result: z.array(EvidenceLock) },
  'evidence.lock': { params: z.object({ cameraIds: z.array(CameraId).min(1).max(64), ...Range, reason: z.string().trim().min(1).max(2000), by: z.string().max(200).default('operator') }), result: EvidenceLock },
  'evidence.unlock': { params: z.object({ id: Id }), result: Ok },
  'export.create': {
    params: z.object({
      cameraIds: z.array(CameraId).min(1).max(64), ...Range, reason: z.string().trim().min(1).max(2000), by: z.string().trim().min(1).max(200),
      /** Chosen by the caller so it can follow progress and cancel; generated when absent. */
      id: Id.optional(),
      burnIn: BurnIn.optional(),
      /** Leave privacy masks off (the originals in the clear): needs the right exportUnmasked on every camera; audited. */
      unmasked: z.boolean().optional(),
    }),
    result: ExportResult,
  },
  /** Stops a running export; its folder is removed (a partial export must not look like evidence). */
  'export.cancel': { params: z.object({ id: Id }), result: z.object({ cancelled: z.boolean() }) },
  'export.verify': { params: z.object({ id: Id }), result: VerifyResult },
} as const;

export const reviewEvents = {
  'recording.status': RecordingStatus,
  'export.progress': ExportProgress,
} as const;
