// start_kernel() of 2.6.11 i386 after setup_arch() (init/main.c, wyangsc/linux-2.6.11_bzImage_vmlinux):
// build_all_zonelists()'s "Built 1 zonelists", pidhash_init() and its four bootmem tables, console_init()
// → con_init()'s bootmem copies, vfs_caches_init_early()'s two HASH_EARLY tables
// (alloc_large_system_hash), and mem_init(): free_all_bootmem(), the reserved count,
// set_highmem_pages_init() and the "Memory:" line (arch/i386/mm/init.c).
import type { Stage30Fn, Stage30Result } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import type { DmesgLine, ExplainTerm } from '../../types.ts';
import { PAGE_SHIFT } from '../../lib/sizes.ts';
import { withSlice } from '../../state.ts';
import { legacy2611Of, need2611, type Bootmem2611, type Zone2611 } from './state-2611.ts';
import { allocBootmem2611, freeAllBootmem2611, pcpKept2611, setIn2611 } from './bootmem-2611.ts';
import { MAX_DMA_PA_2611, cacheBytes2611, ramRanges2611 } from './setup-memory-2611.ts';
import type { PfnRange } from './state-30.ts';
import { configEnabled } from '../../traits.ts';
import { hlistHead2611, vcData2611, vtStruct2611 } from './sizes-2611.ts';

const WHERE = 'start_kernel (2.6.11 i386)';
const line = (stage: string, fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage, fmt, text, ...(explain ? { explain } : {}) });
const term = (name: string, value: string, source: string): ExplainTerm => ({ name, value, source });

/** build_all_zonelists() (mm/page_alloc.c, 2.6.11): printk("Built %i zonelists\n", num_online_nodes()): one node (no NUMA). */
export const buildAllZonelists2611: Stage30Fn = (state): Stage30Result => ({ state, lines: [line('zonelists', 'zonelists.built_count', 'Built 1 zonelists')] });

/** long_log2(x) (include/linux/bitops.h-style floor log2, 2.6.11). */
const log2 = (x: bigint): bigint => {
  let r = -1n;
  for (let v = x; v > 0n; v >>= 1n) r++;
  return r;
};
/** fls(x): the 1-based index of the highest set bit, 0 for 0. */
const fls = (x: bigint): bigint => log2(x) + 1n;

/** PIDTYPE_MAX (include/linux/pid.h, 2.6.11): PID, TGID, PGID, SID. */
const PIDTYPE_MAX = 4n;

function bootmemOf(state: Parameters<Stage30Fn>[0], reader: string): { l: ReturnType<typeof legacy2611Of>; bm: Bootmem2611 } {
  const l = legacy2611Of(state, reader);
  return { l, bm: need2611(l.bootmem, reader, 'bootmem') };
}

/**
 * pidhash_init() (kernel/pid.c, 2.6.11): megabytes = nr_kernel_pages >> (20 − PAGE_SHIFT); pidhash_shift
 * = min(12, max(4, fls(megabytes × 4))); prints "PID hash table entries: %d (order: %d, %Zd bytes)" with
 * the shift as the "order" and PIDTYPE_MAX × size × sizeof(hlist_head) bytes, then takes one
 * alloc_bootmem(size × sizeof(hlist_head)) per pid type.
 */
export const pidhashInit2611: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, bm } = bootmemOf(state, 'pidhashInit2611');
  const k = need2611(l.nrKernelPages, 'pidhashInit2611', 'nrKernelPages');
  const megabytes = k >> (20n - PAGE_SHIFT);
  let shift = fls(megabytes * 4n);
  if (shift < 4n) shift = 4n;
  if (shift > 12n) shift = 12n;
  const size = 1n << shift;
  let b = bm;
  const hlist = hlistHead2611(ctx);
  for (let i = 0n; i < PIDTYPE_MAX; i++) b = allocBootmem2611(b, size * hlist, cacheBytes2611(ctx), MAX_DMA_PA_2611, `pid_hash[${i}]`).bm;
  return {
    state: withSlice(state, 'legacy2611', { ...l, bootmem: b }),
    lines: [line('hashes', 'hash.pid', `PID hash table entries: ${size} (order: ${shift}, ${PIDTYPE_MAX * size * hlist} bytes)`, {
      entries: [term(`min(12, max(4, fls(${megabytes} MB of nr_kernel_pages × 4)))`, `${shift}`, 'kernel/pid.c pidhash_init() (2.6.11)')],
    })],
  };
};

// sizeof(struct vc_data) on i386 (include/linux/console_struct.h, 2.6.11), laid out by hand: 312 bytes
// (vc_num padded to 4, 13 ints/longs/pointers to vc_screenbuf_size at 48, six attribute bytes padded to
// 60, …, vc_font (16) at 92, vc_par[NPAR 16] at 120, the bit-fields and vc_utf in one word at 188,
// vc_utf_count, vc_utf_char at 196, vc_tab_stop[8], vc_palette[48], vc_translate at 280, four charset
// bytes, bell pitch and duration, and four pointers to 312); struct vt_struct: vc_num, vc_mode, struct
// vt_mode (8, at 6), vt_pid, vt_newvt, a UP wait_queue_head_t (8): 32. Both in sizes-2611.ts, beside x86_64's.

/**
 * Whether 2.6.11's con_init() allocates (the kept options of the facts): vt.c, whose
 * console_initcall(con_init) it is, is built under CONFIG_HW_CONSOLE (drivers/char/Makefile, 2.6.11;
 * HW_CONSOLE depends on VT), and con_init() returns before any alloc_bootmem when conswitchp is NULL
 * (drivers/char/vt.c). setup_arch() sets conswitchp under CONFIG_VT to &vga_con with VGA_CONSOLE, else
 * to &dummy_con with DUMMY_CONSOLE, else leaves it NULL (arch/i386/kernel/setup.c, 2.6.11; BIOS boot,
 * so efi_enabled is 0).
 */
export function conInitAllocates2611(kernel: Parameters<typeof configEnabled>[0]): boolean {
  return configEnabled(kernel, 'HW_CONSOLE') && configEnabled(kernel, 'VT') && (configEnabled(kernel, 'VGA_CONSOLE') || configEnabled(kernel, 'DUMMY_CONSOLE'));
}

/**
 * console_init() → con_init() (drivers/char/vt.c, 2.6.11): for the MIN_NR_CONSOLES (1) console,
 * alloc_bootmem(sizeof(struct vc_data)), alloc_bootmem(sizeof(struct vt_struct)) and the screen buffer,
 * alloc_bootmem(screenbuf_size) = rows × cols × 2. Both console switches give 80×25: vgacon_startup()
 * the text mode SeaBIOS leaves (ORIG_VIDEO_COLS/LINES, "Console: colour VGA+ 80x25"; a VLFB or VGA16
 * mode falls back to dummy_con, or to NULL without DUMMY_CONSOLE: SeaBIOS leaves mode 3), dummycon's
 * DUMMY_COLUMNS/DUMMY_ROWS on x86 (drivers/video/console/dummycon.c, 2.6.11: "colour dummy device
 * 80x25"). A build without a console switch (conInitAllocates2611) allocates nothing here.
 */
export const conInit2611: Stage30Fn = (state, ctx): Stage30Result => {
  if (!conInitAllocates2611(ctx.kernel)) return { state, lines: [] };
  const { l, bm } = bootmemOf(state, 'conInit2611');
  const align = cacheBytes2611(ctx);
  let b = allocBootmem2611(bm, vcData2611(ctx), align, MAX_DMA_PA_2611, 'con_init vc_data').bm;
  b = allocBootmem2611(b, vtStruct2611(ctx), align, MAX_DMA_PA_2611, 'con_init vt_struct').bm;
  b = allocBootmem2611(b, 80n * 25n * 2n, align, MAX_DMA_PA_2611, 'con_init screenbuf').bm;
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: b }), lines: [] };
};

/**
 * alloc_large_system_hash(name, bucketsize, 0, scale, HASH_EARLY, …, limit 0) (mm/page_alloc.c, 2.6.11):
 * numentries = nr_kernel_pages rounded up to a megabyte, shifted by scale − PAGE_SHIFT, then 1 <<
 * (long_log2(numentries) + 1) (a power of two doubles); at most (nr_all_pages << PAGE_SHIFT) >> 4 /
 * bucketsize; log2qty = long_log2 of that; size = bucketsize << log2qty from alloc_bootmem(size).
 */
export function largeSystemHash2611(bucket: bigint, scale: bigint, nrKernel: bigint, nrAll: bigint): { readonly entries: bigint; readonly order: bigint; readonly bytes: bigint } {
  const mbPages = 1n << (20n - PAGE_SHIFT);
  let n = ((nrKernel + mbPages - 1n) >> (20n - PAGE_SHIFT)) << (20n - PAGE_SHIFT);
  n = scale > PAGE_SHIFT ? n >> (scale - PAGE_SHIFT) : n << (PAGE_SHIFT - scale);
  n = 1n << (log2(n) + 1n);
  const max = ((nrAll << PAGE_SHIFT) >> 4n) / bucket;
  if (n > max) n = max;
  const q = log2(n);
  const bytes = bucket << q;
  return { entries: 1n << q, order: log2(bytes) - PAGE_SHIFT, bytes };
}

/**
 * vfs_caches_init_early() (fs/dcache.c, 2.6.11; hashdist 0 without NUMA): dcache_init_early()'s
 * "Dentry cache" (scale 13) and inode_init_early()'s "Inode-cache" (scale 14), each an hlist_head per
 * bucket, HASH_EARLY from bootmem; "%s hash table entries: %d (order: %d, %lu bytes)".
 */
export const vfsCachesInitEarly2611: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, bm } = bootmemOf(state, 'vfsCachesInitEarly2611');
  const k = need2611(l.nrKernelPages, 'vfsCachesInitEarly2611', 'nrKernelPages');
  const a = need2611(l.nrAllPages, 'vfsCachesInitEarly2611', 'nrAllPages');
  let b = bm;
  const lines: DmesgLine[] = [];
  for (const [name, fmt, scale] of [['Dentry cache', 'hash.dentry_legacy', 13n], ['Inode-cache', 'hash.inode_legacy', 14n]] as const) {
    const h = largeSystemHash2611(hlistHead2611(ctx), scale, k, a);
    b = allocBootmem2611(b, h.bytes, cacheBytes2611(ctx), MAX_DMA_PA_2611, `${name} hash table`).bm;
    lines.push(line('hashes', fmt, `${name} hash table entries: ${h.entries} (order: ${h.order}, ${h.bytes} bytes)`, {
      entries: [term(`nr_kernel_pages ${k} to whole MB, >> (${scale} − PAGE_SHIFT), 1 << (long_log2 + 1), ≤ nr_all_pages × 4096 / 16 / 4`, `${h.entries}`, 'mm/page_alloc.c alloc_large_system_hash() (2.6.11)')],
    }));
  }
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: b }), lines };
};

/** The pfns of `ranges` inside [s, e). */
function inside(ranges: readonly PfnRange[], s: bigint, e: bigint): bigint {
  return setIn2611(ranges, s, e);
}

/**
 * mem_init() (arch/i386/mm/init.c, 2.6.11): num_physpages = highend_pfn (set_max_mapnr_init);
 * free_all_bootmem() (mm/bootmem.c free_all_bootmem_core: every clear bit, whole free words as order-5
 * blocks, then the bitmap's pages); reservedpages = the pfns below max_low_pfn that page_is_ram() (an
 * E820_RAM entry, PFN_UP to PFN_DOWN) finds still PageReserved; set_highmem_pages_init() frees each RAM
 * pfn of [highstart_pfn, highend_pfn) (totalhigh_pages). nr_free_pages() sums zone->free_pages, which
 * leaves out what each zone's hot per-CPU list still holds after its order-0 frees (free_hot_cold_page).
 * "Memory: %luk/%luk available (%dk kernel code, %dk reserved, %dk data, %dk init, %ldk highmem)".
 */
export const memInit2611: Stage30Fn = (state, ctx): Stage30Result => {
  const { l, bm } = bootmemOf(state, 'memInit2611');
  const maxLowPfn = need2611(l.maxLowPfn, 'memInit2611', 'maxLowPfn');
  const highstart = need2611(l.highstartPfn, 'memInit2611', 'highstartPfn');
  const highend = need2611(l.highendPfn, 'memInit2611', 'highendPfn');
  const zones = need2611(l.zones, 'memInit2611', 'zones');
  const ram = ramRanges2611(l.e820);
  const freed = freeAllBootmem2611(bm);
  // reservedpages: RAM below max_low_pfn still set in the bitmap, less the bitmap's pages (freed last)
  let reserved = 0n;
  let lowRam = 0n;
  for (const r of ram) {
    const e = r.end < maxLowPfn ? r.end : maxLowPfn;
    if (e <= r.start) continue;
    lowRam += e - r.start;
    reserved += inside(bm.reserved, r.start, e) - inside([freed.bitmapPages], r.start, e);
  }
  // set_highmem_pages_init(): the RAM pfns of [highstart, highend)
  let high = 0n;
  for (const r of ram) {
    const s = r.start > highstart ? r.start : highstart;
    const e = r.end < highend ? r.end : highend;
    if (e > s) high += e - s;
  }
  // order-0 frees per zone, and what each zone's hot list keeps
  const zoneOf = (z: Zone2611): PfnRange => ({ start: z.startPfn, end: z.startPfn + z.size });
  const kept: ExplainTerm[] = [];
  let keptTotal = 0n;
  for (const z of zones) {
    const zr = zoneOf(z);
    let n = inside(freed.singlePfns, zr.start, zr.end) + inside([freed.bitmapPages], zr.start, zr.end);
    if (z.name === 'HighMem') n += high;
    const k = pcpKept2611(n, z.batch);
    if (k !== 0n) kept.push(term(`${z.name}: ${n} order-0 frees, hot list high ${6n * z.batch} batch ${z.batch}`, `${k} pages`, 'mm/page_alloc.c free_hot_cold_page() (2.6.11): not in zone->free_pages'));
    keptTotal += k;
  }
  const free = freed.total + high - keptTotal;
  const kb = (p: bigint): bigint => p << (PAGE_SHIFT - 10n);
  const sym = (n: string): bigint => symbol30(ctx, n, WHERE);
  const code = (sym('_etext') - sym('_text')) >> 10n;
  const data = (sym('_edata') - sym('_etext')) >> 10n;
  const init = (sym('__init_end') - sym('__init_begin')) >> 10n;
  const src = 'arch/i386/mm/init.c mem_init() (2.6.11)';
  return {
    state,
    lines: [line('mem-init', 'mem.summary_legacy', `Memory: ${kb(free)}k/${kb(highend)}k available (${code}k kernel code, ${kb(reserved)}k reserved, ${data}k data, ${init}k init, ${kb(high)}k highmem)`, {
      available: [
        term('free_all_bootmem(): clear bits below max_low_pfn + the bitmap pages', `${freed.total} pages`, 'mm/bootmem.c free_all_bootmem_core() (2.6.11)'),
        term('+ highmem RAM pages (set_highmem_pages_init)', `${high} pages`, src),
        ...kept.map((t) => ({ ...t, name: `− kept on the per-CPU list: ${t.name}` })),
      ],
      physpages: [term('num_physpages = highend_pfn', `0x${highend.toString(16)}`, `${src} set_max_mapnr_init()`)],
      reserved: [
        term(`RAM pages below max_low_pfn ${lowRam}: still reserved`, `${reserved} pages`, `${src}: page_is_ram() && PageReserved()`),
        ...bm.setBy.filter((x) => x.pages !== 0n).map((x) => term(x.what, `${x.pages} pages`, 'mm/bootmem.c: the bitmap pages it set (2.6.11)')),
        term('− the bitmap pages free_all_bootmem_core() frees last', `${freed.bitmapPages.end - freed.bitmapPages.start} pages`, 'mm/bootmem.c free_all_bootmem_core() (2.6.11)'),
      ],
      highmem: [term('totalhigh_pages', `${high} pages`, `${src} set_highmem_pages_init()`)],
    })],
  };
};
