// Every early reservation and allocation a UP X86_32 CONFIG_NO_BOOTMEM 3.0.1 build makes, in boot
// order, through sim/stages/old/memblock-30.ts: i386_start_kernel() (arch/x86/kernel/head32.c, head.c),
// reserve_brk() and memblock_x86_fill() (arch/x86/kernel/setup.c), paging_init()'s pkmap page table
// (arch/x86/mm/init_32.c), free_area_init_node()'s mem_map, usemaps and wait tables (mm/page_alloc.c),
// e820_reserve_resources() with firmware_map_add_early() (arch/x86/kernel/e820.c,
// drivers/firmware/memmap.c), setup_command_line() (init/main.c), setup_per_cpu_areas() (mm/percpu.c),
// the HASH_EARLY tables (mm/page_alloc.c alloc_large_system_hash), then mem_init()'s
// free_all_bootmem() and its "Memory:" line (arch/x86/mm/init_32.c, mm/nobootmem.c).
import type { Boot30Context, Stage30Fn, Stage30Result } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import type { DmesgLine, ExplainTerm } from '../../types.ts';
import type { BootState } from '../../state.ts';
import { withSlice } from '../../state.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { configEnabled, kernelConfig } from '../../traits.ts';
import { SEABIOS } from '../../firmware/seabios.ts';
import { bootCommandLine } from '../cmdline.ts';
import { legacy30Of, need, type Legacy30State } from './state-30.ts';
import { allocBootmem30, freeMemoryRanges30, memblockInit30, pagesIn30, reserve30, type ActiveRange30, type Memblock30 } from './memblock-30.ts';
import { initialMappedEnd30, layout30, memblockMemory30 } from './init-32-30.ts';
import { freeAreaInitNodes30, earlyHashTable30, PID_HASH_30, DENTRY_HASH_30, INODE_HASH_30, STRUCT_PAGE_30 } from './page-alloc-30.ts';
import { dmiBrkBytes34 } from './early-res-34.ts';
import { initrdPlacement30, reserveRamdisk30 } from './initrd-30.ts';
import { firmwareTable } from '../../firmware/e820-table.ts';
import { pagesBelow, usemapSize34, waitTableEntries34 } from './bootmem-34.ts';

const WHERE = 'nobootmem (3.0.1)';
const term = (name: string, value: string, source: string): ExplainTerm => ({ name, value, source });
const roundUp = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;

/** The slice and its memblock, or the coded refusal naming the stage that writes it. */
function memblockOf(state: BootState, reader: string): { l: Legacy30State; mb: Memblock30 } {
  const l = legacy30Of(state, reader);
  return { l, mb: need(l.memblock30, reader, 'memblock30') };
}

/** The non-PAE page tables are the only ones modelled here (one PTE page per 4M PMD, no PMD pages). */
function refusePae(ctx: Boot30Context, what: string): void {
  if (ctx.traits.pae) throw new SimError('SIM_NOT_MODELLED', WHERE, `CONFIG_X86_PAE: ${what} (its PMD pages and 2M PTE pages) is not modelled for 3.0.1`);
}

/** SMP_CACHE_BYTES = L1_CACHE_BYTES (1 << CONFIG_X86_L1_CACHE_SHIFT): the align of alloc_bootmem() and alloc_bootmem_node() (include/linux/bootmem.h, 3.0.1). */
function cacheBytes(ctx: Boot30Context): bigint {
  const l1 = kernelConfig(ctx.kernel, 'X86_L1_CACHE_SHIFT');
  if (l1 === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, 'CONFIG_X86_L1_CACHE_SHIFT: expected it in the kernel facts (SMP_CACHE_BYTES), found none');
  return 1n << BigInt(l1);
}

/** BOOTMEM_LOW_LIMIT = __pa(MAX_DMA_ADDRESS), 16M (include/linux/bootmem.h, arch/x86/include/asm/dma.h, 3.0.1): the goal of every alloc_bootmem*() macro. */
const GOAL_16M = 16n << 20n;

/**
 * i386_start_kernel() (arch/x86/kernel/head32.c, 3.0.1), before start_kernel(): memblock_init(),
 * memblock_x86_reserve_range(_text, __bss_stop, "TEXT DATA BSS"), "RAMDISK" for an initrd (./initrd-30.ts
 * reserveRamdisk30, where QEMU's loader put it), then reserve_ebda_region() (arch/x86/kernel/head.c): "* BIOS reserved" [lowmem, 1M),
 * lowmem the BDA's base-memory size (SeaBIOS src/post.c bda_init(): the EBDA's start), lowered to the
 * EBDA when within 64K below it. No line: memblock=debug is parsed later. The pipeline runs it after
 * setup_memory_map(), which writes the slice; it keeps that table as e820_saved (setup_memory_map()'s
 * memcpy; parse_setup_data() adds nothing: QEMU 7.2 passes no setup_data to a protocol-2.10 -kernel).
 */
export const i386StartKernel30: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'i386StartKernel30');
  refusePae(ctx, 'the memblock ledger');
  let mb = reserve30(memblockInit30(), symbol30(ctx, '_text', WHERE), symbol30(ctx, '__bss_stop', WHERE), 'TEXT DATA BSS');
  const initrd = initrdPlacement30(ctx, firmwareTable(ctx.spec, ctx.traits.arch));
  mb = reserveRamdisk30(mb, initrd);
  const ebda = SEABIOS.EBDA_START;
  let lowmem = SEABIOS.EBDA_START;
  if (lowmem - ebda <= 0x10000n) lowmem = ebda;
  mb = reserve30(mb, lowmem, 0x100000n, '* BIOS reserved', 'reserve_ebda_region');
  return { state: withSlice(state, 'legacy30', { ...l, e820Saved: l.e820, memblock30: mb, ...(initrd ? { initrd30: initrd } : {}) }), lines: [] };
};

/**
 * setup_arch() (3.0.1): find_smp_config() reserves nothing without X86_MPPARSE (refused otherwise);
 * reserve_ibft_region() nothing under QEMU (drivers/firmware/iscsi_ibft_find.c scans 512K–1M for an
 * "iBFT" signature SeaBIOS never writes); then reserve_brk(): "BRK" [__brk_base,
 * _brk_end) — head_32.S's PTE pages (one per 4M it mapped, from __brk_base) and dmi_scan_machine()'s
 * dmi_alloc() copies (drivers/firmware/dmi_scan.c: 3.0.1's dmi_decode() of SMBIOS types 0, 1 and 3 is
 * 2.6.34's, diffed; the types QEMU 7.2 gives add no other copy); memblock.current_limit =
 * get_max_mapped() (what head_32.S mapped) and memblock_x86_fill() (memblock.memory from e820).
 */
export const reserveBrk30: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, mb } = memblockOf(state, 'reserveBrk30');
  if (configEnabled(ctx.kernel, 'X86_MPPARSE')) throw new SimError('SIM_NOT_MODELLED', WHERE, 'CONFIG_X86_MPPARSE: the MP table reservations of find_smp_config() are not modelled for 3.0.1');
  const mapped = initialMappedEnd30(ctx);
  const brkBase = symbol30(ctx, '__brk_base', WHERE);
  // extend_brk(size, sizeof(int)) aligns each copy to 4 from the page-aligned end of the PTE pages
  const brkEnd = roundUp(brkBase + (mapped >> 22n) * PAGE_SIZE, 4n) + dmiBrkBytes34(ctx);
  if (brkEnd > symbol30(ctx, '__brk_limit', WHERE)) throw new SimError('SIM_NOT_MODELLED', WHERE, `brk: ${(brkEnd - brkBase).toString()} bytes exceed __brk_limit ("brk overflow" BUG)`);
  const withBrk = reserve30(mb, brkBase, brkEnd, 'BRK');
  const filled: Memblock30 = { ...withBrk, currentLimit: mapped, memory: memblockMemory30(l.e820, ctx.traits.pae) };
  return { state: withSlice(state, 'legacy30', { ...l, memblock30: filled }), lines: [] };
};

/**
 * paging_init() → pagetable_init() → permanent_kmaps_init() (arch/x86/mm/init_32.c, 3.0.1, HIGHMEM):
 * page_table_range_init(PKMAP_BASE, + LAST_PKMAP pages) with after_bootmem set takes a PTE page with
 * alloc_bootmem_pages() (PAGE_SIZE aligned, goal 16M) for each PMD of that range not present: only the
 * lowmem PMDs and the fixmap's (initial_pg_fixmap) are.
 */
export const pagingInit30: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, mb } = memblockOf(state, 'pagingInit30');
  const active = need(l.activeRanges, 'pagingInit30', 'activeRanges');
  const maxLowPfn = need(l.maxLowPfn, 'pagingInit30', 'maxLowPfn');
  if (!ctx.traits.highmem) return { state, lines: [] };
  refusePae(ctx, 'permanent_kmaps_init');
  const lay = layout30(ctx);
  const lowFirst = lay.pageOffset >> 22n;
  const lowEnd = (lay.pageOffset + (maxLowPfn << PAGE_SHIFT) + (1n << 22n) - 1n) >> 22n;
  let b = mb;
  for (let p = lay.pkmapBase >> 22n; p <= (lay.pkmapBase + lay.lastPkmap * PAGE_SIZE - 1n) >> 22n; p++) {
    if (p === 0x3ffn || (p >= lowFirst && p < lowEnd)) continue;
    b = allocBootmem30(b, active, PAGE_SIZE, PAGE_SIZE, GOAL_16M, 'permanent_kmaps_init PTE page').mb;
  }
  return { state: withSlice(state, 'legacy30', { ...l, memblock30: b }), lines: [] };
};

/** MAX_ORDER_NR_PAGES: 1 << (MAX_ORDER − 1), MAX_ORDER 11 (include/linux/mmzone.h, 3.0.1). */
const MAX_ORDER_NR_PAGES = 1024n;

/**
 * sizeof(wait_queue_head_t) (include/linux/wait.h, 3.0.1): spinlock_t + list_head; on a UP build
 * without DEBUG_SPINLOCK/DEBUG_LOCK_ALLOC the spinlock is spinlock_types_up.h's empty one, so 8 bytes.
 */
function waitQueueHeadBytes(ctx: Boot30Context): bigint {
  for (const o of ['DEBUG_SPINLOCK', 'DEBUG_LOCK_ALLOC']) if (configEnabled(ctx.kernel, o)) throw new SimError('SIM_NOT_MODELLED', WHERE, `CONFIG_${o}: its spinlock_t in wait_queue_head_t is not modelled for 3.0.1`);
  return 8n;
}

/** `%08lx`. */
const x8 = (v: bigint): string => v.toString(16).padStart(8, '0');

/**
 * paging_init() → zone_sizes_init() → free_area_init_nodes() (freeAreaInitNodes30's lines), with what
 * free_area_init_node() (mm/page_alloc.c, 3.0.1) allocates: alloc_node_mem_map() (FLAT_NODE_MEM_MAP:
 * the node's span widened to MAX_ORDER_NR_PAGES, × sizeof(struct page), alloc_bootmem_node_nopanic;
 * no alloc_remap without NUMA) and its KERN_DEBUG "free_area_init_node: node %d, pgdat %08lx,
 * node_mem_map %08lx" after "On node 0 totalpages", then free_area_init_core(): for each zone with a
 * span, setup_usemap() and zone_wait_table_init() (alloc_bootmem_node_nopanic each; usemap_size() and
 * wait_table_hash_nr_entries() are 2.6.34's, line for line).
 */
export const freeAreaInitNode30: Stage30Fn = (state, ctx): Stage30Result => {
  const r = freeAreaInitNodes30(state, ctx);
  const { l, mb } = memblockOf(r.state, 'freeAreaInitNode30');
  const zones = need(l.zones, 'freeAreaInitNode30', 'zones');
  const active = need(l.activeRanges, 'freeAreaInitNode30', 'activeRanges');
  const align = cacheBytes(ctx);
  const nodeStart = active.reduce((m, x) => (x.startPfn < m ? x.startPfn : m), active[0]!.startPfn);
  const nodeEnd = active.reduce((m, x) => (x.endPfn > m ? x.endPfn : m), 0n);
  const start = nodeStart & ~(MAX_ORDER_NR_PAGES - 1n);
  const end = roundUp(nodeEnd, MAX_ORDER_NR_PAGES);
  const size = (end - start) * STRUCT_PAGE_30;
  let { mb: b, addr } = allocBootmem30(mb, active, size, align, GOAL_16M, 'alloc_node_mem_map');
  const lay = layout30(ctx);
  const pgdat = lay.pageOffset + symbol30(ctx, 'contig_page_data', WHERE);
  const memMap = lay.pageOffset + addr + (nodeStart - start) * STRUCT_PAGE_30;
  const line: DmesgLine = {
    stage: 'zones', fmt: 'zones.node_mem_map_legacy', text: `free_area_init_node: node 0, pgdat ${x8(pgdat)}, node_mem_map ${x8(memMap)}`,
    explain: {
      pgdat: [term('&contig_page_data', `0x${x8(pgdat)}`, 'mm/nobootmem.c (FLATMEM NODE_DATA(0)), from the vmlinux .symtab')],
      node_mem_map: [
        term(`alloc_bootmem_node_nopanic((${end} − ${start}) pages × sizeof(struct page) ${STRUCT_PAGE_30}, SMP_CACHE_BYTES ${align})`, `0x${addr.toString(16)}`, 'mm/page_alloc.c alloc_node_mem_map() → mm/nobootmem.c __alloc_memory_core_early(): top-down below current_limit, past the reservations (3.0.1)'),
        term('+ (node_start_pfn − start) × sizeof(struct page), + PAGE_OFFSET', `${(nodeStart - start) * STRUCT_PAGE_30}`, 'mm/page_alloc.c alloc_node_mem_map() (3.0.1)'),
      ],
    },
  };
  const wq = waitQueueHeadBytes(ctx);
  for (const z of zones) {
    if (z.spanned === 0n) continue;
    b = allocBootmem30(b, active, usemapSize34(z.spanned), align, GOAL_16M, `setup_usemap ${z.name}`).mb;
    b = allocBootmem30(b, active, waitTableEntries34(z.spanned) * wq, align, GOAL_16M, `zone_wait_table_init ${z.name}`).mb;
  }
  const lines = [...r.lines];
  lines.splice(lines.findIndex((x) => x.fmt === 'zones.totalpages') + 1, 0, line);
  return { state: withSlice(r.state, 'legacy30', { ...l, memblock30: b }), lines };
};

/** struct resource with 32-bit resource_size_t (no PHYS_ADDR_T_64BIT without PAE): start, end, name, flags, parent, sibling, child (include/linux/ioport.h, 3.0.1). */
const STRUCT_RESOURCE_32 = 28n;
/**
 * struct firmware_map_entry (drivers/firmware/memmap.c, 3.0.1) on X86_32: u64 start, u64 end (4-byte
 * aligned on i386), type, list_head, and struct kobject (include/linux/kobject.h: name, entry, parent,
 * kset, ktype, sd, kref, the five state bits in one unsigned int: 36) = 64.
 */
const FIRMWARE_MAP_ENTRY_32 = 64n;

/**
 * setup_arch() → e820_reserve_resources() (arch/x86/kernel/e820.c, 3.0.1): alloc_bootmem(sizeof(struct
 * resource) × e820.nr_map), then with FIRMWARE_MEMMAP firmware_map_add_early() for each e820_saved entry,
 * alloc_bootmem(sizeof(struct firmware_map_entry)) each.
 */
export const e820ReserveResources30: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, mb } = memblockOf(state, 'e820ReserveResources30');
  const active = need(l.activeRanges, 'e820ReserveResources30', 'activeRanges');
  const saved = need(l.e820Saved, 'e820ReserveResources30', 'e820Saved');
  const align = cacheBytes(ctx);
  let b = allocBootmem30(mb, active, STRUCT_RESOURCE_32 * BigInt(l.e820.length), align, GOAL_16M, 'e820_reserve_resources').mb;
  if (configEnabled(ctx.kernel, 'FIRMWARE_MEMMAP')) {
    for (let i = 0; i < saved.length; i++) b = allocBootmem30(b, active, FIRMWARE_MAP_ENTRY_32, align, GOAL_16M, `firmware_map_add_early ${i}`).mb;
  }
  return { state: withSlice(state, 'legacy30', { ...l, memblock30: b }), lines: [] };
};

/**
 * start_kernel() → setup_command_line() (init/main.c, 3.0.1): saved_command_line and
 * static_command_line, alloc_bootmem(strlen + 1) each, of the command line kernelCommandLine30 prints.
 */
export const setupCommandLine30: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, mb } = memblockOf(state, 'setupCommandLine30');
  const active = need(l.activeRanges, 'setupCommandLine30', 'activeRanges');
  const n = BigInt(new TextEncoder().encode(bootCommandLine(ctx.spec)).length) + 1n;
  let b = allocBootmem30(mb, active, n, cacheBytes(ctx), GOAL_16M, 'saved_command_line').mb;
  b = allocBootmem30(b, active, n, cacheBytes(ctx), GOAL_16M, 'static_command_line').mb;
  return { state: withSlice(state, 'legacy30', { ...l, memblock30: b }), lines: [] };
};

/**
 * What setup_per_cpu_areas() (mm/percpu.c, 3.0.1, !CONFIG_SMP) allocates, in order:
 * pcpu_alloc_alloc_info(1, 1) — PFN_ALIGN(sizeof(struct pcpu_alloc_info) 32 + one pcpu_group_info 12,
 * + one cpu_map entry 4) = a page, alloc_bootmem_nopanic — and the unit, __alloc_bootmem(unit_size,
 * PAGE_SIZE, 16M); then pcpu_setup_first_chunk(): group_offsets, group_sizes (nr_groups 1), unit_map,
 * unit_off (nr_cpu_ids 1), 4 bytes each; pcpu_slot, (__pcpu_size_to_slot(unit_size) + 2) list heads
 * of 8 (fls(unit_size) − PCPU_SLOT_BASE_SHIFT 5 + 2); schunk, pcpu_chunk_struct_size = sizeof(struct
 * pcpu_chunk) 40 + BITS_TO_LONGS(unit pages) × 4; no dchunk (reserved_size 0: the static chunk covers
 * the dynamic area). The UP setup never frees the alloc info.
 */
export function percpuAllocs30(ctx: Boot30Context, mb: Memblock30, active: readonly ActiveRange30[], unitSize: bigint): Memblock30 {
  const align = cacheBytes(ctx);
  let b = allocBootmem30(mb, active, PAGE_SIZE, align, GOAL_16M, 'pcpu_alloc_alloc_info').mb;
  b = allocBootmem30(b, active, unitSize, PAGE_SIZE, GOAL_16M, 'percpu first chunk').mb;
  for (const what of ['group_offsets', 'group_sizes', 'unit_map', 'unit_off']) b = allocBootmem30(b, active, 4n, align, GOAL_16M, `pcpu_setup_first_chunk ${what}`).mb;
  let fls = 0n;
  for (let v = unitSize; v > 0n; v >>= 1n) fls++;
  const slots = (fls - 5n + 2n > 1n ? fls - 5n + 2n : 1n) + 2n;
  b = allocBootmem30(b, active, slots * 8n, align, GOAL_16M, 'pcpu_slot').mb;
  const unitPages = unitSize >> PAGE_SHIFT;
  b = allocBootmem30(b, active, 40n + ((unitPages + 31n) / 32n) * 4n, align, GOAL_16M, 'pcpu schunk').mb;
  return b;
}

/**
 * pidhash_init() and vfs_caches_init_early() (3.0.1): the three HASH_EARLY tables,
 * alloc_bootmem_nopanic(size) each (mm/page_alloc.c alloc_large_system_hash; no log_buf_len=, so
 * setup_log_buf() allocated nothing before them).
 */
export const earlyHashesMemblock30: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, mb } = memblockOf(state, 'earlyHashesMemblock30');
  const active = need(l.activeRanges, 'earlyHashesMemblock30', 'activeRanges');
  const k = need(l.nrKernelPages, 'earlyHashesMemblock30', 'nrKernelPages');
  const a = need(l.nrAllPages, 'earlyHashesMemblock30', 'nrAllPages');
  let b = mb;
  for (const h of [PID_HASH_30, DENTRY_HASH_30, INODE_HASH_30]) b = allocBootmem30(b, active, earlyHashTable30(h, k, a).bytes, cacheBytes(ctx), GOAL_16M, `${h.name} hash table`).mb;
  return { state: withSlice(state, 'legacy30', { ...l, memblock30: b }), lines: [] };
};

/**
 * mem_init() (arch/x86/mm/init_32.c, 3.0.1): free_all_bootmem() → free_all_memory_core_early() frees
 * the early_node_map pages below max_low_pfn that no memblock.reserved region touches
 * (__get_free_all_memory_range); reservedpages counts the pfns below max_low_pfn that page_is_ram()
 * ("System RAM": the E820_RAM entries rounded in, which are the active ranges) finds still
 * PageReserved, i.e. those not freed; set_highmem_pages_init() → add_highpages_with_active_regions()
 * frees each HighMem zone's free ranges (totalhigh_pages). Every free lands in the buddy lists at once
 * (boot_pageset: high 0, batch 1), so nr_free_pages() is their sum. Prints "Memory: %luk/%luk available
 * (%dk kernel code, %dk reserved, %dk data, %dk init, %ldk highmem)" with num_physpages = highend_pfn.
 */
/**
 * The pages mem_init() (arch/x86/mm/init_32.c, 3.0.1) hands to the buddy allocator: free_all_bootmem()'s
 * low pages (totalram_pages) and set_highmem_pages_init()'s HighMem pages (totalhigh_pages, also added
 * to totalram_pages), with the low RAM they came from.
 */
export function memInitPages30(state: BootState, ctx: Boot30Context, reader: string): { lowFree: bigint; high: bigint; lowRam: bigint } {
  const { l, mb } = memblockOf(state, reader);
  const active = need(l.activeRanges, reader, 'activeRanges');
  const maxLowPfn = need(l.maxLowPfn, reader, 'maxLowPfn');
  const highendPfn = need(l.highendPfn, reader, 'highendPfn');
  const zones = need(l.zones, reader, 'zones');
  const lowFree = pagesIn30(freeMemoryRanges30(mb, active, 0n, maxLowPfn));
  let high = 0n;
  if (ctx.traits.highmem) {
    for (const z of zones.filter((x) => x.name === 'HighMem' && x.spanned !== 0n)) {
      // pfn_valid(): below max_mapnr = num_physpages = highend_pfn (FLATMEM)
      const end = z.startPfn + z.spanned < highendPfn ? z.startPfn + z.spanned : highendPfn;
      high += pagesIn30(freeMemoryRanges30(mb, active, z.startPfn, end));
    }
  }
  return { lowFree, high, lowRam: pagesBelow(active, maxLowPfn) };
}

export const memInit30: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, mb } = memblockOf(state, 'memInit30');
  const active = need(l.activeRanges, 'memInit30', 'activeRanges');
  const maxLowPfn = need(l.maxLowPfn, 'memInit30', 'maxLowPfn');
  const highendPfn = need(l.highendPfn, 'memInit30', 'highendPfn');
  const { lowFree, high, lowRam } = memInitPages30(state, ctx, 'memInit30');
  const reserved = lowRam - lowFree;
  const numPhys = ctx.traits.highmem ? highendPfn : maxLowPfn;
  const kb = (p: bigint): bigint => p << (PAGE_SHIFT - 10n);
  const sym = (n: string): bigint => symbol30(ctx, n, WHERE);
  const code = (sym('_etext') - sym('_text')) >> 10n;
  const data = (sym('_edata') - sym('_etext')) >> 10n;
  const init = (sym('__init_end') - sym('__init_begin')) >> 10n;
  // the pages each reservation newly took, in call order (a page two reservations share counts for the first)
  const taken = new Map<string, bigint>();
  let seen: Memblock30 = { ...mb, reserved: [] };
  let before = lowRam;
  for (const r of mb.log) {
    seen = reserve30(seen, r.base, r.end, r.name, r.what);
    const now = pagesIn30(freeMemoryRanges30(seen, active, 0n, maxLowPfn));
    if (before !== now) taken.set(r.what, (taken.get(r.what) ?? 0n) + (before - now));
    before = now;
  }
  const src = 'arch/x86/mm/init_32.c mem_init() (3.0.1)';
  return {
    state,
    lines: [{
      stage: 'mem-init', fmt: 'mem.summary_legacy',
      text: `Memory: ${kb(lowFree + high)}k/${kb(numPhys)}k available (${code}k kernel code, ${kb(reserved)}k reserved, ${data}k data, ${init}k init, ${kb(high)}k highmem)`,
      explain: {
        available: [
          term(`low RAM pages below max_low_pfn ${lowRam} − pages a memblock.reserved region touches ${reserved}`, `${lowFree} pages`, 'mm/nobootmem.c free_all_memory_core_early() → arch/x86/mm/memblock.c __get_free_all_memory_range() (3.0.1)'),
          term('+ HighMem free pages (add_highpages_with_active_regions)', `${high} pages`, 'arch/x86/mm/highmem_32.c set_highmem_pages_init() (3.0.1)'),
        ],
        reserved: [...taken].map(([what, pages]) => term(what, `${pages} pages`, `${src}: RAM pages still PageReserved, by the memblock reservation that first took them`)),
      },
    }],
  };
};
