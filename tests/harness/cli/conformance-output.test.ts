// conformance --html is checked before anything is simulated (issue 11).
import path from 'node:path';
import { expect, test } from 'vitest';
import { main } from '../../../harness/cli/main.ts';
import { captureIO } from './helpers.ts';
import { scratchDir } from '../../scratch.ts';

test.each([
  ['""', '', 'OUTPUT_EMPTY'],
  ['a folder', 'DIR', 'OUTPUT_IS_DIR'],
  ['under /proc', '/proc/x.html', 'OUTPUT_SPECIAL_FS'],
])('conformance_html %s: expect exit 2 and %s, before simulating', async (_what, arg, code) => {
  const c = captureIO();
  const html = arg === 'DIR' ? scratchDir('bootsim-html-') : arg;
  expect(await main(['conformance', '--html', html], c.io)).toBe(2);
  expect(c.err()).toMatch(new RegExp(`^bootsim conformance: ${code}: --html: `));
  expect(c.out()).toBe('');
});
