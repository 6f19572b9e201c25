/**
 * Incident packages (issue 11 §1, docs/replay.md): build one folder that replays an incident on another console, and
 * import one. The video is an evidence export of the incident's cameras and range (exportEvidence: remuxed, never
 * re-encoded); beside it journal.json (the incident record replay needs), alarms.json (each alarm with its audit
 * history), events.json (stored analytics events), units.json (the units' recorded tracks), zones.json (the cameras'
 * zones and lines) and evidence.json (bookmarks and evidence locks); the export's manifest is re-signed, with the data files added, as
 * a `kuzet-incident/1` manifest by the console's export key (manifest.ts), so `kuzet verify` checks it like an export.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContractError } from '../../contract/api.js';
import { reason } from '../../contract/api-errors.js';
import type { Alarm } from '../../contract/alarms-schema.js';
import type { StoredEvent } from '../../contract/events-schema.js';
import type { CameraZones } from '../../contract/zones-schema.js';
import type { Bookmark, EvidenceLock } from '../../contract/review-api.js';
import {
  INCIDENT_PACKAGE_FORMAT, PACKAGE_FILES, PackageAlarms, PackageEvents, PackageJournal, PackageUnits, PackageZones, PackageEvidence, type PackageResult, type PackageUnit,
} from '../../contract/replay-package.js';
import type { IncidentRecord } from '../../contract/replay-schema.js';
import { exportEvidence, type ExportDeps } from '../export/evidence-export.js';
import { MANIFEST_FILE, SIGNATURE_FILE, manifestBytes, sha256Hex, signManifest, type Manifest } from '../export/manifest.js';
import { verifyExport } from '../export/verify-export.js';
import { archiveFolder, extractArchive } from '../export/folder-archive.js';

/** A file of the package manifest: the export's video files as they are, and the data files (kind `data`). */
export interface PackageFile { name: string; bytes: number; sha256: string; kind: string; cameraId?: string; startMs?: number; endMs?: number }

/** The package's manifest.json: the export manifest's fields, another format, the incident and every file. */
export type PackageManifest = Omit<Manifest, 'format' | 'files'> & {
  format: typeof INCIDENT_PACKAGE_FORMAT;
  incident: { id: string; name: string; fromMs: number; toMs: number; cameraIds: string[] };
  files: PackageFile[];
};

/** `progress`: the export's progress events (its id is the package's `pkg-<incident>-<time>`), so the list shows how far it is. */
export interface PackageDeps extends Omit<ExportDeps, 'exportsDir' | 'signal' | 'overlays'> {
  /** Where packages are written (`<dataDir>/incident-packages`). */
  packagesDir: string;
  /** An alarm with its audit history, or null when this console does not know it. */
  alarm(id: string): Promise<{ alarm: Alarm; history: Array<{ seq: number; at: number; actor: string; action: string; detail: string }> } | null>;
  /** Every stored event of a camera captured in [fromMs, toMs), oldest first. */
  events(cameraId: string, fromMs: number, toMs: number): Promise<{ events: StoredEvent[]; truncated: boolean }>;
  /** Every unit's recorded track in [fromMs, toMs] with its lead-in, named (absent: this console records no units, units.json is empty). */
  units?(fromMs: number, toMs: number): Promise<{ units: PackageUnit[]; truncated: boolean }>;
  /** The zones and lines of these cameras (absent: this console has none, zones.json lists no camera). */
  zones?(cameraIds: readonly string[]): CameraZones[];
  /** Bookmarks of these cameras in [fromMs, toMs) and evidence locks overlapping it (absent: none, evidence.json is empty). */
  evidence?(cameraIds: readonly string[], fromMs: number, toMs: number): { bookmarks: Bookmark[]; locks: EvidenceLock[] };
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2) + '\n');

/** Writes the package of `record` as `<packagesDir>/<id>`; a failed build leaves no folder. */
export async function buildIncidentPackage(record: IncidentRecord, by: string, id: string, d: PackageDeps): Promise<Omit<PackageResult, 'archive'>> {
  const i = record.incident;
  // the video first: the export checks the range and the footage, and makes the folder
  const exported = await exportEvidence({ cameraIds: i.cameraIds, fromMs: i.fromMs, toMs: i.toMs, reason: `incident package of ${i.id}: ${i.name}`, by, id }, { ...d, exportsDir: d.packagesDir });
  const dir = exported.dir;
  try {
    const exportManifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    const alarmIds = [...new Set([...record.before, ...record.actions].flatMap((a) => (a.change.kind === 'alarm' ? [a.change.alarm.id] : [])))];
    const alarms = (await Promise.all(alarmIds.map((a) => d.alarm(a)))).filter((a) => a !== null);
    const events = await Promise.all(i.cameraIds.map(async (cameraId) => ({ cameraId, ...(await d.events(cameraId, i.fromMs, i.toMs)) })));
    const units = (await d.units?.(i.fromMs, i.toMs)) ?? { units: [], truncated: false };
    const zones = (d.zones?.(i.cameraIds) ?? []).filter((c) => c.zones.length > 0);
    const evidence = d.evidence?.(i.cameraIds, i.fromMs, i.toMs) ?? { bookmarks: [], locks: [] };
    const data: Array<[string, Buffer]> = [
      [PACKAGE_FILES.journal, json(PackageJournal.parse({ format: INCIDENT_PACKAGE_FORMAT, record }))],
      [PACKAGE_FILES.alarms, json(PackageAlarms.parse({ format: INCIDENT_PACKAGE_FORMAT, alarms }))],
      [PACKAGE_FILES.events, json(PackageEvents.parse({ format: INCIDENT_PACKAGE_FORMAT, cameras: events }))],
      [PACKAGE_FILES.units, json(PackageUnits.parse({ format: INCIDENT_PACKAGE_FORMAT, fromMs: i.fromMs, toMs: i.toMs, ...units }))],
      [PACKAGE_FILES.zones, json(PackageZones.parse({ format: INCIDENT_PACKAGE_FORMAT, cameras: zones }))],
      [PACKAGE_FILES.evidence, json(PackageEvidence.parse({ format: INCIDENT_PACKAGE_FORMAT, ...evidence }))],
    ];
    for (const [name, body] of data) writeFileSync(join(dir, name), body);
    const manifest: PackageManifest = {
      ...exportManifest, format: INCIDENT_PACKAGE_FORMAT,
      incident: { id: i.id, name: i.name, fromMs: i.fromMs, toMs: i.toMs, cameraIds: i.cameraIds },
      files: [...exportManifest.files, ...data.map(([name, body]) => ({ name, bytes: body.length, sha256: sha256Hex(body), kind: 'data' }))],
    };
    const bytes = manifestBytes(manifest as unknown as Manifest); // the same bytes rule as an export's manifest
    writeFileSync(join(dir, MANIFEST_FILE), bytes);
    writeFileSync(join(dir, SIGNATURE_FILE), signManifest(bytes, d.key.privateKey) + '\n');
    writeFileSync(join(dir, 'README.txt'), `Kuzet incident package ${id}: incident ${i.id} (${i.name})\n`
      + `${new Date(i.fromMs).toISOString()} .. ${new Date(i.toMs).toISOString()}, cameras ${i.cameraIds.join(', ')}\n`
      + `Verify: kuzet verify <this folder>  (signer ${d.key.fingerprint})\n`
      + `The .mp4 files are the cameras' own H.264, not re-encoded; ${PACKAGE_FILES.journal} holds the console's recorded actions, `
      + `${PACKAGE_FILES.alarms} the alarms with their history, ${PACKAGE_FILES.events} the analytics events, ${PACKAGE_FILES.units} the units' recorded tracks, `
      + `${PACKAGE_FILES.zones} the cameras' zones and lines, ${PACKAGE_FILES.evidence} the bookmarks and evidence locks. Import it on a Kuzet console to replay it.\n`);
    return { incidentId: i.id, dir, files: manifest.files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256, kind: f.kind })), signer: d.key.fingerprint };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true }); // half a package must not verify as one
    throw err;
  }
}

/** A package folder read back: everything replay needs, validated. */
export interface ReadPackage {
  manifest: PackageManifest; journal: PackageJournal; alarms: PackageAlarms; events: PackageEvents;
  /** null: a package made before units.json (it replays without unit tracks). */
  units: PackageUnits | null;
  /** null: a package made before zones.json (it replays without zones). */
  zones: PackageZones | null;
  /** null: a package made before evidence.json (its timeline marks no bookmarks or locks). */
  evidence: PackageEvidence | null;
  signer: string;
}

function readJson(dir: string, name: string): unknown {
  try { return JSON.parse(readFileSync(join(dir, name), 'utf8')); } catch (err) { throw new ContractError('invalid', `${name} of the package is unreadable: ${(err as Error).message}`, reason('packageUnreadable', { file: name })); }
}

function parseFile<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, dir: string, name: string): T {
  const p = schema.safeParse(readJson(dir, name));
  if (!p.success) {
    const first = p.error.issues[0];
    throw new ContractError('invalid', `${name} of the package is not a ${INCIDENT_PACKAGE_FORMAT} file: ${first ? `${first.path.map(String).join('.')}: ${first.message}` : 'invalid'}`, reason('packageUnreadable', { file: name }));
  }
  return p.data;
}

/**
 * Verifies a package folder (signature, every file's hash, nothing missing or added) and reads its data files. A
 * package that does not verify is refused with the problems named; `trustedPublicKeyPem` pins the signer.
 */
export async function readIncidentPackage(dir: string, opts: { trustedPublicKeyPem?: string } = {}): Promise<ReadPackage> {
  if (!existsSync(join(dir, MANIFEST_FILE))) throw new ContractError('invalid', `${dir} is not an incident package (no ${MANIFEST_FILE})`, reason('packageNotPackage', { path: dir }));
  const v = await verifyExport(dir, opts);
  if (!v.ok) throw new ContractError('invalid', `the incident package does not verify: ${v.problems.join('; ')}`, reason('packageNotVerified', { count: v.problems.length }));
  const manifest = readJson(dir, MANIFEST_FILE) as PackageManifest;
  if (manifest.format !== INCIDENT_PACKAGE_FORMAT) throw new ContractError('invalid', `${dir} is a ${String(manifest.format)} folder, not an incident package (${INCIDENT_PACKAGE_FORMAT})`, reason('packageNotPackage', { path: dir }));
  const journal = parseFile(PackageJournal, dir, PACKAGE_FILES.journal);
  const alarms = parseFile(PackageAlarms, dir, PACKAGE_FILES.alarms);
  const events = parseFile(PackageEvents, dir, PACKAGE_FILES.events);
  // an older package has no units.json; one the signed manifest lists must be there and parse (verify checked it is there)
  const units = manifest.files.some((f) => f.name === PACKAGE_FILES.units) ? parseFile(PackageUnits, dir, PACKAGE_FILES.units) : null;
  const zones = manifest.files.some((f) => f.name === PACKAGE_FILES.zones) ? parseFile(PackageZones, dir, PACKAGE_FILES.zones) : null;
  const evidence = manifest.files.some((f) => f.name === PACKAGE_FILES.evidence) ? parseFile(PackageEvidence, dir, PACKAGE_FILES.evidence) : null;
  if (journal.record.incident.id !== manifest.incident?.id) throw new ContractError('invalid', `${PACKAGE_FILES.journal} is about incident ${journal.record.incident.id}, the manifest about ${String(manifest.incident?.id)}`, reason('packageMismatch'));
  return { manifest, journal, alarms, events, units, zones, evidence, signer: v.signedBy ?? '' };
}

/** Copies a verified package into `<importDir>/<incident id>` (a copy of its own: the source may go away); gives the folder. */
export function copyPackage(src: string, importDir: string, incidentId: string): string {
  const dest = join(importDir, incidentId);
  if (existsSync(dest)) throw new ContractError('conflict', `incident ${incidentId} was imported already`, reason('incidentExists', { id: incidentId }));
  mkdirSync(importDir, { recursive: true });
  try { cpSync(src, dest, { recursive: true, errorOnExist: true }); } catch (err) {
    rmSync(dest, { recursive: true, force: true });
    throw new ContractError('invalid', `cannot copy the package: ${(err as Error).message}`, reason('packageCopy', { detail: (err as Error).message }));
  }
  return dest;
}

/** Writes `<dir>.tar` beside a package folder (one top-level folder of plain files, ustar: every system opens it). */
export async function archivePackage(dir: string): Promise<string> {
  const tar = `${dir}.tar`;
  writeFileSync(tar, archiveFolder(dir));
  return tar;
}

/**
 * Runs `fn` on a package given as a folder, or as a `.tar` unpacked into a temporary folder first (removed afterwards).
 * An archive must hold exactly one folder of plain files (links are refused: a package is not a way to read elsewhere).
 */
export async function withPackageFolder<T>(path: string, fn: (dir: string) => Promise<T>): Promise<T> {
  if (!existsSync(path)) throw new ContractError('not-found', `${path} does not exist`, reason('packageMissing', { path }));
  if (statSync(path).isDirectory()) return fn(path);
  if (!path.endsWith('.tar')) throw new ContractError('invalid', `${path} is neither a package folder nor a .tar of one`, reason('packageNotTar', { path }));
  const tmp = mkdtempSync(join(tmpdir(), 'kuzet-package-'));
  try {
    let dir: string;
    try { dir = extractArchive(path, tmp); } catch (err) { throw new ContractError('invalid', `${path}: ${(err as Error).message}`, reason('packageUnreadable', { file: path })); }
    return await fn(dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
