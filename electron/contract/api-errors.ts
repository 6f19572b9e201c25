/**
 * Why the host refused a request, as a code and parameters the console translates (`apiErrors.<code>` in every
 * language; renderer/app/ui-errors.ts), beside the host's English message (kept for logs, the API and scripts).
 * One definition of the codes, of the English texts schemas use for parameterless problems (so a schema issue maps
 * back to its code), and of the wire format. Pure module: no Node, no DOM.
 */
import { z } from 'zod';

/** Every reason the host gives a code for. Adding one needs a key `apiErrors.<code>` in en, ru and kk (a test checks). */
export const ERROR_REASON_CODES = [
  'forbidden', 'forbiddenHours', 'forbiddenEvery', 'forbiddenAny', 'notSignedIn', 'userGone', 'locked', 'unknownRequest',
  'pointOutside', 'tooFewPoints', 'tooManyPoints', 'edgesCross', 'noArea', 'nameTwice', 'nameMissing', 'lineTooShort',
  'maskKind', 'tooManyShapes', 'noLiftableMask', 'liftReason',
] as const;
export type ErrorReasonCode = (typeof ERROR_REASON_CODES)[number];

/** What the console translates: the code and the values its sentence names (a right, a camera, a shape's name). */
export const ErrorReason = z.object({
  code: z.enum(ERROR_REASON_CODES),
  params: z.record(z.string(), z.union([z.string().max(200), z.number()])).default({}),
});
export type ErrorReason = z.infer<typeof ErrorReason>;

/** The English texts of parameterless problems, as schemas write them; a schema issue with one of them has that code. */
export const REASON_TEXTS = {
  pointOutside: 'a point is outside the picture (x and y go from 0 to 1)',
  maskKind: 'a mask is either liftable or permanent',
  liftReason: 'write why the masks are lifted (at least 5 characters)',
  nameMissing: ['a mask needs a name', 'a zone needs a name'],
} as const satisfies Partial<Record<ErrorReasonCode, string | readonly string[]>>;

const BY_TEXT = new Map<string, ErrorReasonCode>(Object.entries(REASON_TEXTS).flatMap(([code, texts]) =>
  (typeof texts === 'string' ? [texts] : texts).map((text): [string, ErrorReasonCode] => [text, code as ErrorReasonCode])));

/** A reason for a zod refinement: `ctx.addIssue({ code: 'custom', message, params: reasonParams('nameTwice', { name }) })`. */
export function reasonParams(code: ErrorReasonCode, params: Record<string, string | number> = {}): { reason: ErrorReason } {
  return { reason: { code, params } };
}

/** The reason of a schema issue: one its refinement named, one of the known texts, or null (the English message stays). */
export function reasonOfIssue(issue: { message: string; code?: string; path?: readonly PropertyKey[]; params?: unknown; minimum?: unknown; maximum?: unknown }): ErrorReason | null {
  const named = ErrorReason.safeParse((issue.params as { reason?: unknown } | undefined)?.reason);
  if (named.success) return named.data;
  const code = BY_TEXT.get(issue.message);
  if (code) return { code, params: {} };
  // the corners of a polygon (zones, masks): too few or too many
  if (issue.path?.at(-1) === 'points') {
    if (issue.code === 'too_small' && typeof issue.minimum === 'number') return { code: 'tooFewPoints', params: { min: issue.minimum } };
    if (issue.code === 'too_big' && typeof issue.maximum === 'number') return { code: 'tooManyPoints', params: { max: issue.maximum } };
  }
  const last = issue.path?.at(-1);
  if (issue.code === 'too_big' && (last === 'masks' || last === 'zones') && typeof issue.maximum === 'number') return { code: 'tooManyShapes', params: { max: issue.maximum } };
  return null;
}
