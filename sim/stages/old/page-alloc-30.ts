// mm/page_alloc.c of 3.0.1: free_area_init_nodes() (Zone PFN ranges, early_node_map[]) with
// free_area_init_node() → calculate_node_totalpages() and free_area_init_core() → zone_pcp_init()
// ("LIFO batch"), build_all_zonelists(), and alloc_large_system_hash() for the HASH_EARLY tables
// (kernel/pid.c pidhash_init, fs/dcache.c dcache_init_early, fs/inode.c inode_init_early).
import type { Boot30Context, Stage30Fn, Stage30Result } from './context-30.ts';
import type { DmesgLine, ExplainTerm } from '../../types.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { hexAlt, fmtS } from '../../lib/printk.ts';
import { SimError } from '../../lib/errors.ts';
import { withSlice } from '../../state.ts';
import { configEnabled } from '../../traits.ts';
import { legacy30Of, need, type Zone30 } from './state-30.ts';

const line = (stage: string, fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage, fmt, text, ...(explain ? { explain } : {}) });
const term = (name: string, value: string, source: string): ExplainTerm => ({ name, value, source });
const FAIC = 'mm/page_alloc.c free_area_init_core() (3.0.1)';

/**
 * sizeof(struct page) on X86_32 (include/linux/mm_types.h, 3.0.1): flags 4 + _count 4 + the
 * _mapcount/inuse,objects union 4 + the private,mapping/slab/first_page union 8 + index/freelist 4 +
 * lru 8 = 32; no WANT_PAGE_VIRTUAL on x86, WANT_PAGE_DEBUG_FLAGS and KMEMCHECK refused by the envelope.
 */
export const STRUCT_PAGE_30 = 32n;

/** MAX_DMA_ADDRESS (arch/x86/include/asm/dma.h, 3.0.1): PAGE_OFFSET + 16M; its pfn is 16M >> PAGE_SHIFT. */
const MAX_DMA_PFN = (16n << 20n) >> PAGE_SHIFT;

/** PAGE_ALIGN(size * sizeof(struct page)) >> PAGE_SHIFT. */
const memmapPages = (spanned: bigint): bigint => (spanned * STRUCT_PAGE_30 + PAGE_SIZE - 1n) >> PAGE_SHIFT;

/** rounddown_pow_of_two(n) for n ≥ 1. */
function rounddownPow2(n: bigint): bigint {
  let p = 1n;
  while (p * 2n <= n) p *= 2n;
  return p;
}

/** roundup_pow_of_two(n) for n ≥ 1. */
function roundupPow2(n: bigint): bigint {
  let p = 1n;
  while (p < n) p *= 2n;
  return p;
}

/** ilog2(n) for n ≥ 1. */
function ilog2(n: bigint): bigint {
  let l = -1n;
  for (let v = n; v > 0n; v >>= 1n) l++;
  return l;
}

/**
 * zone_batchsize() (mm/page_alloc.c, 3.0.1, CONFIG_MMU): batch = present_pages / 1024, capped at
 * 512K / PAGE_SIZE, divided by 4, at least 1, then rounddown_pow_of_two(batch + batch / 2) − 1.
 */
export function zoneBatchsize30(presentPages: bigint): bigint {
  let batch = presentPages / 1024n;
  if (batch * PAGE_SIZE > 512n * 1024n) batch = (512n * 1024n) / PAGE_SIZE;
  batch /= 4n;
  if (batch < 1n) batch = 1n;
  return rounddownPow2(batch + batch / 2n) - 1n;
}

/** The zones of enum zone_type for this build (include/linux/mmzone.h, 3.0.1): DMA, Normal, HighMem, Movable. */
function zoneNames30(ctx: Boot30Context): Zone30['name'][] {
  return [...(configEnabled(ctx.kernel, 'ZONE_DMA') ? ['DMA' as const] : []), 'Normal', ...(ctx.traits.highmem ? ['HighMem' as const] : []), 'Movable'];
}

/** Pages of the active ranges inside [start, end): what zone_absent_pages_in_node() leaves present. */
export function presentIn(ranges: readonly { startPfn: bigint; endPfn: bigint }[], start: bigint, end: bigint): bigint {
  let n = 0n;
  for (const r of ranges) {
    const s = r.startPfn > start ? r.startPfn : start;
    const e = r.endPfn < end ? r.endPfn : end;
    if (e > s) n += e - s;
  }
  return n;
}

/**
 * paging_init() → zone_sizes_init() → free_area_init_nodes(max_zone_pfns) (3.0.1): max_zone_pfns DMA =
 * MAX_DMA_PFN, Normal = max_low_pfn, HighMem = highend_pfn; arch_zone_lowest_possible_pfn[0] =
 * find_min_pfn_with_active_regions(), each next zone starting where the previous ended. Prints the
 * "Zone PFN ranges:" block, "Movable zone start PFN for each node" (no kernelcore=: none), the
 * early_node_map, then for node 0 "On node 0 totalpages:" and free_area_init_core()'s zone lines.
 */
export const freeAreaInitNodes30: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'freeAreaInitNodes30');
  const ranges = need(l.activeRanges, 'freeAreaInitNodes30', 'activeRanges');
  const maxLowPfn = need(l.maxLowPfn, 'freeAreaInitNodes30', 'maxLowPfn');
  const highendPfn = need(l.highendPfn, 'freeAreaInitNodes30', 'highendPfn');
  if (ranges.length === 0) throw new SimError('SIM_NOT_MODELLED', 'zones', 'no active PFN range (no RAM in memblock.memory)');
  const names = zoneNames30(ctx);
  const maxZonePfn = names.map((n) => (n === 'DMA' ? MAX_DMA_PFN : n === 'Normal' ? maxLowPfn : n === 'HighMem' ? highendPfn : 0n));
  const lowest: bigint[] = [];
  const highest: bigint[] = [];
  const minPfn = ranges.reduce((m, r) => (r.startPfn < m ? r.startPfn : m), ranges[0]!.startPfn);
  names.forEach((n, i) => {
    if (n === 'Movable') {
      lowest.push(0n);
      highest.push(0n);
    } else if (i === 0) {
      lowest.push(minPfn);
      highest.push(maxZonePfn[0]!);
    } else {
      lowest.push(highest[i - 1]!);
      highest.push(maxZonePfn[i]! > highest[i - 1]! ? maxZonePfn[i]! : highest[i - 1]!);
    }
  });
  const x10 = (v: bigint): string => hexAlt(v, 10); // "%0#10lx"
  const lines: DmesgLine[] = [line('zones', 'zones.pfn_header', 'Zone PFN ranges:')];
  names.forEach((n, i) => {
    if (n === 'Movable') return;
    const head = `  ${fmtS(n, -8)} `;
    // "empty" is printed as 5.10's zones.range prints it: the catalog keeps one family for the one text
    lines.push(lowest[i] === highest[i] ? line('zones', 'zones.range', `${head}empty`) : line('zones', 'zones.pfn_range', `${head}${x10(lowest[i]!)} -> ${x10(highest[i]!)}`));
  });
  lines.push(line('zones', 'zones.movable_pfn_header', 'Movable zone start PFN for each node'));
  // sort_node_map(): by start_pfn
  const sorted = [...ranges].sort((a, b) => (a.startPfn < b.startPfn ? -1 : a.startPfn > b.startPfn ? 1 : 0));
  lines.push(line('zones', 'zones.early_node_map', `early_node_map[${sorted.length}] active PFN ranges`));
  for (const r of sorted) lines.push(line('zones', 'zones.early_node_range', `  ${fmtS('0', 3)}: ${x10(r.startPfn)} -> ${x10(r.endPfn)}`));

  // free_area_init_node(0): node_start_pfn/… from get_pfn_range_for_nid(); calculate_node_totalpages()
  const nodeStart = minPfn;
  const nodeEnd = sorted.reduce((m, r) => (r.endPfn > m ? r.endPfn : m), 0n);
  const zones: Zone30[] = names.map((name, i) => {
    // zone_spanned_pages_in_node(): the zone's range clipped to the node's
    const s = lowest[i]! > nodeStart ? lowest[i]! : nodeStart;
    const e = highest[i]! < nodeEnd ? highest[i]! : nodeEnd;
    const spanned = e > s ? e - s : 0n;
    const present = spanned === 0n ? 0n : presentIn(sorted, s, e);
    return { name, startPfn: spanned === 0n ? 0n : s, spanned, present, memmapPages: 0n, realsize: present };
  });
  const totalpages = zones.reduce((n, z) => n + z.present, 0n);
  lines.push(line('zones', 'zones.totalpages', `On node 0 totalpages: ${totalpages}`, {
    pages: zones.filter((z) => z.present !== 0n).map((z) => term(`${z.name}: spanned ${z.spanned} − holes ${z.spanned - z.present}`, `${z.present} pages`, 'mm/page_alloc.c calculate_node_totalpages(): zone_spanned_pages_in_node() − zone_absent_pages_in_node() over early_node_map (3.0.1)')),
  }));
  // free_area_init_core(): memmap pages, dma_reserve (0: memblock_find_dma_reserve() sets it on X86_64 only)
  const dmaReserve = 0n;
  let nrKernelPages = 0n;
  let nrAllPages = 0n;
  const done: Zone30[] = zones.map((z, j) => {
    let realsize = z.present;
    const mm = memmapPages(z.spanned);
    if (realsize >= mm) {
      realsize -= mm;
      if (mm !== 0n) lines.push(line('zones', 'zones.memmap', `  ${z.name} zone: ${mm} pages used for memmap`, { pages: [term(`PAGE_ALIGN(spanned ${z.spanned} × sizeof(struct page) ${STRUCT_PAGE_30}) >> PAGE_SHIFT`, `${mm} pages`, FAIC)] }));
    } else {
      throw new SimError('SIM_NOT_MODELLED', 'zones', `zone ${z.name}: "%lu pages exceeds realsize" (memmap ${mm} > present ${realsize}) is not modelled`);
    }
    if (j === 0 && realsize > dmaReserve) {
      realsize -= dmaReserve;
      lines.push(line('zones', 'zones.dma_reserved', `  ${names[0]} zone: ${dmaReserve} pages reserved`));
    }
    if (z.name !== 'HighMem') nrKernelPages += realsize;
    nrAllPages += realsize;
    // zone_pcp_init(): "  %s zone: %lu pages, LIFO batch:%u" when present_pages
    if (realsize !== 0n) {
      lines.push(line('zones', 'zones.batch', `  ${z.name} zone: ${realsize} pages, LIFO batch:${zoneBatchsize30(realsize)}`, {
        pages: [term(`present ${z.present} − memmap ${mm}${j === 0 ? ` − dma_reserve ${dmaReserve}` : ''}`, `${realsize} pages`, FAIC)],
        batch: [term('rounddown_pow_of_two(b + b / 2) − 1, b = min(present / 1024, 512K / PAGE_SIZE) / 4, at least 1', `${zoneBatchsize30(realsize)}`, 'mm/page_alloc.c zone_batchsize() (3.0.1)')],
      }));
    }
    return { ...z, memmapPages: mm, realsize };
  });
  return { state: withSlice(state, 'legacy30', { ...l, zones: done, nrKernelPages, nrAllPages }), lines };
};

/** pageblock_nr_pages × MIGRATE_TYPES: 1 << (MAX_ORDER − 1) = 1024 (no HUGETLB_PAGE) × 5 (include/linux/mmzone.h, 3.0.1). */
const MOBILITY_MIN_PAGES = 1024n * 5n;

/**
 * start_kernel() → build_all_zonelists(NULL) (3.0.1): vm_total_pages = nr_free_pagecache_pages(), the
 * present pages of every zone less its high watermark (still 0 before init_per_zone_wmark_min());
 * mobility grouping off below pageblock_nr_pages × MIGRATE_TYPES; zone order (set_zonelist_order()
 * without NUMA); nr_online_nodes 1.
 */
export const buildAllZonelists30: Stage30Fn = (state): Stage30Result => {
  const l = legacy30Of(state, 'buildAllZonelists30');
  const zones = need(l.zones, 'buildAllZonelists30', 'zones');
  const total = zones.reduce((n, z) => n + z.realsize, 0n);
  const grouping = total < MOBILITY_MIN_PAGES ? 'off' : 'on';
  const explain = {
    total: zones.filter((z) => z.realsize !== 0n).map((z) => term(`${z.name}: present_pages (high watermark 0 before init_per_zone_wmark_min)`, `${z.realsize} pages`, 'mm/page_alloc.c nr_free_pagecache_pages() → nr_free_zone_pages() (3.0.1)')),
    grouping: [term(`Total pages ${total} ${grouping === 'off' ? '<' : '≥'} pageblock_nr_pages 1024 × MIGRATE_TYPES 5`, grouping, 'mm/page_alloc.c build_all_zonelists() (3.0.1)')],
  };
  return { state, lines: [line('zonelists', 'zonelists.built_legacy', `Built 1 zonelists in Zone order, mobility grouping ${grouping}.  Total pages: ${total}`, explain)] };
};

/** HASH_EARLY / HASH_SMALL (include/linux/bootmem.h, 3.0.1). */
const HASH_SMALL = 2;

/** One HASH_EARLY table's alloc_large_system_hash() arguments. */
export interface EarlyHash30 {
  readonly name: string;
  readonly bucket: bigint;
  readonly scale: bigint;
  readonly flags: number;
  readonly hashShift: bigint;
  readonly limit: bigint;
}

/** kernel/pid.c pidhash_init() (3.0.1, 2.6.34): "PID", sizeof(struct hlist_head) 4, scale 18, HASH_EARLY | HASH_SMALL, pidhash_shift 4, limit 4096. */
export const PID_HASH_30: EarlyHash30 = { name: 'PID', bucket: 4n, scale: 18n, flags: 1 | HASH_SMALL, hashShift: 4n, limit: 4096n };
/** fs/dcache.c dcache_init_early() (3.0.1: hlist_bl_head; 2.6.34: hlist_head; 4 bytes both): scale 13, HASH_EARLY, dhash_entries 0 (refused). */
export const DENTRY_HASH_30: EarlyHash30 = { name: 'Dentry cache', bucket: 4n, scale: 13n, flags: 1, hashShift: 0n, limit: 0n };
/** fs/inode.c inode_init_early() (3.0.1, 2.6.34): hlist_head 4, scale 14, HASH_EARLY, ihash_entries 0 (refused). */
export const INODE_HASH_30: EarlyHash30 = { name: 'Inode-cache', bucket: 4n, scale: 14n, flags: 1, hashShift: 0n, limit: 0n };

/**
 * alloc_large_system_hash() (mm/page_alloc.c, 3.0.1; 2.6.34 the same but for the %d of the entries) for a
 * HASH_EARLY table with numentries 0: nr_kernel_pages rounded up to a MB of pages, scaled by
 * 2^(PAGE_SHIFT − scale), HASH_SMALL keeping at least 1 << *_hash_shift, else at least a page;
 * roundup_pow_of_two, capped at `limit` or nr_all_pages × PAGE_SIZE / 16 / bucketsize. The bootmem
 * allocation never fails here, so log2qty stays. Its line and the bytes the boot allocator gives it.
 */
export function earlyHashTable30(h: EarlyHash30, nrKernelPages: bigint, nrAllPages: bigint): { readonly text: string; readonly bytes: bigint } {
  const mb = 1n << (20n - PAGE_SHIFT);
  let n = ((nrKernelPages + mb - 1n) >> (20n - PAGE_SHIFT)) << (20n - PAGE_SHIFT);
  n = h.scale > PAGE_SHIFT ? n >> (h.scale - PAGE_SHIFT) : n << (PAGE_SHIFT - h.scale);
  if (h.flags & HASH_SMALL) {
    if ((n >> h.hashShift) === 0n) n = 1n << h.hashShift;
  } else if (n * h.bucket < PAGE_SIZE) n = PAGE_SIZE / h.bucket;
  n = roundupPow2(n);
  const max = h.limit !== 0n ? h.limit : (nrAllPages << PAGE_SHIFT) / 16n / h.bucket;
  if (n > max) n = max;
  const log2qty = ilog2(n);
  const size = h.bucket << log2qty;
  return { text: `${h.name} hash table entries: ${1n << log2qty} (order: ${ilog2(size) - PAGE_SHIFT}, ${size} bytes)`, bytes: size };
}

/** The line of earlyHashTable30(). */
export function allocLargeSystemHash30(name: string, bucket: bigint, scale: bigint, flags: number, hashShift: bigint, limit: bigint, nrKernelPages: bigint, nrAllPages: bigint): string {
  return earlyHashTable30({ name, bucket, scale, flags, hashShift, limit }, nrKernelPages, nrAllPages).text;
}

/** kernel/pid.c pidhash_init() (3.0.1): PID_HASH_30. */
export const pidhashInit30: Stage30Fn = (state): Stage30Result => {
  const l = legacy30Of(state, 'pidhashInit30');
  const text = earlyHashTable30(PID_HASH_30, need(l.nrKernelPages, 'pidhashInit30', 'nrKernelPages'), need(l.nrAllPages, 'pidhashInit30', 'nrAllPages')).text;
  return { state, lines: [line('hashes', 'hash.pid', text)] };
};

/**
 * vfs_caches_init_early() (fs/dcache.c, 3.0.1): dcache_init_early() — "Dentry cache", sizeof(struct
 * hlist_bl_head) 4, scale 13 — and inode_init_early() — "Inode-cache", sizeof(struct hlist_head) 4,
 * scale 14 — both HASH_EARLY (hashdist is 0 without NUMA), dhash_entries/ihash_entries 0 (refused).
 */
export const vfsCachesInitEarly30: Stage30Fn = (state): Stage30Result => {
  const l = legacy30Of(state, 'vfsCachesInitEarly30');
  const k = need(l.nrKernelPages, 'vfsCachesInitEarly30', 'nrKernelPages');
  const a = need(l.nrAllPages, 'vfsCachesInitEarly30', 'nrAllPages');
  return {
    state,
    lines: [
      line('hashes', 'hash.dentry_legacy', earlyHashTable30(DENTRY_HASH_30, k, a).text),
      line('hashes', 'hash.inode_legacy', earlyHashTable30(INODE_HASH_30, k, a).text),
    ],
  };
};
