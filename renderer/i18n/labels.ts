/** Names of the contract's enumerations (event types, alarm states, verdicts, tile states...) in the chosen language. */
import type { EventType } from '../../electron/contract/events-schema.js';
import type { AlarmState, Verdict } from '../../electron/contract/alarms-schema.js';
import { t } from './i18n.js';

export const eventTypeLabel = (type: EventType | string): string => t(`eventTypes.${type}`, { defaultValue: type.replace(/_/g, ' ') });
export const alarmStateLabel = (state: AlarmState): string => t(`alarmStates.${state}`);
export const verdictLabel = (v: Verdict): string => t(`verdicts.${v}`);
export const violationLabel = (v: string): string => t(`violations.${v}`, { defaultValue: v.replace(/_/g, ' ') });
export const objectLabel = (label: string): string => t(`objects.${label}`, { defaultValue: label });
