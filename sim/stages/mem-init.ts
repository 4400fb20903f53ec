// models mem_init() → memblock_free_all() (mm/memblock.c free_low_memory_core_early /
// __free_memory_core) and mem_init_print_info() (mm/page_alloc.c in 5.10.223 and 6.1.192,
// mm/mm_init.c in 6.12.115 and 7.2.13): the "Memory:" line. physpages is the present RAM,
// reserved = physpages − totalram where totalram counts the whole free pages memblock leaves, so
// the field is the memblock ledger at this point: every reservation any stage made through
// sim/stages/memblock.ts is in it. available = nr_free_pages(): ≤ 6.1 without the pages
// DEFERRED_STRUCT_PAGE_INIT holds back (mm/page_alloc.c defer_init) and minus
// preallocate_vmalloc_pages (arch/x86/mm/init_64.c); ≥ 6.12 printed after deferred init and SLUB
// (declared volatile in harness/catalog/volatile.ts).
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import { sliceIfAny, withSlice } from '../state.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import { type KernelTraits, kernelConfig } from '../traits.ts';
import { freeRanges, ledgerShares, memblockStateOf, memoryPages, wholePages, type MemblockState } from './memblock.ts';
import { e820StateOf } from './e820.ts';
import { freeSmpLocks } from './alternatives.ts';
import { totalcmaPages } from './dma-contiguous.ts';
import { lateAllocations, lateAllocTerms } from './late-allocs.ts';
import { PAGE_SHIFT, SZ_16M, SZ_4G } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { pgtableL5Enabled } from './boot-cpu.ts';
import { deferInitStartPfn } from './mm-inputs.ts';

const STAGE = 'mem-init';

const K = (pages: bigint): bigint => pages << (PAGE_SHIFT - 10n);

interface Summary {
  readonly physpages: bigint;
  readonly totalram: bigint;
  readonly available: bigint;
  readonly highmem: bigint | undefined;
  readonly explain: Record<string, ExplainTerm[]>;
}

/**
 * defer_init() (mm/page_alloc.c 6.1): memmap_init_range passes the zone's end, so in each node's
 * highest zone (the one ending at the node's end) the count of initialised pfns runs across all the
 * zone's memory ranges; from the first section-aligned pfn after PAGES_PER_SECTION of them, every
 * pfn to the node's end is deferred. With kernelcore=/movablecore= that zone is ZONE_MOVABLE, from
 * the node's zone_movable_pfn (adjust_zone_range_for_zone_movable). Returns the deferred
 * [startPfn, endPfn) per node.
 */
function deferInit(mb: MemblockState, sectionSizeBits: number, zoneMovablePfn: ReadonlyMap<number, bigint>): { startPfn: bigint; endPfn: bigint }[] {
  const out: { startPfn: bigint; endPfn: bigint }[] = [];
  const nids = [...new Set(mb.memory.map((m) => m.nid))];
  for (const nid of nids) {
    const regs = mb.memory.filter((m) => m.nid === nid);
    const nodeEnd = regs[regs.length - 1]!.end >> PAGE_SHIFT;
    // x86_64 zone boundaries: DMA below 16M, DMA32 below 4G, Normal above
    let zoneStart = 0n;
    for (const b of [SZ_16M >> PAGE_SHIFT, SZ_4G >> PAGE_SHIFT]) if (nodeEnd > b) zoneStart = b;
    zoneStart = zoneMovablePfn.get(nid) ?? zoneStart;
    const deferFrom = deferInitStartPfn(regs, zoneStart, sectionSizeBits);
    if (deferFrom !== undefined) out.push({ startPfn: deferFrom, endPfn: nodeEnd });
  }
  return out;
}

/** The pfn ranges DEFERRED_STRUCT_PAGE_INIT leaves to deferred_init_memmap() (x86_64; none otherwise): what memblock_free_all() did not count yet. */
export function deferredRanges(state: BootState, ctx: BootContext): { startPfn: bigint; endPfn: bigint }[] {
  if (ctx.traits.arch !== 'x86_64' || kernelConfig(ctx.kernel, 'DEFERRED_STRUCT_PAGE_INIT') !== 'y') return [];
  const zmp = new Map((sliceIfAny(state, 'zones')?.zoneMovable.zoneMovablePfn ?? []).map((m) => [m.nid, m.pfn] as const));
  return deferInit(memblockStateOf(state), ctx.traits.sectionSizeBits, zmp);
}

/** Whole free pages of the free ranges inside [loPfn, hiPfn). */
function freePagesIn(mb: MemblockState, loPfn: bigint, hiPfn: bigint): bigint {
  let n = 0n;
  for (const f of freeRanges(mb)) {
    const s = f.start > loPfn << PAGE_SHIFT ? f.start : loPfn << PAGE_SHIFT;
    const e = f.end < hiPfn << PAGE_SHIFT ? f.end : hiPfn << PAGE_SHIFT;
    if (s < e) n += wholePages({ start: s, end: e });
  }
  return n;
}

function summarise(state: BootState, ctx: BootContext, traits: KernelTraits): Summary {
  const mb = memblockStateOf(state);
  // i386: the zones end at max_pfn, which highmem= can lower below memblock.memory's end
  // (arch/x86/mm/init_32.c highmem_pfn_init): get_num_physpages() sums the zones' present pages and
  // set_highmem_pages_init() frees only ZONE_HIGHMEM's pfns (6.1)
  const lm32 = traits.arch === 'i386' ? sliceIfAny(state, 'lowmem32') : undefined;
  const topPfn = lm32 ? lm32.maxPfn : 1n << 52n;
  const physpages = lm32 ? mb.memory.reduce((n, m) => n + wholePages({ start: m.start, end: m.end < topPfn << PAGE_SHIFT ? m.end : topPfn << PAGE_SHIFT }), 0n) : memoryPages(mb);
  const all = freePagesIn(mb, 0n, topPfn);
  const src61 = 'mm/memblock.c: free_low_memory_core_early() (6.1)';
  const explain: Record<string, ExplainTerm[]> = {
    physpages: [{ name: 'present pages (memblock.memory, page-trimmed)', value: K(physpages), source: 'mm/page_alloc.c: get_num_physpages() (6.1)' }],
    reserved: ledgerShares(mb).map((s) => ({ name: s.why, value: K(s.pages), source: s.source })),
  };
  let highmem: bigint | undefined;
  if (traits.arch === 'i386') {
    // __free_memory_core clamps lowmem at max_low_pfn; set_highmem_pages_init frees the rest as highmem
    const lm = sliceIfAny(state, 'lowmem32');
    const maxLow = lm?.maxLowPfn ?? e820StateOf(state).maxLowPfn;
    if (maxLow === undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, 'i386: max_low_pfn unknown (expected the lowmem32 stage)');
    highmem = freePagesIn(mb, maxLow, topPfn);
    explain['highmem'] = [{ name: 'free pages above max_low_pfn (totalhigh_pages)', value: K(highmem), source: 'arch/x86/mm/highmem_32.c: set_highmem_pages_init() (6.1)' }];
  }
  let available = all;
  const availTerms: ExplainTerm[] = [{ name: 'whole free pages after memblock_free_all', value: K(all), source: src61 }];
  if (traits.arch === 'x86_64') {
    // printed before deferred init completes (≤ 6.1); from page_alloc_init_late() the deferred pages are free
    if (kernelConfig(ctx.kernel, 'DEFERRED_STRUCT_PAGE_INIT') === 'y' && traits.memoryLineFrom !== 'page_alloc_init_late') {
      const zmp = new Map((sliceIfAny(state, 'zones')?.zoneMovable.zoneMovablePfn ?? []).map((m) => [m.nid, m.pfn] as const));
      for (const d of deferInit(mb, traits.sectionSizeBits, zmp)) {
        const n = freePagesIn(mb, d.startPfn, d.endPfn);
        available -= n;
        availTerms.push({ name: `deferred struct pages [pfn ${d.startPfn.toString(16)}, ${d.endPfn.toString(16)})`, value: -K(n), source: 'mm/page_alloc.c: defer_init() (6.1)' });
      }
    }
    // preallocate_vmalloc_pages(): one page per top-level entry of [VMALLOC_START, VMEMORY_END], VMEMORY_END =
    // VMALLOC_START + (VMALLOC_SIZE_TB << 40) − 1 (arch/x86/include/asm/pgtable_64_types.h, 5.10–7.2): 4-level, the PUD
    // pages of VMALLOC_SIZE_TB_L4 32T / PGDIR_SIZE 512G = 64; 5-level (LA57), only the P4D pages ("if
    // (pgtable_l5_enabled()) continue;") of VMALLOC_SIZE_TB_L5 12800T / 256T = 50. Buddy pages: free drops, totalram does not.
    // pcpu_page_first_chunk() (percpu_alloc=page) already took VMALLOC_START's entry's page from memblock (sim/stages/percpu-page.ts): p4d_alloc()/pud_alloc() find it
    const l5 = pgtableL5Enabled(ctx);
    const vmallocEntries = (l5 ? 50n : 64n) - (sliceIfAny(state, 'percpu')?.vmallocPudPages ?? 0n);
    available -= vmallocEntries;
    availTerms.push({ name: l5 ? 'preallocate_vmalloc_pages (P4D pages, 12800T / 256T)' : 'preallocate_vmalloc_pages (PUD pages, 32T / 512G)', value: -K(vmallocEntries), source: 'arch/x86/mm/init_64.c: preallocate_vmalloc_pages() (6.1)' });
  }
  let totalram = all;
  // printed from page_alloc_init_late() (6.12): start_kernel's alternative_instructions() has already freed .smp_locks
  if (traits.memoryLineFrom === 'page_alloc_init_late' && traits.smpLocks === 'alternative_instructions') {
    const n = freeSmpLocks(ctx, traits);
    if (n > 0n) {
      const source = 'arch/x86/kernel/alternative.c: alternative_instructions() → free_init_pages("SMP alternatives") (6.12)';
      totalram += n;
      available += n;
      explain['reserved']!.push({ name: 'SMP alternatives [__smp_locks, __smp_locks_end), freed before the print', value: -K(n), source });
      availTerms.push({ name: 'SMP alternatives [__smp_locks, __smp_locks_end)', value: K(n), source });
    }
  }
  // printed from page_alloc_init_late() (6.12): what start_kernel and kernel_init_freeable took from the buddy first
  if (traits.memoryLineFrom === 'page_alloc_init_late' && traits.arch === 'x86_64') {
    const allocs = lateAllocations(state, ctx, traits);
    for (const a of allocs) available -= a.pages;
    availTerms.push(...lateAllocTerms(allocs, K));
  }
  explain['available'] = availTerms;
  return { physpages, totalram, available, highmem, explain };
}

function memoryLine(state: BootState, ctx: BootContext): { state: BootState; line: DmesgLine } {
  const traits = ctx.traits;
  const s = summarise(state, ctx, traits);
  const img = ctx.kernel.facts.image;
  // mem_init_print_info(): reserved = physpages − totalram_pages() − totalcma_pages (the CMA areas are still memblock-reserved here)
  const cma = totalcmaPages(memblockStateOf(state));
  const reserved = s.physpages - s.totalram - cma;
  const fields = [
    `${K(s.available)}K/${K(s.physpages)}K available (${img.codeK}K kernel code, ${img.rwdataK}K rwdata, ${img.rodataK}K rodata, ${img.initK}K init, ${img.bssK}K bss, ${K(reserved)}K reserved, ${K(cma)}K cma-reserved`,
  ];
  if (s.highmem !== undefined) fields.push(`, ${K(s.highmem)}K highmem`);
  const text = `Memory: ${fields.join('')})`;
  const imgSrc = 'facts.image (mem_init_print_info: _etext − _stext …)';
  const explain: Record<string, ExplainTerm[]> = {
    ...s.explain,
    code: [{ name: '_etext − _stext', value: img.codeK, source: imgSrc }],
    rwdata: [{ name: '_edata − _sdata', value: img.rwdataK, source: imgSrc }],
    rodata: [{ name: '__end_rodata − __start_rodata', value: img.rodataK, source: imgSrc }],
    init: [{ name: '__init_end − __init_begin', value: img.initK, source: imgSrc }],
    bss: [{ name: '__bss_stop − __bss_start', value: img.bssK, source: imgSrc }],
    reserved: cma === 0n ? s.explain['reserved']! : [...s.explain['reserved']!, { name: 'totalcma_pages (the CMA areas, counted apart)', value: -K(cma), source: 'mm/mm_init.c: mem_init_print_info() (7.2)' }],
    cma_reserved: [{ name: cma === 0n ? 'totalcma_pages (no CMA area configured)' : 'totalcma_pages: the CMA areas dma_contiguous_reserve() declared', value: K(cma), source: 'mm/cma.c cma_new_area() (7.2)' }],
  };
  return { state: withSlice(state, 'memInit', { physpages: s.physpages, totalram: s.totalram, available: s.available }), line: { stage: STAGE, fmt: 'mem.summary', text, explain } };
}

/** mem_init_print_info() where ≤ 6.1 calls it: from mem_init() (5.10) or mm_init() right after it (6.1), before SLUB. */
export const memInitPrintEarly: StageFn = (state, ctx): StageResult => {
  if (ctx.traits.memoryLineFrom === 'page_alloc_init_late') return { state, lines: [] };
  const r = memoryLine(state, ctx);
  return { state: r.state, lines: [r.line] };
};

/** mem_init_print_info() where ≥ 6.12 calls it: from page_alloc_init_late() after deferred init (mm/mm_init.c). */
export const memInitPrintLate: StageFn = (state, ctx): StageResult => {
  if (ctx.traits.memoryLineFrom !== 'page_alloc_init_late') return { state, lines: [] };
  const r = memoryLine(state, ctx);
  return { state: r.state, lines: [r.line] };
};
