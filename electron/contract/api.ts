/**
 * The one contract between host and renderer. Each request names its params and result schema;
 * each event its payload. Transports (Electron IPC, web shell WebSocket) carry
 * `{ id, method, params }` -> `{ id, ok: true, result } | { id, ok: false, error }` and
 * `{ event, payload }`, and never invent channel names of their own.
 */
import { z } from 'zod';
import { typedName } from './names.js';
import {
  Camera, CameraId, CameraInput, Layout, Notice, ProbeResult, SessionInfo, StreamStatus,
  TileDemand, WallDisplay, WallPreset,
} from './schemas.js';
import { alarmEvents, alarmRequests } from './alarms-api.js';
import { reviewEvents, reviewRequests } from './review-api.js';
import { accessEvents, accessRequests } from './access/access-api.js';
import { replayRequests } from './replay-api.js';
import { maskEvents, maskRequests } from './masks-api.js';
import { mapEvents, mapRequests } from './map-api.js';
import { auditRequests } from './audit-api.js';
import { ErrorReason } from './api-errors.js';
import { trainingSessionEvents, trainingSessionRequests } from './training/session-api.js';
import { trainingReviewRequests } from './training/review-api.js';
import { platesRequests } from './plates/plates-api.js';
import { mapWindowEvents, mapWindowRequests } from './map-window-api.js';
import { followEvents, followRequests } from './follow-api.js';

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

const coreRequests = {
  'session.info': { params: z.object({ displayId: z.string().max(64).optional() }), result: SessionInfo },

  'cameras.list': { params: Empty, result: z.array(Camera) },
  'cameras.add': { params: z.object({ camera: CameraInput, probe: z.boolean().default(true) }), result: Camera },
  'cameras.update': { params: z.object({ id: CameraId, camera: CameraInput, probe: z.boolean().default(false) }), result: Camera },
  'cameras.remove': { params: z.object({ id: CameraId }), result: Ok },
  'cameras.probe': { params: z.object({ id: CameraId, profile: z.enum(['main', 'sub']).default('main') }), result: ProbeResult },
  'cameras.import': {
    params: z.object({ format: z.enum(['json', 'csv']), text: z.string().max(5_000_000) }),
    // a rejected row's reason, when it has one, for the console to say in the operator's language (api-errors.ts)
    result: z.object({ added: z.number().int(), updated: z.number().int(), errors: z.array(z.object({ row: z.number().int(), message: z.string(), reason: ErrorReason.optional() })) }),
  },
  'cameras.export': { params: z.object({ format: z.enum(['json', 'csv']) }), result: z.object({ text: z.string() }) },

  'layouts.list': { params: Empty, result: z.array(Layout) },
  'layouts.save': { params: z.object({ layout: Layout }), result: Layout },
  'layouts.remove': { params: z.object({ id: z.string().min(1).max(64) }), result: Ok },

  'wall.displays': { params: Empty, result: z.array(WallDisplay) },
  /** Set what one display shows (the renderer calls this on every layout change it makes). */
  'wall.setLayout': { params: z.object({ displayId: z.string().min(1).max(64), layout: Layout }), result: WallDisplay },
  /** Push a camera (into the first free or the given cell) or a whole layout to another display. */
  'wall.push': {
    params: z.object({
      displayId: z.string().min(1).max(64),
      cameraId: CameraId.optional(),
      layout: Layout.optional(),
      cellIndex: z.number().int().min(0).optional(),
    }),
    result: WallDisplay,
  },
  'wall.presets.list': { params: Empty, result: z.array(WallPreset) },
  'wall.presets.save': { params: z.object({ id: z.string().min(1).max(64).optional(), name: typedName('preset name') }), result: WallPreset },
  'wall.presets.apply': { params: z.object({ id: z.string().min(1).max(64) }), result: z.array(WallDisplay) },
  'wall.presets.remove': { params: z.object({ id: z.string().min(1).max(64) }), result: Ok },

  /** What this client shows right now; the host's stream policy decides profile, size and mode. */
  'streams.demand': { params: z.object({ clientId: z.string().min(1).max(64), tiles: z.array(TileDemand).max(256) }), result: Ok },
  'streams.status': { params: Empty, result: z.array(StreamStatus) },
  /** Share of the frames this window receives that it paints (the load governor shrinks the budget when it falls). */
  'streams.pageLoad': { params: z.object({ clientId: z.string().min(1).max(64), paintedPct: z.number().min(0).max(100) }), result: Ok },
  'streams.pin': { params: z.object({ cameraId: CameraId, pinned: z.boolean() }), result: Ok },

  'notices.list': { params: Empty, result: z.array(Notice) },
  'notices.dismiss': { params: z.object({ id: z.string() }), result: Ok },
  /** The renderer reports something the operator saw go wrong, so the host log has it too. */
  'log.report': { params: z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string().max(4000) }), result: Ok },
} as const;

/** Every request: the live wall's, the alarm queue's (alarms-api.ts), review/export's (review-api.ts), access (access/), the audit's (audit-api.ts), masks (masks-api.ts), replay's (replay-api.ts), the map's (map-api.ts), training sessions' (training/session-api.ts), the plate index's (plates/plates-api.ts) and the map window's (map-window-api.ts). */
export const requests = { ...coreRequests, ...alarmRequests, ...reviewRequests, ...accessRequests, ...auditRequests, ...maskRequests, ...replayRequests, ...mapRequests, ...trainingSessionRequests, ...trainingReviewRequests, ...platesRequests, ...mapWindowRequests, ...followRequests } as const;

const coreEvents = {
  'stream.status': StreamStatus,
  'cameras.changed': z.array(Camera),
  'layouts.changed': z.array(Layout),
  'wall.changed': z.array(WallDisplay),
  'notice': Notice,
} as const;

export const events = { ...coreEvents, ...alarmEvents, ...reviewEvents, ...accessEvents, ...maskEvents, ...mapEvents, ...trainingSessionEvents, ...mapWindowEvents, ...followEvents } as const;

export type Requests = typeof requests;
export type Method = keyof Requests;
export type Params<M extends Method> = z.input<Requests[M]['params']>;
export type Result<M extends Method> = z.infer<Requests[M]['result']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

/**
 * Error sent back across the bridge: a code the UI can branch on and a message it can show.
 * `unauthenticated`: no session (sign in); `locked`: the console is locked (unlock); `forbidden`: no right (issue 12).
 */
export interface BridgeError { code: BridgeErrorCode; message: string; reason?: ErrorReason }
/** `reason`: the refusal as a code and parameters the console translates (api-errors.ts); `message` stays the host's English. */
export const BRIDGE_ERROR_CODES = ['invalid', 'not-found', 'conflict', 'unavailable', 'internal', 'unauthenticated', 'locked', 'forbidden'] as const;
export type BridgeErrorCode = (typeof BRIDGE_ERROR_CODES)[number];

export type RequestMessage = { id: number; method: string; params: unknown };
export type ReplyMessage = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: BridgeError };
export type EventMessage = { event: string; payload: unknown };

/** The typed service a host implements; transports dispatch to it after validating params. */
/** `user`: the signed-in user the access gate found for the connection (issue 12), for the audit; absent on public routes. */
export type HostService = { [M in Method]: (params: z.infer<Requests[M]['params']>, ctx: { clientId: string; user?: string }) => Promise<Result<M>> | Result<M> };

/** Thrown by host services to send a specific error code to the renderer. */
export class ContractError extends Error {
  constructor(readonly code: BridgeError['code'], message: string, readonly reason?: ErrorReason) { super(message); this.name = 'ContractError'; }
}

export function isMethod(name: string): name is Method { return Object.prototype.hasOwnProperty.call(requests, name); }
