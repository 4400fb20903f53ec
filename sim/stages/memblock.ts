// models mm/memblock.c (5.10.223, 6.1.192, 6.12.115, 7.2.13): the memory and reserved region
// arrays (memblock_add_range / memblock_isolate_range / memblock_merge_regions), memblock_set_node,
// memblock_trim_memory, and allocation by memblock_find_in_range_node (top-down by default,
// bottom-up when set) under memblock.current_limit, as memblock_alloc_range_nid and
// memblock_alloc_internal call it. Regions are [start, end) bigint ranges; nothing walks pages.
//
// This module is the allocation API every later stage uses (percpu, hashes, swiotlb, log_buf …):
// each reservation carries a `why` and a source citation, and that ledger is what mem-init.ts
// sums into the "reserved" field of the Memory: line.
import type { BootState } from '../boot.ts';
import { addToSorted, uncoveredIn, type Range } from '../lib/ranges.ts';
import { ALIGN, ALIGN_DOWN, PAGE_SIZE, PAGE_SHIFT, PFN_DOWN, PFN_UP, ULLONG_MAX } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { requireSlice } from '../lib/state.ts';

/** include/linux/numa.h NUMA_NO_NODE: "any node" in an allocation request. */
export const NUMA_NO_NODE = -1;
/**
 * A region's node before memblock_set_node gives it one: the kernel stores MAX_NUMNODES
 * (memblock_add/memblock_reserve pass it) and memblock_dump prints no "on node".
 */
export const NO_NODE = -2;
/** include/linux/memblock.h MEMBLOCK_ALLOC_ACCESSIBLE (0): "up to memblock.current_limit". */
export const MEMBLOCK_ALLOC_ACCESSIBLE = 0n;
/** include/linux/memblock.h MEMBLOCK_ALLOC_ANYWHERE (~(phys_addr_t)0). */
export const MEMBLOCK_ALLOC_ANYWHERE = ULLONG_MAX;
/** include/linux/memblock.h MEMBLOCK_LOW_LIMIT (0): memblock_alloc()'s min_addr. */
export const MEMBLOCK_LOW_LIMIT = 0n;
/** include/linux/memblock.h ARCH_LOW_ADDRESS_LIMIT on x86: 0xffffffff, memblock_alloc_low()'s max_addr. */
export const ARCH_LOW_ADDRESS_LIMIT = 0xffffffffn;
/** arch/x86/include/asm/cache.h: SMP_CACHE_BYTES = L1_CACHE_BYTES = 64 (X86_L1_CACHE_SHIFT 6 on every Debian x86 build). */
export const SMP_CACHE_BYTES = 64n;
/** mm/memblock.c INIT_MEMBLOCK_REGIONS: past this the array is doubled with a memblock allocation of its own (not modelled). */
const INIT_MEMBLOCK_REGIONS = 128;

/** One entry of memblock.memory or memblock.reserved. flags are always MEMBLOCK_NONE here (no mirror, hotplug, nomap). */
export interface MemblockRegion extends Range {
  /** The node, or NO_NODE (MAX_NUMNODES in the kernel). */
  readonly nid: number;
}

/** One reservation as the boot made it: the explanation of the Memory: line's "reserved" field. */
export interface LedgerEntry {
  /** What it is, e.g. "NODE_DATA(0)", "kernel image [_text, __end_of_kernel_reserve)". */
  readonly why: string;
  /** The kernel code that makes it, e.g. "arch/x86/kernel/setup.c: early_reserve_memory() (6.1)". */
  readonly source: string;
  /** The sim stage that made it. */
  readonly stage: string;
  /** What is still reserved of it (memblock_phys_free carves pieces out). */
  readonly ranges: readonly Range[];
  /** How many identical allocations the entry stands for, when more than one (memblockAllocRepeat). */
  readonly count?: bigint;
}

export interface MemblockState {
  readonly memory: readonly MemblockRegion[];
  readonly reserved: readonly MemblockRegion[];
  /** memblock.current_limit; MEMBLOCK_ALLOC_ANYWHERE until setup_arch lowers it. */
  readonly currentLimit: bigint;
  /** memblock.bottom_up (memblock_set_bottom_up). */
  readonly bottomUp: boolean;
  /** Every memblock_reserve and allocation, in order, with what is left of it. */
  readonly ledger: readonly LedgerEntry[];
  /** The largest physical address + 1 (PHYS_ADDR_MAX + 1): 2^64 with 64-bit phys_addr_t, 2^32 on 686 without PAE. */
  readonly physLimit: bigint;
}

export function memblockInit(physAddrBits: 32 | 64 = 64): MemblockState {
  return { memory: [], reserved: [], currentLimit: MEMBLOCK_ALLOC_ANYWHERE, bottomUp: false, ledger: [], physLimit: 1n << BigInt(physAddrBits) };
}

export function memblockStateOf(state: BootState): MemblockState {
  return requireSlice<MemblockState>(state, 'memblock', 'memblock', 'the memblock setup stage (e820__memblock_setup)');
}

/** Returns `state` with its memblock slice replaced. */
export const withMemblock = (state: BootState, memblock: MemblockState): BootState => ({ ...state, memblock });

// ---------------------------------------------------------------------------------------------
// Region array operations

type Which = 'memory' | 'reserved';

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** memblock_cap_size(): clamp so base + size does not pass PHYS_ADDR_MAX. */
function capEnd(mb: MemblockState, base: bigint, size: bigint): bigint {
  const lim = mb.physLimit - 1n;
  return base + min(size, lim - base);
}

/** memblock_merge_regions(): neighbours that touch, with the same node (and flags), become one. */
function mergeRegions(rs: MemblockRegion[]): MemblockRegion[] {
  const out: MemblockRegion[] = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (last && last.end === r.start && last.nid === r.nid) out[out.length - 1] = { start: last.start, end: r.end, nid: r.nid };
    else out.push(r);
  }
  return out;
}

function checkCount(rs: readonly MemblockRegion[], which: Which): void {
  if (rs.length > INIT_MEMBLOCK_REGIONS) {
    throw new SimError('SIM_NOT_MODELLED', 'memblock', `memblock.${which}: more than ${INIT_MEMBLOCK_REGIONS} regions; memblock_double_array() would allocate a bigger array from memblock itself`);
  }
}

/** memblock_add_range(): insert the parts of [base, end) not already covered, with `nid`; then merge. */
function addRange(mb: MemblockState, rs: readonly MemblockRegion[], base: bigint, end: bigint, nid: number): MemblockRegion[] {
  if (end <= base) return rs.slice();
  const out: MemblockRegion[] = [];
  let b = base;
  for (const r of rs) {
    if (r.start >= end || r.end <= b) {
      out.push(r);
      continue;
    }
    if (r.start > b) out.push({ start: b, end: r.start, nid });
    out.push(r);
    b = min(r.end, end);
  }
  if (b < end) out.push({ start: b, end, nid });
  out.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  void mb;
  return mergeRegions(out);
}

/** memblock_isolate_range(): split regions at base and end so [base, end) is whole regions. */
function isolate(rs: readonly MemblockRegion[], base: bigint, end: bigint): MemblockRegion[] {
  const out: MemblockRegion[] = [];
  for (const r of rs) {
    if (r.end <= base || r.start >= end) {
      out.push(r);
      continue;
    }
    if (r.start < base) out.push({ start: r.start, end: base, nid: r.nid });
    out.push({ start: max(r.start, base), end: min(r.end, end), nid: r.nid });
    if (r.end > end) out.push({ start: end, end: r.end, nid: r.nid });
  }
  return out;
}

/** memblock_remove_range(): isolate, then drop the regions inside. */
function removeRange(rs: readonly MemblockRegion[], base: bigint, end: bigint): MemblockRegion[] {
  return isolate(rs, base, end).filter((r) => r.end <= base || r.start >= end);
}

/** Subtracts [base, end) from a list of ranges. */
export function subtractRange(rs: readonly Range[], base: bigint, end: bigint): Range[] {
  const out: Range[] = [];
  for (const r of rs) {
    if (r.end <= base || r.start >= end) {
      out.push(r);
      continue;
    }
    if (r.start < base) out.push({ start: r.start, end: base });
    if (r.end > end) out.push({ start: end, end: r.end });
  }
  return out;
}

/** memblock_add(base, size): RAM the kernel may use (nid MAX_NUMNODES until memblock_set_node). */
export function memblockAdd(mb: MemblockState, base: bigint, size: bigint): MemblockState {
  const memory = addRange(mb, mb.memory, base, capEnd(mb, base, size), NO_NODE);
  checkCount(memory, 'memory');
  return { ...mb, memory };
}

/** memblock_remove(base, size): mem=, memmap= and friends. */
export function memblockRemove(mb: MemblockState, base: bigint, size: bigint): MemblockState {
  return { ...mb, memory: removeRange(mb.memory, base, capEnd(mb, base, size)) };
}

export interface Why {
  /** What the reservation is, e.g. "NODE_DATA(1)". */
  readonly why: string;
  /** One-line citation of the kernel code that makes it. */
  readonly source: string;
  /** The stage making it. */
  readonly stage: string;
}

/** memblock_reserve(base, size), recorded in the ledger. */
export function memblockReserve(mb: MemblockState, base: bigint, size: bigint, w: Why): MemblockState {
  const end = capEnd(mb, base, size);
  const reserved = addRange(mb, mb.reserved, base, end, NO_NODE);
  checkCount(reserved, 'reserved');
  const entry: LedgerEntry = { why: w.why, source: w.source, stage: w.stage, ranges: end > base ? [{ start: base, end }] : [] };
  return { ...mb, reserved, ledger: [...mb.ledger, entry] };
}

/** memblock_phys_free(base, size) (memblock_free() before 5.16 for a physical address): drop it from reserved. */
export function memblockFree(mb: MemblockState, base: bigint, size: bigint): MemblockState {
  const end = capEnd(mb, base, size);
  const ledger = mb.ledger.map((e) => (e.ranges.some((r) => r.start < end && base < r.end) ? { ...e, ranges: subtractRange(e.ranges, base, end) } : e));
  return { ...mb, reserved: removeRange(mb.reserved, base, end), ledger };
}

/** memblock_set_node(base, size, type, nid): isolate, give the regions inside `nid`, merge. */
export function memblockSetNode(mb: MemblockState, base: bigint, size: bigint, which: Which, nid: number): MemblockState {
  const end = capEnd(mb, base, size);
  const rs = isolate(mb[which], base, end).map((r) => (r.start >= base && r.end <= end ? { ...r, nid } : r));
  const merged = mergeRegions(rs);
  checkCount(merged, which);
  return { ...mb, [which]: merged };
}

/** memblock_trim_memory(align): cut memory regions to whole `align` units; drop what is left empty. */
export function memblockTrimMemory(mb: MemblockState, align: bigint): MemblockState {
  const memory: MemblockRegion[] = [];
  for (const r of mb.memory) {
    const start = ALIGN(r.start, align);
    const end = ALIGN_DOWN(r.end, align);
    if (start < end) memory.push({ start, end, nid: r.nid });
  }
  return { ...mb, memory };
}

/** memblock_set_current_limit(limit) */
export const memblockSetCurrentLimit = (mb: MemblockState, limit: bigint): MemblockState => ({ ...mb, currentLimit: limit });

/** memblock_set_bottom_up(enable) */
export const memblockSetBottomUp = (mb: MemblockState, bottomUp: boolean): MemblockState => ({ ...mb, bottomUp });

// ---------------------------------------------------------------------------------------------
// Queries

export const memoryRanges = (mb: MemblockState): readonly MemblockRegion[] => mb.memory;
export const reservedRanges = (mb: MemblockState): readonly MemblockRegion[] => mb.reserved;

/** memblock_phys_mem_size() */
export const memblockPhysMemSize = (mb: MemblockState): bigint => mb.memory.reduce((n, r) => n + (r.end - r.start), 0n);
/** memblock_start_of_DRAM() */
export const memblockStartOfDram = (mb: MemblockState): bigint => mb.memory[0]?.start ?? 0n;
/** memblock_end_of_DRAM() */
export const memblockEndOfDram = (mb: MemblockState): bigint => mb.memory[mb.memory.length - 1]?.end ?? 0n;

/** Bytes of memblock.reserved inside `range`. */
export function reservedBytesIn(mb: MemblockState, range: Range): bigint {
  let n = 0n;
  for (const r of mb.reserved) {
    const s = max(r.start, range.start);
    const e = min(r.end, range.end);
    if (s < e) n += e - s;
  }
  return n;
}

/**
 * for_each_free_mem_range(i, nid, MEMBLOCK_NONE, …) (__next_mem_range): memory regions of `nid`
 * (any with NUMA_NO_NODE) minus reserved, ascending. Each range carries the memory region's node.
 */
export function freeRanges(mb: MemblockState, nid: number = NUMA_NO_NODE): MemblockRegion[] {
  const out: MemblockRegion[] = [];
  const rs = mb.reserved;
  let j = 0; // both arrays ascending: one sweep
  for (const m of mb.memory) {
    if (nid !== NUMA_NO_NODE && m.nid !== nid) continue;
    while (j < rs.length && rs[j]!.end <= m.start) j++;
    let at = m.start;
    for (let k = j; k < rs.length && rs[k]!.start < m.end; k++) {
      const r = rs[k]!;
      if (r.start > at) out.push({ start: at, end: r.start, nid: m.nid });
      if (r.end > at) at = r.end;
    }
    if (at < m.end) out.push({ start: at, end: m.end, nid: m.nid });
  }
  return out;
}

/** Pages a free range gives the buddy allocator: PFN_UP(start) … PFN_DOWN(end) (mm/memblock.c __free_memory_core). */
export const wholePages = (r: Range): bigint => {
  const s = PFN_UP(r.start);
  const e = PFN_DOWN(r.end);
  return e > s ? e - s : 0n;
};

/** Present pages: Σ over memory regions of PFN_DOWN(end) − PFN_UP(start) (the memory regions are page-trimmed). */
export const memoryPages = (mb: MemblockState, nid: number = NUMA_NO_NODE): bigint =>
  mb.memory.filter((m) => nid === NUMA_NO_NODE || m.nid === nid).reduce((n, m) => n + wholePages(m), 0n);

/** Pages of memory that are not whole free pages, in [lo, hi): what memblock_free_all leaves reserved there. */
export function reservedPagesIn(mb: MemblockState, lo = 0n, hi = ULLONG_MAX): bigint {
  let total = 0n;
  let free = 0n;
  for (const m of mb.memory) {
    const s = max(m.start, lo);
    const e = min(m.end, hi);
    if (s < e) total += wholePages({ start: s, end: e });
  }
  for (const f of freeRanges(mb)) {
    const s = max(f.start, lo);
    const e = min(f.end, hi);
    if (s < e) free += wholePages({ start: s, end: e });
  }
  return total - free;
}

// ---------------------------------------------------------------------------------------------
// Allocation

export interface FindRequest {
  readonly size: bigint;
  readonly align: bigint;
  /** Lowest address; default 0 (MEMBLOCK_LOW_LIMIT). */
  readonly start?: bigint;
  /** One past the highest address; default MEMBLOCK_ALLOC_ACCESSIBLE (= current_limit). */
  readonly end?: bigint;
  /** Node; default NUMA_NO_NODE. */
  readonly nid?: number;
}

/** memblock_find_in_range_node(): the address a request would get, or undefined. */
export function memblockFindInRangeNode(mb: MemblockState, req: FindRequest): bigint | undefined {
  return findInRangeNode(mb, req)?.addr;
}

/**
 * Where a request lands: the address and, top-down, the floor of the free range it came from
 * (clipped to the request's bounds), below which a repeat of the request cannot go in that range.
 */
interface Found {
  readonly addr: bigint;
  /** Top-down only; undefined bottom-up. */
  readonly floor?: bigint;
}

function findInRangeNode(mb: MemblockState, req: FindRequest): Found | undefined {
  let start = req.start ?? 0n;
  let end = req.end ?? MEMBLOCK_ALLOC_ACCESSIBLE;
  // "pump up @end"
  if (end === MEMBLOCK_ALLOC_ACCESSIBLE) end = mb.currentLimit;
  // "avoid allocating the first page"
  start = max(start, PAGE_SIZE);
  end = max(start, end);
  const { size, align } = req;
  const free = freeRanges(mb, req.nid ?? NUMA_NO_NODE);
  if (mb.bottomUp) {
    // __memblock_find_range_bottom_up()
    for (const f of free) {
      const s = f.start < start ? start : f.start > end ? end : f.start;
      const e = f.end < start ? start : f.end > end ? end : f.end;
      const cand = ALIGN(s, align);
      if (cand < e && e - cand >= size) return { addr: cand };
    }
    return undefined;
  }
  // __memblock_find_range_top_down()
  for (let i = free.length - 1; i >= 0; i--) {
    const f = free[i]!;
    const s = f.start < start ? start : f.start > end ? end : f.start;
    const e = f.end < start ? start : f.end > end ? end : f.end;
    if (e < size) continue;
    const cand = ALIGN_DOWN(e - size, align);
    if (cand >= s) return { addr: cand, floor: s };
  }
  return undefined;
}

/** An allocation made: the new state, its address and (top-down) the floor of the free range it came from. */
export interface Allocated extends Found {
  readonly mb: MemblockState;
}

export interface AllocRequest extends FindRequest, Why {
  /** memblock_alloc_exact_nid_raw: no fallback to other nodes. Default false. */
  readonly exactNid?: boolean;
}

/**
 * memblock_alloc_range_nid(): find, reserve; with a node that has no room (and !exact_nid),
 * retry on any node. Returns undefined where the kernel returns 0.
 */
export function memblockAllocRangeNid(mb: MemblockState, req: AllocRequest): Allocated | undefined {
  const align = req.align === 0n ? SMP_CACHE_BYTES : req.align;
  const nid = req.nid ?? NUMA_NO_NODE;
  let found = findInRangeNode(mb, { ...req, align, nid });
  if (found === undefined && nid !== NUMA_NO_NODE && !req.exactNid) found = findInRangeNode(mb, { ...req, align, nid: NUMA_NO_NODE });
  if (found === undefined) return undefined;
  return { mb: memblockReserve(mb, found.addr, req.size, req), addr: found.addr, ...(found.floor !== undefined ? { floor: found.floor } : {}) };
}

/**
 * memblock_alloc_try_nid() / memblock_alloc() / memblock_phys_alloc_try_nid() via
 * memblock_alloc_internal(): max_addr above current_limit is lowered to it; failing with a
 * min_addr, retry from 0. A failure is the kernel's panic ("Failed to allocate …"): refused here.
 */
export function memblockAlloc(mb: MemblockState, req: AllocRequest): Allocated {
  let end = req.end ?? MEMBLOCK_ALLOC_ACCESSIBLE;
  if (end > mb.currentLimit) end = mb.currentLimit;
  const r = memblockAllocRangeNid(mb, { ...req, end })
    ?? ((req.start ?? 0n) !== 0n ? memblockAllocRangeNid(mb, { ...req, start: 0n, end }) : undefined);
  if (!r) {
    throw new SimError('SIM_NOT_MODELLED', req.stage, `memblock: no room for ${req.why} (${req.size} bytes, align ${req.align}); the kernel panics here, which is not modelled`);
  }
  return r;
}

/** memblock_phys_alloc_range(size, align, start, end): no current_limit clamp, any node. */
export function memblockPhysAllocRange(mb: MemblockState, req: AllocRequest): Allocated {
  const r = memblockAllocRangeNid(mb, { ...req, nid: NUMA_NO_NODE });
  if (!r) throw new SimError('SIM_NOT_MODELLED', req.stage, `memblock: no room for ${req.why} in [${req.start ?? 0n}, ${req.end ?? 0n}); the kernel panics or falls back here, which is not modelled`);
  return r;
}

export interface RepeatOptions {
  /** The allocator each one goes through. Default: 'alloc' (memblockAlloc). */
  readonly via?: 'alloc' | 'phys-range';
  /** The why of the i-th allocation (from 0), as a refusal names it. Default: the request's why. */
  readonly whyOf?: (i: bigint) => string;
  /** The ledger's why for all `count` of them, when more than one. Default: "<why> ×<count>". */
  readonly blockWhy?: (count: bigint) => string;
}

/**
 * `count` successive identical allocations, as `count` calls of memblockAlloc (or
 * memblockPhysAllocRange) would make them, recorded as one ledger entry. Top-down with size a
 * multiple of align, once one lands at `addr` in a free range, the next ones land at addr − size,
 * addr − 2·size … down to that range's floor: the free ranges above it and the attempts that failed
 * before it (other node, min_addr) stay as they were or shrink, so they keep failing. Each free
 * range thus costs one real allocation, however many pages go there. Bottom-up goes one at a time.
 */
export function memblockAllocRepeat(mb: MemblockState, req: AllocRequest, count: bigint, opts: RepeatOptions = {}): { mb: MemblockState; ranges: Range[] } {
  const via = opts.via === 'phys-range' ? memblockPhysAllocRange : memblockAlloc;
  const align = req.align === 0n ? SMP_CACHE_BYTES : req.align;
  const batches = req.size > 0n && req.size % align === 0n;
  const ledgerFrom = mb.ledger.length;
  let ranges: Range[] = [];
  let done = 0n;
  while (done < count) {
    const r = via(mb, { ...req, why: opts.whyOf ? opts.whyOf(done) : req.why });
    mb = r.mb;
    done++;
    let lo = r.addr;
    const more = batches && r.floor !== undefined ? min(count - done, (r.addr - r.floor) / req.size) : 0n;
    if (more > 0n) {
      // the first one is in already, so the region count can only stay or drop: checkCount as each would
      lo = r.addr - more * req.size;
      const reserved = addRange(mb, mb.reserved, lo, r.addr, NO_NODE);
      checkCount(reserved, 'reserved');
      mb = { ...mb, reserved };
      done += more;
    }
    ranges = addToSorted(ranges, lo, capEnd(mb, r.addr, req.size));
  }
  if (done > 1n) {
    const entry: LedgerEntry = { why: opts.blockWhy ? opts.blockWhy(done) : `${req.why} ×${done}`, source: req.source, stage: req.stage, ranges, count: done };
    mb = { ...mb, ledger: [...mb.ledger.slice(0, ledgerFrom), entry] };
  }
  return { mb, ranges };
}

// ---------------------------------------------------------------------------------------------
// The ledger at memblock_free_all

export interface LedgerShare {
  readonly why: string;
  readonly source: string;
  readonly stage: string;
  /** Pages of memory this entry keeps from the buddy allocator that no earlier entry already kept. */
  readonly pages: bigint;
}

/**
 * Splits the reserved pages (memory pages that are not whole free pages) among the ledger entries,
 * first come first counted: a page touched by a reservation is reserved (__free_memory_core frees
 * PFN_UP(start)…PFN_DOWN(end) of each free range). Entries that keep no page are left out.
 */
export function ledgerShares(mb: MemblockState): LedgerShare[] {
  const out: LedgerShare[] = [];
  // what earlier entries already kept: one sorted, merged list, so each entry costs a pass over it
  let counted: Range[] = [];
  for (const e of mb.ledger) {
    let pages = 0n;
    for (const r of e.ranges) {
      // the pages this range touches, inside memory
      const ps = ALIGN_DOWN(r.start, PAGE_SIZE);
      const pe = ALIGN(r.end, PAGE_SIZE);
      for (const m of mb.memory) {
        const s = max(ps, m.start);
        const en = min(pe, m.end);
        if (s >= en) continue;
        for (const p of uncoveredIn(counted, s, en)) pages += (p.end - p.start) >> PAGE_SHIFT;
        counted = addToSorted(counted, s, en);
      }
    }
    if (pages > 0n) out.push({ why: e.why, source: e.source, stage: e.stage, pages });
  }
  return out;
}
