// tools/testing/memblock/tests/basic_api.c (6.12): memblock_add, memblock_reserve, memblock_remove,
// memblock_free, the bottom-up switch, memblock_trim_memory and memblock_overlaps_region, run
// against the simulator's memblock (sim/stages/memblock.ts) through ./api.ts. Each case carries the
// scenario and the expected values of its C function; diagrams are one line, low addresses left.
// 6.1.192's basic_api.c has 40 of the 45 (not the four *_many/_all_locations doubling scenarios
// nor memblock_overlaps_region_check) and expects cnt 1 for an empty array (the dummy entry):
// those 40 run again as the 6.1 cases, with the 6.1 file's expected values.
import { describe, expect, test } from 'vitest';
import {
  SuiteMemblock, caseName, SUITE_VERSIONS, PAGE_ALIGN, PHYS_ADDR_MAX, INIT_MEMBLOCK_REGIONS, MEMBLOCK_ALLOC_ANYWHERE, MEMBLOCK_HOTPLUG, SMP_CACHE_BYTES,
  SZ_2, SZ_64, SZ_2K, SZ_4K, SZ_8K, SZ_16K, SZ_32K, SZ_64K, SZ_128K, SZ_512K, SZ_1M, SZ_2M, SZ_4M, SZ_8M, SZ_16M, SZ_32M, SZ_64M,
  SZ_128M, SZ_256M, SZ_512M, SZ_1G, SZ_2G, type RegionView, type SuiteVersion,
} from './api.ts';

const FILE = 'basic_api.c';
const name = (fn: string, v: SuiteVersion): string => caseName(fn, FILE, v);
/** memblock.<type>.cnt of an empty array as each version's basic_api.c asserts it: 0 (6.12), 1 (6.1: the dummy entry). */
const EMPTY_CNT: Readonly<Record<SuiteVersion, number>> = { '6.12': 0, '6.1': 1 };
/** The scenarios only 6.12.117's basic_api.c has. */
const ONLY_612 = new Set(['memblock_add_many_check', 'memblock_reserve_many_check', 'memblock_reserve_all_locations_check', 'memblock_reserve_many_may_conflict_check', 'memblock_overlaps_region_check']);
/** sizeof(struct memblock_region) in the suite's NUMA=1 build on x86_64: base 8 + size 8 + flags 4 + nid 4. */
const REGION_BYTES = 24n;
const fresh = (v: SuiteVersion): SuiteMemblock => {
  const mb = new SuiteMemblock(v);
  mb.reset_memblock_regions();
  return mb;
};
const expectRegion = (r: RegionView | undefined, base: bigint, size: bigint): void => {
  expect(r).toBeDefined();
  expect({ base: r!.base, size: r!.size }).toEqual({ base, size });
};

/**
 * ASSERT_EQ(memblock.reserved.cnt, n) and ASSERT_EQ(memblock.reserved.total_size, n * MEM_SIZE) of the
 * 129 × 129-reservation scenarios: a plain comparison that fails through expect only when it differs
 * (expect itself, 33,000 times, was most of those scenarios' time).
 */
function checkCount(mb: SuiteMemblock, n: number, where: string): void {
  const r = mb.reserved;
  if (r.cnt !== n || r.total_size !== BigInt(n) * mb.MEM_SIZE) expect({ where, cnt: r.cnt, total_size: r.total_size }).toEqual({ where, cnt: n, total_size: BigInt(n) * mb.MEM_SIZE });
}

/** One C scenario as a case of version v, when that version's file has it. */
function caseIn(v: SuiteVersion, fn: string, run: () => void): void {
  if (v === '6.12' || !ONLY_612.has(fn)) test(name(fn, v), run);
}

describe.each(SUITE_VERSIONS)('%s suite', (v) => {
  describe('memblock initialisation', () => {
    // expect both arrays empty with room for EXPECTED_MEMBLOCK_REGIONS (128), top-down, no limit
    caseIn(v, 'memblock_initialization_check', () => {
      const mb = new SuiteMemblock(v);
      expect(mb.memory.cnt).toBe(EMPTY_CNT[v]);
      expect(mb.memory.max).toBe(128);
      expect(mb.memory.name).toBe('memory');
      expect(mb.reserved.cnt).toBe(EMPTY_CNT[v]);
      expect(mb.reserved.max).toBe(128);
      expect(mb.reserved.name).toBe('reserved');
      expect(mb.bottom_up).toBe(false);
      expect(mb.current_limit).toBe(MEMBLOCK_ALLOC_ANYWHERE);
    });
  });

  describe('memblock_add', () => {
    // |    [r]    |  one region at 1G
    caseIn(v, 'memblock_add_simple_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_1G, SZ_4M);
      expectRegion(mb.memory.regions[0], SZ_1G, SZ_4M);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(SZ_4M);
    });

    // |    [r]    |  with node 1 and MEMBLOCK_HOTPLUG kept on the region
    caseIn(v, 'memblock_add_node_simple_check', () => {
      const mb = fresh(v);
      mb.memblock_add_node(SZ_1M, SZ_16M, 1, MEMBLOCK_HOTPLUG);
      expectRegion(mb.memory.regions[0], SZ_1M, SZ_16M);
      expect(mb.memory.regions[0]!.nid).toBe(1);
      expect(mb.memory.regions[0]!.flags).toBe(MEMBLOCK_HOTPLUG);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(SZ_16M);
    });

    // |  [r1]   [r2]  |  two regions that do not touch stay two
    caseIn(v, 'memblock_add_disjoint_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_1G, SZ_8K);
      mb.memblock_add(SZ_1G + SZ_16K, SZ_8K);
      expectRegion(mb.memory.regions[0], SZ_1G, SZ_8K);
      expectRegion(mb.memory.regions[1], SZ_1G + SZ_16K, SZ_8K);
      expect(mb.memory.cnt).toBe(2);
      expect(mb.memory.total_size).toBe(SZ_16K);
    });

    // |  [r2 [===]r1]  |  r2 overlaps the start of r1: one region from r2's base to r1's end
    caseIn(v, 'memblock_add_overlap_top_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_512M, SZ_1G);
      mb.memblock_add(SZ_256M, SZ_512M);
      const total = SZ_512M - SZ_256M + SZ_1G;
      expectRegion(mb.memory.regions[0], SZ_256M, total);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(total);
    });

    // |  [r1 [===]r2]  |  r2 overlaps the end of r1: one region from r1's base to r2's end
    caseIn(v, 'memblock_add_overlap_bottom_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_128M, SZ_512M);
      mb.memblock_add(SZ_256M, SZ_1G);
      const total = SZ_256M - SZ_128M + SZ_1G;
      expectRegion(mb.memory.regions[0], SZ_128M, total);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(total);
    });

    // |  [r1 [r2] ]  |  r2 inside r1 changes nothing
    caseIn(v, 'memblock_add_within_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_8M, SZ_32M);
      mb.memblock_add(SZ_16M, SZ_1M);
      expectRegion(mb.memory.regions[0], SZ_8M, SZ_32M);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(SZ_32M);
    });

    // |  [r] twice  |  adding the same range again changes nothing
    caseIn(v, 'memblock_add_twice_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_16K, SZ_2M);
      mb.memblock_add(SZ_16K, SZ_2M);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(SZ_2M);
    });

    // |  [r1][r3][r2]  |  r3 fills the gap exactly: all three merge into one
    caseIn(v, 'memblock_add_between_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_1G, SZ_8K);
      mb.memblock_add(SZ_1G + SZ_16K, SZ_8K);
      mb.memblock_add(SZ_1G + SZ_8K, SZ_8K);
      expectRegion(mb.memory.regions[0], SZ_1G, SZ_8K * 3n);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(SZ_8K * 3n);
    });

    // |        [r|  PHYS_ADDR_MAX  |  a region past PHYS_ADDR_MAX is capped there (memblock_cap_size)
    caseIn(v, 'memblock_add_near_max_check', () => {
      const mb = fresh(v);
      const base = PHYS_ADDR_MAX - SZ_1M;
      mb.memblock_add(base, SZ_2M);
      expectRegion(mb.memory.regions[0], base, PHYS_ADDR_MAX - base);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(PHYS_ADDR_MAX - base);
    });

    // | [array room] [r][r]…129 small regions | the 129th doubles memory.max, the new array reserved in the room
    caseIn(v, 'memblock_add_many_check', () => {
      const mb = fresh(v);
      mb.memblock_allow_resize();
      mb.dummy_physical_memory_init();
      let base = PAGE_ALIGN(mb.dummy_physical_memory_base());
      const newRegionsSize = PAGE_ALIGN(BigInt(INIT_MEMBLOCK_REGIONS) * 2n * REGION_BYTES);
      mb.memblock_add(base, newRegionsSize);
      base += newRegionsSize + SZ_64;
      for (let i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
        mb.memblock_add(base, SZ_64);
        base += SZ_64 + SZ_64;
        expect(mb.memory.cnt).toBe(i + 2);
        expect(mb.memory.total_size).toBe(newRegionsSize + BigInt(i + 1) * SZ_64);
      }
      expect(mb.memory.max).toBe(INIT_MEMBLOCK_REGIONS * 2);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(newRegionsSize);
      // after the doubling memblock_add works as before: a region below all others becomes regions[0]
      mb.memblock_add(SZ_16K, SZ_16K);
      expectRegion(mb.memory.regions[0], SZ_16K, SZ_16K);
      expect(mb.memory.cnt).toBe(INIT_MEMBLOCK_REGIONS + 2);
      expect(mb.memory.total_size).toBe(BigInt(INIT_MEMBLOCK_REGIONS) * SZ_64 + newRegionsSize + SZ_16K);
      expect(mb.memory.max).toBe(INIT_MEMBLOCK_REGIONS * 2);
    });
  });

  describe('memblock_reserve', () => {
    // |   [r]   |  one reservation at 2G
    caseIn(v, 'memblock_reserve_simple_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_2G, SZ_128M);
      expectRegion(mb.reserved.regions[0], SZ_2G, SZ_128M);
    });

    // |  [r1]   [r2]  |  two that do not touch stay two
    caseIn(v, 'memblock_reserve_disjoint_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_256M, SZ_16M);
      mb.memblock_reserve(SZ_512M, SZ_512M);
      expectRegion(mb.reserved.regions[0], SZ_256M, SZ_16M);
      expectRegion(mb.reserved.regions[1], SZ_512M, SZ_512M);
      expect(mb.reserved.cnt).toBe(2);
      expect(mb.reserved.total_size).toBe(SZ_16M + SZ_512M);
    });

    // |  [r2 [===]r1]  |  r2 overlaps r1's start: one region from r2's base
    caseIn(v, 'memblock_reserve_overlap_top_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_1G, SZ_1G);
      mb.memblock_reserve(SZ_128M, SZ_1G);
      const total = SZ_1G - SZ_128M + SZ_1G;
      expectRegion(mb.reserved.regions[0], SZ_128M, total);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(total);
    });

    // |  [r1 [===]r2]  |  r2 overlaps r1's end: one region to r2's end
    caseIn(v, 'memblock_reserve_overlap_bottom_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_2K, SZ_128K);
      mb.memblock_reserve(SZ_128K, SZ_128K);
      const total = SZ_128K - SZ_2K + SZ_128K;
      expectRegion(mb.reserved.regions[0], SZ_2K, total);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(total);
    });

    // |  [r1 [r2] ]  |  r2 inside r1 changes nothing
    caseIn(v, 'memblock_reserve_within_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_1M, SZ_8M);
      mb.memblock_reserve(SZ_2M, SZ_64K);
      expectRegion(mb.reserved.regions[0], SZ_1M, SZ_8M);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(SZ_8M);
    });

    // |  [r] twice  |  the same reservation again changes nothing
    caseIn(v, 'memblock_reserve_twice_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_16K, SZ_2M);
      mb.memblock_reserve(SZ_16K, SZ_2M);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(SZ_2M);
    });

    // |  [r1][r3][r2]  |  r3 fills the gap exactly: one region
    caseIn(v, 'memblock_reserve_between_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_1G, SZ_8K);
      mb.memblock_reserve(SZ_1G + SZ_16K, SZ_8K);
      mb.memblock_reserve(SZ_1G + SZ_8K, SZ_8K);
      expectRegion(mb.reserved.regions[0], SZ_1G, SZ_8K * 3n);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(SZ_8K * 3n);
    });

    // |        [r|  PHYS_ADDR_MAX  |  capped at PHYS_ADDR_MAX
    caseIn(v, 'memblock_reserve_near_max_check', () => {
      const mb = fresh(v);
      const base = PHYS_ADDR_MAX - SZ_1M;
      mb.memblock_reserve(base, SZ_2M);
      expectRegion(mb.reserved.regions[0], base, PHYS_ADDR_MAX - base);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(PHYS_ADDR_MAX - base);
    });

    // | [r][r]…128 | [memory] |  the 129th reservation doubles reserved.max; the new array is reserved too
    caseIn(v, 'memblock_reserve_many_check', () => {
      const mb = fresh(v);
      mb.memblock_allow_resize();
      mb.dummy_physical_memory_init();
      mb.memblock_add(mb.dummy_physical_memory_base(), mb.MEM_SIZE);
      let base = SZ_128K;
      for (let i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
        mb.memblock_reserve(base, mb.MEM_SIZE);
        expect(mb.reserved.cnt).toBe(i + 1);
        expect(mb.reserved.total_size).toBe(BigInt(i + 1) * mb.MEM_SIZE);
        base += mb.MEM_SIZE * 2n;
      }
      mb.memblock_reserve(base, mb.MEM_SIZE);
      const newRegionsSize = PAGE_ALIGN(BigInt(INIT_MEMBLOCK_REGIONS * 2) * REGION_BYTES);
      expect(mb.reserved.cnt).toBe(INIT_MEMBLOCK_REGIONS + 2);
      expect(mb.reserved.total_size).toBe(BigInt(INIT_MEMBLOCK_REGIONS + 1) * mb.MEM_SIZE + newRegionsSize);
      expect(mb.reserved.max).toBe(INIT_MEMBLOCK_REGIONS * 2);
      mb.memblock_reserve(SZ_16K, SZ_16K);
      expectRegion(mb.reserved.regions[0], SZ_16K, SZ_16K);
      expect(mb.reserved.cnt).toBe(INIT_MEMBLOCK_REGIONS + 3);
      expect(mb.reserved.total_size).toBe(BigInt(INIT_MEMBLOCK_REGIONS + 1) * mb.MEM_SIZE + newRegionsSize + SZ_16K);
      expect(mb.reserved.max).toBe(INIT_MEMBLOCK_REGIONS * 2);
    });

    // | [r]…[ skip ]…[r] |  whichever of the 129 slots is reserved last, the array doubles then
    caseIn(v, 'memblock_reserve_all_locations_check', () => {
      const MEMORY_BASE = (idx: number, mb: SuiteMemblock): bigint => SZ_128K + mb.MEM_SIZE * 2n * BigInt(idx);
      for (let skip = 0; skip < INIT_MEMBLOCK_REGIONS + 1; skip++) {
        const mb = fresh(v);
        mb.memblock_allow_resize();
        mb.dummy_physical_memory_init();
        mb.memblock_add(mb.dummy_physical_memory_base(), mb.MEM_SIZE);
        for (let i = 0; i < INIT_MEMBLOCK_REGIONS + 1; i++) {
          if (i === skip) continue;
          mb.memblock_reserve(MEMORY_BASE(i, mb), mb.MEM_SIZE);
          const n = i < skip ? i + 1 : i;
          checkCount(mb, n, `skip ${skip}, reserve ${i}`);
        }
        mb.memblock_reserve(MEMORY_BASE(skip, mb), mb.MEM_SIZE);
        const newRegionsSize = PAGE_ALIGN(BigInt(INIT_MEMBLOCK_REGIONS * 2) * REGION_BYTES);
        expect(mb.reserved.cnt).toBe(INIT_MEMBLOCK_REGIONS + 2);
        expect(mb.reserved.total_size).toBe(BigInt(INIT_MEMBLOCK_REGIONS + 1) * mb.MEM_SIZE + newRegionsSize);
        expect(mb.reserved.max).toBe(INIT_MEMBLOCK_REGIONS * 2);
        mb.memblock_reserve(SZ_16K, SZ_16K);
        expectRegion(mb.reserved.regions[0], SZ_16K, SZ_16K);
        expect(mb.reserved.cnt).toBe(INIT_MEMBLOCK_REGIONS + 3);
        expect(mb.reserved.total_size).toBe(BigInt(INIT_MEMBLOCK_REGIONS + 1) * mb.MEM_SIZE + newRegionsSize + SZ_16K);
        expect(mb.reserved.max).toBe(INIT_MEMBLOCK_REGIONS * 2);
      }
    });

    // | [mem 0] [r]…[mem skip = r being added]…[r] |  the new array must not land on the area being
    // reserved: memblock_double_array looks above it first, then below, ending at mem 0's top
    caseIn(v, 'memblock_reserve_many_may_conflict_check', () => {
      const probe = fresh(v);
      probe.dummy_physical_memory_init();
      const offset = PAGE_ALIGN(probe.dummy_physical_memory_base());
      const MEMORY_BASE_OFFSET = (idx: number, mb: SuiteMemblock): bigint => offset + mb.MEM_SIZE * 2n * BigInt(idx);
      for (let skip = 1; skip <= INIT_MEMBLOCK_REGIONS + 1; skip++) {
        const mb = fresh(v);
        mb.memblock_allow_resize();
        mb.reset_memblock_attributes();
        mb.memblock_add(MEMORY_BASE_OFFSET(0, mb), mb.MEM_SIZE);
        mb.memblock_add(MEMORY_BASE_OFFSET(skip, mb), mb.MEM_SIZE);
        for (let i = 1; i <= INIT_MEMBLOCK_REGIONS + 1; i++) {
          if (i === skip) continue;
          mb.memblock_reserve(MEMORY_BASE_OFFSET(i, mb), mb.MEM_SIZE);
          const n = i < skip ? i : i - 1;
          checkCount(mb, n, `skip ${skip}, reserve ${i}`);
        }
        mb.memblock_reserve(MEMORY_BASE_OFFSET(skip, mb), mb.MEM_SIZE);
        const newRegionsSize = PAGE_ALIGN(BigInt(INIT_MEMBLOCK_REGIONS * 2) * REGION_BYTES);
        expect(mb.reserved.cnt).toBe(INIT_MEMBLOCK_REGIONS + 2);
        expect(mb.reserved.total_size).toBe(BigInt(INIT_MEMBLOCK_REGIONS + 1) * mb.MEM_SIZE + newRegionsSize);
        expect(mb.reserved.max).toBe(INIT_MEMBLOCK_REGIONS * 2);
        const r0 = mb.reserved.regions[0]!;
        expect(r0.base + r0.size).toBe(MEMORY_BASE_OFFSET(0, mb) + SZ_32K);
        expect(r0.size).toBe(newRegionsSize);
        mb.memblock_reserve(SZ_16K, SZ_16K);
        expectRegion(mb.reserved.regions[0], SZ_16K, SZ_16K);
        expect(mb.reserved.cnt).toBe(INIT_MEMBLOCK_REGIONS + 3);
        expect(mb.reserved.total_size).toBe(BigInt(INIT_MEMBLOCK_REGIONS + 1) * mb.MEM_SIZE + newRegionsSize + SZ_16K);
        expect(mb.reserved.max).toBe(INIT_MEMBLOCK_REGIONS * 2);
      }
    });
  });

  describe('memblock_remove', () => {
    // |  [r1]   [r2]  → r1 removed  |  r2 becomes regions[0]
    caseIn(v, 'memblock_remove_simple_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_2K, SZ_4K);
      mb.memblock_add(SZ_128K, SZ_4M);
      mb.memblock_remove(SZ_2K, SZ_4K);
      expectRegion(mb.memory.regions[0], SZ_128K, SZ_4M);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(SZ_4M);
    });

    // |  [r1]   (r2 absent)  |  removing what is not there changes nothing
    caseIn(v, 'memblock_remove_absent_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_512K, SZ_4M);
      mb.memblock_remove(SZ_64M, SZ_1G);
      expectRegion(mb.memory.regions[0], SZ_512K, SZ_4M);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(SZ_4M);
    });

    // |  (r2 [==)r1]  |  removing over r1's start leaves r1 from r2's end
    caseIn(v, 'memblock_remove_overlap_top_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_32M, SZ_32M);
      mb.memblock_remove(SZ_16M, SZ_32M);
      const total = SZ_32M + SZ_32M - (SZ_16M + SZ_32M);
      expectRegion(mb.memory.regions[0], SZ_32M + SZ_16M, total);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(total);
    });

    // |  [r1 (==]r2)  |  removing over r1's end leaves r1 up to r2's base
    caseIn(v, 'memblock_remove_overlap_bottom_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_2M, SZ_64M);
      mb.memblock_remove(SZ_32M, SZ_256M);
      expectRegion(mb.memory.regions[0], SZ_2M, SZ_32M - SZ_2M);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(SZ_32M - SZ_2M);
    });

    // |  [r1 (r2) r1]  |  removing from inside splits r1 in two
    caseIn(v, 'memblock_remove_within_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_1M, SZ_32M);
      mb.memblock_remove(SZ_16M, SZ_1M);
      const lo = SZ_16M - SZ_1M;
      const hi = SZ_1M + SZ_32M - (SZ_16M + SZ_1M);
      expectRegion(mb.memory.regions[0], SZ_1M, lo);
      expectRegion(mb.memory.regions[1], SZ_16M + SZ_1M, hi);
      expect(mb.memory.cnt).toBe(2);
      expect(mb.memory.total_size).toBe(lo + hi);
    });

    // |  (r1)  |  removing the only region leaves an empty array with a zeroed regions[0]
    caseIn(v, 'memblock_remove_only_region_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_2K, SZ_4K);
      mb.memblock_remove(SZ_2K, SZ_4K);
      expectRegion(mb.memory.regions[0], 0n, 0n);
      expect(mb.memory.cnt).toBe(EMPTY_CNT[v]);
      expect(mb.memory.total_size).toBe(0n);
    });

    // |  [r1 (r2]  PHYS_ADDR_MAX)  |  the removal is capped at PHYS_ADDR_MAX
    caseIn(v, 'memblock_remove_near_max_check', () => {
      const mb = fresh(v);
      const base = PHYS_ADDR_MAX - SZ_2M;
      mb.memblock_add(base, SZ_2M);
      mb.memblock_remove(PHYS_ADDR_MAX - SZ_1M, SZ_2M);
      const total = SZ_2M - (PHYS_ADDR_MAX - (PHYS_ADDR_MAX - SZ_1M));
      expectRegion(mb.memory.regions[0], base, total);
      expect(mb.memory.cnt).toBe(1);
      expect(mb.memory.total_size).toBe(total);
    });

    // |  [r1 (==]   [==) r2]  |  one removal across two regions trims both
    caseIn(v, 'memblock_remove_overlap_two_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_16M, SZ_32M);
      mb.memblock_add(SZ_64M, SZ_64M);
      mb.memblock_remove(SZ_32M, SZ_64M);
      const lo = SZ_32M - SZ_16M;
      const hi = SZ_64M + SZ_64M - (SZ_32M + SZ_64M);
      expectRegion(mb.memory.regions[0], SZ_16M, lo);
      expectRegion(mb.memory.regions[1], SZ_32M + SZ_64M, hi);
      expect(mb.memory.cnt).toBe(2);
      expect(mb.memory.total_size).toBe(lo + hi);
    });
  });

  describe('memblock_free', () => {
    // |  (r1)   [r2]  |  freeing r1 leaves r2 as regions[0]
    caseIn(v, 'memblock_free_simple_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_4M, SZ_1M);
      mb.memblock_reserve(SZ_8M, SZ_1M);
      mb.memblock_free(SZ_4M, SZ_1M);
      expectRegion(mb.reserved.regions[0], SZ_8M, SZ_1M);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(SZ_1M);
    });

    // |  [r1]   (r2 absent)  |  freeing what is not reserved changes nothing
    caseIn(v, 'memblock_free_absent_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_2M, SZ_8K);
      mb.memblock_free(SZ_16M, SZ_128M);
      expectRegion(mb.reserved.regions[0], SZ_2M, SZ_8K);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(SZ_8K);
    });

    // |  (r2 [==)r1]  |  freeing over r1's start
    caseIn(v, 'memblock_free_overlap_top_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_8M, SZ_32M);
      mb.memblock_free(SZ_1M, SZ_8M);
      const total = SZ_32M + SZ_8M - (SZ_1M + SZ_8M);
      expectRegion(mb.reserved.regions[0], SZ_1M + SZ_8M, total);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(total);
    });

    // |  [r1 (==]r2)  |  freeing over r1's end
    caseIn(v, 'memblock_free_overlap_bottom_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_8M, SZ_32M);
      mb.memblock_free(SZ_32M, SZ_32M);
      expectRegion(mb.reserved.regions[0], SZ_8M, SZ_32M - SZ_8M);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(SZ_32M - SZ_8M);
    });

    // |  [r1 (r2) r1]  |  freeing from inside splits r1
    caseIn(v, 'memblock_free_within_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_1M, SZ_8M);
      mb.memblock_free(SZ_4M, SZ_1M);
      const lo = SZ_4M - SZ_1M;
      const hi = SZ_1M + SZ_8M - (SZ_4M + SZ_1M);
      expectRegion(mb.reserved.regions[0], SZ_1M, lo);
      expectRegion(mb.reserved.regions[1], SZ_4M + SZ_1M, hi);
      expect(mb.reserved.cnt).toBe(2);
      expect(mb.reserved.total_size).toBe(lo + hi);
    });

    // |  (r1)  |  freeing the only reservation leaves an empty array
    caseIn(v, 'memblock_free_only_region_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_2K, SZ_4K);
      mb.memblock_free(SZ_2K, SZ_4K);
      expectRegion(mb.reserved.regions[0], 0n, 0n);
      expect(mb.reserved.cnt).toBe(EMPTY_CNT[v]);
      expect(mb.reserved.total_size).toBe(0n);
    });

    // |  [r1 (r2]  PHYS_ADDR_MAX)  |  the free is capped at PHYS_ADDR_MAX
    caseIn(v, 'memblock_free_near_max_check', () => {
      const mb = fresh(v);
      const base = PHYS_ADDR_MAX - SZ_2M;
      mb.memblock_reserve(base, SZ_2M);
      mb.memblock_free(PHYS_ADDR_MAX - SZ_1M, SZ_2M);
      const total = SZ_2M - (PHYS_ADDR_MAX - (PHYS_ADDR_MAX - SZ_1M));
      expectRegion(mb.reserved.regions[0], base, total);
      expect(mb.reserved.cnt).toBe(1);
      expect(mb.reserved.total_size).toBe(total);
    });

    // |  [r1 (==]   [==) r2]  |  one free across two reservations trims both
    caseIn(v, 'memblock_free_overlap_two_check', () => {
      const mb = fresh(v);
      mb.memblock_reserve(SZ_16M, SZ_32M);
      mb.memblock_reserve(SZ_64M, SZ_64M);
      mb.memblock_free(SZ_32M, SZ_64M);
      const lo = SZ_32M - SZ_16M;
      const hi = SZ_64M + SZ_64M - (SZ_32M + SZ_64M);
      expectRegion(mb.reserved.regions[0], SZ_16M, lo);
      expectRegion(mb.reserved.regions[1], SZ_32M + SZ_64M, hi);
      expect(mb.reserved.cnt).toBe(2);
      expect(mb.reserved.total_size).toBe(lo + hi);
    });
  });

  describe('memblock_set_bottom_up / memblock_bottom_up', () => {
    // expect the switch to be what was last set
    caseIn(v, 'memblock_set_bottom_up_check', () => {
      const mb = fresh(v);
      mb.memblock_set_bottom_up(false);
      expect(mb.bottom_up).toBe(false);
      mb.memblock_set_bottom_up(true);
      expect(mb.bottom_up).toBe(true);
    });

    // expect memblock_bottom_up() to read the switch
    caseIn(v, 'memblock_bottom_up_check', () => {
      const mb = fresh(v);
      mb.memblock_set_bottom_up(false);
      expect(mb.memblock_bottom_up()).toBe(mb.bottom_up);
      expect(mb.memblock_bottom_up()).toBe(false);
      mb.memblock_set_bottom_up(true);
      expect(mb.memblock_bottom_up()).toBe(mb.bottom_up);
      expect(mb.memblock_bottom_up()).toBe(true);
    });
  });

  describe('memblock_trim_memory', () => {
    const a = SMP_CACHE_BYTES;

    // |[r aligned]|  an aligned region is left alone
    caseIn(v, 'memblock_trim_memory_aligned_check', () => {
      const mb = fresh(v);
      mb.memblock_add(a, a * 4n);
      mb.memblock_trim_memory(a);
      expectRegion(mb.memory.regions[0], a, a * 4n);
      expect(mb.memory.cnt).toBe(1);
    });

    // |[r1]  [r2 < align]|  a region smaller than the alignment is removed
    caseIn(v, 'memblock_trim_memory_too_small_check', () => {
      const mb = fresh(v);
      mb.memblock_add(a, a * 2n);
      mb.memblock_add(a * 4n, a - SZ_2);
      mb.memblock_trim_memory(a);
      expectRegion(mb.memory.regions[0], a, a * 2n);
      expect(mb.memory.cnt).toBe(1);
    });

    // |[r1]  ~[r2]|  an unaligned base is rounded up
    caseIn(v, 'memblock_trim_memory_unaligned_base_check', () => {
      const mb = fresh(v);
      const off = SZ_2;
      mb.memblock_add(a, a * 2n);
      mb.memblock_add(a * 4n + off, a * 2n - off);
      mb.memblock_trim_memory(a);
      expectRegion(mb.memory.regions[0], a, a * 2n);
      expectRegion(mb.memory.regions[1], a * 4n + off + (a - off), a * 2n - off - (a - off));
      expect(mb.memory.cnt).toBe(2);
    });

    // |[r1]  [r2]~|  an unaligned end is rounded down
    caseIn(v, 'memblock_trim_memory_unaligned_end_check', () => {
      const mb = fresh(v);
      const off = SZ_2;
      mb.memblock_add(a, a * 2n);
      mb.memblock_add(a * 4n, a * 2n - off);
      mb.memblock_trim_memory(a);
      expectRegion(mb.memory.regions[0], a, a * 2n);
      expectRegion(mb.memory.regions[1], a * 4n, a * 2n - off - (a - off));
      expect(mb.memory.cnt).toBe(2);
    });
  });

  // not in 6.1.192's basic_api.c
  if (v === '6.12') describe('memblock_overlaps_region', () => {
    // |   [1G, 1G+4M)   |  ranges that only touch it do not overlap; any shared byte does
    caseIn(v, 'memblock_overlaps_region_check', () => {
      const mb = fresh(v);
      mb.memblock_add(SZ_1G, SZ_4M);
      expect(mb.memblock_overlaps_region('memory', SZ_1M, SZ_1M)).toBe(false);
      expect(mb.memblock_overlaps_region('memory', SZ_2G, SZ_1M)).toBe(false);
      expect(mb.memblock_overlaps_region('memory', SZ_1G - SZ_1M, SZ_1M)).toBe(false);
      expect(mb.memblock_overlaps_region('memory', SZ_1G + SZ_4M, SZ_1M)).toBe(false);
      expect(mb.memblock_overlaps_region('memory', SZ_1G - SZ_1M, SZ_2M)).toBe(true);
      expect(mb.memblock_overlaps_region('memory', SZ_1G + SZ_2M, SZ_2M)).toBe(true);
      expect(mb.memblock_overlaps_region('memory', SZ_1G, SZ_4M)).toBe(true);
      expect(mb.memblock_overlaps_region('memory', SZ_1G - SZ_2M, SZ_8M)).toBe(true);
      expect(mb.memblock_overlaps_region('memory', SZ_1G + SZ_1M, SZ_1M)).toBe(true);
    });
  });
});
