// setup_arch() of 2.6.11 i386 (wyangsc/linux-2.6.11_bzImage_vmlinux, arch/i386/kernel/setup.c and
// arch/i386/mm/init.c), for a UP FLATMEM HIGHMEM4G build: the BIOS e820 map as printed, find_max_pfn()
// and find_max_low_pfn() (the highmem split at MAXMEM_PFN, the 4G cap without PAE), setup_memory()
// (init_bootmem() on the pages after the boot page tables, register_bootmem_low_pages(), then the
// reserve_bootmem() calls in their order), paging_init() (the fixmap and pkmap PTE pages from bootmem,
// zone_sizes_init() → free_area_init(): the zone lines, the mem_map and wait tables), dmi_scan_machine()'s
// string copies and register_memory() (the resources from bootmem, the PCI gap line).
import type { Boot30Context, Stage30Fn, Stage30Result } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import type { DmesgLine, ExplainTerm } from '../../types.ts';
import { E820_RAM, QEMU_7_2, type E820Entry } from '../../firmware/qemu-7.2.ts';
import { firmwareTable } from '../../firmware/e820-table.ts';
import { SEABIOS } from '../../firmware/seabios.ts';
import { SEABIOS_T0_STRINGS } from '../../firmware/smbios.ts';
import { e820UpdateTable, rangeExplain } from '../e820.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { withSlice } from '../../state.ts';
import { kernelConfig } from '../../traits.ts';
import { printMap30 } from './e820-30.ts';
import { copyE820Map2611 } from './setup-2611.ts';
import { legacy2611Of, need2611, type Bootmem2611, type Zone2611 } from './state-2611.ts';
import { allocBootmem2611, bootmapBytes2611, freeBootmem2611, initBootmem2611, reserveBootmem2611 } from './bootmem-2611.ts';

const WHERE = 'setup_arch (2.6.11 i386)';
const line = (stage: string, fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage, fmt, text, ...(explain ? { explain } : {}) });
const term = (name: string, value: string, source: string): ExplainTerm => ({ name, value, source });
const pfnUp = (a: bigint): bigint => (a + PAGE_SIZE - 1n) >> PAGE_SHIFT;
const pfnDown = (a: bigint): bigint => a >> PAGE_SHIFT;
const mb = (pages: bigint): bigint => pages >> (20n - PAGE_SHIFT);

/** __VMALLOC_RESERVE (arch/i386/kernel/setup.c, 2.6.11): 128 << 20 unless vmalloc= (refused). */
const VMALLOC_RESERVE = 128n << 20n;
/** MAX_NONPAE_PFN (include/asm-i386/setup.h, 2.6.11). */
const MAX_NONPAE_PFN = 1n << 20n;
/** HIGH_MEMORY (include/asm-i386/... setup.c, 2.6.11): 1M, the start of the kernel's reservation. */
const HIGH_MEMORY = 0x100000n;
/** INIT_MAP_BEYOND_END (arch/i386/kernel/head.S, 2.6.11): 128K mapped past the boot page tables. */
const INIT_MAP_BEYOND_END = 128n * 1024n;
/** __pa(MAX_DMA_ADDRESS) (include/asm-i386/dma.h, 2.6.11: PAGE_OFFSET + 0x1000000): alloc_bootmem()'s goal and ZONE_DMA's end. */
export const MAX_DMA_PA_2611 = 0x1000000n;

/** SMP_CACHE_BYTES = L1_CACHE_BYTES (1 << CONFIG_X86_L1_CACHE_SHIFT): the align of alloc_bootmem(), _low() and _node(). */
export function cacheBytes2611(ctx: Boot30Context): bigint {
  const l1 = kernelConfig(ctx.kernel, 'X86_L1_CACHE_SHIFT');
  if (l1 === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, 'CONFIG_X86_L1_CACHE_SHIFT: expected it in the kernel facts (SMP_CACHE_BYTES), found none');
  return 1n << BigInt(l1);
}

/** PAGE_OFFSET: the build's LOAD_OFFSET (facts.loadOffset; 0xc0000000 for the 3G/1G split). */
function pageOffset(ctx: Boot30Context): bigint {
  return ctx.kernel.loadOffset;
}

/** MAXMEM_PFN = PFN_DOWN(−__PAGE_OFFSET − __VMALLOC_RESERVE) (include/asm-i386/page.h, setup.h, 2.6.11). */
export function maxmemPfn2611(ctx: Boot30Context): bigint {
  return ((1n << 32n) - pageOffset(ctx) - VMALLOC_RESERVE) >> PAGE_SHIFT;
}

/**
 * setup_arch() → machine_specific_memory_setup() (arch/i386/mach-default/setup.c, 2.6.11):
 * sanitize_e820_map() and copy_e820_map() of the BIOS map (RAM in 640K–1M cut; fewer than 2 entries
 * is the BIOS-88/e801 fallback, refused), then "BIOS-provided physical RAM map:" and
 * print_memory_map("BIOS-e820"): " %s: %016Lx - %016Lx " + "(usable)"/"(reserved)"/… (3.0.1's format).
 */
export const setupArchMemoryMap2611: Stage30Fn = (state, ctx): Stage30Result => {
  const fw = firmwareTable(ctx.spec, ctx.traits.arch);
  const table = copyE820Map2611(e820UpdateTable(fw.e820) ?? fw.e820);
  const lines = [line('e820', 'e820.header', 'BIOS-provided physical RAM map:'), ...printMap30(table, 'BIOS-e820', { table: fw, machine: ctx.spec.machine })];
  return { state: withSlice(state, 'legacy2611', { e820: table }), lines };
};

/** find_max_pfn() (arch/i386/kernel/setup.c, 2.6.11): the highest PFN_DOWN(end) of an E820_RAM entry with PFN_UP(start) < it. */
export function findMaxPfn2611(table: readonly E820Entry[]): bigint {
  let max = 0n;
  for (const e of table) {
    if (e.type !== E820_RAM) continue;
    const s = pfnUp(e.addr);
    const end = pfnDown(e.addr + e.size);
    if (s >= end) continue;
    if (end > max) max = end;
  }
  return max;
}

/** The RAM pfn ranges as page_is_ram() (arch/i386/mm/init.c) and register_bootmem_low_pages() round them: PFN_UP(start) to PFN_DOWN(end). */
export function ramRanges2611(table: readonly E820Entry[]): { readonly start: bigint; readonly end: bigint }[] {
  return table.filter((e) => e.type === E820_RAM).map((e) => ({ start: pfnUp(e.addr), end: pfnDown(e.addr + e.size) })).filter((r) => r.start < r.end);
}

/**
 * The end of head.S's boot page tables, init_pg_tables_end (arch/i386/kernel/head.S, 2.6.11): from pg0
 * one page table (1024 PTEs, 4M) at a time until the next address mapped reaches the tables' own end +
 * INIT_MAP_BEYOND_END.
 */
export function initPgTablesEnd2611(ctx: Boot30Context): bigint {
  let edi = symbol30(ctx, 'pg0', WHERE);
  let mapped = 0n;
  do {
    edi += PAGE_SIZE;
    mapped += 1024n * PAGE_SIZE;
  } while (mapped < edi + INIT_MAP_BEYOND_END);
  return edi;
}

/**
 * setup_arch() → setup_memory() (arch/i386/kernel/setup.c, 2.6.11, !DISCONTIGMEM): find_max_pfn();
 * find_max_low_pfn(): max_low_pfn = max_pfn, or MAXMEM_PFN with the rest HIGHMEM, max_pfn capped at
 * MAX_NONPAE_PFN without PAE ("Warning only 4GB will be used." / "Use a PAE enabled kernel."; highmem=
 * refused so highmem_pages is −1); "%ldMB HIGHMEM available." (highend − highstart) and "%ldMB LOWMEM
 * available."; init_bootmem(start_pfn = PFN_UP(init_pg_tables_end), max_low_pfn);
 * register_bootmem_low_pages(); then reserve_bootmem() of [HIGH_MEMORY, PFN_PHYS(start_pfn) +
 * bootmap_size + PAGE_SIZE − 1) (the kernel, its boot page tables and the bitmap), page 0, the EBDA page
 * (reserve_ebda_region: the BDA's 0x40E segment, SeaBIOS's EBDA), nothing for SMP (UP), ACPI_SLEEP,
 * FIND_SMP_CONFIG or an initrd (refused by the envelope).
 */
export const setupMemory2611: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'setupMemory2611');
  const src = 'arch/i386/kernel/setup.c setup_memory() (2.6.11)';
  let maxPfn = findMaxPfn2611(l.e820);
  const maxmem = maxmemPfn2611(ctx);
  const lines: DmesgLine[] = [];
  let maxLowPfn = maxPfn;
  if (maxLowPfn > maxmem) {
    maxLowPfn = maxmem;
    if (!ctx.traits.highmem) throw new SimError('SIM_NOT_MODELLED', WHERE, 'a NOHIGHMEM build with RAM above MAXMEM ("Warning only %ldMB will be used.") is not modelled');
    if (!ctx.traits.pae && maxPfn > MAX_NONPAE_PFN) {
      maxPfn = MAX_NONPAE_PFN;
      const why = [term('max_pfn', `0x${findMaxPfn2611(l.e820).toString(16)}`, 'find_max_pfn(): the last E820_RAM page'), term('> MAX_NONPAE_PFN', '0x100000', 'include/asm-i386/setup.h (2.6.11): capped there without CONFIG_X86_PAE')];
      lines.push(line('highmem', 'highmem.trimmed_legacy', 'Warning only 4GB will be used.', { pages: why }));
      lines.push(line('highmem', 'highmem.pae_hint_legacy', 'Use a PAE enabled kernel.'));
    }
  }
  let highstart = maxPfn;
  const highend = maxPfn;
  if (ctx.traits.highmem) {
    if (maxPfn > maxLowPfn) highstart = maxLowPfn;
    lines.push(line('highmem', 'highmem.available', `${mb(highend - highstart)}MB HIGHMEM available.`, {
      size: [term('highend_pfn − highstart_pfn', `0x${highend.toString(16)} − 0x${highstart.toString(16)}`, `${src}: pages_to_mb()`)],
    }));
  }
  lines.push(line('highmem', 'lowmem.available', `${mb(maxLowPfn)}MB LOWMEM available.`, {
    size: [term('max_low_pfn', `0x${maxLowPfn.toString(16)}`, `arch/i386/kernel/setup.c find_max_low_pfn() (2.6.11): max_pfn, or MAXMEM_PFN 0x${maxmem.toString(16)} (−PAGE_OFFSET − __VMALLOC_RESERVE 128M)`)],
  }));
  const startPfn = pfnUp(initPgTablesEnd2611(ctx));
  let bm: Bootmem2611 = initBootmem2611(startPfn, maxLowPfn);
  // register_bootmem_low_pages(): each RAM entry PFN_UP(start) to PFN_DOWN(end), clipped to max_low_pfn
  for (const r of ramRanges2611(l.e820)) {
    if (r.start >= maxLowPfn) continue;
    const last = r.end > maxLowPfn ? maxLowPfn : r.end;
    if (last <= r.start) continue;
    bm = freeBootmem2611(bm, r.start << PAGE_SHIFT, (last - r.start) << PAGE_SHIFT);
  }
  const bootmapSize = bootmapBytes2611(maxLowPfn);
  bm = reserveBootmem2611(bm, HIGH_MEMORY, (startPfn << PAGE_SHIFT) + bootmapSize + PAGE_SIZE - 1n - HIGH_MEMORY, 'reserve_bootmem(HIGH_MEMORY, kernel + boot page tables + bitmap)');
  bm = reserveBootmem2611(bm, 0n, PAGE_SIZE, 'reserve_bootmem(0, PAGE_SIZE): page 0');
  // reserve_ebda_region(): get_bios_ebda() reads the BDA word at 0x40E, which SeaBIOS sets to its EBDA segment
  bm = reserveBootmem2611(bm, SEABIOS.EBDA_START, PAGE_SIZE, 'reserve_ebda_region');
  return { state: withSlice(state, 'legacy2611', { ...l, maxPfn, maxLowPfn, highstartPfn: highstart, highendPfn: highend, bootmem: bm }), lines };
};

/** KM_TYPE_NR (include/asm-i386/kmap_types.h, 2.6.11): the 13 D() slots before it. */
const KM_TYPE_NR_2611 = 13n;
/** LAST_PKMAP (include/asm-i386/highmem.h, 2.6.11, no PAE): 1024. */
const LAST_PKMAP_2611 = 1024n;
/** PMD_SIZE on 2-level paging: 4M (PGDIR_SHIFT 22). */
const PMD_SHIFT_32 = 22n;

/**
 * The virtual addresses paging_init() → pagetable_init() hands to page_table_range_init() (arch/i386/mm/
 * init.c, 2.6.11): the fixmap from __fix_to_virt(__end_of_fixed_addresses − 1) & PMD_MASK to the top,
 * and permanent_kmaps_init()'s [PKMAP_BASE, PKMAP_BASE + LAST_PKMAP pages). include/asm-i386/fixmap.h
 * (UP, no LOCAL_APIC/IO_APIC/F00F/ACPI_BOOT/PCI_MMCONFIG): FIX_HOLE, FIX_VSYSCALL, the KM_TYPE_NR kmap
 * slots, 16 FIX_BTMAPS, FIX_WP_TEST; FIXADDR_TOP 0xfffff000; PKMAP_BASE = (FIXADDR_BOOT_START −
 * PAGE_SIZE × (LAST_PKMAP + 1)) & PMD_MASK.
 */
export function pteRanges2611(): { readonly fixmap: bigint; readonly pkmapBase: bigint; readonly pkmapEnd: bigint } {
  const top = 0xfffff000n;
  const endOfFixed = 2n + KM_TYPE_NR_2611 + 16n + 1n;
  const pmdMask = ~((1n << PMD_SHIFT_32) - 1n) & 0xffffffffn;
  const fixmap = (top - (endOfFixed - 1n) * PAGE_SIZE) & pmdMask;
  const bootStart = top - endOfFixed * PAGE_SIZE;
  const pkmapBase = (bootStart - PAGE_SIZE * (LAST_PKMAP_2611 + 1n)) & pmdMask;
  return { fixmap, pkmapBase, pkmapEnd: pkmapBase + LAST_PKMAP_2611 * PAGE_SIZE };
}

/**
 * paging_init() → pagetable_init() (arch/i386/mm/init.c, 2.6.11): with PSE (QEMU's qemu32 has it; -cpu is
 * refused) kernel_physical_mapping_init() maps lowmem with 4M PMDs and takes no page; then
 * page_table_range_init() takes one alloc_bootmem_low_pages(PAGE_SIZE) for each PMD of the fixmap and
 * pkmap ranges that is not present (none above the lowmem mapping is: head.S filled only its own PDEs).
 */
export const pagetableInit2611: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'pagetableInit2611');
  let bm = need2611(l.bootmem, 'pagetableInit2611', 'bootmem');
  const maxLowPfn = need2611(l.maxLowPfn, 'pagetableInit2611', 'maxLowPfn');
  const po = pageOffset(ctx);
  const lowEnd = po + (((maxLowPfn + 1023n) / 1024n) * 1024n << PAGE_SHIFT);
  const present = new Set<bigint>();
  for (let v = po; v < lowEnd; v += 1n << PMD_SHIFT_32) present.add(v >> PMD_SHIFT_32);
  const r = pteRanges2611();
  const pmds: bigint[] = [];
  for (let v = r.fixmap; v < 1n << 32n; v += 1n << PMD_SHIFT_32) pmds.push(v >> PMD_SHIFT_32);
  for (let v = r.pkmapBase; v < r.pkmapEnd; v += 1n << PMD_SHIFT_32) pmds.push(v >> PMD_SHIFT_32);
  for (const p of pmds) {
    if (present.has(p)) continue;
    present.add(p);
    bm = allocBootmem2611(bm, PAGE_SIZE, PAGE_SIZE, 0n, `one_page_table_init PTE page for 0x${(p << PMD_SHIFT_32).toString(16)}`).bm;
  }
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: bm }), lines: [] };
};

/** sizeof(struct page) (include/linux/mm.h, 2.6.11, i386 without WANT_PAGE_VIRTUAL): flags, _count, _mapcount, private, mapping, index, lru (8). */
export const STRUCT_PAGE_2611 = 32n;
/** sizeof(wait_queue_head_t) (include/linux/wait.h, 2.6.11): a UP spinlock_t (an empty struct with gcc > 2) and a list_head. */
const WAIT_QUEUE_HEAD_2611 = 8n;

/** wait_table_size(pages) (mm/page_alloc.c, 2.6.11): the power of two ≥ pages / PAGES_PER_WAITQUEUE 256, in [4, 4096]. */
export function waitTableSize2611(pages: bigint): bigint {
  let size = 1n;
  const p = pages / 256n;
  while (size < p) size <<= 1n;
  if (size > 4096n) size = 4096n;
  return size < 4n ? 4n : size;
}

/** zone_batchsize as free_area_init_core() computes it (mm/page_alloc.c, 2.6.11): present / 1024, at most 256K of pages, / 4, at least 1. */
export function zoneBatch2611(present: bigint): bigint {
  let batch = present / 1024n;
  if (batch * PAGE_SIZE > 256n * 1024n) batch = (256n * 1024n) / PAGE_SIZE;
  batch /= 4n;
  return batch < 1n ? 1n : batch;
}

/**
 * paging_init() → zone_sizes_init() (arch/i386/mm/init.c, 2.6.11): DMA to max_dma = 16M >> PAGE_SHIFT
 * (all of max_low_pfn below it), Normal to max_low_pfn, HighMem to highend_pfn; free_area_init() →
 * free_area_init_node(0, …, node_start_pfn 0, zholes NULL): KERN_DEBUG "On node %d totalpages: %lu" (the
 * sum: no holes), node_alloc_mem_map(): alloc_bootmem_node((spanned + 1) × sizeof(struct page)); then
 * free_area_init_core() for each of the three zones: "  %s zone: %lu pages, LIFO batch:%lu" (also for an
 * empty zone), and for a zone with pages its wait table, alloc_bootmem_node(wait_table_size × 8).
 */
export const zoneSizesInit2611: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'zoneSizesInit2611');
  let bm = need2611(l.bootmem, 'zoneSizesInit2611', 'bootmem');
  const low = need2611(l.maxLowPfn, 'zoneSizesInit2611', 'maxLowPfn');
  const high = need2611(l.highendPfn, 'zoneSizesInit2611', 'highendPfn');
  const maxDma = MAX_DMA_PA_2611 >> PAGE_SHIFT;
  const sizes: bigint[] = low < maxDma ? [low, 0n, 0n] : [maxDma, low - maxDma, ctx.traits.highmem ? high - low : 0n];
  const names = ['DMA', 'Normal', 'HighMem'] as const;
  const total = sizes.reduce((a, b) => a + b, 0n);
  const src = 'mm/page_alloc.c (2.6.11)';
  const debug: DmesgLine[] = [line('zones', 'zones.totalpages', `On node 0 totalpages: ${total}`, {
    pages: [term('zones_size[] summed (zone_sizes_init: DMA 16M, Normal to max_low_pfn, HighMem to highend_pfn; no holes)', sizes.join(' + '), `${src} calculate_zone_totalpages()`)],
  })];
  const align = cacheBytes2611(ctx);
  bm = allocBootmem2611(bm, (total + 1n) * STRUCT_PAGE_2611, align, MAX_DMA_PA_2611, 'node_alloc_mem_map').bm;
  const zones: Zone2611[] = [];
  let start = 0n;
  let nrKernel = 0n;
  let nrAll = 0n;
  sizes.forEach((size, j) => {
    const batch = zoneBatch2611(size);
    const name = names[j]!;
    zones.push({ name, startPfn: start, size, batch });
    if (name !== 'HighMem') nrKernel += size;
    nrAll += size;
    debug.push(line('zones', 'zones.batch', `  ${name} zone: ${size} pages, LIFO batch:${batch}`, {
      batch: [term(`present ${size} / 1024, ≤ 64 pages, / 4, ≥ 1`, `${batch}`, `${src} free_area_init_core()`)],
    }));
    if (size !== 0n) bm = allocBootmem2611(bm, waitTableSize2611(size) * WAIT_QUEUE_HEAD_2611, align, MAX_DMA_PA_2611, `${name} wait table`).bm;
    start += size;
  });
  // Both are KERN_DEBUG, and the console shows only levels below console_loglevel: 7, DEFAULT_CONSOLE_LOGLEVEL
  // (kernel/printk.c, 2.6.11), as 2.6.11 has no loglevel= (init/main.c knows "debug" and "quiet" only, and
  // the envelope refuses both): the fixed command line's loglevel=8 is an unknown option passed to init.
  const lines = consoleLoglevel2611 > 7 ? debug : [];
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: bm, zones, nrKernelPages: nrKernel, nrAllPages: nrAll }), lines };
};

/** console_loglevel during setup_arch() (kernel/printk.c DEFAULT_CONSOLE_LOGLEVEL 7, 2.6.11; "debug" would make it 10 but is refused). */
const consoleLoglevel2611: number = 7;

/**
 * setup_arch() → dmi_scan_machine() → dmi_decode() (arch/i386/kernel/dmi_scan.c, 2.6.11): each
 * dmi_save_ident() of a non-empty string takes alloc_bootmem(strlen + 1): type 0 vendor, version and
 * date (SeaBIOS's own table), type 1 manufacturer "QEMU", product and version (the machine's versioned
 * name; the serial is not saved), no type 2 (QEMU builds none unless given).
 */
export const dmiScanMachine2611: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'dmiScanMachine2611');
  let bm = need2611(l.bootmem, 'dmiScanMachine2611', 'bootmem');
  const m = QEMU_7_2.machines[ctx.spec.machine];
  const align = cacheBytes2611(ctx);
  for (const s of [SEABIOS_T0_STRINGS.vendor, SEABIOS_T0_STRINGS.version, SEABIOS_T0_STRINGS.date, 'QEMU', m.smbiosProduct, m.versionedName]) {
    if (s.length === 0) continue;
    bm = allocBootmem2611(bm, BigInt(s.length) + 1n, align, MAX_DMA_PA_2611, `dmi_save_ident "${s}"`).bm;
  }
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: bm }), lines: [] };
};

/** sizeof(struct resource) (include/linux/ioport.h, 2.6.11): start, end (unsigned long), name, flags, parent, sibling, child. */
const STRUCT_RESOURCE_2611 = 28n;

/**
 * setup_arch() → register_memory() (arch/i386/kernel/setup.c, 2.6.11): legacy_init_iomem_resources()
 * takes alloc_bootmem_low(sizeof(struct resource)) for each e820 entry ending at or below 4G; then the
 * gap search: last = 4G, gapstart 0x10000000, gapsize 0x400000, each entry from the last down: a gap
 * last − end larger than gapsize becomes the gap; last = start when lower. pci_mem_start = gapstart
 * rounded up to 1M: "Allocating PCI resources starting at %08lx (gap: %08lx:%08lx)".
 */
export const registerMemory2611: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'registerMemory2611');
  let bm = need2611(l.bootmem, 'registerMemory2611', 'bootmem');
  const align = cacheBytes2611(ctx);
  for (const e of l.e820) {
    if (e.addr + e.size > 0x100000000n) continue;
    bm = allocBootmem2611(bm, STRUCT_RESOURCE_2611, align, 0n, 'legacy_init_iomem_resources resource').bm;
  }
  let last = 0x100000000n;
  let gapstart = 0x10000000n;
  let gapsize = 0x400000n;
  for (let i = l.e820.length - 1; i >= 0; i--) {
    const e = l.e820[i]!;
    const end = e.addr + e.size;
    if (last > end && last - end > gapsize) {
      gapsize = last - end;
      gapstart = end;
    }
    if (e.addr < last) last = e.addr;
  }
  const start = (gapstart + 0xfffffn) & ~0xfffffn;
  const x8 = (v: bigint): string => v.toString(16).padStart(8, '0');
  return {
    state: withSlice(state, 'legacy2611', { ...l, bootmem: bm }),
    lines: [line('e820', 'pci.gap_legacy', `Allocating PCI resources starting at ${x8(start)} (gap: ${x8(gapstart)}:${x8(gapsize)})`,
      rangeExplain(gapstart, gapstart + gapsize, 'gap', [], 'arch/i386/kernel/setup.c register_memory() (2.6.11): the largest gap below 4G from the last entry down; pci_mem_start = (gapstart + 0xfffff) & ~0xfffff'))],
  };
};
