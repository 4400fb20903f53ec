// Stage tests for sim/stages/sparse.ts: sparse_init() (mm/sparse.c) with SPARSEMEM_VMEMMAP on x86_64,
// all from memblock in the kernel's order: memory_present()'s mem_section root array (NR_SECTION_ROOTS ×
// 8), sparse_index_alloc() per SECTIONS_PER_ROOT sections, each node's usemaps (in its pgdat's section,
// sparse_early_usemaps_alloc_pgdat_section), its memmap buffer (sparse_buffer_init: section_map_size()
// = 2M per present section, exact node) and the vmemmap page-table pages (vmemmap_alloc_block_zero).
// The sizes, nodes and order expected are the ones the real 6.1 kernel printed with memblock=debug
// (goldens/x86_64-6.1-pc-512m and goldens/x86_64-6.1-pc-4g-numa2, serial-memblock.log).
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { sparseFromMmCoreInitEarly, sparseFromSetupArch } from '../../../sim/stages/sparse.ts';
import { memblockStateOf, type LedgerEntry } from '../../../sim/stages/memblock.ts';
import { slice } from '../../../sim/state.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const GiB = 2 ** 30;
const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: GiB / 2, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const ctxOf = (kernel: string, o: Partial<MachineSpec> = {}): BootContext => bootContext({ spec: spec(kernel, o), kernel: loadKernelWithFacts(kernel) });
const TWO_NODES: Partial<MachineSpec> = { memoryBytes: 4 * GiB, memoryText: '4G', cpus: 4, numa: [{ memoryBytes: 2 * GiB, memoryText: '2G', cpus: [0, 1] }, { memoryBytes: 2 * GiB, memoryText: '2G', cpus: [2, 3] }] };

/** What a sparse stage adds to the ledger: the kernel caller's last function, the size of one allocation, how many. */
function added(ctx: BootContext, run: typeof sparseFromSetupArch): { fn: string; size: bigint; count: bigint; start: bigint }[] {
  const before = simulate(ctx, stagesBefore(run)).state;
  const n = memblockStateOf(before).ledger.length;
  return memblockStateOf(run(before, ctx).state).ledger.slice(n).map((e: LedgerEntry) => {
    const made = e.made ?? e.ranges;
    const count = e.count ?? 1n;
    const total = made.reduce((s, r) => s + (r.end - r.start), 0n);
    return { fn: (e.caller ?? '').split(' > ').pop()!, size: total / count, count, start: made[0]!.start };
  });
}
const shape = (a: ReturnType<typeof added>) => a.map((x) => [x.fn, x.size, x.count]);

describe('sparseFromSetupArch (6.1-amd64)', () => {
  // expect the 512M boot's five allocations as memblock=debug printed them: root array 32768, one root 4096,
  // usemaps 224 (4 sections × 56), memmap 8M (4 × 2M), and two vmemmap table pages (a PUD and a PMD page)
  test('sparse_one_node_512m: expect 32768, 4096, 224, 8388608 and 2 × 4096', () => {
    const a = added(ctxOf('6.1-amd64'), sparseFromSetupArch);
    expect(shape(a)).toEqual([
      ['memory_present', 32768n, 1n],
      ['sparse_index_alloc', 4096n, 1n],
      ['sparse_early_usemaps_alloc_pgdat_section', 224n, 1n],
      ['sparse_buffer_init', 8388608n, 1n],
      ['vmemmap_alloc_block_zero', 4096n, 1n],
      ['vmemmap_alloc_block_zero', 4096n, 1n],
    ]);
    // the usemaps land in the pgdat's section [0x18000000, 0x20000000) (the kernel's from/max_addr)
    expect(a[2]!.start >= 0x18000000n && a[2]!.start < 0x20000000n).toBe(true);
  });

  // expect two 2G nodes: one root still (32 sections < SECTIONS_PER_ROOT 128), then per node usemaps of
  // 16 sections (896) and a 32M memmap; node 0's table pages before node 1's usemaps, node 1 needing none new
  test('sparse_two_nodes_4g: expect per-node usemaps 896 and memmap 32M, one root', () => {
    const a = added(ctxOf('6.1-amd64', TWO_NODES), sparseFromSetupArch);
    expect(shape(a)).toEqual([
      ['memory_present', 32768n, 1n],
      ['sparse_index_alloc', 4096n, 1n],
      ['sparse_early_usemaps_alloc_pgdat_section', 896n, 1n],
      ['sparse_buffer_init', 33554432n, 1n],
      ['vmemmap_alloc_block_zero', 4096n, 1n],
      ['vmemmap_alloc_block_zero', 4096n, 1n],
      ['sparse_early_usemaps_alloc_pgdat_section', 896n, 1n],
      ['sparse_buffer_init', 33554432n, 1n],
    ]);
  });

  // expect the state the zones stage reads: present sections per node, and 2M of memmap for each
  test('sparse_state_sections_per_node: expect 16 sections on each node and 64M of memmap', () => {
    const ctx = ctxOf('6.1-amd64', TWO_NODES);
    const s = slice(sparseFromSetupArch(simulate(ctx, stagesBefore(sparseFromSetupArch)).state, ctx).state, 'sparse');
    expect([...s.sectionsPerNode.entries()]).toEqual([[0, 16n], [1, 16n]]);
    expect(s.memmapBytes).toBe(32n * 2n * 1024n * 1024n);
  });

  // expect 6.1's sparse_init at paging_init (setup_arch), not at mm_core_init_early
  test('sparse_position_6_1: expect nothing from sparseFromMmCoreInitEarly', () => {
    const ctx = ctxOf('6.1-amd64');
    expect(added(ctx, sparseFromMmCoreInitEarly)).toEqual([]);
  });
});

describe('sparseFromMmCoreInitEarly (7.2-amd64)', () => {
  // expect 7.2: sparse_init from mm_core_init_early(), without sparse_buffer_init: each 2M block of struct
  // pages is its own vmemmap_alloc_block_buf() after the table pages (4 sections of 512M: 4 blocks)
  test('sparse_7_2_blocks: expect no buffer, four 2M blocks from vmemmap_populate_hugepages, nothing at setup_arch', () => {
    const ctx = ctxOf('7.2-amd64');
    expect(added(ctx, sparseFromSetupArch)).toEqual([]);
    const a = added(ctx, sparseFromMmCoreInitEarly);
    expect(a.map((x) => x.fn)).not.toContain('sparse_buffer_init');
    expect(a.filter((x) => x.fn === 'vmemmap_populate_hugepages').reduce((n, x) => n + x.count, 0n)).toBe(4n);
    expect(a.find((x) => x.fn === 'vmemmap_populate_hugepages')!.size).toBe(2n * 1024n * 1024n);
  });
});
