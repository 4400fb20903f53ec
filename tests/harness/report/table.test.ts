// Tests for harness/report/table.ts: the terminal tables' layout (names left, numbers right), the
// percentages and the one-line totals (the profile and kernel tables themselves: report.test.ts).
import { describe, expect, test } from 'vitest';
import { layout, pct, totalsLine } from '../../../harness/report/table.ts';

describe('layout', () => {
  // expect the first columns padded right, the others left (numbers line up), a rule under the head, no trailing blanks
  test('layout_alignment: expect names left, numbers right, the rule as wide as each column', () => {
    expect(layout([['profile', 'kernel', 'exact'], ['a', '6.1-amd64', '7'], ['longer-name', 'k', '1234']])).toBe([
      'profile      kernel     exact',
      '-----------  ---------  -----',
      'a            6.1-amd64      7',
      'longer-name  k           1234',
    ].join('\n'));
  });

  // expect one left column when asked (the kernel table)
  test('layout_one_left_column: expect the second column right-aligned', () => {
    expect(layout([['kernel', 'profiles'], ['6.1-amd64', '3']], 1)).toBe(['kernel     profiles', '---------  --------', '6.1-amd64         3'].join('\n'));
  });
});

describe('pct and totalsLine', () => {
  // expect one decimal, rounded
  test('pct_one_decimal: expect 99.4%, 100.0%, 0.0%, 66.7%', () => {
    expect([pct(0.99412), pct(1), pct(0), pct(2 / 3)]).toEqual(['99.4%', '100.0%', '0.0%', '66.7%']);
  });

  // expect the counts, both percentages and the known divergences, with "profile" singular for one
  test('totals_line: expect the summary sentence, singular and plural', () => {
    const t = { profiles: 1, catalog: 50, exact: 49, mismatched: 1, missing: 0, extra: 0, known: 1, coverage: 0.5, exactness: 0.98 };
    expect(totalsLine(t)).toBe('1 profile, 50 catalog lines: 49 exact, 1 mismatched, 0 missing, 0 extra; coverage 50.0%, exactness 98.0%; known divergences: 1');
    expect(totalsLine({ ...t, profiles: 2 })).toMatch(/^2 profiles, /);
  });
});
