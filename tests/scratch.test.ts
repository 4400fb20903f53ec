// tests/scratch.ts and tests/setup.ts: a scratch folder is removed with everything in it once its
// test file is done, and vitest runs the setup that does it around every file of the suite.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import config from '../vitest.config.ts';
import { removeScratchDirs, scratchDir, scratchDirs } from './scratch.ts';

describe('scratch folders', () => {
  test('scratch_removed: expect folders from scratchDir and scratchDirs, with files and subfolders, gone after removeScratchDirs, and the next one made afresh', () => {
    const a = scratchDir('bootsim-scratch-test-');
    const b = scratchDirs('bootsim-scratch-test-')();
    expect(path.dirname(a)).toBe(tmpdir());
    expect(a).not.toBe(b);
    mkdirSync(path.join(a, 'sub'));
    writeFileSync(path.join(a, 'sub', 'f'), 'x');
    writeFileSync(path.join(b, 'g'), 'y');
    removeScratchDirs();
    expect([existsSync(a), existsSync(b)]).toEqual([false, false]);
    const c = scratchDir('bootsim-scratch-test-');
    expect(existsSync(c)).toBe(true);
    removeScratchDirs();
    expect(existsSync(c)).toBe(false);
  });

  test('setup_every_file: expect vitest.config.ts to run tests/setup.ts around every test file', () => {
    expect(config.test?.setupFiles).toEqual(['tests/setup.ts']);
  });
});
