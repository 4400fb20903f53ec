// models mm/memblock.c of 3.0.1 (memblock_add_region, __memblock_remove, memblock_find_region,
// memblock_find_base: top-down), arch/x86/mm/memblock.c (memblock_x86_reserve_range,
// __get_free_all_memory_range) and mm/nobootmem.c (__alloc_memory_core_early, ___alloc_bootmem_nopanic,
// free_all_memory_core_early) with mm/page_alloc.c find_memory_core_early(): the boot allocator a
// CONFIG_NO_BOOTMEM 3.0.1 build runs from i386_start_kernel() to mem_init().
import type { PfnRange } from './state-30.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';

const WHERE = 'memblock (3.0.1)';

/** A memblock region as [base, end). */
export interface Region30 {
  readonly base: bigint;
  readonly end: bigint;
}

/** One memblock_x86_reserve_range() call: what memblock=debug prints, with who made it. */
export interface Reservation30 {
  readonly base: bigint;
  readonly end: bigint;
  /** The kernel's name ("TEXT DATA BSS", "BRK", "BOOTMEM", …). */
  readonly name: string;
  /** Which call reserved it (alloc_node_mem_map, setup_usemap Normal, …). */
  readonly what: string;
}

/** struct memblock (include/linux/memblock.h, 3.0.1): memory and reserved, each sorted and coalesced, and current_limit. */
export interface Memblock30 {
  readonly memory: readonly Region30[];
  readonly reserved: readonly Region30[];
  readonly currentLimit: bigint;
  /** Every reservation in call order (memblock_x86_reserve_range's ledger). */
  readonly log: readonly Reservation30[];
}

/** INIT_MEMBLOCK_REGIONS (include/linux/memblock.h, 3.0.1). */
export const INIT_MEMBLOCK_REGIONS = 128;
/** MEMBLOCK_ALLOC_ANYWHERE: ~(phys_addr_t)0, 32-bit without PHYS_ADDR_T_64BIT (no PAE). */
const ALLOC_ANYWHERE_32 = 0xffffffffn;

/** memblock_init() (mm/memblock.c, 3.0.1): both arrays empty, current_limit MEMBLOCK_ALLOC_ANYWHERE. */
export function memblockInit30(): Memblock30 {
  return { memory: [], reserved: [], currentLimit: ALLOC_ANYWHERE_32, log: [] };
}

/**
 * memblock_add_region() (mm/memblock.c, 3.0.1): the new range coalesces with every region it overlaps
 * or touches (base ≤ rgn end and end ≥ rgn base), else goes in sorted; the array is doubled when it
 * fills (memblock_double_array), which no boot modelled reaches: refused rather than guessed.
 */
export function addRegion30(regions: readonly Region30[], base: bigint, end: bigint): Region30[] {
  if (end <= base) return [...regions];
  let b = base;
  let e = end;
  const out: Region30[] = [];
  for (const r of regions) {
    if (r.end < b || r.base > e) out.push(r);
    else {
      if (r.base < b) b = r.base;
      if (r.end > e) e = r.end;
    }
  }
  out.push({ base: b, end: e });
  out.sort((x, y) => (x.base < y.base ? -1 : x.base > y.base ? 1 : 0));
  if (out.length >= INIT_MEMBLOCK_REGIONS) throw new SimError('SIM_NOT_MODELLED', WHERE, `memblock_add_region: ${out.length} regions reach INIT_MEMBLOCK_REGIONS ${INIT_MEMBLOCK_REGIONS}; memblock_double_array() is not modelled`);
  return out;
}

/** __memblock_remove() (mm/memblock.c, 3.0.1): [base, end) cut out of every region, a region enclosing it split in two. */
export function removeRegion30(regions: readonly Region30[], base: bigint, end: bigint): Region30[] {
  const out: Region30[] = [];
  for (const r of regions) {
    if (r.end <= base || r.base >= end) out.push(r);
    else {
      if (r.base < base) out.push({ base: r.base, end: base });
      if (r.end > end) out.push({ base: end, end: r.end });
    }
  }
  return out;
}

/**
 * memblock_x86_reserve_range(start, end, name) (arch/x86/mm/memblock.c, 3.0.1): nothing for an empty
 * range, else memblock_reserve(start, end − start) into memblock.reserved.
 */
export function reserve30(mb: Memblock30, base: bigint, end: bigint, name: string, what: string = name): Memblock30 {
  if (base === end) return mb;
  if (base > end) throw new SimError('SIM_NOT_MODELLED', WHERE, `memblock_x86_reserve_range ${what}: wrong range [${base.toString(16)}, ${end.toString(16)})`);
  return { ...mb, reserved: addRegion30(mb.reserved, base, end), log: [...mb.log, { base, end, name, what }] };
}

/** memblock_x86_free_range(start, end) → memblock_free() (3.0.1): [start, end) taken out of memblock.reserved. */
export function free30(mb: Memblock30, base: bigint, end: bigint): Memblock30 {
  if (base >= end) return mb;
  return { ...mb, reserved: removeRegion30(mb.reserved, base, end) };
}

const alignDown = (v: bigint, a: bigint): bigint => v & ~(a - 1n);

/** memblock_overlaps_region(&memblock.reserved, base, size): the index of the first (lowest) region overlapping, or −1. */
function firstOverlap(reserved: readonly Region30[], base: bigint, size: bigint): number {
  return reserved.findIndex((r) => base < r.end && r.base < base + size);
}

/**
 * memblock_find_region(start, end, size, align) (mm/memblock.c, 3.0.1): from round_down(end − size,
 * align), step below the first (lowest) reserved region the candidate overlaps, while the candidate
 * stays at or above start (PAGE_SIZE when start is 0, so 0 never comes back).
 */
export function findRegion30(reserved: readonly Region30[], start: bigint, end: bigint, size: bigint, align: bigint): bigint | undefined {
  if (end < size) return undefined;
  let base = alignDown(end - size, align);
  const lo = start === 0n ? PAGE_SIZE : start;
  while (lo <= base) {
    const j = firstOverlap(reserved, base, size);
    if (j < 0) return base;
    const resBase = reserved[j]!.base;
    if (resBase < size) break;
    base = alignDown(resBase - size, align);
  }
  return undefined;
}

/**
 * memblock_find_base(size, align, start, end) = memblock_find_in_range(start, end, size, align)
 * (mm/memblock.c, 3.0.1): end 0 (MEMBLOCK_ALLOC_ACCESSIBLE) is current_limit; memblock.memory from
 * the top region down, each region clipped to [start, end), the first memblock_find_region() that fits.
 */
export function findInRange30(mb: Memblock30, start: bigint, end: bigint, size: bigint, align: bigint): bigint | undefined {
  if (size === 0n) throw new SimError('SIM_NOT_MODELLED', WHERE, 'memblock_find_base: size 0 (the kernel BUGs)');
  const top = end === 0n ? mb.currentLimit : end;
  for (let i = mb.memory.length - 1; i >= 0; i--) {
    const m = mb.memory[i]!;
    if (m.end - m.base < size) continue;
    if (m.end <= start) break;
    const bottom = m.base > start ? m.base : start;
    const t = m.end < top ? m.end : top;
    if (bottom >= t) continue;
    const found = findRegion30(mb.reserved, bottom, t, size, align);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** An early_node_map[] entry (pfns). */
export interface ActiveRange30 {
  readonly startPfn: bigint;
  readonly endPfn: bigint;
}

/**
 * find_memory_core_early(nid, size, align, goal, limit) (mm/page_alloc.c, 3.0.1, NO_BOOTMEM): the
 * node's early_node_map entries from the last down, each clipped to [goal, limit), the first
 * memblock_find_in_range() that succeeds.
 */
export function findMemoryCoreEarly30(mb: Memblock30, active: readonly ActiveRange30[], size: bigint, align: bigint, goal: bigint, limit: bigint): bigint | undefined {
  for (let i = active.length - 1; i >= 0; i--) {
    const a = active[i]!;
    const s = a.startPfn << PAGE_SHIFT;
    const e = a.endPfn << PAGE_SHIFT;
    const fs = s > goal ? s : goal;
    const fe = e < limit ? e : limit;
    if (fs >= fe) continue;
    const addr = findInRange30(mb, fs, fe, size, align);
    if (addr !== undefined) return addr;
  }
  return undefined;
}

/**
 * __alloc_memory_core_early(nid, size, align, goal, limit) (mm/nobootmem.c, 3.0.1): limit capped at
 * current_limit, find_memory_core_early(), then memblock_x86_reserve_range(addr, addr + size,
 * "BOOTMEM") — the size as asked, not rounded up to the alignment.
 */
function allocCoreEarly(mb: Memblock30, active: readonly ActiveRange30[], size: bigint, align: bigint, goal: bigint, limit: bigint, what: string): { mb: Memblock30; addr: bigint } | undefined {
  const lim = limit > mb.currentLimit ? mb.currentLimit : limit;
  const addr = findMemoryCoreEarly30(mb, active, size, align, goal, lim);
  if (addr === undefined) return undefined;
  return { mb: reserve30(mb, addr, addr + size, 'BOOTMEM', what), addr };
}

/**
 * ___alloc_bootmem_nopanic() (mm/nobootmem.c, 3.0.1) — what alloc_bootmem*(), alloc_bootmem_node*()
 * and their _nopanic forms come to with one node (__alloc_bootmem_node* first try the node, which is
 * every range): __alloc_memory_core_early() at the goal, then again from 0. The callers modelled panic
 * on failure ("Out of memory", or their own), so failing is refused.
 */
export function allocBootmem30(mb: Memblock30, active: readonly ActiveRange30[], size: bigint, align: bigint, goal: bigint, what: string): { mb: Memblock30; addr: bigint } {
  const r = allocCoreEarly(mb, active, size, align, goal, ALLOC_ANYWHERE_32, what) ?? (goal !== 0n ? allocCoreEarly(mb, active, size, align, 0n, ALLOC_ANYWHERE_32, what) : undefined);
  if (!r) throw new SimError('SIM_NOT_MODELLED', WHERE, `${what}: no ${size} bytes free below current_limit 0x${mb.currentLimit.toString(16)} (the kernel panics "Out of memory")`);
  return r;
}

/** The sorted, disjoint ranges of `ranges` less [s, e). */
function subtract(ranges: readonly PfnRange[], s: bigint, e: bigint): PfnRange[] {
  if (s >= e) return [...ranges];
  const out: PfnRange[] = [];
  for (const r of ranges) {
    if (r.end <= s || r.start >= e) out.push(r);
    else {
      if (r.start < s) out.push({ start: r.start, end: s });
      if (r.end > e) out.push({ start: e, end: r.end });
    }
  }
  return out;
}

/**
 * __get_free_all_memory_range(&range, nid, start_pfn, end_pfn) (arch/x86/mm/memblock.c, 3.0.1): the
 * early_node_map ranges clipped to [start_pfn, end_pfn), less every memblock.reserved region widened to
 * whole pages (PFN_DOWN(base) to PFN_UP(end): a page any reservation touches stays reserved); the
 * range array itself is found with memblock_find_in_range but not reserved, and the reserved array is
 * still the static one (no doubling is modelled), so memblock_free_reserved_regions() takes nothing out.
 */
export function freeMemoryRanges30(mb: Memblock30, active: readonly ActiveRange30[], startPfn: bigint, endPfn: bigint): PfnRange[] {
  let ranges: PfnRange[] = active.map((a) => ({ start: a.startPfn, end: a.endPfn }));
  ranges = subtract(ranges, 0n, startPfn);
  ranges = subtract(ranges, endPfn, 1n << 64n);
  for (const r of mb.reserved) {
    const s = r.base >> PAGE_SHIFT;
    const e = (r.end + PAGE_SIZE - 1n) >> PAGE_SHIFT;
    ranges = subtract(ranges, s, e);
  }
  return ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** Pages in `ranges`. */
export const pagesIn30 = (ranges: readonly PfnRange[]): bigint => ranges.reduce((n, r) => n + (r.end - r.start), 0n);
