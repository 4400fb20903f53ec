// mm/bootmem.c of 2.6.34 (urbanspr1nter/linux-2.6.34): the one node's bitmap over [0, max_low_pfn),
// kept as sorted reserved pfn ranges, alloc_bootmem_core()'s first fit from the goal (with hint_idx and
// last_end_off packing small allocations into the last page), and the bootmem allocations the X86_32
// UP FLATMEM boot makes between early_res_to_bootmem() and mem_init(): the pkmap page table
// (paging_init), the node's mem_map, each zone's pageblock usemap and wait table (free_area_init_node),
// e820_reserve_resources(), setup_command_line()'s two copies and the three HASH_EARLY tables; then
// mem_init()'s free_all_bootmem() and its "Memory:" line (arch/x86/mm/init_32.c).
import type { Boot30Context, Stage30Fn, Stage30Result } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import type { DmesgLine, ExplainTerm } from '../../types.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { withSlice } from '../../state.ts';
import { configEnabled, kernelConfig } from '../../traits.ts';
import { bootCommandLine } from '../cmdline.ts';
import { legacy30Of, need, type Bootmem34, type EarlyRes34, type PfnRange } from './state-30.ts';
import { presentIn, freeAreaInitNodes30, earlyHashTable30, PID_HASH_30, DENTRY_HASH_30, INODE_HASH_30, STRUCT_PAGE_30 } from './page-alloc-30.ts';
import { initialMappedEnd30, layout30 } from './init-32-30.ts';
import { markRange2611 } from './bootmem-2611.ts';

const WHERE = 'bootmem (2.6.34)';
const term = (name: string, value: string, source: string): ExplainTerm => ({ name, value, source });

// mark_bootmem_node() (__reserve / __free) keeps 2.6.11's set-range rule: bootmem-2611.ts markRange2611
const mark = markRange2611;

/**
 * init_bootmem_node() (every bit set: memset 0xff) then free_bootmem_with_active_regions(0, max_low_pfn)
 * (mm/page_alloc.c: each early_node_map range clipped to max_low_pfn, free_bootmem_node(): PFN_UP of the
 * start to PFN_DOWN of the end cleared), as setup_node_bootmem() runs them (arch/x86/mm/init_32.c, 2.6.34).
 */
export function initBootmem34(lowPfn: bigint, active: readonly { readonly startPfn: bigint; readonly endPfn: bigint }[]): Bootmem34 {
  let reserved: PfnRange[] = [{ start: 0n, end: lowPfn }];
  for (const a of active) {
    const e = a.endPfn < lowPfn ? a.endPfn : lowPfn;
    if (a.startPfn < e) reserved = mark(reserved, a.startPfn, e, false);
  }
  return { lowPfn, reserved, hintIdx: 0n, lastEndOff: 0n, setBy: [] };
}

/** The clear pfns of [s, e): what setting them would newly reserve. */
function clearIn(ranges: readonly PfnRange[], s: bigint, e: bigint): bigint {
  if (e <= s) return 0n;
  let set = 0n;
  for (const r of ranges) {
    const a = r.start > s ? r.start : s;
    const b = r.end < e ? r.end : e;
    if (b > a) set += b - a;
  }
  return e - s - set;
}

/** Sets [s, e) for `what`, recording the pages it newly set. */
function setBits(bm: Bootmem34, s: bigint, e: bigint, what: string): Bootmem34 {
  return { ...bm, reserved: mark(bm.reserved, s, e, true), setBy: [...bm.setBy, { what, pages: clearIn(bm.reserved, s, e) }] };
}

/** reserve_bootmem(addr, size, BOOTMEM_DEFAULT) (mm/bootmem.c, 2.6.34): PFN_DOWN(addr) to PFN_UP(addr + size) set, overlaps allowed. */
export function reserveBootmem34(bm: Bootmem34, addr: bigint, size: bigint, what = 'reserve_bootmem'): Bootmem34 {
  const s = addr >> PAGE_SHIFT;
  let e = (addr + size + PAGE_SIZE - 1n) >> PAGE_SHIFT;
  if (e > bm.lowPfn) e = bm.lowPfn;
  return setBits(bm, s, e, what);
}

/** find_next_zero_bit(map, size, from): the first clear pfn in [from, size), or size. */
function nextZero(ranges: readonly PfnRange[], from: bigint, size: bigint): bigint {
  let p = from;
  for (const r of ranges) {
    if (r.end <= p) continue;
    if (r.start > p) break;
    p = r.end;
  }
  return p < size ? p : size;
}

/** The first set pfn in [s, e), or undefined. */
function firstSet(ranges: readonly PfnRange[], s: bigint, e: bigint): bigint | undefined {
  for (const r of ranges) {
    if (r.end <= s) continue;
    if (r.start >= e) return undefined;
    return r.start > s ? r.start : s;
  }
  return undefined;
}

const alignUp = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;

/**
 * alloc_bootmem_core(bdata, size, align, goal, limit) (mm/bootmem.c, 2.6.34) over node 0 (node_min_pfn
 * 0, so align_idx/align_off are plain ALIGN): start at the goal (or 0), or at hint_idx when that is
 * further, with the skipped start kept as the fallback; find a clear run of PFN_UP(size) pfns stepping
 * by align's pages; start at last_end_off aligned when the last allocation ended inside the page just
 * before (merging into it); set the pfns from PFN_DOWN(start) (+1 when merged) to PFN_UP(end).
 */
function allocCore(bm: Bootmem34, size: bigint, align: bigint, goal: bigint, limit: bigint, what: string): { bm: Bootmem34; addr: bigint } | undefined {
  let max = bm.lowPfn;
  const g = goal >> PAGE_SHIFT;
  const lim = limit >> PAGE_SHIFT;
  if (lim !== 0n && max > lim) max = lim;
  if (max <= 0n) return undefined;
  const step = align >> PAGE_SHIFT > 1n ? align >> PAGE_SHIFT : 1n;
  let sidx = g !== 0n && 0n < g && g < max ? alignUp(g, step) : 0n;
  const midx = max;
  let fallback = 0n;
  if (bm.hintIdx > sidx) {
    fallback = sidx + 1n;
    sidx = alignUp(bm.hintIdx, step);
  }
  for (;;) {
    sidx = alignUp(nextZero(bm.reserved, sidx, midx), step);
    const eidx = sidx + ((size + PAGE_SIZE - 1n) >> PAGE_SHIFT);
    if (sidx >= midx || eidx > midx) {
      if (fallback === 0n) return undefined;
      sidx = alignUp(fallback - 1n, step);
      fallback = 0n;
      continue;
    }
    const hit = firstSet(bm.reserved, sidx, eidx);
    if (hit !== undefined) {
      const next = alignUp(hit, step);
      sidx = next === hit ? next + step : next;
      continue;
    }
    const startOff = (bm.lastEndOff & (PAGE_SIZE - 1n)) !== 0n && (bm.lastEndOff >> PAGE_SHIFT) + 1n === sidx ? alignUp(bm.lastEndOff, align) : sidx << PAGE_SHIFT;
    const merge = startOff >> PAGE_SHIFT < sidx ? 1n : 0n;
    const endOff = startOff + size;
    const set = setBits(bm, (startOff >> PAGE_SHIFT) + merge, (endOff + PAGE_SIZE - 1n) >> PAGE_SHIFT, what);
    return { addr: startOff, bm: { ...set, lastEndOff: endOff, hintIdx: (endOff + PAGE_SIZE - 1n) >> PAGE_SHIFT } };
  }
}

/** __pa(MAX_DMA_ADDRESS): 16M (arch/x86/include/asm/dma.h, 2.6.34), the goal of alloc_bootmem*() and alloc_bootmem_node(). */
const MAX_DMA_GOAL = 16n << 20n;

/**
 * ___alloc_bootmem() / ___alloc_bootmem_node() (mm/bootmem.c, 2.6.34) with one node: alloc_bootmem_core
 * at the goal, then again without one; failing both is the kernel's "Out of memory" panic.
 */
export function allocBootmem34(bm: Bootmem34, size: bigint, align: bigint, goal: bigint, what: string): { bm: Bootmem34; addr: bigint } {
  const r = allocCore(bm, size, align, goal, 0n, what) ?? (goal !== 0n ? allocCore(bm, size, align, 0n, 0n, what) : undefined);
  if (!r) throw new SimError('SIM_NOT_MODELLED', WHERE, `${what}: no ${size} bytes of bootmem below max_low_pfn (the kernel panics "Out of memory")`);
  return r;
}

/** SMP_CACHE_BYTES = L1_CACHE_BYTES (1 << CONFIG_X86_L1_CACHE_SHIFT): the align of alloc_bootmem() and alloc_bootmem_node(). */
function cacheBytes(ctx: Boot30Context): bigint {
  const l1 = kernelConfig(ctx.kernel, 'X86_L1_CACHE_SHIFT');
  if (l1 === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, 'CONFIG_X86_L1_CACHE_SHIFT: expected it in the kernel facts (SMP_CACHE_BYTES), found none');
  return 1n << BigInt(l1);
}

function bootmemOf(state: Parameters<Stage30Fn>[0], reader: string): { l: ReturnType<typeof legacy30Of>; bm: Bootmem34 } {
  const l = legacy30Of(state, reader);
  return { l, bm: need(l.bootmem, reader, 'bootmem') };
}

/** The early_res ranges early_res_to_bootmem() reserves in bootmem: each clipped to [0, max_low_pfn). */
export function bootmemFromEarlyRes34(bm: Bootmem34, res: readonly EarlyRes34[]): Bootmem34 {
  const end = bm.lowPfn << PAGE_SHIFT;
  let b = bm;
  for (const r of res) {
    const e = r.end < end ? r.end : end;
    if (r.start < e) b = reserveBootmem34(b, r.start, e - r.start, `early_res ${r.name}`);
  }
  return b;
}

/**
 * paging_init() → pagetable_init() → permanent_kmaps_init() (arch/x86/mm/init_32.c, 2.6.34, HIGHMEM):
 * page_table_range_init(PKMAP_BASE, PKMAP_BASE + LAST_PKMAP pages) takes, through one_page_table_init()
 * after bootmem (alloc_bootmem_pages), a PTE page for each PMD of that range not present: head_32.S
 * made present only the low identity/PAGE_OFFSET PMDs and the last one (swapper_pg_fixmap).
 */
export const pagingInit34: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, bm } = bootmemOf(state, 'pagingInit34');
  if (!ctx.traits.highmem) return { state, lines: [] };
  const lay = layout30(ctx);
  const first = lay.pkmapBase >> 22n;
  const last = (lay.pkmapBase + lay.lastPkmap * PAGE_SIZE - 1n) >> 22n;
  let b = bm;
  // present before: head_32.S's PAGE_OFFSET PMDs up to what it mapped, and the last one (swapper_pg_fixmap)
  const lowFirst = lay.pageOffset >> 22n;
  const lowEnd = (lay.pageOffset + initialMappedEnd30(ctx)) >> 22n;
  for (let p = first; p <= last; p++) {
    if (p === 0x3ffn || (p >= lowFirst && p < lowEnd)) continue;
    b = allocBootmem34(b, PAGE_SIZE, PAGE_SIZE, MAX_DMA_GOAL, 'permanent_kmaps_init PTE page').bm;
  }
  return { state: withSlice(state, 'legacy30', { ...l, bootmem: b }), lines: [] };
};

/** MAX_ORDER_NR_PAGES: 1 << (MAX_ORDER − 1), MAX_ORDER 11 (include/linux/mmzone.h, 2.6.34). */
const MAX_ORDER_NR_PAGES = 1024n;
/** pageblock_order MAX_ORDER − 1 without HUGETLB_PAGE, NR_PAGEBLOCK_BITS 3 (include/linux/pageblock-flags.h, 2.6.34). */
const PAGEBLOCK_ORDER = 10n;
const NR_PAGEBLOCK_BITS = 3n;
/** PAGES_PER_WAITQUEUE (mm/page_alloc.c, 2.6.34). */
const PAGES_PER_WAITQUEUE = 256n;

/** usemap_size(zonesize) (mm/page_alloc.c, 2.6.34): bits for each pageblock, rounded up to a long, in bytes. */
export function usemapSize34(zonesize: bigint): bigint {
  const blocks = alignUp(zonesize, 1n << PAGEBLOCK_ORDER) >> PAGEBLOCK_ORDER;
  return alignUp(blocks * NR_PAGEBLOCK_BITS, 32n) / 8n;
}

/** wait_table_hash_nr_entries(pages) without MEMORY_HOTPLUG (mm/page_alloc.c, 2.6.34): roundup_pow_of_two(pages / 256), in [4, 4096]. */
export function waitTableEntries34(pages: bigint): bigint {
  let size = 1n;
  const p = pages / PAGES_PER_WAITQUEUE;
  while (size < p) size <<= 1n;
  if (size > 4096n) size = 4096n;
  return size < 4n ? 4n : size;
}

/**
 * sizeof(wait_queue_head_t) (include/linux/wait.h, 2.6.34): spinlock_t + list_head. On a UP build
 * without DEBUG_SPINLOCK/DEBUG_LOCK_ALLOC the spinlock is the empty arch_spinlock_t of
 * spinlock_types_up.h (size 0 in GNU C), so 8 bytes; those options are refused.
 */
function waitQueueHeadBytes(ctx: Boot30Context): bigint {
  for (const o of ['DEBUG_SPINLOCK', 'DEBUG_LOCK_ALLOC']) if (configEnabled(ctx.kernel, o)) throw new SimError('SIM_NOT_MODELLED', WHERE, `CONFIG_${o}: its spinlock_t in wait_queue_head_t is not modelled for 2.6.34`);
  return 8n;
}

/** `%08lx`. */
const x8 = (v: bigint): string => v.toString(16).padStart(8, '0');

/**
 * paging_init() → zone_sizes_init() → free_area_init_nodes() (3.0.1's stage, the same source), with what
 * 2.6.34's free_area_init_node() allocates from bootmem: alloc_node_mem_map() (FLAT_NODE_MEM_MAP: the
 * node's span widened to MAX_ORDER_NR_PAGES, × sizeof(struct page), alloc_bootmem_node) and its KERN_DEBUG
 * "free_area_init_node: node %d, pgdat %08lx, node_mem_map %08lx" after "On node 0 totalpages", then for each
 * zone with a span, in zone order, setup_usemap() and zone_wait_table_init() (both alloc_bootmem_node).
 */
export const freeAreaInitNodes34: Stage30Fn = (state, ctx): Stage30Result => {
  const r = freeAreaInitNodes30(state, ctx);
  const { l, bm } = bootmemOf(r.state, 'freeAreaInitNodes34');
  const zones = need(l.zones, 'freeAreaInitNodes34', 'zones');
  const ranges = need(l.activeRanges, 'freeAreaInitNodes34', 'activeRanges');
  const align = cacheBytes(ctx);
  const nodeStart = ranges.reduce((m, x) => (x.startPfn < m ? x.startPfn : m), ranges[0]!.startPfn);
  const nodeEnd = ranges.reduce((m, x) => (x.endPfn > m ? x.endPfn : m), 0n);
  const start = nodeStart & ~(MAX_ORDER_NR_PAGES - 1n);
  const end = alignUp(nodeEnd, MAX_ORDER_NR_PAGES);
  const size = (end - start) * STRUCT_PAGE_30;
  let { bm: b, addr } = allocBootmem34(bm, size, align, MAX_DMA_GOAL, 'alloc_node_mem_map');
  const va = (pa: bigint): bigint => pa + layout30(ctx).pageOffset;
  const pgdat = va(symbol30(ctx, 'contig_page_data', WHERE));
  const memMap = va(addr) + (nodeStart - start) * STRUCT_PAGE_30;
  const line: DmesgLine = {
    stage: 'zones', fmt: 'zones.node_mem_map_legacy', text: `free_area_init_node: node 0, pgdat ${x8(pgdat)}, node_mem_map ${x8(memMap)}`,
    explain: {
      pgdat: [term('&contig_page_data', `0x${x8(pgdat)}`, 'mm/page_alloc.c (FLATMEM NODE_DATA(0)), from the vmlinux .symtab')],
      node_mem_map: [
        term(`alloc_bootmem_node((${end} − ${start}) pages × sizeof(struct page) ${STRUCT_PAGE_30})`, `0x${addr.toString(16)}`, 'mm/page_alloc.c alloc_node_mem_map() → mm/bootmem.c alloc_bootmem_core(): first fit from __pa(MAX_DMA_ADDRESS) (2.6.34)'),
        term('+ (node_start_pfn − start) × sizeof(struct page)', `${(nodeStart - start) * STRUCT_PAGE_30}`, 'mm/page_alloc.c alloc_node_mem_map() (2.6.34)'),
      ],
    },
  };
  const wq = waitQueueHeadBytes(ctx);
  for (const z of zones) {
    if (z.spanned === 0n) continue;
    b = allocBootmem34(b, usemapSize34(z.spanned), align, MAX_DMA_GOAL, `setup_usemap ${z.name}`).bm;
    b = allocBootmem34(b, waitTableEntries34(z.spanned) * wq, align, MAX_DMA_GOAL, `zone_wait_table_init ${z.name}`).bm;
  }
  const lines = [...r.lines];
  const at = lines.findIndex((x) => x.fmt === 'zones.totalpages');
  lines.splice(at + 1, 0, line);
  return { state: withSlice(r.state, 'legacy30', { ...l, bootmem: b }), lines };
};

/** struct resource with 32-bit resource_size_t (no PHYS_ADDR_T_64BIT without PAE): start, end, name, flags, parent, sibling, child (include/linux/ioport.h, 2.6.34). */
const STRUCT_RESOURCE_32 = 28n;

/** setup_arch() → e820_reserve_resources() (arch/x86/kernel/e820.c, 2.6.34): alloc_bootmem(sizeof(struct resource) × e820.nr_map). */
export const e820ReserveResources34: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, bm } = bootmemOf(state, 'e820ReserveResources34');
  const b = allocBootmem34(bm, STRUCT_RESOURCE_32 * BigInt(l.e820.length), cacheBytes(ctx), MAX_DMA_GOAL, 'e820_reserve_resources').bm;
  return { state: withSlice(state, 'legacy30', { ...l, bootmem: b }), lines: [] };
};

/**
 * start_kernel() → setup_command_line() (init/main.c, 2.6.34): saved_command_line and static_command_line,
 * each alloc_bootmem(strlen + 1) of the command line (no builtin command line on this build).
 */
export const setupCommandLine34: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, bm } = bootmemOf(state, 'setupCommandLine34');
  const n = BigInt(new TextEncoder().encode(bootCommandLine(ctx.spec)).length) + 1n;
  let b = allocBootmem34(bm, n, cacheBytes(ctx), MAX_DMA_GOAL, 'saved_command_line').bm;
  b = allocBootmem34(b, n, cacheBytes(ctx), MAX_DMA_GOAL, 'static_command_line').bm;
  return { state: withSlice(state, 'legacy30', { ...l, bootmem: b }), lines: [] };
};

/** pidhash_init() and vfs_caches_init_early() (2.6.34): the three HASH_EARLY tables, alloc_bootmem_nopanic(size) each (mm/page_alloc.c alloc_large_system_hash). */
export const earlyHashesBootmem34: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, bm } = bootmemOf(state, 'earlyHashesBootmem34');
  const k = need(l.nrKernelPages, 'earlyHashesBootmem34', 'nrKernelPages');
  const a = need(l.nrAllPages, 'earlyHashesBootmem34', 'nrAllPages');
  let b = bm;
  for (const h of [PID_HASH_30, DENTRY_HASH_30, INODE_HASH_30]) b = allocBootmem34(b, earlyHashTable30(h, k, a).bytes, cacheBytes(ctx), MAX_DMA_GOAL, `${h.name} hash table`).bm;
  return { state: withSlice(state, 'legacy30', { ...l, bootmem: b }), lines: [] };
};

/** Pages of `ranges` inside [0, end): page-alloc-30.ts presentIn from pfn 0. */
export const pagesBelow = (ranges: readonly { readonly startPfn: bigint; readonly endPfn: bigint }[], end: bigint): bigint => presentIn(ranges, 0n, end);

/**
 * mem_init() (arch/x86/mm/init_32.c, 2.6.34): free_all_bootmem() frees every clear pfn of the bitmap and
 * then the bitmap's own pages (the BOOTMAP early reservation); reservedpages counts the pfns below
 * max_low_pfn that page_is_ram() (arch/x86/mm/ioremap.c: inside an E820_RAM entry rounded in, not page 0
 * nor 640K–1M: the active ranges) finds still PageReserved; set_highmem_pages_init() frees each HighMem
 * zone's active pages (totalhigh_pages). Prints "Memory: %luk/%luk available (%dk kernel code, %dk
 * reserved, %dk data, %dk init, %ldk highmem)": nr_free_pages(), num_physpages (highend_pfn), _etext −
 * _text, the reserved pages, _edata − _etext, __init_end − __init_begin, totalhigh_pages.
 */
export const memInit34: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, bm } = bootmemOf(state, 'memInit34');
  const ranges = need(l.activeRanges, 'memInit34', 'activeRanges');
  const maxLowPfn = need(l.maxLowPfn, 'memInit34', 'maxLowPfn');
  const highendPfn = need(l.highendPfn, 'memInit34', 'highendPfn');
  const res = need(l.earlyRes, 'memInit34', 'earlyRes');
  const zones = need(l.zones, 'memInit34', 'zones');
  // the bitmap's pages are given back too (free_all_bootmem_core: "Now free the allocator bitmap itself")
  const bootmap = res.find((r) => r.name === 'BOOTMAP');
  let reserved = bm.reserved;
  if (bootmap) reserved = mark(reserved, bootmap.start >> PAGE_SHIFT, (bootmap.end + PAGE_SIZE - 1n) >> PAGE_SHIFT, false);
  let reservedRam = 0n;
  for (const r of ranges) {
    const e = r.endPfn < maxLowPfn ? r.endPfn : maxLowPfn;
    for (const x of reserved) {
      const s = x.start > r.startPfn ? x.start : r.startPfn;
      const f = x.end < e ? x.end : e;
      if (f > s) reservedRam += f - s;
    }
  }
  const lowRam = pagesBelow(ranges, maxLowPfn);
  const high = zones.filter((z) => z.name === 'HighMem').reduce((n, z) => n + z.present, 0n);
  const free = lowRam - reservedRam + high;
  const kb = (p: bigint): bigint => p << (PAGE_SHIFT - 10n);
  const sym = (n: string): bigint => symbol30(ctx, n, WHERE);
  const code = (sym('_etext') - sym('_text')) >> 10n;
  const data = (sym('_edata') - sym('_etext')) >> 10n;
  const init = (sym('__init_end') - sym('__init_begin')) >> 10n;
  const src = 'arch/x86/mm/init_32.c mem_init() (2.6.34)';
  return {
    state,
    lines: [{
      stage: 'mem-init', fmt: 'mem.summary_legacy',
      text: `Memory: ${kb(free)}k/${kb(highendPfn)}k available (${code}k kernel code, ${kb(reservedRam)}k reserved, ${data}k data, ${init}k init, ${kb(high)}k highmem)`,
      explain: {
        available: [
          term(`low RAM pages below max_low_pfn ${lowRam} − still reserved ${reservedRam}`, `${lowRam - reservedRam} pages`, 'mm/bootmem.c free_all_bootmem() (2.6.34): the clear bits, then the bitmap itself'),
          term('+ HighMem present pages (add_highpages_with_active_regions)', `${high} pages`, 'arch/x86/mm/highmem_32.c set_highmem_pages_init() (2.6.34)'),
        ],
        reserved: bm.setBy.filter((x) => x.pages !== 0n && x.what !== 'early_res BOOTMAP').map((x) => term(x.what, `${x.pages} pages`, 'mm/bootmem.c: the bitmap pages it set first (2.6.34)')),
      },
    }],
  };
};
