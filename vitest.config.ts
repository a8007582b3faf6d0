import { defineConfig } from 'vitest/config';

// One run for the whole repo: unit tests of every package and app, then the end-to-end suite
// against the running platform (files one after another: they share the platform).
export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      {
        test: {
          name: 'e2e',
          root: 'test',
          include: ['e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
