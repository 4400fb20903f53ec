import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BaselineError, judge, profileEntry, readBaseline, updateMode, writeBaseline, type Baseline } from '../../harness/baseline.ts';
import type { ComparedLine } from '../../harness/compare/types.ts';
import { scratchDir } from '../scratch.ts';

const line = (key: string, status: ComparedLine['status']): ComparedLine => ({
  family: key.replace(/[[#].*$/, ''), stage: 'zones', status, key,
  ...(status !== 'extra' ? { golden: { family: 'x', text: key, fields: [] } } : {}),
});
const base: Baseline = { version: 1, profiles: { p: { kernel: '6.1-amd64', catalog: 3, exact: ['zones.range[DMA32]', 'zones.header#0'] } } };

describe('judge', () => {
  test('judge_regression: expect a line exact in the baseline and mismatched now to regress', () => {
    const j = judge(base, new Map([['p', [line('zones.header#0', 'exact'), line('zones.range[DMA32]', 'mismatched')]]]));
    expect(j.regressions.map((r) => r.key)).toEqual(['zones.range[DMA32]']);
    expect(j.improvements).toEqual([]);
  });

  test('judge_gone: expect a recorded line no longer in the golden to regress with no line', () => {
    const j = judge(base, new Map([['p', [line('zones.header#0', 'exact')]]]));
    expect(j.regressions).toEqual([{ profile: 'p', key: 'zones.range[DMA32]', line: undefined }]);
  });

  test('judge_improvement: expect a newly exact line reported, and no failure', () => {
    const j = judge(base, new Map([['p', [line('zones.header#0', 'exact'), line('zones.range[DMA32]', 'exact'), line('mem.summary#0', 'exact')]]]));
    expect(j.regressions).toEqual([]);
    expect(j.improvements.map((i) => i.key)).toEqual(['mem.summary#0']);
  });

  test('judge_new_and_orphaned_profiles: expect them listed apart', () => {
    const j = judge(base, new Map([['q', [line('a#0', 'exact')]]]));
    expect(j.unrecorded).toEqual(['q']);
    expect(j.orphaned).toEqual(['p']);
  });

  // expect a golden missing from the baseline to be judged in full: each non-exact line fails, a registered one does not
  test('judge_unrecorded_in_full: expect every non-exact, unregistered line of a new golden to fail', () => {
    const known: ComparedLine = { ...line('mem.summary#0', 'mismatched'), known: 'registered' };
    const j = judge(base, new Map([['q', [line('a#0', 'exact'), line('zones.range[DMA32]', 'mismatched'), line('b#0', 'missing'), line('c#sim0', 'extra'), known]]]));
    expect(j.regressions.map((r) => [r.profile, r.key, r.unrecorded])).toEqual([['q', 'zones.range[DMA32]', true], ['q', 'b#0', true], ['q', 'c#sim0', true]]);
    expect(j.unrecorded).toEqual(['q']);
  });

  test('judge_unrecorded_all_exact: expect no failure for a new golden whose lines are all exact', () => {
    expect(judge(base, new Map([['q', [line('a#0', 'exact')]]])).regressions).toEqual([]);
  });

  test('profile_entry: expect only exact golden lines, sorted', () => {
    expect(profileEntry('k', [line('b#0', 'exact'), line('a#0', 'exact'), line('c#0', 'missing'), line('d#sim0', 'extra')])).toEqual({ kernel: 'k', catalog: 3, exact: ['a#0', 'b#0'] });
  });
});

describe('baseline file', () => {
  test.each([['true'], ['1']])('update_under_ci_%s: expect BASELINE_UPDATE_IN_CI', (ci) => {
    expect(() => updateMode(true, { CI: ci })).toThrow(expect.objectContaining({ code: 'BASELINE_UPDATE_IN_CI' }));
    expect(updateMode(false, { CI: ci })).toBe('none');
    expect(updateMode(true, {})).toBe('all');
  });

  test('write_atomic: expect the file written, sorted, with no temp left', () => {
    const dir = scratchDir('bootsim-bl-');
    const f = path.join(dir, 'baseline.json');
    writeBaseline({ version: 1, profiles: { z: base.profiles.p!, a: base.profiles.p! } }, f);
    expect(readdirSync(dir)).toEqual(['baseline.json']);
    expect(Object.keys(JSON.parse(readFileSync(f, 'utf8')).profiles)).toEqual(['a', 'z']);
    expect(readBaseline(f).profiles.a).toEqual(base.profiles.p);
  });

  test('read_missing: expect an empty baseline', () => {
    expect(readBaseline('/nonexistent/baseline.json')).toEqual({ version: 1, profiles: {} });
  });

  test.each([['not json', '{'], ['wrong version', '{"version":2,"profiles":{}}'], ['bad entry', '{"version":1,"profiles":{"p":{"exact":[1]}}}']])('read_%s: expect BASELINE_INVALID', (_n, src) => {
    const f = path.join(scratchDir('bootsim-bl-'), 'baseline.json');
    writeFileSync(f, src);
    expect(() => readBaseline(f)).toThrow(BaselineError);
    expect(() => readBaseline(f)).toThrow(expect.objectContaining({ code: 'BASELINE_INVALID' }));
  });
});
