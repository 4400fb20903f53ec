import { describe, expect, test } from 'vitest';
import { bootContext } from '../../../sim/boot.ts';
import { slubOrders } from '../../../sim/stages/slub.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const M = 1024 * 1024;
const ctxOf = (cmdline: string | undefined) => {
  const spec: MachineSpec = { name: 't', kernel: '6.12-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline, file: 't/profile.yaml' };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
};

describe('slubOrders memo', () => {
  test('slubOrders_same_context_kept', () => {
    // expect: one context's second call answers from the first (the same object); another context is read from its own command line
    const a = ctxOf('slub_max_order=1');
    const first = slubOrders(a);
    expect(first).toEqual({ minOrder: 0, maxOrder: 1, minObjects: 0 });
    expect(slubOrders(a)).toBe(first);
    const b = ctxOf(undefined);
    expect(slubOrders(b)).toEqual({ minOrder: 0, maxOrder: 3, minObjects: 0 });
    expect(slubOrders(a)).toBe(first);
  });
  test('slubOrders_refusal_every_call', () => {
    // expect: a value the kernel cannot read is refused on every call (an error is not kept)
    const c = ctxOf('slub_max_order=3x');
    for (let i = 0; i < 2; i++) expect(() => slubOrders(c)).toThrow(/plain number/);
  });
});
