import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration and e2e tests run real processes on a 2-core machine: one file at a time.
    fileParallelism: false,
    pool: 'forks',
  },
});
