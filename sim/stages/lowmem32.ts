// models the i386 lowmem/highmem split (5.10.223, 6.1.176): arch/x86/mm/init_32.c find_low_pfn_range,
// lowmem_pfn_init / highmem_pfn_init, initmem_init and setup_bootmem_allocator; MAXMEM from
// arch/x86/include/asm/pgtable_32_areas.h with the fixmap of asm/fixmap.h and the cpu_entry_area of
// asm/cpu_entry_area.h; the early identity map of arch/x86/kernel/head32.c mk_early_pgtbl_32
// ("initial memory mapped", printed by setup_arch on X86_32).
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import { slice, sliceIfAny, withSlice } from '../state.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import { pagingGeometry, configEnabled, kernelConfig } from '../traits.ts';
import { e820StateOf } from './e820.ts';
import { fmt010Lx, fmt08lx, fmtLu } from '../lib/printk.ts';
import { PAGE_SHIFT, PAGE_SIZE, SZ_1M, PFN_DOWN } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { memoryRangesForZones } from './mem-pfn-ranges.ts';
import { bootCommandLine, parseParams } from './cmdline.ts';
import { memparse } from '../lib/memparse.ts';

/** arch/x86/mm/pgtable_32.c: __FIXADDR_TOP = 0xfffff000 (only reserve_top_address, i.e. Xen PV, moves it). */
export const FIXADDR_TOP = 0xfffff000n;
/** arch/x86/mm/pgtable_32.c: __VMALLOC_RESERVE = 128 << 20 unless vmalloc= sets it (vmallocReserve32). */
export const VMALLOC_RESERVE = 128n << 20n;
/** arch/x86/include/asm/pgtable_32_areas.h VMALLOC_OFFSET (8M): the guard hole parse_vmalloc() adds. */
const VMALLOC_OFFSET = 8n << 20n;

/**
 * arch/x86/mm/init_32.c parse_highmem() (early_param, X86_32; 5.10.223, 6.1.176): highmem_pages =
 * memparse(size) >> PAGE_SHIFT, the last one winning; undefined without highmem= (highmem_pages −1).
 */
const U32 = 0xffffffffn;
export function highmemPages32(cmdline: string): bigint | undefined {
  let pages: bigint | undefined;
  for (const p of parseParams(cmdline)) {
    if (p.param === '--' && p.val === undefined) break;
    if (p.param !== 'highmem') continue;
    if (p.val === undefined) throw new SimError('SIM_NOT_MODELLED', 'lowmem32', 'cmdline: highmem without a size ("Malformed early option \'highmem\'") is not modelled');
    pages = (memparse(p.val).value >> PAGE_SHIFT) & U32; // static unsigned int highmem_pages
  }
  return pages === U32 ? undefined : pages; // −1 is "no highmem=" to lowmem_pfn_init / highmem_pfn_init
}

/**
 * arch/x86/mm/pgtable_32.c parse_vmalloc() (early_param, X86_32 only; 5.10.223, 6.1.176): each
 * vmalloc=size sets __VMALLOC_RESERVE = memparse(size) + VMALLOC_OFFSET, so the last one wins; a bare
 * "vmalloc" is -EINVAL ("Malformed early option"), refused.
 */
export function vmallocReserve32(cmdline: string): { bytes: bigint; source: string } {
  let r = { bytes: VMALLOC_RESERVE, source: 'arch/x86/mm/pgtable_32.c: 128 << 20' };
  for (const p of parseParams(cmdline)) {
    if (p.param === '--' && p.val === undefined) break;
    if (p.param !== 'vmalloc') continue;
    if (p.val === undefined) throw new SimError('SIM_NOT_MODELLED', 'lowmem32', 'cmdline: vmalloc without a size ("Malformed early option \'vmalloc\'") is not modelled');
    r = { bytes: memparse(p.val).value + VMALLOC_OFFSET, source: `arch/x86/mm/pgtable_32.c parse_vmalloc(): vmalloc=${p.val} + VMALLOC_OFFSET (8M)` };
  }
  return r;
}
/** arch/x86/include/asm/apicdef.h: MAX_IO_APICS 64 on X86_32. */
const MAX_IO_APICS_32 = 64n;
/** arch/x86/include/asm/fixmap.h: NR_FIX_BTMAPS 64 × FIX_BTMAPS_SLOTS 8. */
const TOTAL_FIX_BTMAPS = 512n;

/** What enum fixed_addresses (arch/x86/include/asm/fixmap.h, X86_32) is built from. */
export interface Fixmap32Input {
  /** PTRS_PER_PTE: 512 (PAE) or 1024; the btmaps may not straddle a PTE page. */
  readonly ptrsPerPte: bigint;
  readonly nrCpus: bigint;
  /** Per-CPU kmap slots: KM_MAX_IDX (KMAP_LOCAL, ≥ 5.11) or KM_TYPE_NR (5.10). */
  readonly kmapSlotsPerCpu: bigint;
  /** Slots between FIX_EARLYCON_MEM_BASE and FIX_KMAP_BEGIN (OHCI1394, APIC, IO_APIC ×64). */
  readonly beforeKmap: bigint;
  /** Permanent slots after FIX_KMAP_END (PCIE_MCFG, PARAVIRT_BOOTMAP, LNW_VRTC, APEI_GHES ×2). */
  readonly afterKmap: bigint;
  /** Slots after FIX_WP_TEST (FIX_TBOOT_BASE). */
  readonly tail: bigint;
}

/** The enum fixed_addresses indices the stages read (5.10.223 / 6.1.176, X86_32). */
export interface Fixmap32 {
  readonly kmapBegin: bigint;
  readonly kmapEnd: bigint;
  readonly btmapBegin: bigint;
  readonly endOfFixed: bigint;
}

/** enum fixed_addresses: FIX_HOLE, FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE, …, FIX_KMAP_BEGIN..END, …, btmaps, FIX_WP_TEST, … */
export function fixmapIndices32(i: Fixmap32Input): Fixmap32 {
  const kmapBegin = 3n + i.beforeKmap;
  const kmapEnd = kmapBegin + i.kmapSlotsPerCpu * i.nrCpus - 1n;
  const endPermanent = kmapEnd + 1n + i.afterKmap;
  // FIX_BTMAP_END: rounded so the 512 btmap slots do not straddle a PTE page
  const crosses = ((endPermanent ^ (endPermanent + TOTAL_FIX_BTMAPS - 1n)) & -i.ptrsPerPte) !== 0n;
  const btmapEnd = crosses ? endPermanent + TOTAL_FIX_BTMAPS - (endPermanent & (TOTAL_FIX_BTMAPS - 1n)) : endPermanent;
  const btmapBegin = btmapEnd + TOTAL_FIX_BTMAPS - 1n;
  // FIX_WP_TEST = FIX_BTMAP_BEGIN + 1, then FIX_TBOOT_BASE (INTEL_TXT), then __end_of_fixed_addresses
  return { kmapBegin, kmapEnd, btmapBegin, endOfFixed: btmapBegin + 2n + i.tail };
}

/** The fixmap's inputs from facts.config (every option named here is in KEPT_OPTIONS: absent means not set). */
export function fixmapInput32(ctx: BootContext): Fixmap32Input {
  const k = ctx.kernel;
  const on = (o: string): bigint => (configEnabled(k, o) ? 1n : 0n);
  const nrCpus = BigInt(kernelConfig(k, 'NR_CPUS') ?? '0');
  if (nrCpus === 0n) throw new SimError('SIM_NOT_MODELLED', 'lowmem32', 'facts.config: expected CONFIG_NR_CPUS for the i386 fixmap, got none');
  return {
    ptrsPerPte: ctx.traits.ptrsPerPte,
    nrCpus,
    // include/asm-generic/kmap_size.h KM_MAX_IDX 16 (33 with DEBUG_KMAP_LOCAL) under KMAP_LOCAL (≥ 5.11);
    // 5.10: KM_TYPE_NR 20 (41 with DEBUG_HIGHMEM), include/asm-generic/kmap_types.h
    kmapSlotsPerCpu: configEnabled(k, 'KMAP_LOCAL') ? (configEnabled(k, 'DEBUG_KMAP_LOCAL') ? 33n : 16n) : configEnabled(k, 'DEBUG_HIGHMEM') ? 41n : 20n,
    // [FIX_OHCI1394_BASE], [FIX_APIC_BASE], [FIX_IO_APIC_BASE_0 … +MAX_IO_APICS−1]
    beforeKmap: on('PROVIDE_OHCI1394_DMA_INIT') + on('X86_LOCAL_APIC') + on('X86_IO_APIC') * MAX_IO_APICS_32,
    // FIX_PCIE_MCFG, FIX_PARAVIRT_BOOTMAP, FIX_LNW_VRTC (5.10), FIX_APEI_GHES_IRQ/NMI
    afterKmap: on('PCI_MMCONFIG') + on('PARAVIRT_XXL') + on('X86_INTEL_MID') + 2n * on('ACPI_APEI_GHES'),
    // [FIX_TBOOT_BASE]
    tail: on('INTEL_TXT'),
  };
}

export const fixmap32 = (ctx: BootContext): Fixmap32 => fixmapIndices32(fixmapInput32(ctx));

/** The terms of MAXMEM_PFN, each with where it comes from. */
export interface Layout32 {
  readonly pageOffset: bigint;
  readonly pmdSize: bigint;
  readonly fixaddrTotPages: bigint;
  readonly cpuEntryAreaPages: bigint;
  /** CPU_ENTRY_AREA_BASE (asm/pgtable_32_areas.h), PMD-aligned below the fixmap. */
  readonly cpuEntryAreaBase: bigint;
  readonly pkmapBase: bigint;
  readonly vmallocEnd: bigint;
  readonly maxmemPfn: bigint;
  readonly explain: readonly ExplainTerm[];
}

export interface Layout32Input {
  readonly pae: boolean;
  readonly highmem: boolean;
  readonly pageOffset: bigint;
  readonly nrCpus: bigint;
  /** Per-CPU kmap slots: KM_MAX_IDX (KMAP_LOCAL, ≥ 5.11) or KM_TYPE_NR (5.10). */
  readonly kmapSlotsPerCpu: bigint;
  /** Permanent fixmap slots besides FIX_HOLE, DBGP, EARLYCON and the kmap block. */
  readonly extraPermanentSlots: bigint;
  /** Slots after FIX_WP_TEST (FIX_TBOOT_BASE). */
  readonly extraTailSlots: bigint;
  /** __VMALLOC_RESERVE and where it comes from. Default: 128M (no vmalloc=). */
  readonly vmallocReserve?: { readonly bytes: bigint; readonly source: string };
}

/**
 * sizeof(struct cpu_entry_area) on X86_32 in pages (asm/cpu_entry_area.h, identical in 5.10.223 and
 * 6.1.176): gdt 1 + guard_entry_stack 1 + entry_stack_page 1 + guard_doublefault_stack 1 +
 * doublefault_stack 1 (page-aligned) + tss_struct 5 (x86_hw_tss 104 + x86_io_bitmap 8+4+2×(8192+4),
 * __aligned(PAGE_SIZE) → 20480) + debug_store 1 (__aligned(PAGE_SIZE)) + debug_store_buffers 32
 * (BTS_BUFFER_SIZE + PEBS_BUFFER_SIZE = 2 × (PAGE_SIZE << 4), asm/intel_ds.h) = 43.
 */
export const CPU_ENTRY_AREA_PAGES_PER_CPU_32 = 43n;

/** MAXMEM_PFN = PFN_DOWN(VMALLOC_END − PAGE_OFFSET − __VMALLOC_RESERVE) (asm/pgtable_32_areas.h). */
export function layout32(i: Layout32Input): Layout32 {
  const { pmdShift, ptrsPerPte } = pagingGeometry(i.pae);
  const pmdSize = 1n << pmdShift;
  const pmdMask = ~(pmdSize - 1n);
  const fx = fixmapIndices32({ ptrsPerPte, nrCpus: i.nrCpus, kmapSlotsPerCpu: i.kmapSlotsPerCpu, beforeKmap: 0n, afterKmap: i.extraPermanentSlots, tail: i.extraTailSlots });
  const endOfFixed = fx.endOfFixed;
  const fixaddrTotStart = FIXADDR_TOP - (endOfFixed << PAGE_SHIFT);
  const ceaPages = i.nrCpus * CPU_ENTRY_AREA_PAGES_PER_CPU_32;
  // CPU_ENTRY_AREA_BASE: "+1 is for the readonly IDT page"
  const ceaBase = (fixaddrTotStart - PAGE_SIZE * (ceaPages + 1n)) & pmdMask;
  const ldtBase = (ceaBase - PAGE_SIZE) & pmdMask;
  const pkmapBase = (ldtBase - PAGE_SIZE) & pmdMask;
  const vmallocEnd = i.highmem ? pkmapBase - 2n * PAGE_SIZE : ldtBase - 2n * PAGE_SIZE;
  const reserve = i.vmallocReserve ?? { bytes: VMALLOC_RESERVE, source: 'arch/x86/mm/pgtable_32.c: 128 << 20' };
  const maxmem = vmallocEnd - i.pageOffset - reserve.bytes;
  // MAXMEM below the 16M CONFIG_PHYSICAL_START would leave no lowmem for the kernel image
  if (maxmem < 16n << 20n) throw new SimError('SIM_NOT_MODELLED', 'lowmem32', `__VMALLOC_RESERVE 0x${reserve.bytes.toString(16)} leaves MAXMEM 0x${(maxmem < 0n ? 0n : maxmem).toString(16)}, below the kernel image: not modelled`);
  const src = 'arch/x86/include/asm/pgtable_32_areas.h, fixmap.h (5.10/6.1)';
  return {
    pageOffset: i.pageOffset,
    pmdSize,
    fixaddrTotPages: endOfFixed,
    cpuEntryAreaPages: ceaPages,
    cpuEntryAreaBase: ceaBase,
    pkmapBase,
    vmallocEnd,
    maxmemPfn: PFN_DOWN(maxmem),
    explain: [
      { name: 'FIXADDR_TOP', value: `0x${FIXADDR_TOP.toString(16)}`, source: 'arch/x86/mm/pgtable_32.c __FIXADDR_TOP' },
      { name: '__end_of_fixed_addresses (pages)', value: endOfFixed, source: `${src}: 3 + KM slots × NR_CPUS (${i.kmapSlotsPerCpu}×${i.nrCpus}) + ${i.extraPermanentSlots}, btmaps rounded to ${fx.btmapBegin - (TOTAL_FIX_BTMAPS - 1n)}+512, FIX_WP_TEST` },
      { name: 'CPU_ENTRY_AREA_PAGES', value: ceaPages, source: `NR_CPUS × ${CPU_ENTRY_AREA_PAGES_PER_CPU_32} (sizeof(struct cpu_entry_area), asm/cpu_entry_area.h)` },
      { name: 'PKMAP_BASE', value: `0x${pkmapBase.toString(16)}`, source: `${src}: CPU_ENTRY_AREA_BASE → LDT_BASE_ADDR → PKMAP_BASE, each & PMD_MASK (0x${pmdSize.toString(16)})` },
      { name: 'VMALLOC_END', value: `0x${vmallocEnd.toString(16)}`, source: `${src}: PKMAP_BASE − 2 × PAGE_SIZE (CONFIG_HIGHMEM)` },
      { name: 'PAGE_OFFSET', value: `0x${i.pageOffset.toString(16)}`, source: 'CONFIG_PAGE_OFFSET (facts.config)' },
      { name: '__VMALLOC_RESERVE', value: `0x${reserve.bytes.toString(16)}`, source: reserve.source },
      { name: 'MAXMEM_PFN', value: `0x${PFN_DOWN(maxmem).toString(16)}`, source: 'PFN_DOWN(VMALLOC_END − PAGE_OFFSET − __VMALLOC_RESERVE)' },
    ],
  };
}

/** The layout for this kernel, from facts.config. */
export function kernelLayout32(ctx: BootContext): Layout32 {
  const traits = ctx.traits;
  const pageOffset = kernelConfig(ctx.kernel, 'PAGE_OFFSET');
  if (pageOffset === undefined) throw new SimError('SIM_NOT_MODELLED', 'lowmem32', 'facts.config: expected CONFIG_PAGE_OFFSET for the i386 MAXMEM layout, got none');
  const f = fixmapInput32(ctx);
  return layout32({
    pae: traits.pae, highmem: traits.highmem, pageOffset: BigInt(pageOffset), nrCpus: f.nrCpus, kmapSlotsPerCpu: f.kmapSlotsPerCpu,
    extraPermanentSlots: f.beforeKmap + f.afterKmap, extraTailSlots: f.tail, vmallocReserve: vmallocReserve32(bootCommandLine(ctx.spec)),
  });
}

/** What the i386 stages leave for memblock (current_limit) and zones. */
export interface Lowmem32State {
  readonly layout: Layout32;
  /** find_low_pfn_range(): max_low_pfn. */
  readonly maxLowPfn: bigint;
  /** max_pfn after find_low_pfn_range: highmem_pfn_init lowers it to MAXMEM_PFN + highmem= pages (max_possible_pfn keeps e820's). */
  readonly maxPfn: bigint;
  /** head32.c mk_early_pgtbl_32: max_pfn_mapped before init_mem_mapping. */
  readonly initialMappedPfn: bigint;
  /** initmem_init: highstart_pfn / highend_pfn (CONFIG_HIGHMEM). */
  readonly highstartPfn: bigint;
  readonly highendPfn: bigint;
}

export function lowmem32StateOf(state: BootState): Lowmem32State {
  return slice(state, 'lowmem32');
}

/**
 * max_low_pfn for any arch: i386 from find_low_pfn_range (this module), x86_64 from setup_arch's
 * e820__end_of_low_ram_pfn (the e820 stage). For memblock's current_limit and zone_sizes_init.
 */
export function maxLowPfnOf(state: BootState): bigint {
  const lm = sliceIfAny(state, 'lowmem32');
  if (lm) return lm.maxLowPfn;
  const e = e820StateOf(state);
  if (e.maxLowPfn === undefined) throw new SimError('SIM_NOT_MODELLED', 'lowmem32', 'max_low_pfn: expected e820LowPfn (x86_64) or findLowPfnRange (i386) to have run first');
  return e.maxLowPfn;
}

/** max_pfn after find_low_pfn_range (i386) or e820 (x86_64). */
export function maxPfnOf(state: BootState): bigint {
  const lm = sliceIfAny(state, 'lowmem32');
  if (lm) return lm.maxPfn;
  const e = e820StateOf(state);
  if (e.maxPfn === undefined) throw new SimError('SIM_NOT_MODELLED', 'lowmem32', 'max_pfn: expected the e820 trim stage to have run first');
  return e.maxPfn;
}

/** head32.c: limit = __pa(_end) + (PAGE_TABLE_SIZE(LOWMEM_PAGES) << PAGE_SHIFT), mapped in whole PTE pages. */
export function initialMappedPfn(endPa: bigint, pageOffset: bigint, pae: boolean): { pfn: bigint; explain: ExplainTerm[] } {
  // asm/pgtable_32.h: LOWMEM_PAGES = ((2 << 31) − __PAGE_OFFSET) >> PAGE_SHIFT;
  // PAGE_TABLE_SIZE(pages) = pages / PTRS_PER_PMD + PTRS_PER_PGD (PAE: 512, 4) or pages / PTRS_PER_PGD (1024)
  const lowmemPages = ((2n << 31n) - pageOffset) >> PAGE_SHIFT;
  const ptPages = pae ? lowmemPages / 512n + 4n : lowmemPages / 1024n;
  const limit = endPa + (ptPages << PAGE_SHIFT);
  const chunk = pagingGeometry(pae).ptrsPerPte * PAGE_SIZE; // one PTE page maps PTRS_PER_PTE pages
  const mapped = ((limit + chunk - 1n) / chunk) * chunk; // "while ((pte.pte & PTE_PFN_MASK) < limit)"
  return {
    pfn: mapped >> PAGE_SHIFT,
    explain: [
      { name: '__pa(_end)', value: `0x${endPa.toString(16)}`, source: 'facts.image.symbols._end' },
      { name: 'PAGE_TABLE_SIZE(LOWMEM_PAGES) pages', value: ptPages, source: 'arch/x86/include/asm/pgtable_32.h' },
      { name: 'PTE page span', value: `0x${chunk.toString(16)}`, source: 'arch/x86/kernel/head32.c mk_early_pgtbl_32: whole PTE pages until ≥ limit' },
    ],
  };
}

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => (explain ? { stage: 'highmem', fmt, text, explain } : { stage: 'highmem', fmt, text });

// setup_arch (X86_32) after the PAT lines: find_low_pfn_range(); prints only when highmem= is ignored
export const findLowPfnRange: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  if (traits.arch !== 'i386') return { state, lines: [] };
  const e = e820StateOf(state);
  if (e.maxPfn === undefined) throw new SimError('SIM_NOT_MODELLED', 'lowmem32', 'state.e820.maxPfn: expected the trim stage to have run first');
  const layout = kernelLayout32(ctx);
  let maxPfn = e.maxPfn;
  // lowmem_pfn_init (max_pfn ≤ MAXMEM_PFN): max_low_pfn = max_pfn, less highmem= pages; highmem_pfn_init: MAXMEM_PFN
  const highmemPages = highmemPages32(bootCommandLine(ctx.spec));
  let maxLowPfn = maxPfn <= layout.maxmemPfn ? maxPfn : layout.maxmemPfn;
  const lines: DmesgLine[] = [];
  const mbOf = (pages: bigint): bigint => pages >> (20n - PAGE_SHIFT); // pages_to_mb()
  if (highmemPages !== undefined && traits.highmem) {
    if (maxPfn <= layout.maxmemPfn) {
      // lowmem_pfn_init(): MSG_HIGHMEM_TOO_BIG / MSG_LOWMEM_TOO_SMALL print KERN_ERR and set highmem_pages = 0
      if (highmemPages >= maxPfn) {
        lines.push(line('highmem.too_big', `highmem size (${fmtLu(mbOf(highmemPages))}MB) is bigger than pages available (${fmtLu(mbOf(maxPfn))}MB)!`));
      } else if (maxLowPfn - highmemPages < (64n << 20n) >> PAGE_SHIFT) {
        lines.push(line('highmem.lowmem_too_small', `highmem size (${fmtLu(mbOf(highmemPages))}MB) results in <64MB lowmem, ignoring it!`));
      } else {
        maxLowPfn -= highmemPages;
      }
    } else if (((highmemPages + layout.maxmemPfn) & U32) > maxPfn) { // unsigned int + unsigned long, 32-bit
      // highmem_pfn_init(): highmem_pages + MAXMEM_PFN > max_pfn prints MSG_HIGHMEM_TOO_SMALL (KERN_WARNING), max_pfn kept
      lines.push(line('highmem.too_small', `only ${fmtLu(mbOf(maxPfn - layout.maxmemPfn))}MB highmem pages available, ignoring highmem size of ${fmtLu(mbOf(highmemPages))}MB!`));
    } else if (((highmemPages + layout.maxmemPfn) & U32) < maxPfn) {
      // highmem_pfn_init(): highmem_pages + MAXMEM_PFN < max_pfn lowers max_pfn = MAXMEM_PFN + highmem_pages
      // after the e820 stage (max_possible_pfn and memblock.memory keep the e820 end)
      maxPfn = layout.maxmemPfn + highmemPages;
    }
  } else if (highmemPages !== undefined) {
    throw new SimError('SIM_NOT_MODELLED', 'lowmem32', 'cmdline: highmem= on a kernel without CONFIG_HIGHMEM ("ignoring highmem size on non-highmem kernel!") is not modelled');
  }
  const symbols = ctx.kernel.facts?.image?.symbols;
  if (!symbols) throw new SimError('SIM_NOT_MODELLED', 'lowmem32', 'facts.image.symbols._end: expected the image layout for the early page tables');
  const init = initialMappedPfn(BigInt(symbols._end), layout.pageOffset, traits.pae);
  // initmem_init (!CONFIG_NUMA): highstart_pfn = highend_pfn = max_pfn; highstart = max_low_pfn if above
  const highendPfn = maxPfn;
  const highstartPfn = traits.highmem && maxPfn > maxLowPfn ? maxLowPfn : maxPfn;
  const lowmem32: Lowmem32State = { layout, maxLowPfn, maxPfn, initialMappedPfn: init.pfn, highstartPfn, highendPfn };
  return { state: withSlice(state, 'lowmem32', lowmem32), lines };
};

// setup_arch (X86_32), after the MP-table scan: printk(KERN_DEBUG "initial memory mapped: [mem 0x00000000-%#010lx]\n")
export const initialMemoryMapped: StageFn = (state, ctx): StageResult => {
  if (ctx.traits.arch !== 'i386') return { state, lines: [] };
  const lm = lowmem32StateOf(state);
  const symbols = ctx.kernel.facts!.image.symbols;
  const init = initialMappedPfn(BigInt(symbols._end), lm.layout.pageOffset, ctx.traits.pae);
  const end = (lm.initialMappedPfn << PAGE_SHIFT) - 1n;
  return {
    state,
    lines: [line('i386.initial_mapped', `initial memory mapped: [mem 0x00000000-${fmt010Lx(end)}]`, { start: [{ name: '0', value: '0x00000000', source: 'literal in setup_arch (X86_32)' }], end: init.explain })],
  };
};

/**
 * init_mem_mapping() on X86_32 (arch/x86/mm/init.c): memory_map_top_down resets max_pfn_mapped to 0,
 * then maps the ISA range and every memblock.memory range clipped to [ISA_END_ADDRESS, max_low_pfn);
 * add_pfn_range_mapped keeps the highest end.
 */
export function mappedLowPfn(memory: readonly { readonly startPfn: bigint; readonly endPfn: bigint }[], maxLowPfn: bigint): bigint {
  let top = SZ_1M >> PAGE_SHIFT; // init_memory_mapping(0, ISA_END_ADDRESS)
  for (const r of memory) {
    const isaEnd = SZ_1M >> PAGE_SHIFT;
    const s = r.startPfn > isaEnd ? r.startPfn : isaEnd;
    const e = r.endPfn < maxLowPfn ? r.endPfn : maxLowPfn;
    if (s < e && e > top) top = e;
  }
  return top;
}

// initmem_init() (X86_32, !CONFIG_NUMA) and setup_bootmem_allocator(): the four lowmem lines
export const initmemInit32: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  if (traits.arch !== 'i386') return { state, lines: [] };
  const lm = lowmem32StateOf(state);
  const lines: DmesgLine[] = [];
  const mb = (pages: bigint) => pages >> (20n - PAGE_SHIFT); // pages_to_mb()
  if (traits.highmem) {
    const hi = lm.highendPfn - lm.highstartPfn;
    lines.push(line('highmem.available', `${fmtLu(mb(hi))}MB HIGHMEM available.`, {
      size: [
        { name: 'highend_pfn (max_pfn)', value: `0x${lm.highendPfn.toString(16)}`, source: 'arch/x86/mm/init_32.c initmem_init' },
        { name: 'highstart_pfn (max_low_pfn)', value: `0x${lm.highstartPfn.toString(16)}`, source: 'arch/x86/mm/init_32.c initmem_init' },
        { name: 'pages_to_mb', value: '>> 8', source: 'include/linux/mm.h pages_to_mb' },
      ],
    }));
  }
  lines.push(line('lowmem.available', `${fmtLu(mb(lm.maxLowPfn))}MB LOWMEM available.`, {
    size: [{ name: 'max_low_pfn', value: `0x${lm.maxLowPfn.toString(16)}`, source: 'find_low_pfn_range: min(max_pfn, MAXMEM_PFN)' }, ...lm.layout.explain],
  }));
  // initmem_init() ends with setup_bootmem_allocator()
  lines.push(...setupBootmemAllocator(state, ctx, lm));
  return { state, lines };
};

/**
 * setup_bootmem_allocator() (arch/x86/mm/init_32.c, 5.10 and 6.1): prints "  mapped low ram: 0 - %08lx"
 * (max_pfn_mapped) and "  low ram: 0 - %08lx" (max_low_pfn). Called at the end of initmem_init (X86_32, !NUMA).
 */
function setupBootmemAllocator(state: BootState, ctx: BootContext, lm: Lowmem32State): DmesgLine[] {
  const memory = memoryRangesForZones(state, ctx);
  const mapped = mappedLowPfn(memory, lm.maxLowPfn);
  return [
    line('i386.mapped_low', `  mapped low ram: 0 - ${fmt08lx(mapped << PAGE_SHIFT)}`, {
      end: [{ name: 'max_pfn_mapped', value: `0x${mapped.toString(16)}`, source: 'arch/x86/mm/init.c init_mem_mapping: end of the last memblock.memory range below max_low_pfn' }],
    }),
    line('i386.low_ram', `  low ram: 0 - ${fmt08lx(lm.maxLowPfn << PAGE_SHIFT)}`, {
      end: [{ name: 'max_low_pfn', value: `0x${lm.maxLowPfn.toString(16)}`, source: 'arch/x86/mm/init_32.c setup_bootmem_allocator' }],
    }),
  ];
}
