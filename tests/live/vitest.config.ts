import { defineConfig } from 'vitest/config';

// The live suite: boots a real kernel under QEMU. Needs qemu-system-x86 and the package registry (or a warm cache).
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/live/**/*.live.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
