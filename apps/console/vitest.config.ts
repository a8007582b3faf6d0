import { defineConfig } from 'vitest/config';

// Unit tests of the console's pure helpers (formatting, chart series, error wording): no browser.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
