/**
 * The incident package (issue 11 §1, docs/replay.md): one folder that replays an incident on another console. Its video
 * is an evidence export (the camera's own H.264, remuxed), beside it the journal of the incident, the alarms with their
 * history and the analytics events, all listed with their SHA-256 in a manifest signed like an export. Pure module: the
 * host writes and reads these files and validates them with these schemas; `kuzet verify` checks the signature.
 */
import { z } from 'zod';
import { Alarm } from './alarms-schema.js';
import { AuditLine } from './alarms-api.js';
import { EventSource, KuzetEvent } from './events-schema.js';
import { IncidentRecord } from './replay-schema.js';
import { Bookmark, EvidenceLock } from './review-api.js';
import { UnitTrack } from './map-api.js';
import { CameraZones } from './zones-schema.js';

/** The `format` of an incident package's manifest.json (`kuzet verify` checks it like an evidence export). */
export const INCIDENT_PACKAGE_FORMAT = 'kuzet-incident/1';

/** The data files of a package (beside the video files the export wrote). */
export const PACKAGE_FILES = { journal: 'journal.json', alarms: 'alarms.json', events: 'events.json', units: 'units.json', zones: 'zones.json', evidence: 'evidence.json' } as const;

/** journal.json: the incident with its starting state and every recorded action inside it (what consoleStateAt needs). */
export const PackageJournal = z.object({ format: z.literal(INCIDENT_PACKAGE_FORMAT), record: IncidentRecord });
export type PackageJournal = z.infer<typeof PackageJournal>;

/** alarms.json: every alarm the incident's journal names, as it is when packaged, with its audit history. */
export const PackageAlarms = z.object({
  format: z.literal(INCIDENT_PACKAGE_FORMAT),
  alarms: z.array(z.object({ alarm: Alarm, history: z.array(AuditLine) })).max(100_000),
});
export type PackageAlarms = z.infer<typeof PackageAlarms>;

/** A stored event as the event store keeps it (the producer's message, its id, when and how it came in). */
export const PackageEvent = z.intersection(KuzetEvent, z.object({ id: z.string(), receivedAt: z.number(), source: EventSource }));

/** events.json: every stored event (analytics, motion, camera health) of each camera of the incident in its range, oldest first. */
export const PackageEvents = z.object({
  format: z.literal(INCIDENT_PACKAGE_FORMAT),
  cameras: z.array(z.object({ cameraId: z.string(), events: z.array(PackageEvent), truncated: z.boolean() })).max(64),
});
export type PackageEvents = z.infer<typeof PackageEvents>;

/**
 * A unit in units.json: its recorded track in the incident's range as `units.tracks` answers it for that range (led in
 * by its last report in the minute before), and what the console calls it: its camera's name when it carries one, else
 * its id (telemetry v1 names no unit).
 */
export const PackageUnit = UnitTrack.extend({ name: z.string().max(200) });
export type PackageUnit = z.infer<typeof PackageUnit>;

/**
 * units.json: every unit with recorded reports in the incident's range [fromMs, toMs] (issue 10 §3), oldest report
 * first; `truncated`: the range held more reports than a package carries and the newest were left out. Packages made
 * before units.json existed have none: they import and replay without unit tracks.
 */
export const PackageUnits = z.object({
  format: z.literal(INCIDENT_PACKAGE_FORMAT),
  fromMs: z.number(),
  toMs: z.number(),
  units: z.array(PackageUnit).max(10_000),
  truncated: z.boolean(),
});
export type PackageUnits = z.infer<typeof PackageUnits>;

/**
 * zones.json: the zones and lines of each camera of the incident on the making console when packaged (the zones layer an
 * imported incident draws: this console's zones of the same camera id are another camera's). Packages made before
 * zones.json existed have none: they replay without zones.
 */
export const PackageZones = z.object({
  format: z.literal(INCIDENT_PACKAGE_FORMAT),
  cameras: z.array(CameraZones).max(64),
});
export type PackageZones = z.infer<typeof PackageZones>;

/**
 * evidence.json: the making console's bookmarks of the incident's cameras inside its range and its evidence locks
 * overlapping it, as they are when packaged (the imported timeline marks them as the making console's did). Packages
 * made before evidence.json existed have none: their timeline marks alarms and actions only.
 */
export const PackageEvidence = z.object({
  format: z.literal(INCIDENT_PACKAGE_FORMAT),
  bookmarks: z.array(Bookmark).max(100_000),
  locks: z.array(EvidenceLock).max(10_000),
});
export type PackageEvidence = z.infer<typeof PackageEvidence>;

/** The most reports units.json carries (the most one `units.tracks` answer gives). */
export const PACKAGE_MAX_UNIT_REPORTS = 200_000;

/** What building a package answers. */
export const PackageResult = z.object({
  incidentId: z.string(),
  /** The package folder on the host. */
  dir: z.string(),
  /** Every file the manifest lists (video and data). */
  files: z.array(z.object({ name: z.string(), bytes: z.number().int(), sha256: z.string(), kind: z.string() })),
  signer: z.string(),
  /** The .tar of the folder when one was asked for, else null. */
  archive: z.string().nullable(),
});
export type PackageResult = z.infer<typeof PackageResult>;

/** What importing a package answers: the incident now listed on this console (replayed from the package's files). */
export const ImportResult = z.object({ incidentId: z.string(), dir: z.string(), signer: z.string(), actions: z.number().int(), alarms: z.number().int() });
export type ImportResult = z.infer<typeof ImportResult>;
