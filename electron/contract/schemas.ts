/**
 * Data that crosses the bridge between host and renderer. Every payload is validated with these
 * schemas on the receiving side (host validates requests, renderer trusts host replies but the
 * web shell still parses them). Pure module: no Node, no DOM, no Electron.
 */
import { z } from 'zod';
import { ErrorReason } from './api-errors.js';
import { savedName, typedName, typedText, withoutUnsafeChars } from './names.js';
import { DecisionStep } from './stream-choice.js';

/** Identifier of a camera: lowercase slug, stable across restarts and exports. */
export const CameraId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'camera id: 1-64 of a-z 0-9 _ -');
export type CameraId = z.infer<typeof CameraId>;

export const CameraKind = z.enum(['fixed', 'ptz', 'drone', 'robot', 'body']);
export type CameraKind = z.infer<typeof CameraKind>;

/** WGS84 position; heading in degrees clockwise from north, fov in degrees. */
export const GeoPosition = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  heading: z.number().min(0).max(360).optional(),
  fov: z.number().min(1).max(360).optional(),
  /** How far the camera usefully sees, metres (its cone's length on the map; unset: the map's default, 60 m). */
  rangeM: z.number().min(1).max(10_000).optional(),
});
export type GeoPosition = z.infer<typeof GeoPosition>;

/** A point of a motion mask, in normalised picture coordinates (0..1 from the top-left corner). */
export const MotionPoint = z.object({
  x: z.number().min(0, 'mask points: x must be between 0 and 1').max(1, 'mask points: x must be between 0 and 1'),
  y: z.number().min(0, 'mask points: y must be between 0 and 1').max(1, 'mask points: y must be between 0 and 1'),
});

/** Twice the signed area of a polygon (shoelace); 0 for a line or a point. */
export function polygonArea2(points: readonly { x: number; y: number }[]): number {
  let a = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) a += points[j]!.x * points[i]!.y - points[i]!.x * points[j]!.y;
  return a;
}

/** A polygon the motion detector ignores (a tree in the wind, a busy road outside the area of interest). */
export const MotionMask = z.array(MotionPoint)
  .min(3, 'a mask polygon needs at least 3 points').max(64, 'a mask polygon has at most 64 points')
  .refine((pts) => Math.abs(polygonArea2(pts)) >= 2e-6, 'a mask polygon must enclose an area (its points are on one line)');

/**
 * Built-in motion detection of one camera (media worker, docs/alarms.md "Motion detection"): on/off, sensitivity
 * 1 (only large, strong changes) to 100 (every small change), and masks where motion is ignored.
 */
export const MotionSettings = z.object({
  enabled: z.boolean().default(false),
  sensitivity: z.number().int('motion sensitivity must be a whole number')
    .min(1, 'motion sensitivity must be from 1 to 100').max(100, 'motion sensitivity must be from 1 to 100').default(50),
  masks: z.array(MotionMask).max(16, 'at most 16 motion masks').default([]),
});
export type MotionSettings = z.infer<typeof MotionSettings>;
/** What a media worker's motion detector runs with: the settings without the on/off switch. */
export type MotionConfig = Pick<MotionSettings, 'sensitivity' | 'masks'>;

/**
 * How a Frigate installation's camera feeds this camera (docs/events.md "Frigate"): the Frigate camera names
 * (`front_door`), and Frigate's detect resolution, whose pixels Frigate's boxes are in. Without a size the probed
 * sub-stream (else main stream) size is used.
 */
export const FrigateSettings = z.object({
  names: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Frigate camera name: 1-64 of A-Z a-z 0-9 _ -')).max(8, 'at most 8 Frigate camera names').default([]),
  detectWidth: z.number().int('detect width: a whole number of pixels').min(16, 'detect width: 16 to 8192 pixels').max(8192, 'detect width: 16 to 8192 pixels').optional(),
  detectHeight: z.number().int('detect height: a whole number of pixels').min(16, 'detect height: 16 to 8192 pixels').max(8192, 'detect height: 16 to 8192 pixels').optional(),
}).refine((f) => (f.detectWidth === undefined) === (f.detectHeight === undefined), 'Frigate detect size: give both width and height, or neither');
export type FrigateSettings = z.infer<typeof FrigateSettings>;

type Sized = { ok: boolean; width?: number | undefined; height?: number | undefined } | undefined;
/** The size Frigate's boxes are pixels of: the setting, else the probed sub-stream (Frigate's advice: detect on it), else the main stream. */
export function frigateDetectSize(c: { frigate?: { detectWidth?: number | undefined; detectHeight?: number | undefined } | undefined; probe?: { main?: Sized; sub?: Sized } | undefined }):
  { width: number; height: number; from: 'setting' | 'sub-stream probe' | 'main-stream probe' } | null {
  const f = c.frigate;
  if (f?.detectWidth && f.detectHeight) return { width: f.detectWidth, height: f.detectHeight, from: 'setting' };
  for (const [p, from] of [[c.probe?.sub, 'sub-stream probe'], [c.probe?.main, 'main-stream probe']] as const) {
    if (p?.ok && p.width && p.height) return { width: p.width, height: p.height, from };
  }
  return null;
}

/** What the operator types when adding or editing a camera. Password is write-only. */
export const CameraInput = z.object({
  id: CameraId.optional(),
  name: typedName('name'),
  mainUrl: z.string().min(1, 'main stream URL is required').max(2048),
  subUrl: z.string().max(2048).optional(),
  username: z.string().max(256).optional(),
  password: z.string().max(256).optional(),
  kind: CameraKind.default('fixed'),
  group: typedText('group').optional(),
  tags: z.array(typedText('tag', 64)).max(32).default([]),
  location: GeoPosition.optional(),
  /** Omitted on an edit: the camera keeps its motion settings. */
  motion: MotionSettings.optional(),
  /** Omitted on an edit: the camera keeps its Frigate settings; no names and no size clear them. */
  frigate: FrigateSettings.optional(),
});
export type CameraInput = z.input<typeof CameraInput>;

/** Codec facts found by probing a stream (ffprobe). */
export const ProbeResult = z.object({
  ok: z.boolean(),
  codec: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  fps: z.number().optional(),
  /**
   * Time between the stream's key frames (the mean over the packets the probe read), or, with keyframeIntervalAtLeast,
   * a lower bound when fewer than two key frames came within the probe's read. A review seek decodes from the key frame
   * before its picture: a long interval on the sub-stream makes a many-tile seek slow (docs/replay.md).
   */
  keyframeIntervalMs: z.number().int().nonnegative().optional(),
  keyframeIntervalAtLeast: z.boolean().optional(),
  /** Human-readable reason when ok is false: unreachable host, wrong credentials, unsupported codec... */
  error: z.string().optional(),
  errorKind: z.enum(['unreachable', 'auth', 'codec', 'timeout', 'invalid', 'other']).optional(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

/** A camera as the host keeps it. Credentials never leave the host: only hasCredentials. */
export const Camera = z.object({
  id: CameraId,
  /** Saved before unsafe characters were refused: shown without them. */
  name: z.string().transform(withoutUnsafeChars),
  mainUrl: z.string(),
  subUrl: z.string().optional(),
  username: z.string().optional(),
  hasCredentials: z.boolean(),
  kind: CameraKind,
  group: z.string().optional(),
  tags: z.array(z.string()),
  location: GeoPosition.optional(),
  motion: MotionSettings.optional(),
  frigate: FrigateSettings.optional(),
  probe: z.object({ main: ProbeResult.optional(), sub: ProbeResult.optional() }).optional(),
});
export type Camera = z.infer<typeof Camera>;

// ---- Streams -------------------------------------------------------------------------------

/** Supervised stream states (vocabulary of GStreamer's fallbacksrc plus the wall's needs). */
export const StreamState = z.enum(['idle', 'connecting', 'live', 'stalled', 'reconnecting', 'offline', 'error']);
export type StreamState = z.infer<typeof StreamState>;

/** Why the last retry happened (fallbacksrc's retry reasons, plus auth/codec/unreachable). */
export const RetryReason = z.enum(['none', 'error', 'eos', 'state-change-failure', 'timeout', 'unreachable', 'auth', 'codec', 'crash']);
export type RetryReason = z.infer<typeof RetryReason>;

export const StreamProfile = z.enum(['main', 'sub']);
export type StreamProfile = z.infer<typeof StreamProfile>;

/** Video codecs Kuzet decodes (a probe's ffprobe name 'hevc' is 'h265' here). */
export const VideoCodec = z.enum(['h264', 'h265']);
export type VideoCodec = z.infer<typeof VideoCodec>;

/** Health of one camera's decode, pushed to every renderer on change and once a second. */
/**
 * Why a stream is served below what its tiles asked for (stream policy, electron/host/streams/policy.ts): more than
 * CROWD_LIMIT cameras on screen (sub-stream), the decode budget full (sub-stream instead of main, then key frames only).
 */
export const Downgrade = z.enum(['crowdSub', 'budgetSub', 'budgetKeyframes']);
export type Downgrade = z.infer<typeof Downgrade>;

export const StreamStatus = z.object({
  cameraId: CameraId,
  state: StreamState,
  reason: RetryReason,
  message: z.string().optional(),
  engine: z.enum(['gstreamer', 'ffmpeg']),
  profile: StreamProfile,
  /** Codec of the stream being decoded: the camera's probed codec, H.264 when it was never probed. */
  codec: VideoCodec.optional(),
  /** Why this profile / size / mode was chosen: steps the console words in its language (`decisionText`). */
  decision: z.array(DecisionStep).max(8),
  /** Pixel size frames are delivered at (the largest tile showing this camera, capped by the stream). */
  width: z.number().int(),
  height: z.number().int(),
  keyframeOnly: z.boolean(),
  /** Frames go to the renderer compressed and are decoded there (WebCodecs), not by the host's worker. */
  encoded: z.boolean().optional(),
  pinned: z.boolean(),
  /** Downgraded from what the tiles asked for, and why (null when not downgraded): a code the console words in its language. */
  downgrade: Downgrade.nullable(),
  generation: z.number().int(),
  /** Epoch ms of the last delivered frame, null before the first. */
  lastFrameAt: z.number().nullable(),
  fps: z.number(),
  bitrateKbps: z.number(),
  /** Capture-to-host latency estimate in ms (time-stamp mode or RTCP), null when unknown. */
  latencyMs: z.number().nullable(),
  counters: z.object({
    connects: z.number().int(),
    retries: z.number().int(),
    errors: z.number().int(),
    frames: z.number().int(),
    drops: z.number().int(),
    /** Workers started from the warm standby (a restart without process and GStreamer start-up). */
    warmStarts: z.number().int().optional(),
    /** Damage the host's decoder reported (corrupt slices it concealed, pictures it could not decode); 0 where the window decodes. */
    damaged: z.number().int(),
  }),
  /** Epoch ms when the state last changed. */
  since: z.number(),
});
export type StreamStatus = z.infer<typeof StreamStatus>;

/** One tile's request for a camera: what the renderer shows and at what size (device pixels). */
export const TileDemand = z.object({
  cameraId: CameraId,
  width: z.number().int().min(1).max(8192),
  height: z.number().int().min(1).max(8192),
  pinned: z.boolean().default(false),
  /** This client decodes H.264 itself (WebCodecs): the host may send access units instead of pictures. */
  browserDecode: z.boolean().default(false),
});
export type TileDemand = z.input<typeof TileDemand>;

// ---- Layouts and the wall ------------------------------------------------------------------

/** Overlay layers drawn on a tile. */
export const OverlayLayers = z.object({
  boxes: z.boolean(),
  labels: z.boolean(),
  tracks: z.boolean(),
  zones: z.boolean(),
});
export type OverlayLayers = z.infer<typeof OverlayLayers>;
export const LAYER_NAMES = ['boxes', 'labels', 'tracks', 'zones'] as const satisfies readonly (keyof OverlayLayers)[];
export type LayerName = (typeof LAYER_NAMES)[number];
export const DEFAULT_LAYERS: OverlayLayers = { boxes: true, labels: true, tracks: true, zones: true };

/** A tile's override of some layers (absent: the global switch applies). */
export const LayerOverride = OverlayLayers.partial();
export type LayerOverride = z.infer<typeof LayerOverride>;

/** Layers on a tile: the global switches with the tile's overrides on top. Pure. */
export function layersOf(global: OverlayLayers | undefined, tile: LayerOverride | undefined): OverlayLayers {
  return { ...DEFAULT_LAYERS, ...global, ...tile };
}


/** One cell of a layout grid; x, y, w, h are in grid units. */
export const LayoutCell = z.object({
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  w: z.number().int().min(1),
  h: z.number().int().min(1),
  cameraId: CameraId.nullable(),
  /** Camera tour: the cell cycles these cameras every `seconds`. */
  tour: z.object({ cameraIds: z.array(CameraId).min(1), seconds: z.number().int().min(2).max(3600) }).optional(),
  /** Supervisor pin: full quality, never downgraded, never taken by auto-pop. */
  pinned: z.boolean().optional(),
  /** This tile's overlay layers where they differ from the layout's switches. */
  layers: LayerOverride.optional(),
});
export type LayoutCell = z.infer<typeof LayoutCell>;

/** A layout is plain data: a grid and its cells. Cells never overlap and stay inside the grid. */
export const Layout = z.object({
  id: z.string().min(1).max(64),
  name: savedName('layout name'),
  cols: z.number().int().min(1).max(16),
  rows: z.number().int().min(1).max(16),
  cells: z.array(LayoutCell),
  /** Overlay layers of every tile (the top bar's switches); absent: all on. */
  layers: OverlayLayers.optional(),
});
export type Layout = z.infer<typeof Layout>;

/**
 * The maximised tile once a display's layout becomes `layout`: kept while the layout still has that tile, else none.
 * One rule for the live wall (renderer/wall/wall-model.ts) and replay (contract/replay-state.ts).
 */
export function maximisedIn(layout: Layout, maximised: number | null): number | null {
  return maximised !== null && maximised < layout.cells.length ? maximised : null;
}

/** A display (monitor or web window) of the wall and the layout it currently shows. */
export const WallDisplay = z.object({
  id: z.string().min(1).max(64),
  name: z.string().max(200),
  layout: Layout,
  /** Desktop shell: the screen's bounds; web shell: absent. */
  bounds: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).optional(),
});
export type WallDisplay = z.infer<typeof WallDisplay>;

/** A wall preset stores every display's layout at once. */
export const WallPreset = z.object({
  id: z.string().min(1).max(64),
  name: savedName('preset name'),
  displays: z.record(z.string(), Layout),
});
export type WallPreset = z.infer<typeof WallPreset>;

/** Something the operator must read: corrupt settings set aside, a camera rejected on import. */
export const Notice = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  /** English text (logs, and the fallback when the window has no translation for `key`). */
  message: z.string(),
  /** The message's key under `hostNotices.` in the renderer's translations, with its parameters. */
  key: z.string().max(64).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  /** The refusal the message names as `{{reason}}` (a rejected import row's), which the console translates in place of the English one. */
  reason: ErrorReason.optional(),
  at: z.number(),
});
export type Notice = z.infer<typeof Notice>;

export const SessionInfo = z.object({
  shell: z.enum(['electron', 'web']),
  version: z.string(),
  /** Display this client is; the web shell takes it from ?display=, Electron from the window. */
  displayId: z.string(),
  /** Path (relative to the host origin) of the binary frame WebSocket, token included. */
  framesUrl: z.string(),
  compositorHint: z.enum(['auto', 'canvas2d', 'webgl']),
  /** The centre's IANA time zone (Asia/Almaty in the demo): the console shows every time in it. */
  timeZone: z.string(),
  /** The centre's default interface language (a user's own choice wins). */
  language: z.enum(['kk', 'ru', 'en']),
  /** The host runs with diagnostics (KUZET_DIAGNOSTICS=1): the page publishes its measurement hooks (renderer/app/diagnostics.ts). */
  diagnostics: z.boolean().default(false),
  /** The host opens the city map in a browser window of its own (`map.openWindow`, issue 10); false: the page opens a popup. */
  mapWindow: z.boolean().default(false),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
