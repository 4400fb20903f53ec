// The shared boot of a state golden (harness/compare/state-run.ts sharedBoot): conformance simulates
// such a golden once for its catalog lines and its state. The claim is that sharing changes nothing:
// the lines are simulateSpec's, the state predictStateSpec's, a refusal is the same refusal, whichever
// is asked first; and a kernel that runs an old pipeline (sim/stages/old/) is not shared.
import { describe, expect, test } from 'vitest';
import { compareSpec, listGoldens } from '../../../harness/compare/run.ts';
import { predictStateSpec, sharedBoot, stateLogFor } from '../../../harness/compare/state-run.ts';
import { goldenProfile } from '../../golden-profiles.ts';
import { goldenLines, goldenStatePrediction } from '../../golden-boots.ts';
import { simulateSpec } from '../../../harness/simulate.ts';
import { simErrorCode } from '../../sim/sim-error-code.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const ready = listGoldens().ready;
const specs = ready.map((g) => ({ g, spec: goldenProfile(g.name) }));
const stateGoldens = specs.filter(({ spec }) => stateLogFor(spec) !== undefined);
// one 32-bit and one 64-bit state golden, and the last one (a recent series)
const some = [stateGoldens.find(({ spec }) => spec.kernel.includes('686')), stateGoldens.find(({ spec }) => spec.kernel.endsWith('amd64')), stateGoldens.at(-1)].flatMap((x) => (x ? [x] : []));

test('there are state goldens to share', () => expect(some.length).toBe(3));

// simulateSpec's lines and predictStateSpec's state of a golden, each run once for the three tests below
// (and for any other file of the worker that asks: tests/golden-boots.ts)
describe.each(some.map((x) => [x.g.name, x] as const))('%s', (_name, { g, spec }) => {
  test('shared_lines_and_state: expect simulateSpec\'s lines and predictStateSpec\'s state, lines asked first', () => {
    const shared = sharedBoot(spec);
    expect(shared).toBeDefined();
    expect(shared!.lines(spec)).toEqual(goldenLines(g.name));
    expect(shared!.predict(spec)).toEqual(goldenStatePrediction(g.name));
  });

  test('shared_state_first: expect the same when the state is asked first', () => {
    const shared = sharedBoot(spec)!;
    expect(shared.predict(spec)).toEqual(goldenStatePrediction(g.name));
    expect(shared.lines(spec)).toEqual(goldenLines(g.name));
  });

  test('compare_shared_equals_unshared: expect the result a stand-in simulator (so no sharing) gives', () => {
    const withShare = compareSpec(spec, { golden: g.serialFile, onSimError: 'record' });
    expect(withShare.state).toBeDefined();
    expect(withShare).toEqual(compareSpec(spec, { golden: g.serialFile, onSimError: 'record', simulate: () => goldenLines(g.name) }));
  });
});

test('shared_refusal: expect a state refusal (hugepages= on the command line) to be the refusal predictStateSpec throws, the lines still simulateSpec\'s', () => {
  const base = some[1]!.spec;
  const spec: MachineSpec = { ...base, cmdline: `${base.cmdline ?? ''} hugepages=4`.trim() };
  const want = simErrorCode(() => predictStateSpec(spec));
  expect(want).toMatch(/^SIM_/);
  const shared = sharedBoot(spec)!;
  expect(shared.lines(spec)).toEqual(simulateSpec(spec));
  expect(simErrorCode(() => shared.predict(spec))).toBe(want);
});

test.each(['i386-3.0-pc-1g', 'i386-2.6.34-pc-128m'])('old_pipeline_not_shared %s: expect no shared boot (its lines are not simulate()\'s)', (name) => {
  const x = specs.find(({ g }) => g.name === name);
  expect(x).toBeDefined();
  expect(sharedBoot(x!.spec)).toBeUndefined();
});
