// Stage tests for sim/stages/memblock-setup.ts, setup_arch()'s memblock steps in the kernel's order:
// early_reserve_memory, reserve_bios_regions, reserve_brk, e820__memblock_setup (memblock_add of each RAM
// entry, then memblock_trim_memory(PAGE_SIZE)), reserve_real_mode, init_mem_mapping (the page tables,
// its probe allocation freed again); and memblock_find_dma_reserve (arch/x86/mm/init.c, ≤ 6.1). What is
// expected is what the real kernels printed for the same profiles: the 6.1 512M boot's memblock=debug
// capture (goldens/x86_64-6.1-pc-512m/serial-memblock.log lines 35-49) and the 5.10 512M boot's
// "DMA zone: 21 pages reserved" (goldens/x86_64-5.10-pc-512m/serial.log).
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { e820MemblockSetup, memblockFindDmaReserve, memblockSetup } from '../../../sim/stages/memblock-setup.ts';
import { numaInit } from '../../../sim/stages/numa.ts';
import { e820StateOf } from '../../../sim/stages/e820.ts';
import { memblockInit, memblockStateOf } from '../../../sim/stages/memblock.ts';
import { slice } from '../../../sim/state.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const MiB = 2 ** 20;
const spec = (kernel: string): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: 512 * MiB, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml',
});
const ctxOf = (kernel: string): BootContext => bootContext({ spec: spec(kernel), kernel: loadKernelWithFacts(kernel) });
const regions = (rs: readonly { start: bigint; end: bigint }[]): [bigint, bigint][] => rs.map((r) => [r.start, r.end]);

describe('memblock setup (6.1-amd64, pc, 512M)', () => {
  const ctx = ctxOf('6.1-amd64');
  const before = simulate(ctx, stagesBefore(memblockSetup)).state;

  // expect e820__memblock_setup's memory as memblock_dump_all() printed it: two regions trimmed to whole
  // pages, [0x1000, 0x9f000) and [0x100000, 0x1ffe0000), with the size before the trim (0x1ff7ec00)
  test('e820_memblock_setup_memory: expect the two page-trimmed RAM regions and memory size 0x1ff7ec00', () => {
    const mb = e820MemblockSetup(memblockInit(), e820StateOf(before));
    expect(regions(mb.memory)).toEqual([[0x1000n, 0x9f000n], [0x100000n, 0x1ffe0000n]]);
    expect(mb.totalSize.memory).toBe(0x1ff7ec00n);
  });

  // expect reserve_real_mode's 28672-byte trampoline top-down under 1M at [0x98000, 0x9f000), then all of the
  // first 1M reserved (6.1: memblock_reserve(0, SZ_1M) in setup_arch), and init_mem_mapping's 2M probe at
  // [0x1fc00000, 0x1fe00000) given back
  test('memblock_setup_real_mode_and_probe: expect the trampoline, the low 1M reserved, the probe freed', () => {
    const mb = memblockStateOf(memblockSetup(before, ctx).state);
    const trampoline = mb.ledger.find((e) => e.caller?.includes('reserve_real_mode'));
    expect(trampoline && regions(trampoline.made ?? trampoline.ranges)).toEqual([[0x98000n, 0x9f000n]]);
    expect(mb.reserved[0]!.start).toBe(0n);
    expect(mb.reserved[0]!.end).toBeGreaterThanOrEqual(0x100000n);
    expect(mb.reserved.some((r) => r.start < 0x1fe00000n && r.end > 0x1fc00000n)).toBe(false);
  });

  // expect the current limit raised to what init_mem_mapping mapped (memblock_set_current_limit(get_max_mapped())):
  // all of RAM on a 512M x86_64 guest, to the end of memory 0x1ffe0000
  test('memblock_setup_current_limit: expect max_pfn_mapped at the end of RAM', () => {
    const out = memblockSetup(before, ctx).state;
    expect(slice(out, 'pageTables').maxPfnMapped).toBe(0x1ffe0n);
    expect(memblockStateOf(out).currentLimit).toBe(0x1ffe0000n);
  });
});

describe('memblockFindDmaReserve (5.10-amd64, pc, 512M)', () => {
  // expect the 21 pages the 5.10 kernel printed as "DMA zone: 21 pages reserved": the pages below 16M that are
  // not whole free pages when the NUMA stage runs
  test('dma_reserve_5_10_512m: expect 21 pages', () => {
    const ctx = ctxOf('5.10-amd64');
    const state = simulate(ctx, stagesBefore(numaInit)).state;
    expect(memblockFindDmaReserve(memblockStateOf(state))).toBe(21n);
    expect(slice(numaInit(state, ctx).state, 'numa').dmaReserve).toBe(21n);
  });
});
