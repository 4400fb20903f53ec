// bench's wall-time targets (harness/cli/commands/bench.ts): how a timed command is judged against
// its limit and how the verdict reads. The timings themselves are `npm run bench`'s job, never a
// unit test's; these cases hand-build the run times.
import { describe, expect, test } from 'vitest';
import { CEILINGS, TARGETS, ceilingLines, childCpuMsOf, judgeTarget, targetLines, timeSpec } from '../../../harness/cli/commands/bench.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import path from 'node:path';

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

describe('ceilingLines', () => {
  // the ceilings the suite used to time: one input ≤ 1 s, the loader linear in its keys (< 20× for 8× the keys)
  test('ceilingLines_verdicts: expect each value against its ceiling, ok or MISSED, in ms or as a ratio', () => {
    const lines = ceilingLines([
      { what: 'bootsim sim p.yaml (in process)', value: 12.4, limit: CEILINGS.inputMs, unit: 'ms', ok: true },
      { what: 'bootsim check p.yaml (in process)', value: 1500, limit: CEILINGS.inputMs, unit: 'ms', ok: false },
      { what: 'parseProfile 10,000 keys / 1,250 keys', value: 8.26, limit: CEILINGS.keysRatio, unit: '×', ok: true },
    ]);
    expect(lines[0]).toBe('ceilings (fastest of 3):');
    expect(lines[1]).toMatch(/^ {2}bootsim sim p\.yaml \(in process\) +12 ms {2}≤ 1000 ms ok$/);
    expect(lines[2]).toMatch(/^ {2}bootsim check p\.yaml \(in process\) +1500 ms {2}≤ 1000 ms MISSED$/);
    expect(lines[3]).toMatch(/^ {2}parseProfile 10,000 keys \/ 1,250 keys +8\.3× {2}< 20\.0× +ok$/);
  });
});

describe('CPU time beside the wall time', () => {
  // expect cutime + cstime (fields 16 and 17 of proc(5) stat) in ms at USER_HZ 100, counted past a command name with spaces and parentheses
  test('child_cpu_from_proc_stat: expect (12 + 3) ticks = 150 ms, and undefined for a line that is not a stat line', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194304 100 200 0 0 50 7 12 3 20 0 1 0 100 1000 10';
    expect(childCpuMsOf(stat)).toBe(150);
    expect(childCpuMsOf('garbage')).toBeUndefined();
  });

  // expect the median CPU time kept on the result and printed beside the run count; none when the platform gave none
  test('target_cpu_median_printed: expect cpu 180 ms in the line, no cpu field without samples', () => {
    const r = judgeTarget('sim', 'bootsim sim p.yaml', [200, 210, 190], undefined, [170, 180, 400]);
    expect(r.cpuMs).toBe(180);
    expect(targetLines([r], 0.5, 2)[1]).toMatch(/\(3 runs; cpu 180 ms\)$/);
    expect(judgeTarget('sim', 'bootsim sim p.yaml', [200], undefined, []).cpuMs).toBeUndefined();
  });
});

describe('timeSpec', () => {
  // expect the golden's own simulator: the 3.0.1 pipeline for a 3.0 golden (harness/simulate.ts
  // simulatorFor), not the modern one, which refuses its partial facts with KERNEL_FACTS_ABSENT (2.6.11 i386: its own pipeline, sim/stages/old/pipeline-2611.ts)
  test('timeSpec_3_0_pipeline: expect a 3.0.1 golden timed, not refused', () => {
    const spec = loadProfile(path.join(goldensDir, 'i386-3.0-pc-256m', 'profile.yaml'));
    const r = timeSpec(spec, 3);
    expect(r.error).toBeUndefined();
    expect(r.runs).toBe(3);
  });
  test('timeSpec_refused: expect a refused row with its code for a 2.6 boot the simulator does not model (2.6.11 x86_64 under qemu64: its page-table panic)', () => {
    const spec = { ...loadProfile(path.join(goldensDir, 'i386-3.0-pc-256m', 'profile.yaml')), kernel: '2.6.11-x86_64' };
    const r = timeSpec(spec, 3);
    expect(r.runs).toBe(0);
    expect(r.error).toMatch(/^SIM_NOT_MODELLED/);
  });
  test('timeSpec_2611_pipeline: expect a 2.6.11 i386 golden timed, not refused', () => {
    const r = timeSpec(loadProfile(path.join(goldensDir, 'i386-2.6.11-pc-1g', 'profile.yaml')), 3);
    expect(r.error).toBeUndefined();
    expect(r.runs).toBe(3);
  });
});
