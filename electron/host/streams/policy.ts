/**
 * Stream policy: which profile, size and mode each camera is decoded at, from what every client
 * shows. Pure: the service calls it on every demand change and once a second (grace expiry).
 * Rules: sub-stream in small tiles, main when a tile is large (with hysteresis), sub for everyone
 * when more than 16 cameras are on screen (Nx RADASS), then the decode budget: main->sub first,
 * then key frames only, smallest tiles first. Pinned cameras are never downgraded.
 */
import type { Downgrade, StreamProfile, TileDemand } from '../../contract/schemas.js';
import { CROWD_LIMIT, DEFAULT_SUB_SIZE, tileWantsMain, type DecisionStep } from '../../contract/stream-choice.js';

export interface Size { width: number; height: number }

/** What the stream policy knows of a camera's streams: whether it has a sub-stream, and the probed sizes when known. */
export interface StreamFacts { hasSub: boolean; main?: Size; sub?: Size }

export interface StreamDecision {
  profile: StreamProfile;
  /** Delivered picture size: fits the largest tile, keeps the stream's aspect, never above the stream; width %8, height even. */
  width: number;
  height: number;
  keyframeOnly: boolean;
  pinned: boolean;
  /** Null, or why the camera gets less than its tiles asked for (operator words). */
  downgrade: Downgrade | null;
  /** Why this profile / size / mode, as steps the console words in its language (`decisionText`). */
  decision: DecisionStep[];
  /** Width of the stream decoded (probed or assumed), for the scaler choice. */
  streamWidth: number;
  /** Estimated decode + delivery cost in % of one core. */
  costPct: number;
  /** Epoch ms since no tile shows the camera (null while shown); it stops after the grace period. */
  unseenSince: number | null;
}

export interface PolicyInput {
  /** Every tile of every client. */
  demands: readonly TileDemand[];
  cameras: Readonly<Record<string, StreamFacts>>;
  previous: Readonly<Record<string, StreamDecision>>;
  /** Cameras a supervisor pinned (in addition to pinned tiles). */
  pinned?: ReadonlySet<string>;
  now: number;
  /** Share of the whole machine decoding may use, in % (default 85). */
  budgetPct?: number;
  cores?: number;
  graceMs?: number;
}

export const DEFAULT_MAIN: Size = { width: 1280, height: 720 };
export const DEFAULT_SUB: Size = DEFAULT_SUB_SIZE;
export { CROWD_LIMIT };
export const DEFAULT_GRACE_MS = 15_000;

/** Decode cost in % of one core (DESIGN.md: 720p25 ~12 %, 360p25 ~4 %, key frames only ~2 % at 720p). */
export function decodeCostPct(stream: Size, keyframeOnly: boolean): number {
  const full = 1.5 + (10.5 * stream.width * stream.height) / (1280 * 720);
  return Math.round((keyframeOnly ? full / 6 : full) * 100) / 100;
}

/**
 * Cost of handing decoded frames to the host (scale, copy through the worker's pipe, host read) in
 * % of one core: measured about 1.2 % per 480x270 picture at 25 fps here, growing with the pixels.
 * Without it 16 main streams at 1280x720 fit the decode budget on paper and starve on the machine.
 */
export function deliveryCostPct(out: Size, keyframeOnly: boolean): number {
  const full = (1.2 * out.width * out.height) / (480 * 270);
  return Math.round((keyframeOnly ? full / 25 : full) * 100) / 100;
}

/** Largest size inside the tile with the stream's aspect, never above the stream, width %8, height even. */
export function fitSize(tile: Size, stream: Size): Size {
  const scale = Math.min(tile.width / stream.width, tile.height / stream.height, 1);
  const width = Math.max(8, Math.floor((stream.width * scale) / 8) * 8);
  const height = Math.max(2, Math.min(stream.height - (stream.height % 2), Math.round((width * stream.height) / stream.width / 2) * 2));
  return { width, height };
}

interface Want { tile: Size; pinned: boolean; area: number }

export function decideStreams(input: PolicyInput): Record<string, StreamDecision> {
  const budget = (input.budgetPct ?? 85) * (input.cores ?? 2);
  const grace = input.graceMs ?? DEFAULT_GRACE_MS;
  const wants = new Map<string, Want>();
  for (const d of input.demands) {
    if (!input.cameras[d.cameraId]) continue; // unknown camera: nothing to decode
    const w = wants.get(d.cameraId);
    const pinned = (d.pinned ?? false) || (input.pinned?.has(d.cameraId) ?? false);
    const area = d.width * d.height;
    if (!w || area > w.area) wants.set(d.cameraId, { tile: { width: d.width, height: d.height }, pinned: pinned || (w?.pinned ?? false), area });
    else if (pinned) w.pinned = true;
  }
  const crowded = wants.size > CROWD_LIMIT;
  const out: Record<string, StreamDecision> = {};

  for (const [id, want] of wants) {
    const facts = input.cameras[id] as StreamFacts;
    const sub = facts.sub ?? DEFAULT_SUB;
    const main = facts.main ?? DEFAULT_MAIN;
    const prev = input.previous[id];
    const tile = `${want.tile.width}x${want.tile.height}`;
    let profile: StreamProfile;
    let why: DecisionStep;
    let downgrade: Downgrade | null = null;
    if (!facts.hasSub) {
      profile = 'main'; why = { key: 'noSub', params: { tile } };
    } else {
      const large = tileWantsMain(want.tile.height, sub.height, prev?.profile === 'main');
      if (!large) { profile = 'sub'; why = { key: 'fitsSub', params: { tile, size: `${sub.width}x${sub.height}` } }; }
      else if (crowded && !want.pinned) {
        profile = 'sub'; why = { key: 'crowded', params: { tile, n: wants.size } };
        downgrade = 'crowdSub';
      } else { profile = 'main'; why = { key: 'largerThanSub', params: { tile } }; }
    }
    const stream = profile === 'main' ? main : sub;
    const size = fitSize(want.tile, stream);
    out[id] = {
      profile, ...size, streamWidth: stream.width, keyframeOnly: false, pinned: want.pinned, downgrade,
      decision: want.pinned ? [why, { key: 'pinned' }] : [why], costPct: decodeCostPct(stream, false) + deliveryCostPct(size, false), unseenSince: null,
    };
  }

  // cameras nobody shows keep decoding for the grace period, so a layout flip does not reconnect
  for (const [id, prev] of Object.entries(input.previous)) {
    if (out[id] || !input.cameras[id]) continue;
    const unseenSince = prev.unseenSince ?? input.now;
    if (input.now - unseenSince < grace) out[id] = { ...prev, unseenSince, decision: [{ key: 'graceStop', params: { s: Math.ceil((grace - (input.now - unseenSince)) / 1000) } }] };
  }

  applyBudget(out, wants, input.cameras, budget);
  return out;
}

function applyBudget(out: Record<string, StreamDecision>, wants: Map<string, Want>, cameras: Readonly<Record<string, StreamFacts>>, budget: number) {
  const total = () => Object.values(out).reduce((s, d) => s + d.costPct, 0);
  if (total() <= budget) return;
  // smallest tiles give up quality first; cameras only kept for the grace period count as smallest
  const order = Object.keys(out).filter((id) => !out[id]?.pinned)
    .sort((a, b) => (wants.get(a)?.area ?? 0) - (wants.get(b)?.area ?? 0) || a.localeCompare(b));
  const pct = () => Math.round(total());
  for (const id of order) {
    const d = out[id] as StreamDecision;
    const facts = cameras[id] as StreamFacts;
    if (total() <= budget) return;
    if (d.profile === 'main' && facts.hasSub) {
      const sub = facts.sub ?? DEFAULT_SUB;
      const tile = wants.get(id)?.tile ?? { width: d.width, height: d.height };
      const before = pct();
      const size = fitSize(tile, sub);
      Object.assign(d, size, { profile: 'sub', streamWidth: sub.width, costPct: decodeCostPct(sub, false) + deliveryCostPct(size, false), downgrade: 'budgetSub' });
      d.decision = [...d.decision, { key: 'budgetSub', params: { wanted: before, budget: Math.round(budget) } }];
    }
  }
  for (const id of order) {
    const d = out[id] as StreamDecision;
    const facts = cameras[id] as StreamFacts;
    if (total() <= budget) return;
    const stream = d.profile === 'main' ? facts.main ?? DEFAULT_MAIN : facts.sub ?? DEFAULT_SUB;
    const before = pct();
    Object.assign(d, { keyframeOnly: true, costPct: decodeCostPct(stream, true) + deliveryCostPct(d, true), downgrade: 'budgetKeyframes' });
    d.decision = [...d.decision, { key: 'budgetKeyframes', params: { wanted: before, budget: Math.round(budget) } }];
  }
}
