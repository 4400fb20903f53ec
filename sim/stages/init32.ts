// models the i386 page tables and memblock allocations of the boot (5.10.223, 6.1.176), in boot
// order: arch/x86/kernel/head32.c mk_early_pgtbl_32 (early PTE pages in brk); arch/x86/mm/init.c
// init_mem_mapping on X86_32 (kernel_physical_mapping_init in init_32.c, early_ioremap_page_table_range_init);
// paging_init → permanent_kmaps_init; free_area_init → alloc_node_mem_map and setup_usemap (FLATMEM,
// mm/page_alloc.c); trap_init → setup_cpu_entry_areas → setup_cpu_entry_area_ptes
// (arch/x86/mm/cpu_entry_area.c, for start-kernel.ts). Page-table pages come from alloc_low_pages
// (arch/x86/mm/init.c): the brk pgt_buf while it lasts, then memblock below max_pfn_mapped.
//
// A "PMD slot" is a kernel virtual address >> PMD_SHIFT (21 with PAE, 22 without): one PTE page
// each. PMD pages themselves are never allocated: head_32.S gives every kernel PGD entry a PMD
// page (initial_pg_pmd, KPMDS of them) and swapper_pg_dir copies them (setup_arch clone_pgd_range).
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import { configEnabled, type KernelTraits, kernelConfig } from '../traits.ts';
import { ALIGN, ISA_END_ADDRESS, PAGE_SHIFT, PAGE_SIZE, SZ_1M } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import {
  memblockAlloc, memblockFree, memblockPhysAllocRange, memblockStateOf, withMemblock, SMP_CACHE_BYTES, type MemblockState,
} from './memblock.ts';
import { fixmap32, initialMappedPfn, lowmem32StateOf, FIXADDR_TOP, type Fixmap32 } from './lowmem32.ts';
import { zonesStateOf } from './zones.ts';
import { pageblockOrder as pageblockOrderOf, structBytes } from './mm-inputs.ts';
import { slice, withSlice } from '../state.ts';
import { memoryMapTopDown } from './init-mapping.ts';

const STAGE = 'init32';
/** include/linux/mmzone.h MAX_ORDER_NR_PAGES = 1 << (MAX_ORDER − 1), MAX_ORDER 11 (no FORCE_MAX_ZONEORDER on x86). */
const MAX_ORDER_NR_PAGES = 1024n;
/** include/linux/pageblock-flags.h NR_PAGEBLOCK_BITS (5.10, 6.1): 3 migratetype bits + PB_migrate_skip. */
const NR_PAGEBLOCK_BITS = 4n;

const w = (why: string, source: string, caller: string) => ({ why, source, stage: STAGE, caller });

// ---------------------------------------------------------------------------------------------
// Geometry

export interface Geometry32 {
  readonly pae: boolean;
  /** PMD_SHIFT: 21 (PAE) or PGDIR_SHIFT 22 (2-level). */
  readonly pmdShift: bigint;
  /** PTRS_PER_PTE: 512 (PAE) or 1024. */
  readonly ptrsPerPte: bigint;
  readonly pageOffset: bigint;
}

export function geometry32(traits: KernelTraits, pageOffset: bigint): Geometry32 {
  return { pae: traits.pae, pmdShift: traits.pmdShift, ptrsPerPte: traits.ptrsPerPte, pageOffset };
}

const pmdSize = (g: Geometry32): bigint => 1n << g.pmdShift;

/** include/asm-generic/fixmap.h __fix_to_virt(x) = FIXADDR_TOP − (x << PAGE_SHIFT). */
const fixToVirt = (x: bigint): bigint => FIXADDR_TOP - (x << PAGE_SHIFT);

/**
 * head32.c mk_early_pgtbl_32(): PTE pages from __brk_base, each mapping PTRS_PER_PTE pages, up to
 * the initial mapping lowmem32.ts initialMappedPfn computes; the head (not a guess) of the brk.
 */
export function earlyPtePages32(ctx: BootContext): bigint {
  const traits = ctx.traits;
  const pageOffset = BigInt(kernelConfig(ctx.kernel, 'PAGE_OFFSET') ?? '0');
  const mapped = initialMappedPfn(BigInt(ctx.kernel.facts.image.symbols._end), pageOffset, traits.pae).pfn;
  return mapped / geometry32(traits, pageOffset).ptrsPerPte;
}

// ---------------------------------------------------------------------------------------------
// Page tables and alloc_low_pages

/** What the i386 page-table code leaves between stages (state.pgt32). */
export interface PageTables32 {
  /** PMD slots (kernel virtual address >> PMD_SHIFT) whose PTE page exists. */
  readonly present: readonly bigint[];
  /** Pages of the brk pgt_buf used, of pgtBufPages. */
  readonly pgtBufUsed: bigint;
  readonly pgtBufPages: bigint;
  /** Where pgt_buf starts (physical). */
  readonly pgtBufStart: bigint;
  readonly minPfnMapped: bigint;
  readonly maxPfnMapped: bigint;
  /** Pages taken from memblock by alloc_low_pages. */
  readonly memblockPages: number;
}

export function pgt32Of(state: BootState): PageTables32 {
  return slice(state, 'pgt32', STAGE);
}

interface Pgt {
  present: Set<bigint>;
  pgtBufUsed: bigint;
  readonly pgtBufPages: bigint;
  readonly pgtBufStart: bigint;
  minPfnMapped: bigint;
  maxPfnMapped: bigint;
  memblockPages: number;
  canUseBrk: boolean;
  mb: MemblockState;
  /** direct_pages_count[PG_LEVEL_4K], [PG_LEVEL_2M] (a 4M PSE page on 2-level paging) so far. */
  direct?: { k4: bigint; big: bigint };
}

const freeze = (p: Pgt): PageTables32 => ({
  present: [...p.present].sort((a, b) => (a < b ? -1 : 1)), pgtBufUsed: p.pgtBufUsed, pgtBufPages: p.pgtBufPages, pgtBufStart: p.pgtBufStart,
  minPfnMapped: p.minPfnMapped, maxPfnMapped: p.maxPfnMapped, memblockPages: p.memblockPages,
});
const thaw = (t: PageTables32, mb: MemblockState): Pgt => ({ ...t, present: new Set(t.present), canUseBrk: true, mb });

/** arch/x86/mm/init.c alloc_low_pages(num) before after_bootmem: pgt_buf, else memblock in [min_pfn_mapped, max_pfn_mapped). */
function allocLowPages(p: Pgt, num: bigint, what: string): void {
  if (p.pgtBufUsed + num > p.pgtBufPages || !p.canUseBrk) {
    if (p.minPfnMapped < p.maxPfnMapped) {
      p.mb = memblockPhysAllocRange(p.mb, {
        size: num * PAGE_SIZE, align: PAGE_SIZE, start: p.minPfnMapped << PAGE_SHIFT, end: p.maxPfnMapped << PAGE_SHIFT,
        ...w(`page table (${what})`, 'arch/x86/mm/init.c: alloc_low_pages() → memblock_phys_alloc_range (6.1)', 'alloc_low_pages'),
      }).mb;
      p.memblockPages += Number(num);
      return;
    }
    throw new SimError('SIM_NOT_MODELLED', STAGE, `alloc_low_pages (${what}): pgt_buf exhausted and nothing mapped; extend_brk after reserve_brk BUG()s`);
  }
  p.pgtBufUsed += num;
}

/** init_32.c one_page_table_init(pmd): a PTE page where the PMD entry is empty. */
function onePageTableInit(p: Pgt, slot: bigint, what: string): void {
  if (p.present.has(slot)) return;
  allocLowPages(p, 1n, what);
  p.present.add(slot);
}

interface MapRange { readonly start: bigint; readonly end: bigint; readonly large: boolean }

/** init.c split_mem_range() (X86_32) and adjust_range_page_size_mask(); PSE is on (qemu32/pentium CPUs have it). */
function splitMemRange32(g: Geometry32, mb: MemblockState, maxLowPfn: bigint, start: bigint, end: bigint): MapRange[] {
  const P = pmdSize(g);
  const out: MapRange[] = [];
  // "Don't use a large page for the first 2/4MB of memory"
  let headEnd = start === 0n ? P : ALIGN(start, P);
  if (headEnd > end) headEnd = end;
  let pos = start;
  if (start < headEnd) { out.push({ start, end: headEnd, large: false }); pos = headEnd; }
  const bigStart = ALIGN(pos, P);
  const bigEnd = end - (end % P);
  if (bigStart < bigEnd) { out.push({ start: bigStart, end: bigEnd, large: true }); pos = bigEnd; }
  if (pos < end) out.push({ start: pos, end, large: false });
  return out.map((r) => {
    if (r.large) return r;
    const s = r.start - (r.start % P);
    const e = ALIGN(r.end, P);
    if (e >> PAGE_SHIFT > maxLowPfn) return r; // X86_32: never past max_low_pfn
    return mb.memory.some((m) => m.start <= s && m.end >= e) ? { ...r, large: true } : r;
  });
}

/** init_memory_mapping(start, end) → kernel_physical_mapping_init: a PTE page per 4K-mapped PMD slot that has none. */
function initMemoryMapping32(p: Pgt, g: Geometry32, maxLowPfn: bigint, start: bigint, end: bigint): void {
  for (const r of splitMemRange32(g, p.mb, maxLowPfn, start, end)) {
    // init_32.c kernel_physical_mapping_init(), first pass: pages_2m per PMD a big piece touches (pfn &= PMD_MASK), pages_4k per PTE (6.1)
    if (p.direct) {
      const P = pmdSize(g);
      if (r.large) p.direct.big += (ALIGN(r.end, P) - (r.start - (r.start % P))) / P;
      else p.direct.k4 += (r.end >> PAGE_SHIFT) - (r.start >> PAGE_SHIFT);
    }
    if (r.large) continue;
    for (let a = r.start - (r.start % pmdSize(g)); a < r.end; a += pmdSize(g)) onePageTableInit(p, (a + g.pageOffset) >> g.pmdShift, 'lowmem PTE');
  }
  if (end >> PAGE_SHIFT > p.maxPfnMapped) p.maxPfnMapped = end >> PAGE_SHIFT;
}

/** init.c init_range_memory_mapping(): each memory region clipped; pgt_buf unusable where the range covers it. */
function initRangeMemoryMapping32(p: Pgt, g: Geometry32, maxLowPfn: bigint, rStart: bigint, rEnd: bigint): bigint {
  let mapped = 0n;
  const bufLo = () => p.pgtBufStart + p.pgtBufUsed * PAGE_SIZE;
  const bufHi = p.pgtBufStart + p.pgtBufPages * PAGE_SIZE;
  for (const m of p.mb.memory) {
    const s = m.start < rStart ? rStart : m.start > rEnd ? rEnd : m.start;
    const e = m.end < rStart ? rStart : m.end > rEnd ? rEnd : m.end;
    if (s >= e) continue;
    p.canUseBrk = (s > bufLo() ? s : bufLo()) >= (e < bufHi ? e : bufHi);
    initMemoryMapping32(p, g, maxLowPfn, s, e);
    mapped += e - s;
    p.canUseBrk = true;
  }
  return mapped;
}

/**
 * init.c page_table_range_init(start, end) (init_32.c): for the kmap PMDs (when FIX_KMAP spans more
 * than one) alloc_low_pages(count) first, then one_page_table_init per PMD, and
 * page_table_kmap_check() moves each kmap PMD's PTEs into one of those pages.
 */
function pageTableRangeInit(p: Pgt, g: Geometry32, fx: Fixmap32 | undefined, start: bigint, end: bigint, what: string): void {
  const kb = fx ? fixToVirt(fx.kmapEnd) >> g.pmdShift : 0n;
  const ke = fx ? fixToVirt(fx.kmapBegin) >> g.pmdShift : 0n;
  const slots: bigint[] = [];
  for (let a = start; a < end; a += pmdSize(g)) slots.push(a >> g.pmdShift);
  const isKmap = (s: bigint): boolean => fx !== undefined && kb !== ke && s >= kb && s <= ke;
  const count = BigInt(slots.filter(isKmap).length);
  if (count > 0n) allocLowPages(p, count, `${what}: kmap PTE pages (page_table_kmap_check)`);
  for (const s of slots) onePageTableInit(p, s, what);
}

/**
 * init_mem_mapping() on X86_32 (arch/x86/mm/init.c, 5.10/6.1): the ISA range, memory_map_top_down
 * to max_low_pfn, then early_ioremap_page_table_range_init() for the fixmap. Called by the memblock
 * setup stage in place of the x86_64 mapping; returns the new memblock and the page tables.
 */
export function initMemMapping32(ctx: BootContext, mb0: MemblockState, maxLowPfn: bigint, pgtBufStart: bigint, pgtBufPages: bigint): { mb: MemblockState; pgt: PageTables32; direct: { readonly k4: bigint; readonly big: bigint; readonly bigKb: bigint } } {
  const traits = ctx.traits;
  const pageOffset = BigInt(kernelConfig(ctx.kernel, 'PAGE_OFFSET') ?? '0');
  const g = geometry32(traits, pageOffset);
  const fx = fixmap32(ctx);
  const early = earlyPtePages32(ctx);
  const present = new Set<bigint>();
  // mk_early_pgtbl_32: PMD entries 0 … early−1 of the kernel map point at the brk PTE pages
  for (let i = 0n; i < early; i++) present.add((pageOffset >> g.pmdShift) + i);
  // head_32.S: initial_pg_fixmap in the last PMD entry (the top of the fixmap)
  present.add(FIXADDR_TOP >> g.pmdShift);
  // arch/x86/mm/ioremap.c early_ioremap_init(): bm_pte for the FIX_BTMAP PMD
  present.add(fixToVirt(fx.btmapBegin) >> g.pmdShift);
  const p: Pgt = {
    present, pgtBufUsed: 0n, pgtBufPages, pgtBufStart, minPfnMapped: 0n,
    maxPfnMapped: (early * g.ptrsPerPte), memblockPages: 0, canUseBrk: true, mb: mb0, direct: { k4: 0n, big: 0n },
  };
  // "the ISA range is always mapped regardless of memory holes"
  initMemoryMapping32(p, g, maxLowPfn, 0n, ISA_END_ADDRESS);
  // memory_map_top_down(ISA_END_ADDRESS, max_low_pfn << PAGE_SHIFT)
  memoryMapTopDown(p, ISA_END_ADDRESS, maxLowPfn << PAGE_SHIFT, g.pmdShift, (start, end) => initRangeMemoryMapping32(p, g, maxLowPfn, start, end), STAGE, traits.mapTopDownProbe);
  const P = pmdSize(g);
  // early_ioremap_page_table_range_init(): [fix_to_virt(__end_of_fixed_addresses − 1) & PMD_MASK, 4G)
  const fixStart = fixToVirt(fx.endOfFixed - 1n) & ~(P - 1n);
  pageTableRangeInit(p, g, fx, fixStart, 1n << 32n, 'fixmap');
  return { mb: p.mb, pgt: freeze(p), direct: { k4: p.direct!.k4, big: p.direct!.big, bigKb: pmdSize(g) >> 10n } };
}

// setup_arch → x86_init.paging.pagetable_init → native_pagetable_init → paging_init → pagetable_init →
// permanent_kmaps_init(): page_table_range_init(PKMAP_BASE, PKMAP_BASE + PAGE_SIZE × LAST_PKMAP)
export const permanentKmapsInit: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  if (traits.arch !== 'i386' || !traits.highmem) return { state, lines: [] };
  const layout = lowmem32StateOf(state).layout;
  const g = geometry32(traits, layout.pageOffset);
  const p = thaw(pgt32Of(state), memblockStateOf(state));
  // include/asm/highmem.h LAST_PKMAP: PTRS_PER_PTE (PAE 512, else 1024): one PMD
  pageTableRangeInit(p, g, undefined, layout.pkmapBase, layout.pkmapBase + g.ptrsPerPte * PAGE_SIZE, 'pkmap');
  return { state: withSlice(withMemblock(state, p.mb), 'pgt32', freeze(p)), lines: [] };
};

// ---------------------------------------------------------------------------------------------
// free_area_init (FLATMEM): the node's mem_map and the zones' pageblock bitmaps

/** mm/page_alloc.c usemap_size() (5.10, 6.1): NR_PAGEBLOCK_BITS per pageblock, in whole longs. */
export function usemapSize32(zoneStartPfn: bigint, zoneSize: bigint, pageblockOrder: bigint): bigint {
  const nrPages = 1n << pageblockOrder;
  let size = zoneSize + (zoneStartPfn & (nrPages - 1n));
  size = ((size + nrPages - 1n) / nrPages) * nrPages;
  let bits = (size >> pageblockOrder) * NR_PAGEBLOCK_BITS;
  bits = ALIGN(bits, 32n); // roundup(usemapsize, 8 * sizeof(unsigned long))
  return bits / 8n;
}

// free_area_init_node → alloc_node_mem_map (memmap_alloc in 6.1, memblock_alloc_node in 5.10), then
// free_area_init_core → setup_usemap for each zone with pages (FLATMEM only)
export const flatmemInit: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  if (traits.arch !== 'i386' || traits.memoryModel !== 'flatmem') return { state, lines: [] };
  const z = zonesStateOf(state);
  let mb = memblockStateOf(state);
  const page = structBytes(ctx, 'page', STAGE);
  const memmapAlloc = traits.memmapAlloc;
  const pageblockOrder = pageblockOrderOf(ctx, STAGE); // sim/stages/mm-inputs.ts
  for (const n of z.nodes) {
    if (n.spannedPages === 0n) continue;
    const start = n.startPfn & ~(MAX_ORDER_NR_PAGES - 1n);
    const end = ALIGN(n.startPfn + n.spannedPages, MAX_ORDER_NR_PAGES); // pgdat_end_pfn(): node_start_pfn + Σ zone spans (to max_pfn)
    const size = (end - start) * page;
    mb = memblockAlloc(mb, {
      size, align: SMP_CACHE_BYTES, nid: n.node,
      ...w(`mem_map of node ${n.node} (pfn 0x${start.toString(16)}…0x${end.toString(16)} × ${page})`, memmapAlloc ? 'mm/page_alloc.c: alloc_node_mem_map() → memmap_alloc (6.1)' : 'mm/page_alloc.c: alloc_node_mem_map() → memblock_alloc_node (5.10)',
        // free_area_init() calls free_area_init_node() in every version; from 6.4 (mm/mm_init.c) both are
        // static there and the 6.5 build inlines them: memblock=debug names free_area_init
        memmapAlloc ? 'free_area_init > free_area_init_node > alloc_node_mem_map > memmap_alloc' : 'free_area_init > free_area_init_node > alloc_node_mem_map'),
    }).mb;
    for (const zone of n.zones) {
      if (zone.spannedPages === 0n) continue;
      const bytes = usemapSize32(zone.startPfn, zone.spannedPages, pageblockOrder);
      mb = memblockAlloc(mb, { size: bytes, align: SMP_CACHE_BYTES, nid: n.node, ...w(`pageblock flags of ${zone.name}`, 'mm/page_alloc.c: setup_usemap() (6.1)', 'free_area_init > free_area_init_node > free_area_init_core > setup_usemap') }).mb;
    }
  }
  return { state: withMemblock(state, mb), lines: [] };
};

// ---------------------------------------------------------------------------------------------
// trap_init → setup_cpu_entry_areas (the X86_32 part; the stage is start-kernel.ts trapInit)

/**
 * arch/x86/mm/init_32.c populate_extra_pte(vaddr) (5.10, 6.1) for every page of [start, end), in
 * ascending order: populate_extra_pmd()'s one_md_table_init() allocates nothing (head_32.S gave
 * every kernel PGD entry its PMD page), one_page_table_init() a PTE page (alloc_low_pages) for each
 * PMD slot that has none. For callers outside the page-table stages (pcpu_page_first_chunk's
 * pcpu_populate_pte: sim/stages/percpu-page.ts).
 */
export function populateExtraPteRange32(pgt: PageTables32, mb: MemblockState, g: Geometry32, start: bigint, end: bigint, what: string): { mb: MemblockState; pgt: PageTables32 } {
  const p = thaw(pgt, mb);
  for (let slot = start >> g.pmdShift; slot << g.pmdShift < end; slot++) onePageTableInit(p, slot, what);
  return { mb: p.mb, pgt: freeze(p) };
}

/**
 * arch/x86/mm/cpu_entry_area.c setup_cpu_entry_area_ptes() (X86_32 only, 5.10/6.1): populate_extra_pte
 * (init_32.c: one_page_table_init) for each PMD of [CPU_ENTRY_AREA_BASE, + CPU_ENTRY_AREA_MAP_SIZE),
 * where CPU_ENTRY_AREA_MAP_SIZE = PAGE_SIZE (the RO IDT) + NR_CPUS × sizeof(struct cpu_entry_area).
 * Returns the state with the new PTE pages (pgt_buf or memblock) in pgt32 and memblock.
 */
export function setupCpuEntryAreaPtes32(state: BootState, ctx: BootContext): BootState {
  const traits = ctx.traits;
  const layout = lowmem32StateOf(state).layout;
  const g = geometry32(traits, layout.pageOffset);
  const P = pmdSize(g);
  const p = thaw(pgt32Of(state), memblockStateOf(state));
  const end = layout.cpuEntryAreaBase + (layout.cpuEntryAreaPages + 1n) * PAGE_SIZE;
  for (let a = layout.cpuEntryAreaBase; a < end; a += P) onePageTableInit(p, a >> g.pmdShift, 'cpu_entry_area PTE');
  return withSlice(withMemblock(state, p.mb), 'pgt32', freeze(p));
}
