// tools/testing/memblock/tests/alloc_nid_api.c (6.12): memblock_alloc_try_nid and _raw with a
// [min_addr, max_addr) range, then on NUMA_NODES (8) nodes laid out by setup_numa_memblock(), top-down
// and bottom-up, against the simulator's memblock through ./api.ts. memblock_alloc_nid_checks() runs
// everything with TEST_F_NONE and TEST_F_RAW; so do these. The suite is the NUMA=1 build
// (CONFIG_NUMA), so the NUMA scenarios run. The 26 dispatchers (alloc_nid_simple_check …) are the
// pairs of runs below. 6.1.192's file (there alloc_try_nid_*, with no alloc_node_on_correct_nid)
// has the same scenarios; they differ through MEM_SIZE (SZ_16K) and run as the 6.1 cases.
import { describe, expect, test } from 'vitest';
import { SuiteMemblock, caseName, DIRECTIONS, SUITE_VERSIONS, inDirection, NUMA_NODES, NUMA_NO_NODE, SMP_CACHE_BYTES, SZ_2, SZ_4, SZ_8, SZ_64, SZ_128, SZ_256, SZ_512, type Direction, type SuiteVersion } from './api.ts';
import { allocNid, expectAllocated, expectRegion, expectReserved, regionEnd, rangeDirected, rangeGeneric, setupFlat, type NidFlags, type NidScenario } from './alloc_nid_scenarios.ts';

const FILE = 'alloc_nid_api.c';
const FLAGS: readonly NidFlags[] = ['TEST_F_NONE', 'TEST_F_RAW'];
/** alloc_nid_api.c node_fractions: 1/4, 1/16, 1/8, 1/8, 1/16, 1/16, 1/4, 1/16 of MEM_SIZE. */
const NODE_FRACTIONS = [2500, 625, 1250, 1250, 625, 625, 2500, 625] as const;

function setupNuma(d: Direction, v: SuiteVersion): SuiteMemblock {
  const mb = inDirection(new SuiteMemblock(v), d);
  mb.dummy_physical_memory_init();
  mb.setup_numa_memblock(NODE_FRACTIONS);
  return mb;
}
const node = (mb: SuiteMemblock, nid: number) => mb.memory.regions[nid]!;

/** __memblock_alloc_nid_numa_checks(): written once per direction. */
const numaDirected: readonly [fn: string, d: Direction, run: NidScenario][] = [
  // |  [node 3 … [new]]  |  a quarter of node 3 fits: at its top
  ['alloc_nid_top_down_numa_simple_check', 'top-down', (mb, f) => {
    const req = node(mb, 3);
    expect(SZ_4).toBeLessThanOrEqual(req.size);
    const size = req.size / SZ_4;
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 3), size, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, regionEnd(req) - size, size);
    expect(req.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 1, size);
  }],
  // |[node 1 too small] … [node 6 … [new]]|  twice node 1's size: falls back to any node, top-down node 6
  ['alloc_nid_top_down_numa_small_node_check', 'top-down', (mb, f) => {
    const req = node(mb, 1);
    const exp = node(mb, 6);
    const size = SZ_2 * req.size;
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 1), size, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, regionEnd(exp) - size, size);
    expect(exp.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 1, size);
  }],
  // |[node 2 all reserved] … [node 6 … [new]]|  node 2 is full: fallback, node 6
  ['alloc_nid_top_down_numa_node_reserved_check', 'top-down', (mb, f) => {
    const req = node(mb, 2);
    const exp = node(mb, 6);
    const size = req.size;
    mb.memblock_reserve(req.base, req.size);
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 2), size, f);
    const r = mb.reserved.regions[1]!;
    expectRegion(r, regionEnd(exp) - size, size);
    expect(exp.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 2, size + req.size);
  }],
  // |[node 4: [r1] … [new]]|  the lower half of node 4 reserved: the rest still fits, at its top
  ['alloc_nid_top_down_numa_part_reserved_check', 'top-down', (mb, f) => {
    const req = node(mb, 4);
    expect(SZ_8).toBeLessThanOrEqual(req.size);
    const r1 = { base: req.base, size: req.size / SZ_2 };
    const size = r1.size / SZ_4;
    mb.memblock_reserve(r1.base, r1.size);
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 4), size, f);
    const r = mb.reserved.regions[1]!;
    expectRegion(r, regionEnd(req) - size, size);
    expect(req.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 2, size + r1.size);
  }],
  // |[node 4: ¼ [r1 ½] ¼] … [node 7 [new]]|  half of node 4 is free but in two quarters: fallback, node 7
  ['alloc_nid_top_down_numa_part_reserved_fallback_check', 'top-down', (mb, f) => {
    const req = node(mb, 4);
    const exp = node(mb, NUMA_NODES - 1);
    expect(SZ_4).toBeLessThanOrEqual(req.size);
    const size = req.size / SZ_2;
    const r1 = { base: req.base + size / SZ_2, size };
    mb.memblock_reserve(r1.base, r1.size);
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 4), size, f);
    const r = mb.reserved.regions[1]!;
    expectRegion(r, regionEnd(exp) - size, size);
    expect(exp.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 2, size + r1.size);
  }],
  // |[node 2 min[new]|node 3 max]|  the range straddles nodes 2 and 3: the part in node 2 is too small, the retry without min fits in node 2
  ['alloc_nid_top_down_numa_split_range_low_check', 'top-down', (mb, f) => {
    const req = node(mb, 2);
    const end = regionEnd(req);
    const min = end - SZ_256;
    expectAllocated(mb, allocNid(mb, f, SZ_512, SMP_CACHE_BYTES, min, min + SZ_512, 2), SZ_512, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, end - SZ_512, SZ_512);
    expect(req.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 1, SZ_512);
  }],
  // |[node 2 min[new]|node 3 max]|  node 3 requested, its part too small: fallback to any node, ending at node 2's end
  ['alloc_nid_top_down_numa_split_range_high_check', 'top-down', (mb, f) => {
    const exp = node(mb, 2);
    const end = regionEnd(exp);
    const min = end - SZ_256;
    expectAllocated(mb, allocNid(mb, f, SZ_512, SMP_CACHE_BYTES, min, min + SZ_512, 3), SZ_512, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, end - SZ_512, SZ_512);
    expect(exp.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 1, SZ_512);
  }],
  // |[node 2 [new]] … min|node 6 max|  the range holds none of node 2: the retry without min_addr lands at node 2's top
  ['alloc_nid_top_down_numa_no_overlap_split_check', 'top-down', (mb, f) => {
    const req = node(mb, 2);
    const min = node(mb, 6).base - SZ_256;
    expectAllocated(mb, allocNid(mb, f, SZ_512, SMP_CACHE_BYTES, min, min + SZ_512, 2), SZ_512, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, regionEnd(req) - SZ_512, SZ_512);
    expect(req.base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 1, SZ_512);
  }],
  // |[node 0] min[node 2 … node 5 [new]]max|  node 0 is outside the range: fallback, at max_addr
  ['alloc_nid_top_down_numa_no_overlap_low_check', 'top-down', (mb, f) => {
    const min = node(mb, 2).base;
    const max = regionEnd(node(mb, 5));
    expectAllocated(mb, allocNid(mb, f, SZ_64, SMP_CACHE_BYTES, min, max, 0), SZ_64, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, max - SZ_64, SZ_64);
    expect(node(mb, 5).base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 1, SZ_64);
  }],
  // |min[node 2 … node 5 [new]]max [node 7]|  node 7 is outside the range: fallback, at max_addr
  ['alloc_nid_top_down_numa_no_overlap_high_check', 'top-down', (mb, f) => {
    const min = node(mb, 2).base;
    const max = regionEnd(node(mb, 5));
    expectAllocated(mb, allocNid(mb, f, SZ_64, SMP_CACHE_BYTES, min, max, 7), SZ_64, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, max - SZ_64, SZ_64);
    expect(node(mb, 5).base).toBeLessThanOrEqual(r.base);
    expectReserved(mb, 1, SZ_64);
  }],
  // |  [node 3 [new] …]  |  bottom-up: at the start of node 3
  ['alloc_nid_bottom_up_numa_simple_check', 'bottom-up', (mb, f) => {
    const req = node(mb, 3);
    expect(SZ_4).toBeLessThanOrEqual(req.size);
    const size = req.size / SZ_4;
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 3), size, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, req.base, size);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(req));
    expectReserved(mb, 1, size);
  }],
  // |[node 0 [new]][node 1 too small]|  bottom-up fallback: the start of node 0
  ['alloc_nid_bottom_up_numa_small_node_check', 'bottom-up', (mb, f) => {
    const req = node(mb, 1);
    const exp = node(mb, 0);
    const size = SZ_2 * req.size;
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 1), size, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, exp.base, size);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(exp));
    expectReserved(mb, 1, size);
  }],
  // |[node 0 [new]] … [node 2 all reserved]|  bottom-up fallback: node 0
  ['alloc_nid_bottom_up_numa_node_reserved_check', 'bottom-up', (mb, f) => {
    const req = node(mb, 2);
    const exp = node(mb, 0);
    const size = req.size;
    mb.memblock_reserve(req.base, req.size);
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 2), size, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, exp.base, size);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(exp));
    expectReserved(mb, 2, size + req.size);
  }],
  // |[node 4: [r1][new] …]|  bottom-up: right above r1 in node 4, merged with it
  ['alloc_nid_bottom_up_numa_part_reserved_check', 'bottom-up', (mb, f) => {
    const req = node(mb, 4);
    expect(SZ_8).toBeLessThanOrEqual(req.size);
    const r1 = { base: req.base, size: req.size / SZ_2 };
    const size = r1.size / SZ_4;
    mb.memblock_reserve(r1.base, r1.size);
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 4), size, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, req.base, size + r1.size);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(req));
    expectReserved(mb, 1, size + r1.size);
  }],
  // |[node 0 [new]] … [node 4: ¼ [r1 ½] ¼]|  bottom-up fallback: node 0
  ['alloc_nid_bottom_up_numa_part_reserved_fallback_check', 'bottom-up', (mb, f) => {
    const req = node(mb, 4);
    const exp = node(mb, 0);
    expect(SZ_4).toBeLessThanOrEqual(req.size);
    const size = req.size / SZ_2;
    const r1 = { base: req.base + size / SZ_2, size };
    mb.memblock_reserve(r1.base, r1.size);
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 4), size, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, exp.base, size);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(exp));
    expectReserved(mb, 2, size + r1.size);
  }],
  // |[node 2 [new] … min|node 3 max]|  bottom-up: the retry without min_addr starts node 2
  ['alloc_nid_bottom_up_numa_split_range_low_check', 'bottom-up', (mb, f) => {
    const req = node(mb, 2);
    const end = regionEnd(req);
    const min = end - SZ_256;
    expectAllocated(mb, allocNid(mb, f, SZ_512, SMP_CACHE_BYTES, min, min + SZ_512, 2), SZ_512, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, req.base, SZ_512);
    expect(regionEnd(r)).toBeLessThanOrEqual(end);
    expectReserved(mb, 1, SZ_512);
  }],
  // |[node 0 [new]] … min|node 3 max|  node 3's part is too small: fallback, the retry starts memory
  ['alloc_nid_bottom_up_numa_split_range_high_check', 'bottom-up', (mb, f) => {
    const req = node(mb, 3);
    const exp = node(mb, 0);
    const expEnd = regionEnd(req);
    const min = req.base - SZ_256;
    expectAllocated(mb, allocNid(mb, f, SZ_512, SMP_CACHE_BYTES, min, min + SZ_512, 3), SZ_512, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, exp.base, SZ_512);
    expect(regionEnd(r)).toBeLessThanOrEqual(expEnd);
    expectReserved(mb, 1, SZ_512);
  }],
  // |[node 2 [new]] … min|node 6 max|  bottom-up: the retry without min_addr starts node 2
  ['alloc_nid_bottom_up_numa_no_overlap_split_check', 'bottom-up', (mb, f) => {
    const req = node(mb, 2);
    const min = node(mb, 6).base - SZ_256;
    expectAllocated(mb, allocNid(mb, f, SZ_512, SMP_CACHE_BYTES, min, min + SZ_512, 2), SZ_512, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, req.base, SZ_512);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(req));
    expectReserved(mb, 1, SZ_512);
  }],
  // |[node 0] min[[new]node 2 … node 5]max|  bottom-up fallback: at min_addr
  ['alloc_nid_bottom_up_numa_no_overlap_low_check', 'bottom-up', (mb, f) => {
    const min = node(mb, 2).base;
    const max = regionEnd(node(mb, 5));
    expectAllocated(mb, allocNid(mb, f, SZ_64, SMP_CACHE_BYTES, min, max, 0), SZ_64, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, min, SZ_64);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(node(mb, 2)));
    expectReserved(mb, 1, SZ_64);
  }],
  // |min[[new]node 2 … node 5]max [node 7]|  bottom-up fallback: at min_addr
  ['alloc_nid_bottom_up_numa_no_overlap_high_check', 'bottom-up', (mb, f) => {
    const min = node(mb, 2).base;
    const max = regionEnd(node(mb, 5));
    expectAllocated(mb, allocNid(mb, f, SZ_64, SMP_CACHE_BYTES, min, max, 7), SZ_64, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, min, SZ_64);
    expect(regionEnd(r)).toBeLessThanOrEqual(regionEnd(node(mb, 2)));
    expectReserved(mb, 1, SZ_64);
  }],
];

/** __memblock_alloc_nid_numa_checks(): run through run_top_down and run_bottom_up. */
const numaGeneric: readonly [fn: string, run: NidScenario][] = [
  // half of MEM_SIZE fits in no node, nor anywhere after the fallback (nodes are separate regions)
  ['alloc_nid_numa_large_region_generic_check', (mb, f) => {
    const size = mb.MEM_SIZE / SZ_2;
    expect(allocNid(mb, f, size, SMP_CACHE_BYTES, mb.memblock_start_of_DRAM(), mb.memblock_end_of_DRAM(), 3)).toBeNull();
  }],
  // |[r2][node 6 = new][r1 at node 7's base]|  the range is exactly node 6: all three merge
  ['alloc_nid_numa_reserved_full_merge_generic_check', (mb, f) => {
    const req = node(mb, 6);
    const size = req.size;
    const r1 = { base: node(mb, 7).base, size: SZ_128 };
    const r2 = { base: r1.base - (size + SZ_128), size: SZ_128 };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    expectAllocated(mb, allocNid(mb, f, size, SMP_CACHE_BYTES, r2.base + r2.size, r1.base, 6), size, f);
    const r = mb.reserved.regions[0]!;
    expectRegion(r, r2.base, r1.size + r2.size + size);
    expect(r.base).toBeLessThanOrEqual(req.base);
    expect(regionEnd(req)).toBeLessThanOrEqual(regionEnd(r));
    expectReserved(mb, 1, r1.size + r2.size + size);
  }],
  // |[   r1   ] 256 free, split by the node 6/7 boundary [ r2 from node 7 + 128 ]|  no node holds 256 free bytes: NULL
  ['alloc_nid_numa_split_all_reserved_generic_check', (mb, f) => {
    const r2 = { base: node(mb, 7).base + SZ_128, size: 0n };
    r2.size = mb.memblock_end_of_DRAM() - r2.base;
    const r1 = { base: mb.memblock_start_of_DRAM(), size: mb.MEM_SIZE - (r2.size + SZ_256) };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    expect(allocNid(mb, f, SZ_256, SMP_CACHE_BYTES, r1.base + r1.size, r2.base, NUMA_NO_NODE)).toBeNull();
  }],
];

// alloc_node_on_correct_nid (not a *_check function, run by alloc_node_numa_on_correct_nid):
// memblock_alloc_node on node 2 succeeds and node 2's memory region carries nid 2
function allocNodeOnCorrectNid(mb: SuiteMemblock): void {
  expect(mb.memblock_alloc_node(SZ_512, SMP_CACHE_BYTES, 2)).not.toBeNull();
  expect(node(mb, 2).nid).toBe(2);
}

describe.each(SUITE_VERSIONS)('%s suite', (v) => {
  describe.each(FLAGS)('memblock_alloc_nid_checks_internal(%s)', (f) => {
    describe('memblock_alloc_nid_range_checks', () => {
      for (const [fn, d, run] of rangeDirected) test(`${caseName(fn, FILE, v)} ${d}`, () => run(setupFlat(d, v), f));
      for (const [fn, run] of rangeGeneric) for (const d of DIRECTIONS) test(`${caseName(fn, FILE, v)} ${d}`, () => run(setupFlat(d, v), f));
    });
    describe('memblock_alloc_nid_numa_checks', () => {
      for (const [fn, d, run] of numaDirected) test(`${caseName(fn, FILE, v)} ${d}`, () => run(setupNuma(d, v), f));
      for (const [fn, run] of numaGeneric) for (const d of DIRECTIONS) test(`${caseName(fn, FILE, v)} ${d}`, () => run(setupNuma(d, v), f));
      // not in 6.1.192
      if (v === '6.12') for (const d of DIRECTIONS) test(`${caseName('alloc_node_on_correct_nid', FILE, v)} ${d}`, () => allocNodeOnCorrectNid(setupNuma(d, v)));
    });
  });
});
