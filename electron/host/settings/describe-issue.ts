/** Turns a zod failure into one sentence an operator can act on ("name: at most 200 characters"). */
import type { z } from 'zod';

export function describeIssues(error: z.ZodError, prefix?: string): string {
  const first = error.issues[0];
  if (!first) return prefix ? `${prefix}: invalid` : 'invalid';
  const path = first.path.map(String).join('.');
  // The contract's messages usually start with the field name already ("name is required").
  const head = path && !first.message.toLowerCase().startsWith(path.toLowerCase()) ? `${path}: ` : '';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return `${prefix ? `${prefix}: ` : ''}${head}${first.message}${more}`;
}
