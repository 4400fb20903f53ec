// bench's wall-time targets (harness/cli/commands/bench.ts): how a timed command is judged against
// its limit and how the verdict reads. The timings themselves are `npm run bench`'s job, never a
// unit test's; these cases hand-build the run times.
import { describe, expect, test } from 'vitest';
import { TARGETS, judgeTarget, targetLines } from '../../../harness/cli/commands/bench.ts';

describe('judgeTarget', () => {
  // expect the median, not the mean or the worst run, to meet the limit: one slow run of five is noise
  test('judgeTarget_median_within: expect ok with one slow run among fast ones', () => {
    const r = judgeTarget('sim', 'bootsim sim p.yaml', [120, 900, 110, 130, 125]);
    expect(r).toEqual({ target: 'sim', command: 'bootsim sim p.yaml', runs: 5, medianMs: 125, limitMs: TARGETS.sim, ok: true });
  });

  test.each([
    ['sim', [149, 150, 151], true],
    ['sim', [150, 151, 152], false],
    ['start', [2000], true],
    ['start', [2000.5], false],
    ['test', [14_999, 15_001], true],
  ] as const)('judgeTarget_at_the_limit %s %j: expect ok=%s (the limit itself passes)', (target, runs, ok) => {
    expect(judgeTarget(target, target, runs).ok).toBe(ok);
  });

  // expect a command that failed to miss its target whatever its time: a broken build starts fast
  test('judgeTarget_failed: expect a miss that names the exit status', () => {
    const r = judgeTarget('start', 'npm start', [10], 'exit 2');
    expect(r.ok).toBe(false);
    expect(r.failed).toBe('exit 2');
  });

  // expect no runs (the warm-up failed) to be a miss with no median
  test('judgeTarget_no_runs: expect NaN median and a miss', () => {
    const r = judgeTarget('sim', 'bootsim sim', [], 'exit 1');
    expect(r.medianMs).toBeNaN();
    expect(r.ok).toBe(false);
  });
});

describe('targetLines', () => {
  const results = [judgeTarget('sim', 'bootsim sim p.yaml', [120]), judgeTarget('start', 'npm start', [2500]), judgeTarget('test', 'npm test', [9000], 'exit 1')];

  test('targetLines_verdicts: expect each limit, ok or MISSED with the failure, and the run count', () => {
    const lines = targetLines(results, 0.5, 2);
    expect(lines[0]).toBe('targets (wall time, median; load average 0.50 on 2 cores):');
    expect(lines[1]).toMatch(/^ {2}bootsim sim p\.yaml +120 ms {2}≤ 150 ms +ok {2}\(1 run\)$/);
    expect(lines[2]).toMatch(/^ {2}npm start +2\.50 s {2}≤ 2\.00 s +MISSED {2}\(1 run\)$/);
    expect(lines[3]).toMatch(/MISSED \(exit 1\)/);
  });

  // expect a load above the core count to be said beside the numbers, since it lengthens every wall time
  test('targetLines_busy: expect the busy-machine note only when the load exceeds the cores', () => {
    expect(targetLines(results, 3.1, 2)[0]).toMatch(/load average 3\.10 on 2 cores: the machine is busy/);
    expect(targetLines(results, 1.9, 2)[0]).not.toMatch(/busy/);
  });
});
