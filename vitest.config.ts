import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The hermetic suite: no QEMU, no network. Live captures run under tests/live/vitest.config.ts.
// Threads without per-file isolation: the stages are pure and the tests share no mutable module
// state, and it takes the suite from about 22 s to 13 s on the 2-core machine.
// One worker per core: vitest's default for `run` is one fewer than the cores, which is a single
// worker on the 2-core machine; the main thread mostly waits, so the second core would idle.
// A test's time limit is 30 s, not vitest's 5 s, and a hook's (beforeAll) 30 s, not its 10 s: the
// shared 2-core machine runs a test up to ten times slower under other work (a kernel add hook took
// over 10 s at load 25), and a time limit is not an assertion (speed is `npm run bench`'s).
// tests/setup.ts runs around every file: it removes the file's scratch folders (tests/scratch.ts).
export default defineConfig({
  // Vite transforms every source and test file when the run starts, before the workers ask for them: a
  // worker's import otherwise waits on one round trip to the main thread per module, and both workers
  // sat mostly idle for the first ~2 s (CPU profiles of each thread). Measured on the quiet 2-core
  // machine, four runs each, alternating: 23.6-24.7 s wall without, 21.9-23.1 s with (37-38.5 s CPU against 39-41.5 s).
  server: { warmup: { ssrFiles: ['./sim/**/*.ts', './harness/**/*.ts', './qemu-scripts/**/*.ts', './tests/**/*.ts'] } },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/live/**', 'tests/browser/**', 'tests/static/**', 'node_modules/**'],
    pool: 'threads',
    isolate: false,
    maxWorkers: availableParallelism(),
    testTimeout: 30_000,
    hookTimeout: 30_000,
    setupFiles: ['tests/setup.ts'],
  },
});
