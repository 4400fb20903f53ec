// arch/x86/mm/init_32.c of 3.0.1 and the X86_32 address-space layout it reads
// (arch/x86/include/asm/fixmap.h, pgtable_32_types.h, kmap_types.h): find_low_pfn_range()
// (lowmem_pfn_init / highmem_pfn_init), initmem_init() with memblock_x86_register_active_regions()
// and setup_bootmem_allocator()'s two lines.
import type { Boot30Context, Stage30Fn, Stage30Result } from './context-30.ts';
import type { DmesgLine } from '../../types.ts';
import { E820_RAM, type E820Entry } from '../../firmware/qemu-7.2.ts';
import { E820_RESERVED_KERN } from '../e820.ts';
import { fmt08lx } from '../../lib/printk.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { withSlice } from '../../state.ts';
import { configEnabled, kernelConfig } from '../../traits.ts';
import { legacy30Of, need } from './state-30.ts';
import { symbol30 } from './context-30.ts';
import { findInRange30, reserve30, type Memblock30 } from './memblock-30.ts';

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: 'highmem', fmt, text, ...(explain ? { explain } : {}) });
const lineSa = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: 'setup_arch', fmt, text, ...(explain ? { explain } : {}) });

/** FIXADDR_TOP: the default __FIXADDR_TOP, -PAGE_SIZE (arch/x86/mm/pgtable.c, 3.0.1; no reservetop=). */
const FIXADDR_TOP_30 = 0xfffff000n;
/** __VMALLOC_RESERVE without vmalloc= (arch/x86/mm/pgtable_32.c, 3.0.1: 128 << 20). */
const VMALLOC_RESERVE_30 = 128n << 20n;

/** The fixmap of one 3.0.1 X86_32 build: enum fixed_addresses (arch/x86/include/asm/fixmap.h, 3.0.1). */
export interface Fixmap30 {
  readonly endOfPermanent: bigint;
  readonly endOfFixed: bigint;
}

/**
 * enum fixed_addresses for X86_32 (3.0.1; 2.6.34 the same but for KM_TYPE_NR and FIX_LNW_VRTC): FIX_HOLE, FIX_VDSO, FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE,
 * [FIX_OHCI1394_BASE], [FIX_APIC_BASE], [FIX_IO_APIC_BASE_0 … + MAX_IO_APICS (64 on X86_32, apicdef.h)],
 * [4 VISWS entries], [FIX_F00F_IDT], [FIX_CYCLONE_TIMER], FIX_KMAP_BEGIN … + KM_TYPE_NR × NR_CPUS,
 * [FIX_PCIE_MCFG], [FIX_PARAVIRT_BOOTMAP], FIX_TEXT_POKE1, FIX_TEXT_POKE0, [FIX_LNW_VRTC]; then the
 * 256 boot-time slots rounded so they stay in one PTE page, FIX_WP_TEST and [FIX_TBOOT_BASE].
 */
export function fixmap30(ctx: Boot30Context): Fixmap30 {
  const on = (o: string): bigint => (configEnabled(ctx.kernel, o) ? 1n : 0n);
  const nrCpus = ctx.traits.nrCpus;
  if (nrCpus === undefined) throw new SimError('SIM_NOT_MODELLED', 'init_32', 'CONFIG_NR_CPUS: expected it in the kernel facts (FIX_KMAP_END), found none');
  // include/asm-generic/kmap_types.h: 20 types before KM_TYPE_NR in 3.0.1, 19 in 2.6.34 (no KM_KDB:
  // traits.kmKdbSlot); with __WITH_KM_FENCE (X86_32 && DEBUG_HIGHMEM, arch/x86/include/asm/kmap_types.h,
  // both versions) each KMAP_D(n) adds a fence entry, 2 × types + 1.
  const types = ctx.traits.kmKdbSlot ? 20n : 19n;
  const kmTypeNr = configEnabled(ctx.kernel, 'DEBUG_HIGHMEM') ? 2n * types + 1n : types;
  let n = 4n; // FIX_HOLE, FIX_VDSO, FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE
  n += on('PROVIDE_OHCI1394_DMA_INIT') + on('X86_LOCAL_APIC') + 64n * on('X86_IO_APIC') + 4n * on('X86_VISWS_APIC') + on('X86_F00F_BUG') + on('X86_CYCLONE_TIMER');
  n += kmTypeNr * BigInt(nrCpus);
  // FIX_LNW_VRTC only where the enum has it (traits.fixLnwVrtc: 3.0.1, not 2.6.34)
  n += on('PCI_MMCONFIG') + on('PARAVIRT') + 2n + (ctx.traits.fixLnwVrtc ? on('X86_MRST') : 0n);
  const endOfPermanent = n;
  // NR_FIX_BTMAPS 64 × FIX_BTMAPS_SLOTS 4; PTRS_PER_PTE 512 with PAE, 1024 without
  const total = 256n;
  const ptrsPerPte = ctx.traits.pae ? 512n : 1024n;
  const crosses = ((endOfPermanent ^ (endOfPermanent + total - 1n)) & -ptrsPerPte) !== 0n;
  const btmapEnd = crosses ? endOfPermanent + total - (endOfPermanent & (total - 1n)) : endOfPermanent;
  const btmapBegin = btmapEnd + total - 1n;
  const endOfFixed = btmapBegin + 1n /* FIX_WP_TEST */ + on('INTEL_TXT') + 1n;
  return { endOfPermanent, endOfFixed };
}

/** The X86_32 layout of 3.0.1 (arch/x86/include/asm/fixmap.h, pgtable_32_types.h). */
export interface Layout30 {
  readonly pageOffset: bigint;
  readonly fixaddrStart: bigint;
  readonly fixaddrTop: bigint;
  readonly pkmapBase: bigint;
  readonly lastPkmap: bigint;
  readonly vmallocEnd: bigint;
  /** MAXMEM_PFN: PFN_DOWN(VMALLOC_END − PAGE_OFFSET − __VMALLOC_RESERVE). */
  readonly maxmemPfn: bigint;
}

export function layout30(ctx: Boot30Context): Layout30 {
  const po = kernelConfig(ctx.kernel, 'PAGE_OFFSET');
  if (po === undefined) throw new SimError('SIM_NOT_MODELLED', 'init_32', 'CONFIG_PAGE_OFFSET: expected it in the kernel facts, found none');
  const pageOffset = BigInt(po);
  const fm = fixmap30(ctx);
  const fixaddrStart = FIXADDR_TOP_30 - (fm.endOfPermanent << PAGE_SHIFT);
  const fixaddrBootStart = FIXADDR_TOP_30 - (fm.endOfFixed << PAGE_SHIFT);
  const lastPkmap = ctx.traits.pae ? 512n : 1024n;
  // PMD_MASK: PMD_SHIFT 21 with PAE (pgtable-3level_types.h), PGDIR_SHIFT 22 folded without (pgtable-2level_types.h)
  const pmdMask = ~((1n << (ctx.traits.pae ? 21n : 22n)) - 1n);
  const pkmapBase = (fixaddrBootStart - PAGE_SIZE * (lastPkmap + 1n)) & pmdMask;
  const vmallocEnd = ctx.traits.highmem ? pkmapBase - 2n * PAGE_SIZE : fixaddrStart - 2n * PAGE_SIZE;
  const maxmemPfn = (vmallocEnd - pageOffset - VMALLOC_RESERVE_30) >> PAGE_SHIFT;
  return { pageOffset, fixaddrStart, fixaddrTop: FIXADDR_TOP_30, pkmapBase, lastPkmap, vmallocEnd, maxmemPfn };
}

/** MAX_NONPAE_PFN (arch/x86/include/asm/e820.h): 1 << 20. */
const MAX_NONPAE_PFN = 1n << 20n;

/**
 * setup_arch() → find_low_pfn_range(): lowmem_pfn_init() when max_pfn ≤ MAXMEM_PFN (max_low_pfn =
 * max_pfn), else highmem_pfn_init() (max_low_pfn = MAXMEM_PFN; without HIGHMEM64G max_pfn is capped at
 * MAX_NONPAE_PFN with MSG_HIGHMEM_TRIMMED). highmem= is refused by the envelope, so highmem_pages is −1.
 */
export const findLowPfnRange30: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'findLowPfnRange30');
  let maxPfn = need(l.maxPfn, 'findLowPfnRange30', 'maxPfn');
  const { maxmemPfn } = layout30(ctx);
  let maxLowPfn: bigint;
  if (maxPfn <= maxmemPfn) maxLowPfn = maxPfn;
  else {
    if (!ctx.traits.highmem) throw new SimError('SIM_NOT_MODELLED', 'init_32', 'a NOHIGHMEM build with RAM above MAXMEM ("Warning only %ldMB will be used.") is not modelled');
    maxLowPfn = maxmemPfn;
    if (!configEnabled(ctx.kernel, 'HIGHMEM64G') && maxPfn > MAX_NONPAE_PFN) {
      throw new SimError('SIM_NOT_MODELLED', 'init_32', 'RAM above 4G on a HIGHMEM4G build (MSG_HIGHMEM_TRIMMED) is not modelled');
    }
    maxPfn = l.maxPfn!;
  }
  return { state: withSlice(state, 'legacy30', { ...l, maxPfn, maxLowPfn }), lines: [] };
};

/**
 * memblock.memory as memblock_x86_fill() builds it (arch/x86/kernel/e820.c, 3.0.1): every E820_RAM and
 * E820_RESERVED_KERN entry whose end fits resource_size_t (32 bits without PHYS_ADDR_T_64BIT, i.e.
 * without PAE), memblock_add() merging adjacent regions.
 */
export function memblockMemory30(table: readonly E820Entry[], pae: boolean): { base: bigint; end: bigint }[] {
  const out: { base: bigint; end: bigint }[] = [];
  const sorted = table.filter((e) => e.type === E820_RAM || e.type === E820_RESERVED_KERN).map((e) => ({ base: e.addr, end: e.addr + e.size }));
  sorted.sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  for (const r of sorted) {
    if (!pae && r.end > 0xffffffffn) continue;
    const last = out[out.length - 1];
    if (last && r.base <= last.end) {
      if (r.end > last.end) last.end = r.end;
    } else out.push({ ...r });
  }
  return out;
}

/**
 * memblock_x86_register_active_regions(nid, start_pfn, last_pfn) (arch/x86/mm/memblock.c, 3.0.1):
 * each memblock.memory region rounded in to whole pages, clipped to [start_pfn, last_pfn), handed to
 * add_active_range() (mm/page_alloc.c), which merges it into an existing range of the node it touches.
 */
export function activeRanges30(memory: readonly { base: bigint; end: bigint }[], startPfn: bigint, lastPfn: bigint): { startPfn: bigint; endPfn: bigint }[] {
  const map: { startPfn: bigint; endPfn: bigint }[] = [];
  for (const r of memory) {
    let s = (r.base + PAGE_SIZE - 1n) >> PAGE_SHIFT;
    let e = r.end >> PAGE_SHIFT;
    if (s >= e) continue;
    if (e <= startPfn || s >= lastPfn) continue;
    if (s < startPfn) s = startPfn;
    if (e > lastPfn) e = lastPfn;
    const covering = map.find((m) => s >= m.startPfn && e <= m.endPfn);
    if (covering) continue;
    const fwd = map.find((m) => s <= m.endPfn && e > m.endPfn);
    if (fwd) {
      fwd.endPfn = e;
      continue;
    }
    const back = map.find((m) => s < m.startPfn && e >= m.startPfn);
    if (back) {
      back.startPfn = s;
      continue;
    }
    map.push({ startPfn: s, endPfn: e });
  }
  return map;
}

/** pages_to_mb(x): x >> (20 − PAGE_SHIFT). */
const pagesToMb = (p: bigint): bigint => p >> (20n - PAGE_SHIFT);

/**
 * setup_arch() → initmem_init() (!NEED_MULTIPLE_NODES, 3.0.1): highstart_pfn/highend_pfn, the active
 * regions, "%ldMB HIGHMEM available." (HIGHMEM), "%ldMB LOWMEM available.", then
 * setup_bootmem_allocator(): "  mapped low ram: 0 - %08lx" (max_pfn_mapped, which init_memory_mapping
 * left at max_low_pfn) and "  low ram: 0 - %08lx".
 */
export const initmemInit30: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'initmemInit30');
  const maxPfn = need(l.maxPfn, 'initmemInit30', 'maxPfn');
  const maxLowPfn = need(l.maxLowPfn, 'initmemInit30', 'maxLowPfn');
  const lines: DmesgLine[] = [];
  const highendPfn = ctx.traits.highmem ? maxPfn : maxLowPfn;
  const highstartPfn = ctx.traits.highmem && maxPfn > maxLowPfn ? maxLowPfn : highendPfn;
  const activeRanges = activeRanges30(memblockMemory30(l.e820, ctx.traits.pae), 0n, highendPfn);
  if (ctx.traits.highmem) lines.push(line('highmem.available', `${pagesToMb(highendPfn - highstartPfn)}MB HIGHMEM available.`));
  lines.push(line('lowmem.available', `${pagesToMb(maxLowPfn)}MB LOWMEM available.`));
  lines.push(line('i386.mapped_low', `  mapped low ram: 0 - ${fmt08lx(maxLowPfn << PAGE_SHIFT)}`));
  lines.push(line('i386.low_ram', `  low ram: 0 - ${fmt08lx(maxLowPfn << PAGE_SHIFT)}`));
  return { state: withSlice(state, 'legacy30', { ...l, highstartPfn, highendPfn, activeRanges }), lines };
};

/**
 * head_32.S (3.0.1) maps [0, pa(_end) + MAPPING_BEYOND_END) one PTE page at a time (4M without PAE,
 * 2M with), MAPPING_BEYOND_END = PAGE_TABLE_SIZE(LOWMEM_PAGES) << PAGE_SHIFT with LOWMEM_PAGES =
 * (4G − PAGE_OFFSET) >> PAGE_SHIFT and PAGE_TABLE_SIZE(p) = p / PTRS_PER_PGD (1024) or, with PAE,
 * p / PTRS_PER_PMD (512) + PTRS_PER_PGD (4); max_pfn_mapped is where the loop stopped.
 */
export function initialMappedEnd30(ctx: Boot30Context): bigint {
  const { pageOffset } = layout30(ctx);
  const end = symbol30(ctx, '_end', 'head_32.S (3.0)');
  const lowmemPages = ((1n << 32n) - pageOffset) >> PAGE_SHIFT;
  const tablePages = ctx.traits.pae ? lowmemPages / 512n + 4n : lowmemPages / 1024n;
  const unit = ctx.traits.pae ? 2n << 20n : 4n << 20n;
  const bound = end + (tablePages << PAGE_SHIFT);
  return ((bound + unit - 1n) / unit) * unit;
}

/** "%010lx". */
const x10 = (v: bigint): string => v.toString(16).padStart(10, '0');

/**
 * setup_arch(): "initial memory mapped : 0 - %08lx" (max_pfn_mapped from head_32.S), setup_trampolines()
 * (its TRAMPOLINE reservation), then init_memory_mapping(0, max_low_pfn << PAGE_SHIFT)
 * (arch/x86/mm/init.c, 3.0.1): "init_memory_mapping: %016lx-%016lx"; the map_range split — X86_32 keeps
 * the first PMD in 4k pages, then big pages (use_pse: every CPU QEMU models has PSE; the envelope
 * refuses a cpu: and DEBUG_PAGEALLOC), then the 4k tail, merged when contiguous with the same size —
 * each " %010lx - %010lx page %s" ("2M" is the big-page label whatever PMD_SIZE is); and
 * find_early_table_space(): the pud/pmd/pte pages and the fixmap's PTEs found with
 * memblock_find_in_range(0, max_pfn_mapped << PAGE_SHIFT, tables, PAGE_SIZE) top-down, printed as
 * "kernel direct mapping tables up to %lx @ %lx-%lx"; the pages alloc_low_page() used are reserved as
 * "PGTABLE" [pgt_buf_start, pgt_buf_end) (native_pagetable_reserve). memblock.current_limit then
 * becomes get_max_mapped(), max_low_pfn.
 */
export const initMemoryMapping30: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'initMemoryMapping30');
  const maxLowPfn = need(l.maxLowPfn, 'initMemoryMapping30', 'maxLowPfn');
  let mb = need(l.memblock30, 'initMemoryMapping30', 'memblock30');
  const mapped = initialMappedEnd30(ctx);
  const lines: DmesgLine[] = [lineSa('i386.initial_mapped_legacy', `initial memory mapped : 0 - ${fmt08lx(mapped)}`)];
  const tramp = setupTrampolines30(mb, ctx);
  lines.push(tramp.line);
  mb = reserve30(mb, tramp.base, tramp.base + tramp.size, 'TRAMPOLINE');
  const end = maxLowPfn << PAGE_SHIFT;
  lines.push(...mapRangeLines30(ctx, end));
  const tables = earlyTableSpace30(ctx, end);
  const base = findInRange30(mb, 0n, mapped, tables, PAGE_SIZE);
  if (base === undefined) throw new SimError('SIM_NOT_MODELLED', 'init_32', 'find_early_table_space: no room below max_pfn_mapped (the kernel panics "Cannot find space for the kernel page tables")');
  lines.push(lineSa('init_mapping.tables_legacy', `kernel direct mapping tables up to ${end.toString(16)} @ ${base.toString(16)}-${(base + tables).toString(16)}`, {
    base: [{ name: 'memblock_find_in_range(0, max_pfn_mapped, tables, PAGE_SIZE)', value: `0x${base.toString(16)}`, source: 'arch/x86/mm/init.c find_early_table_space() → mm/memblock.c memblock_find_base(): top-down below what head_32.S mapped, past the reservations (3.0.1)' }],
  }));
  const used = pgtablePages30(ctx, mapRanges30(ctx, end));
  if (used * PAGE_SIZE > tables) throw new SimError('SIM_NOT_MODELLED', 'init_32', 'alloc_low_page: ran out of memory (panic)');
  mb = reserve30(mb, base, base + used * PAGE_SIZE, 'PGTABLE');
  return { state: withSlice(state, 'legacy30', { ...l, memblock30: { ...mb, currentLimit: end } }), lines };
};

/**
 * The page-table pages kernel_physical_mapping_init() and early_ioremap_page_table_range_init() take
 * with alloc_low_page() (arch/x86/mm/init_32.c, 3.0.1, non-PAE): one per 4M PMD that a 4k map_range
 * touches and head_32.S did not map (it mapped [0, max_pfn_mapped) and the last PMD, initial_pg_fixmap);
 * big-page ranges take none. A fixmap wider than that last PMD is refused.
 */
export function pgtablePages30(ctx: Boot30Context, ranges: readonly { start: bigint; end: bigint; big: boolean }[]): bigint {
  if (ctx.traits.pae) throw new SimError('SIM_NOT_MODELLED', 'init_32', 'CONFIG_X86_PAE: kernel_physical_mapping_init()\'s PMD pages are not modelled for 3.0.1');
  const mappedPmds = initialMappedEnd30(ctx) >> 22n;
  const pmds = new Set<bigint>();
  for (const r of ranges) {
    if (r.big) continue;
    for (let p = r.start >> 22n; p < (r.end + (1n << 22n) - 1n) >> 22n; p++) if (p >= mappedPmds) pmds.add(p);
  }
  const lay = layout30(ctx);
  const fixBottom = lay.fixaddrTop - ((fixmap30(ctx).endOfFixed - 1n) << PAGE_SHIFT);
  if (fixBottom >> 22n !== 0x3ffn) throw new SimError('SIM_NOT_MODELLED', 'init_32', `early_ioremap_page_table_range_init: a fixmap from 0x${fixBottom.toString(16)} spans more than initial_pg_fixmap's PMD`);
  return BigInt(pmds.size);
}

/** One map_range of init_memory_mapping(): [start, end) in bytes, big pages or 4k. */
export interface MapRange30 {
  readonly start: bigint;
  readonly end: bigint;
  readonly big: boolean;
}

/**
 * init_memory_mapping(0, end)'s map_range split for X86_32 (arch/x86/mm/init.c, 3.0.1 and 2.6.34, the
 * same code): the first PMD in 4k pages, then big pages (use_pse), then the 4k tail, merged when
 * contiguous with the same size.
 */
export function mapRanges30(ctx: Boot30Context, end: bigint): MapRange30[] {
  const pmdShift = ctx.traits.pae ? 21n : 22n;
  const pmdPages = 1n << (pmdShift - PAGE_SHIFT);
  const endPfn = end >> PAGE_SHIFT;
  const mr: { start: bigint; end: bigint; big: boolean }[] = [];
  const save = (s: bigint, e: bigint, big: boolean): void => {
    if (s < e) mr.push({ start: s << PAGE_SHIFT, end: e << PAGE_SHIFT, big });
  };
  // head: the first PMD in 4k pages (pos 0)
  let headEnd = pmdPages;
  if (headEnd > endPfn) headEnd = endPfn;
  let pos = 0n;
  if (0n < headEnd) {
    save(0n, headEnd, false);
    pos = headEnd;
  }
  const bigStart = ((pos + pmdPages - 1n) / pmdPages) * pmdPages;
  const bigEnd = (endPfn / pmdPages) * pmdPages;
  if (bigStart < bigEnd) {
    save(bigStart, bigEnd, true);
    pos = bigEnd;
  }
  save(pos, endPfn, false);
  // merge same page size and contiguous
  for (let i = 0; mr.length > 1 && i < mr.length - 1; i++) {
    if (mr[i]!.end !== mr[i + 1]!.start || mr[i]!.big !== mr[i + 1]!.big) continue;
    mr[i + 1] = { ...mr[i + 1]!, start: mr[i]!.start };
    mr.splice(i, 1);
    i--;
  }
  return mr;
}

/**
 * init_memory_mapping()'s lines (arch/x86/mm/init.c, 3.0.1 and 2.6.34): "init_memory_mapping:
 * %016lx-%016lx", then each map_range " %010lx - %010lx page %s" ("2M" is the big-page label whatever
 * PMD_SIZE is; use_pse: every CPU QEMU models has PSE, the envelope refuses a cpu: and DEBUG_PAGEALLOC).
 */
export function mapRangeLines30(ctx: Boot30Context, end: bigint): DmesgLine[] {
  const lines = [lineSa('init_mapping.legacy', `init_memory_mapping: ${hexPad16(0n)}-${hexPad16(end)}`)];
  for (const r of mapRanges30(ctx, end)) lines.push(lineSa('init_mapping.range_legacy', ` ${x10(r.start)} - ${x10(r.end)} page ${r.big ? '2M' : '4k'}`));
  return lines;
}

/**
 * find_early_table_space(end, use_pse 1, use_gbpages 0) (arch/x86/mm/init.c, 3.0.1 and 2.6.34): the
 * bytes of pud/pmd/pte pages (the X86_32 extra PMD of PTEs) and the fixmap's PTEs, each rounded to a
 * page; pud_t/pmd_t/pte_t are 4 bytes without PAE, 8 with. Where they are placed differs by version.
 */
export function earlyTableSpace30(ctx: Boot30Context, end: bigint): bigint {
  const pmdShift = ctx.traits.pae ? 21n : 22n;
  const entry = ctx.traits.pae ? 8n : 4n;
  const pudShift = ctx.traits.pae ? 30n : 22n;
  const roundPage = (b: bigint): bigint => ((b + PAGE_SIZE - 1n) / PAGE_SIZE) * PAGE_SIZE;
  const puds = (end + (1n << pudShift) - 1n) >> pudShift;
  let tables = roundPage(puds * entry);
  const pmds = (end + (1n << pmdShift) - 1n) >> pmdShift;
  tables += roundPage(pmds * entry);
  const extra = end - ((end >> pmdShift) << pmdShift) + (1n << pmdShift);
  const ptes = (extra + PAGE_SIZE - 1n) >> PAGE_SHIFT;
  tables += roundPage(ptes * entry);
  tables += roundPage(fixmap30(ctx).endOfFixed * entry);
  return tables;
}

/**
 * setup_arch() → setup_trampolines() (arch/x86/kernel/trampoline.c, 3.0.1): size = PAGE_ALIGN(
 * x86_trampoline_end − x86_trampoline_start), memblock_find_in_range(0, 1M, size, PAGE_SIZE) top-down
 * over what memblock holds then (memblock.memory from e820, the low 64K already reserved in e820 by
 * trim_bios_range; "* BIOS reserved" [lowmem, 1M)). No MP table or BIOS-corruption reservation on this
 * build (no X86_MPPARSE, no X86_CHECK_BIOS_CORRUPTION: refused otherwise). Prints "Base memory
 * trampoline at [%p] %llx size %zu" with %p the 8-digit virtual address; the caller reserves it.
 */
function setupTrampolines30(mb: Memblock30, ctx: Boot30Context): { readonly line: DmesgLine; readonly base: bigint; readonly size: bigint } {
  for (const o of ['X86_MPPARSE', 'X86_CHECK_BIOS_CORRUPTION']) {
    if (configEnabled(ctx.kernel, o)) throw new SimError('SIM_NOT_MODELLED', 'setup_trampolines (3.0)', `CONFIG_${o}: its low-memory reservation before setup_trampolines() is not modelled`);
  }
  const start = symbol30(ctx, 'x86_trampoline_start', 'setup_trampolines (3.0)');
  const endSym = symbol30(ctx, 'x86_trampoline_end', 'setup_trampolines (3.0)');
  const size = ((endSym - start + PAGE_SIZE - 1n) / PAGE_SIZE) * PAGE_SIZE;
  const base = findInRange30(mb, 0n, 1n << 20n, size, PAGE_SIZE);
  if (base === undefined) throw new SimError('SIM_NOT_MODELLED', 'setup_trampolines (3.0)', 'no free page below 1M ("Cannot allocate trampoline")');
  const va = base + layout30(ctx).pageOffset;
  return { line: lineSa('trampoline.base_legacy', `Base memory trampoline at [${fmt08lx(va)}] ${base.toString(16)} size ${size}`), base, size };
}

/** `%016lx`. */
const hexPad16 = (v: bigint): string => v.toString(16).padStart(16, '0');
