import { describe, expect, test } from 'vitest';
import { stateTable } from '../../../harness/report/state-table.ts';
import type { ProfileResult } from '../../../harness/compare/result.ts';
import { compareState } from '../../../harness/compare/state.ts';

const base = (profile: string, state?: ProfileResult['state']): Pick<ProfileResult, 'profile' | 'state'> => ({ profile, ...(state ? { state } : {}) });

describe('stateTable', () => {
  test('none_without_state', () => {
    // expect: no section when no golden has a state.log
    expect(stateTable([base('a')])).toEqual([]);
  });
  test('counts_and_differences', () => {
    // expect: one row per family with its counts, a totals line, and each mismatch named with both values
    const comparison = compareState([
      { family: 'meminfo', key: 'MemTotal', value: '104 kB', explain: [] },
      { family: 'meminfo', key: 'CommitLimit', value: '50 kB', explain: [] },
    ], new Map([['/proc/meminfo', 'MemTotal: 100 kB\nCommitLimit: 50 kB\nMemFree: 7 kB\n']]));
    const out = stateTable([base('a'), base('b-state', { stateLog: 'goldens/b-state/state.log', comparison })]);
    expect(out[0]).toMatch(/^state families \(1 golden\(s\) with a state\.log; .*\): 1 of 2 predicted fields exact, 1 mismatched, 0 missing; 1 volatile/);
    expect(out[1]).toMatch(/b-state\s+meminfo\s+1\s+1\s+0\s+1\s+0\s+0/);
    expect(out).toContain('  b-state meminfo mismatched: MemTotal: sim 104 kB, golden 100 kB');
  });
});
