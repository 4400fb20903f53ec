// The result every report reads: totals summed over profiles, the JSON line and profile shapes,
// and the commands a failure message gives.
import { describe, expect, test } from 'vitest';
import { compareLines } from '../../../harness/compare/compare.ts';
import { commandsFor, lineJson, resultJson, totalsOf, type ProfileResult } from '../../../harness/compare/result.ts';
import { coverageOf } from '../../../harness/compare/catalog-port.ts';
import type { CompareLine, FamilyTraits, WindowCounts } from '../../../harness/compare/types.ts';

const L = (text: string): CompareLine => ({ family: 'e820.entry', text, fields: [] });
const family = (id: string): FamilyTraits => ({ id, stage: 'e820', volatile: [] });
const win = (lines: number, catalog: number, masked = 0): WindowCounts => ({ lines, catalog, masked, firmware: lines - catalog - masked, unmodelled: 0, deterministic: lines - masked, coverage: coverageOf({ catalog, deterministic: lines - masked }) });
const result = (profile: string, kernel: string, golden: string[], sim: string[], window: WindowCounts, known?: (l: { key: string }) => string | undefined): ProfileResult => ({
  profile, kernel, golden: `goldens/${profile}/serial.log`, profileFile: `goldens/${profile}/profile.yaml`, window,
  comparison: compareLines({ golden: golden.map(L), sim: sim.map(L), family, ...(known ? { known } : {}) }),
  problems: [],
});

describe('totalsOf', () => {
  // a: 2 catalog lines, 1 exact, 1 missing (known);  b: 1 catalog line, mismatched;  c: nothing
  const rs = [
    result('a', 'k1', ['x', 'y'], ['x'], win(4, 2), (l) => (l.key === 'e820.entry#1' ? 'known' : undefined)),
    result('b', 'k2', ['x'], ['z'], win(10, 3, 2)),
    result('c', 'k1', [], [], win(0, 0)),
  ];

  test('totals_sum_counts: expect every count summed and exactness over the summed catalog', () => {
    expect(totalsOf(rs)).toMatchObject({ profiles: 3, catalog: 3, exact: 1, mismatched: 1, missing: 1, extra: 0, known: 1 });
    expect(totalsOf(rs).exactness).toBeCloseTo(1 / 3);
  });

  test('totals_coverage_from_windows: expect (2 + 3) / (4 + 8), the summed windows', () => {
    expect(totalsOf(rs).coverage).toBeCloseTo(5 / 12);
  });

  test('totals_empty: expect zeros, not NaN', () => {
    expect(totalsOf([])).toEqual({ profiles: 0, catalog: 0, exact: 0, mismatched: 0, missing: 0, extra: 0, known: 0, coverage: 0, exactness: 0 });
  });
});

describe('resultJson and lineJson', () => {
  test('result_json_counts: expect the counts, the window coverage and every line', () => {
    const r = result('a', 'k1', ['x', 'y'], ['x'], win(4, 2), (l) => (l.key === 'e820.entry#1' ? 'known' : undefined));
    const j = resultJson(r);
    expect(j).toMatchObject({ profile: 'a', kernel: 'k1', catalog: 2, exact: 1, missing: 1, known: 1, coverage: 0.5, exactness: 0.5 });
    expect(j.lines).toEqual([
      { family: 'e820.entry', status: 'exact', golden: 'x', sim: 'x', key: 'e820.entry#0', stage: 'e820' },
      { family: 'e820.entry', status: 'missing', golden: 'y', sim: null, key: 'e820.entry#1', stage: 'e820', known: 'known' },
    ]);
  });

  test('line_json_extra: expect golden null and the sim text for a line only the simulator prints', () => {
    const c = compareLines({ golden: [], sim: [L('only-sim')], family });
    expect(lineJson(c.lines[0]!)).toMatchObject({ status: 'extra', golden: null, sim: 'only-sim' });
  });
});

describe('commandsFor', () => {
  test('commands_for_profile: expect the diff and the re-capture commands of the golden', () => {
    expect(commandsFor('x86_64-6.1-pc-512m')).toEqual({ diff: 'npx bootsim diff x86_64-6.1-pc-512m', capture: 'npx bootsim capture goldens/x86_64-6.1-pc-512m/profile.yaml --force' });
  });
});
