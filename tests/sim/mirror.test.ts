// Tests mirror the source (issue 9 item 8): every stage module sim/stages/<name>.ts and every lib module
// sim/lib/<name>.ts has its own tests, tests/sim/<dir>/<name>.test.ts or a folder tests/sim/<dir>/<name>/.
// NOT_YET would list modules still without one (an entry that has gained its tests fails here too, so
// the list only shrinks); it is empty: a module added without its tests fails here.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../sim/base/paths.ts';

const NOT_YET: ReadonlySet<string> = new Set<string>([]);

const modules = (dir: string): string[] =>
  readdirSync(path.join(repoRoot, 'sim', dir)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f.slice(0, -3)}`).sort();
const tested = (m: string): boolean => existsSync(path.join(repoRoot, 'tests/sim', `${m}.test.ts`)) || existsSync(path.join(repoRoot, 'tests/sim', m));

describe('tests mirror sim/stages and sim/lib', () => {
  const all = [...modules('stages'), ...modules('lib')];

  // expect the walk to find the modules at all (a wrong folder would make every check below vacuous)
  test('mirror_finds_modules: expect the stage and lib modules, memblock and sizes among them', () => {
    expect(all.length).toBeGreaterThan(30);
    expect(all).toContain('stages/memblock');
    expect(all).toContain('lib/sizes');
  });

  // expect a test file or folder for every module not listed as not yet tested
  test('mirror_every_module_tested: expect tests/sim/<dir>/<name>.test.ts or tests/sim/<dir>/<name>/', () => {
    expect(all.filter((m) => !NOT_YET.has(m) && !tested(m))).toEqual([]);
  });

  // expect each NOT_YET entry to be a module that still has no tests (delete it when they come)
  test('mirror_not_yet_is_honest: expect every listed module to exist and still lack its tests', () => {
    expect([...NOT_YET].filter((m) => !all.includes(m) || tested(m))).toEqual([]);
  });
});
