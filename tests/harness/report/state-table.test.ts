import { describe, expect, test } from 'vitest';
import { stateCheckLines, stateTable } from '../../../harness/report/state-table.ts';
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
    expect(out[0]).toMatch(/^state families \(1 golden\(s\) with a state\.log; .*\): 1 of 2 predicted fields exact, 0 within their source bound, 1 mismatched, 0 missing; not predicted: 1 unmodelled/);
    expect(out[1]).toMatch(/b-state\s+meminfo\s+1\s+1\s+0\s+1\s+0\s+1\s+0\s+0$/m);
    expect(out).toContain('  b-state meminfo mismatched: MemTotal: sim 104 kB, golden 100 kB, delta -4 kB');
    // the unmodelled field is counted under the rule that names it, with its reason
    expect(out.find((l) => l.startsWith('    meminfo /^(MemFree'))).toMatch(/: 1 \/ 0: pages in use and free at the read/);
  });
  test('check_lines', () => {
    // expect: check's state section: a summary with the boots judged over, the family table, the problem fields
    const comparison = compareState([{ family: 'meminfo', key: 'MemTotal', value: '104 kB', explain: [] }], new Map([['/proc/meminfo', 'MemTotal: 100 kB\n']]));
    const out = stateCheckLines('p', { stateLog: 'x/state.log', comparison });
    expect(out[0]).toMatch(/^state \(x\/state\.log, 1 boot\(s\) with the re-boot evidence\): 0 of 1 predicted fields exact/);
    expect(out[1]).toMatch(/^family\s+exact\s+within\s+mismatched\s+missing\s+unmodelled\s+unmodelled-deterministic\s+unclassified/);
    expect(out.at(-1)).toBe('  p meminfo mismatched: MemTotal: sim 104 kB, golden 100 kB, delta -4 kB');
  });
});
