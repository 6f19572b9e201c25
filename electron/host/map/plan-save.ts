/**
 * Placing a site plan by dragging its reference points on the map (issue 10 §1): map.json gets the plan's new points
 * and nothing else changes (the file's other keys and plans are kept as written). Written atomically: a temporary
 * file beside it, flushed to disk, renamed over map.json; on any error map.json is the previous file, untouched.
 * Refused with a reason the console translates when the plan is unknown, a point is outside the image, the points
 * cannot place a plan (contract/plan-points.ts), or map.json no longer reads.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import { MapConfigFile, type PlanPoint } from '../../contract/map-api.js';
import { planPointsProblem } from '../../contract/plan-points.js';
import { MAP_CONFIG_FILE, pngSize } from './map-files.js';

export function placePlan(dataDir: string, id: string, points: readonly PlanPoint[]): void {
  const file = join(dataDir, MAP_CONFIG_FILE);
  const unreadable = (problem: string) => new ContractError('invalid', `${MAP_CONFIG_FILE} cannot be read (${problem}); it was left as it is`, reason('mapFileUnreadable', { problem }));
  let raw: { plans?: Array<{ id?: unknown; points?: unknown }> } & Record<string, unknown>;
  try { raw = JSON.parse(readFileSync(file, 'utf8')) as typeof raw; } catch (e) { throw unreadable(e instanceof Error ? e.message : String(e)); }
  const parsed = MapConfigFile.safeParse(raw);
  if (!parsed.success) throw unreadable(parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; '));
  const plan = parsed.data.plans.find((p) => p.id === id);
  const at = raw.plans?.findIndex((p) => p.id === id) ?? -1;
  if (!plan || at < 0) throw new ContractError('not-found', `no site plan '${id}' in ${MAP_CONFIG_FILE}`, reason('noPlan', { plan: id }));
  const size = pngSize(isAbsolute(plan.image) ? plan.image : join(dataDir, plan.image));
  if (typeof size === 'string') throw unreadable(`plan ${id}: ${size}`);
  const problem = planPointsProblem(points, size.width, size.height);
  if (problem) throw new ContractError('invalid', `plan ${id}: ${problem.code}`, reason(problem.code, problem.params));

  const next = { ...raw, plans: raw.plans!.map((p, i) => (i === at ? { ...p, points: points.map((q) => ({ px: q.px, lon: q.lon, lat: q.lat })) } : p)) };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try { writeSync(fd, `${JSON.stringify(next, null, 2)}\n`); fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    const message = e instanceof Error ? e.message : String(e);
    throw new ContractError('unavailable', `${MAP_CONFIG_FILE} could not be written (${message}); the previous file is kept`, reason('mapFileNotSaved', { problem: message }));
  }
}
