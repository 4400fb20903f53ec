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
import { addToSorted, type Range } from '../lib/ranges.ts';
import { ALIGN, ALIGN_DOWN, PAGE_SIZE, PAGE_SHIFT, PFN_DOWN, PFN_UP, ULLONG_MAX } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { slice, withSlice } from '../state.ts';

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
/**
 * mm/memblock.c INIT_MEMBLOCK_REGIONS (128; INIT_MEMBLOCK_MEMORY_REGIONS and
 * INIT_MEMBLOCK_RESERVED_REGIONS default to it, and x86 overrides neither, 5.10–7.2): the static
 * arrays' size. Past it memblock_double_array() doubles the array with a memblock allocation of its own.
 */
export const INIT_MEMBLOCK_REGIONS = 128;

/** include/linux/memblock.h enum memblock_flags (6.12): what a region is marked with. */
export const MEMBLOCK_NONE = 0x0;
export const MEMBLOCK_HOTPLUG = 0x1;
export const MEMBLOCK_MIRROR = 0x2;
export const MEMBLOCK_NOMAP = 0x4;
export const MEMBLOCK_DRIVER_MANAGED = 0x8;
export const MEMBLOCK_RSRV_NOINIT = 0x10;

/** One entry of memblock.memory or memblock.reserved. */
export interface MemblockRegion extends Range {
  /** The node, or NO_NODE (MAX_NUMNODES in the kernel). */
  readonly nid: number;
  /** enum memblock_flags: MEMBLOCK_NONE unless memblock_add_node or memblock_mark_* set some. */
  readonly flags: number;
}

/**
 * sizeof(struct memblock_region) (include/linux/memblock.h: phys_addr_t base, size; enum
 * memblock_flags flags; int nid under CONFIG_NUMA): what memblock_double_array() sizes the new
 * array by. u64 is 8-aligned on x86_64 and 4-aligned on i386 (the i386 psABI).
 */
export function memblockRegionBytes(physAddrBits: 32 | 64, numa: boolean, arch: 'x86_64' | 'i386'): bigint {
  const addr = physAddrBits === 64 ? 8n : 4n;
  const raw = 2n * addr + 4n + (numa ? 4n : 0n);
  const align = arch === 'x86_64' ? addr : 4n;
  return ALIGN(raw, align);
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
  /** The kernel function that makes it, as Why.caller gives it (harness/compare/ledger.ts compares it with memblock=debug). */
  readonly caller?: string;
  /** What was reserved when it was made, before any memblock_phys_free: the address memblock=debug prints. */
  readonly made?: readonly Range[];
  /** Why memblock=debug does not print it (Why.notPrinted). */
  readonly notPrinted?: string;
}

export interface MemblockState {
  /** memblock.memory.regions[0 … cnt): sorted, never overlapping, neighbours merged unless node or flags differ. */
  readonly memory: readonly MemblockRegion[];
  readonly reserved: readonly MemblockRegion[];
  /** memblock.memory.max / memblock.reserved.max: INIT_MEMBLOCK_REGIONS until memblock_double_array() doubles it. */
  readonly max: Readonly<Record<Which, number>>;
  /**
   * type->total_size as mm/memblock.c keeps it: memblock_insert_region adds, memblock_remove_region
   * subtracts, and memblock_trim_memory() changes regions without updating it (6.12).
   */
  readonly totalSize: Readonly<Record<Which, bigint>>;
  /** memblock_can_resize: set by memblock_allow_resize() (e820__memblock_setup on x86). */
  readonly canResize: boolean;
  /** Where a doubled array lives, [addr, addr + PAGE_ALIGN(new size)); absent while the static one is used. */
  readonly arrays: Readonly<Partial<Record<Which, Range>>>;
  /** sizeof(struct memblock_region), see memblockRegionBytes(). */
  readonly regionBytes: bigint;
  /**
   * What memblock.<type>.cnt reads for an empty array: 1 while the kernel keeps an "empty dummy
   * entry" (5.10.223, 6.1.192: .cnt = 1, memblock_remove_region resets cnt to 1), 0 in 6.12.115.
   */
  readonly emptyCnt: 0 | 1;
  /** memblock.current_limit; MEMBLOCK_ALLOC_ANYWHERE until setup_arch lowers it. */
  readonly currentLimit: bigint;
  /** memblock.bottom_up (memblock_set_bottom_up). */
  readonly bottomUp: boolean;
  /** Every memblock_reserve and allocation, in order, with what is left of it. */
  readonly ledger: readonly LedgerEntry[];
  /** The largest physical address + 1 (PHYS_ADDR_MAX + 1): 2^64 with 64-bit phys_addr_t, 2^32 on 686 without PAE. */
  readonly physLimit: bigint;
}

export interface MemblockInitOptions {
  /** sizeof(struct memblock_region). Default: 24n (x86_64 with CONFIG_NUMA, as the amd64 BTF says). */
  readonly regionBytes?: bigint;
  /** What cnt reads for an empty array (MemblockState.emptyCnt). Default: 0 (6.12). */
  readonly emptyCnt?: 0 | 1;
}

export function memblockInit(physAddrBits: 32 | 64 = 64, opts: MemblockInitOptions = {}): MemblockState {
  return {
    memory: [], reserved: [], max: { memory: INIT_MEMBLOCK_REGIONS, reserved: INIT_MEMBLOCK_REGIONS }, totalSize: { memory: 0n, reserved: 0n },
    canResize: false, arrays: {}, regionBytes: opts.regionBytes ?? 24n, emptyCnt: opts.emptyCnt ?? 0,
    currentLimit: MEMBLOCK_ALLOC_ANYWHERE, bottomUp: false, ledger: [], physLimit: 1n << BigInt(physAddrBits),
  };
}

export function memblockStateOf(state: BootState): MemblockState {
  return slice(state, 'memblock');
}

/** Returns `state` with its memblock slice replaced. */
export const withMemblock = (state: BootState, memblock: MemblockState): BootState => withSlice(state, 'memblock', memblock);

// ---------------------------------------------------------------------------------------------
// Region array operations
//
// These follow mm/memblock.c (6.12) step by step on the two arrays: memblock_add_range counts
// the pieces to insert, doubles the array while they do not fit, inserts and merges around them;
// memblock_isolate_range splits at the bounds (doubling first when two more might not fit).

export type Which = 'memory' | 'reserved';

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** memblock_cap_size(): clamp so base + size does not pass PHYS_ADDR_MAX. */
function capEnd(mb: MemblockState, base: bigint, size: bigint): bigint {
  // base + min(size, PHYS_ADDR_MAX - base): base + size when that is at most PHYS_ADDR_MAX, else PHYS_ADDR_MAX
  const end = base + size;
  return end < mb.physLimit ? end : mb.physLimit - 1n;
}

/**
 * The index of the first region (or range) ending above `addr` (length when none does): the array is
 * sorted and never overlapping, so the ends ascend and a binary search finds where the kernel's
 * linear walk over the array starts doing anything.
 */
function firstEndingAbove(rs: readonly { readonly end: bigint }[], addr: bigint): number {
  let lo = 0;
  let hi = rs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rs[mid]!.end <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A region built field by field, in MemblockRegion's key order: V8 copies a `{ ...r, end }` spread
 * generically, and the free and isolate walks make one per region they split.
 */
const region = (start: bigint, end: bigint, nid: number, flags: number): MemblockRegion => ({ start, end, nid, flags });

/** Returns `mb` with one array and its total_size replaced. */
const withType = (mb: MemblockState, which: Which, regions: readonly MemblockRegion[], totalSize: bigint): MemblockState =>
  which === 'memory'
    ? withArrays(mb, regions, mb.reserved, { memory: totalSize, reserved: mb.totalSize.reserved }, mb.ledger)
    : withArrays(mb, mb.memory, regions, { memory: mb.totalSize.memory, reserved: totalSize }, mb.ledger);

/**
 * `mb` with its arrays, total sizes and ledger replaced: every field named, in memblockInit()'s
 * order, so that the per-call copy is one object of one shape (a `{ ...mb }` spread is copied generically).
 */
const withArrays = (mb: MemblockState, memory: readonly MemblockRegion[], reserved: readonly MemblockRegion[], totalSize: Readonly<Record<Which, bigint>>, ledger: readonly LedgerEntry[]): MemblockState => ({
  memory, reserved, max: mb.max, totalSize, canResize: mb.canResize, arrays: mb.arrays, regionBytes: mb.regionBytes, emptyCnt: mb.emptyCnt,
  currentLimit: mb.currentLimit, bottomUp: mb.bottomUp, ledger, physLimit: mb.physLimit,
});

/**
 * memblock_merge_regions(type, start_rgn, end_rgn) (6.12): from start_rgn − 1 to end_rgn, a region
 * that ends where the next starts, with the same node and flags, absorbs it. (6.1.192 scans the
 * whole array; as every array is kept merged, the two give the same result.)
 */
function mergeRegions(rs: MemblockRegion[], startRgn: number, endRgn: number): MemblockRegion[] {
  let i = startRgn > 0 ? startRgn - 1 : 0;
  let end = Math.min(endRgn, rs.length - 1);
  while (i < end) {
    const a = rs[i]!;
    const b = rs[i + 1]!;
    if (a.end !== b.start || a.nid !== b.nid || a.flags !== b.flags) {
      i++;
      continue;
    }
    rs.splice(i, 2, region(a.start, b.end, a.nid, a.flags));
    end--;
  }
  return rs;
}

/**
 * memblock_add_range(type, base, size, nid, flags): insert the parts of [base, base + size) no
 * region covers yet, with `nid` and `flags`; overlaps leave existing regions as they are.
 */
function addRange(mb: MemblockState, which: Which, base: bigint, size: bigint, nid: number, flags: number): MemblockState {
  const end = capEnd(mb, base, size);
  if (end <= base) return mb; // "if (!size) return 0"
  // "special case for empty array"
  if (mb[which].length === 0) return withType(mb, which, [{ start: base, end, nid, flags }], end - base);
  // "if type->cnt * 2 + 1 <= type->max, … we can insert regions directly"
  let insert = mb[which].length * 2 + 1 <= mb.max[which];
  for (;;) {
    const rs = mb[which];
    const pieces: { at: number; start: bigint; end: bigint }[] = [];
    let b = base;
    // the regions before `first` end at or below base, so the kernel's walk skips them
    const first = firstEndingAbove(rs, base);
    let idx = first;
    for (; idx < rs.length; idx++) {
      const r = rs[idx]!;
      if (r.start >= end) break;
      if (r.end <= b) continue;
      if (r.start > b) pieces.push({ at: idx, start: b, end: r.start });
      b = min(r.end, end);
    }
    // idx: the first region at or above end (or cnt), where the tail piece goes
    if (b < end) pieces.push({ at: idx, start: b, end });
    if (pieces.length === 0) return mb;
    if (!insert) {
      // "resize array and repeat for actual insertions"
      while (mb[which].length + pieces.length > mb.max[which]) mb = memblockDoubleArray(mb, which, base, end - base);
      insert = true;
      continue;
    }
    // the regions before the first piece and after the last one are copied as they are
    const last = pieces[pieces.length - 1]!.at;
    const out: MemblockRegion[] = rs.slice(0, first);
    let startRgn = -1;
    let endRgn = 0;
    let p = 0;
    for (let at = first; at <= last; at++) {
      while (p < pieces.length && pieces[p]!.at === at) {
        if (startRgn === -1) startRgn = out.length;
        out.push({ start: pieces[p]!.start, end: pieces[p]!.end, nid, flags });
        endRgn = out.length;
        p++;
      }
      if (at < rs.length && at < last) out.push(rs[at]!);
    }
    for (let at = last; at < rs.length; at++) out.push(rs[at]!);
    const added = pieces.reduce((n, q) => n + (q.end - q.start), 0n);
    return withType(mb, which, mergeRegions(out, startRgn, endRgn), mb.totalSize[which] + added);
  }
}

/**
 * memblock_isolate_range(type, base, size): split the regions crossing base or base + size, so
 * the range is whole regions [startRgn, endRgn) (both 0 when none is inside). Doubles the array
 * first while two more regions might not fit.
 */
function isolate(mb: MemblockState, which: Which, base: bigint, size: bigint): { mb: MemblockState; startRgn: number; endRgn: number } {
  const end = capEnd(mb, base, size);
  if (end <= base) return { mb, startRgn: 0, endRgn: 0 };
  while (mb[which].length + 2 > mb.max[which]) mb = memblockDoubleArray(mb, which, base, end - base);
  const rs = mb[which];
  // the regions below `first` end at or below base and stay as they are, as do those from end up
  let i = firstEndingAbove(rs, base);
  const out: MemblockRegion[] = rs.slice(0, i);
  let startRgn = 0;
  let endRgn = 0;
  for (; i < rs.length; i++) {
    const r = rs[i]!;
    if (r.start >= end) break;
    if (r.start < base) out.push(region(r.start, base, r.nid, r.flags));
    if (endRgn === 0) startRgn = out.length;
    out.push(region(max(r.start, base), min(r.end, end), r.nid, r.flags));
    endRgn = out.length;
    if (r.end > end) out.push(region(end, r.end, r.nid, r.flags));
  }
  for (; i < rs.length; i++) out.push(rs[i]!);
  return { mb: { ...mb, [which]: out }, startRgn, endRgn };
}

/** memblock_remove_range(): isolate, then memblock_remove_region() each region inside. */
function removeRange(mb: MemblockState, which: Which, base: bigint, size: bigint): MemblockState {
  const iso = isolate(mb, which, base, size);
  const rs = iso.mb[which];
  const gone = rs.slice(iso.startRgn, iso.endRgn).reduce((n, r) => n + (r.end - r.start), 0n);
  return withType(iso.mb, which, [...rs.slice(0, iso.startRgn), ...rs.slice(iso.endRgn)], iso.mb.totalSize[which] - gone);
}

/**
 * memblock_double_array(type, new_area_start, new_area_size) (6.12): before slab is up, the new
 * array (twice type->max entries, PAGE_ALIGNed) is found with memblock_find_in_range above the
 * area being reserved (for memblock.reserved only), else below it; the old array is freed when
 * it came from memblock, and the new one is reserved. Without memblock_allow_resize() the kernel
 * panics ("memblock: cannot resize %s array"); with no room it fails the add with -ENOMEM.
 */
export function memblockDoubleArray(mb: MemblockState, which: Which, newAreaStart: bigint, newAreaSize: bigint): MemblockState {
  if (!mb.canResize) throw new SimError('SIM_NOT_MODELLED', 'memblock', `memblock: cannot resize ${which} array (memblock_double_array before memblock_allow_resize: the kernel panics)`);
  const oldSize = BigInt(mb.max[which]) * mb.regionBytes;
  const oldAllocSize = ALIGN(oldSize, PAGE_SIZE);
  const newAllocSize = ALIGN(oldSize << 1n, PAGE_SIZE);
  // "only exclude range when trying to double reserved.regions"
  if (which !== 'reserved') newAreaStart = newAreaSize = 0n;
  let addr = memblockFindInRangeNode(mb, { size: newAllocSize, align: PAGE_SIZE, start: newAreaStart + newAreaSize, end: mb.currentLimit });
  if (addr === undefined && newAreaSize !== 0n) addr = memblockFindInRangeNode(mb, { size: newAllocSize, align: PAGE_SIZE, start: 0n, end: min(newAreaStart, mb.currentLimit) });
  if (addr === undefined) {
    throw new SimError('SIM_NOT_MODELLED', 'memblock', `memblock: Failed to double ${which} array from ${mb.max[which]} to ${mb.max[which] * 2} entries ! (the add then fails with -ENOMEM, which is not modelled)`);
  }
  const old = mb.arrays[which];
  mb = { ...mb, max: { ...mb.max, [which]: mb.max[which] * 2 }, arrays: { ...mb.arrays, [which]: { start: addr, end: addr + newAllocSize } } };
  // "Free old array. We needn't free it if the array is the static one"
  if (old) mb = memblockFree(mb, old.start, oldAllocSize);
  return memblockReserve(mb, addr, newAllocSize, {
    why: `memblock.${which} regions array (${mb.max[which]} entries)`, source: 'mm/memblock.c: memblock_double_array() (6.12)', stage: 'memblock', caller: 'memblock_double_array',
  });
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
  return addRange(mb, 'memory', base, size, NO_NODE, MEMBLOCK_NONE);
}

/** memblock_add_node(base, size, nid, flags): RAM of a known node, e.g. MEMBLOCK_HOTPLUG from SRAT. */
export function memblockAddNode(mb: MemblockState, base: bigint, size: bigint, nid: number, flags: number): MemblockState {
  return addRange(mb, 'memory', base, size, nid, flags);
}

/** memblock_remove(base, size): mem=, memmap= and friends. */
export function memblockRemove(mb: MemblockState, base: bigint, size: bigint): MemblockState {
  return removeRange(mb, 'memory', base, size);
}

export interface Why {
  /** What the reservation is, e.g. "NODE_DATA(1)". */
  readonly why: string;
  /** One-line citation of the kernel code that makes it. */
  readonly source: string;
  /** The stage making it. */
  readonly stage: string;
  /**
   * The kernel function that calls the memblock API, with the callers it may be inlined into or
   * tail-called from, outermost first: 'setup_arch > reserve_brk'. memblock=debug's %pS names one of them.
   */
  readonly caller?: string;
  /**
   * Why memblock=debug does not print this one, e.g. made before parse_early_param() sets
   * memblock_debug. Default: it is printed.
   */
  readonly notPrinted?: string;
}

/** The ledger fields of a Why: what memblockReserve and memblockAllocRepeat record besides the ranges. */
const ledgerWhy = (w: Why): Pick<LedgerEntry, 'caller' | 'notPrinted'> => ({
  ...(w.caller !== undefined ? { caller: w.caller } : {}), ...(w.notPrinted !== undefined ? { notPrinted: w.notPrinted } : {}),
});

/** memblock_reserve(base, size), recorded in the ledger. */
export function memblockReserve(mb: MemblockState, base: bigint, size: bigint, w: Why): MemblockState {
  const end = capEnd(mb, base, size);
  const next = addRange(mb, 'reserved', base, size, NO_NODE, MEMBLOCK_NONE);
  const ranges = end > base ? [{ start: base, end }] : [];
  const entry: LedgerEntry = { why: w.why, source: w.source, stage: w.stage, ranges, made: ranges, ...ledgerWhy(w) };
  const ledger = next.ledger.slice();
  ledger.push(entry);
  return withArrays(next, next.memory, next.reserved, next.totalSize, ledger);
}

/** memblock_phys_free(base, size) (memblock_free() before 5.16 for a physical address): drop it from reserved. */
export function memblockFree(mb: MemblockState, base: bigint, size: bigint): MemblockState {
  const end = capEnd(mb, base, size);
  const next = removeRange(mb, 'reserved', base, size);
  const ledger = next.ledger.map((e) => (e.ranges.some((r) => r.start < end && base < r.end) ? { ...e, ranges: subtractRange(e.ranges, base, end) } : e));
  return withArrays(next, next.memory, next.reserved, next.totalSize, ledger);
}

/**
 * `frees.length` successive memblockFree calls, in order, with the same result: one reserved array
 * and one ledger are edited in place for the whole batch instead of copied per call (pcpu_embed_first_chunk
 * gives back one tail per unit). A free that would make memblock_isolate_range() double the array
 * goes through memblockFree itself, so memblock_double_array() runs where and as the loop would run it.
 */
export function memblockFreeMany(mb0: MemblockState, frees: readonly { readonly base: bigint; readonly size: bigint }[]): MemblockState {
  let mb = mb0;
  let rs: MemblockRegion[] | undefined;
  let ledger: LedgerEntry[] = [];
  let total = 0n;
  // per ledger entry: the bounds of its ranges when the batch began (what is subtracted only
  // shrinks them, so an entry outside them has nothing to give back), and once a free touched it,
  // its ranges copied and edited in place when they are sorted and disjoint (as memblockReserve,
  // memblockAllocRepeat and subtractRange keep them), by subtractRange otherwise
  let bounds: ({ lo: bigint; hi: bigint } | undefined)[] = [];
  // the entries whose bounds meet the hull of the whole batch, ascending: no free can touch the others
  let touched: number[] = [];
  let owned = new Map<number, { ranges: Range[]; sorted: boolean }>();
  let hullLo = ULLONG_MAX;
  let hullHi = 0n;
  for (const { base, size } of frees) {
    const end = capEnd(mb, base, size);
    if (end <= base) continue;
    if (base < hullLo) hullLo = base;
    if (end > hullHi) hullHi = end;
  }
  const flush = (): void => {
    if (rs) {
      for (const [k, o] of owned) ledger[k] = { ...ledger[k]!, ranges: o.ranges };
      mb = { ...mb, reserved: rs, totalSize: { ...mb.totalSize, reserved: total }, ledger };
    }
    rs = undefined;
    owned = new Map();
  };
  for (const { base, size } of frees) {
    const end = capEnd(mb, base, size);
    if (end <= base || (rs ?? mb.reserved).length + 2 > mb.max.reserved) {
      // memblock_isolate_range() doubles first, or the free is empty (it removes nothing but
      // memblockFree still splits a ledger range at base): the one-call path, with everything it does
      flush();
      mb = memblockFree(mb, base, size);
      continue;
    }
    if (!rs) {
      rs = mb.reserved.slice();
      ledger = mb.ledger.slice();
      total = mb.totalSize.reserved;
      bounds = ledger.map((e) => (e.ranges.length === 0 ? undefined : e.ranges.reduce((b, r) => ({ lo: min(b.lo, r.start), hi: max(b.hi, r.end) }), { lo: e.ranges[0]!.start, hi: e.ranges[0]!.end })));
      touched = [];
      bounds.forEach((b, k) => {
        if (b !== undefined && b.lo < hullHi && hullLo < b.hi) touched.push(k);
      });
    }
    // memblock_isolate_range() then memblock_remove_region() of the regions inside: what is left of
    // the regions crossing [base, end) is the part below base of the first and above end of the last
    const first = firstEndingAbove(rs, base);
    let last = first;
    const keep: MemblockRegion[] = [];
    for (; last < rs.length; last++) {
      const r = rs[last]!;
      if (r.start >= end) break;
      if (r.start < base) keep.push(region(r.start, base, r.nid, r.flags));
      total -= min(r.end, end) - max(r.start, base);
      if (r.end > end) keep.push(region(end, r.end, r.nid, r.flags));
    }
    rs.splice(first, last - first, ...keep);
    for (const k of touched) {
      const b = bounds[k];
      if (b === undefined || !(b.lo < end && base < b.hi)) continue;
      const o = owned.get(k);
      if (o?.sorted) {
        const ranges = o.ranges;
        // memblockFree's subtractRange on a sorted list: only the ranges crossing [base, end) change
        const lo = firstEndingAbove(ranges, base);
        let j = lo;
        const left: Range[] = [];
        for (; j < ranges.length && ranges[j]!.start < end; j++) {
          const r = ranges[j]!;
          if (r.start < base) left.push({ start: r.start, end: base });
          if (r.end > end) left.push({ start: end, end: r.end });
        }
        if (j > lo) ranges.splice(lo, j - lo, ...left);
        continue;
      }
      const ranges = o?.ranges ?? ledger[k]!.ranges;
      if (!ranges.some((r) => r.start < end && base < r.end)) continue;
      const next = subtractRange(ranges, base, end);
      owned.set(k, { ranges: next, sorted: next.every((r, i) => r.start < r.end && (i === 0 || next[i - 1]!.end <= r.start)) });
    }
  }
  flush();
  return mb;
}

/** memblock_set_node(base, size, type, nid) (CONFIG_NUMA): isolate, give the regions inside `nid`, merge around them. */
export function memblockSetNode(mb: MemblockState, base: bigint, size: bigint, which: Which, nid: number): MemblockState {
  const iso = isolate(mb, which, base, size);
  const rs = iso.mb[which].map((r, i) => (i >= iso.startRgn && i < iso.endRgn ? { ...r, nid } : r));
  return { ...iso.mb, [which]: mergeRegions(rs, iso.startRgn, iso.endRgn) };
}

/** memblock_setclr_flag(type, base, size, set, flag): isolate, set or clear `flag` inside, merge around. */
function setClrFlag(mb: MemblockState, which: Which, base: bigint, size: bigint, set: boolean, flag: number): MemblockState {
  const iso = isolate(mb, which, base, size);
  const rs = iso.mb[which].map((r, i) => (i >= iso.startRgn && i < iso.endRgn ? { ...r, flags: set ? r.flags | flag : r.flags & ~flag } : r));
  return { ...iso.mb, [which]: mergeRegions(rs, iso.startRgn, iso.endRgn) };
}

/** memblock_mark_hotplug(base, size) */
export const memblockMarkHotplug = (mb: MemblockState, base: bigint, size: bigint): MemblockState => setClrFlag(mb, 'memory', base, size, true, MEMBLOCK_HOTPLUG);
/** memblock_clear_hotplug(base, size) */
export const memblockClearHotplug = (mb: MemblockState, base: bigint, size: bigint): MemblockState => setClrFlag(mb, 'memory', base, size, false, MEMBLOCK_HOTPLUG);
/** memblock_mark_nomap(base, size): the range stays memory but no allocation and no free-range walk sees it. */
export const memblockMarkNomap = (mb: MemblockState, base: bigint, size: bigint): MemblockState => setClrFlag(mb, 'memory', base, size, true, MEMBLOCK_NOMAP);
/** memblock_clear_nomap(base, size) */
export const memblockClearNomap = (mb: MemblockState, base: bigint, size: bigint): MemblockState => setClrFlag(mb, 'memory', base, size, false, MEMBLOCK_NOMAP);

/**
 * memblock_trim_memory(align): cut memory regions to whole `align` units; a region left empty is
 * removed (memblock_remove_region subtracts its size), a shrunk one keeps total_size as it was.
 */
export function memblockTrimMemory(mb: MemblockState, align: bigint): MemblockState {
  const memory: MemblockRegion[] = [];
  let totalSize = mb.totalSize.memory;
  for (const r of mb.memory) {
    const start = ALIGN(r.start, align);
    const end = ALIGN_DOWN(r.end, align);
    if (start < end) memory.push({ ...r, start, end });
    else totalSize -= r.end - r.start;
  }
  return withType(mb, 'memory', memory, totalSize);
}

/** memblock_allow_resize(): from here on a full array is doubled instead of panicking. */
export const memblockAllowResize = (mb: MemblockState): MemblockState => ({ ...mb, canResize: true });

/** memblock_overlaps_region(type, base, size): does any region intersect [base, base + size)? */
export function memblockOverlapsRegion(mb: MemblockState, which: Which, base: bigint, size: bigint): boolean {
  const end = capEnd(mb, base, size);
  return mb[which].some((r) => base < r.end && r.start < end);
}

/** memblock.<type>.cnt: the regions in use, or the dummy entry of an empty array where the kernel keeps one. */
export const memblockRegionCount = (mb: MemblockState, which: Which): number => (mb[which].length === 0 ? mb.emptyCnt : mb[which].length);

/** memblock_set_current_limit(limit) */
export const memblockSetCurrentLimit = (mb: MemblockState, limit: bigint): MemblockState => ({ ...mb, currentLimit: limit });

/** memblock_set_bottom_up(enable) */
export const memblockSetBottomUp = (mb: MemblockState, bottomUp: boolean): MemblockState => ({ ...mb, bottomUp });

// ---------------------------------------------------------------------------------------------
// Queries

export const memoryRanges = (mb: MemblockState): readonly MemblockRegion[] => mb.memory;
export const reservedRanges = (mb: MemblockState): readonly MemblockRegion[] => mb.reserved;

/** memblock_phys_mem_size() */
export const memblockPhysMemSize = (mb: MemblockState): bigint => mb.totalSize.memory; // memblock.memory.total_size
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

/** include/linux/numa.h numa_valid_node(): a real node id (NUMA_NO_NODE and MAX_NUMNODES are not). */
const numaValidNode = (nid: number): boolean => nid >= 0;

/**
 * should_skip_region() (6.12) for memblock.memory, asked with MEMBLOCK_NONE: another node's region
 * when a valid node is asked for, and NOMAP and DRIVER_MANAGED regions. (Hotpluggable regions are
 * skipped only under movable_node, which no modelled boot sets; MIRROR is asked for only on a
 * system with mirrored memory, which QEMU never reports.)
 */
function skipRegion(m: MemblockRegion, nid: number): boolean {
  if (numaValidNode(nid) && nid !== m.nid) return true;
  return (m.flags & (MEMBLOCK_NOMAP | MEMBLOCK_DRIVER_MANAGED)) !== 0;
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
    if (skipRegion(m, nid)) continue;
    while (j < rs.length && rs[j]!.end <= m.start) j++;
    let at = m.start;
    for (let k = j; k < rs.length && rs[k]!.start < m.end; k++) {
      const r = rs[k]!;
      if (r.start > at) out.push({ start: at, end: r.start, nid: m.nid, flags: m.flags });
      if (r.end > at) at = r.end;
    }
    if (at < m.end) out.push({ start: at, end: m.end, nid: m.nid, flags: m.flags });
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
  return findInRangeNode(mb, req.size, req.align, req.start, req.end, req.nid ?? NUMA_NO_NODE)?.addr;
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

/** memblock_find_in_range_node(size, align, start, end, nid); the fields of a FindRequest, passed one by one (no request object copied per call). */
function findInRangeNode(mb: MemblockState, size: bigint, align: bigint, reqStart: bigint | undefined, reqEnd: bigint | undefined, nid: number): Found | undefined {
  let start = reqStart ?? 0n;
  let end = reqEnd ?? MEMBLOCK_ALLOC_ACCESSIBLE;
  // "pump up @end"
  if (end === MEMBLOCK_ALLOC_ACCESSIBLE) end = mb.currentLimit;
  // "avoid allocating the first page"
  start = max(start, PAGE_SIZE);
  end = max(start, end);
  if (mb.bottomUp) {
    const free = freeRanges(mb, nid);
    // __memblock_find_range_bottom_up()
    for (const f of free) {
      const s = f.start < start ? start : f.start > end ? end : f.start;
      const e = f.end < start ? start : f.end > end ? end : f.end;
      const cand = ALIGN(s, align);
      if (cand < e && e - cand >= size) return { addr: cand };
    }
    return undefined;
  }
  // __memblock_find_range_top_down(): for_each_free_mem_range_reverse, i.e. freeRanges(mb, nid)
  // from the last one down, made one at a time from the top so that a hit high up stops the walk
  const rs = mb.reserved;
  for (let mi = mb.memory.length - 1; mi >= 0; mi--) {
    const m = mb.memory[mi]!;
    if (skipRegion(m, nid)) continue;
    // the reserved regions crossing m: [lo, hi) (both arrays sorted, never overlapping)
    const lo = firstEndingAbove(rs, m.start);
    let hi = lo;
    for (let step = rs.length - lo; step > 0; ) {
      const half = step >>> 1;
      if (rs[hi + half]!.start < m.end) {
        hi += half + 1;
        step -= half + 1;
      } else step = half;
    }
    let top = m.end;
    for (let k = hi; k >= lo; k--) {
      // the free range between reserved k − 1 and k (m's bounds at either end)
      const fs = k > lo ? rs[k - 1]!.end : m.start;
      const fe = top;
      if (k > lo) top = rs[k - 1]!.start;
      // a free range shorter than size cannot hold it, wherever the bounds clip it (a shortcut:
      // the test below fails for it too, as e - s ≤ fe - fs)
      if (!(fs < fe) || fe - fs < size) continue;
      const s = fs < start ? start : fs > end ? end : fs;
      const e = fe < start ? start : fe > end ? end : fe;
      if (e < size) continue;
      const cand = ALIGN_DOWN(e - size, align);
      if (cand >= s) return { addr: cand, floor: s };
    }
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
  return allocRangeNid(mb, req, req.start, req.end, req.nid ?? NUMA_NO_NODE);
}

/** memblock_alloc_range_nid() with the request's start, end and nid given apart (the callers override them without copying the request). */
function allocRangeNid(mb: MemblockState, req: AllocRequest, start: bigint | undefined, end: bigint | undefined, nid: number): Allocated | undefined {
  const align = req.align === 0n ? SMP_CACHE_BYTES : req.align;
  let found = findInRangeNode(mb, req.size, align, start, end, nid);
  // "if (numa_valid_node(nid) && !exact_nid)": retry on any node
  if (found === undefined && numaValidNode(nid) && !req.exactNid) found = findInRangeNode(mb, req.size, align, start, end, NUMA_NO_NODE);
  if (found === undefined) return undefined;
  return { mb: memblockReserve(mb, found.addr, req.size, req), addr: found.addr, ...(found.floor !== undefined ? { floor: found.floor } : {}) };
}

/**
 * memblock_alloc_internal() (6.12), behind memblock_alloc_try_nid(), memblock_alloc_try_nid_raw()
 * and memblock_alloc_exact_nid_raw() (exactNid): max_addr above current_limit is lowered to it;
 * failing with a min_addr, retry from 0. Undefined where the kernel returns NULL.
 */
export function memblockAllocTryNid(mb: MemblockState, req: AllocRequest): Allocated | undefined {
  let end = req.end ?? MEMBLOCK_ALLOC_ACCESSIBLE;
  if (end > mb.currentLimit) end = mb.currentLimit;
  const nid = req.nid ?? NUMA_NO_NODE;
  return allocRangeNid(mb, req, req.start, end, nid) ?? ((req.start ?? 0n) !== 0n ? allocRangeNid(mb, req, 0n, end, nid) : undefined);
}

/**
 * memblock_alloc() and the other callers that panic on failure (memblock_alloc_or_panic, the
 * boot's "Failed to allocate …"): memblockAllocTryNid, with a failure refused here.
 */
export function memblockAlloc(mb: MemblockState, req: AllocRequest): Allocated {
  const r = memblockAllocTryNid(mb, req);
  if (!r) {
    throw new SimError('SIM_NOT_MODELLED', req.stage, `memblock: no room for ${req.why} (${req.size} bytes, align ${req.align}); the kernel panics here, which is not modelled`);
  }
  return r;
}

/** memblock_phys_alloc_range(size, align, start, end): no current_limit clamp, any node. */
export function memblockPhysAllocRange(mb: MemblockState, req: AllocRequest): Allocated {
  const r = allocRangeNid(mb, req, req.start, req.end, NUMA_NO_NODE);
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
      // the first one is in already and the rest touch it: one memblock_add_range that merges into it
      lo = r.addr - more * req.size;
      mb = addRange(mb, 'reserved', lo, r.addr - lo, NO_NODE, MEMBLOCK_NONE);
      done += more;
    }
    ranges = addToSorted(ranges, lo, capEnd(mb, r.addr, req.size));
  }
  if (done > 1n) {
    const entry: LedgerEntry = { why: opts.blockWhy ? opts.blockWhy(done) : `${req.why} ×${done}`, source: req.source, stage: req.stage, ranges, count: done, made: ranges, ...ledgerWhy(req) };
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
  // what earlier entries already kept: one sorted, merged list, edited in place, each range found by a binary search
  const counted: Range[] = [];
  const firstEnd = (at: bigint, touching: boolean): number => {
    let lo = 0;
    let hi = counted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = counted[mid]!.end;
      if (touching ? e < at : e <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
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
        // uncoveredIn(counted, s, en): the gaps, each counted in whole pages
        let at = s;
        for (let k = firstEnd(s, false); k < counted.length && counted[k]!.start < en; k++) {
          const c = counted[k]!;
          if (c.start > at) pages += (c.start - at) >> PAGE_SHIFT;
          at = c.end;
          if (at >= en) break;
        }
        if (at < en) pages += (en - at) >> PAGE_SHIFT;
        // addToSorted(counted, s, en): the ranges it touches or overlaps merge with it
        const from = firstEnd(s, true);
        let to = from;
        let ns = s;
        let ne = en;
        for (; to < counted.length && counted[to]!.start <= ne; to++) {
          if (counted[to]!.start < ns) ns = counted[to]!.start;
          if (counted[to]!.end > ne) ne = counted[to]!.end;
        }
        counted.splice(from, to - from, { start: ns, end: ne });
      }
    }
    if (pages > 0n) out.push({ why: e.why, source: e.source, stage: e.stage, pages });
  }
  return out;
}
