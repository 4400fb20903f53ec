import path from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { FIXED_APPEND, MEMBLOCK_DEBUG_PARAM } from '../../../sim/base/cmdline.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import { committedMetas, metaOf } from '../../golden-metas.ts';

// each meta file read once per worker (tests/golden-metas.ts: readMeta, whose schema holds cmdline to a
// non-empty string), as tests/qemu-scripts/capture-meta.test.ts reads them
const metas = committedMetas();

describe('the fixed command line', () => {
  it('FIXED_APPEND: expect the parameters every golden was captured with', () => {
    expect(FIXED_APPEND).toBe('console=ttyS0 nokaslr panic=-1 loglevel=8');
  });

  it('metas_found: expect the goldens\' meta files to be read', () => {
    expect(metas.length).toBeGreaterThan(40);
  });

  test.each(metas.map((f) => [path.relative(goldensDir, f), f]))('%s: expect its cmdline to start with FIXED_APPEND, and memblock=debug last only in a memblock capture', (_rel, file) => {
    const cmdline: unknown = metaOf(file)?.cmdline;
    expect(typeof cmdline).toBe('string');
    const c = cmdline as string;
    expect(c === FIXED_APPEND || c.startsWith(`${FIXED_APPEND} `)).toBe(true);
    expect(c.endsWith(` ${MEMBLOCK_DEBUG_PARAM}`)).toBe(file.endsWith('meta-memblock.yaml'));
  });
});
