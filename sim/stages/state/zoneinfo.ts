// models /proc/zoneinfo's deterministic numbers after boot (mm/vmstat.c zoneinfo_show_print, 5.10.223
// … 7.2.13) by replaying, in initcall order, what sets them: memblock_free_all() (and deferred init)
// give each zone its managed pages; core_initcall cma_init_reserved_areas() adds the CMA areas;
// postcore_initcall init_per_zone_wmark_min() (core_initcall in 5.10) computes min_free_kbytes, the
// watermarks, the pagesets, the vmstat thresholds and lowmem_reserve; subsys_initcall hugepage_init()
// (mm/huge_memory.c) raises min_free_kbytes for THP and recomputes the watermarks and pagesets; the
// frees of sim/stages/state/late-frees.ts add the rest of managed. Each number carries its terms.
import type { BootContext, BootState } from '../../boot.ts';
import type { ExplainTerm } from '../../types.ts';
import type { KernelTraits, ZoneName } from '../../traits.ts';
import { kernelConfig } from '../../traits.ts';
import { slice, sliceIfAny } from '../../state.ts';
import { freeRanges, wholePages, type MemblockState } from '../memblock.ts';
import { onlineCpus } from '../late-allocs.ts';
import { pageblockOrder } from '../mm-inputs.ts';
import { cmaAreaRanges } from '../dma-contiguous.ts';
import { bootCpu } from '../boot-cpu.ts';
import { PAGE_SHIFT } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { bootCommandLine, parseParams } from '../cmdline.ts';
import { lateFrees, type FreeWhen, type LateFree } from './late-frees.ts';
import {
  calculateMinFreeKbytes, calculateNormalThreshold, isUserZone, MIN_PERCPU_PAGELIST_HIGH_FRACTION, nrFreeBufferPages,
  recommendedMinFreeKbytes, setupPerZoneLowmemReserve, setupPerZoneWmarks, WATERMARK_SCALE_FACTOR, zoneBatchsize, zoneHighsize,
  type Wmarks, type WmarkZone,
} from './watermarks.ts';

const src = (f: string): string => `mm/page_alloc.c: ${f} (6.1)`;

/** One zone of /proc/zoneinfo, as the simulator predicts it. */
export interface ZoneState {
  readonly node: number;
  readonly zone: ZoneName;
  readonly populated: boolean;
  readonly spanned: bigint;
  readonly present: bigint;
  readonly managed: bigint;
  readonly cma: bigint;
  readonly min: bigint;
  readonly low: bigint;
  readonly high: bigint;
  readonly boost: bigint;
  /** WMARK_PROMO (6.1+; 5.10 has none). */
  readonly promo: bigint;
  /** lowmem_reserve[], one per zone of enum zone_type. */
  readonly protection: readonly bigint[];
  /** Populated zones only: the pageset batch, its high ('six-batch'/'low-split') or high_min/high_max ('tuned'), the vmstat threshold, start_pfn. */
  readonly batch: bigint;
  readonly pagesetHigh: bigint | undefined;
  readonly highMin: bigint | undefined;
  readonly highMax: bigint | undefined;
  /** 'tuned' only: the values pcp->high can hold at the read (0, or [lo, hi]): see pcpHighRange(). */
  readonly highRange: { readonly lo: bigint; readonly hi: bigint } | undefined;
  readonly statThreshold: bigint;
  readonly startPfn: bigint;
  /** The terms of each field, by field name. */
  readonly explain: Readonly<Record<string, readonly ExplainTerm[]>>;
}

export interface ZoneinfoState {
  readonly zones: readonly ZoneState[];
  /** min_free_kbytes the last watermark setup used, with its terms. */
  readonly minFreeKbytes: bigint;
  readonly minFreeKbytesTerms: readonly ExplainTerm[];
  /** The online CPUs, for pagesets printed per CPU. */
  readonly onlineCpus: bigint;
  /** totalram_pages() after every late free: what meminfo's MemTotal prints. */
  readonly totalram: bigint;
  readonly frees: readonly LateFree[];
}

interface ZoneRef {
  readonly node: number;
  readonly name: ZoneName;
  readonly startPfn: bigint;
  readonly endPfn: bigint;
  readonly spanned: bigint;
  readonly present: bigint;
}

/** Whole free pages of memblock's free ranges inside [lo, hi) pfns (__free_memory_core: PFN_UP(start) … PFN_DOWN(end)). */
function freePagesIn(mb: MemblockState, lo: bigint, hi: bigint): bigint {
  let n = 0n;
  for (const f of freeRanges(mb)) {
    const s = f.start > lo << PAGE_SHIFT ? f.start : lo << PAGE_SHIFT;
    const e = f.end < hi << PAGE_SHIFT ? f.end : hi << PAGE_SHIFT;
    if (s < e) n += wholePages({ start: s, end: e });
  }
  return n;
}

const overlap = (a0: bigint, a1: bigint, b0: bigint, b1: bigint): bigint => {
  const s = a0 > b0 ? a0 : b0;
  const e = a1 < b1 ? a1 : b1;
  return e > s ? e - s : 0n;
};

/** A zone's managed pages at each point the state reads them, and the terms that explain the final count. */
interface ManagedSteps {
  /** memblock_free_all()'s whole free pages. */
  readonly base: readonly bigint[];
  readonly cma: readonly bigint[];
  /** The frees of start_kernel added. */
  readonly sk: readonly bigint[];
  /** After core_initcall: base + CMA + start_kernel's frees (init_per_zone_wmark_min). */
  readonly postcore: readonly bigint[];
  /** After arch_initcall's frees (hugepage_init, subsys_initcall). */
  readonly subsys: readonly bigint[];
  /** After the late frees: what /proc/zoneinfo prints. */
  readonly final: readonly bigint[];
  readonly explain: Record<string, ExplainTerm[]>[];
  readonly frees: readonly LateFree[];
}

/** Each zone's managed pages through the boot: memblock_free_all(), the CMA areas, then every late free by its initcall level. */
function managedSteps(state: BootState, ctx: BootContext, refs: readonly ZoneRef[], initrd: { readonly start: bigint; readonly end: bigint } | undefined): ManagedSteps {
  const mb = slice(state, 'memblock', 'state');
  const lm32 = ctx.traits.arch === 'i386' ? sliceIfAny(state, 'lowmem32') : undefined;
  const topPfn = lm32 ? lm32.maxPfn : 1n << 52n;
  // memblock_free_all(): each zone's whole free pages (below max_pfn on i386: set_highmem_pages_init frees HighMem's)
  const base = refs.map((r) => freePagesIn(mb, r.startPfn, r.endPfn < topPfn ? r.endPfn : topPfn));
  const explain: Record<string, ExplainTerm[]>[] = refs.map((_, i) => ({ managed: [{ name: 'whole free pages of memblock in the zone at memblock_free_all()', value: base[i]!, source: 'mm/memblock.c: free_low_memory_core_early() → __free_memory_core() (6.1)' }] }));
  // core_initcall cma_init_reserved_areas(): init_cma_reserved_pageblock() adds each area's pages to its zone
  const cma = refs.map((r) => cmaAreaRanges(mb).reduce((n, x) => n + overlap(r.startPfn, r.endPfn, x.start >> PAGE_SHIFT, x.end >> PAGE_SHIFT), 0n));
  cma.forEach((c, i) => { if (c > 0n) explain[i]!['managed']!.push({ name: 'CMA area pages (cma_init_reserved_areas, core_initcall)', value: c, source: 'mm/cma.c: cma_activate_area() → init_cma_reserved_pageblock() → adjust_managed_page_count() (7.2)' }); });
  const frees = lateFrees(state, ctx, initrd);
  const freedBy = (when: readonly FreeWhen[]): bigint[] => refs.map((r, i) => {
    let n = 0n;
    for (const f of frees) {
      if (!when.includes(f.when)) continue;
      const p = overlap(r.startPfn, r.endPfn, f.startPfn, f.endPfn);
      if (p > 0n) { n += p; if (when.length === 1) explain[i]!['managed']!.push({ name: `Freeing ${f.name} memory (${f.when})`, value: p, source: f.source }); }
    }
    return n;
  });
  const sk = freedBy(['start_kernel']);
  const ai = freedBy(['arch_initcall']);
  const lt = freedBy(['late']);
  const postcore = refs.map((_, i) => base[i]! + cma[i]! + sk[i]!);
  const subsys = postcore.map((m, i) => m + ai[i]!);
  const final = subsys.map((m, i) => m + lt[i]!);
  return { base, cma, sk, postcore, subsys, final, explain, frees };
}

/** The watermarks the boot last set, the min_free_kbytes they used and the managed pages they saw. */
interface WatermarkSetup {
  readonly wm: readonly Wmarks[];
  readonly minFree: bigint;
  readonly minTerms: readonly ExplainTerm[];
  readonly pcpManaged: readonly bigint[];
}

/**
 * init_per_zone_wmark_min() (core_initcall), then subsys_initcall hugepage_init()'s raise of
 * min_free_kbytes when THP is on: the watermarks as the last setup_per_zone_wmarks() left them.
 */
function watermarkSetup(ctx: BootContext, refs: readonly ZoneRef[], m: ManagedSteps, movableZone: Parameters<typeof setupPerZoneWmarks>[3]): WatermarkSetup {
  const traits = ctx.traits;
  const { postcore, subsys } = m;
  const asZones = (managed: readonly bigint[]): WmarkZone[] => refs.map((r, i) => ({ name: r.name, managed: managed[i]!, present: r.present }));
  // init_per_zone_wmark_min(): min_free_kbytes from nr_free_buffer_pages() with every watermark still 0
  const fbp0 = nrFreeBufferPages(asZones(postcore), []);
  let minFree = calculateMinFreeKbytes(fbp0 << 2n);
  const minTerms: ExplainTerm[] = [
    { name: 'nr_free_buffer_pages() at init_per_zone_wmark_min (managed of the user zones, no watermarks yet)', value: fbp0, source: src('nr_free_zone_pages(gfp_zone(GFP_USER))') },
    { name: 'int_sqrt(lowmem_kbytes × 16), clamped to [128, 262144]', value: minFree, source: src('calculate_min_free_kbytes()') },
  ];
  let wm = setupPerZoneWmarks(asZones(postcore), minFree, traits.state, movableZone);
  let pcpManaged = postcore;
  // subsys_initcall hugepage_init(): THP on (CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS/MADVISE), the CPU has PSE, and
  // totalram_pages() ≥ 512M: start_stop_khugepaged() → set_recommended_min_free_kbytes() → setup_per_zone_wmarks()
  const totalSubsys = subsys.reduce((a, b) => a + b, 0n);
  const thpOn = kernelConfig(ctx.kernel, 'TRANSPARENT_HUGEPAGE') === 'y' && (kernelConfig(ctx.kernel, 'TRANSPARENT_HUGEPAGE_ALWAYS') === 'y' || kernelConfig(ctx.kernel, 'TRANSPARENT_HUGEPAGE_MADVISE') === 'y');
  const pse = bootCpu(ctx).has('pse');
  if (thpOn && pse && totalSubsys >= 512n << (20n - PAGE_SHIFT)) {
    const pageblock = 1n << pageblockOrder(ctx, 'state');
    const populatedUser = BigInt(refs.filter((r) => r.present > 0n && isUserZone(r.name)).length);
    const fbp1 = nrFreeBufferPages(asZones(subsys), wm.map((w) => w.high));
    const rec = recommendedMinFreeKbytes(pageblock, populatedUser, fbp1);
    minTerms.push({ name: `set_recommended_min_free_kbytes: pageblock ${pageblock} × ${populatedUser} zones × (2 + 3 × 3), at most nr_free_buffer_pages ${fbp1} / 20, in K`, value: rec, source: 'mm/khugepaged.c: set_recommended_min_free_kbytes() from hugepage_init() (subsys_initcall, 6.1)' });
    if (rec > minFree) minFree = rec;
    wm = setupPerZoneWmarks(asZones(subsys), minFree, traits.state, movableZone);
    pcpManaged = subsys;
  } else {
    minTerms.push({ name: !thpOn ? 'THP not enabled by the config: no khugepaged raise' : !pse ? 'the CPU has no PSE: hugepage_init() returns early' : `totalram_pages() ${totalSubsys} < 512M: hugepage_init() leaves THP off`, value: 0, source: 'mm/huge_memory.c: hugepage_init() (6.1)' });
  }

  return { wm, minFree, minTerms, pcpManaged };
}

/** Predicts /proc/zoneinfo for a finished boot. `initrd` is the range reserve_initrd() kept, if any. */
export function predictZoneinfo(state: BootState, ctx: BootContext, initrd?: { readonly start: bigint; readonly end: bigint }): ZoneinfoState {
  // kernel/sysctl.c do_sysctl_args() (5.8+): sysctl.vm.* on the command line sets min_free_kbytes, watermark_scale_factor,
  // lowmem_reserve_ratio or percpu_pagelist_high_fraction before init runs; none of them is modelled
  const sysctl = parseParams(bootCommandLine(ctx.spec)).filter((p) => /^sysctl[./]vm[./]/.test(p.param));
  if (sysctl.length > 0) throw new SimError('SIM_NOT_MODELLED', 'state', `cmdline: ${sysctl.map((p) => p.param).join(', ')}: a vm sysctl set from the command line (do_sysctl_args) is not modelled in the post-boot state`);
  const zs = slice(state, 'zones', 'state');
  const traits = ctx.traits;
  const refs: ZoneRef[] = [];
  for (const n of zs.nodes) for (const z of n.zones) refs.push({ node: n.node, name: z.name, startPfn: z.startPfn, endPfn: z.startPfn + z.spannedPages, spanned: z.spannedPages, present: z.presentPages });
  const steps = managedSteps(state, ctx, refs, initrd);
  const { base, cma, sk, postcore, final, explain, frees } = steps;
  const { wm, minFree, minTerms, pcpManaged } = watermarkSetup(ctx, refs, steps, zs.zoneMovable.movableZone);
  const online = onlineCpus(ctx).n;
  // setup_per_zone_lowmem_reserve(): at init_per_zone_wmark_min, and from 6.13 again at every adjust_managed_page_count(), so after the last free
  const reserveManaged = traits.state.lowmemReserveFollowsManaged ? final : postcore;
  const reserve = perNode(refs, (idx) => setupPerZoneLowmemReserve(idx.map((i) => ({ name: refs[i]!.name, managed: reserveManaged[i]!, present: refs[i]!.present }))));

  const numa = sliceIfAny(state, 'numa');
  const nodeCpus = (nid: number): bigint => BigInt([...Array(Number(online)).keys()].filter((c) => (numa?.cpuToNode[c] ?? 0) === nid).length);
  // 5.10: setup_per_cpu_pageset() in start_kernel sets the pagesets before check_bugs() frees SMP alternatives; with
  // DEFERRED_STRUCT_PAGE_INIT, page_alloc_init_late() sets them again (zone_pcp_update) once the deferred pages count,
  // after SMP alternatives and before the core_initcall CMA activation
  const deferredInit = kernelConfig(ctx.kernel, 'DEFERRED_STRUCT_PAGE_INIT') === 'y';
  const pcp510 = refs.map((_, i) => base[i]! + (deferredInit ? sk[i]! : 0n));
  // mm/mm_init.c defer_init() (6.12): only a node's last zone has struct pages left to the deferred-init threads
  const lastZoneOfNode = new Map<number, number>();
  refs.forEach((r, i) => { const j = lastZoneOfNode.get(r.node); if (r.present > 0n && (j === undefined || refs[j]!.endPfn <= r.endPfn)) lastZoneOfNode.set(r.node, i); });

  const zones = refs.map((r, i): ZoneState => {
    const w: Wmarks = wm[i]!;
    const e = explain[i]!;
    const wmTerms: ExplainTerm[] = [
      { name: 'min_free_kbytes', value: minFree, source: src('__setup_per_zone_wmarks()') },
      { name: 'managed pages the watermarks saw', value: (pcpManaged[i]!), source: src('zone_managed_pages()') },
      { name: 'lowmem_pages (Σ managed of the zones not capped)', value: w.lowmemPages, source: src('__setup_per_zone_wmarks()') },
    ];
    e['min'] = [...wmTerms, { name: r.name === 'HighMem' || (traits.state.wmarkMovableAsHighmem && r.name === 'Movable') ? 'managed / 1024, clamped to [32, 128]' : '(min_free_kbytes >> 2) × managed / lowmem_pages, rounded down', value: w.min, source: src('__setup_per_zone_wmarks()') }];
    const tmp = w.low - w.min;
    e['low'] = [{ name: 'min', value: w.min, source: src('__setup_per_zone_wmarks()') }, { name: `max(share ${w.share} >> 2, managed × ${WATERMARK_SCALE_FACTOR} / 10000)`, value: tmp, source: src('__setup_per_zone_wmarks(): watermark_scale_factor') }];
    e['high'] = [{ name: 'low', value: w.low, source: src('__setup_per_zone_wmarks()') }, { name: 'the same step again', value: tmp, source: src('__setup_per_zone_wmarks()') }];
    e['promo'] = [{ name: 'high', value: w.high, source: src('__setup_per_zone_wmarks()') }, { name: 'the same step a third time (WMARK_PROMO)', value: tmp, source: src('__setup_per_zone_wmarks()') }];
    e['boost'] = [{ name: 'watermark_boost = 0 at every watermark setup; only fragmentation events raise it', value: 0, source: src('__setup_per_zone_wmarks()') }];
    e['spanned'] = [{ name: 'zone_end_pfn − zone_start_pfn', value: r.spanned, source: 'mm/mm_init.c: calculate_node_totalpages() (6.12)' }];
    e['present'] = [{ name: 'spanned − absent pages', value: r.present, source: 'mm/mm_init.c: calculate_node_totalpages() (6.12)' }];
    e['start_pfn'] = [{ name: 'zone_start_pfn', value: r.startPfn, source: 'mm/mm_init.c: zone_init_internals() (6.12)' }];
    const batchManaged = traits.state.pagesetHigh === 'six-batch' ? pcp510[i]! : pcpManaged[i]!;
    const rawBatch = zoneBatchsize(batchManaged, traits.state.batchsize);
    const batch = rawBatch < 1n ? 1n : rawBatch;
    e['batch'] = [{ name: traits.state.pagesetHigh === 'six-batch' ? (deferredInit ? 'managed at page_alloc_init_late() → zone_pcp_update()' : 'managed at setup_per_cpu_pageset()') : 'managed at the last setup_per_zone_wmarks()', value: batchManaged, source: src('zone_batchsize()') }, { name: `zone_batchsize (${traits.state.batchsize}), at least 1`, value: batch, source: src('zone_set_pageset_high_and_batch()') }];
    const cpus = nodeCpus(r.node);
    const { pagesetHigh, highMin, highMax, highRange } = zonePagesetHigh(traits.state, e, {
      rawBatch, batch, low: w.low, managed: pcpManaged[i]!, cpus, online,
      earlyBatch: deferredInit && lastZoneOfNode.get(r.node) === i ? undefined : zoneBatchsize(base[i]!, traits.state.batchsize),
      earlyManaged: base[i]!, finalManaged: final[i]!,
    });
    const statThreshold = calculateNormalThreshold(postcore[i]!, online);
    e['vm_stats_threshold'] = [{ name: 'managed at init_per_zone_wmark_min', value: postcore[i]!, source: 'mm/vmstat.c: refresh_zone_stat_thresholds()' }, { name: `2 × fls(${online} CPUs) × (1 + fls(managed >> 15)), at most 125`, value: statThreshold, source: 'mm/vmstat.c: calculate_normal_threshold()' }];
    const protection = reserve.get(i)!;
    e['protection'] = [{ name: `Σ managed of the higher zones / sysctl_lowmem_reserve_ratio, ${traits.state.lowmemReserveFollowsManaged ? 'after the last free (adjust_managed_page_count)' : 'at init_per_zone_wmark_min'}`, value: protection.join(', '), source: src('setup_per_zone_lowmem_reserve()') }];
    e['cma'] = [{ name: 'CMA pages in the zone', value: cma[i]!, source: 'mm/cma.c: cma_activate_area() (7.2)' }];
    return {
      node: r.node, zone: r.name, populated: r.present > 0n, spanned: r.spanned, present: r.present, managed: final[i]!, cma: cma[i]!,
      min: w.min, low: w.low, high: w.high, boost: 0n, promo: w.promo, protection, batch, pagesetHigh, highMin, highMax, highRange, statThreshold, startPfn: r.startPfn, explain: e,
    };
  });
  return { zones, minFreeKbytes: minFree, minFreeKbytesTerms: minTerms, onlineCpus: online, totalram: final.reduce((a, b) => a + b, 0n), frees };
}

/** What zonePagesetHigh() reads of one zone. */
interface PagesetInputs {
  /** zone_batchsize() as computed (0 for a tiny zone), and the batch set (at least 1). */
  readonly rawBatch: bigint;
  readonly batch: bigint;
  readonly low: bigint;
  /** Managed pages at the last setup_per_zone_wmarks(). */
  readonly managed: bigint;
  /** The node's online CPUs (0 for a CPU-less node), and all online CPUs. */
  readonly cpus: bigint;
  readonly online: bigint;
  /** zone_batchsize() at setup_per_cpu_pageset(), or undefined for the zone the deferred-init threads fill. */
  readonly earlyBatch: bigint | undefined;
  readonly earlyManaged: bigint;
  readonly finalManaged: bigint;
}

/** The pageset's high, per kernel: pageset_set_batch()'s 6 × batch (5.10), zone_highsize() of the low watermark (6.1), or the 6.7+ high_min/high_max range. */
function zonePagesetHigh(st: KernelTraits['state'], e: Record<string, ExplainTerm[]>, z: PagesetInputs): { pagesetHigh?: bigint; highMin?: bigint; highMax?: bigint; highRange?: { readonly lo: bigint; readonly hi: bigint } } {
  const { rawBatch, batch, cpus, online } = z;
  if (st.pagesetHigh === 'six-batch') {
    // pageset_set_batch(p, zone_batchsize()): high = 6 × the batch as computed (0 for a tiny zone), batch max(1, it)
    const pagesetHigh = 6n * rawBatch;
    e['pageset_high'] = [{ name: '6 × zone_batchsize()', value: pagesetHigh, source: 'mm/page_alloc.c: pageset_set_batch() (5.10)' }];
    return { pagesetHigh };
  }
  const lowHigh = zoneHighsize(z.low, z.managed, batch, cpus, online, 0n);
  if (st.pagesetHigh === 'low-split') {
    e['pageset_high'] = [{ name: `low ${z.low} / ${cpus === 0n ? online : cpus} CPUs, at least 4 × batch`, value: lowHigh, source: src('zone_highsize()') }];
    return { pagesetHigh: lowHigh };
  }
  const highMin = lowHigh;
  const highMax = zoneHighsize(z.low, z.managed, batch, cpus, online, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
  e['high_min'] = [{ name: `low ${z.low} / ${cpus === 0n ? online : cpus} CPUs, at least 4 × batch`, value: highMin, source: 'mm/page_alloc.c: zone_highsize(…, 0) (6.12)' }];
  e['high_max'] = [{ name: `managed ${z.managed} / ${MIN_PERCPU_PAGELIST_HIGH_FRACTION} / ${cpus === 0n ? online : cpus} CPUs, at least 4 × batch`, value: highMax, source: 'mm/page_alloc.c: zone_highsize(…, MIN_PERCPU_PAGELIST_HIGH_FRACTION) (6.12)' }];
  const deferredZone = z.earlyBatch === undefined;
  const earlyBatch = z.earlyBatch ?? 1n;
  const highRange = pcpHighRange(earlyBatch < 1n ? 1n : earlyBatch, batch, z.finalManaged);
  e['pageset_high'] = [
    { name: 'never clamped (the CPU never used this pcp list): BOOT_PAGESET_HIGH', value: 0, source: 'mm/page_alloc.c: per_cpu_pages_init(), pageset_update() leaves pcp->high (6.12)' },
    { name: deferredZone ? 'lowest high_min: 4 × batch ≥ 4 (deferred init: the zone\'s managed at setup_per_cpu_pageset is not modelled)' : `lowest high_min: 4 × batch ${earlyBatch} at setup_per_cpu_pageset (low watermark still 0, managed ${z.earlyManaged})`, value: highRange.lo, source: 'mm/page_alloc.c: zone_highsize() max(high, batch << 2); decay_pcp_high(), nr_pcp_high() never below high_min (6.12)' },
    { name: `highest high_max: managed ${z.finalManaged} / ${MIN_PERCPU_PAGELIST_HIGH_FRACTION} / 1 CPU, at least 4 × batch`, value: highRange.hi, source: 'mm/page_alloc.c: zone_highsize(…, MIN_PERCPU_PAGELIST_HIGH_FRACTION), nr_pcp_high()/nr_pcp_alloc() clamp to high_max (6.12)' },
  ];
  return { highMin, highMax, highRange };
}

/**
 * The values a 6.7+ pcp->high can hold at the read, outside 0 (a CPU that never used the list:
 * per_cpu_pages_init() sets BOOT_PAGESET_HIGH and pageset_update() never touches pcp->high). Each use
 * clamps it to the high_min/high_max in force then (nr_pcp_high, nr_pcp_alloc) and decay_pcp_high()
 * stops at high_min, but a later zone_pcp_update() (a CPU coming online, each setup_per_zone_wmarks())
 * does not re-clamp it: so it lies between the lowest high_min and the highest high_max the boot ever
 * set (mm/page_alloc.c 6.12). The lowest high_min is 4 × the earliest batch (zone_highsize() before
 * init_per_zone_wmark_min() sets the low watermark); zone_batchsize() grows with managed, which only
 * grows after memblock_free_all(). The highest high_max is the final managed / 8 split over one CPU
 * (nr_split_cpus ≥ 1), at least 4 × the final batch.
 */
export function pcpHighRange(earlyBatch: bigint, finalBatch: bigint, finalManaged: bigint): { readonly lo: bigint; readonly hi: bigint } {
  const lo = earlyBatch << 2n;
  const hi = zoneHighsize(0n, finalManaged, finalBatch, 1n, 1n, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
  return { lo, hi };
}

/** Applies `f` to each node's zone indices (into refs), returning each zone index's row. */
function perNode(refs: readonly ZoneRef[], f: (idx: number[]) => bigint[][]): Map<number, bigint[]> {
  const out = new Map<number, bigint[]>();
  const nodes = [...new Set(refs.map((r) => r.node))];
  for (const n of nodes) {
    const idx = refs.map((r, i) => (r.node === n ? i : -1)).filter((i) => i >= 0);
    const rows = f(idx);
    idx.forEach((i, k) => out.set(i, rows[k]!));
  }
  return out;
}
