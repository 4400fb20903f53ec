// Run by vitest before each test file (vitest.config.ts setupFiles): the file's scratch folders
// (tests/scratch.ts) are removed when its tests are done.
import { afterAll } from 'vitest';
import { removeScratchDirs } from './scratch.ts';

afterAll(removeScratchDirs);
