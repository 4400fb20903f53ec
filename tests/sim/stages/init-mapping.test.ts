// Stage tests for sim/stages/init-mapping.ts, memory_map_top_down() of arch/x86/mm/init.c
// (5.10–7.2): the first step maps the top-most free PMD-sized block, then each step maps down to a
// boundary of a step size that grows by PMD_SHIFT − PAGE_SHIFT − 1 bits once as much was mapped,
// and what lies above the first block is mapped last. `mapRange` stands for
// init_range_memory_mapping() and records the calls.
import { describe, expect, test } from 'vitest';
import { memoryMapTopDown, type TopDownProbe, type TopDownTarget } from '../../../sim/stages/init-mapping.ts';
import { memblockAdd, memblockInit, memblockReserve, type MemblockState } from '../../../sim/stages/memblock.ts';
import { SimError } from '../../../sim/lib/errors.ts';

const M = 0x100000n;
const G = 0x40000000n;
const PMD_SHIFT_64 = 21n;
const PMD_SHIFT_32 = 22n;
const w = { why: 'test', source: 'test', stage: 'test' };

/** Runs memory_map_top_down over [mapStart, mapEnd) and returns the mapped ranges in call order, and the target after. */
function run(mb: MemblockState, mapStart: bigint, mapEnd: bigint, pmdShift: bigint, probe: TopDownProbe): { calls: [bigint, bigint][]; t: TopDownTarget } {
  const t: TopDownTarget = { mb, minPfnMapped: 0n, maxPfnMapped: 0n };
  const calls: [bigint, bigint][] = [];
  memoryMapTopDown(t, mapStart, mapEnd, pmdShift, (s, e) => { calls.push([s, e]); return e - s; }, 'test', probe);
  return { calls, t };
}

describe.each(['find', 'alloc-free'] as const)('memory_map_top_down (probe: %s)', (probe) => {
  // expect with 1G of free memory above 1M (x86_64, 2M PMD): the top 2M first, then down to the 512M
  // boundary (the step grew 2M → 512M), then the rest down to 1M in one step (512M → 128G)
  //   1M          512M                     1G-2M  1G
  //   |   step 3   |        step 2          | s1 |
  test('map_top_down_free_top: expect [1G-2M,1G), [512M,1G-2M), [1M,512M) and min_pfn_mapped 0x100', () => {
    const { calls, t } = run(memblockAdd(memblockInit(), 0n, G), M, G, PMD_SHIFT_64, probe);
    expect(calls).toEqual([[G - 2n * M, G], [512n * M, G - 2n * M], [M, 512n * M]]);
    expect(t.minPfnMapped).toBe(0x100n);
    expect(t.maxPfnMapped).toBe(0n);
  });

  // expect a reserved top 2M to move the first block below it, and the range above it to be mapped last
  //   1M            512M               1G-4M 1G-2M  1G
  //   |    step 3    |      step 2      | s1  |rsvd | ← last
  test('map_top_down_reserved_top: expect the first step below the reservation and [1G-2M,1G) last', () => {
    const mb = memblockReserve(memblockAdd(memblockInit(), 0n, G), G - 2n * M, 2n * M, w);
    const { calls } = run(mb, M, G, PMD_SHIFT_64, probe);
    expect(calls).toEqual([[G - 4n * M, G - 2n * M], [512n * M, G - 4n * M], [M, 512n * M], [G - 2n * M, G]]);
  });

  // expect every byte of [map_start, map_end) mapped once, whatever the layout
  test('map_top_down_covers_once: expect the calls to tile [1M, 3G) with a hole reserved mid-way', () => {
    const mb = memblockReserve(memblockAdd(memblockInit(), 0n, 3n * G), 3n * G - 6n * M, 5n * M, w);
    const { calls } = run(mb, M, 3n * G, PMD_SHIFT_64, probe);
    const sorted = [...calls].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(sorted[0]![0]).toBe(M);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBe(sorted[i - 1]![1]);
    expect(sorted.at(-1)![1]).toBe(3n * G);
  });

  // expect the memblock arrays unchanged: the probe is freed again (5.11+) or never reserved (5.10)
  test('map_top_down_probe_leaves_memblock: expect the same reserved regions after', () => {
    const mb = memblockReserve(memblockAdd(memblockInit(), 0n, G), 16n * M, M, w);
    const { t } = run(mb, M, G, PMD_SHIFT_64, probe);
    expect(t.mb.reserved.map((r) => [r.start, r.end])).toEqual(mb.reserved.map((r) => [r.start, r.end]));
  });
});

describe('memory_map_top_down, 32-bit PMD', () => {
  // expect a 4M PMD (non-PAE i386, PMD_SHIFT 22) to start with 4M and grow the step by 9 bits to 2G
  //   1M                      896M-4M 896M
  //   |        step 2          |  s1  |
  test('map_top_down_pmd_4m: expect [892M,896M) then [1M,892M) in one step', () => {
    const { calls } = run(memblockAdd(memblockInit(32), 0n, 896n * M), M, 896n * M, PMD_SHIFT_32, 'find');
    expect(calls).toEqual([[892n * M, 896n * M], [M, 892n * M]]);
  });
});

describe('memory_map_top_down with no room', () => {
  // expect no free PMD-sized block to be refused with a coded error, not mapped from nowhere
  test('map_top_down_no_block: expect SIM_NOT_MODELLED when everything is reserved', () => {
    const mb = memblockReserve(memblockAdd(memblockInit(), 0n, 64n * M), 0n, 64n * M, w);
    for (const probe of ['find', 'alloc-free'] as const) {
      let err: unknown;
      try {
        run(mb, M, 64n * M, PMD_SHIFT_64, probe);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SimError);
      expect((err as SimError).code).toBe('SIM_NOT_MODELLED');
    }
  });
});
