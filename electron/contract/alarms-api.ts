/**
 * The alarm queue's part of the contract (issue 3): events in, rules, alarms. Merged into api.ts.
 */
export const alarmRequests = {} as const;

export const alarmEvents = {} as const;
