/**
 * Standard operating procedures per alarm type and the rules a fresh installation starts with.
 * Edited by supervisors later; these are the defaults a situation centre would recognise.
 */
import type { EventType } from '../../contract/events-schema.js';
import type { RuleInput } from '../../contract/alarms-schema.js';
import { defaultRuleName, defaultSop, SOP_STEP_KEYS } from '../../contract/default-texts.js';

/** Each alarm type's default procedure in English (the words: resources/locales/en.json `sopSteps`, contract/default-texts.ts). */
export const DEFAULT_SOP: Record<EventType, string[]> = Object.fromEntries(
  (Object.keys(SOP_STEP_KEYS) as EventType[]).map((type) => [type, defaultSop(type)]),
) as Record<EventType, string[]>;

export const DEFAULT_RULES: RuleInput[] = [
  { id: 'watchlist-face', name: defaultRuleName('watchlist-face'), types: ['face_match'], minConfidence: 0.6, priority: 1, claimWithinSec: 60 },
  { id: 'watchlist-plate', name: defaultRuleName('watchlist-plate'), types: ['plate'], watchlists: ['wanted', 'stolen'], priority: 1, claimWithinSec: 60 },
  { id: 'abandoned-object', name: defaultRuleName('abandoned-object'), types: ['abandoned_object'], priority: 2, claimWithinSec: 90 },
  { id: 'traffic-violation', name: defaultRuleName('traffic-violation'), types: ['traffic_violation'], priority: 3, dedupWindowSec: 30 },
  { id: 'crowd', name: defaultRuleName('crowd'), types: ['crowd'], priority: 3 },
  { id: 'tamper', name: defaultRuleName('tamper'), types: ['tamper'], priority: 2 },
  { id: 'camera-offline', name: defaultRuleName('camera-offline'), types: ['camera_offline'], priority: 4, dedupWindowSec: 600 },
  { id: 'storage', name: defaultRuleName('storage'), types: ['storage'], priority: 2, dedupWindowSec: 600 },
  { id: 'motion', name: defaultRuleName('motion'), types: ['motion'], priority: 5, minConfidence: 0.3, dedupWindowSec: 120, claimWithinSec: 0 },
];

/** Rules Kuzet's own health alarms depend on: added to saved rule sets that predate them. */
export const SYSTEM_RULE_IDS: readonly string[] = ['storage'];
