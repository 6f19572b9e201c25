/**
 * Site plans edited from the map (issue 10 §1), each change written atomically (`writeFileAtomic`: a temporary file
 * beside the target, flushed to disk, renamed over it; on any error the target is the previous file, untouched).
 * - Placing a plan by dragging its reference points: map.json gets the plan's new points and nothing else changes (the
 *   file's other keys and plans are kept as written). Refused with a reason the console translates when the plan is
 *   unknown, a point is outside the image, the points cannot place a plan (contract/plan-points.ts), or map.json no
 *   longer reads.
 * - Adding a plan: the image (PNG or JPEG by its magic bytes, at most PLAN_MAX_BYTES, sides 1..16384 px) is stored as
 *   `<dataDir>/plans/<id>.png|.jpg`, then map.json names it (created when missing), first placed by two points on the
 *   image's middle row; refused with the reason before anything is written.
 * - Removing a plan: map.json without it (the other plans and keys as written), then its image deleted when it lies in
 *   `<dataDir>/plans` (where adding stores images) and no other plan names it; an image elsewhere is never touched.
 */
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import { MapConfigFile, PLAN_MAX_BYTES, type PlanPoint } from '../../contract/map-api.js';
import { planPointsProblem } from '../../contract/plan-points.js';
import { imageInfo, MAP_CONFIG_FILE, planImageInfo } from './map-files.js';

/** Replaces `file` with `data` atomically (temporary file beside it, fsync, rename); throws, leaving `file` as it was. */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try { writeFileSync(fd, data); fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

type RawConfig = { plans?: Array<{ id?: unknown; points?: unknown }> } & Record<string, unknown>;

const unreadable = (problem: string) => new ContractError('invalid', `${MAP_CONFIG_FILE} cannot be read (${problem}); it was left as it is`, reason('mapFileUnreadable', { problem }));

/** map.json as written (raw, to keep its keys) and as parsed; a missing file when `orEmpty` is an empty version 1. */
function readConfig(dataDir: string, orEmpty: boolean): { raw: RawConfig; parsed: MapConfigFile } {
  const file = join(dataDir, MAP_CONFIG_FILE);
  let raw: RawConfig;
  if (orEmpty && !existsSync(file)) raw = { v: 1, plans: [] };
  else {
    try { raw = JSON.parse(readFileSync(file, 'utf8')) as RawConfig; } catch (e) { throw unreadable(e instanceof Error ? e.message : String(e)); }
  }
  const parsed = MapConfigFile.safeParse(raw);
  if (!parsed.success) throw unreadable(parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; '));
  return { raw, parsed: parsed.data };
}

function writeConfig(dataDir: string, next: unknown): void {
  try { writeFileAtomic(join(dataDir, MAP_CONFIG_FILE), `${JSON.stringify(next, null, 2)}\n`); } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ContractError('unavailable', `${MAP_CONFIG_FILE} could not be written (${message}); the previous file is kept`, reason('mapFileNotSaved', { problem: message }));
  }
}

export function placePlan(dataDir: string, id: string, points: readonly PlanPoint[]): void {
  const { raw, parsed } = readConfig(dataDir, false);
  const plan = parsed.plans.find((p) => p.id === id);
  const at = raw.plans?.findIndex((p) => p.id === id) ?? -1;
  if (!plan || at < 0) throw new ContractError('not-found', `no site plan '${id}' in ${MAP_CONFIG_FILE}`, reason('noPlan', { plan: id }));
  const size = planImageInfo(isAbsolute(plan.image) ? plan.image : join(dataDir, plan.image));
  if (typeof size === 'string') throw unreadable(`plan ${id}: ${size}`);
  const problem = planPointsProblem(points, size.width, size.height);
  if (problem) throw new ContractError('invalid', `plan ${id}: ${problem.code}`, reason(problem.code, problem.params));
  writeConfig(dataDir, { ...raw, plans: raw.plans!.map((p, i) => (i === at ? { ...p, points: points.map((q) => ({ px: q.px, lon: q.lon, lat: q.lat })) } : p)) });
}

const METRES_PER_DEGREE = 111_320;

/** A plan id from its name: its ASCII letters and digits, made unique among `taken` (a name in Cyrillic gets `plan`). */
export function planIdFor(name: string, taken: ReadonlySet<string>): string {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'plan';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Adds a plan: checks the image (magic bytes, size), stores it, names it in map.json placed `widthM` wide centred on
 * `at`, north up. Returns the new plan's id. Nothing is written when it is refused.
 */
export function addPlan(dataDir: string, p: { name: string; image: string; at: { lon: number; lat: number }; widthM: number }): string {
  const bytes = Buffer.from(p.image, 'base64');
  if (bytes.length > PLAN_MAX_BYTES) {
    throw new ContractError('invalid', `the plan image is ${(bytes.length / 1048576).toFixed(1)} MB: at most ${PLAN_MAX_BYTES / 1048576} MB`,
      reason('planTooLarge', { sizeMb: Number((bytes.length / 1048576).toFixed(1)), maxMb: PLAN_MAX_BYTES / 1048576 }));
  }
  const info = imageInfo(bytes);
  if (typeof info === 'string') {
    const sizeProblem = info.includes(' size ');
    throw new ContractError('invalid', `the plan image is refused: ${info}`, sizeProblem ? reason('planImageSize', { detail: info }) : reason('planNotImage', {}));
  }
  const { raw, parsed } = readConfig(dataDir, true);
  // an id is taken by a plan in map.json, and by an image already in plans/ (a removed plan's image another plan still names)
  const plansDir = join(dataDir, 'plans');
  const stored = existsSync(plansDir) ? readdirSync(plansDir).map((f) => f.replace(/\.[^.]*$/, '')) : [];
  const id = planIdFor(p.name, new Set([...parsed.plans.map((x) => x.id), ...stored]));
  const rel = `plans/${id}.${info.type === 'png' ? 'png' : 'jpg'}`;
  // two points on the image's middle row, its left and right edges widthM apart around `at`, north up
  const halfDeg = p.widthM / 2 / (METRES_PER_DEGREE * Math.cos((p.at.lat * Math.PI) / 180));
  const points: PlanPoint[] = [
    { px: [0, info.height / 2], lon: p.at.lon - halfDeg, lat: p.at.lat },
    { px: [info.width, info.height / 2], lon: p.at.lon + halfDeg, lat: p.at.lat },
  ];
  const problem = planPointsProblem(points, info.width, info.height);
  if (problem) throw new ContractError('invalid', `plan ${id}: ${problem.code}`, reason(problem.code, problem.params));
  const imagePath = join(dataDir, rel);
  try {
    mkdirSync(join(dataDir, 'plans'), { recursive: true });
    writeFileAtomic(imagePath, bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ContractError('unavailable', `the plan image could not be stored (${message})`, reason('mapFileNotSaved', { problem: message }));
  }
  try {
    writeConfig(dataDir, { ...raw, plans: [...(raw.plans ?? []), { id, name: p.name, image: rel, points, opacity: 0.85 }] });
  } catch (e) { rmSync(imagePath, { force: true }); throw e; }
  return id;
}

/** The folder of the data dir that holds the images of plans added from the map. */
const PLANS_DIR = 'plans';

/** Is `file` a regular file directly in `<dataDir>/plans` (links resolved for the folder, never followed for the file)? */
function inPlansFolder(dataDir: string, file: string): boolean {
  try {
    if (!lstatSync(file).isFile()) return false;
    return realpathSync(dirname(file)) === realpathSync(join(dataDir, PLANS_DIR));
  } catch { return false; }
}

/**
 * Removes plan `id`: map.json is written without it (atomically; the other plans and keys as written), then its image
 * is deleted when it lies in `<dataDir>/plans` and no remaining plan names the same file. Refused (nothing written or
 * deleted) when the plan is unknown or map.json does not read. `imageDeleted`: whether the image file was deleted.
 */
export function removePlan(dataDir: string, id: string): { imageDeleted: boolean; image: string } {
  const { raw, parsed } = readConfig(dataDir, false);
  const plan = parsed.plans.find((p) => p.id === id);
  const at = raw.plans?.findIndex((p) => p.id === id) ?? -1;
  if (!plan || at < 0) throw new ContractError('not-found', `no site plan '${id}' in ${MAP_CONFIG_FILE}`, reason('noPlan', { plan: id }));
  const full = (image: string) => resolve(dataDir, image);
  const image = full(plan.image);
  writeConfig(dataDir, { ...raw, plans: raw.plans!.filter((_, i) => i !== at) });
  const shared = parsed.plans.some((p) => p.id !== id && full(p.image) === image);
  if (shared || !inPlansFolder(dataDir, image)) return { imageDeleted: false, image };
  // map.json no longer names it: a failed delete leaves an unused file behind, never a plan without its image
  rmSync(image, { force: true });
  return { imageDeleted: true, image };
}
