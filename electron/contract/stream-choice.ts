/**
 * Which of a camera's two streams a tile shows: one rule for the live wall's stream policy
 * (electron/host/streams/policy.ts) and the review / replay player choosing recorded footage (renderer/review).
 * Sub-stream in small tiles, main when a tile is large, with hysteresis so a tile at the edge does not flip.
 */
import { z } from 'zod';

/** Picture size in pixels. */
export interface StreamSize { width: number; height: number }

/** Sub-stream size assumed until a probe says otherwise (the simulator's and most cameras' 360p). */
export const DEFAULT_SUB_SIZE: StreamSize = { width: 640, height: 360 };
/** Main stream when the tile is taller than this many sub-stream heights... */
export const MAIN_UP = 1.25;
/** ...and back to the sub-stream only when it is no taller than this many. */
export const MAIN_DOWN = 1.0;

/**
 * Does a tile `tileHeight` device pixels tall want the main stream? `wasMain`: it shows the main stream now
 * (hysteresis: it goes back to the sub-stream only once no taller than MAIN_DOWN sub-stream heights).
 */
export function tileWantsMain(tileHeight: number, subHeight: number, wasMain: boolean): boolean {
  return tileHeight > (wasMain ? MAIN_DOWN : MAIN_UP) * subHeight;
}

/** More cameras than this on screen: every tile gets the sub-stream (Nx RADASS; electron/host/streams/policy.ts). */
export const CROWD_LIMIT = 16;

/**
 * Why a camera is decoded as it is, as steps the console words in the operator's language (`streamDecision.<key>` of
 * resources/locales); the host's English line for logs and diagnostics is the same steps in English (`decisionText`).
 */
export const DECISION_KEYS = ['noSub', 'fitsSub', 'crowded', 'largerThanSub', 'pinned', 'graceStop', 'budgetSub', 'budgetKeyframes', 'motionOnly', 'recordOnly', 'recordedMain'] as const;
export const DecisionStep = z.object({
  key: z.enum(DECISION_KEYS),
  params: z.record(z.string(), z.union([z.string().max(64), z.number()])).optional(),
});
export type DecisionStep = z.infer<typeof DecisionStep>;

/** The steps as one line: each step's words, `; ` between them. */
export function decisionText(steps: readonly DecisionStep[], t: (key: string, params?: Record<string, unknown>) => string): string {
  return steps.map((s) => t(`streamDecision.${s.key}`, s.params ?? {})).join('; ');
}
