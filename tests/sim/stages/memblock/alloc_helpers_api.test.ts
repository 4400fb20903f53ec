// tools/testing/memblock/tests/alloc_helpers_api.c (6.12): memblock_alloc_from(size, align, min_addr)
// on MEM_SIZE of memory at the dummy base, top-down and bottom-up, against the simulator's memblock
// through ./api.ts. The 5 dispatchers (alloc_from_simple_check …) are the pairs of runs below.
// 6.1.192's file is the same; its cases differ through MEM_SIZE (SZ_16K) and run as the 6.1 cases.
import { describe, expect, test } from 'vitest';
import { SuiteMemblock, caseName, DIRECTIONS, SUITE_VERSIONS, inDirection, SMP_CACHE_BYTES, SZ_2, SZ_8, SZ_16, SZ_32, SZ_64, SZ_128, type Direction, type RegionView, type SuiteVersion } from './api.ts';

const FILE = 'alloc_helpers_api.c';
const expectRegion = (r: RegionView | undefined, base: bigint, size: bigint): void => {
  expect(r).toBeDefined();
  expect({ base: r!.base, size: r!.size }).toEqual({ base, size });
};
const setup = (d: Direction, v: SuiteVersion): SuiteMemblock => {
  const mb = inDirection(new SuiteMemblock(v), d);
  mb.dummy_physical_memory_init();
  mb.setup_memblock();
  return mb;
};
type Scenario = (mb: SuiteMemblock) => void;

/** Run through run_top_down and run_bottom_up. */
const generic: readonly [fn: string, run: Scenario][] = [
  // |      min_addr[new]|  min_addr one cache line below the end: the allocation starts there, zeroed
  ['alloc_from_simple_generic_check', (mb) => {
    const min = mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES;
    const p = mb.memblock_alloc_from(SZ_16, SMP_CACHE_BYTES, min);
    expect(p).not.toBeNull();
    expect(mb.isZeroed(p!, SZ_16)).toBe(true);
    expectRegion(mb.reserved.regions[0], min, SZ_16);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_16);
  }],
  // |    min_addr~ [new]|  an unaligned min_addr: the allocation lands at the next aligned address
  ['alloc_from_misaligned_generic_check', (mb) => {
    const min = mb.memblock_end_of_DRAM() - (SMP_CACHE_BYTES * 2n - 1n);
    const p = mb.memblock_alloc_from(SZ_32, SMP_CACHE_BYTES, min);
    expect(p).not.toBeNull();
    expect(mb.isZeroed(p!, SZ_32)).toBe(true);
    expectRegion(mb.reserved.regions[0], mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES, SZ_32);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_32);
  }],
];

/** Written once per direction. */
const directed: readonly [fn: string, d: Direction, run: Scenario][] = [
  // |   [new]   min_addr|  no room above min_addr: the retry without it takes the top of memory
  ['alloc_from_top_down_high_addr_check', 'top-down', (mb) => {
    const min = mb.memblock_end_of_DRAM() - SZ_16;
    expect(mb.memblock_alloc_from(SZ_32, SMP_CACHE_BYTES, min)).not.toBeNull();
    expectRegion(mb.reserved.regions[0], mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES, SZ_32);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_32);
  }],
  // |  [new][r1]~~~~|  min_addr is reserved from; the allocation goes right below it and merges
  ['alloc_from_top_down_no_space_above_check', 'top-down', (mb) => {
    const min = mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES * 2n;
    mb.memblock_reserve(min, SZ_2);
    expect(mb.memblock_alloc_from(SZ_64, SMP_CACHE_BYTES, min)).not.toBeNull();
    expectRegion(mb.reserved.regions[0], min - SZ_64, SZ_64 + SZ_2);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_64 + SZ_2);
  }],
  // min_addr |[new][    r1    ]|  min_addr below the start of memory is clamped to it
  ['alloc_from_top_down_min_addr_cap_check', 'top-down', (mb) => {
    const start = mb.memblock_start_of_DRAM();
    mb.memblock_reserve(start + SZ_64, mb.MEM_SIZE - SZ_64);
    expect(mb.memblock_alloc_from(SZ_64, SMP_CACHE_BYTES, start - SMP_CACHE_BYTES * 3n)).not.toBeNull();
    expectRegion(mb.reserved.regions[0], start, mb.MEM_SIZE);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(mb.MEM_SIZE);
  }],
  // |[new]     min_addr|  bottom-up: no room above min_addr, the retry takes the start of memory
  ['alloc_from_bottom_up_high_addr_check', 'bottom-up', (mb) => {
    const min = mb.memblock_end_of_DRAM() - SZ_8;
    expect(mb.memblock_alloc_from(SZ_32, SMP_CACHE_BYTES, min)).not.toBeNull();
    expectRegion(mb.reserved.regions[0], mb.memblock_start_of_DRAM(), SZ_32);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_32);
  }],
  // |[new]  [r1 from below min_addr to the end]|  nothing free above min_addr: the start of memory
  ['alloc_from_bottom_up_no_space_above_check', 'bottom-up', (mb) => {
    const min = mb.memblock_start_of_DRAM() + SZ_128;
    const r2 = mb.memblock_end_of_DRAM() - min;
    mb.memblock_reserve(min - SMP_CACHE_BYTES, r2);
    expect(mb.memblock_alloc_from(SZ_64, SMP_CACHE_BYTES, min)).not.toBeNull();
    expectRegion(mb.reserved.regions[0], mb.memblock_start_of_DRAM(), SZ_64);
    expect(mb.reserved.cnt).toBe(2);
    expect(mb.reserved.total_size).toBe(SZ_64 + r2);
  }],
  // min_addr |[new]      |  min_addr below memory: the allocation starts at the start of memory
  ['alloc_from_bottom_up_min_addr_cap_check', 'bottom-up', (mb) => {
    const start = mb.memblock_start_of_DRAM();
    expect(mb.memblock_alloc_from(SZ_64, SMP_CACHE_BYTES, start - SMP_CACHE_BYTES * 3n)).not.toBeNull();
    expectRegion(mb.reserved.regions[0], start, SZ_64);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_64);
  }],
];

describe.each(SUITE_VERSIONS)('memblock_alloc_from (memblock_alloc_helpers_checks, %s)', (v) => {
  for (const [fn, run] of generic) for (const d of DIRECTIONS) test(`${caseName(fn, FILE, v)} ${d}`, () => run(setup(d, v)));
  for (const [fn, d, run] of directed) test(`${caseName(fn, FILE, v)} ${d}`, () => run(setup(d, v)));
});
