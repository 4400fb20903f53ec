// tools/testing/memblock/tests/alloc_exact_nid_api.c (6.12): memblock_alloc_exact_nid_raw, which never
// falls back to another node, against the simulator's memblock through ./api.ts.
// memblock_alloc_exact_nid_checks() first runs alloc_nid_api.c's range scenarios with
// TEST_F_RAW|TEST_F_EXACT (memblock_alloc_exact_nid_range_checks), then this file's NUMA scenarios
// on setup_numa_memblock's 8 nodes. The 13 dispatchers are the pairs of runs below.
import { describe, expect, test } from 'vitest';
import { SuiteMemblock, caseName, DIRECTIONS, inDirection, NUMA_NO_NODE, SMP_CACHE_BYTES, SZ_2, SZ_4, SZ_8, SZ_64, SZ_128, SZ_256, SZ_512, type Direction } from './api.ts';
import { expectRegion, expectReserved, regionEnd, rangeDirected, rangeGeneric, setupFlat } from './alloc_nid_scenarios.ts';

const FILE = 'alloc_exact_nid_api.c';
/** alloc_exact_nid_api.c node_fractions (the same as alloc_nid_api.c's). */
const NODE_FRACTIONS = [2500, 625, 1250, 1250, 625, 625, 2500, 625] as const;

function setupNuma(d: Direction): SuiteMemblock {
  const mb = inDirection(new SuiteMemblock('6.12'), d);
  mb.dummy_physical_memory_init();
  mb.setup_numa_memblock(NODE_FRACTIONS);
  return mb;
}
const node = (mb: SuiteMemblock, nid: number) => mb.memory.regions[nid]!;
const exact = (mb: SuiteMemblock, size: bigint, min: bigint, max: bigint, nid: number): bigint | null =>
  mb.memblock_alloc_exact_nid_raw(size, SMP_CACHE_BYTES, min, max, nid);
/** ASSERT_NE(ptr, NULL) and ASSERT_MEM_NE(ptr, 0, size): raw, so the memory is as setup left it. */
function expectRaw(mb: SuiteMemblock, ptr: bigint | null, size: bigint): void {
  expect(ptr).not.toBeNull();
  expect(mb.isUntouched(ptr!, size)).toBe(true);
}
type Scenario = (mb: SuiteMemblock) => void;
const whole = (mb: SuiteMemblock): [bigint, bigint] => [mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM()];

/** __memblock_alloc_exact_nid_numa_checks(): written once per direction. */
const directed: readonly [fn: string, d: Direction, run: Scenario][] = [
  // |  [node 3 … [new]]  |  a quarter of node 3: at its top
  ['alloc_exact_nid_top_down_numa_simple_check', 'top-down', (mb) => {
    const req = node(mb, 3);
    expect(SZ_4).toBeLessThanOrEqual(req.size);
    const size = req.size / SZ_4;
    expectRaw(mb, exact(mb, size, ...whole(mb), 3), size);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, regionEnd(req) - size, size);
    expect(req.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 1, size);
  }],
  // |[node 4: [r1] … [new]]|  half of node 4 reserved: the rest fits, at its top
  ['alloc_exact_nid_top_down_numa_part_reserved_check', 'top-down', (mb) => {
    const req = node(mb, 4);
    expect(SZ_8).toBeLessThanOrEqual(req.size);
    const r1 = { base: req.base, size: req.size / SZ_2 };
    const size = r1.size / SZ_4;
    mb.memblock_reserve(r1.base, r1.size);
    expectRaw(mb, exact(mb, size, ...whole(mb), 4), size);
    const r = mb.reserved.regions[1]!;
    expectRegion(r, regionEnd(req) - size, size);
    expect(req.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 2, size + r1.size);
  }],
  // |[node 2 min[new]|node 3 max]|  the part in node 2 is too small: the retry without min_addr, still in node 2
  ['alloc_exact_nid_top_down_numa_split_range_low_check', 'top-down', (mb) => {
    const req = node(mb, 2);
    const end = regionEnd(req);
    const min = end - SZ_256;
    expectRaw(mb, exact(mb, SZ_512, min, min + SZ_512, 2), SZ_512);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, end - SZ_512, SZ_512);
    expect(req.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 1, SZ_512);
  }],
  // |[node 2 [new]] … min|node 6 max|  no part of node 2 in the range: the retry without min_addr, node 2's top
  ['alloc_exact_nid_top_down_numa_no_overlap_split_check', 'top-down', (mb) => {
    const req = node(mb, 2);
    const min = node(mb, 6).base - SZ_256;
    expectRaw(mb, exact(mb, SZ_512, min, min + SZ_512, 2), SZ_512);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, regionEnd(req) - SZ_512, SZ_512);
    expect(req.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 1, SZ_512);
  }],
  // |[node 0 [new]] min[node 2 … node 5]max|  node 0 is below the range: no fallback, the retry without min_addr lands in node 0
  ['alloc_exact_nid_top_down_numa_no_overlap_low_check', 'top-down', (mb) => {
    const req = node(mb, 0);
    expectRaw(mb, exact(mb, SZ_64, node(mb, 2).base, regionEnd(node(mb, 5)), 0), SZ_64);
    expectRegion(mb.reserved.regions[0], regionEnd(req) - SZ_64, SZ_64);
    expectReserved(mb, 1, SZ_64);
  }],
  // |  [node 3 [new] …]  |  bottom-up: node 3's start
  ['alloc_exact_nid_bottom_up_numa_simple_check', 'bottom-up', (mb) => {
    const req = node(mb, 3);
    expect(SZ_4).toBeLessThanOrEqual(req.size);
    const size = req.size / SZ_4;
    expectRaw(mb, exact(mb, size, ...whole(mb), 3), size);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, req.base, size);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(req));
    expectReserved(mb, 1, size);
  }],
  // |[node 4: [r1][new] …]|  bottom-up: right above r1, merged
  ['alloc_exact_nid_bottom_up_numa_part_reserved_check', 'bottom-up', (mb) => {
    const req = node(mb, 4);
    expect(SZ_8).toBeLessThanOrEqual(req.size);
    const r1 = { base: req.base, size: req.size / SZ_2 };
    const size = r1.size / SZ_4;
    mb.memblock_reserve(r1.base, r1.size);
    expectRaw(mb, exact(mb, size, ...whole(mb), 4), size);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, req.base, size + r1.size);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(req));
    expectReserved(mb, 1, size + r1.size);
  }],
  // |[node 2 [new] … min|node 3 max]|  bottom-up: the retry without min_addr starts node 2
  ['alloc_exact_nid_bottom_up_numa_split_range_low_check', 'bottom-up', (mb) => {
    const req = node(mb, 2);
    const end = regionEnd(req);
    const min = end - SZ_256;
    expectRaw(mb, exact(mb, SZ_512, min, min + SZ_512, 2), SZ_512);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, req.base, SZ_512);
    expect(regionEnd(r)).toBeLessThanOrEqual(end);
    expectReserved(mb, 1, SZ_512);
  }],
  // |[node 2 [new]] … min|node 6 max|  bottom-up: node 2's start
  ['alloc_exact_nid_bottom_up_numa_no_overlap_split_check', 'bottom-up', (mb) => {
    const req = node(mb, 2);
    const min = node(mb, 6).base - SZ_256;
    expectRaw(mb, exact(mb, SZ_512, min, min + SZ_512, 2), SZ_512);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, req.base, SZ_512);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(req));
    expectReserved(mb, 1, SZ_512);
  }],
  // |[node 0 [new]] min[node 2 … node 5]max|  bottom-up: node 0's start
  ['alloc_exact_nid_bottom_up_numa_no_overlap_low_check', 'bottom-up', (mb) => {
    const req = node(mb, 0);
    expectRaw(mb, exact(mb, SZ_64, node(mb, 2).base, regionEnd(node(mb, 5)), 0), SZ_64);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, req.base, SZ_64);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(req));
    expectReserved(mb, 1, SZ_64);
  }],
];

/** __memblock_alloc_exact_nid_numa_checks(): run through run_top_down and run_bottom_up. */
const generic: readonly [fn: string, run: Scenario][] = [
  // twice node 1's size: node 1 cannot hold it and there is no fallback: NULL
  ['alloc_exact_nid_numa_small_node_generic_check', (mb) => {
    expect(exact(mb, SZ_2 * node(mb, 1).size, ...whole(mb), 1)).toBeNull();
  }],
  // node 2 all reserved: NULL
  ['alloc_exact_nid_numa_node_reserved_generic_check', (mb) => {
    const req = node(mb, 2);
    mb.memblock_reserve(req.base, req.size);
    expect(exact(mb, req.size, ...whole(mb), 2)).toBeNull();
  }],
  // |[node 4: ¼ [r1 ½] ¼]|  half of node 4 free in two quarters: NULL
  ['alloc_exact_nid_numa_part_reserved_fail_generic_check', (mb) => {
    const req = node(mb, 4);
    expect(SZ_4).toBeLessThanOrEqual(req.size);
    const size = req.size / SZ_2;
    mb.memblock_reserve(req.base + size / SZ_2, size);
    expect(exact(mb, size, ...whole(mb), 4)).toBeNull();
  }],
  // |node 2 min|[node 3] max|  node 3's part of the range is too small, the retry without min_addr still has too little of node 3: NULL
  ['alloc_exact_nid_numa_split_range_high_generic_check', (mb) => {
    const min = node(mb, 3).base - SZ_256;
    expect(exact(mb, SZ_512, min, min + SZ_512, 3)).toBeNull();
  }],
  // |min[node 2 … node 5]max [node 7]|  node 7 lies above max_addr: NULL
  ['alloc_exact_nid_numa_no_overlap_high_generic_check', (mb) => {
    expect(exact(mb, SZ_64, node(mb, 2).base, regionEnd(node(mb, 5)), 7)).toBeNull();
  }],
  // half of MEM_SIZE is more than node 3: NULL
  ['alloc_exact_nid_numa_large_region_generic_check', (mb) => {
    expect(exact(mb, mb.MEM_SIZE / SZ_2, ...whole(mb), 3)).toBeNull();
  }],
  // |[r2][node 6 = new][r1 at node 7's base]|  the range is exactly node 6: all three merge
  ['alloc_exact_nid_numa_reserved_full_merge_generic_check', (mb) => {
    const req = node(mb, 6);
    const size = req.size;
    const r1 = { base: node(mb, 7).base, size: SZ_128 };
    const r2 = { base: r1.base - (size + SZ_128), size: SZ_128 };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    expectRaw(mb, exact(mb, size, r2.base + r2.size, r1.base, 6), size);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, r2.base, r1.size + r2.size + size);
    expect(r.base).toBeLessThanOrEqual(req.base);
    expect(regionEnd(req)).toBeLessThanOrEqual(regionEnd(r));
    expectReserved(mb, 1, r1.size + r2.size + size);
  }],
  // |[   r1   ] 256 free across nodes 6/7 [ r2 ]|  NUMA_NO_NODE, but no single free range holds 256: NULL
  ['alloc_exact_nid_numa_split_all_reserved_generic_check', (mb) => {
    const r2base = node(mb, 7).base + SZ_128;
    const r2size = mb.memblock_end_of_DRAM() - r2base;
    const r1size = mb.MEM_SIZE - (r2size + SZ_256);
    mb.memblock_reserve(mb.memblock_start_of_DRAM(), r1size);
    mb.memblock_reserve(r2base, r2size);
    expect(exact(mb, SZ_256, mb.memblock_start_of_DRAM() + r1size, r2base, NUMA_NO_NODE)).toBeNull();
  }],
];

describe('memblock_alloc_exact_nid_checks', () => {
  describe('memblock_alloc_exact_nid_range_checks (alloc_nid_api.c scenarios, TEST_F_RAW|TEST_F_EXACT)', () => {
    for (const [fn, d, run] of rangeDirected) test(`${caseName(fn, 'alloc_nid_api.c')} ${d} exact`, () => run(setupFlat(d), 'TEST_F_RAW|TEST_F_EXACT'));
    for (const [fn, run] of rangeGeneric) for (const d of DIRECTIONS) test(`${caseName(fn, 'alloc_nid_api.c')} ${d} exact`, () => run(setupFlat(d), 'TEST_F_RAW|TEST_F_EXACT'));
  });
  describe('memblock_alloc_exact_nid_numa_checks', () => {
    for (const [fn, d, run] of directed) test(`${caseName(fn, FILE)} ${d}`, () => run(setupNuma(d)));
    for (const [fn, run] of generic) for (const d of DIRECTIONS) test(`${caseName(fn, FILE)} ${d}`, () => run(setupNuma(d)));
  });
});
