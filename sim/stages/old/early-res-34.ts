// The early allocator of 2.6.34 (urbanspr1nter/linux-2.6.34): kernel/early_res.c (reserve_early,
// find_early_area, early_res_to_bootmem) over arch/x86/kernel/e820.c find_e820_area(), and the
// setup_arch() steps that reserve or allocate through it on X86_32: i386_start_kernel()'s
// reservations (arch/x86/kernel/head32.c, head.c reserve_ebda_region), dmi_scan_machine()'s brk
// copies (drivers/firmware/dmi_scan.c), reserve_brk(), init_memory_mapping()'s page tables
// (arch/x86/mm/init.c find_early_table_space, init_32.c kernel_physical_mapping_init) and
// initmem_init() → setup_bootmem_allocator() (arch/x86/mm/init_32.c).
import type { Boot30Context, Stage30Fn, Stage30Result } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import type { DmesgLine } from '../../types.ts';
import { E820_RAM, QEMU_7_2, type E820Entry } from '../../firmware/qemu-7.2.ts';
import { SEABIOS } from '../../firmware/seabios.ts';
import { SEABIOS_T0_STRINGS } from '../../firmware/smbios.ts';
import { fmt08lx } from '../../lib/printk.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { withSlice } from '../../state.ts';
import { configEnabled } from '../../traits.ts';
import { legacy30Of, need, type EarlyRes34 } from './state-30.ts';
import { activeRanges30, earlyTableSpace30, initialMappedEnd30, mapRangeLines30, mapRanges30 } from './init-32-30.ts';
import { bootmemFromEarlyRes34, initBootmem34 } from './bootmem-34.ts';

const WHERE = 'early_res (2.6.34)';
const lineSa = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: 'setup_arch', fmt, text, ...(explain ? { explain } : {}) });
const lineHm = (fmt: string, text: string): DmesgLine => ({ stage: 'highmem', fmt, text });

/** MAX_EARLY_RES_X (kernel/early_res.c, 2.6.34): the static early_res_x[] slots. */
export const MAX_EARLY_RES_X = 32;

/** Index of the first entry overlapping [start, end), in slot order (find_overlapped_early), or -1. */
function findOverlapped(res: readonly EarlyRes34[], start: bigint, end: bigint): number {
  return res.findIndex((r) => end > r.start && start < r.end);
}

/**
 * reserve_early() / reserve_early_overlap_ok() (kernel/early_res.c, 2.6.34): a new slot after the
 * others. drop_overlaps_that_are_ok() would first split an overlap_ok entry it overlaps, and
 * __check_and_double_early_res() grow the array when at most max(32 / 8, 2) slots are left: neither
 * happens on the boots modelled, and either is refused rather than guessed; an overlap with an entry
 * that is not overlap_ok is the kernel's panic "Overlapping early reservations".
 */
export function reserveEarly34(res: readonly EarlyRes34[], start: bigint, end: bigint, name: string, overlapOk = false): EarlyRes34[] {
  if (start >= end) return [...res];
  if (MAX_EARLY_RES_X - res.length <= Math.max(MAX_EARLY_RES_X / 8, 2)) throw new SimError('SIM_NOT_MODELLED', WHERE, `reserve_early ${name}: ${res.length} of ${MAX_EARLY_RES_X} slots used; doubling the early_res array (__check_and_double_early_res) is not modelled`);
  const i = findOverlapped(res, start, end);
  if (i >= 0) {
    const r = res[i]!;
    if (r.overlapOk) throw new SimError('SIM_NOT_MODELLED', WHERE, `reserve_early ${name} [${start.toString(16)}, ${end.toString(16)}) overlaps the overlap_ok ${r.name}; drop_overlaps_that_are_ok() is not modelled`);
    throw new SimError('SIM_NOT_MODELLED', WHERE, `reserve_early ${name}: the kernel panics "Overlapping early reservations" with ${r.name}`);
  }
  return [...res, { start, end, name: name.slice(0, 14), overlapOk }];
}

const roundUp = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;

/**
 * find_early_area(ei_start, ei_last, start, end, size, align) (kernel/early_res.c, 2.6.34): bottom-up
 * from round_up(max(ei_start, start)), bad_addr() moving past the first overlapping reservation in slot
 * order until none overlaps; -1 when it no longer fits below ei_last and end.
 */
export function findEarlyArea34(res: readonly EarlyRes34[], eiStart: bigint, eiLast: bigint, start: bigint, end: bigint, size: bigint, align: bigint): bigint | undefined {
  let addr = roundUp(eiStart, align);
  if (addr < start) addr = roundUp(start, align);
  if (addr >= eiLast) return undefined;
  for (;;) {
    const i = findOverlapped(res, addr, addr + size);
    if (i < 0) break;
    addr = roundUp(res[i]!.end, align);
    if (addr + size > eiLast) break;
  }
  const last = addr + size;
  if (last > eiLast || last > end) return undefined;
  return addr;
}

/** find_e820_area(start, end, size, align) (arch/x86/kernel/e820.c, 2.6.34): the first E820_RAM entry, in table order, where find_early_area() succeeds. */
export function findE820Area34(e820: readonly E820Entry[], res: readonly EarlyRes34[], start: bigint, end: bigint, size: bigint, align: bigint): bigint | undefined {
  for (const e of e820) {
    if (e.type !== E820_RAM) continue;
    const a = findEarlyArea34(res, e.addr, e.addr + e.size, start, end, size, align);
    if (a !== undefined) return a;
  }
  return undefined;
}

/**
 * i386_start_kernel() (arch/x86/kernel/head32.c, 2.6.34), before start_kernel(): reserve_early(_text,
 * __bss_stop, "TEXT DATA BSS") (no "EX TRAMPOLINE": X86_TRAMPOLINE needs SMP, refused; no RAMDISK: no
 * initrd), then reserve_ebda_region() (arch/x86/kernel/head.c): reserve_early_overlap_ok(lowmem, 1M,
 * "BIOS reserved"), lowmem the BDA's base-memory size (SeaBIOS src/post.c bda_init(): the EBDA's start),
 * lowered to the EBDA when within 64K below it. It prints nothing; the pipeline runs it after
 * setup_memory_map(), which writes the slice it extends.
 */
export const i386StartKernel34: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'i386StartKernel34');
  let res = reserveEarly34([], symbol30(ctx, '_text', WHERE), symbol30(ctx, '__bss_stop', WHERE), 'TEXT DATA BSS');
  const ebda = SEABIOS.EBDA_START;
  let lowmem = SEABIOS.EBDA_START;
  if (lowmem - ebda <= 0x10000n) lowmem = ebda;
  res = reserveEarly34(res, lowmem, 0x100000n, 'BIOS reserved', true);
  return { state: withSlice(state, 'legacy30', { ...l, earlyRes: res }), lines: [] };
};

/** extend_brk(size, sizeof(int)) (arch/x86/kernel/setup.c; dmi_alloc, arch/x86/include/asm/dmi.h, 2.6.34): align the end, then add. */
const brkAlloc = (end: bigint, size: number): bigint => roundUp(end, 4n) + BigInt(size);

/**
 * dmi_scan_machine() → dmi_decode() (drivers/firmware/dmi_scan.c, 2.6.34): the bytes its copies take
 * from brk. Each dmi_save_ident() copies its string with dmi_alloc(strlen + 1), an absent string
 * (index 0) as "" (dmi_string_nosave returns "", not dmi_empty_string); the type 1 UUID is skipped when
 * all zeros; dmi_save_type() takes 4. The tables SeaBIOS 1.16.2 hands over from QEMU 7.2 (hw/smbios/
 * smbios.c): type 0 (SeaBIOS's own: vendor, version, date), type 1 (manufacturer "QEMU", product,
 * version = the machine's versioned name, no serial, UUID zero: no -uuid), no type 2 (optional, none
 * given), type 3 (manufacturer, type 0x01, version, no serial, no asset tag); types 4, 16, 17, 19, 32
 * and 127 are not decoded.
 */
export function dmiBrkBytes34(ctx: Boot30Context): bigint {
  if (!configEnabled(ctx.kernel, 'DMI')) return 0n; // dmi_scan_machine() is a stub without CONFIG_DMI (include/linux/dmi.h)
  const m = QEMU_7_2.machines[ctx.spec.machine];
  const mfr = 'QEMU';
  const copies = [
    SEABIOS_T0_STRINGS.vendor, SEABIOS_T0_STRINGS.version, SEABIOS_T0_STRINGS.date, // type 0
    mfr, m.smbiosProduct, m.versionedName, '', // type 1: DMI_SYS_VENDOR, PRODUCT_NAME, PRODUCT_VERSION, PRODUCT_SERIAL
  ].map((s) => s.length + 1);
  let end = 0n;
  for (const n of copies) end = brkAlloc(end, n);
  // type 3: CHASSIS_VENDOR, CHASSIS_TYPE (dmi_save_type: 4 bytes), CHASSIS_VERSION, CHASSIS_SERIAL, CHASSIS_ASSET_TAG
  for (const n of [mfr.length + 1, 4, m.versionedName.length + 1, 1, 1]) end = brkAlloc(end, n);
  return end;
}

/** The DMI strings dmi_decode() keeps that bad_bios_dmi_table matches on; undefined where no table holds one. */
export interface DmiIdent34 {
  readonly biosVendor?: string;
  readonly boardName?: string;
}

/**
 * bad_bios_dmi_table (arch/x86/kernel/setup.c, 2.6.34, its entries under CONFIG_X86_RESERVE_LOW_64K): BIOS vendor
 * "American Megatrends Inc.", "Phoenix Technologies" or "Phoenix/MSC", board "DG45ID" or "DG45FC".
 * dmi_check_system() → dmi_matches() (drivers/firmware/dmi_scan.c): strstr() of the saved string, a string never
 * saved matching nothing. The ident of a match, whose callback dmi_low_memory_corruption() would reserve 0–64K.
 */
export function badBiosMatch34(ident: DmiIdent34): string | undefined {
  const table: ReadonlyArray<readonly [keyof DmiIdent34, string, string]> = [
    ['biosVendor', 'American Megatrends Inc.', 'AMI BIOS'], ['biosVendor', 'Phoenix Technologies', 'Phoenix BIOS'], ['biosVendor', 'Phoenix/MSC', 'Phoenix/MSC BIOS'],
    ['boardName', 'DG45ID', 'AMI BIOS'], ['boardName', 'DG45FC', 'AMI BIOS'],
  ];
  for (const [slot, substr, name] of table) if (ident[slot]?.includes(substr)) return name;
  return undefined;
}

/**
 * dmiScanMachine34's stage, then setup_arch()'s dmi_check_system(bad_bios_dmi_table) (2.6.34): under
 * X86_RESERVE_LOW_64K (and DMI, without which nothing is saved) it matches SeaBIOS's type 0 vendor and, QEMU
 * giving no type 2 table, no board name: no entry matches, so the option changes nothing here; a match
 * ("%s detected: BIOS may corrupt low RAM, working around it." and the e820 update) is refused.
 */
export const dmiScanMachine34: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'dmiScanMachine34');
  if (configEnabled(ctx.kernel, 'X86_RESERVE_LOW_64K') && configEnabled(ctx.kernel, 'DMI')) {
    const hit = badBiosMatch34({ biosVendor: SEABIOS_T0_STRINGS.vendor });
    if (hit !== undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, `CONFIG_X86_RESERVE_LOW_64K: bad_bios_dmi_table matches "${hit}", whose low-RAM reservation is not modelled for 2.6.34`);
  }
  return { state: withSlice(state, 'legacy30', { ...l, dmiBrkBytes: dmiBrkBytes34(ctx) }), lines: [] };
};

/**
 * setup_arch(): "initial memory mapped : 0 - %08lx" (max_pfn_mapped from head_32.S, as in 3.0.1), then
 * reserve_brk(): reserve_early(_brk_start, _brk_end, "BRK"). head_32.S (2.6.34, non-PAE) took one PTE
 * page per 4M it mapped from __brk_base and left _brk_end after them; dmi_alloc() extended it.
 */
export const reserveBrk34: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'reserveBrk34');
  const res = need(l.earlyRes, 'reserveBrk34', 'earlyRes');
  const dmi = need(l.dmiBrkBytes, 'reserveBrk34', 'dmiBrkBytes');
  const mapped = initialMappedEnd30(ctx);
  const brkBase = symbol30(ctx, '__brk_base', WHERE);
  const ptePages = mapped >> 22n;
  const brkEnd = brkAlloc(brkBase + ptePages * PAGE_SIZE, 0) + dmi;
  if (brkEnd > symbol30(ctx, '__brk_limit', WHERE)) throw new SimError('SIM_NOT_MODELLED', WHERE, `brk: ${(brkEnd - brkBase).toString()} bytes exceed __brk_limit ("brk overflow" BUG)`);
  return {
    state: withSlice(state, 'legacy30', { ...l, earlyRes: reserveEarly34(res, brkBase, brkEnd, 'BRK') }),
    lines: [lineSa('i386.initial_mapped_legacy', `initial memory mapped : 0 - ${fmt08lx(mapped)}`)],
  };
};

/**
 * init_memory_mapping(0, max_low_pfn << PAGE_SHIFT) (arch/x86/mm/init.c, 2.6.34): its lines as in 3.0.1;
 * find_early_table_space() places the estimate with find_e820_area(0x7000, max_pfn_mapped <<
 * PAGE_SHIFT, tables, PAGE_SIZE) bottom-up and prints "kernel direct mapping tables up to %lx @
 * %lx-%lx"; kernel_physical_mapping_init() (init_32.c) takes a page with alloc_low_page() only for a 4k
 * range's PMD that head_32.S left not present (one_page_table_init), and the pages used are reserved
 * as "PGTABLE". max_pfn_mapped becomes max_low_pfn.
 */
export const initMemoryMapping34: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'initMemoryMapping34');
  const res = need(l.earlyRes, 'initMemoryMapping34', 'earlyRes');
  const maxLowPfn = need(l.maxLowPfn, 'initMemoryMapping34', 'maxLowPfn');
  if (ctx.traits.pae) throw new SimError('SIM_NOT_MODELLED', WHERE, 'CONFIG_X86_PAE: one_md_table_init()\'s PMD pages are not modelled for 2.6.34');
  const end = maxLowPfn << PAGE_SHIFT;
  const mapped = initialMappedEnd30(ctx);
  const lines = mapRangeLines30(ctx, end);
  const tables = earlyTableSpace30(ctx, end);
  const start = findE820Area34(l.e820, res, 0x7000n, mapped, tables, PAGE_SIZE);
  if (start === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, 'find_early_table_space: no room below max_pfn_mapped (the kernel panics "Cannot find space for the kernel page tables")');
  lines.push(lineSa('init_mapping.tables_legacy', `kernel direct mapping tables up to ${end.toString(16)} @ ${start.toString(16)}-${(start + tables).toString(16)}`, {
    base: [{ name: 'find_e820_area(0x7000, max_pfn_mapped, tables, PAGE_SIZE)', value: `0x${start.toString(16)}`, source: 'arch/x86/mm/init.c find_early_table_space() → kernel/early_res.c find_early_area(): bottom-up past the early reservations (2.6.34)' }],
  }));
  // PTE pages: one per 4k range PMD (4M each, non-PAE) at or above what head_32.S mapped
  const pmds = new Set<bigint>();
  for (const r of mapRanges30(ctx, end)) {
    if (r.big) continue;
    for (let p = r.start >> 22n; p < (r.end + (1n << 22n) - 1n) >> 22n; p++) if (p >= mapped >> 22n) pmds.add(p);
  }
  const used = BigInt(pmds.size) * PAGE_SIZE;
  if (used > tables) throw new SimError('SIM_NOT_MODELLED', WHERE, 'alloc_low_page: ran out of memory (panic)');
  return { state: withSlice(state, 'legacy30', { ...l, earlyRes: reserveEarly34(res, start, start + used, 'PGTABLE'), maxPfnMapped: maxLowPfn }), lines };
};

/** bootmap_bytes(pages) (mm/bootmem.c, 2.6.34): ALIGN(DIV_ROUND_UP(pages, 8), sizeof(long)). */
export const bootmapBytes34 = (pages: bigint): bigint => roundUp((pages + 7n) / 8n, 4n);

/** pages_to_mb(x): x >> (20 − PAGE_SHIFT). */
const pagesToMb = (p: bigint): bigint => p >> (20n - PAGE_SHIFT);

/**
 * setup_arch() → initmem_init() (!NEED_MULTIPLE_NODES, arch/x86/mm/init_32.c, 2.6.34):
 * highstart_pfn/highend_pfn, e820_register_active_regions(0, 0, highend_pfn) (arch/x86/kernel/e820.c:
 * each E820_RAM entry rounded in to pages, clipped, add_active_range()), "%ldMB HIGHMEM available.",
 * "%ldMB LOWMEM available.", then setup_bootmem_allocator(): the bitmap of
 * bootmem_bootmap_pages(max_low_pfn) pages found with find_e820_area(0, max_pfn_mapped, …) and
 * reserved "BOOTMAP", "  mapped low ram: 0 - %08lx", "  low ram: 0 - %08lx", and setup_node_bootmem():
 * "  node %d low ram: %08lx - %08lx", "  node %d bootmap %08lx - %08lx" (init_bootmem_node's map size).
 */
export const initmemInit34: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'initmemInit34');
  const maxPfn = need(l.maxPfn, 'initmemInit34', 'maxPfn');
  const maxLowPfn = need(l.maxLowPfn, 'initmemInit34', 'maxLowPfn');
  const maxPfnMapped = need(l.maxPfnMapped, 'initmemInit34', 'maxPfnMapped');
  const res = need(l.earlyRes, 'initmemInit34', 'earlyRes');
  const lines: DmesgLine[] = [];
  const highendPfn = ctx.traits.highmem ? maxPfn : maxLowPfn;
  const highstartPfn = ctx.traits.highmem && maxPfn > maxLowPfn ? maxLowPfn : highendPfn;
  const ram = l.e820.filter((e) => e.type === E820_RAM).map((e) => ({ base: e.addr, end: e.addr + e.size }));
  const activeRanges = activeRanges30(ram, 0n, highendPfn);
  if (ctx.traits.highmem) lines.push(lineHm('highmem.available', `${pagesToMb(highendPfn - highstartPfn)}MB HIGHMEM available.`));
  lines.push(lineHm('lowmem.available', `${pagesToMb(maxLowPfn)}MB LOWMEM available.`));
  const mapSize = ((bootmapBytes34(maxLowPfn) + PAGE_SIZE - 1n) >> PAGE_SHIFT) << PAGE_SHIFT;
  const bootmap = findE820Area34(l.e820, res, 0n, maxPfnMapped << PAGE_SHIFT, mapSize, PAGE_SIZE);
  if (bootmap === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, `setup_bootmem_allocator: the kernel panics "Cannot find bootmem map of size ${mapSize}"`);
  lines.push(lineHm('i386.mapped_low', `  mapped low ram: 0 - ${fmt08lx(maxPfnMapped << PAGE_SHIFT)}`));
  lines.push(lineHm('i386.low_ram', `  low ram: 0 - ${fmt08lx(maxLowPfn << PAGE_SHIFT)}`));
  lines.push(lineHm('bootmem.node_low_ram', `  node 0 low ram: ${fmt08lx(0n)} - ${fmt08lx(maxLowPfn << PAGE_SHIFT)}`));
  lines.push(lineHm('bootmem.node_bootmap', `  node 0 bootmap ${fmt08lx(bootmap)} - ${fmt08lx(bootmap + bootmapBytes34(maxLowPfn))}`));
  // setup_node_bootmem(): init_bootmem_node() and free_bootmem_with_active_regions(0, max_low_pfn)
  const bootmem = initBootmem34(maxLowPfn, activeRanges);
  return {
    state: withSlice(state, 'legacy30', { ...l, highstartPfn, highendPfn, activeRanges, bootmem, earlyRes: reserveEarly34(res, bootmap, bootmap + mapSize, 'BOOTMAP') }),
    lines,
  };
};

/** `%010llx`. */
const x10 = (v: bigint): string => v.toString(16).padStart(10, '0');

/**
 * setup_arch() → early_res_to_bootmem(0, max_low_pfn << PAGE_SHIFT) (kernel/early_res.c, 2.6.34, without
 * CONFIG_NO_BOOTMEM): "(%d/%d early reservations) ==> bootmem [%010llx - %010llx]", then per slot
 * "  #%d [%010llx - %010llx] %16s" and, when it meets [start, end), " ==> [%010llx - %010llx]" with the
 * clipped range that reserve_bootmem_generic() takes. early_res is still the static early_res_x[], so
 * no slot is skipped.
 */
export const earlyResToBootmem34: Stage30Fn = (state): Stage30Result => {
  const l = legacy30Of(state, 'earlyResToBootmem34');
  const res = need(l.earlyRes, 'earlyResToBootmem34', 'earlyRes');
  const maxLowPfn = need(l.maxLowPfn, 'earlyResToBootmem34', 'maxLowPfn');
  const start = 0n;
  const end = maxLowPfn << PAGE_SHIFT;
  const lines: DmesgLine[] = [lineSa('early_res.to_bootmem', `(${res.length}/${MAX_EARLY_RES_X} early reservations) ==> bootmem [${x10(start)} - ${x10(end)}]`)];
  res.forEach((r, i) => {
    const head = `  #${i} [${x10(r.start)} - ${x10(r.end)}] ${r.name.padStart(16, ' ')}`;
    const fs = r.start > start ? r.start : start;
    const fe = r.end < end ? r.end : end;
    lines.push(lineSa('early_res.entry', fs >= fe ? head : `${head} ==> [${x10(fs)} - ${x10(fe)}]`));
  });
  // reserve_bootmem_generic(final_start, final_end − final_start, BOOTMEM_DEFAULT) for each
  const bootmem = bootmemFromEarlyRes34(need(l.bootmem, 'earlyResToBootmem34', 'bootmem'), res);
  return { state: withSlice(state, 'legacy30', { ...l, bootmem }), lines };
};
