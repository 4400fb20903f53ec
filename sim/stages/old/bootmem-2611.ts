// mm/bootmem.c of 2.6.11 (wyangsc/linux-2.6.11_bzImage_vmlinux): node 0's bitmap over [0, max_low_pfn)
// (node_boot_start 0), kept as sorted set pfn ranges; init_bootmem_core(), free_bootmem_core(),
// reserve_bootmem_core() and __alloc_bootmem_core() with its last_success / last_pos / last_offset
// cursor (small allocations merged into the partial page the previous one left); and what
// free_all_bootmem_core() hands to the buddy allocator: whole free words as order-5 blocks, every
// other clear bit and the bitmap's own pages one page at a time (mm/page_alloc.c free_hot_cold_page).
import type { Bootmem2611 } from './state-2611.ts';
import type { PfnRange } from './state-30.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';

const WHERE = 'bootmem (2.6.11)';
const alignUp = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;

/** Marks [start, end) set (reserve) or clear in the sorted ranges. */
export function markRange2611(ranges: readonly PfnRange[], start: bigint, end: bigint, set: boolean): PfnRange[] {
  if (start >= end) return [...ranges];
  const out: PfnRange[] = [];
  for (const r of ranges) {
    if (r.end <= start || r.start >= end) out.push(r);
    else {
      if (r.start < start) out.push({ start: r.start, end: start });
      if (r.end > end) out.push({ start: end, end: r.end });
    }
  }
  if (set) out.push({ start, end });
  out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: PfnRange[] = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) merged[merged.length - 1] = { start: last.start, end: r.end > last.end ? r.end : last.end };
    else merged.push(r);
  }
  return merged;
}

/** The set pfns of [s, e). */
export function setIn2611(ranges: readonly PfnRange[], s: bigint, e: bigint): bigint {
  let n = 0n;
  for (const r of ranges) {
    const a = r.start > s ? r.start : s;
    const b = r.end < e ? r.end : e;
    if (b > a) n += b - a;
  }
  return n;
}

/** bootmem_bootmap_pages-free form of init_bootmem_core()'s mapsize: ((end − start) + 7) / 8, rounded up to a long (4 bytes). */
export function bootmapBytes2611(lowPfn: bigint): bigint {
  return alignUp((lowPfn + 7n) / 8n, 4n);
}

/**
 * init_bootmem(start_pfn, max_low_pfn) → init_bootmem_core(NODE_DATA(0), mapstart, 0, pages): the map
 * at mapstart's page, node_boot_start 0, node_low_pfn = pages, every bit set (memset 0xff over mapsize).
 */
export function initBootmem2611(mapStartPfn: bigint, lowPfn: bigint): Bootmem2611 {
  return { lowPfn, mapStartPfn, reserved: [{ start: 0n, end: lowPfn }], lastSuccess: 0n, lastPos: 0n, lastOffset: 0n, setBy: [] };
}

/** free_bootmem(addr, size) → free_bootmem_core(): PFN_UP(addr) to PFN_DOWN(addr + size) cleared (last_success only ever lowered: it is 0 here). */
export function freeBootmem2611(bm: Bootmem2611, addr: bigint, size: bigint): Bootmem2611 {
  const s = (addr + PAGE_SIZE - 1n) >> PAGE_SHIFT;
  const e = (addr + size) >> PAGE_SHIFT;
  if (e > bm.lowPfn) throw new SimError('SIM_NOT_MODELLED', WHERE, `free_bootmem(0x${addr.toString(16)}, 0x${size.toString(16)}): end pfn ${e} beyond node_low_pfn ${bm.lowPfn} (the kernel BUGs)`);
  return { ...bm, reserved: markRange2611(bm.reserved, s, e, false), lastSuccess: addr < bm.lastSuccess ? addr : bm.lastSuccess };
}

/**
 * reserve_bootmem(addr, size) → reserve_bootmem_core(): PFN_DOWN(addr) to (addr + size + PAGE_SIZE − 1)
 * / PAGE_SIZE set ("partially reserved pages are considered fully reserved"; a bit already set is
 * only a debug message). `ram` says which of the newly set pfns are RAM, for the setBy record.
 */
export function reserveBootmem2611(bm: Bootmem2611, addr: bigint, size: bigint, what: string): Bootmem2611 {
  const s = addr >> PAGE_SHIFT;
  const e = (addr + size + PAGE_SIZE - 1n) >> PAGE_SHIFT;
  if (size === 0n || e > bm.lowPfn) throw new SimError('SIM_NOT_MODELLED', WHERE, `reserve_bootmem(0x${addr.toString(16)}, 0x${size.toString(16)}) for ${what}: outside node 0's [0, ${bm.lowPfn}) pfns (the kernel BUGs)`);
  return { ...bm, reserved: markRange2611(bm.reserved, s, e, true), setBy: [...bm.setBy, { what, pages: e - s - setIn2611(bm.reserved, s, e) }] };
}

const isSet = (bm: Bootmem2611, i: bigint): boolean => i >= bm.lowPfn || setIn2611(bm.reserved, i, i + 1n) === 1n;

/** find_next_zero_bit(map, eidx, from): the first clear pfn at or after `from`, or eidx. */
function nextZero(bm: Bootmem2611, from: bigint): bigint {
  let p = from;
  for (const r of bm.reserved) {
    if (r.end <= p) continue;
    if (r.start > p) break;
    p = r.end;
  }
  return p < bm.lowPfn ? p : bm.lowPfn;
}

/** The first set pfn in [s, e), or undefined (the j loop of __alloc_bootmem_core). */
function firstSet(bm: Bootmem2611, s: bigint, e: bigint): bigint | undefined {
  for (const r of bm.reserved) {
    if (r.end <= s) continue;
    if (r.start >= e) return undefined;
    return r.start > s ? r.start : s;
  }
  return undefined;
}

/**
 * __alloc_bootmem_core(bdata, size, align, goal) (mm/bootmem.c, 2.6.11), node_boot_start 0 so its
 * offset is 0: preferred is the goal (or last_success when that is further) when the goal lies below
 * node_low_pfn, else 0, aligned up; scan from it for areasize = PFN_UP(size) clear pfns stepping by
 * align's pages (a failed block resumes at ALIGN(j) + incr), then once more from 0. Found at `start`:
 * last_success = start << PAGE_SHIFT; if align < PAGE_SIZE and last_offset and last_pos + 1 == start,
 * the allocation begins in last_pos's page at ALIGN(last_offset, align) and sets only the pages it spills
 * into; else it begins at start. undefined: no room (the caller panics "Out of memory").
 */
export function allocBootmemCore2611(bm: Bootmem2611, size: bigint, align: bigint, goal: bigint, what: string): { bm: Bootmem2611; addr: bigint } | undefined {
  if (size === 0n) throw new SimError('SIM_NOT_MODELLED', WHERE, `${what}: a zero-sized request (the kernel BUGs)`);
  const eidx = bm.lowPfn;
  let preferred = 0n;
  if (goal !== 0n && goal >> PAGE_SHIFT < bm.lowPfn) preferred = bm.lastSuccess >= goal ? bm.lastSuccess : goal;
  preferred = alignUp(preferred, align) >> PAGE_SHIFT;
  let areasize = (size + PAGE_SIZE - 1n) >> PAGE_SHIFT;
  const incr = align >> PAGE_SHIFT > 0n ? align >> PAGE_SHIFT : 1n;
  let start: bigint | undefined;
  for (let from = preferred; start === undefined; ) {
    for (let i = from; i < eidx; i += incr) {
      i = alignUp(nextZero(bm, i), incr);
      if (i >= eidx) break;
      if (isSet(bm, i)) continue;
      const end = i + areasize;
      const hit = end > eidx ? (firstSet(bm, i + 1n, eidx) ?? eidx) : firstSet(bm, i + 1n, end);
      if (hit === undefined) {
        start = i;
        break;
      }
      i = alignUp(hit, incr);
    }
    if (start !== undefined || from === 0n) break;
    from = 0n;
  }
  if (start === undefined) return undefined;
  let lastPos: bigint;
  let lastOffset: bigint;
  let addr: bigint;
  if (align < PAGE_SIZE && bm.lastOffset !== 0n && bm.lastPos + 1n === start) {
    const offset = alignUp(bm.lastOffset, align);
    const remaining = PAGE_SIZE - offset;
    addr = bm.lastPos * PAGE_SIZE + offset;
    if (size < remaining) {
      areasize = 0n;
      lastPos = bm.lastPos;
      lastOffset = offset + size;
    } else {
      const rest = size - remaining;
      areasize = (rest + PAGE_SIZE - 1n) >> PAGE_SHIFT;
      lastPos = start + areasize - 1n;
      lastOffset = rest;
    }
    lastOffset &= PAGE_SIZE - 1n;
  } else {
    lastPos = start + areasize - 1n;
    lastOffset = size & (PAGE_SIZE - 1n);
    addr = start * PAGE_SIZE;
  }
  const reserved = markRange2611(bm.reserved, start, start + areasize, true);
  return { addr, bm: { ...bm, reserved, lastSuccess: start << PAGE_SHIFT, lastPos, lastOffset, setBy: [...bm.setBy, { what, pages: areasize }] } };
}

/** __alloc_bootmem(size, align, goal) (one node): __alloc_bootmem_core, or the kernel's "bootmem alloc of %lu bytes failed!" panic. */
export function allocBootmem2611(bm: Bootmem2611, size: bigint, align: bigint, goal: bigint, what: string): { bm: Bootmem2611; addr: bigint } {
  const r = allocBootmemCore2611(bm, size, align, goal, what);
  if (!r) throw new SimError('SIM_NOT_MODELLED', WHERE, `${what}: no ${size} bytes of bootmem below max_low_pfn (the kernel panics "bootmem alloc of ${size} bytes failed!")`);
  return r;
}

/** What free_all_bootmem_core() gave back, and how: the order-0 frees per zone decide what the per-CPU lists keep. */
export interface FreeAllBootmem2611 {
  /** Pages freed: the clear bits below node_low_pfn, then the bitmap's pages. */
  readonly total: bigint;
  /** Pages freed one at a time (__free_page → free_hot_page), per pfn predicate of the caller's zones. */
  readonly singlePfns: readonly PfnRange[];
  /** The bitmap's pages: ((node_low_pfn − 0) / 8 + PAGE_SIZE − 1) / PAGE_SIZE from the map's pfn. */
  readonly bitmapPages: PfnRange;
}

/**
 * free_all_bootmem_core(pgdat) (mm/bootmem.c, 2.6.11), node_boot_start 0 so gofast: each bitmap word
 * (BITS_PER_LONG pfns: 32 on i386, 64 on x86_64) all clear is freed as one order-5 (order-6) block; a word with some clear bits frees
 * those one page each; then the bitmap's own pages, one page each. The free run ends at node_low_pfn
 * (the last word's bits beyond it stay set from the 0xff memset).
 */
export function freeAllBootmem2611(bm: Bootmem2611, bitsPerLong = 32n): FreeAllBootmem2611 {
  const idx = bm.lowPfn;
  let total = 0n;
  const single: PfnRange[] = [];
  for (let w = 0n; w < idx; w += bitsPerLong) {
    const end = w + bitsPerLong < idx ? w + bitsPerLong : idx;
    const clear = end - w - setIn2611(bm.reserved, w, end);
    total += clear;
    if (clear === bitsPerLong) continue;
    if (clear === 0n) continue;
    // the clear runs of this word
    let p = w;
    while (p < end) {
      const z = nextZero(bm, p);
      if (z >= end) break;
      const s = firstSet(bm, z, end) ?? end;
      single.push({ start: z, end: s });
      p = s;
    }
  }
  const mapPages = (idx / 8n + PAGE_SIZE - 1n) / PAGE_SIZE;
  const bitmapPages = { start: bm.mapStartPfn, end: bm.mapStartPfn + mapPages };
  total += mapPages;
  return { total, singlePfns: single, bitmapPages };
}

/**
 * What one zone's hot per-CPU list keeps after n order-0 frees (mm/page_alloc.c free_hot_cold_page,
 * 2.6.11): before each add, a list at pcp->high (6 × batch) gives pcp->batch pages back to the buddy
 * lists (free_pages_bulk); the pages on the list are not in zone->free_pages, so not in nr_free_pages().
 */
export function pcpKept2611(n: bigint, batch: bigint): bigint {
  const high = 6n * batch;
  if (n <= high) return n;
  return high - batch + 1n + ((n - high - 1n) % batch);
}
