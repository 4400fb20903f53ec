// models the deterministic lines of /proc/meminfo (fs/proc/meminfo.c meminfo_proc_show, 5.10.223 …
// 7.2.13) from the predicted zones: MemTotal (totalram_pages), HighTotal/LowTotal (CONFIG_HIGHMEM),
// CommitLimit (mm/util.c vm_commit_limit, no swap), VmallocTotal (VMALLOC_END − VMALLOC_START) and
// the hugetlb lines of mm/hugetlb.c hugetlb_report_meminfo() without hugepages=, and the lines the
// probe boot fixes at 0 by construction (probeZeros: no swap, no FUSE, no highmem bounce). What the boot's
// run time decides (MemFree, Percpu's dynamic chunks, DirectMap after set_memory_* splits) is not
// predicted here: harness/catalog/state-families.ts lists it.
import type { BootContext, BootState } from '../../boot.ts';
import type { ExplainTerm } from '../../types.ts';
import { sliceIfAny } from '../../state.ts';
import { configEnabled } from '../../traits.ts';
import { SimError } from '../../lib/errors.ts';
import { PAGE_SHIFT } from '../../lib/sizes.ts';
import { pgtableL5Enabled } from '../boot-cpu.ts';
import { bootCommandLine, parseParams } from '../cmdline.ts';
import type { ZoneinfoState } from './zoneinfo.ts';
import { pageTablesOf } from '../memblock-setup.ts';

/** One /proc/meminfo line the simulator predicts: its name (without the colon), value and unit. */
export interface MeminfoField {
  readonly name: string;
  readonly value: bigint;
  /** 'kB' for the lines that print " kB", '' for the HugePages_* counts. */
  readonly unit: 'kB' | '';
  readonly explain: readonly ExplainTerm[];
}

const K = (pages: bigint): bigint => pages << (PAGE_SHIFT - 10n);

/** mm/util.c sysctl_overcommit_ratio (5.10 … 7.2). */
const OVERCOMMIT_RATIO = 50n;

/** Predicts the deterministic /proc/meminfo lines from the predicted zoneinfo. */
export function predictMeminfo(state: BootState, ctx: BootContext, zi: ZoneinfoState): MeminfoField[] {
  const traits = ctx.traits;
  const hugepageParams = parseParams(bootCommandLine(ctx.spec)).filter((p) => p.param === 'hugepages' || p.param === 'hugepagesz' || p.param === 'default_hugepagesz');
  if (hugepageParams.length > 0) throw new SimError('SIM_NOT_MODELLED', 'state', `cmdline: ${hugepageParams.map((p) => p.param).join(', ')}: the HugePages_* and CommitLimit lines after boot (pages allocated by hugetlb_init) are not modelled`);
  const out: MeminfoField[] = [];
  const total = zi.totalram;
  const memTotalTerms: ExplainTerm[] = [
    { name: 'Σ managed pages of every zone after boot (the frees below included)', value: K(total), source: 'fs/proc/meminfo.c: si_meminfo() → totalram_pages() (6.1)' },
    ...zi.frees.map((f) => ({ name: `Freeing ${f.name} memory`, value: K(f.endPfn - f.startPfn), source: f.source })),
  ];
  out.push({ name: 'MemTotal', value: K(total), unit: 'kB', explain: memTotalTerms });
  if (traits.highmem) {
    const high = zi.zones.filter((z) => z.zone === 'HighMem').reduce((n, z) => n + z.managed, 0n);
    out.push({ name: 'HighTotal', value: K(high), unit: 'kB', explain: [{ name: 'managed pages of ZONE_HIGHMEM (totalhigh_pages)', value: K(high), source: 'fs/proc/meminfo.c: si_meminfo() totalhigh (6.1)' }] });
    out.push({ name: 'LowTotal', value: K(total - high), unit: 'kB', explain: [{ name: 'totalram − totalhigh', value: K(total - high), source: 'fs/proc/meminfo.c: meminfo_proc_show() (6.1)' }] });
  }
  const commit = (total * OVERCOMMIT_RATIO) / 100n;
  // the probe's /init never runs swapon (qemu-scripts/initramfs/image.ts): si_swapinfo() has no swap
  for (const n of ['SwapTotal', 'SwapFree']) out.push({ name: n, value: 0n, unit: 'kB', explain: [{ name: 'no swap area: the probe never calls swapon', value: 0, source: 'mm/swapfile.c: si_swapinfo() (6.1)' }] });
  out.push(...probeZeros(ctx));
  if (configEnabled(ctx.kernel, 'MEMORY_FAILURE')) out.push({ name: 'HardwareCorrupted', value: 0n, unit: 'kB', explain: [{ name: 'num_poisoned_pages: no memory_failure() during the boot', value: 0, source: 'fs/proc/meminfo.c (CONFIG_MEMORY_FAILURE, 6.1)' }] });
  if (configEnabled(ctx.kernel, 'CMA')) {
    const cma = zi.zones.reduce((n, z) => n + z.cma, 0n);
    out.push({ name: 'CmaTotal', value: K(cma), unit: 'kB', explain: [{ name: 'totalcma_pages: the CMA areas dma_contiguous_reserve() declared', value: K(cma), source: 'fs/proc/meminfo.c (CONFIG_CMA, 6.1); mm/cma.c' }] });
  }
  out.push({ name: 'CommitLimit', value: K(commit), unit: 'kB', explain: [{ name: `(totalram ${total} − hugetlb 0) × overcommit_ratio ${OVERCOMMIT_RATIO} / 100, no swap`, value: K(commit), source: 'mm/util.c: vm_commit_limit() (6.1)' }] });
  out.push(vmallocTotal(state, ctx));
  const hpageK = traits.arch === 'x86_64' || traits.pae ? 2048n : 4096n;
  for (const n of ['HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp']) out.push({ name: n, value: 0n, unit: '', explain: [{ name: 'no hugepages= on the command line: the default hstate has no pages', value: 0, source: 'mm/hugetlb.c: hugetlb_report_meminfo() (6.1)' }] });
  out.push({ name: 'Hugepagesize', value: hpageK, unit: 'kB', explain: [{ name: 'huge_page_size(&default_hstate): HPAGE_SHIFT 21 (x86_64, PAE) or 22 (2-level i386)', value: hpageK, source: 'arch/x86/include/asm/page_types.h HPAGE_SHIFT = PMD_SHIFT' }] });
  out.push({ name: 'Hugetlb', value: 0n, unit: 'kB', explain: [{ name: 'Σ nr_huge_pages × huge page size over the hstates', value: 0, source: 'mm/hugetlb.c: hugetlb_report_meminfo() (6.1)' }] });
  return out;
}

/**
 * The meminfo lines the probe boot fixes at 0 by construction, each with the source rule: the
 * probe's /init (qemu-scripts/initramfs/image.ts initScript) mounts proc and sysfs, cats files from
 * them and powers off: no swapon, no FUSE mount, no block device I/O. Printed unconditionally in
 * fs/proc/meminfo.c meminfo_proc_show() (6.1.176, 6.12.117, 7.2.13) except Zswap/Zswapped
 * (CONFIG_ZSWAP, traits.state.zswapStats). Bounce only without CONFIG_HIGHMEM on 6.1+
 * (traits.state.bounceHighmemOnly; 5.10's bounce_pfn rule is not read): a highmem kernel
 * may bounce a device's bio (a boot-time probe of QEMU's default CD-ROM included), which no rule here
 * excludes. Mlocked is left out: it needs every busybox applet the probe runs read for mlock().
 */
function probeZeros(ctx: BootContext): MeminfoField[] {
  const zero = (name: string, why: string, source: string): MeminfoField => ({ name, value: 0n, unit: 'kB', explain: [{ name: why, value: 0, source }] });
  const out: MeminfoField[] = [
    // include/linux/swap.h: total_swapcache_pages() = NR_SWAPCACHE (6.1, 6.12), 0UL without CONFIG_SWAP
    zero('SwapCached', 'NR_SWAPCACHE: a folio enters the swap cache only with a swap entry from a swap area (add_to_swap_cache), and the probe never calls swapon', 'mm/swap_state.c: add_to_swap_cache() (6.1, 6.12); include/linux/swap.h total_swapcache_pages()'),
  ];
  if (ctx.traits.state.zswapStats && configEnabled(ctx.kernel, 'ZSWAP')) {
    // mm/zswap.c: zswap_store() runs only from swap_writepage() (6.12), i.e. on swap-out
    out.push(zero('Zswap', 'the zswap pools hold only what zswap_store() compressed, on a swap-out; without a swap area nothing is swapped out', 'mm/zswap.c: zswap_store() ← mm/page_io.c swap_writepage() (6.12); fs/proc/meminfo.c (CONFIG_ZSWAP)'));
    out.push(zero('Zswapped', 'zswap_stored_pages: raised only by zswap_store(), on a swap-out; no swap area', 'mm/zswap.c: zswap_store() (6.12); fs/proc/meminfo.c (CONFIG_ZSWAP)'));
  }
  out.push(zero('NFS_Unstable', 'a constant 0 since NR_UNSTABLE_NFS was folded into NR_WRITEBACK (5.8)', 'fs/proc/meminfo.c: show_val_kb(m, "NFS_Unstable:   ", 0) (6.1, 6.12, 7.2)'));
  if (ctx.traits.state.bounceHighmemOnly && !ctx.traits.highmem) out.push(zero('Bounce', 'NR_BOUNCE: __blk_queue_bounce() bounces only a PageHighMem() page, and a kernel without CONFIG_HIGHMEM has none (7.2 prints a constant 0)', 'block/bounce.c: __blk_queue_bounce() (6.1, 6.12); fs/proc/meminfo.c (7.2)'));
  out.push(zero('WritebackTmp', 'NR_WRITEBACK_TEMP: raised only by FUSE\'s writeback through a temporary page, and the probe mounts no FUSE file system (7.2 prints a constant 0)', 'fs/fuse/file.c: fuse_writepage_locked(), fuse_writepages_fill() (6.1), fuse_writepage_args_page_fill() (6.12); fs/proc/meminfo.c (7.2)'));
  out.push(zero('VmallocChunk', 'a constant 0 since the largest free vmalloc chunk stopped being computed (5.3)', 'fs/proc/meminfo.c: show_val_kb(m, "VmallocChunk:   ", 0ul) (6.1, 6.12, 7.2)'));
  return out;
}

/** The key of the DirectMap lines' sum, as harness/compare/state.ts derives it from a state.log. */
export const DIRECT_MAP_SUM = 'DirectMap (sum of the DirectMap lines)';

/** One DirectMap line or their sum: exact (the sum) or a range with a step (a split moves whole big pages). */
export interface DirectMapField {
  readonly name: string;
  readonly kb: bigint;
  readonly range?: { readonly lo: bigint; readonly hi: bigint; readonly step: bigint };
  readonly explain: readonly ExplainTerm[];
}

/**
 * The DirectMap lines (arch/x86/mm/pageattr.c arch_report_meminfo, 5.10 … 7.2): DirectMap4k
 * (direct_pages_count[PG_LEVEL_4K] << 2), DirectMap2M (<< 11; DirectMap4M, << 12, on 2-level i386),
 * DirectMap1G (<< 20, X86_64 with direct_gbpages only). init_mem_mapping() sets the counts
 * (memblock-setup.ts countDirectPages, init32.ts initMemoryMapping32); after it,
 * set_memory_*() splits a big page at run time (__split_large_page: update_page_count(level, −1) and
 * (level − 1, +512)), which no rule predicts (their number differs between boots). So their sum is
 * exact, and each line lies between its boot value with every later split (4K: at least its boot
 * value, at most the whole map; 2M: at most its boot value plus the 1G pages split), in whole big pages.
 * Undefined when the boot counted no direct map.
 */
export function predictDirectMap(state: BootState): DirectMapField[] | undefined {
  const d = pageTablesOf(state).directPages;
  if (!d) return undefined;
  const k4 = d.k4 << 2n;
  const m2 = d.m2 * d.bigKb;
  const big = d.bigKb === 4096n ? 'DirectMap4M' : 'DirectMap2M';
  const g1 = d.g1 << 20n;
  const sum = k4 + m2 + g1;
  const src = 'update_page_count(): arch/x86/mm/init_64.c phys_pte_init/phys_pmd_init/phys_pud_init (x86_64, 6.12), init_32.c kernel_physical_mapping_init first pass (i386, 6.1)';
  const split = 'arch/x86/mm/pageattr.c: __split_large_page() turns one big page into the PTRS_PER_PTE pages of the next size down (6.12)';
  const boot: ExplainTerm[] = [
    { name: 'DirectMap4k at init_mem_mapping (4K entries × 4)', value: k4, source: src },
    { name: `${big} at init_mem_mapping (${big.slice(9)} leaves × ${d.bigKb})`, value: m2, source: src },
    ...(d.gbpages ? [{ name: 'DirectMap1G at init_mem_mapping (1G leaves × 1048576)', value: g1, source: src }] : []),
  ];
  const out: DirectMapField[] = [
    { name: DIRECT_MAP_SUM, kb: sum, explain: [...boot, { name: 'their sum: a split keeps it', value: sum, source: split }] },
    { name: 'DirectMap4k', kb: k4, range: { lo: k4, hi: sum, step: d.bigKb }, explain: [...boot, { name: `at least the boot 4K, at most the whole map, in whole ${big.slice(9)} splits`, value: `${k4}..${sum}`, source: split }] },
    { name: big, kb: m2, range: { lo: 0n, hi: m2 + g1, step: d.bigKb }, explain: [...boot, { name: `at most the boot ${big.slice(9)} plus the 1G pages split, in whole ${big.slice(9)} pages`, value: `0..${m2 + g1}`, source: split }] },
  ];
  if (d.gbpages) out.push({ name: 'DirectMap1G', kb: g1, range: { lo: 0n, hi: g1, step: 1048576n }, explain: [...boot, { name: 'at most the boot 1G, in whole 1G pages', value: `0..${g1}`, source: split }] });
  return out;
}

/** VmallocTotal: (VMALLOC_END − VMALLOC_START) >> 10 (fs/proc/meminfo.c 6.1). */
function vmallocTotal(state: BootState, ctx: BootContext): MeminfoField {
  if (ctx.traits.arch === 'x86_64') {
    // arch/x86/include/asm/pgtable_64_types.h: VMALLOC_END = VMALLOC_START + (VMALLOC_SIZE_TB << 40) − 1 (5.10 … 7.2)
    const l5 = pgtableL5Enabled(ctx);
    const tb = l5 ? 12800n : 32n;
    const v = ((tb << 40n) - 1n) >> 10n;
    return { name: 'VmallocTotal', value: v, unit: 'kB', explain: [{ name: `(VMALLOC_SIZE_TB_${l5 ? 'L5' : 'L4'} ${tb}T − 1) >> 10`, value: v, source: 'arch/x86/include/asm/pgtable_64_types.h VMALLOC_END (6.1)' }] };
  }
  const lm = sliceIfAny(state, 'lowmem32');
  if (!lm) throw new SimError('SIM_NOT_MODELLED', 'state', 'VmallocTotal on i386: expected the lowmem32 stage to have run');
  // arch/x86/mm/init_32.c set_highmem_pages_init … high_memory = __va(highstart_pfn × PAGE_SIZE − 1) + 1 (CONFIG_HIGHMEM), else max_low_pfn
  const highPfn = ctx.traits.highmem ? lm.highstartPfn : lm.maxLowPfn;
  const highMemory = lm.layout.pageOffset + (highPfn << PAGE_SHIFT);
  const VMALLOC_OFFSET = 8n << 20n; // arch/x86/include/asm/pgtable_32_areas.h
  const start = highMemory + VMALLOC_OFFSET;
  const v = (lm.layout.vmallocEnd - start) >> 10n;
  return {
    name: 'VmallocTotal', value: v, unit: 'kB',
    explain: [
      { name: 'VMALLOC_END', value: `0x${lm.layout.vmallocEnd.toString(16)}`, source: 'arch/x86/include/asm/pgtable_32_areas.h VMALLOC_END (6.1)' },
      { name: 'VMALLOC_START = high_memory + VMALLOC_OFFSET (8M)', value: `0x${start.toString(16)}`, source: 'arch/x86/include/asm/pgtable_32_areas.h VMALLOC_START (6.1)' },
    ],
  };
}
