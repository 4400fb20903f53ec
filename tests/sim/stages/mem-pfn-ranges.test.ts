// Stage tests for sim/stages/mem-pfn-ranges.ts, the early node map for_each_mem_pfn_range() walks
// (include/linux/memblock.h, mm/memblock.c __next_mem_pfn_range: PFN_UP(base), PFN_DOWN(end)): the
// boot state is the real pipeline's up to e820LowPfn (the e820 table and the SRAT QEMU builds are in
// place), with memblock.memory replaced by hand-built regions.
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { memoryRangesForZones } from '../../../sim/stages/mem-pfn-ranges.ts';
import { e820LowPfn } from '../../../sim/stages/e820.ts';
import { memblockAdd, memblockInit, memblockSetNode, type MemblockState } from '../../../sim/stages/memblock.ts';
import { withSlice, type BootState } from '../../../sim/state.ts';
import { SimError } from '../../../sim/lib/errors.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const M = 0x100000n;
const G = 0x40000000n;
const GiB = 2 ** 30;
const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: 2 * GiB, memoryText: '2G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
/** Two 1G nodes: QEMU's SRAT gives node 0 [0, 1G) and node 1 [1G, 2G). */
const TWO_NODES: Partial<MachineSpec> = { numa: [{ memoryBytes: GiB, memoryText: '1G', cpus: [0] }, { memoryBytes: GiB, memoryText: '1G', cpus: [1] }] };

function stateWith(ctx: BootContext, mb: MemblockState): BootState {
  return withSlice(simulate(ctx, stagesBefore(e820LowPfn)).state, 'memblock', mb);
}
const ctxOf = (kernel: string, o: Partial<MachineSpec> = {}): BootContext => bootContext({ spec: spec(kernel, o), kernel: loadKernelWithFacts(kernel) });
const pfns = (rs: readonly { startPfn: bigint; endPfn: bigint; nid: number }[]) => rs.map((r) => [r.startPfn, r.endPfn, r.nid]);

describe('memoryRangesForZones, NUMA (6.1-amd64, two SRAT nodes)', () => {
  const ctx = ctxOf('6.1-amd64', TWO_NODES);

  // expect a region no NUMA stage has given a node yet to be split at the SRAT boundary (memblock_set_node per memblk)
  //   pfn 0x100 ……………… 0x40000 ……………… 0x80000
  //       |   node 0      |     node 1     |
  test('pfn_ranges_split_at_srat: expect [0x100, 0x40000) on node 0 and [0x40000, 0x80000) on node 1', () => {
    const mb = memblockAdd(memblockInit(), M, 2n * G - M);
    expect(pfns(memoryRangesForZones(stateWith(ctx, mb), ctx))).toEqual([[0x100n, 0x40000n, 0], [0x40000n, 0x80000n, 1]]);
  });

  // expect a region whose node is set to keep it, whatever the SRAT says
  test('pfn_ranges_node_set_kept: expect node 1 on a range SRAT puts on node 0, and node 0 on one it puts on node 1', () => {
    const mb = memblockSetNode(memblockAdd(memblockInit(), M, 255n * M), M, 255n * M, 'memory', 1);
    expect(pfns(memoryRangesForZones(stateWith(ctx, mb), ctx))).toEqual([[0x100n, 0x10000n, 1]]);
    const mb0 = memblockSetNode(memblockAdd(memblockInit(), G, 256n * M), G, 256n * M, 'memory', 0);
    expect(pfns(memoryRangesForZones(stateWith(ctx, mb0), ctx))).toEqual([[0x40000n, 0x50000n, 0]]);
  });

  // expect memory the SRAT does not cover to be refused with a coded error, not given a node by guess
  test('pfn_ranges_outside_srat: expect SIM_NOT_MODELLED naming the uncovered pfns', () => {
    const mb = memblockAdd(memblockInit(), 2n * G - 16n * M, 32n * M);
    let err: unknown;
    try {
      memoryRangesForZones(stateWith(ctx, mb), ctx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimError);
    expect((err as SimError).code).toBe('SIM_NOT_MODELLED');
    expect((err as SimError).message).toMatch(/\[pfn 0x80000-0x81000\) is in no SRAT node/);
  });
});

describe('memoryRangesForZones, no NUMA (6.1-686)', () => {
  const ctx = ctxOf('6.1-686');

  // expect node 0 for every region (initmem_init's memblock_set_node(0, PHYS_ADDR_MAX, …, 0)),
  // partial pages trimmed inward and a region inside one page dropped
  //   0x1800 ………… 0x9fc00   0x100000 ………… 0x100800   0x200000 ……… 0x300000
  //   |  → pfn 2..0x9f |     | (no whole page: gone) |   | pfn 0x200..0x300 |
  test('pfn_ranges_trim_and_node_0: expect PFN_UP(base), PFN_DOWN(end), nid 0, the sub-page region gone', () => {
    let mb = memblockAdd(memblockInit(32), 0x1800n, 0x9fc00n - 0x1800n);
    mb = memblockAdd(mb, M, 0x800n);
    mb = memblockAdd(mb, 2n * M, M);
    expect(pfns(memoryRangesForZones(stateWith(ctx, mb), ctx))).toEqual([[0x2n, 0x9fn, 0], [0x200n, 0x300n, 0]]);
  });
});
