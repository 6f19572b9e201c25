/**
 * Entry of the frame worker's own bundle, `frame-worker.js` (scripts/build.mjs builds it apart from the page, without
 * code splitting): the worker runs this one file, whatever chunks the page's code is split into.
 */
import { runFrameWorker } from './frame-worker.js';

runFrameWorker(self as unknown as Parameters<typeof runFrameWorker>[0]);
