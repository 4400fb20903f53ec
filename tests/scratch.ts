// Temporary folders for the tests, each removed when the test file that made it is done:
// tests/setup.ts (vitest setupFiles, which run around every file, also with isolate: false) calls
// removeScratchDirs after each file. Helpers (tests/harness/cli/helpers.ts) make theirs here too, so
// a folder made at collection, in a test or by a helper goes with its file. A test's copy of a
// kernel facts YAML also leaves an entry in dist/facts-cache/, which the cache prunes once its YAML
// is gone (harness/kernels.ts pruneJsonCache), so neither /tmp nor the cache grows with every run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// One list per worker: a worker runs one test file at a time.
const made: string[] = [];

/** A fresh folder /tmp/<prefix>XXXXXX, removed after the current test file. */
export function scratchDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Removes every folder scratchDir made since the last call (tests/setup.ts, after each test file). */
export function removeScratchDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A maker of scratch folders with one prefix: `const scratch = scratchDirs('bootsim-x-')`, then `scratch()`. */
export function scratchDirs(prefix: string): () => string {
  return () => scratchDir(prefix);
}
