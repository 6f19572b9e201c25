/** Names of the contract's enumerations (event types, alarm states, verdicts, tile states...) in the chosen language. */
import type { EventType } from '../../electron/contract/events-schema.js';
import type { AlarmState, Verdict } from '../../electron/contract/alarms-schema.js';
import { t } from './i18n.js';
import { defaultRuleKey, demoEventTextKey, sopStepKey } from '../../electron/contract/default-texts.js';

export const eventTypeLabel = (type: EventType | string): string => t(`eventTypes.${type}`, { defaultValue: type.replace(/_/g, ' ') });
export const alarmStateLabel = (state: AlarmState): string => t(`alarmStates.${state}`);
export const verdictLabel = (v: Verdict): string => t(`verdicts.${v}`);
export const violationLabel = (v: string): string => t(`violations.${v}`, { defaultValue: v.replace(/_/g, ' ') });
export const objectLabel = (label: string): string => t(`objects.${label}`, { defaultValue: label });
/** A stored SOP step in the chosen language when it is a default step (contract/default-texts.ts), else as written. */
export const sopText = (text: string): string => { const k = sopStepKey(text); return k ? t(`sopSteps.${k}`) : text; };
/** An alarm's rule name in the chosen language when it is a default rule's own name, else as the supervisor named it. */
export const ruleText = (ruleId: string, ruleName: string): string => { const k = defaultRuleKey(ruleId, ruleName); return k ? t(`defaultRules.${k}`) : ruleName; };
/** A training alarm's words from the demo scenario in the chosen language while they are its own, else as written. */
export const demoEventText = (text: string): string => { const k = demoEventTextKey(text); return k ? t(k) : text; };
