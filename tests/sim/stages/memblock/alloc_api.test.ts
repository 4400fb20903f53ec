// tools/testing/memblock/tests/alloc_api.c (6.12): memblock_alloc and memblock_alloc_raw on MEM_SIZE
// of memory at the dummy base, top-down and bottom-up, against the simulator's memblock through
// ./api.ts. memblock_alloc_checks() runs every scenario twice, with TEST_F_NONE (memblock_alloc,
// memory zeroed) and TEST_F_RAW (memblock_alloc_raw, memory left as setup_memblock filled it);
// so do these. The 12 dispatchers (alloc_simple_check …) are the pairs of runs below. 6.1.192's
// alloc_api.c is the same file; its scenarios differ through common.h's MEM_SIZE (SZ_16K, not
// SZ_32K), and run here as the 6.1 cases.
import { describe, expect, test } from 'vitest';
import {
  SuiteMemblock, caseName, DIRECTIONS, SUITE_VERSIONS, inDirection, SMP_CACHE_BYTES,
  SZ_2, SZ_8, SZ_16, SZ_64, SZ_128, SZ_256, SZ_512, SZ_1K, type Direction, type RegionView, type SuiteVersion,
} from './api.ts';

const FILE = 'alloc_api.c';
type Flags = 'TEST_F_NONE' | 'TEST_F_RAW';
const FLAGS: readonly Flags[] = ['TEST_F_NONE', 'TEST_F_RAW'];

/** run_memblock_alloc(): memblock_alloc or memblock_alloc_raw by the flags. */
const alloc = (mb: SuiteMemblock, f: Flags, size: bigint, align: bigint): bigint | null =>
  (f === 'TEST_F_RAW' ? mb.memblock_alloc_raw(size, align) : mb.memblock_alloc(size, align));

/** assert_mem_content(): zeroed by memblock_alloc, untouched (all 1s) after memblock_alloc_raw. */
function expectContent(mb: SuiteMemblock, ptr: bigint | null, size: bigint, f: Flags): void {
  expect(ptr).not.toBeNull();
  if (f === 'TEST_F_RAW') expect(mb.isUntouched(ptr!, size)).toBe(true);
  else expect(mb.isZeroed(ptr!, size)).toBe(true);
}
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

type Scenario = (mb: SuiteMemblock, f: Flags) => void;

/** Scenarios the C file writes once per direction (alloc_top_down_*, alloc_bottom_up_*). */
const directed: readonly [fn: string, d: Direction, run: Scenario][] = [
  // |        [new]|  a small allocation lands at the top, aligned down
  ['alloc_top_down_simple_check', 'top-down', (mb, f) => {
    const expected = mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES;
    const p = alloc(mb, f, SZ_2, SMP_CACHE_BYTES);
    expectContent(mb, p, SZ_2, f);
    expectRegion(mb.reserved.regions[0], expected, SZ_2);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_2);
  }],
  // |   [new]  [r1]|  r1 at the very top; the aligned allocation below it cannot touch it
  ['alloc_top_down_disjoint_check', 'top-down', (mb, f) => {
    const a = SMP_CACHE_BYTES * 2n;
    const r1 = mb.memblock_end_of_DRAM() - SZ_2;
    const expected = mb.memblock_end_of_DRAM() - a;
    mb.memblock_reserve(r1, SZ_2);
    const p = alloc(mb, f, SZ_16, a);
    expectContent(mb, p, SZ_16, f);
    expectRegion(mb.reserved.regions[1], r1, SZ_2);
    expectRegion(mb.reserved.regions[0], expected, SZ_16);
    expect(mb.reserved.cnt).toBe(2);
    expect(mb.reserved.total_size).toBe(SZ_2 + SZ_16);
  }],
  // |  [r1][new]|  the allocation fills the space right above r1 and merges with it
  ['alloc_top_down_before_check', 'top-down', (mb, f) => {
    const total = SMP_CACHE_BYTES + SZ_512;
    mb.memblock_reserve(mb.memblock_end_of_DRAM() - total, SMP_CACHE_BYTES);
    const p = alloc(mb, f, SZ_512, SMP_CACHE_BYTES);
    expectContent(mb, p, SZ_512, f);
    expectRegion(mb.reserved.regions[0], mb.memblock_end_of_DRAM() - total, total);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(total);
  }],
  // |  [new][r1]  |  r1 near the top; the allocation ends where r1 starts and merges with it
  ['alloc_top_down_after_check', 'top-down', (mb, f) => {
    const r1 = mb.memblock_end_of_DRAM() - SMP_CACHE_BYTES;
    mb.memblock_reserve(r1, SZ_8);
    const p = alloc(mb, f, SZ_512, SMP_CACHE_BYTES);
    expectContent(mb, p, SZ_512, f);
    expectRegion(mb.reserved.regions[0], r1 - SZ_512, SZ_8 + SZ_512);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_8 + SZ_512);
  }],
  // |  [new][r2] gap [r1]|  the gap is too small: the allocation goes below r2
  ['alloc_top_down_second_fit_check', 'top-down', (mb, f) => {
    const r1 = mb.memblock_end_of_DRAM() - SZ_512;
    const r2 = r1 - SZ_512;
    mb.memblock_reserve(r1, SZ_512);
    mb.memblock_reserve(r2, SZ_256);
    const p = alloc(mb, f, SZ_1K, SMP_CACHE_BYTES);
    expectContent(mb, p, SZ_1K, f);
    expectRegion(mb.reserved.regions[0], r2 - SZ_1K, SZ_256 + SZ_1K);
    expect(mb.reserved.cnt).toBe(2);
    expect(mb.reserved.total_size).toBe(SZ_512 + SZ_256 + SZ_1K);
  }],
  // |[new]     |  bottom-up: at the start of memory
  ['alloc_bottom_up_simple_check', 'bottom-up', (mb, f) => {
    const p = alloc(mb, f, SZ_2, SMP_CACHE_BYTES);
    expectContent(mb, p, SZ_2, f);
    expectRegion(mb.reserved.regions[0], mb.memblock_start_of_DRAM(), SZ_2);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_2);
  }],
  // |[r1]  [new]  |  r1 near the start; the aligned allocation lands above it without touching
  ['alloc_bottom_up_disjoint_check', 'bottom-up', (mb, f) => {
    const a = SMP_CACHE_BYTES * 2n;
    const r1 = mb.memblock_start_of_DRAM() + SZ_2;
    mb.memblock_reserve(r1, SZ_2);
    const p = alloc(mb, f, SZ_16, a);
    expectContent(mb, p, SZ_16, f);
    expectRegion(mb.reserved.regions[0], r1, SZ_2);
    expectRegion(mb.reserved.regions[1], mb.memblock_start_of_DRAM() + a, SZ_16);
    expect(mb.reserved.cnt).toBe(2);
    expect(mb.reserved.total_size).toBe(SZ_2 + SZ_16);
  }],
  // |[new][r1]   |  the allocation fills the start exactly and merges with r1
  ['alloc_bottom_up_before_check', 'bottom-up', (mb, f) => {
    mb.memblock_reserve(mb.memblock_start_of_DRAM() + SZ_512, SZ_128);
    const p = alloc(mb, f, SZ_512, SMP_CACHE_BYTES);
    expectContent(mb, p, SZ_512, f);
    expectRegion(mb.reserved.regions[0], mb.memblock_start_of_DRAM(), SZ_512 + SZ_128);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_512 + SZ_128);
  }],
  // |  [r1][new]  |  the gap below r1 is too small: the allocation starts where r1 ends
  ['alloc_bottom_up_after_check', 'bottom-up', (mb, f) => {
    const r1 = mb.memblock_start_of_DRAM() + SMP_CACHE_BYTES;
    mb.memblock_reserve(r1, SZ_64);
    const p = alloc(mb, f, SZ_512, SMP_CACHE_BYTES);
    expectContent(mb, p, SZ_512, f);
    expectRegion(mb.reserved.regions[0], r1, SZ_64 + SZ_512);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(SZ_64 + SZ_512);
  }],
  // |[r1] gap [r2][new]|  the gap is too small: the allocation goes above r2
  ['alloc_bottom_up_second_fit_check', 'bottom-up', (mb, f) => {
    const r1 = mb.memblock_start_of_DRAM();
    const r2 = r1 + SZ_512 + SZ_512;
    mb.memblock_reserve(r1, SZ_512);
    mb.memblock_reserve(r2, SZ_256);
    const p = alloc(mb, f, SZ_1K, SMP_CACHE_BYTES);
    expectContent(mb, p, SZ_1K, f);
    expectRegion(mb.reserved.regions[1], r2, SZ_256 + SZ_1K);
    expect(mb.reserved.cnt).toBe(2);
    expect(mb.reserved.total_size).toBe(SZ_512 + SZ_256 + SZ_1K);
  }],
];

/** Scenarios the C file runs through run_top_down and run_bottom_up (alloc_*_generic_check). */
const generic: readonly [fn: string, run: Scenario][] = [
  // |gap[r2]   [new][r1]gap|  the only room left is between r2 and r1, exactly the allocation's size
  ['alloc_in_between_generic_check', (mb, f) => {
    const gap = SMP_CACHE_BYTES;
    const r3 = SZ_64;
    const rgn = (mb.MEM_SIZE - (2n * gap + r3)) / 2n;
    const r1 = mb.memblock_end_of_DRAM() - (gap + rgn);
    const r2 = mb.memblock_start_of_DRAM() + gap;
    mb.memblock_reserve(r1, rgn);
    mb.memblock_reserve(r2, rgn);
    const p = alloc(mb, f, r3, SMP_CACHE_BYTES);
    expectContent(mb, p, r3, f);
    expectRegion(mb.reserved.regions[0], r1 - rgn - r3, 2n * rgn + r3);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(2n * rgn + r3);
  }],
  // | [r] [r] [r] … |  only 256-byte gaps between 1K reservations: a 1K allocation fails
  ['alloc_small_gaps_generic_check', (mb, f) => {
    let end = mb.memblock_start_of_DRAM();
    while (end < mb.memblock_end_of_DRAM()) {
      mb.memblock_reserve(end + SZ_256, SZ_1K);
      end += SZ_256 + SZ_1K;
    }
    expect(alloc(mb, f, SZ_1K, SMP_CACHE_BYTES)).toBeNull();
  }],
  // |[all reserved]|  nothing is free: the allocation fails
  ['alloc_all_reserved_generic_check', (mb, f) => {
    mb.memblock_reserve(mb.memblock_start_of_DRAM(), mb.MEM_SIZE);
    expect(alloc(mb, f, SZ_256, SMP_CACHE_BYTES)).toBeNull();
  }],
  // |[reserved      ] 256 |  1K does not fit in the 256 bytes left
  ['alloc_no_space_generic_check', (mb, f) => {
    mb.memblock_reserve(mb.memblock_start_of_DRAM(), mb.MEM_SIZE - SZ_256);
    expect(alloc(mb, f, SZ_1K, SMP_CACHE_BYTES)).toBeNull();
  }],
  // |[reserved      ][new]|  exactly the 256 bytes left: memory becomes one reserved region
  ['alloc_limited_space_generic_check', (mb, f) => {
    mb.memblock_reserve(mb.memblock_start_of_DRAM(), mb.MEM_SIZE - SZ_256);
    const p = alloc(mb, f, SZ_256, SMP_CACHE_BYTES);
    expectContent(mb, p, SZ_256, f);
    expectRegion(mb.reserved.regions[0], mb.memblock_start_of_DRAM(), mb.MEM_SIZE);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(mb.MEM_SIZE);
  }],
  // no memory at all: the allocation fails and nothing is reserved
  ['alloc_no_memory_generic_check', (mb, f) => {
    mb.reset_memblock_regions();
    expect(alloc(mb, f, SZ_1K, SMP_CACHE_BYTES)).toBeNull();
    expectRegion(mb.reserved.regions[0], 0n, 0n);
    expect(mb.reserved.total_size).toBe(0n);
  }],
  // |[  MEM_SIZE  ]|  MEM_SIZE + 2 cannot fit: fails, nothing reserved
  ['alloc_too_large_generic_check', (mb, f) => {
    expect(alloc(mb, f, mb.MEM_SIZE + SZ_2, SMP_CACHE_BYTES)).toBeNull();
    expectRegion(mb.reserved.regions[0], 0n, 0n);
    expect(mb.reserved.total_size).toBe(0n);
  }],
];

describe.each(SUITE_VERSIONS)('%s suite', (v) => {
  describe.each(FLAGS)('memblock_alloc_checks_internal(%s)', (f) => {
    for (const [fn, d, run] of directed) test(`${caseName(fn, FILE, v)} ${d}`, () => run(setup(d, v), f));
    for (const [fn, run] of generic) for (const d of DIRECTIONS) test(`${caseName(fn, FILE, v)} ${d}`, () => run(setup(d, v), f));
  });
});
