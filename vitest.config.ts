import { defineConfig } from 'vitest/config';

// Three projects (docs/testing.md): unit files are pure and quick, so they run in one worker thread with one module
// cache (no new process and no fresh import per file); integration and end-to-end files start real processes
// (simulator, web shell, GStreamer, Chromium) on a 2-core machine, so each project runs one file at a time, each in its
// own process (each end-to-end file with its own Chromium: a shared one ran the vitest process out of memory). One
// vitest run takes them one after the other; `npm test` (scripts/test.mjs) runs unit, then integration and end-to-end
// as two vitest runs side by side (one run with both in one groupOrder still ran one file at a time).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          pool: 'threads',
          // one file at a time: a few unit files still wait on real timers of tens of ms (frame-server's 40 ms window)
          // and fail when a second file takes the other core's share of a busy machine
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          pool: 'forks',
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          pool: 'forks',
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
