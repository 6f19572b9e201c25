/**
 * The trainer's side of the after-action review (issue 11 §3, docs/training.md): finished sessions with their scores for
 * the dashboard, and the review exported as a report file (JSON: the contract's `TrainingReport`; HTML: one
 * self-contained page in the chosen language; PDF: that page printed by the host). Merged into api.ts.
 */
import { z } from 'zod';
import { TrainingSessionId } from './session-schema.js';
import { REPORT_LANGUAGES } from './report-text.js';

/** One finished session on the trainer's dashboard. */
export const TrainingResult = z.object({
  id: TrainingSessionId,
  scenarioId: z.string(),
  scenarioName: z.string(),
  trainee: z.string(),
  cameraIds: z.array(z.string()),
  startedAt: z.number().int().min(0),
  endedAt: z.number().int().min(0),
  endReason: z.enum(['completed', 'stopped']).nullable(),
  percent: z.number().min(0).max(100),
  checksPassed: z.number().int().min(0),
  checks: z.number().int().min(0),
  /** Differences from the expected responses (review-lanes.ts). */
  differences: z.number().int().min(0),
  missed: z.number().int().min(0),
});
export type TrainingResult = z.infer<typeof TrainingResult>;

export const ReportFormat = z.enum(['json', 'html', 'pdf']);
export type ReportFormat = z.infer<typeof ReportFormat>;
export const ReportLanguage = z.enum(REPORT_LANGUAGES);

/** A report file: text (JSON, HTML) or base64 (PDF). */
export const ReportFile = z.object({ name: z.string().max(200), mime: z.string().max(100), encoding: z.enum(['utf8', 'base64']), data: z.string().max(64 * 1024 * 1024) });
export type ReportFile = z.infer<typeof ReportFile>;

export const trainingReviewRequests = {
  /** Finished sessions with their scores, newest first (the trainer's dashboard). */
  'training.sessions.results': { params: z.object({}).strict(), result: z.array(TrainingResult) },
  /** The after-action review and scores as a report file in a language of the interface. */
  'training.sessions.export': { params: z.object({ id: TrainingSessionId, format: ReportFormat, language: ReportLanguage }), result: ReportFile },
} as const;
