import { defineConfig } from 'vitest/config';

// The unit tests of one package or app, run from its folder (`pnpm test` there, or `turbo run test`).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
