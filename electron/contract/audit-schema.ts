/**
 * What verifying an audit chain concludes (electron/host/audit): the reply of `alarms.audit.verify` and the JSON that
 * `kuzet verify --audit --json` prints. One definition for both.
 */
import { z } from 'zod';

/**
 * intact: links hold and every signed checkpoint matches. legacy-unanchored: written before checkpoints existed and never
 * anchored (links hold; a cut-off tail or a rebuilt chain cannot be told). edited: an entry's hash or link does not hold.
 * truncated: a signed checkpoint names entries that no longer exist. rebuilt: the links hold but a checkpoint's head hash
 * differs, a checkpoint's signature is invalid or by another key, or checkpoints were removed. unanchored: entries of the
 * anchored format and no checkpoint log at all (it was deleted).
 */
export const AuditStatus = z.enum(['intact', 'legacy-unanchored', 'edited', 'truncated', 'rebuilt', 'unanchored']);
export type AuditStatus = z.infer<typeof AuditStatus>;

export const AuditVerdict = z.object({
  chain: z.string(),
  ok: z.boolean(),
  status: AuditStatus,
  /** Entries present (legacyEntries of them in the format before anchoring). */
  entries: z.number().int(),
  legacyEntries: z.number().int(),
  checkpoints: z.number().int(),
  /** The sequence number the last valid checkpoint anchors (0: the empty chain), null without checkpoints. */
  anchoredSeq: z.number().int().nullable(),
  /** Entries after the last checkpoint: not yet anchored, so a cut there cannot be detected. */
  unanchored: z.number().int(),
  firstBadSeq: z.number().int().nullable(),
  /** The first problem in words (null when intact), and all of them. */
  problem: z.string().nullable(),
  problems: z.array(z.string()),
  /** Entries 1..prunedThrough were removed by retention (a signed, recorded pruning: docs/audit.md); absent when none. */
  prunedThrough: z.number().int().optional(),
});
export type AuditVerdict = z.infer<typeof AuditVerdict>;
