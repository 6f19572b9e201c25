/**
 * The demo's and a fresh installation's own texts that an operator reads: the standard operating procedure steps per
 * alarm type, the names of the default alarm rules and of new displays. Their English is in resources/locales/en.json (`sopSteps`,
 * `defaultRules`), the one definition: the host stores the English (audit, exports and reports stay readable as
 * written), and each window shows the step or rule in the operator's language when the stored text is still the
 * default; a supervisor's own step or a renamed rule is shown as typed. Pure.
 */
import en from '../../resources/locales/en.json' with { type: 'json' };
import type { EventType } from './events-schema.js';

export type SopStepKey = keyof typeof en.sopSteps;
export type DefaultRuleId = keyof typeof en.defaultRules;

/** The default procedure of each alarm type, as keys of `sopSteps`. */
export const SOP_STEP_KEYS: Record<EventType, SopStepKey[]> = {
  face_match: ['compareFace', 'checkNeighbours', 'callDutyOfficer', 'recordDirection'],
  plate: ['readPlatePicture', 'checkWanted', 'notifyTrafficPolice'],
  traffic_violation: ['confirmViolation', 'readPlate', 'sendViolation'],
  abandoned_object: ['lookForOwner', 'callPatrol', 'cordon'],
  crowd: ['estimateCrowd', 'informDutyOfficer'],
  tamper: ['checkPicture', 'maintenanceTicket'],
  camera_offline: ['checkOtherClients', 'maintenanceTicket'],
  storage: ['checkDisk', 'releaseLocks', 'maintenanceTicket'],
  motion: ['lookAtScene'],
  object: ['lookAtScene'],
};

/** The default procedure of an alarm type in English (what the host stores with a new alarm). */
export function defaultSop(type: EventType): string[] {
  return (SOP_STEP_KEYS[type] ?? []).map((k) => en.sopSteps[k]);
}

/** A default rule's English name. */
export function defaultRuleName(id: DefaultRuleId): string {
  return en.defaultRules[id];
}

const sopKeyOf = new Map(Object.entries(en.sopSteps).map(([k, text]) => [text, k as SopStepKey]));

/** The key of a stored step's text when it is a default step's English, else null (a supervisor's own words). */
export function sopStepKey(text: string): SopStepKey | null {
  return sopKeyOf.get(text) ?? null;
}

/** The default rule a stored rule name still is (its id and its English name unchanged), else null. */
export function defaultRuleKey(ruleId: string, ruleName: string): DefaultRuleId | null {
  return Object.hasOwn(en.defaultRules, ruleId) && en.defaultRules[ruleId as DefaultRuleId] === ruleName ? (ruleId as DefaultRuleId) : null;
}

/** The console's first display, which every window shows unless told another. */
export const MAIN_DISPLAY = 'main';

/** A new display's name in English, as the host stores it: the main display's, or one numbered by its id. */
export function defaultDisplayName(id: string): string {
  return id === MAIN_DISPLAY ? en.defaultDisplays.main : en.defaultDisplays.numbered.replace('{{id}}', id);
}

/** A stored display name in the language of `t` while it is still its default (English), else as an administrator named it. */
export function displayText(d: { id: string; name: string }, t: (key: string, params?: Record<string, unknown>) => string): string {
  if (!d.name) return d.id;
  if (d.name !== defaultDisplayName(d.id)) return d.name;
  return d.id === MAIN_DISPLAY ? t('defaultDisplays.main') : t('defaultDisplays.numbered', { id: d.id });
}

/** The demo city's sample training scenario (resources/training/demo-scenario.json; its English is en.json `demoScenario`). */
export const DEMO_SCENARIO_ID = 'demo-first-minutes';

/**
 * A scenario's name and description in the language of `t` when it is the demo's own scenario, unchanged (a trainer's
 * scenarios, or the demo's renamed) as written.
 */
export function scenarioText(s: { id: string; name: string; description?: string }, t: (key: string) => string): { name: string; description: string } {
  const own = s.id === DEMO_SCENARIO_ID && s.name === en.demoScenario.name;
  return own ? { name: t('demoScenario.name'), description: t('demoScenario.description') } : { name: s.name, description: s.description ?? '' };
}

const demoEventKeyOf = new Map(Object.entries(en.demoScenario.events).map(([id, text]) => [text, `demoScenario.events.${id}`]));

/**
 * The locale key of the demo scenario's own words for a scripted event (its summary, which a training alarm carries as
 * its label and description) when `text` is still that English, else null (a trainer's words, shown as written).
 */
export function demoEventTextKey(text: string): string | null {
  return demoEventKeyOf.get(text) ?? null;
}
