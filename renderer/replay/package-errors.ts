/**
 * Why a package import failed, as the operator reads it: the host's refusal (code and message) sorted into the cases
 * the incident list names in the operator's language. Pure. The host's messages are checked against these cases in
 * tests/unit/package-errors.test.ts, which makes the refusals with the host's own package code.
 */
export type PackageProblem = 'notFound' | 'notPackage' | 'missingFile' | 'tampered' | 'already' | 'forbidden' | 'failed';

const NOT_VERIFIED = 'does not verify: ';

export function packageProblem(code: string, message: string): PackageProblem {
  if (code === 'not-found') return 'notFound';
  if (code === 'conflict') return 'already';
  if (code === 'forbidden') return 'forbidden';
  if (code !== 'invalid') return 'failed';
  const at = message.indexOf(NOT_VERIFIED);
  if (at < 0) return 'notPackage';
  // every problem a file gone from the package: incomplete, not changed
  const problems = message.slice(at + NOT_VERIFIED.length).split('; ');
  return problems.every((p) => p.endsWith(' is missing')) ? 'missingFile' : 'tampered';
}
