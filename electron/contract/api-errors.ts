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
  // any request's params that fail the contract's schema without a reason of their own (reasonOfIssue's fallback)
  'tooLong', 'tooShort', 'tooBig', 'tooSmall', 'tooManyItems', 'tooFewItems', 'badValue',
  // sign-in, users and roles (electron/host/access), the audit's routes (electron/host/audit)
  'badUserName', 'signInWrong', 'signInLocked', 'signInWait', 'accountDisabled', 'accountDamaged', 'directoryDown',
  'noUser', 'noRole', 'roleBuiltIn', 'selfDisable', 'selfRemove', 'passwordIsName', 'passwordMissing', 'passwordSame',
  'directoryPassword', 'auditRetentionShort', 'auditRetentionWhole', 'noReport',
  // cameras (electron/host/cameras: the registry and its URL policy)
  'noCamera', 'noSubUrl', 'cameraImportBad', 'cameraIdFixed', 'cameraIdTaken', 'frigateTaken',
  'urlEmpty', 'urlTooLong', 'urlControl', 'urlNotUrl', 'urlProtocol', 'urlWhitespace', 'urlCharacter', 'urlMalformed',
  'urlFileRemote', 'urlFileDotDot', 'urlFilePath', 'urlFileOff', 'urlFileOutside', 'urlNoHost',
  // the wall: layouts, displays, presets (electron/host/wall, contract/layout-presets.ts)
  'layoutGrid', 'cellBadSize', 'cellOutside', 'cellsOverlap', 'layoutNoCells', 'noCell', 'noLayout', 'pushEmpty',
  'noPreset', 'badDisplay',
  // replay: incidents, their footage and packages (electron/host/replay), and the recordings it reads
  'noIncident', 'noRecordings', 'noAlarm', 'noBookmark', 'noLock', 'lockTooLong', 'momentOutside', 'rangeBackwards',
  'rangeTooLong', 'noFootage', 'incidentExists', 'packageMissing', 'packageNotTar', 'packageUnreadable', 'packageNotPackage',
  'packageNotVerified', 'packageMismatch', 'packageCopy',
  // training (electron/host/training)
  'noSession', 'sessionEnded', 'traineeStops', 'noScenario', 'scenarioCameras', 'onDuty', 'scenarioNoIncident', 'scenarioTooLong',
  'recordingsShort', 'footageMissing', 'pdfUnavailable',
  // an alarm's lifecycle (electron/host/alarms/lifecycle.ts): the live queue and a training session's alarms alike
  'alarmClaimedBy', 'alarmResolved', 'alarmNotClaimed', 'alarmClaimFirst', 'noSopStep',
  // plates and violations (contract/plates/plate-text.ts, electron/host/plates)
  'plateTooLong', 'plateControl', 'plateEmpty', 'plateCharacter', 'patternCharacter', 'patternOnlyWildcards', 'patternFewKnown',
  'noViolation', 'violationAccepted', 'violationRejected', 'violationDecidedMeanwhile',
  // evidence exports (electron/host/export, electron/host/review)
  'exportTooLong', 'exportNoFootage', 'exportExists', 'exportCancelled', 'exportRunning', 'noExport',
  // names and fields any module's schema refuses (contract/names.ts, schemas.ts, access-schema.ts)
  'nameUnsafe', 'motionMaskArea', 'detectSizePair', 'timeZoneUnknown', 'timeWindowEmpty',
  // a camera list's unreadable rows (electron/host/cameras/camera-io.ts)
  'importNotCamera', 'importNotNumber', 'importLatLon', 'importDetectSize',
  // alarm rules and ingest, recordings paths, diagnostics
  'ruleIdTwice', 'mqttDown', 'pathOutside', 'diagnosticsOff', 'directoryNoRole',
  // replay and map ranges refused by the contract's own sentence (REASON_TEXTS)
  'incidentTooLong', 'tracksRange',
  // a training scenario's scripted events (contract/training/scenario-schema.ts)
  'scenarioEventTwice', 'scenarioEventLate', 'scenarioEventCamera', 'scenarioFailureDuration', 'scenarioLossUnit',
  'scenarioEventsOverlap', 'scenarioNoEvent',
  // the map window's one-time sign-in ticket (electron/host/access/sign-in-tickets.ts) and its browser (electron/host/map/map-window.ts)
  'ticketUsed', 'ticketExpired', 'ticketUnknown', 'ticketSessionEnded', 'mapWindowFailed',
  // placing a site plan by its reference points (contract/plan-points.ts, electron/host/map/plan-save.ts)
  'noPlan', 'planPixelOutside', 'planSamePixel', 'planSamePlace', 'planOnLine', 'mapFileUnreadable', 'mapFileNotSaved',
  // adding a site plan from the map (electron/host/map/plan-save.ts: addPlan)
  'planNotImage', 'planTooLarge', 'planImageSize',
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
  motionMaskArea: 'a mask polygon must enclose an area (its points are on one line)',
  detectSizePair: 'Frigate detect size: give both width and height, or neither',
  timeZoneUnknown: 'unknown time zone (use an IANA name such as Asia/Almaty)',
  timeWindowEmpty: 'a time window needs different from and to times',
  rangeBackwards: 'the incident must end after it starts',
  incidentTooLong: 'an incident spans at most 24 hours',
  tracksRange: 'units.tracks: toMs must be after fromMs, at most 7 days',
} as const satisfies Partial<Record<ErrorReasonCode, string | readonly string[]>>;

const BY_TEXT = new Map<string, ErrorReasonCode>(Object.entries(REASON_TEXTS).flatMap(([code, texts]) =>
  (typeof texts === 'string' ? [texts] : texts).map((text): [string, ErrorReasonCode] => [text, code as ErrorReasonCode])));

/** A reason as the host throws it (`new ContractError('not-found', message, reason('noCamera', { camera }))`); text cut to the wire's 200. */
export function reason(code: ErrorReasonCode, params: Record<string, string | number> = {}): ErrorReason {
  return { code, params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 200) : v])) };
}

/** A reason for a zod refinement: `ctx.addIssue({ code: 'custom', message, params: reasonParams('nameTwice', { name }) })`. */
export function reasonParams(code: ErrorReasonCode, params: Record<string, string | number> = {}): { reason: ErrorReason } {
  return { reason: { code, params } };
}

/**
 * The reason of a schema issue: one its refinement named, one of the known texts, a polygon's or a list of shapes'
 * limits, else a generic one naming the field (too long, too short, too big, too small, too many or too few items, a
 * value that is not valid); null only for an issue with no field at all (the English message stays).
 */
export function reasonOfIssue(issue: { message: string; code?: string; path?: readonly PropertyKey[]; params?: unknown; minimum?: unknown; maximum?: unknown; origin?: unknown }): ErrorReason | null {
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
  return genericReason(issue);
}

/** The field as the contract names it ('user.name', 'grants.0.rights'): technical, like a camera id, so not translated. */
const fieldOf = (path: readonly PropertyKey[] | undefined) => (path ?? []).map(String).join('.').slice(0, 200);

function genericReason(issue: { code?: string; path?: readonly PropertyKey[]; minimum?: unknown; maximum?: unknown; origin?: unknown }): ErrorReason | null {
  const field = fieldOf(issue.path);
  // a refinement's own sentence (e.g. "a plate pattern of only wildcards") says more than "not valid": it stays
  if (!field || issue.code === 'custom') return null;
  const limit = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : null);
  const max = limit(issue.maximum), min = limit(issue.minimum);
  if (issue.code === 'too_big' && max !== null) {
    if (issue.origin === 'string') return { code: 'tooLong', params: { field, max } };
    if (issue.origin === 'array' || issue.origin === 'set') return { code: 'tooManyItems', params: { field, max } };
    if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return { code: 'tooBig', params: { field, max } };
  }
  if (issue.code === 'too_small' && min !== null) {
    if (issue.origin === 'string') return { code: 'tooShort', params: { field, min } };
    if (issue.origin === 'array' || issue.origin === 'set') return { code: 'tooFewItems', params: { field, min } };
    if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return { code: 'tooSmall', params: { field, min } };
  }
  return { code: 'badValue', params: { field } };
}
