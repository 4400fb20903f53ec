// Temporary folders for one test file, removed when the file's tests are done: a test's copy of a
// kernel facts YAML also leaves an entry in dist/facts-cache/, which the cache prunes once its YAML
// is gone (harness/kernels.ts pruneJsonCache), so neither /tmp nor the cache grows with every run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A maker of folders /tmp/<prefix>XXXXXX; call it at the top of a test file (it registers the file's afterAll). */
export function scratchDirs(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(path.join(tmpdir(), prefix));
    made.push(d);
    return d;
  };
}
