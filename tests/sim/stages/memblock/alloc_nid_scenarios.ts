// The range scenarios of tools/testing/memblock/tests/alloc_nid_api.c (6.12), shared by
// alloc_nid_api.test.ts (memblock_alloc_try_nid, _raw) and alloc_exact_nid_api.test.ts, which runs
// them again with TEST_F_RAW | TEST_F_EXACT (memblock_alloc_exact_nid_raw) as
// memblock_alloc_exact_nid_range_checks() does. Each scenario is run by the caller in its direction.
import { expect } from 'vitest';
import { SuiteMemblock, inDirection, NUMA_NO_NODE, SMP_CACHE_BYTES, SZ_2, SZ_64, SZ_128, SZ_256, SZ_512, SZ_1K, type Direction, type RegionView, type SuiteVersion } from './api.ts';

/** The flags run_memblock_alloc_nid() dispatches on. */
export type NidFlags = 'TEST_F_NONE' | 'TEST_F_RAW' | 'TEST_F_RAW|TEST_F_EXACT';

/** run_memblock_alloc_nid(): exact_nid_raw, try_nid_raw or try_nid by the flags. */
export function allocNid(mb: SuiteMemblock, f: NidFlags, size: bigint, align: bigint, min: bigint, max: bigint, nid: number): bigint | null {
  if (f === 'TEST_F_RAW|TEST_F_EXACT') return mb.memblock_alloc_exact_nid_raw(size, align, min, max, nid);
  if (f === 'TEST_F_RAW') return mb.memblock_alloc_try_nid_raw(size, align, min, max, nid);
  return mb.memblock_alloc_try_nid(size, align, min, max, nid);
}

/** ASSERT_NE(ptr, NULL) then assert_mem_content(ptr, size, flags). */
export function expectAllocated(mb: SuiteMemblock, ptr: bigint | null, size: bigint, f: NidFlags): void {
  expect(ptr).not.toBeNull();
  if (f === 'TEST_F_NONE') expect(mb.isZeroed(ptr!, size)).toBe(true);
  else expect(mb.isUntouched(ptr!, size)).toBe(true);
}

export const expectRegion = (r: RegionView | undefined, base: bigint, size: bigint): void => {
  expect(r).toBeDefined();
  expect({ base: r!.base, size: r!.size }).toEqual({ base, size });
};
export const expectReserved = (mb: SuiteMemblock, cnt: number, total: bigint): void => {
  expect(mb.reserved.cnt).toBe(cnt);
  expect(mb.reserved.total_size).toBe(total);
};
export const regionEnd = (r: RegionView): bigint => r.base + r.size;

export type NidScenario = (mb: SuiteMemblock, f: NidFlags) => void;

/** setup_memblock() in a direction, on fresh dummy memory. */
export function setupFlat(d: Direction, v: SuiteVersion = '6.12'): SuiteMemblock {
  const mb = inDirection(new SuiteMemblock(v), d);
  mb.dummy_physical_memory_init();
  mb.setup_memblock();
  return mb;
}

/** memblock_alloc_nid_range_checks(): the scenarios written once per direction. */
export const rangeDirected: readonly [fn: string, d: Direction, run: NidScenario][] = [
  // |   min[  new]max   |  the allocation ends at max_addr
  ['alloc_nid_top_down_simple_check', 'top-down', (mb, f) => {
    const min = mb.memblock_start_of_DRAM() + SMP_CACHE_BYTES * 2n;
    const max = min + SZ_512;
    expectAllocated(mb, allocNid(mb, f, SZ_128, SMP_CACHE_BYTES, min, max, NUMA_NO_NODE), SZ_128, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, max - SZ_128, SZ_128);
    expect(regionEnd(r)).toBe(max);
    expectReserved(mb, 1, SZ_128);
  }],
  // |   min[ new]~max   |  max_addr misaligned by 2: the allocation ends aligned below it
  ['alloc_nid_top_down_end_misaligned_check', 'top-down', (mb, f) => {
    const min = mb.memblock_start_of_DRAM() + SMP_CACHE_BYTES * 2n;
    const max = min + SZ_512 + SZ_2;
    expectAllocated(mb, allocNid(mb, f, SZ_128, SMP_CACHE_BYTES, min, max, NUMA_NO_NODE), SZ_128, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, max - SZ_128 - SZ_2, SZ_128);
    expect(regionEnd(r)).toBeLessThan(max);
    expectReserved(mb, 1, SZ_128);
  }],
  // |  [new] min max  |  the range is narrower than the size: the retry without min_addr ends at max_addr
  ['alloc_nid_top_down_narrow_range_check', 'top-down', (mb, f) => {
    const min = mb.memblock_start_of_DRAM() + SZ_512;
    const max = min + SMP_CACHE_BYTES;
    expectAllocated(mb, allocNid(mb, f, SZ_256, SMP_CACHE_BYTES, min, max, NUMA_NO_NODE), SZ_256, f);
    expectRegion(mb.reserved.regions[0], max - SZ_256, SZ_256);
    expectReserved(mb, 1, SZ_256);
  }],
  // |  [r2] min[ gap  [new]]max[r1]  |  the allocation goes right below r1 and merges with it
  ['alloc_nid_top_down_reserved_with_space_check', 'top-down', (mb, f) => {
    const r1 = { base: mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES * 2n, size: SMP_CACHE_BYTES };
    const r2 = { base: r1.base - (SZ_64 + SMP_CACHE_BYTES + SZ_128), size: SZ_128 };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    const max = r1.base;
    expectAllocated(mb, allocNid(mb, f, SZ_64, SMP_CACHE_BYTES, r2.base + r2.size, max, NUMA_NO_NODE), SZ_64, f);
    expectRegion(mb.reserved.regions[1], max - SZ_64, r1.size + SZ_64);
    expectRegion(mb.reserved.regions[0], r2.base, r2.size);
    expectReserved(mb, 2, r1.size + r2.size + SZ_64);
  }],
  // |[new][r2] min max [r1]|  the gap is too small: the retry puts it below r2
  ['alloc_nid_top_down_reserved_no_space_check', 'top-down', (mb, f) => {
    const r1 = { base: mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES * 2n, size: SMP_CACHE_BYTES };
    const r2 = { base: r1.base - (SZ_128 + SMP_CACHE_BYTES), size: SZ_128 };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    expectAllocated(mb, allocNid(mb, f, SZ_256, SMP_CACHE_BYTES, r2.base + r2.size, r1.base, NUMA_NO_NODE), SZ_256, f);
    expectRegion(mb.reserved.regions[1], r1.base, r1.size);
    expectRegion(mb.reserved.regions[0], r2.base - SZ_256, r2.size + SZ_256);
    expectReserved(mb, 2, r1.size + r2.size + SZ_256);
  }],
  // |  min  [new]|max  |  max_addr past the end of memory: the allocation ends at the end
  ['alloc_nid_top_down_cap_max_check', 'top-down', (mb, f) => {
    const end = mb.memblock_end_of_DRAM();
    expectAllocated(mb, allocNid(mb, f, SZ_256, SMP_CACHE_BYTES, end - SZ_1K, end + SZ_256, NUMA_NO_NODE), SZ_256, f);
    expectRegion(mb.reserved.regions[0], end - SZ_256, SZ_256);
    expectReserved(mb, 1, SZ_256);
  }],
  // min|     [new]max|  min_addr below memory: the allocation still ends at the top
  ['alloc_nid_top_down_cap_min_check', 'top-down', (mb, f) => {
    const end = mb.memblock_end_of_DRAM();
    expectAllocated(mb, allocNid(mb, f, SZ_1K, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM() - SZ_256, end, NUMA_NO_NODE), SZ_1K, f);
    expectRegion(mb.reserved.regions[0], end - SZ_1K, SZ_1K);
    expectReserved(mb, 1, SZ_1K);
  }],
  // |   min[new  ]max   |  bottom-up: the allocation starts at min_addr
  ['alloc_nid_bottom_up_simple_check', 'bottom-up', (mb, f) => {
    const min = mb.memblock_start_of_DRAM() + SMP_CACHE_BYTES * 2n;
    const max = min + SZ_512;
    expectAllocated(mb, allocNid(mb, f, SZ_128, SMP_CACHE_BYTES, min, max, NUMA_NO_NODE), SZ_128, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, min, SZ_128);
    expect(regionEnd(r)).toBeLessThan(max);
    expectReserved(mb, 1, SZ_128);
  }],
  // |   min~[new  ]max   |  min_addr misaligned by 2: the allocation starts at the next aligned address
  ['alloc_nid_bottom_up_start_misaligned_check', 'bottom-up', (mb, f) => {
    const min = mb.memblock_start_of_DRAM() + SZ_2;
    const max = min + SZ_512;
    expectAllocated(mb, allocNid(mb, f, SZ_128, SMP_CACHE_BYTES, min, max, NUMA_NO_NODE), SZ_128, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, min + (SMP_CACHE_BYTES - SZ_2), SZ_128);
    expect(regionEnd(r)).toBeLessThan(max);
    expectReserved(mb, 1, SZ_128);
  }],
  // |[new]  min max  |  the range is too narrow: the retry without min_addr starts at the start of memory
  ['alloc_nid_bottom_up_narrow_range_check', 'bottom-up', (mb, f) => {
    const min = mb.memblock_start_of_DRAM() + SZ_512;
    expectAllocated(mb, allocNid(mb, f, SZ_256, SMP_CACHE_BYTES, min, min + SMP_CACHE_BYTES, NUMA_NO_NODE), SZ_256, f);
    expectRegion(mb.reserved.regions[0], mb.memblock_start_of_DRAM(), SZ_256);
    expectReserved(mb, 1, SZ_256);
  }],
  // |  [r2][new] gap max[r1]  |  bottom-up: the allocation starts right above r2 and merges with it
  ['alloc_nid_bottom_up_reserved_with_space_check', 'bottom-up', (mb, f) => {
    const r1 = { base: mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES * 2n, size: SMP_CACHE_BYTES };
    const r2 = { base: r1.base - (SZ_64 + SMP_CACHE_BYTES + SZ_128), size: SZ_128 };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    const max = r1.base;
    expectAllocated(mb, allocNid(mb, f, SZ_64, SMP_CACHE_BYTES, r2.base + r2.size, max, NUMA_NO_NODE), SZ_64, f);
    expectRegion(mb.reserved.regions[1], max, r1.size);
    expectRegion(mb.reserved.regions[0], r2.base, r2.size + SZ_64);
    expectReserved(mb, 2, r1.size + r2.size + SZ_64);
  }],
  // |[new]  [r2] min max [r1]|  the gap is too small: the retry puts it at the start of memory
  ['alloc_nid_bottom_up_reserved_no_space_check', 'bottom-up', (mb, f) => {
    const r1 = { base: mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES * 2n, size: SMP_CACHE_BYTES };
    const r2 = { base: r1.base - (SZ_128 + SMP_CACHE_BYTES), size: SZ_128 };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    expectAllocated(mb, allocNid(mb, f, SZ_256, SMP_CACHE_BYTES, r2.base + r2.size, r1.base, NUMA_NO_NODE), SZ_256, f);
    expectRegion(mb.reserved.regions[0], mb.memblock_start_of_DRAM(), SZ_256);
    expectRegion(mb.reserved.regions[1], r2.base, r2.size);
    expectRegion(mb.reserved.regions[2], r1.base, r1.size);
    expectReserved(mb, 3, r1.size + r2.size + SZ_256);
  }],
  // |  min[new]  |max  |  bottom-up: max_addr past memory, the allocation starts at min_addr
  ['alloc_nid_bottom_up_cap_max_check', 'bottom-up', (mb, f) => {
    const min = mb.memblock_start_of_DRAM() + SZ_1K;
    expectAllocated(mb, allocNid(mb, f, SZ_256, SMP_CACHE_BYTES, min, mb.memblock_end_of_DRAM() + SZ_256, NUMA_NO_NODE), SZ_256, f);
    expectRegion(mb.reserved.regions[0], min, SZ_256);
    expectReserved(mb, 1, SZ_256);
  }],
  // |[new]     max|  |  bottom-up: the allocation starts at the start of memory
  ['alloc_nid_bottom_up_cap_min_check', 'bottom-up', (mb, f) => {
    expectAllocated(mb, allocNid(mb, f, SZ_1K, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM() - SZ_256, NUMA_NO_NODE), SZ_1K, f);
    expectRegion(mb.reserved.regions[0], mb.memblock_start_of_DRAM(), SZ_1K);
    expectReserved(mb, 1, SZ_1K);
  }],
];

/** memblock_alloc_nid_range_checks(): the scenarios run through run_top_down and run_bottom_up. */
export const rangeGeneric: readonly [fn: string, run: NidScenario][] = [
  // |  min[new]max  |  the range is exactly the size: the allocation is the range
  ['alloc_nid_exact_address_generic_check', (mb, f) => {
    const min = mb.memblock_start_of_DRAM() + SMP_CACHE_BYTES;
    const max = min + SZ_1K;
    expectAllocated(mb, allocNid(mb, f, SZ_1K, SMP_CACHE_BYTES, min, max, NUMA_NO_NODE), SZ_1K, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, min, SZ_1K);
    expect(regionEnd(r)).toBe(max);
    expectReserved(mb, 1, SZ_1K);
  }],
  // |min max     |  max_addr one cache line above the start of memory: 1K cannot fit below it
  ['alloc_nid_low_max_generic_check', (mb, f) => {
    const min = mb.memblock_start_of_DRAM();
    expect(allocNid(mb, f, SZ_1K, SMP_CACHE_BYTES, min, min + SMP_CACHE_BYTES, NUMA_NO_NODE)).toBeNull();
  }],
  // |     [r1]min[new]max|  min_addr right above r1: the allocation merges with it
  ['alloc_nid_min_reserved_generic_check', (mb, f) => {
    const max = mb.memblock_end_of_DRAM();
    const min = max - SZ_64;
    const r1 = min - SZ_128;
    mb.memblock_reserve(r1, SZ_128);
    expectAllocated(mb, allocNid(mb, f, SZ_64, SMP_CACHE_BYTES, min, max, NUMA_NO_NODE), SZ_64, f);
    expectRegion(mb.reserved.regions[0], r1, SZ_128 + SZ_64);
    expectReserved(mb, 1, SZ_128 + SZ_64);
  }],
  // |  min[new]max[r1]|  max_addr right below r1: the allocation merges with it
  ['alloc_nid_max_reserved_generic_check', (mb, f) => {
    const max = mb.memblock_end_of_DRAM() - SZ_64;
    const min = max - SZ_128;
    mb.memblock_reserve(max, SZ_64);
    expectAllocated(mb, allocNid(mb, f, SZ_128, SMP_CACHE_BYTES, min, max, NUMA_NO_NODE), SZ_128, f);
    expectRegion(mb.reserved.regions[0], min, SZ_64 + SZ_128);
    expectReserved(mb, 1, SZ_64 + SZ_128);
  }],
  // |  [r2][new][r1]  |  the gap between r2 and r1 is exactly the size: all three merge
  ['alloc_nid_reserved_full_merge_generic_check', (mb, f) => {
    const r1 = { base: mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES * 2n, size: SMP_CACHE_BYTES };
    const r2 = { base: r1.base - (SZ_64 + SZ_128), size: SZ_128 };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    expectAllocated(mb, allocNid(mb, f, SZ_64, SMP_CACHE_BYTES, r2.base + r2.size, r1.base, NUMA_NO_NODE), SZ_64, f);
    expectRegion(mb.reserved.regions[0], r2.base, r1.size + r2.size + SZ_64);
    expectReserved(mb, 1, r1.size + r2.size + SZ_64);
  }],
  // |[        r2        ] gap [r1]|  only one cache line free, below r1: 256 bytes fail even after the retry
  ['alloc_nid_reserved_all_generic_check', (mb, f) => {
    const r1 = { base: mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES, size: SMP_CACHE_BYTES };
    const r2 = { base: mb.memblock_start_of_DRAM(), size: mb.MEM_SIZE - (SMP_CACHE_BYTES + SMP_CACHE_BYTES) };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    expect(allocNid(mb, f, SZ_256, SMP_CACHE_BYTES, r2.base + r2.size, r1.base, NUMA_NO_NODE)).toBeNull();
  }],
];
