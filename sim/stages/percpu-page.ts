// models mm/percpu.c pcpu_page_first_chunk() (5.10.223, 6.1.192, 6.12.115, 7.2.13), which
// arch/x86/kernel/setup_percpu.c setup_per_cpu_areas() calls when percpu_alloc=page sets
// pcpu_chosen_fc = PCPU_FC_PAGE (mm/percpu.c percpu_alloc_setup()): one group of PAGE_SIZE-atom
// units, each unit page a memblock page on its CPU's node, mapped into the vmalloc area through
// page tables from populate_extra_pte() (X86_64: spp_getpage(); X86_32: one_page_table_init()'s
// alloc_low_pages()); its "percpu: %d 4K pages/cpu" line and its memblock ledger.
import type { AllocInfo } from './percpu.ts';
import type { DmesgLine } from '../types.ts';
import { term, type Topology } from './mm-inputs.ts';
import { memblockAlloc, memblockAllocRepeat, memblockFree, NUMA_NO_NODE, SMP_CACHE_BYTES, type MemblockState } from './memblock.ts';
import { parseParams, parameq } from './cmdline.ts';
import { SZ_16M } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { pgtableL5Enabled } from './boot-cpu.ts';
import { populateExtraPteRange32, type Geometry32, type PageTables32 } from './init32.ts';
import type { BootContext } from '../boot.ts';

const STAGE = 'percpu';
const PAGE_SIZE = 4096;
// arch/x86/include/asm/pgtable_64_types.h: PMD_SIZE, the span of one PTE page
const PMD_SIZE = 2 << 20;
const PFN_ALIGN = (x: number): number => Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;

/** pcpu_chosen_fc as percpu_alloc_setup() leaves it: the last percpu_alloc= on the command line wins. */
export function chosenFirstChunk(cmdline: string): 'auto' | 'embed' | 'page' {
  let fc: 'auto' | 'embed' | 'page' = 'auto';
  for (const p of parseParams(cmdline)) {
    // mm/percpu.c percpu_alloc_setup(): strcmp "embed" / "page"; other values are refused in PARAM_REVIEWS
    if (parameq(p.param, 'percpu_alloc') && (p.val === 'embed' || p.val === 'page')) fc = p.val;
  }
  return fc;
}

/**
 * Top-level vmalloc entries whose next-level page (PUD with 4-level paging, P4D with 5-level)
 * pcpu_page_first_chunk()'s populate_extra_pte() fills from memblock: VMALLOC_START's one (the first
 * chunk's vm area, a few MB at 1G-aligned VMALLOC_START, stays inside its 512G / 256T PGD slot).
 * arch/x86/mm/init_64.c mem_init() → preallocate_vmalloc_pages() then pud_alloc()s (p4d_alloc()s)
 * only the other entries from the buddy allocator.
 */
export const PAGE_FC_VMALLOC_PUD_PAGES = 1n;

/** pcpu_page_first_chunk()'s alloc_info has no cpu_distance_fn: pcpu_build_alloc_info() puts every CPU in group 0. */
export const pageGroupMap = (nCpus: number): number[] => new Array<number>(nCpus).fill(0);

/** mm/percpu.c pcpu_page_first_chunk(): pr_info("%d %s pages/cpu s%zu r%zu d%zu\\n") with pr_fmt "percpu: ", psize_str "4K". */
export function pageFirstChunkLine(ai: AllocInfo): DmesgLine {
  const unitPages = ai.unitSize / PAGE_SIZE;
  return {
    stage: STAGE,
    fmt: 'percpu.page',
    text: `percpu: ${unitPages} ${PAGE_SIZE >> 10}K pages/cpu s${ai.staticSize} r${ai.reservedSize} d${ai.dynSize}`,
    explain: {
      pages: [term('unit_pages', unitPages, 'mm/percpu.c pcpu_page_first_chunk(): ai->unit_size >> PAGE_SHIFT; unit_size = PFN_ALIGN(static + reserved + PERCPU_DYNAMIC_EARLY_SIZE), at least PCPU_MIN_UNIT_SIZE (pcpu_build_alloc_info with dyn_size 0, atom PAGE_SIZE)')],
      static: [term('static_size', ai.staticSize, 'mm/percpu.c pcpu_build_alloc_info(): __per_cpu_end - __per_cpu_start')],
      reserved: [term('reserved_size', ai.reservedSize, 'arch/x86/kernel/setup_percpu.c: PERCPU_FIRST_CHUNK_RESERVE')],
      dynamic: [term('dyn_size', ai.dynSize, 'mm/percpu.c pcpu_build_alloc_info(): size_sum - static - reserved (dyn_size 0 grows to fill the page)')],
    },
  };
}

/**
 * What the X86_32 populate_extra_pte() works on (arch/x86/mm/init_32.c): the page tables the
 * boot has so far (sim/stages/init32.ts) and where the first chunk's vm area starts.
 */
export interface PageFcPtes32 {
  readonly pgt: PageTables32;
  readonly geometry: Geometry32;
  /**
   * vm_area_register_early(&vm, PAGE_SIZE) with an empty vmlist (mm/vmalloc.c 5.10: VMALLOC_START +
   * vm_init_off 0; 6.1: the vmlist walk): ALIGN(VMALLOC_START, PAGE_SIZE), and VMALLOC_START =
   * high_memory + VMALLOC_OFFSET (arch/x86/include/asm/pgtable_32_areas.h).
   */
  readonly vmallocStart: bigint;
  /** VMALLOC_END (arch/x86/include/asm/pgtable_32_areas.h: PKMAP_BASE − 2 pages with CONFIG_HIGHMEM). */
  readonly vmallocEnd: bigint;
}

/** arch/x86/include/asm/pgtable_32_areas.h: VMALLOC_OFFSET, the 8M hole after high_memory (5.10, 6.1). */
export const VMALLOC_OFFSET_32 = 8n << 20n;

/**
 * mm/percpu.c pcpu_page_first_chunk() (5.10.223, 6.1.192, 6.12.115, 7.2.13), its memblock
 * calls in order, `ai` being what pcpu_build_alloc_info(reserved_size, 0, PAGE_SIZE, NULL) built:
 *  - pcpu_alloc_alloc_info(): memblock_alloc(PFN_ALIGN(size), PAGE_SIZE),
 *  - pages[] = memblock_alloc(PFN_ALIGN(unit_pages × num_possible_cpus × sizeof(ptr)), SMP_CACHE_BYTES)
 *    (7.2: memblock_alloc_or_panic),
 *  - per unit, per unit page, pcpu_fc_alloc(cpu, PAGE_SIZE, PAGE_SIZE) on early_cpu_to_node(cpu)
 *    (5.10: the arch's pcpu_alloc_bootmem, the same calls; without CONFIG_NUMA memblock_alloc_from
 *    __pa(MAX_DMA_ADDRESS), 16M on both arches),
 *  - vm_area_register_early(&vm, PAGE_SIZE): no memblock (a static vm_struct at VMALLOC_START; the
 *    vmlist is empty at this point),
 *  - pcpu_populate_pte() per page (5.10: pcpup_populate_pte) → populate_extra_pte():
 *    X86_64 (arch/x86/mm/init_64.c): fill_p4d is a no-op with 4-level paging (pgd_none() is 0
 *    without LA57) and takes a P4D page with 5-level paging; fill_pud/fill_pmd/fill_pte take one
 *    spp_getpage() = memblock_alloc(PAGE_SIZE, PAGE_SIZE) each where the entry is empty: the
 *    VMALLOC_START slot (1G-aligned, nothing mapped there before) takes a PUD page, a PMD page and
 *    one PTE page per 2M the area spans;
 *    X86_32 (arch/x86/mm/init_32.c): one_page_table_init() per PMD the area spans, its PTE page from
 *    alloc_low_pages() (the brk pgt_buf while it lasts, then memblock_phys_alloc_range below
 *    max_pfn_mapped: `pte32`),
 *  - pcpu_setup_first_chunk() (`setupFirstChunk`, the same as the embed path's),
 *  - then memblock_free(pages) and pcpu_free_alloc_info().
 */
export function pcpuPageFirstChunk(
  mb0: MemblockState, ai: AllocInfo, topo: Topology, ctx: Pick<BootContext, 'spec' | 'traits'>, setupFirstChunk: (mb: MemblockState) => MemblockState, pte32?: PageFcPtes32,
): { mb: MemblockState; pgt32?: PageTables32 } {
  const is64 = ctx.traits.arch === 'x86_64';
  // 5-level paging (an LA57 CPU on a CONFIG_X86_5LEVEL build): fill_p4d()'s pgd_none() is live
  const l5 = is64 && pgtableL5Enabled(ctx);
  if (!is64 && pte32 === undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, 'percpu_alloc=page on X86_32: expected the page tables of init_mem_mapping (pgt32) and VMALLOC_START, found none');
  const nCpus = topo.possibleCpus;
  const ptr = is64 ? 8 : 4;
  const unitPages = ai.unitSize / PAGE_SIZE;
  const nrUnits = ai.groups.reduce((n, g) => n + g.length, 0);
  const src = (fn: string): string => `mm/percpu.c: ${fn} from pcpu_page_first_chunk() (6.1)`;
  // mm/percpu.c pcpu_alloc_alloc_info(): struct pcpu_alloc_info (7 size_t + int, padded) + groups[] + cpu_map[]
  const aiSize = PFN_ALIGN(Math.ceil((8 * ptr + ai.groups.length * 3 * ptr) / 4) * 4 + nrUnits * 4);
  let r = memblockAlloc(mb0, { size: BigInt(aiSize), align: BigInt(PAGE_SIZE), why: 'percpu alloc_info', source: src('pcpu_alloc_alloc_info()'), stage: STAGE, caller: 'pcpu_page_first_chunk > pcpu_build_alloc_info > pcpu_alloc_alloc_info' });
  const aiAddr = r.addr;
  // "unaligned allocations can't be freed, round up to page size"
  const pagesSize = PFN_ALIGN(unitPages * nCpus * ptr);
  r = memblockAlloc(r.mb, { size: BigInt(pagesSize), align: SMP_CACHE_BYTES, why: 'percpu pages[]', source: src('memblock_alloc()'), stage: STAGE, caller: 'pcpu_page_first_chunk' });
  const pagesAddr = r.addr;
  let mb = r.mb;
  const cpuMap = ai.groups[0] ?? [];
  // mm/percpu.c pcpu_fc_alloc(): memblock_alloc_try_nid(size, align, __pa(MAX_DMA_ADDRESS), ACCESSIBLE, node) (CONFIG_NUMA), else memblock_alloc_from
  const nodeOf = (unit: number): number => (topo.numa ? (topo.cpuToNode[cpuMap[unit] ?? unit] ?? 0) : NUMA_NO_NODE);
  for (let unit = 0; unit < nCpus; ) {
    // successive units on one node make identical calls: one memblockAllocRepeat per run
    const node = nodeOf(unit);
    let end = unit + 1;
    while (end < nCpus && nodeOf(end) === node) end++;
    mb = memblockAllocRepeat(mb, {
      size: BigInt(PAGE_SIZE), align: BigInt(PAGE_SIZE), start: SZ_16M, nid: node, why: `percpu unit page (units ${unit}–${end - 1}, node ${node})`,
      source: src(`pcpu_fc_alloc() via ${node >= 0 ? 'memblock_alloc_try_nid' : 'memblock_alloc_from'}`), stage: STAGE,
      caller: 'pcpu_page_first_chunk > pcpu_fc_alloc > pcpu_alloc_bootmem',
    }, BigInt((end - unit) * unitPages)).mb;
    unit = end;
  }
  let pgt32: PageTables32 | undefined;
  if (pte32 !== undefined && !is64) {
    // vm.size = num_possible_cpus() × unit_size from vm.addr; every page's PMD gets its PTE page
    const vmEnd = pte32.vmallocStart + BigInt(nCpus * ai.unitSize);
    // mm/vmalloc.c vm_area_register_early(): BUG_ON(addr > VMALLOC_END - vm->size) from 6.1; 5.10 has
    // no bound and the area runs on past VMALLOC_END, into the pkmap/fixmap PMDs' page tables. The
    // envelope refuses percpu_alloc=page at load time (sim/stages/percpu-limit.ts); this stays for the
    // embed → page fallback, which depends on what memblock holds by then
    if (vmEnd > pte32.vmallocEnd && ctx.traits.vmAreaEarlyBoundsCheck) throw new SimError('SIM_NOT_MODELLED', STAGE, `percpu: the page first chunk's vm area [0x${pte32.vmallocStart.toString(16)}, 0x${vmEnd.toString(16)}) passes VMALLOC_END 0x${pte32.vmallocEnd.toString(16)}; vm_area_register_early() BUG()s, which is not modelled`);
    const got = populateExtraPteRange32(pte32.pgt, mb, pte32.geometry, pte32.vmallocStart, vmEnd, 'percpu vm area PTE (pcpu_populate_pte > populate_extra_pte > one_page_table_init)');
    mb = got.mb;
    pgt32 = got.pgt;
  } else {
    // the empty VMALLOC_START slot: (5-level: a P4D page,) a PUD page, a PMD page, a PTE page per 2M;
    // VMALLOC_START (__VMALLOC_BASE_L4 or _L5, nokaslr) is 1G-aligned either way
    const tables = (l5 ? 3 : 2) + Math.ceil((nCpus * ai.unitSize) / PMD_SIZE);
    mb = memblockAllocRepeat(mb, {
      size: BigInt(PAGE_SIZE), align: BigInt(PAGE_SIZE), why: `percpu vm area page table (${l5 ? 'P4D, ' : ''}PUD, PMD, a PTE page per 2M)`,
      source: 'arch/x86/mm/init_64.c: spp_getpage() from populate_extra_pte() via pcpu_populate_pte() (6.1)', stage: STAGE,
      caller: 'pcpu_page_first_chunk > pcpu_populate_pte > populate_extra_pte > populate_extra_pmd > fill_p4d > fill_pud > fill_pmd > fill_pte > spp_getpage',
    }, BigInt(tables)).mb;
  }
  mb = setupFirstChunk(mb);
  mb = memblockFree(mb, pagesAddr, BigInt(pagesSize));
  mb = memblockFree(mb, aiAddr, BigInt(aiSize));
  return pgt32 ? { mb, pgt32 } : { mb };
}
