/**
 * Issue 4's part of the host: recording, review and evidence export, composed from the recording
 * service, the review store, playback clips and the exporter, exposed as contract handlers.
 * host.ts spreads `handlers` into its service and calls close().
 */
import { join } from 'node:path';
import type { EventName, EventPayload, HostService } from '../../contract/api.js';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import type { Bookmark, EvidenceLock, reviewRequests } from '../../contract/review-api.js';
import type { Logger } from '../log.js';
import type { NoticeBoard } from '../notices.js';
import type { StreamService } from '../streams/service.js';
import { RecordingService, type StorageAlarm } from '../recording/recording-service.js';
import { newId, ReviewStore } from '../recording/review-store.js';
import { AuditLog } from '../audit/audit-log.js';
import { CheckpointLog, checkpointFile } from '../audit/checkpoint-log.js';
import { FileAuditStorage } from '../audit/file-storage.js';
import { EXPORT_CHAIN, exportAuditFile } from '../audit/verify-data-dir.js';
import { exportEvidence } from '../export/evidence-export.js';
import type { OverlayEvent } from '../export/burn-in.js';
import { loadOrCreateSigningKey } from '../export/signing-key.js';
import { verifyExport } from '../export/verify-export.js';
import { PlaybackClips } from './playback-clips.js';
import { segmentUrl } from './review-http.js';
import type { PlaybackSegment } from '../../contract/review-api.js';
import type { StreamProfile } from '../../contract/schemas.js';
import type { AppliedMask } from '../masks/mask-book.js';
import { bookmarkIn, lockOverlaps } from '../recording/timeline.js';

export type ReviewHandlers = Pick<HostService, keyof typeof reviewRequests>;

export interface ReviewModuleOptions {
  dataDir: string;
  /** Default `<dataDir>/recordings` (env KUZET_RECORDINGS overrides). */
  recordingsRoot?: string;
  streams: StreamService;
  notices: NoticeBoard;
  log: Logger;
  cameraName(cameraId: string): string;
  /** Does the camera have a sub-stream URL (its sub-stream can be recorded)? Unknown: assumed yes. */
  hasSubStream?(cameraId: string): boolean;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  software: string;
  /** Recording storage problems into the alarm queue. */
  storageAlarm?(a: StorageAlarm): void;
  /** Analytics events with boxes (the event store), drawn by burn-in exports. */
  overlays?(cameraId: string, fromMs: number, toMs: number): OverlayEvent[];
  /** Diagnostics on: export results say where the time went (`profile`, for bench:review). */
  diagnostics?: boolean;
  /** Privacy masks of a camera that apply (the mask book, issue 12 §3): burned into exports, served review, thumbnails. */
  masks?(cameraId: string, which: 'all' | 'current' | 'permanent'): AppliedMask[];
}

export interface ReviewModule {
  readonly handlers: ReviewHandlers;
  readonly recording: RecordingService;
  readonly clips: PlaybackClips;
  readonly exportsDir: string;
  /** The chain of custody (chain `export`, audit.jsonl): pruned by the audit's retention in the host. */
  readonly custody: AuditLog;
  /** Where the oldest footage under an evidence lock starts (ms), or null: its chain of custody is kept while it is. */
  lockedFromMs(): number | null;
  /**
   * A bookmark or an evidence lock by id (incidents are made from them), or null; and those of some cameras in a range
   * (bookmarks at a moment in [fromMs, toMs), locks overlapping it: an incident package's evidence.json).
   */
  readonly evidence: {
    bookmark(id: string): Bookmark | null; lock(id: string): EvidenceLock | null;
    within(cameraIds: readonly string[], fromMs: number, toMs: number): { bookmarks: Bookmark[]; locks: EvidenceLock[] };
  };
  /**
   * The recorded segments of a camera a player gets for [fromMs, toMs) (`playback.segments`; replay of a local incident
   * too): of the sub-stream when `want` is sub and it covers the range, else of the main stream.
   */
  recordedSegments(cameraId: string, fromMs: number, toMs: number, want?: StreamProfile): Promise<{ cameraId: string; segments: PlaybackSegment[]; nextMs: number | null; stream: StreamProfile }>;
  /** The HTTP path of a cached playback clip; the server adds the token. */
  close(): Promise<void>;
}

export function createReviewModule(o: ReviewModuleOptions): ReviewModule {
  const log = o.log.child('review');
  const store = new ReviewStore({ dataDir: o.dataDir, notices: o.notices, log });
  const recording = new RecordingService({
    root: o.recordingsRoot ?? process.env.KUZET_RECORDINGS ?? join(o.dataDir, 'recordings'),
    store, notices: o.notices, log: log.child('recording'), changed: () => o.streams.recordingChanged(),
    ...(o.hasSubStream ? { hasSubStream: o.hasSubStream } : {}),
    ...(o.storageAlarm ? { alarm: o.storageAlarm } : {}),
  });
  o.streams.attachRecording(recording);
  const off = recording.onStatus((s) => o.emit('recording.status', s));
  const exportsDir = join(o.dataDir, 'exports');
  let key: ReturnType<typeof loadOrCreateSigningKey> | null = null;
  const signingKey = () => (key ??= loadOrCreateSigningKey(o.dataDir));
  // The chain of custody: recording settings, bookmarks, locks and exports (docs/audit.md).
  const auditLog = new AuditLog({
    chain: EXPORT_CHAIN, storage: new FileAuditStorage(exportAuditFile(o.dataDir)), checkpoints: new CheckpointLog(checkpointFile(o.dataDir, EXPORT_CHAIN)),
    key: signingKey(), log, onProblem: (p) => o.notices.add('error', p, { key: 'auditProblem', params: { problem: p } }),
  });
  const audit = { append: (user: string, action: string, target: string, details: Record<string, unknown>) => auditLog.append({ user, action, target, details }) };
  const clips = new PlaybackClips(join(o.dataDir, 'cache', 'clips'), {
    segments: (c) => recording.index.camera(c), subSegments: (c) => recording.index.camera(c, 'sub'), filePath: (s) => recording.filePath(s),
    ...(o.masks ? { masks: (c: string, which: 'current' | 'permanent') => o.masks!(c, which).map((m) => m.polygon) } : {}),
  });
  const recordedSegments = async (cameraId: string, fromMs: number, toMs: number, want: StreamProfile = 'main') => {
    await recording.ready;
    return { cameraId, ...clips.segments(cameraId, fromMs, toMs, (startMs, stream) => segmentUrl(cameraId, startMs, stream), want) };
  };
  const running = new Map<string, AbortController>();
  const exportDir = (id: string) => join(exportsDir, id); // id is checked by the contract (letters, digits, _ -)

  const handlers: ReviewHandlers = {
    'recording.status': async () => { await recording.ready; return recording.statuses(); },
    'recording.configure': (c, ctx) => {
      audit.append(ctx.user ?? ctx.clientId, 'recording.configure', `camera:${c.cameraId}`, { ...c });
      return recording.configure(c);
    },
    'recording.retention': ({ retention }, ctx) => {
      if (!retention) return store.retention();
      audit.append(ctx.user ?? ctx.clientId, 'recording.retention', 'recordings', { ...retention });
      return recording.setRetention(retention);
    },
    'recording.trigger': ({ cameraId, atMs, reason }) => { recording.trigger(cameraId, atMs ?? Date.now(), reason); return { ok: true as const }; },
    'recording.rebuildIndex': () => recording.rebuildIndex(),
    'recording.timeline': ({ cameraIds, fromMs, toMs }) => recording.timeline(cameraIds, fromMs, toMs),
    'playback.clip': async ({ cameraId, atMs, windowMs }) => {
      await recording.ready;
      return clips.clip(cameraId, atMs, windowMs, (name) => `/rec/clip/${name}`);
    },
    'playback.segments': ({ cameraId, fromMs, toMs, stream }) => recordedSegments(cameraId, fromMs, toMs, stream),
    'bookmarks.list': ({ cameraIds, fromMs, toMs }) => store.bookmarks().filter((b) => (!cameraIds || cameraIds.includes(b.cameraId)) && bookmarkIn(b, fromMs, toMs)),
    'bookmarks.add': (b, ctx) => {
      const bm = store.addBookmark(b);
      audit.append(b.by || (ctx.user ?? ctx.clientId), 'bookmark.add', `bookmark:${bm.id}`, { id: bm.id, cameraId: bm.cameraId, atMs: bm.atMs, comment: bm.comment });
      return bm;
    },
    'bookmarks.remove': ({ id }, ctx) => { store.removeBookmark(id); audit.append(ctx.user ?? ctx.clientId, 'bookmark.remove', `bookmark:${id}`, { id }); return { ok: true as const }; },
    'evidence.locks': () => store.locks(),
    'evidence.lock': (l) => {
      const lock = store.addLock(l);
      audit.append(l.by, 'evidence.lock', `lock:${lock.id}`, { ...lock });
      return lock;
    },
    'evidence.unlock': ({ id }, ctx) => { store.removeLock(id); audit.append(ctx.user ?? ctx.clientId, 'evidence.unlock', `lock:${id}`, { id }); return { ok: true as const }; },
    'export.create': async (req) => {
      await recording.ready;
      const k = signingKey();
      if (req.id && running.has(req.id)) throw new ContractError('conflict', `export ${req.id} is running`, reason('exportRunning', { id: req.id }));
      const abort = new AbortController();
      const id = req.id ?? newId('export');
      // the originals in the clear are about to be written: the intent is in the custody chain first (each entry is written
      // at once), so a host killed in the middle of the export cannot leave clear footage on disk with no record of who and why
      const leftOff = req.unmasked ? req.cameraIds.flatMap((c) => o.masks?.(c, 'all') ?? []).map((m) => `${m.cameraId}/${m.id}@${m.version}`) : [];
      if (leftOff.length) audit.append(req.by, 'export.unmasked.start', `export:${id}`, { id, cameraIds: req.cameraIds, fromMs: req.fromMs, toMs: req.toMs, reason: req.reason, masksLeftOff: leftOff });
      running.set(id, abort);
      try {
        const r = await exportEvidence({ ...req, id }, {
          exportsDir, segments: (c) => recording.index.camera(c), filePath: (s) => recording.filePath(s), cameraName: o.cameraName,
          key: k, software: o.software, progress: (p) => o.emit('export.progress', p), signal: abort.signal,
          ...(o.overlays ? { overlays: o.overlays } : {}), ...(o.masks ? { masks: (c: string) => o.masks!(c, 'all') } : {}),
        });
        const masks = req.cameraIds.flatMap((c) => o.masks?.(c, 'all') ?? []).map((m) => `${m.cameraId}/${m.id}@${m.version}`);
        audit.append(req.by, 'export.create', `export:${r.id}`, { id: r.id, cameraIds: req.cameraIds, fromMs: req.fromMs, toMs: req.toMs, reason: req.reason, burnIn: req.burnIn ?? null, files: r.files.map((f) => ({ file: f.file, sha256: f.sha256, kind: f.kind })), signer: k.fingerprint, masks, unmasked: !!req.unmasked });
        // the right exportUnmasked was checked by the gate; leaving masks off is recorded on its own, naming them
        if (req.unmasked && masks.length) audit.append(req.by, 'export.unmasked', `export:${r.id}`, { id: r.id, cameraIds: req.cameraIds, reason: req.reason, masksLeftOff: masks });
        if (!o.diagnostics) delete r.profile;
        return r;
      } catch (err) {
        audit.append(req.by, abort.signal.aborted ? 'export.cancelled' : 'export.failed', `export:${id}`, { id, cameraIds: req.cameraIds, fromMs: req.fromMs, toMs: req.toMs, reason: req.reason, error: String(err) });
        throw err;
      } finally {
        running.delete(id);
      }
    },
    'export.cancel': ({ id }, ctx) => {
      const run = running.get(id);
      if (!run) return { cancelled: false };
      audit.append(ctx.user ?? ctx.clientId, 'export.cancel', `export:${id}`, { id });
      run.abort();
      return { cancelled: true };
    },
    'export.verify': async ({ id }, ctx) => {
      const dir = exportDir(id);
      const r = await verifyExport(dir, { trustedPublicKeyPem: signingKey().publicKeyPem });
      if (r.problems.some((p) => p.includes('not an export folder'))) throw new ContractError('not-found', `no export ${id}`, reason('noExport', { id }));
      audit.append(ctx.user ?? ctx.clientId, 'export.verify', `export:${id}`, { id, ok: r.ok, problems: r.problems.length });
      return r;
    },
  };

  return {
    handlers, recording, clips, exportsDir, custody: auditLog, recordedSegments,
    lockedFromMs: () => store.locks().reduce<number | null>((min, l) => (min === null || l.fromMs < min ? l.fromMs : min), null),
    evidence: {
      bookmark: (id) => store.bookmarks().find((b) => b.id === id) ?? null, lock: (id) => store.locks().find((l) => l.id === id) ?? null,
      within: (ids, fromMs, toMs) => ({
        bookmarks: store.bookmarks().filter((b) => ids.includes(b.cameraId) && bookmarkIn(b, fromMs, toMs)),
        locks: store.locks().filter((l) => l.cameraIds.some((c) => ids.includes(c)) && lockOverlaps(l, fromMs, toMs)),
      }),
    },
    async close() { off(); for (const r of running.values()) r.abort(); await recording.close(); auditLog.close(); },
  };
}
