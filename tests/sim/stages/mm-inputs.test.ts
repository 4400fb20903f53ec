// Tests for sim/stages/mm-inputs.ts, what the mm stages read from outside their own slice: config options
// and struct sizes from the kernel facts, pageblock_order (include/linux/pageblock-flags.h with
// HUGETLB_PAGE: HPAGE_SHIFT − PAGE_SHIFT, HPAGE_SHIFT = PMD_SHIFT), and the CPU/NUMA topology the NUMA
// and zones stages leave.
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { configNumber, configOn, deferInitStartPfn, pageblockOrder, structBytes, topologyOf } from '../../../sim/stages/mm-inputs.ts';
import { setupPerCpuAreas } from '../../../sim/stages/percpu.ts';
import { sliceIfAny } from '../../../sim/state.ts';
import type { MachineSpec } from '../../../sim/types.ts';
import { simErrorCode } from '../sim-error-code.ts';

const GiB = 2 ** 30;
const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: GiB, memoryText: '1G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const ctxOf = (kernel: string, o: Partial<MachineSpec> = {}): BootContext => bootContext({ spec: spec(kernel, o), kernel: loadKernelWithFacts(kernel) });
/** A context whose kernel facts lack an option or a struct, built from a real one. */
const without = (ctx: BootContext, option?: string, struct?: string): BootContext => {
  const f = ctx.kernel.facts;
  const config = Object.fromEntries(Object.entries(f.config).filter(([k]) => k !== option));
  const structs = Object.fromEntries(Object.entries(f.structs).filter(([k]) => k !== struct));
  return { ...ctx, kernel: { ...ctx.kernel, facts: { ...f, config, structs } } };
};

describe('pageblockOrder', () => {
  // expect 9 with 2M PMDs (x86_64, i386 PAE) and 10 with the 4M PMDs of 2-level i386 (686 without PAE)
  test('pageblock_order_from_pmd_shift: expect 9 on amd64 and 686-pae, 10 on 686', () => {
    expect(pageblockOrder(ctxOf('6.1-amd64'), 't')).toBe(9n);
    expect(pageblockOrder(ctxOf('6.1-686-pae'), 't')).toBe(9n);
    expect(pageblockOrder(ctxOf('6.1-686'), 't')).toBe(10n);
  });

  // expect a kernel without HUGETLB_PAGE (pageblock_order MAX_ORDER − 1) refused by name, not guessed
  test('pageblock_order_without_hugetlb: expect SIM_NOT_MODELLED', () => {
    expect(simErrorCode(() => pageblockOrder(without(ctxOf('6.1-amd64'), 'HUGETLB_PAGE'), 't'))).toBe('SIM_NOT_MODELLED');
  });
});

describe('config and struct facts', () => {
  // expect the facts' values: NR_CPUS 8192 on Debian amd64 (MAXSMP), 32 on 686; NUMA on amd64 only
  test('config_values: expect NR_CPUS 8192 / 32 and NUMA y / unset', () => {
    expect(configNumber(ctxOf('6.1-amd64'), 'NR_CPUS')).toBe(8192);
    expect(configNumber(ctxOf('6.1-686-pae'), 'NR_CPUS')).toBe(32);
    expect(configOn(ctxOf('6.1-amd64'), 'NUMA')).toBe(true);
    expect(configOn(ctxOf('6.1-686-pae'), 'NUMA')).toBe(false);
  });

  // expect a missing numeric option to throw (a build always has it) and a missing struct to be refused by name
  test('config_and_struct_missing: expect RangeError for NR_CPUS, SIM_NOT_MODELLED naming the struct', () => {
    const ctx = ctxOf('6.1-amd64');
    expect(() => configNumber(without(ctx, 'NR_CPUS'), 'NR_CPUS')).toThrow(RangeError);
    expect(() => structBytes(without(ctx, undefined, 'page'), 'page', 't')).toThrow(/sizeof\(struct page\)/);
    // struct page is 64 bytes on x86_64 (BTF)
    expect(structBytes(ctx, 'page', 't')).toBe(64n);
  });
});

describe('topologyOf', () => {
  // expect two QEMU nodes with two CPUs each: nr_node_ids 2, early_cpu_to_node from the SRAT, both nodes with memory
  test('topology_two_nodes: expect nr_node_ids 2, CPUs 0 0 1 1, memory on 0 and 1', () => {
    const ctx = ctxOf('6.1-amd64', { memoryBytes: 2 * GiB, memoryText: '2G', cpus: 4, numa: [{ memoryBytes: GiB, memoryText: '1G', cpus: [0, 1] }, { memoryBytes: GiB, memoryText: '1G', cpus: [2, 3] }] });
    const t = topologyOf(simulate(ctx, stagesBefore(setupPerCpuAreas)).state, ctx);
    expect([t.possibleCpus, t.nrNodeIds, t.cpuToNode, t.memoryNodes, t.numa]).toEqual([4, 2, [0, 0, 1, 1], [0, 1], true]);
    expect([t.distance(0, 0), t.distance(0, 1)]).toEqual([10, 20]);
  });

  // expect a memoryless node to drop out of the memory nodes once the zones exist (N_MEMORY), though it has CPUs
  test('topology_memoryless_node: expect memory nodes [0] after the zones, CPUs on both nodes', () => {
    const ctx = ctxOf('6.1-amd64', { memoryBytes: 2 * GiB, memoryText: '2G', cpus: 2, numa: [{ memoryBytes: 2 * GiB, memoryText: '2G', cpus: [0] }, { memoryBytes: 0, memoryText: '0', cpus: [1] }] });
    const state = simulate(ctx, stagesBefore(setupPerCpuAreas)).state;
    expect(sliceIfAny(state, 'zones')).toBeDefined();
    const t = topologyOf(state, ctx);
    expect(t.memoryNodes).toEqual([0]);
    expect(t.cpuToNode).toEqual([0, 1]);
  });
});

describe('deferInitStartPfn (defer_init, mm/mm_init.c)', () => {
  const M = 2n ** 20n;
  const G = 2n ** 30n;
  // x86_64: SECTION_SIZE_BITS 27, so PAGES_PER_SECTION = 32768 pfns (128M)
  test('defer_init_one_range: expect the first section-aligned pfn after 32768 counted pfns of the zone', () => {
    // Normal zone from 4G: pfns 0x100000.. counted; 32768 are counted by 0x108000, which is aligned
    expect(deferInitStartPfn([{ start: 0n, end: 8n * G }], 0x100000n, 27)).toBe(0x108000n);
  });
  test('defer_init_unaligned_zone_start: expect the count to round up to the next section boundary', () => {
    // zone from pfn 0x1000 (16M): 32768 counted at 0x9000, next section start 0x10000
    expect(deferInitStartPfn([{ start: 0n, end: 2n * G }], 0x1000n, 27)).toBe(0x10000n);
  });
  test('defer_init_count_spans_ranges: expect pfns of an earlier range to count toward the section', () => {
    // 64M in the first range, then a hole: the second range supplies the other 16384 pfns
    expect(deferInitStartPfn([{ start: 0n, end: 64n * M }, { start: 512n * M, end: 2n * G }], 0n, 27)).toBe(0x28000n);
  });
  test('defer_init_zone_too_small: expect undefined when the zone ends before a section boundary is passed', () => {
    expect(deferInitStartPfn([{ start: 0n, end: 100n * M }], 0n, 27)).toBeUndefined();
  });
});
