// sim/stages/old/memblock-30.ts: 3.0.1's memblock (top-down only: memblock_find_base has no bottom-up
// mode in 3.0.1) on small hand-built maps, with the invariants after each case (sorted, disjoint,
// non-touching reserved regions; sizes).
import { describe, expect, test } from 'vitest';
import { addRegion30, allocBootmem30, findInRange30, findRegion30, freeMemoryRanges30, free30, memblockInit30, pagesIn30, removeRegion30, reserve30, INIT_MEMBLOCK_REGIONS, type Memblock30, type Region30 } from '../../../../sim/stages/old/memblock-30.ts';
import { simErrorCode } from '../../sim-error-code.ts';

const K = 1024n;
const M = K * K;
const r = (base: bigint, end: bigint): Region30 => ({ base, end });

/** reserved stays sorted, disjoint and coalesced (no two regions touch). */
function invariants(regions: readonly Region30[]): void {
  for (let i = 0; i < regions.length; i++) {
    expect(regions[i]!.end > regions[i]!.base).toBe(true);
    if (i > 0) expect(regions[i]!.base > regions[i - 1]!.end).toBe(true);
  }
}

const mbOf = (memory: Region30[], reserved: Region30[] = [], currentLimit = 0xffffffffn): Memblock30 => ({ ...memblockInit30(), memory, reserved, currentLimit });

describe('memblock_add_region / __memblock_remove', () => {
  test.each([
    // [a, b) touching [b, c) coalesce: memblock_add_region merges "end >= rgn->base"
    ['touching_coalesce', [r(0x1000n, 0x2000n)], r(0x2000n, 0x3000n), [r(0x1000n, 0x3000n)]],
    ['bridge_two', [r(0x1000n, 0x2000n), r(0x3000n, 0x4000n)], r(0x1800n, 0x3800n), [r(0x1000n, 0x4000n)]],
    ['enclosed_noop', [r(0x1000n, 0x4000n)], r(0x2000n, 0x3000n), [r(0x1000n, 0x4000n)]],
    ['gap_kept', [r(0x1000n, 0x2000n)], r(0x2020n, 0x2040n), [r(0x1000n, 0x2000n), r(0x2020n, 0x2040n)]],
  ] as const)('add_%s: expect the union with touching regions merged', (_n, before, add, after) => {
    const out = addRegion30(before, add.base, add.end);
    expect(out).toEqual(after);
    invariants(out);
  });
  test('remove_split: expect a region enclosing the range split in two, one trimmed at each side', () => {
    //   [0x1000 ............ 0x4000)  remove [0x2000, 0x3000)  →  [0x1000, 0x2000) [0x3000, 0x4000)
    expect(removeRegion30([r(0x1000n, 0x4000n)], 0x2000n, 0x3000n)).toEqual([r(0x1000n, 0x2000n), r(0x3000n, 0x4000n)]);
    expect(free30(mbOf([], [r(0x1000n, 0x4000n)]), 0x3000n, 0x5000n).reserved).toEqual([r(0x1000n, 0x3000n)]);
  });
  test('double_array_refused: expect the 128th region refused (memblock_double_array is not modelled)', () => {
    let mb = memblockInit30();
    for (let i = 0n; i < BigInt(INIT_MEMBLOCK_REGIONS - 1); i++) mb = reserve30(mb, i * 0x100n, i * 0x100n + 0x10n, 'x');
    expect(mb.reserved.length).toBe(INIT_MEMBLOCK_REGIONS - 1);
    expect(simErrorCode(() => reserve30(mb, 0x100000n, 0x100010n, 'x'))).toBe('SIM_NOT_MODELLED');
  });
});

describe('memblock_find_region / memblock_find_base (top-down)', () => {
  test('find_top_down: expect round_down(top − size, align) when nothing is reserved there', () => {
    //  memory [1M ........................ 16M)   size 0x1800 align 0x1000 → 16M − 0x2000
    expect(findInRange30(mbOf([r(M, 16n * M)]), 0n, 0n, 0x1800n, 0x1000n)).toBe(16n * M - 0x2000n);
  });
  test('find_steps_below_first_overlap: expect the candidate stepped below the lowest reserved region it overlaps', () => {
    //  reserved [0x9000, 0x9100) and [0x9200, 0xa000); a 0x400 request from 0xa000 lands below 0x9000
    //  (the first overlap in sorted order is the lower region), not in the 0x100 gap
    const reserved = [r(0x9000n, 0x9100n), r(0x9200n, 0xa000n)];
    expect(findRegion30(reserved, 0x1000n, 0xa000n, 0x400n, 0x20n)).toBe(0x8c00n);
    // a request that fits the gap is placed in it: the candidate under 0xa000 overlaps only [0x9200, 0xa000)
    expect(findRegion30(reserved, 0x1000n, 0xa000n, 0x40n, 0x20n)).toBe(0x91c0n);
  });
  test('find_start_zero_is_page: expect start 0 treated as PAGE_SIZE (0 is MEMBLOCK_ERROR)', () => {
    // round_down(0x1800 − 0x1000, 0x1000) = 0 is below the PAGE_SIZE start: not found
    expect(findRegion30([], 0n, 0x1800n, 0x1000n, 0x1000n)).toBeUndefined();
    expect(findRegion30([], 0n, 0x2000n, 0x1000n, 0x1000n)).toBe(0x1000n);
  });
  test('find_top_region_first: expect the top memory region tried first, a lower one only when the top cannot hold it', () => {
    const mb = mbOf([r(0x10000n, 0x9fc00n), r(M, 2n * M)], [r(M, 2n * M - 0x800n)]);
    expect(findInRange30(mb, 0n, 0n, 0x800n, 0x10n)).toBe(2n * M - 0x800n);
    expect(findInRange30(mb, 0n, 0n, 0x1000n, 0x1000n)).toBe(0x9e000n);
  });
});

describe('__alloc_memory_core_early / free_all_memory_core_early', () => {
  const active = [{ startPfn: 0x10n, endPfn: 0x9fn }, { startPfn: 0x100n, endPfn: 0x800n }];
  const memory = [r(0x10000n, 0x9fc00n), r(M, 8n * M)];
  test('alloc_goal_then_zero: expect the goal honoured, then dropped when nothing fits above it', () => {
    const mb = mbOf(memory, [], 8n * M);
    const a = allocBootmem30(mb, active, 0x1000n, 0x1000n, 4n * M, 'a');
    expect(a.addr).toBe(8n * M - 0x1000n);
    expect(a.mb.log.at(-1)).toEqual({ base: 8n * M - 0x1000n, end: 8n * M, name: 'BOOTMEM', what: 'a' });
    // a 5M request fits nowhere above 4M: the retry from 0 takes the 1M–8M region's top
    const b = allocBootmem30(a.mb, active, 5n * M, 0x1000n, 4n * M, 'b');
    expect(b.addr).toBe(8n * M - 0x1000n - 5n * M);
    invariants(b.mb.reserved);
  });
  test('alloc_size_not_rounded: expect a 4-byte request reserved as 4 bytes, 32-aligned', () => {
    const a = allocBootmem30(mbOf(memory, [], 8n * M), active, 4n, 32n, 0n, 'tiny');
    expect(a.mb.reserved).toEqual([r(8n * M - 32n, 8n * M - 28n)]);
  });
  test('alloc_current_limit: expect nothing placed above current_limit, and failure refused', () => {
    const a = allocBootmem30(mbOf(memory, [], 2n * M), active, 0x1000n, 0x1000n, 0n, 'low');
    expect(a.addr).toBe(2n * M - 0x1000n);
    expect(simErrorCode(() => allocBootmem30(mbOf(memory, [], 2n * M), active, 3n * M, 0x1000n, 0n, 'big'))).toBe('SIM_NOT_MODELLED');
  });
  test('free_ranges_whole_pages: expect every page a reservation touches kept, the rest of the node range below end_pfn free', () => {
    //  [0x10 ... 0x9f) [0x100 ............. 0x800)    reserved [0x9e000, 0x9f000) [0x200010, 0x200020) (touches page 0x200)
    const mb = mbOf(memory, [r(0x9e000n, 0x9f000n), r(0x200010n, 0x200020n)]);
    const free = freeMemoryRanges30(mb, active, 0n, 0x700n);
    expect(free).toEqual([{ start: 0x10n, end: 0x9en }, { start: 0x100n, end: 0x200n }, { start: 0x201n, end: 0x700n }]);
    expect(pagesIn30(free)).toBe(0x8en + 0x100n + 0x4ffn);
    // the highmem call: [start_pfn, end_pfn) of the zone only
    expect(freeMemoryRanges30(mb, active, 0x700n, 0x800n)).toEqual([{ start: 0x700n, end: 0x800n }]);
  });
});
