import { describe, expect, test } from 'vitest';
import { runPlan } from '../../../harness/cli/commands/conformance.ts';

describe('conformance --jobs', () => {
  test('runPlan_default_one_thread', () => {
    // expect: without --jobs the goldens are compared on this thread alone (measured: a worker costs more than it takes over)
    expect(runPlan({}, [])).toEqual({ jobs: 1 });
    // expect: --jobs N still asks for N threads, with a shard too
    expect(runPlan({ jobs: '2' }, [])).toEqual({ jobs: 2 });
    expect(runPlan({ shard: '1/2' }, []).jobs).toBe(1);
  });
});
