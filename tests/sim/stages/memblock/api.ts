// The kernel's memblock API, as tools/testing/memblock calls it, over the simulator's pure
// functions in sim/stages/memblock.ts: one mutable `memblock` object (the kernel's global), the
// C calls by their C names, and the harness of tools/testing/memblock/tests/common.c (the dummy
// physical memory, reset_memblock_regions, setup_memblock, setup_numa_memblock). The suite's
// scenarios in this folder run against it; nothing here decides an expected value.
import {
  memblockInit, memblockAdd, memblockAddNode, memblockReserve, memblockRemove, memblockFree, memblockTrimMemory,
  memblockSetBottomUp, memblockSetCurrentLimit, memblockAllowResize, memblockOverlapsRegion, memblockRegionCount,
  memblockAllocTryNid, memblockStartOfDram, memblockEndOfDram, memblockRegionBytes,
  MEMBLOCK_ALLOC_ACCESSIBLE, MEMBLOCK_LOW_LIMIT, ARCH_LOW_ADDRESS_LIMIT, MEMBLOCK_HOTPLUG, MEMBLOCK_NONE, NO_NODE, NUMA_NO_NODE,
  type MemblockState, type MemblockRegion, type Which,
} from '../../../../sim/stages/memblock.ts';
import { addToSorted, type Range } from '../../../../sim/lib/ranges.ts';
import { deriveTraits, type KernelVersion } from '../../../../sim/traits.ts';

export { MEMBLOCK_HOTPLUG, MEMBLOCK_NONE, NUMA_NO_NODE, MEMBLOCK_ALLOC_ACCESSIBLE };
export { MEMBLOCK_ALLOC_ANYWHERE, INIT_MEMBLOCK_REGIONS } from '../../../../sim/stages/memblock.ts';
/**
 * The suite's SMP_CACHE_BYTES: tools/include/linux/cache.h L1_CACHE_SHIFT 5, so 32 (x86's is 64,
 * sim/stages/memblock.ts SMP_CACHE_BYTES). The scenarios are sized for 32: with 64 the gaps of
 * alloc_in_between_generic_check would each fit the allocation.
 */
export const SMP_CACHE_BYTES = 32n;

/** include/linux/sizes.h, as the suite spells them. */
export const SZ_2 = 2n, SZ_4 = 4n, SZ_8 = 8n, SZ_16 = 16n, SZ_32 = 32n, SZ_64 = 64n, SZ_128 = 128n, SZ_256 = 256n, SZ_512 = 512n;
export const SZ_1K = 0x400n, SZ_2K = 0x800n, SZ_4K = 0x1000n, SZ_8K = 0x2000n, SZ_16K = 0x4000n, SZ_32K = 0x8000n, SZ_64K = 0x10000n;
export const SZ_128K = 0x20000n, SZ_256K = 0x40000n, SZ_512K = 0x80000n;
export const SZ_1M = 0x100000n, SZ_2M = 0x200000n, SZ_4M = 0x400000n, SZ_8M = 0x800000n, SZ_16M = 0x1000000n, SZ_32M = 0x2000000n, SZ_64M = 0x4000000n;
export const SZ_128M = 0x8000000n, SZ_256M = 0x10000000n, SZ_512M = 0x20000000n, SZ_1G = 0x40000000n, SZ_2G = 0x80000000n;
/** include/linux/types.h PHYS_ADDR_MAX with a 64-bit phys_addr_t (the suite's default build). */
export const PHYS_ADDR_MAX = (1n << 64n) - 1n;
export const PAGE_SIZE = 0x1000n;
export const PAGE_ALIGN = (x: bigint): bigint => (x + PAGE_SIZE - 1n) & ~(PAGE_SIZE - 1n);
/** tools/testing/memblock/tests/common.h NUMA_NODES */
export const NUMA_NODES = 8;
/** tools/testing/memblock/scripts/Makefile.include NUMA=1: CONFIG_NODES_SHIFT=4, so MAX_NUMNODES = 16. */
export const MAX_NUMNODES = 16;
/** tools/testing/memblock/tests/common.c BASIS: node fractions are in 1/10000 of MEM_SIZE. */
const BASIS = 10000n;

/** Which suite a scenario comes from: its version picks MEM_SIZE and the kernel's traits. */
export type SuiteVersion = '6.12' | '6.1';

/**
 * tools/testing/memblock/tests/common.h MEM_SIZE: SZ_32K in 6.12, SZ_16K in 6.1. PHYS_MEM_SIZE
 * (6.12 only; 6.1 mallocs MEM_SIZE) is what dummy_physical_memory_init() provides.
 */
export const memSize = (v: SuiteVersion): bigint => (v === '6.12' ? SZ_32K : SZ_16K);
export const physMemSize = (v: SuiteVersion): bigint => (v === '6.12' ? SZ_16M : SZ_16K);

/**
 * Where dummy_physical_memory_init()'s malloc lands. Any page-aligned address well above the
 * first page and below 4G serves: the suite asserts relative to memblock_start_of_DRAM() and
 * memblock_end_of_DRAM(), and glibc returns page-aligned (plus header) mmap chunks for 16M.
 */
export const DUMMY_PHYS_BASE = 0x10000000n;

/** struct memblock_region as the C tests read it. */
export interface RegionView {
  readonly base: bigint;
  readonly size: bigint;
  readonly flags: number;
  /** The node; MAX_NUMNODES for a region memblock_add or memblock_reserve made. */
  readonly nid: number;
}

/** struct memblock_type as the C tests read it. */
export interface TypeView {
  readonly cnt: number;
  readonly max: number;
  readonly total_size: bigint;
  readonly name: string;
  /** regions[i] for i < cnt, and regions[0] of an empty array (zeroed by memblock_remove_region). */
  readonly regions: readonly RegionView[];
}

const view = (r: MemblockRegion): RegionView => ({ base: r.start, size: r.end - r.start, flags: r.flags, nid: r.nid === NO_NODE ? MAX_NUMNODES : r.nid });

/**
 * The memblock global and the test harness around it. The state is the simulator's
 * MemblockState; each call replaces it with what the model returns.
 */
export class SuiteMemblock {
  state: MemblockState;
  readonly version: SuiteVersion;
  /** tests/common.c memory_block: the dummy physical memory and the bytes of it known to be zero. */
  private zeroed: Range[] = [];

  constructor(version: SuiteVersion) {
    this.version = version;
    this.state = SuiteMemblock.fresh(version);
  }

  /** The kernel's memblock as mm/memblock.c initialises it, with the version's traits. */
  private static fresh(version: SuiteVersion): MemblockState {
    const release = version === '6.12' ? '6.12.115' : '6.1.192';
    const traits = deriveTraits({ id: `suite-${version}`, arch: 'x86_64', release, facts: { config: { NUMA: 'y' } } });
    return memblockInit(64, { regionBytes: memblockRegionBytes(64, traits.numa, traits.arch), emptyCnt: traits.memblockEmptyCnt });
  }

  get MEM_SIZE(): bigint {
    return memSize(this.version);
  }

  private type(which: Which): TypeView {
    const state = this.state;
    return {
      cnt: memblockRegionCount(state, which),
      max: state.max[which],
      total_size: state.totalSize[which],
      name: which,
      // made when read: the scenarios that reserve 129 × 129 times read only cnt and total_size
      get regions() {
        const rs = state[which].map(view);
        return rs.length > 0 ? rs : [{ base: 0n, size: 0n, flags: 0, nid: MAX_NUMNODES }];
      },
    };
  }

  get memory(): TypeView {
    return this.type('memory');
  }
  get reserved(): TypeView {
    return this.type('reserved');
  }
  get bottom_up(): boolean {
    return this.state.bottomUp;
  }
  get current_limit(): bigint {
    return this.state.currentLimit;
  }

  // tests/common.c ----------------------------------------------------------------------------

  /** reset_memblock_regions(): both arrays emptied, max back to INIT_MEMBLOCK_REGIONS (the static arrays). */
  reset_memblock_regions(): void {
    const init = SuiteMemblock.fresh(this.version);
    this.state = { ...init, bottomUp: this.state.bottomUp, currentLimit: this.state.currentLimit, canResize: this.state.canResize };
  }

  /** reset_memblock_attributes(): top-down, current_limit MEMBLOCK_ALLOC_ANYWHERE. */
  reset_memblock_attributes(): void {
    const init = SuiteMemblock.fresh(this.version);
    this.state = { ...this.state, bottomUp: init.bottomUp, currentLimit: init.currentLimit };
  }

  /** dummy_physical_memory_init(): fresh memory, every byte 1 (fill_memblock). */
  dummy_physical_memory_init(): void {
    this.zeroed = [];
  }

  dummy_physical_memory_base(): bigint {
    return DUMMY_PHYS_BASE;
  }

  /** setup_memblock(): MEM_SIZE of memory at the dummy base, filled with 1. */
  setup_memblock(): void {
    this.reset_memblock_regions();
    this.memblock_add(DUMMY_PHYS_BASE, this.MEM_SIZE);
    this.zeroed = [];
  }

  /** setup_numa_memblock(node_fracs): NUMA_NODES nodes one after another, MEMBLOCK_HOTPLUG unless movable_node (never here). */
  setup_numa_memblock(fracs: readonly number[]): void {
    this.reset_memblock_regions();
    let base = DUMMY_PHYS_BASE;
    for (let i = 0; i < NUMA_NODES; i++) {
      const size = (this.MEM_SIZE * BigInt(fracs[i]!)) / BASIS;
      this.memblock_add_node(base, size, i, MEMBLOCK_HOTPLUG);
      base += size;
    }
    this.zeroed = [];
  }

  /** ASSERT_MEM_EQ(ptr, 0, size) as a fact about the dummy memory: is every byte of it zero? */
  isZeroed(ptr: bigint, size: bigint): boolean {
    return this.zeroed.some((z) => z.start <= ptr && ptr + size <= z.end);
  }
  /** ASSERT_MEM_NE(ptr, 0, size): is no byte of it zero (still filled with 1)? */
  isUntouched(ptr: bigint, size: bigint): boolean {
    return !this.zeroed.some((z) => z.start < ptr + size && ptr < z.end);
  }

  // include/linux/memblock.h, mm/memblock.c ----------------------------------------------------

  memblock_allow_resize(): void {
    this.state = memblockAllowResize(this.state);
  }
  memblock_add(base: bigint, size: bigint): void {
    this.state = memblockAdd(this.state, base, size);
  }
  memblock_add_node(base: bigint, size: bigint, nid: number, flags: number): void {
    this.state = memblockAddNode(this.state, base, size, nid, flags);
  }
  memblock_reserve(base: bigint, size: bigint): void {
    this.state = memblockReserve(this.state, base, size, { why: 'suite', source: 'tools/testing/memblock', stage: 'suite' });
  }
  memblock_remove(base: bigint, size: bigint): void {
    this.state = memblockRemove(this.state, base, size);
  }
  /** memblock_free(ptr, size): memblock_phys_free(__pa(ptr), size); the harness's __pa is the identity. */
  memblock_free(ptr: bigint, size: bigint): void {
    this.state = memblockFree(this.state, ptr, size);
  }
  memblock_trim_memory(align: bigint): void {
    this.state = memblockTrimMemory(this.state, align);
  }
  memblock_set_bottom_up(enable: boolean): void {
    this.state = memblockSetBottomUp(this.state, enable);
  }
  memblock_bottom_up(): boolean {
    return this.state.bottomUp;
  }
  memblock_set_current_limit(limit: bigint): void {
    this.state = memblockSetCurrentLimit(this.state, limit);
  }
  memblock_overlaps_region(which: Which, base: bigint, size: bigint): boolean {
    return memblockOverlapsRegion(this.state, which, base, size);
  }
  memblock_start_of_DRAM(): bigint {
    return memblockStartOfDram(this.state);
  }
  memblock_end_of_DRAM(): bigint {
    return memblockEndOfDram(this.state);
  }

  /** memblock_alloc_internal() and what the public wrapper does with the memory: zero it, or not (_raw). */
  private allocInternal(size: bigint, align: bigint, min: bigint, max: bigint, nid: number, exactNid: boolean, zero: boolean): bigint | null {
    const r = memblockAllocTryNid(this.state, { size, align, start: min, end: max, nid, exactNid, why: 'suite', source: 'tools/testing/memblock', stage: 'suite' });
    if (!r) return null;
    this.state = r.mb;
    // mm/memblock.c memblock_alloc_try_nid(): "if (ptr) memset(ptr, 0, size)"; the _raw variants leave memory as it was
    if (zero) this.zeroed = addToSorted(this.zeroed, r.addr, r.addr + size);
    else this.zeroed = this.zeroed.flatMap((z) => (z.end <= r.addr || z.start >= r.addr + size ? [z] : [
      ...(z.start < r.addr ? [{ start: z.start, end: r.addr }] : []), ...(z.end > r.addr + size ? [{ start: r.addr + size, end: z.end }] : []),
    ]));
    return r.addr;
  }

  memblock_alloc_try_nid(size: bigint, align: bigint, min: bigint, max: bigint, nid: number): bigint | null {
    return this.allocInternal(size, align, min, max, nid, false, true);
  }
  memblock_alloc_try_nid_raw(size: bigint, align: bigint, min: bigint, max: bigint, nid: number): bigint | null {
    return this.allocInternal(size, align, min, max, nid, false, false);
  }
  memblock_alloc_exact_nid_raw(size: bigint, align: bigint, min: bigint, max: bigint, nid: number): bigint | null {
    return this.allocInternal(size, align, min, max, nid, true, false);
  }
  /** include/linux/memblock.h memblock_alloc(): try_nid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE). */
  memblock_alloc(size: bigint, align: bigint): bigint | null {
    return this.memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
  }
  /** memblock_alloc_raw(): try_nid_raw(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE). */
  memblock_alloc_raw(size: bigint, align: bigint): bigint | null {
    return this.memblock_alloc_try_nid_raw(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
  }
  /** memblock_alloc_from(): try_nid(size, align, min_addr, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE). */
  memblock_alloc_from(size: bigint, align: bigint, min: bigint): bigint | null {
    return this.memblock_alloc_try_nid(size, align, min, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
  }
  /** memblock_alloc_low(): try_nid(size, align, MEMBLOCK_LOW_LIMIT, ARCH_LOW_ADDRESS_LIMIT, NUMA_NO_NODE). */
  memblock_alloc_low(size: bigint, align: bigint): bigint | null {
    return this.memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, ARCH_LOW_ADDRESS_LIMIT, NUMA_NO_NODE);
  }
  /** memblock_alloc_node(): try_nid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE, nid). */
  memblock_alloc_node(size: bigint, align: bigint, nid: number): bigint | null {
    return this.memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
  }
}

/** What a test names its case by: `<C function> (tests/<file>, <version>)`. */
export const caseName = (fn: string, file: string, v: SuiteVersion = '6.12'): string => `${cName(fn, v)} (tests/${file}, ${v})`;

/**
 * The C function's name in a version: 6.1.192's alloc_nid_api.c calls its scenarios alloc_try_nid_*;
 * 6.12.117's calls them alloc_nid_*, and its alloc_exact_nid_api.c reuses them.
 */
export const cName = (fn: string, v: SuiteVersion): string => (v === '6.1' ? fn.replace(/^alloc_nid_/, 'alloc_try_nid_') : fn);

/** Both suites; 5.10.223 ships no tools/testing/memblock. */
export const SUITE_VERSIONS: readonly SuiteVersion[] = ['6.12', '6.1'];

/** run_top_down / run_bottom_up (tests/common.h): the direction set before the scenario runs. */
export type Direction = 'top-down' | 'bottom-up';
export const DIRECTIONS: readonly Direction[] = ['top-down', 'bottom-up'];
export function inDirection(mb: SuiteMemblock, d: Direction): SuiteMemblock {
  mb.memblock_set_bottom_up(d === 'bottom-up');
  return mb;
}
