import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { registerOf } from '../../../harness/cli/commands/conformance.ts';
import { familyIds } from '../../../harness/compare/catalog-port.ts';
import { divergencesFile, readDivergences } from '../../../harness/divergences.ts';
import { scratchDirs } from '../../scratch.ts';

const scratch = scratchDirs('bootsim-register-cache-');

describe('the divergence register in the parsed-input cache', () => {
  test('registerOf_cold_and_warm_equal_the_parse', () => {
    // expect: the register's entries written on the first read and read back on the second are readDivergences', key order included
    const parsed = readDivergences(familyIds, divergencesFile);
    expect(parsed.length).toBeGreaterThan(0);
    const cache = { dir: scratch(), version: 'cli-000000000001' };
    const cold = registerOf(divergencesFile, cache);
    expect(readdirSync(cache.dir)).toHaveLength(1);
    const warm = registerOf(divergencesFile, cache);
    for (const r of [cold, warm]) expect(JSON.stringify(r)).toBe(JSON.stringify(parsed));
  });

  test('registerOf_absent_or_invalid', () => {
    // expect: no register file is an empty register; an entry of an unknown family is refused on every read, and nothing is kept
    const dir = scratch();
    const cache = { dir: path.join(dir, 'parsed'), version: 'cli-000000000001' };
    expect(registerOf(path.join(dir, 'none.yaml'), cache)).toEqual([]);
    const file = path.join(dir, 'divergences.yaml');
    writeFileSync(file, '- profile: x\n  family: no.such.family\n  reason: r\n');
    for (let i = 0; i < 2; i++) expect(() => registerOf(file, cache)).toThrow(expect.objectContaining({ code: 'DIVERGENCE_UNKNOWN_FAMILY' }));
    expect(readdirSync(dir)).toEqual(['divergences.yaml']);
  });
});
