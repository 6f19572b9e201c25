/**
 * Recording, review and evidence export's part of the contract (issue 4). Merged into api.ts.
 */
export const reviewRequests = {} as const;

export const reviewEvents = {} as const;
