import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readClassifiedGolden, readGoldenLog, classifyGolden } from '../../../harness/compare/catalog-port.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import { goldensDir, displayPath } from '../../../sim/base/paths.ts';
import { scratchDirs } from '../../scratch.ts';

const scratch = scratchDirs('bootsim-golden-cache-');
// one of each pipeline and arch, and two whose logs have problems (the pae q35 4G's, the 2.6.11 x86_64's)
const GOLDENS = ['x86_64-6.12-pc-1g', 'x86_64-6.1-pc-1g-255cpu', 'i386-6.1-pae-q35-4g', 'x86_64-2.6.11-pc-4g-2cpu', 'i386-3.0-pc-256m'];
// the --json text of a value, bigints included: key order is part of the report's bytes
const text = (x: unknown): string => JSON.stringify(x, (_k, val: unknown) => (typeof val === 'bigint' ? `${val}n` : val));

describe('the classified goldens in the parsed-input cache', () => {
  test.each(GOLDENS)('readClassifiedGolden_cold_and_warm_equal_the_parse_%s', (name) => {
    // expect: the entry written on the first read and the one read back on the second are the parse itself, key order included
    const file = path.join(goldensDir, name, 'serial.log');
    const kernel = loadProfile(path.join(goldensDir, name, 'profile.yaml')).kernel;
    const log = readGoldenLog(file, displayPath(file));
    const parsed = { ...classifyGolden(log, kernel), problems: log.problems };
    const cache = { dir: scratch(), version: 'cli-000000000001' };
    const cold = readClassifiedGolden(file, displayPath(file), kernel, cache);
    expect(readdirSync(cache.dir)).toHaveLength(1);
    const warm = readClassifiedGolden(file, displayPath(file), kernel, cache);
    expect(text(cold)).toBe(text(parsed));
    expect(text(warm)).toBe(text(parsed));
    expect(warm.lines.length).toBeGreaterThan(0);
  });

  test('readClassifiedGolden_other_kernel_own_entry', () => {
    // expect: the same log classified for another kernel is another entry (the catalog's families depend on the version)
    const file = path.join(goldensDir, 'x86_64-6.12-pc-1g', 'serial.log');
    const cache = { dir: scratch(), version: 'cli-000000000001' };
    readClassifiedGolden(file, displayPath(file), '6.12-amd64', cache);
    readClassifiedGolden(file, displayPath(file), '6.1-amd64', cache);
    expect(readdirSync(cache.dir)).toHaveLength(2);
  });

  test('readClassifiedGolden_unusable_refused_every_time', () => {
    // expect: an empty log is a coded error on every read, and nothing is kept
    const dir = scratch();
    const file = path.join(dir, 'serial.log');
    writeFileSync(file, '');
    const cache = { dir: path.join(dir, 'parsed'), version: 'cli-000000000001' };
    for (let i = 0; i < 2; i++) expect(() => readClassifiedGolden(file, 'serial.log', '6.12-amd64', cache)).toThrow(expect.objectContaining({ code: expect.stringMatching(/^GOLDEN_/) }));
    expect(readdirSync(dir)).toEqual(['serial.log']);
  });
});
