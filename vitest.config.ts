import { defineConfig } from 'vitest/config';

// The hermetic suite: no QEMU, no network. Live captures run under tests/live/vitest.config.ts.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/live/**', 'node_modules/**'],
  },
});
