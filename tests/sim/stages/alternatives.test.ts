import { describe, expect, test } from 'vitest';
import { bootContext, type BootContext } from '../../../sim/boot.ts';
import { freeSmpLocks } from '../../../sim/stages/alternatives.ts';
import { deriveTraits } from '../../../sim/traits.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const M = 1024 * 1024;
function ctx(p: Partial<MachineSpec>): BootContext {
  const spec: MachineSpec = { name: 't', kernel: '6.12-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
}
const freed = (p: Partial<MachineSpec>): bigint => {
  const c = ctx(p);
  return freeSmpLocks(c, deriveTraits(c.kernel));
};

describe('alternative_instructions: free_init_pages("SMP alternatives")', () => {
  // 6.12.115's .smp_locks is 40K: the "Freeing SMP alternatives memory: 40K" of its logs
  test.each([
    ['smp_two_cpus_freed', { cpus: 2 }, 10n],
    ['up_one_cpu_freed', { cpus: 1 }, 10n],
    // nosmp leaves one possible CPU (topology_apply_cmdline_limits_early; 6.1 prefill_possible_map: the
    // x86_64-6.1-pc-1g-nosmp golden prints "Freeing SMP alternatives memory: 36K")
    ['nosmp_one_possible_freed', { cpus: 2, cmdline: 'nosmp' }, 10n],
    ['maxcpus_1_with_two_possible_kept', { cpus: 2, cmdline: 'maxcpus=1' }, 0n],
    ['maxcpus_2_freed', { cpus: 2, cmdline: 'maxcpus=2' }, 10n],
    ['noreplace_smp_freed', { cpus: 2, cmdline: 'nosmp noreplace-smp' }, 10n],
  ] as const)('%s', (_name, p, pages) => {
    // expect: freed unless uniproc_patched (one present CPU or setup_max_cpus ≤ 1, without noreplace-smp) with more CPUs possible
    expect(freed(p)).toBe(pages);
  });
});

describe('7.3: no SMP alternatives to free', () => {
  test.each([
    ['smp_two_cpus_none', { cpus: 2 }],
    ['up_one_cpu_none', { cpus: 1 }],
    ['noreplace_smp_none', { cpus: 2, cmdline: 'nosmp noreplace-smp' }],
  ] as const)('freeSmpLocks_7_3_%s', (_name, p) => {
    // expect: 0 pages, whatever the CPUs: 7.3.4's vmlinux.lds.S has no .smp_locks (traits.smpLocks 'none') and its facts no __smp_locks
    const c = ctx({ kernel: '7.3-amd64', ...p });
    expect(c.kernel.facts.image.symbols.__smp_locks).toBeUndefined();
    expect(freed({ kernel: '7.3-amd64', ...p })).toBe(0n);
  });

  test('freeSmpLocks_symbolsMissing: expect SIM_NOT_MODELLED naming the symbols when a build that has the table lost them from its facts', () => {
    const c = ctx({ kernel: '7.2-amd64' });
    const { __smp_locks: _a, __smp_locks_end: _b, ...symbols } = c.kernel.facts.image.symbols;
    const bad: BootContext = { ...c, kernel: { ...c.kernel, facts: { ...c.kernel.facts, image: { ...c.kernel.facts.image, symbols } } } };
    expect(() => freeSmpLocks(bad, deriveTraits(bad.kernel))).toThrow(expect.objectContaining({ code: 'SIM_NOT_MODELLED', message: expect.stringContaining('__smp_locks/__smp_locks_end') }));
  });
});
