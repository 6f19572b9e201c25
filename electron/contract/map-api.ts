/**
 * The map's part of the contract (issue 10): moving units, and the offline basemap and site plans the host serves.
 * Cameras come from `cameras.list` (the access gate filters it). The map's configuration file (`<dataDir>/map.json`)
 * is defined here too: the host reads it, the renderer gets only what it needs to fetch (loopback URLs, never paths).
 */
import { z } from 'zod';
import { UnitId, UnitKind, UnitsDelta, UnitsSnapshot } from './units-schema.js';
import { CameraId } from './schemas.js';

/** The largest site plan image added from the map (`map.plans.add`, sent base64 in one request of at most 6 MB). */
export const PLAN_MAX_BYTES = 4 * 1024 * 1024;

/** A site plan's id: it names the plan's HTTP route (`/map/plan/<id>`). */
export const PlanId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'plan id: 1-64 of a-z 0-9 _ -');

/** One reference point of a plan: a pixel of the image (x right, y down, from its top-left corner) and where it lies. */
export const PlanPoint = z.object({
  px: z.tuple([z.number().finite(), z.number().finite()]),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-85.05).max(85.05),
}).strict();
export type PlanPoint = z.infer<typeof PlanPoint>;

/** A drone whose position comes from the KLV (MISB ST 0601) in its MPEG-TS stream, served raw over TCP. */
export const KlvSourceConfig = z.object({
  unitId: UnitId,
  /** tcp://host:port (a TS served over TCP), udp://address:port (sent to this machine; multicast groups are joined),
   *  srt://host:port with an optional ?mode=caller|listener (and &latency=<ms>). */
  url: z.string().max(300).regex(/^(tcp|udp):\/\/[A-Za-z0-9.-]+:\d{1,5}$|^srt:\/\/[A-Za-z0-9.-]+:\d{1,5}(\?mode=(caller|listener)(&latency=\d{1,5})?)?$/,
    'KLV url: tcp://host:port, udp://address:port or srt://host:port[?mode=caller|listener]'),
  /** The registry camera that shows the drone's video. */
  cameraId: CameraId.optional(),
}).strict();
export type KlvSourceConfig = z.infer<typeof KlvSourceConfig>;

/**
 * `<dataDir>/map.json`, version 1. `basemap.pmtiles`: a local PMTiles v3 archive of vector tiles (a city extract),
 * absolute or relative to the data folder. `plans`: PNG site plans placed by 2 points (moved, turned and scaled) or
 * 3 points (any affine placement).
 */
export const MapConfigFile = z.object({
  v: z.literal(1),
  basemap: z.object({ pmtiles: z.string().min(1).max(4096) }).strict().optional(),
  plans: z.array(z.object({
    id: PlanId,
    name: z.string().min(1).max(120),
    image: z.string().min(1).max(4096),
    points: z.array(PlanPoint).min(2).max(3),
    opacity: z.number().min(0).max(1).default(0.85),
  }).strict()).max(32).default([]),
  /** Drones read from their KLV (read when the host starts). */
  klv: z.array(KlvSourceConfig).max(16).default([]),
}).strict();
export type MapConfigFile = z.infer<typeof MapConfigFile>;

/** A plan as a window sees it: its image's loopback route and size in pixels, and its reference points. */
export const MapPlan = z.object({
  id: PlanId, name: z.string(), url: z.string(), width: z.number().int().min(1), height: z.number().int().min(1),
  points: z.array(PlanPoint).min(2).max(3), opacity: z.number().min(0).max(1),
});
export type MapPlan = z.infer<typeof MapPlan>;

/** What the map window loads besides the bundled basemap; `problems` says, in words, what was refused and why. */
export const MapConfig = z.object({
  /** The PMTiles basemap's loopback route (HTTP range requests), or null when none is configured or usable. */
  basemap: z.object({ url: z.string(), bytes: z.number().int().min(0) }).nullable(),
  plans: z.array(MapPlan),
  problems: z.array(z.string()),
});
export type MapConfig = z.infer<typeof MapConfig>;

/** How long a camera was on any wall in the window (the union of its view.live intervals) and by how many users. */
export const CameraAttention = z.object({ cameraId: z.string(), watchedMs: z.number().min(0), viewers: z.number().int().min(0),
  /** Health over the same window: camera_offline and tamper events the alarm store holds for the camera. */
  offlineEvents: z.number().int().min(0), tamperEvents: z.number().int().min(0),
  /** Stale spells over the window (a live camera that stopped delivering pictures until it was live again) and their time in it, ms. */
  staleSpells: z.number().int().min(0).default(0), staleMs: z.number().min(0).default(0) });
export type CameraAttention = z.infer<typeof CameraAttention>;
export const MapAttention = z.object({ fromMs: z.number(), toMs: z.number(), cameras: z.array(CameraAttention) });
export type MapAttention = z.infer<typeof MapAttention>;

/** A recorded report of a unit: [lon, lat, ts (the unit's measurement time, epoch ms), heading degrees or null]. */
export const RecordedPoint = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number(), z.number().min(0).max(360).nullable()]);
export type RecordedPoint = z.infer<typeof RecordedPoint>;

/** One unit's recorded reports in a time range, oldest first (the last report before the range leads in, see `units.tracks`). */
export const UnitTrack = z.object({ id: UnitId, kind: UnitKind, cameraId: CameraId.optional(), points: z.array(RecordedPoint) });
export type UnitTrack = z.infer<typeof UnitTrack>;

/** How far back `units.tracks` looks for a unit's last report before the range (where it was when the range starts). */
export const TRACK_LEAD_IN_MS = 60_000;

export const mapRequests = {
  /** Every unit the host heard from in the last minutes, and the rejected telemetry counts by reason. */
  'units.list': { params: z.object({}).strict(), result: UnitsSnapshot },
  /**
   * Whether this connection gets `units.changed` (a window that shows units asks; the others never receive them).
   * Recorded per connection, dropped with it: a reconnected window asks again.
   */
  'units.watch': { params: z.object({ on: z.boolean() }).strict(), result: z.object({ ok: z.literal(true) }) },
  /** The configured offline basemap and site plans (read from map.json on every call: edits apply on reload). */
  'map.config': { params: z.object({}).strict(), result: MapConfig },
  /** Which cameras were watched live in the last `hours` (default 24) and for how long, from the view audit (issue 10 §5). */
  /**
   * Places a site plan by new reference points (dragged on the map): map.json is written atomically with only that
   * plan's points changed; refused with the reason (no such plan, a pixel outside the image, points on one pixel, one
   * place or one line, map.json unreadable) and then nothing is written. Answers the new configuration.
   */
  'map.plans.place': { params: z.object({ id: PlanId, points: z.array(PlanPoint).min(2).max(3) }).strict(), result: MapConfig },
  /**
   * Adds a site plan from the map (issue 10 §1): a PNG or JPEG image (base64, at most PLAN_MAX_BYTES; the host checks
   * its magic bytes and size) stored in the data dir as `plans/<id>.png|.jpg` and named in map.json (both written
   * atomically), first placed `widthM` metres wide centred on `at` (two reference points on its middle row), then
   * placed exactly by dragging its points (`map.plans.place`). Refused with the reason (not an image, too large, size
   * out of range, map.json unreadable or not written) and then nothing is written. Answers the new plan's id and the
   * new configuration.
   */
  'map.plans.add': {
    params: z.object({
      name: z.string().trim().min(1).max(120),
      image: z.string().max(Math.ceil(PLAN_MAX_BYTES / 3) * 4 + 1024),
      at: z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-85).max(85) }).strict(),
      widthM: z.number().min(1).max(100_000),
    }).strict(),
    result: z.object({ id: PlanId, config: MapConfig }),
  },
  /**
   * Removes a site plan from the map (issue 10 §1): map.json is written atomically without it (the other plans and
   * keys as written), then its image file is deleted when it lies in the data dir's `plans` folder (where
   * `map.plans.add` stores images) and no other plan names it; an image elsewhere is left alone. Refused with the
   * reason (no such plan, map.json unreadable or not written) and then nothing is written or deleted. Answers the new
   * configuration and whether the image file was deleted.
   */
  'map.plans.remove': { params: z.object({ id: PlanId }).strict(), result: z.object({ config: MapConfig, imageDeleted: z.boolean() }) },
  'map.attention': { params: z.object({ hours: z.number().min(1).max(168).default(24) }).strict(), result: MapAttention },
  /**
   * Recorded unit tracks (every accepted report, kept as long as recordings): each unit's reports in [fromMs, toMs],
   * plus its last report in the TRACK_LEAD_IN_MS before fromMs; all units, or those named. `truncated`: more than
   * `limit` reports matched and the newest were left out.
   */
  'units.tracks': {
    params: z.object({ fromMs: z.number().int().min(0), toMs: z.number().int().min(0), unitIds: z.array(UnitId).max(100).optional(), limit: z.number().int().min(1).max(200_000).default(50_000) }).strict()
      .refine((p) => p.toMs >= p.fromMs && p.toMs - p.fromMs <= 7 * 86_400_000, 'units.tracks: toMs must be after fromMs, at most 7 days'),
    result: z.object({ fromMs: z.number(), toMs: z.number(), tracks: z.array(UnitTrack), truncated: z.boolean() }),
  },
} as const;

export const mapEvents = {
  /** What changed in the units (a delta numbered `seq`), at most twice a second, only when something changed, only to watchers. */
  'units.changed': UnitsDelta,
} as const;
