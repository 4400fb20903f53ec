// Stage tests for sim/stages/memblock.ts, in the manner of tools/testing/memblock/tests/basic_api.c
// and alloc_api.c: small hand-built arrays, one operation, a diagram of the ranges.
import { describe, expect, test } from 'vitest';
import {
  memblockInit, memblockAdd, memblockReserve, memblockFree, memblockSetNode, memblockTrimMemory, memblockRemove,
  memblockAlloc, memblockAllocRepeat, memblockFindInRangeNode, memblockSetCurrentLimit, memblockSetBottomUp, freeRanges, reservedPagesIn,
  ledgerShares, memoryPages, NO_NODE, NUMA_NO_NODE, type MemblockState,
} from '../../../sim/stages/memblock.ts';
import { SimError } from '../../../sim/lib/errors.ts';

const w = (why: string) => ({ why, source: 'test', stage: 'test' });
const K4 = 0x1000n;
const M = 0x100000n;
const spans = (rs: readonly { start: bigint; end: bigint; nid?: number }[]) => rs.map((r) => [r.start, r.end, r.nid]);
const base = (): MemblockState => memblockAdd(memblockInit(), 0n, 16n * M);

describe('memblock_add / memblock_reserve', () => {
  // expect two touching reservations with the same node to merge:
  //  |  r1  |  r2  |      →  |    r1+r2    |
  test('reserve_adjacent_merge', () => {
    let mb = base();
    mb = memblockReserve(mb, M, M, w('a'));
    mb = memblockReserve(mb, 2n * M, M, w('b'));
    expect(spans(mb.reserved)).toEqual([[M, 3n * M, NO_NODE]]);
    expect(mb.ledger.map((e) => e.why)).toEqual(['a', 'b']);
  });

  // expect an overlapping reservation to add only the uncovered part:
  //  |   r1   |
  //      |   r2   |   →  |  r1 ∪ r2  |
  test('reserve_overlap_union', () => {
    let mb = base();
    mb = memblockReserve(mb, M, 2n * M, w('a'));
    mb = memblockReserve(mb, 2n * M, 2n * M, w('b'));
    expect(spans(mb.reserved)).toEqual([[M, 4n * M, NO_NODE]]);
  });

  // expect regions of different nodes not to merge, and set_node to split at its bounds:
  //  |        r        |  set_node(node 1 on the right half)  →  | r (none) | r (1) |
  test('set_node_splits_and_blocks_merge', () => {
    let mb = memblockReserve(base(), 0n, 4n * M, w('a'));
    mb = memblockSetNode(mb, 2n * M, 2n * M, 'reserved', 1);
    expect(spans(mb.reserved)).toEqual([[0n, 2n * M, NO_NODE], [2n * M, 4n * M, 1]]);
    mb = memblockReserve(mb, 4n * M, M, w('b'));
    expect(spans(mb.reserved)).toEqual([[0n, 2n * M, NO_NODE], [2n * M, 4n * M, 1], [4n * M, 5n * M, NO_NODE]]);
  });

  // expect trim to drop partial pages: [0x1000, 0x9fc00) → [0x1000, 0x9f000)
  test('trim_memory_partial_pages', () => {
    let mb = memblockAdd(memblockInit(), 0x1000n, 0x9fc00n - 0x1000n);
    mb = memblockTrimMemory(mb, K4);
    expect(spans(mb.memory)).toEqual([[0x1000n, 0x9f000n, NO_NODE]]);
  });

  test('remove_cuts_memory', () => {
    const mb = memblockRemove(base(), 4n * M, 4n * M);
    expect(spans(mb.memory)).toEqual([[0n, 4n * M, NO_NODE], [8n * M, 16n * M, NO_NODE]]);
  });

  test('free_splits_reservation_and_ledger', () => {
    let mb = memblockReserve(base(), M, 4n * M, w('a'));
    mb = memblockFree(mb, 2n * M, M);
    expect(spans(mb.reserved)).toEqual([[M, 2n * M, NO_NODE], [3n * M, 5n * M, NO_NODE]]);
    expect(mb.ledger[0]!.ranges).toEqual([{ start: M, end: 2n * M }, { start: 3n * M, end: 5n * M }]);
  });

  test('too_many_regions_refused', () => {
    let mb = base();
    const f = () => {
      for (let i = 0n; i < 130n; i++) mb = memblockReserve(mb, i * 2n * K4, K4, w('r'));
    };
    expect(f).toThrow(SimError);
  });
});

describe('allocation (memblock_find_in_range_node)', () => {
  // expect top-down: the highest free range, end-aligned:
  //  |  free  | rsv |   →   |  free | new | rsv |
  test('alloc_top_down_below_reserved', () => {
    let mb = memblockReserve(base(), 15n * M, M, w('top'));
    mb = memblockSetCurrentLimit(mb, 16n * M);
    const r = memblockAlloc(mb, { size: 0x2b000n, align: 64n, ...w('nd') });
    expect(r.addr).toBe(15n * M - 0x2b000n);
  });

  // expect the alignment to round the candidate down: end 0x13fffd000 − 0x2a980 = 0x13ffd2680
  test('alloc_top_down_cache_aligned', () => {
    let mb = memblockAdd(memblockInit(), 0x100000000n, 0x40000000n);
    mb = memblockReserve(mb, 0x13fffd000n, 0x3000n, w('page tables'));
    const r = memblockAlloc(mb, { size: 0x2a980n, align: 64n, ...w('nd') });
    expect(r.addr).toBe(0x13ffd2680n);
  });

  // expect current_limit to cap MEMBLOCK_ALLOC_ACCESSIBLE
  test('alloc_respects_current_limit', () => {
    const mb = memblockSetCurrentLimit(base(), 8n * M);
    expect(memblockAlloc(mb, { size: K4, align: K4, ...w('x') }).addr).toBe(8n * M - K4);
  });

  // expect the first page never to be returned
  test('find_skips_page_zero', () => {
    const mb = memblockAdd(memblockInit(), 0n, 2n * K4);
    expect(memblockFindInRangeNode(mb, { size: 2n * K4, align: K4, end: 2n * K4 })).toBeUndefined();
    expect(memblockFindInRangeNode(mb, { size: K4, align: K4, end: 2n * K4 })).toBe(K4);
  });

  // expect a node-local request to use that node, and to fall back to any node when it is full
  test('alloc_node_local_then_fallback', () => {
    let mb = memblockAdd(memblockInit(), 0n, 8n * M);
    mb = memblockSetNode(mb, 0n, 4n * M, 'memory', 0);
    mb = memblockSetNode(mb, 4n * M, 4n * M, 'memory', 1);
    expect(memblockAlloc(mb, { size: M, align: K4, nid: 0, ...w('a') }).addr).toBe(3n * M);
    mb = memblockReserve(mb, 0n, 4n * M, w('node 0 full'));
    expect(memblockAlloc(mb, { size: M, align: K4, nid: 0, ...w('a') }).addr).toBe(7n * M);
    expect(() => memblockAlloc(mb, { size: M, align: K4, nid: 0, exactNid: true, ...w('a') })).toThrow(SimError);
  });

  test('alloc_min_addr_retry_from_zero', () => {
    const mb = memblockReserve(base(), 8n * M, 8n * M, w('high'));
    expect(memblockAlloc(mb, { size: M, align: K4, start: 8n * M, ...w('a') }).addr).toBe(7n * M);
  });

  test('alloc_bottom_up', () => {
    const mb = memblockSetBottomUp(memblockReserve(base(), 0n, M, w('low')), true);
    expect(memblockAlloc(mb, { size: K4, align: K4, ...w('a') }).addr).toBe(M);
  });

  // expect N repeats to reserve what N single calls reserve, across a free-range boundary and a node
  // fallback, as one ledger entry "why ×N" whose pages count the same:
  //  node 0                  | node 1
  //  | 64K ……… free ……… 4M | 4M … free … 6M+4K | hole | 7M … free … 8M |
  //            3rd (any node)         2nd                       1st        ← top-down, node 1 first
  test.each([1n, 5n, 256n, 300n, 1280n])('alloc_repeat_matches_single_calls_%s', (n) => {
    let mb = memblockAdd(memblockInit(), 0n, 8n * M);
    mb = memblockSetNode(mb, 0n, 4n * M, 'memory', 0);
    mb = memblockSetNode(mb, 4n * M, 4n * M, 'memory', 1);
    mb = memblockSetCurrentLimit(memblockReserve(mb, 6n * M + K4, M - K4, w('hole')), 8n * M);
    const req = { size: K4, align: K4, start: 16n * K4, nid: 1, ...w('pt') };
    let one = mb;
    for (let i = 0n; i < n; i++) one = memblockAlloc(one, req).mb;
    const rep = memblockAllocRepeat(mb, req, n);
    expect(spans(rep.mb.reserved)).toEqual(spans(one.reserved));
    expect(ledgerShares(rep.mb).map((s) => s.pages)).toEqual([...ledgerShares(one).slice(0, 1).map((s) => s.pages), n]);
    expect(rep.mb.ledger.at(-1)!.why).toBe(n > 1n ? `pt ×${n}` : 'pt');
  });

  // expect a repeat that runs out to be refused naming the allocation that failed, as single calls are
  test('alloc_repeat_refusal_names_the_failing_one', () => {
    const mb = memblockSetCurrentLimit(memblockAdd(memblockInit(), 0n, 4n * K4), 4n * K4);
    expect(() => memblockAllocRepeat(mb, { size: K4, align: K4, ...w('t') }, 4n, { whyOf: (i) => `t${i}` })).toThrowError(/no room for t3 /);
  });

  test('alloc_failure_refused', () => {
    const mb = memblockReserve(base(), 0n, 16n * M, w('all'));
    expect(() => memblockAlloc(mb, { size: K4, align: K4, ...w('a') })).toThrowError(/no room for a/);
  });
});

describe('pages at memblock_free_all', () => {
  // expect a page touched by a sub-page reservation to count as reserved:
  //  page:  | 0 | 1 | 2 | 3 |
  //  rsv:       |.|      (0x1100-0x1140)  → 1 reserved page
  test('reserved_pages_partial_page', () => {
    const mb = memblockReserve(memblockAdd(memblockInit(), 0n, 4n * K4), 0x1100n, 0x40n, w('small'));
    expect(memoryPages(mb)).toBe(4n);
    expect(reservedPagesIn(mb)).toBe(1n);
    expect(freeRanges(mb, NUMA_NO_NODE).map((f) => [f.start, f.end])).toEqual([[0n, 0x1100n], [0x1140n, 4n * K4]]);
  });

  // expect shares to count each page once, first reservation first
  test('ledger_shares_first_come', () => {
    let mb = memblockReserve(base(), 0n, 64n * K4, w('64K'));
    mb = memblockReserve(mb, 0n, M, w('1M'));
    expect(ledgerShares(mb).map((s) => [s.why, s.pages])).toEqual([['64K', 64n], ['1M', 192n]]);
  });

  // expect the tail of an allocation given back to leave its head reserved, and the ledger entry to shrink with it:
  //   |        …        | chunk 14M..16M |  →  |        …        | 14M..15M |
  test('alloc_then_free_tail', () => {
    let mb = memblockSetCurrentLimit(base(), 16n * M);
    const a = memblockAlloc(mb, { size: 2n * M, align: 2n * M, ...w('chunk') });
    mb = memblockFree(a.mb, a.addr + M, M);
    expect(spans(mb.reserved)).toEqual([[14n * M, 15n * M, NO_NODE]]);
    expect(mb.ledger.find((e) => e.why === 'chunk')!.ranges).toEqual([{ start: 14n * M, end: 15n * M }]);
  });
});
