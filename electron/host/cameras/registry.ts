/**
 * The camera registry: the host's list of cameras, kept in `<dataDir>/cameras.json`. Validates every
 * change (contract schema + URL policy), seals passwords with a SecretBox, probes on request, and
 * hands the media engine what it needs to connect (resolve). Passwords never leave this module
 * except through resolve().
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ContractError } from '../../contract/api.js';
import { reason, reasonOfIssue, type ErrorReason } from '../../contract/api-errors.js';
import { Camera, CameraInput, GeoPosition, type FrigateSettings, type MotionConfig, type ProbeResult, type StreamProfile, type VideoCodec } from '../../contract/schemas.js';
import { createLogger, type Logger } from '../log.js';
import type { NoticeBoard } from '../notices.js';
import { describeIssues } from '../settings/describe-issue.js';
import type { SecretBox } from '../settings/secrets.js';
import { openVersionedStore, type VersionedStore } from '../settings/versioned-store.js';
import { exportCsv, exportJson, parseCsvImport, parseJsonImport, type ImportRow } from './camera-io.js';
import { probeStream, videoCodecOf } from './probe.js';
import { slugify, uniqueId } from './slug.js';
import { checkStreamUrl } from './url-policy.js';

/** A camera as stored on disk: the public Camera plus its sealed password. */
const StoredCamera = Camera.omit({ hasCredentials: true }).extend({ passwordSealed: z.string().optional() });
type StoredCamera = z.infer<typeof StoredCamera>;
const CameraFile = z.object({ cameras: z.array(StoredCamera) });
type CameraFile = z.infer<typeof CameraFile>;

/**
 * What the media engine needs to open a camera (the one definition: the stream engine imports it). Facts per stream
 * (size, codec) come from the last successful probe of that stream, when there was one. The password is plain
 * text: never log it.
 */
export interface ResolvedCamera {
  mainUrl: string; subUrl?: string; username?: string; password?: string;
  /** Motion detection when switched on (absent when off). */
  motion?: MotionConfig;
  mainSize?: FrameSize; subSize?: FrameSize;
  /** Probed codec of each stream; absent when never probed (the engine then assumes H.264). */
  mainCodec?: VideoCodec; subCodec?: VideoCodec;
  /** The longest wait between connection attempts (absent: the stream engine's back-off, up to 1 min). */
  retryCapMs?: number;
}

type FrameSize = { width: number; height: number };

/** The stream a profile connects to: the sub-stream when there is one, else the main stream (same rule for URL and codec). */
export function streamOf(c: Pick<ResolvedCamera, 'mainUrl' | 'subUrl' | 'mainCodec' | 'subCodec'>, profile: StreamProfile): { url: string; codec: VideoCodec } {
  return profile === 'sub' && c.subUrl ? { url: c.subUrl, codec: c.subCodec ?? 'h264' } : { url: c.mainUrl, codec: c.mainCodec ?? 'h264' };
}

function probedSize(p: ProbeResult | undefined): FrameSize | undefined {
  return p?.ok && p.width && p.height ? { width: p.width, height: p.height } : undefined;
}

function probedCodec(p: ProbeResult | undefined): VideoCodec | undefined {
  return p?.ok ? videoCodecOf(p.codec) : undefined;
}

export interface CameraImportResult { added: number; updated: number; errors: { row: number; message: string; reason?: ErrorReason }[] }

export const DEMO_TAG = 'demo';

export interface CameraRegistryOptions {
  dataDir: string;
  secrets: SecretBox;
  notices?: NoticeBoard;
  log?: Logger;
  /** Folders file:// cameras may use (from settings); read on every check. */
  fileRoots?: () => readonly string[];
  /** Hard limit for one ffprobe run (default 8 s). */
  probeTimeoutMs?: number;
}

const DemoCity = z.object({
  version: z.number().optional(),
  city: z.string().optional(),
  cameras: z.array(z.object({
    id: z.string(), name: z.string(), kind: z.string().optional(), group: z.string().optional(),
    tags: z.array(z.string()).optional(), location: z.unknown().optional(),
  }).loose()),
});

export class CameraRegistry {
  private readonly store: VersionedStore<CameraFile>;
  private cameras = new Map<string, StoredCamera>();
  private readonly listeners = new Set<(cameras: Camera[]) => void>();
  private readonly log: Logger;

  constructor(private readonly opts: CameraRegistryOptions) {
    this.log = opts.log ?? createLogger({ scope: 'cameras' });
    this.store = openVersionedStore<CameraFile>({
      dataDir: opts.dataDir, name: 'cameras', label: 'camera list', schema: CameraFile,
      defaults: () => ({ cameras: [] }), version: 1, notices: opts.notices, log: this.log,
    });
    for (const c of this.store.read().cameras) this.cameras.set(c.id, c);
  }

  list(): Camera[] { return [...this.cameras.values()].map(toPublic); }

  get(id: string): Camera | undefined {
    const c = this.cameras.get(id);
    return c ? toPublic(c) : undefined;
  }

  async add(input: CameraInput, opts: { probe?: boolean } = {}): Promise<Camera> {
    const next = new Map(this.cameras);
    const cam = this.prepare(input, undefined, next);
    next.set(cam.id, cam);
    this.commit(next);
    this.log.info('camera added', { id: cam.id, url: cam.mainUrl });
    if (opts.probe) await this.probeAndStore(cam.id);
    return this.get(cam.id) ?? toPublic(cam);
  }

  async update(id: string, input: CameraInput, opts: { probe?: boolean } = {}): Promise<Camera> {
    const existing = this.require(id);
    const next = new Map(this.cameras);
    const cam = this.prepare(input, existing, next);
    next.set(id, cam);
    this.commit(next);
    this.log.info('camera updated', { id, url: cam.mainUrl });
    if (opts.probe) await this.probeAndStore(id);
    return this.get(id) ?? toPublic(cam);
  }

  remove(id: string): void {
    this.require(id);
    const next = new Map(this.cameras);
    next.delete(id);
    this.commit(next);
    this.log.info('camera removed', { id });
  }

  /** Probes one profile and stores the result on the camera. Never rejects for stream problems. */
  async probe(id: string, profile: StreamProfile = 'main'): Promise<ProbeResult> {
    const cam = this.require(id);
    if (profile === 'sub' && !cam.subUrl) throw new ContractError('invalid', `camera "${id}" has no sub-stream URL to probe`, reason('noSubUrl', { camera: id }));
    const result = await this.runProbe(id, profile);
    const now = this.cameras.get(id);
    if (now && (profile === 'main' ? now.mainUrl === cam.mainUrl : now.subUrl === cam.subUrl)) {
      const next = new Map(this.cameras);
      next.set(id, { ...now, probe: { ...now.probe, [profile]: result } });
      this.commit(next);
    }
    return result;
  }

  /** Good rows import even when others fail; each bad row is reported with its number. */
  import(format: 'json' | 'csv', text: string): CameraImportResult {
    let rows: ImportRow[];
    try { rows = format === 'csv' ? parseCsvImport(text) : parseJsonImport(text); } catch (err) {
      throw new ContractError('invalid', `import: ${(err as Error).message}`, reason('cameraImportBad', { detail: (err as Error).message }));
    }
    const next = new Map(this.cameras);
    const result: CameraImportResult = { added: 0, updated: 0, errors: [] };
    for (const row of rows) {
      if ('error' in row) { result.errors.push({ row: row.row, message: row.error, reason: row.reason }); continue; }
      try {
        const id = typeof row.input.id === 'string' ? row.input.id : undefined;
        const existing = id ? next.get(id) : undefined;
        const cam = this.prepare(row.input, existing, next);
        next.set(cam.id, cam);
        if (existing) result.updated++; else result.added++;
      } catch (err) {
        const why = err instanceof ContractError ? err.reason : undefined;
        result.errors.push({ row: row.row, message: (err as Error).message, ...(why ? { reason: why } : {}) });
      }
    }
    if (result.added + result.updated > 0) this.commit(next);
    this.log.info('cameras imported', { format, added: result.added, updated: result.updated, rejected: result.errors.length });
    if (result.errors.length > 0) {
      const first = result.errors[0]!;
      this.opts.notices?.add('warning', `Camera import: ${result.errors.length} row${result.errors.length > 1 ? 's were' : ' was'} rejected (row ${first.row}: ${first.message}).`,
        { key: 'cameraImportRejected', params: { count: result.errors.length, row: first.row, reason: first.message }, ...(first.reason ? { reason: first.reason } : {}) });
    }
    return result;
  }

  /** Passwords are never exported. */
  export(format: 'json' | 'csv'): string {
    return format === 'csv' ? exportCsv(this.list()) : exportJson(this.list());
  }

  /** For the media engine: URLs and plain credentials, or undefined for an unknown camera. */
  resolve(id: string): ResolvedCamera | undefined {
    const c = this.cameras.get(id);
    if (!c) return undefined;
    const out: ResolvedCamera = { mainUrl: c.mainUrl };
    if (c.subUrl) out.subUrl = c.subUrl;
    if (c.username) out.username = c.username;
    if (c.motion?.enabled) out.motion = { sensitivity: c.motion.sensitivity, masks: c.motion.masks };
    const mainSize = probedSize(c.probe?.main);
    const subSize = probedSize(c.probe?.sub);
    if (mainSize) out.mainSize = mainSize;
    if (subSize) out.subSize = subSize;
    const mainCodec = probedCodec(c.probe?.main);
    const subCodec = probedCodec(c.probe?.sub);
    if (mainCodec) out.mainCodec = mainCodec;
    if (subCodec) out.subCodec = subCodec;
    if (c.passwordSealed) {
      try { out.password = this.opts.secrets.decrypt(c.passwordSealed); } catch (err) {
        this.log.warn('camera password cannot be unsealed; connecting without it', { id, reason: (err as Error).message });
      }
    }
    return out;
  }

  onChange(cb: (cameras: Camera[]) => void): () => void {
    this.listeners.add(cb);
    return () => { this.listeners.delete(cb); };
  }

  /**
   * First start of the demo: adds the demo city's cameras (tagged 'demo') when the registry is
   * empty. Returns how many were added (0 when the registry already had cameras or the file is bad).
   */
  seedFromDemoCity(file: string, urlFor: (id: string, profile: StreamProfile) => string): number {
    if (this.cameras.size > 0) return 0;
    let demo: z.infer<typeof DemoCity>;
    try { demo = DemoCity.parse(JSON.parse(readFileSync(file, 'utf8'))); } catch (err) {
      this.log.error('demo city file unreadable', { file, reason: (err as Error).message });
      const error = (err as Error).message.slice(0, 200);
      this.opts.notices?.add('error', `The demo city file ${file} could not be read: ${error}`, { key: 'demoCityUnreadable', params: { file, error } });
      return 0;
    }
    const rows: string[] = [];
    const next = new Map(this.cameras);
    for (const d of demo.cameras) {
      const location = GeoPosition.safeParse(d.location);
      try {
        const cam = this.prepare({
          id: d.id, name: d.name, mainUrl: urlFor(d.id, 'main'), subUrl: urlFor(d.id, 'sub'),
          kind: CameraInput.shape.kind.unwrap().safeParse(d.kind).data ?? 'fixed',
          ...(d.group ? { group: d.group } : {}),
          tags: [...new Set([...(d.tags ?? []), DEMO_TAG])].slice(0, 32),
          ...(location.success ? { location: location.data } : {}),
        }, undefined, next);
        next.set(cam.id, cam);
      } catch (err) { rows.push(`${d.id}: ${(err as Error).message}`); }
    }
    if (rows.length) this.log.warn('demo cameras skipped', { rows });
    this.commit(next);
    return next.size;
  }

  /** Points the demo cameras at the simulator's current address; returns how many changed. */
  repointDemoCameras(urlFor: (id: string, profile: StreamProfile) => string): number {
    const next = new Map(this.cameras);
    let changed = 0;
    for (const c of next.values()) {
      if (!c.tags.includes(DEMO_TAG)) continue;
      const mainUrl = urlFor(c.id, 'main');
      const subUrl = urlFor(c.id, 'sub');
      if (mainUrl === c.mainUrl && subUrl === c.subUrl) continue;
      const { probe: _stale, ...rest } = c;
      next.set(c.id, { ...rest, mainUrl, subUrl });
      changed++;
    }
    if (changed) this.commit(next);
    return changed;
  }

  private require(id: string): StoredCamera {
    const c = this.cameras.get(id);
    if (!c) throw new ContractError('not-found', `no camera with id "${String(id).slice(0, 80)}"`, reason('noCamera', { camera: String(id).slice(0, 80) }));
    return c;
  }

  /** Validates input into a stored camera; throws ContractError('invalid'|'conflict'). */
  private prepare(raw: CameraInput, existing: StoredCamera | undefined, all: Map<string, StoredCamera>): StoredCamera {
    const parsed = CameraInput.safeParse(raw);
    if (!parsed.success) throw new ContractError('invalid', describeIssues(parsed.error), reasonOfIssue(parsed.error.issues[0]!) ?? undefined);
    const input = parsed.data;
    const fileRoots = this.opts.fileRoots?.() ?? [];
    const main = checkStreamUrl(input.mainUrl, { fileRoots, label: 'main stream URL', field: 'mainUrl' });
    if (!main.ok) throw new ContractError('invalid', main.message, main.reason);
    const sub = input.subUrl ? checkStreamUrl(input.subUrl, { fileRoots, label: 'sub-stream URL', field: 'subUrl' }) : undefined;
    if (sub && !sub.ok) throw new ContractError('invalid', sub.message, sub.reason);

    let id: string;
    if (existing) {
      if (input.id && input.id !== existing.id) throw new ContractError('invalid', `the id of camera "${existing.id}" cannot be changed to "${input.id}"`, reason('cameraIdFixed', { camera: existing.id, id: input.id }));
      id = existing.id;
    } else if (input.id) {
      if (all.has(input.id)) throw new ContractError('conflict', `a camera with id "${input.id}" already exists`, reason('cameraIdTaken', { id: input.id }));
      id = input.id;
    } else {
      id = uniqueId(slugify(input.name), (candidate) => all.has(candidate));
    }

    // Typed fields win over credentials found inside a URL; an omitted password keeps the stored one.
    const urlUser = main.username ?? (sub?.ok ? sub.username : undefined);
    const urlPass = main.password ?? (sub?.ok ? sub.password : undefined);
    const username = (input.username ?? urlUser ?? existing?.username)?.trim() || undefined;
    const password = input.password ?? urlPass;
    let passwordSealed = existing?.passwordSealed;
    if (password !== undefined) passwordSealed = password === '' ? undefined : this.opts.secrets.encrypt(password);

    const tags = [...new Set(input.tags.map((t) => t.trim()).filter(Boolean))];
    const frigate = input.frigate ? frigateOf(input.frigate) : existing?.frigate;
    for (const name of frigate?.names ?? []) {
      const other = [...all.values()].find((c) => c.id !== id && c.frigate?.names.includes(name));
      if (other) throw new ContractError('conflict', `Frigate camera "${name}" already feeds camera "${other.id}"`, reason('frigateTaken', { name, camera: other.id }));
    }
    const sameStreams = existing && existing.mainUrl === main.url && existing.subUrl === (sub?.ok ? sub.url : undefined);
    return {
      id, name: input.name, mainUrl: main.url,
      ...(sub?.ok ? { subUrl: sub.url } : {}),
      ...(username ? { username } : {}),
      ...(passwordSealed ? { passwordSealed } : {}),
      kind: input.kind,
      ...(input.group?.trim() ? { group: input.group.trim() } : {}),
      tags,
      ...(input.location ? { location: input.location } : {}),
      ...(input.motion ? { motion: input.motion } : existing?.motion ? { motion: existing.motion } : {}),
      ...(frigate ? { frigate } : {}),
      // Probe results describe the old URLs; keep them only when the URLs did not change.
      ...(sameStreams && existing.probe ? { probe: existing.probe } : {}),
    };
  }

  private async probeAndStore(id: string): Promise<void> {
    const cam = this.cameras.get(id);
    if (!cam) return;
    await Promise.all([this.probe(id, 'main'), ...(cam.subUrl ? [this.probe(id, 'sub')] : [])]);
  }

  private runProbe(id: string, profile: StreamProfile): Promise<ProbeResult> {
    const r = this.resolve(id);
    const url = profile === 'main' ? r?.mainUrl : r?.subUrl;
    if (!r || !url) return Promise.resolve({ ok: false, errorKind: 'invalid', error: 'no URL for this profile' });
    return probeStream(url, { username: r.username, password: r.password, log: this.log, ...(this.opts.probeTimeoutMs ? { timeoutMs: this.opts.probeTimeoutMs } : {}) });
  }

  /** Writes first, then swaps memory, so a failed write leaves the registry as it was. */
  private commit(next: Map<string, StoredCamera>): void {
    this.store.write({ cameras: [...next.values()] });
    this.cameras = next;
    const list = this.list();
    for (const cb of this.listeners) {
      try { cb(list); } catch (err) { this.log.error('camera change listener failed', { reason: (err as Error).message }); }
    }
  }
}

/** Names de-duplicated; settings with no name and no size are no settings (undefined). */
function frigateOf(f: FrigateSettings): FrigateSettings | undefined {
  const names = [...new Set(f.names)];
  if (!names.length && f.detectWidth === undefined) return undefined;
  return { names, ...(f.detectWidth !== undefined && f.detectHeight !== undefined ? { detectWidth: f.detectWidth, detectHeight: f.detectHeight } : {}) };
}

function toPublic(c: StoredCamera): Camera {
  const { passwordSealed, ...rest } = c;
  return { ...rest, hasCredentials: Boolean(passwordSealed) };
}
