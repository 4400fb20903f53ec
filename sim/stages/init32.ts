// models the i386 page tables and memblock allocations of the boot (5.10.223, 6.1.176), in boot
// order: arch/x86/kernel/head32.c mk_early_pgtbl_32 (early PTE pages in brk); arch/x86/mm/init.c
// init_mem_mapping on X86_32 (kernel_physical_mapping_init in init_32.c, early_ioremap_page_table_range_init);
// paging_init → permanent_kmaps_init; free_area_init → alloc_node_mem_map and setup_usemap (FLATMEM,
// mm/page_alloc.c); the small setup_arch and start_kernel allocations; trap_init →
// setup_cpu_entry_areas (arch/x86/mm/cpu_entry_area.c). Page-table pages come from alloc_low_pages
// (arch/x86/mm/init.c): the brk pgt_buf while it lasts, then memblock below max_pfn_mapped.
//
// A "PMD slot" is a kernel virtual address >> PMD_SHIFT (21 with PAE, 22 without): one PTE page
// each. PMD pages themselves are never allocated: head_32.S gives every kernel PGD entry a PMD
// page (initial_pg_pmd, KPMDS of them) and swapper_pg_dir copies them (setup_arch clone_pgd_range).
import type { BootContext, BootState, Stage, StageResult } from '../boot.ts';
import { deriveTraits, configEnabled, versionAtLeast, type KernelTraits } from '../traits.ts';
import { ALIGN, PAGE_SHIFT, PAGE_SIZE, SZ_1M } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import {
  adoptRecordedRequests, memblockAlloc, memblockFree, memblockPhysAllocRange, memblockStateOf,
  withMemblock, SMP_CACHE_BYTES, type MemblockState,
} from './memblock.ts';
import { CPU_ENTRY_AREA_PAGES_PER_CPU_32, kernelLayout32, lowmem32StateOf } from './lowmem32.ts';
import { e820StateOf } from './e820.ts';
import { nosaveRegions } from './setup-arch-late.ts';
import { bootCommandLine } from './cmdline.ts';
import { zonesStateOf } from './zones.ts';

const STAGE = 'init32';
/** arch/x86/mm/pgtable_32.c: __FIXADDR_TOP = 0xfffff000. */
const FIXADDR_TOP = 0xfffff000n;
/** arch/x86/include/asm/apicdef.h: MAX_IO_APICS 64 on X86_32. */
const MAX_IO_APICS_32 = 64n;
/** arch/x86/include/asm/fixmap.h: NR_FIX_BTMAPS 64 × FIX_BTMAPS_SLOTS 8. */
const TOTAL_FIX_BTMAPS = 512n;
/** include/linux/mmzone.h MAX_ORDER_NR_PAGES = 1 << (MAX_ORDER − 1), MAX_ORDER 11 (no FORCE_MAX_ZONEORDER on x86). */
const MAX_ORDER_NR_PAGES = 1024n;
/** include/linux/pageblock-flags.h NR_PAGEBLOCK_BITS (5.10, 6.1): 3 migratetype bits + PB_migrate_skip. */
const NR_PAGEBLOCK_BITS = 4n;
/** arch/x86/include/asm/e820/types.h ISA_END_ADDRESS */
const ISA_END_ADDRESS = SZ_1M;

const w = (why: string, source: string) => ({ why, source, stage: STAGE });

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
  return { pae: traits.pae, pmdShift: traits.pae ? 21n : 22n, ptrsPerPte: traits.pae ? 512n : 1024n, pageOffset };
}

const pmdSize = (g: Geometry32): bigint => 1n << g.pmdShift;

/** The enum fixed_addresses indices the page-table code reads (arch/x86/include/asm/fixmap.h, 5.10.223 / 6.1.176, X86_32). */
export interface Fixmap32 {
  readonly kmapBegin: bigint;
  readonly kmapEnd: bigint;
  readonly btmapBegin: bigint;
  readonly endOfFixed: bigint;
}

export function fixmap32(ctx: BootContext): Fixmap32 {
  const k = ctx.kernel;
  const on = (o: string): bigint => (configEnabled(k, o) ? 1n : 0n);
  const nrCpus = BigInt(k.facts.config['NR_CPUS'] ?? '0');
  if (nrCpus === 0n) throw new SimError('SIM_NOT_MODELLED', STAGE, 'facts.config: expected CONFIG_NR_CPUS for the fixmap');
  // FIX_HOLE, FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE, [FIX_OHCI1394_BASE], [FIX_APIC_BASE], [FIX_IO_APIC_BASE_0 … +MAX_IO_APICS−1]
  const kmapBegin = 3n + on('PROVIDE_OHCI1394_DMA_INIT') + on('X86_LOCAL_APIC') + on('X86_IO_APIC') * MAX_IO_APICS_32;
  // KM_MAX_IDX (include/asm-generic/kmap_size.h, KMAP_LOCAL ≥ 5.11: 16, 33 with DEBUG_KMAP_LOCAL) or KM_TYPE_NR (5.10: 20, 41 with DEBUG_HIGHMEM)
  const slots = configEnabled(k, 'KMAP_LOCAL') ? (configEnabled(k, 'DEBUG_KMAP_LOCAL') ? 33n : 16n) : configEnabled(k, 'DEBUG_HIGHMEM') ? 41n : 20n;
  const kmapEnd = kmapBegin + slots * nrCpus - 1n;
  // FIX_PCIE_MCFG, FIX_PARAVIRT_BOOTMAP, FIX_LNW_VRTC (5.10), FIX_APEI_GHES_IRQ/NMI
  const endPermanent = kmapEnd + 1n + on('PCI_MMCONFIG') + on('PARAVIRT_XXL') + on('X86_INTEL_MID') + 2n * on('ACPI_APEI_GHES');
  const ptrsPerPte = deriveTraits(k).pae ? 512n : 1024n;
  const crosses = ((endPermanent ^ (endPermanent + TOTAL_FIX_BTMAPS - 1n)) & -ptrsPerPte) !== 0n;
  const btmapEnd = crosses ? endPermanent + TOTAL_FIX_BTMAPS - (endPermanent & (TOTAL_FIX_BTMAPS - 1n)) : endPermanent;
  const btmapBegin = btmapEnd + TOTAL_FIX_BTMAPS - 1n;
  // FIX_WP_TEST, [FIX_TBOOT_BASE], __end_of_fixed_addresses
  const endOfFixed = btmapBegin + 2n + on('INTEL_TXT');
  return { kmapBegin, kmapEnd, btmapBegin, endOfFixed };
}

/** include/asm-generic/fixmap.h __fix_to_virt(x) = FIXADDR_TOP − (x << PAGE_SHIFT). */
const fixToVirt = (x: bigint): bigint => FIXADDR_TOP - (x << PAGE_SHIFT);

/**
 * head32.c mk_early_pgtbl_32(): PTE pages from __brk_base, each mapping PTRS_PER_PTE pages, until the
 * map reaches __pa(_end) + PAGE_TABLE_SIZE(LOWMEM_PAGES) pages; the head (not a guess) of the brk.
 */
export function earlyPtePages32(ctx: BootContext): bigint {
  const traits = deriveTraits(ctx.kernel);
  const pageOffset = BigInt(ctx.kernel.facts.config['PAGE_OFFSET'] ?? '0');
  const g = geometry32(traits, pageOffset);
  const lowmemPages = ((2n << 31n) - pageOffset) >> PAGE_SHIFT;
  const ptPages = g.pae ? lowmemPages / 512n + 4n : lowmemPages / 1024n;
  const limit = BigInt(ctx.kernel.facts.image.symbols._end) + (ptPages << PAGE_SHIFT);
  const span = g.ptrsPerPte * PAGE_SIZE;
  return (limit + span - 1n) / span;
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
  const s = state['pgt32'] as PageTables32 | undefined;
  if (!s) throw new SimError('SIM_NOT_MODELLED', STAGE, 'state.pgt32: expected init_mem_mapping (X86_32) to have run first');
  return s;
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
        ...w(`page table (${what})`, 'arch/x86/mm/init.c: alloc_low_pages() → memblock_phys_alloc_range (6.1)'),
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
export function initMemMapping32(ctx: BootContext, mb0: MemblockState, maxLowPfn: bigint, pgtBufStart: bigint, pgtBufPages: bigint): { mb: MemblockState; pgt: PageTables32 } {
  const traits = deriveTraits(ctx.kernel);
  const pageOffset = BigInt(ctx.kernel.facts.config['PAGE_OFFSET'] ?? '0');
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
    maxPfnMapped: (early * g.ptrsPerPte), memblockPages: 0, canUseBrk: true, mb: mb0,
  };
  // "the ISA range is always mapped regardless of memory holes"
  initMemoryMapping32(p, g, maxLowPfn, 0n, ISA_END_ADDRESS);
  // memory_map_top_down(ISA_END_ADDRESS, max_low_pfn << PAGE_SHIFT)
  const mapStart = ISA_END_ADDRESS;
  const mapEnd = maxLowPfn << PAGE_SHIFT;
  const P = pmdSize(g);
  const probe = memblockPhysAllocRange(p.mb, { size: P, align: P, start: mapStart, end: mapEnd, ...w('init_mem_mapping probe', 'arch/x86/mm/init.c: memory_map_top_down() (6.1)') });
  p.mb = memblockFree(probe.mb, probe.addr, P);
  const realEnd = probe.addr + P;
  let step = P;
  p.maxPfnMapped = 0n;
  p.minPfnMapped = realEnd >> PAGE_SHIFT;
  let lastStart = realEnd;
  let mapped = 0n;
  while (lastStart > mapStart) {
    let start = lastStart > step ? (lastStart - 1n) - ((lastStart - 1n) % step) : mapStart;
    if (start < mapStart) start = mapStart;
    mapped += initRangeMemoryMapping32(p, g, maxLowPfn, start, lastStart);
    lastStart = start;
    p.minPfnMapped = lastStart >> PAGE_SHIFT;
    // get_new_step_size(): step_size << (PMD_SHIFT − PAGE_SHIFT − 1)
    if (mapped >= step) step <<= g.pmdShift - PAGE_SHIFT - 1n;
  }
  if (realEnd < mapEnd) initRangeMemoryMapping32(p, g, maxLowPfn, realEnd, mapEnd);
  // early_ioremap_page_table_range_init(): [fix_to_virt(__end_of_fixed_addresses − 1) & PMD_MASK, 4G)
  const fixStart = fixToVirt(fx.endOfFixed - 1n) & ~(P - 1n);
  pageTableRangeInit(p, g, fx, fixStart, 1n << 32n, 'fixmap');
  return { mb: p.mb, pgt: freeze(p) };
}

// setup_arch → x86_init.paging.pagetable_init → native_pagetable_init → paging_init → pagetable_init →
// permanent_kmaps_init(): page_table_range_init(PKMAP_BASE, PKMAP_BASE + PAGE_SIZE × LAST_PKMAP)
export const pagingInit32: Stage = (state, ctx): StageResult => {
  const traits = deriveTraits(ctx.kernel);
  if (traits.arch !== 'i386' || !traits.highmem) return { state, lines: [] };
  const layout = lowmem32StateOf(state).layout;
  const g = geometry32(traits, layout.pageOffset);
  const p = thaw(pgt32Of(state), memblockStateOf(state));
  // include/asm/highmem.h LAST_PKMAP: PTRS_PER_PTE (PAE 512, else 1024): one PMD
  pageTableRangeInit(p, g, undefined, layout.pkmapBase, layout.pkmapBase + g.ptrsPerPte * PAGE_SIZE, 'pkmap');
  return { state: { ...withMemblock(state, p.mb), pgt32: freeze(p) }, lines: [] };
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
export const flatmemInit: Stage = (state, ctx): StageResult => {
  const traits = deriveTraits(ctx.kernel);
  if (traits.arch !== 'i386' || traits.memoryModel !== 'flatmem') return { state, lines: [] };
  const z = zonesStateOf(state);
  let mb = memblockStateOf(state);
  const page = BigInt(ctx.kernel.facts.structs['page']!.bytes);
  const v61 = versionAtLeast(traits.version, 6, 1);
  // include/linux/pageblock-flags.h: pageblock_order = HUGETLB_PAGE_ORDER (HUGETLB_PAGE) = HPAGE_SHIFT − PAGE_SHIFT, HPAGE_SHIFT = PMD_SHIFT
  if (!configEnabled(ctx.kernel, 'HUGETLB_PAGE')) throw new SimError('SIM_NOT_MODELLED', STAGE, 'pageblock_order without HUGETLB_PAGE (MAX_ORDER − 1) is not modelled');
  const pageblockOrder = (traits.pae ? 21n : 22n) - PAGE_SHIFT;
  for (const n of z.nodes) {
    if (n.spannedPages === 0n) continue;
    const start = n.startPfn & ~(MAX_ORDER_NR_PAGES - 1n);
    const end = ALIGN(n.endPfn, MAX_ORDER_NR_PAGES);
    const size = (end - start) * page;
    mb = memblockAlloc(mb, {
      size, align: SMP_CACHE_BYTES, nid: n.node,
      ...w(`mem_map of node ${n.node} (pfn 0x${start.toString(16)}…0x${end.toString(16)} × ${page})`, v61 ? 'mm/page_alloc.c: alloc_node_mem_map() → memmap_alloc (6.1)' : 'mm/page_alloc.c: alloc_node_mem_map() → memblock_alloc_node (5.10)'),
    }).mb;
    for (const zone of n.zones) {
      if (zone.spannedPages === 0n) continue;
      const bytes = usemapSize32(zone.startPfn, zone.spannedPages, pageblockOrder);
      mb = memblockAlloc(mb, { size: bytes, align: SMP_CACHE_BYTES, nid: n.node, ...w(`pageblock flags of ${zone.name}`, 'mm/page_alloc.c: setup_usemap() (6.1)') }).mb;
    }
  }
  return { state: withMemblock(state, mb), lines: [] };
};

// ---------------------------------------------------------------------------------------------
// Small allocations of setup_arch and start_kernel (32-bit struct sizes derived from the source)

/** sizeof(struct resource) (include/linux/ioport.h): start, end (resource_size_t: u64 with PAE), name, flags, desc, 3 pointers. */
const resourceBytes32 = (pae: boolean): bigint => 2n * (pae ? 8n : 4n) + 3n * 4n + 3n * 4n;
/**
 * sizeof(struct firmware_map_entry) (drivers/firmware/memmap.c): u64 start, end; type; list_head; then
 * struct kobject (include/linux/kobject.h: name, entry 8, parent, kset, ktype, sd, kref, the bit
 * fields = 36 without DEBUG_KOBJECT_RELEASE) = 8 + 8 + 4 + 8 + 36 = 64, 4-byte aligned on i386.
 */
const FIRMWARE_MAP_ENTRY_32 = 64n;
/** sizeof(struct nosave_region) (kernel/power/snapshot.c): list_head 8 + two unsigned long = 16. */
const NOSAVE_REGION_32 = 16n;
/** arch/x86/kernel/acpi/boot.c HPET_RESOURCE_NAME_SIZE; arch/x86/kernel/apic/io_apic.c IOAPIC_RESOURCE_NAME_SIZE. */
const HPET_RESOURCE_NAME_SIZE = 9n;
const IOAPIC_RESOURCE_NAME_SIZE = 11n;

// setup_arch() after paging_init: acpi_parse_hpet, io_apic_init_mappings, e820__reserve_resources
// (+ firmware_map_add_early per firmware entry), e820__register_nosave_regions — QEMU 7.2 pc/q35 have
// one HPET table and one I/O APIC (hw/i386/acpi-build.c build_hpet, acpi-common.c build_madt)
export const setupArchAllocs32: Stage = (state, ctx): StageResult => {
  const traits = deriveTraits(ctx.kernel);
  if (traits.arch !== 'i386') return { state, lines: [] };
  let mb = memblockStateOf(state);
  const e = e820StateOf(state);
  const alloc = (size: bigint, why: string, source: string): void => {
    mb = memblockAlloc(mb, { size, align: SMP_CACHE_BYTES, ...w(why, source) }).mb;
  };
  const res = resourceBytes32(traits.pae);
  alloc(res + HPET_RESOURCE_NAME_SIZE, 'HPET resource', 'arch/x86/kernel/acpi/boot.c: acpi_parse_hpet() (6.1)');
  alloc(res + IOAPIC_RESOURCE_NAME_SIZE, 'I/O APIC resources (1 I/O APIC)', 'arch/x86/kernel/apic/io_apic.c: ioapic_setup_resources() (6.1)');
  alloc(res * BigInt(e.table.length), `e820 resources (${e.table.length} entries)`, 'arch/x86/kernel/e820.c: e820__reserve_resources() (6.1)');
  e.firmwareTable.forEach((_, i) => alloc(FIRMWARE_MAP_ENTRY_32, `firmware_map_entry ${i}`, 'drivers/firmware/memmap.c: firmware_map_add_early() (6.1)'));
  const maxPfn = lowmem32StateOf(state).maxPfn;
  let lastEnd: bigint | undefined;
  for (const [s, en] of nosaveRegions(e.table, maxPfn, traits.nosaveStyle, traits.e820Style === 'classic')) {
    if (lastEnd !== s) alloc(NOSAVE_REGION_32, `nosave_region [pfn ${s.toString(16)}, ${en.toString(16)})`, 'kernel/power/snapshot.c: register_nosave_region() (6.1)');
    lastEnd = en;
  }
  return { state: withMemblock(state, mb), lines: [] };
};

// start_kernel() → setup_command_line(): saved_command_line and static_command_line, strlen + 1 each
// (no bootconfig, no extra_init_args), before setup_per_cpu_areas
export const setupCommandLine32: Stage = (state, ctx): StageResult => {
  if (deriveTraits(ctx.kernel).arch !== 'i386') return { state, lines: [] };
  const len = BigInt(new TextEncoder().encode(bootCommandLine(ctx.spec)).length) + 1n;
  let mb = memblockStateOf(state);
  mb = memblockAlloc(mb, { size: len, align: SMP_CACHE_BYTES, ...w('saved_command_line', 'init/main.c: setup_command_line() (6.1)') }).mb;
  mb = memblockAlloc(mb, { size: len, align: SMP_CACHE_BYTES, ...w('static_command_line', 'init/main.c: setup_command_line() (6.1)') }).mb;
  return { state: withMemblock(state, mb), lines: [] };
};

/**
 * sizeof(struct pcpu_chunk) without populated[] and sizeof(struct pcpu_block_md) on X86_32
 * (mm/percpu-internal.h, 5.10.223 and 6.1.176; the 686 builds have no BTF): chunk = list 8,
 * free_bytes 4, chunk_md 32, base_addr/alloc_map/bound_map/md_blocks/data 20, immutable (+ isolated,
 * 6.1) padded to 4, start/end_offset 8, obj_cgroups 4 with MEMCG_KMEM, nr_pages/nr_populated/
 * nr_empty_pop_pages 12 = 92 (88 without MEMCG_KMEM; no PERCPU_STATS in the Debian builds);
 * pcpu_block_md = 8 ints = 32.
 */
export function pcpuStructs32(ctx: BootContext): { chunkBytes: number; blockMdBytes: number } {
  return { chunkBytes: configEnabled(ctx.kernel, 'MEMCG_KMEM') ? 92 : 88, blockMdBytes: 32 };
}

// start_kernel → trap_init → setup_cpu_entry_areas → setup_cpu_entry_area_ptes() (X86_32):
// populate_extra_pte for each PMD of [CPU_ENTRY_AREA_BASE, + CPU_ENTRY_AREA_MAP_SIZE)
export const trapInit32: Stage = (state, ctx): StageResult => {
  const traits = deriveTraits(ctx.kernel);
  if (traits.arch !== 'i386') return { state, lines: [] };
  const st = adoptRecordedRequests(state);
  const layout = kernelLayout32(ctx);
  const g = geometry32(traits, layout.pageOffset);
  const fx = fixmap32(ctx);
  if (fx.endOfFixed !== layout.fixaddrTotPages) throw new SimError('SIM_NOT_MODELLED', STAGE, `fixmap: __end_of_fixed_addresses ${fx.endOfFixed} here, ${layout.fixaddrTotPages} in lowmem32`);
  const P = pmdSize(g);
  const nrCpus = BigInt(ctx.kernel.facts.config['NR_CPUS']!);
  // pgtable_32_areas.h CPU_ENTRY_AREA_BASE; cpu_entry_area.h CPU_ENTRY_AREA_MAP_SIZE = PAGE_SIZE (RO IDT) + NR_CPUS × sizeof(struct cpu_entry_area)
  const fixTotStart = FIXADDR_TOP - (fx.endOfFixed << PAGE_SHIFT);
  const ceaPages = nrCpus * CPU_ENTRY_AREA_PAGES_PER_CPU_32;
  const base = (fixTotStart - PAGE_SIZE * (ceaPages + 1n)) & ~(P - 1n);
  const end = base + (ceaPages + 1n) * PAGE_SIZE;
  const p = thaw(pgt32Of(st), memblockStateOf(st));
  for (let a = base; a < end; a += P) onePageTableInit(p, a >> g.pmdShift, 'cpu_entry_area PTE');
  return { state: { ...withMemblock(st, p.mb), pgt32: freeze(p) }, lines: [] };
};

