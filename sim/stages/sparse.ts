// models sparse_init() (mm/sparse.c, 5.10.223 / 6.1.192 / 6.12.115 / 7.2.13) with
// SPARSEMEM_VMEMMAP on x86_64, as paging_init() runs it before free_area_init(): the mem_section
// root array, one root (SECTIONS_PER_ROOT sections) per 128 × 128 MiB, the per-node usemaps, the
// per-node memmap buffer (2 MiB per present section) and the vmemmap page-table pages
// (mm/sparse-vmemmap.c vmemmap_populate_hugepages via arch/x86/mm/init_64.c). All from memblock,
// in the kernel's order. Prints nothing. i386 (FLATMEM) allocates its mem_map in free_area_init
// instead: not here.
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import { kernelConfig } from '../traits.ts';
import { maxPhysmemBits, pgtableL5Enabled } from './boot-cpu.ts';
import { memblockAlloc, memblockAllocRepeat, memblockStateOf, withMemblock, SMP_CACHE_BYTES, NUMA_NO_NODE, type MemblockState } from './memblock.ts';
import { numaStateOf } from './numa.ts';
import { pageblockOrder, structBytes } from './mm-inputs.ts';
import { ALIGN, PAGE_SHIFT, PAGE_SIZE, PMD_SIZE_64, SZ_16M } from '../lib/sizes.ts';
import { P4D_TABLE, PMD_TABLE, PUD_TABLE, populateTables, type TableSet } from '../lib/page-tables.ts';
import { SimError } from '../lib/errors.ts';
import { slice, withSlice } from '../state.ts';

const STAGE = 'sparse';
const NR_PAGEBLOCK_BITS = 4n;
/** __pa(MAX_DMA_ADDRESS): the goal of the memmap buffer and the vmemmap page tables. */
const MAX_DMA_ADDRESS = SZ_16M;

export interface SparseState {
  /** Present sections per node (sparse_init_nid's map_count). */
  readonly sectionsPerNode: ReadonlyMap<number, bigint>;
  /** Bytes of memmap (struct pages) allocated, all nodes. */
  readonly memmapBytes: bigint;
}

export function sparseStateOf(state: BootState): SparseState {
  return slice(state, 'sparse', STAGE);
}

const w = (why: string, source: string, caller: string) => ({ why, source, stage: STAGE, caller });

/** The sizes sparse_init() works with, from the traits and the kernel facts. */
interface SparseGeometry {
  readonly sectionSizeBits: bigint;
  readonly pagesPerSection: bigint;
  readonly pageBytes: bigint;
  readonly memSectionBytes: bigint;
  /** SPARSEMEM_EXTREME: mem_section structs per root page. */
  readonly sectionsPerRoot: bigint;
  readonly nrSectionRoots: bigint;
  /** section_map_size(): ALIGN(sizeof(struct page) * PAGES_PER_SECTION, PMD_SIZE). */
  readonly sectionMapSize: bigint;
  /** mem_section_usage_size(). */
  readonly usageSize: bigint;
  readonly levels: readonly (typeof PMD_TABLE)[];
}

/** A run of present sections [lo, hi) on one node. */
type SectionSpan = { lo: bigint; hi: bigint; nid: number };

function sparseGeometry(ctx: BootContext): SparseGeometry {
  const traits = ctx.traits;
  // arch/x86/include/asm/sparsemem.h SECTION_SIZE_BITS; pageblock_order (sim/stages/mm-inputs.ts)
  const sectionSizeBits = BigInt(traits.sectionSizeBits);
  const pagesPerSection = 1n << (sectionSizeBits - PAGE_SHIFT);
  const pageblock = pageblockOrder(ctx, STAGE);
  const pageBytes = structBytes(ctx, 'page', STAGE);
  const memSectionBytes = structBytes(ctx, 'mem_section', STAGE);
  const usageBytes = structBytes(ctx, 'mem_section_usage', STAGE);
  const la57 = pgtableL5Enabled(ctx);
  const sectionsPerRoot = PAGE_SIZE / memSectionBytes; // SPARSEMEM_EXTREME
  const nrSectionRoots = (1n << (maxPhysmemBits(traits, la57) - sectionSizeBits)) / sectionsPerRoot;
  // mem_section_usage_size(): sizeof(struct mem_section_usage) + usemap_size() (BITS_TO_LONGS(SECTION_BLOCKFLAGS_BITS) longs)
  // include/linux/pageblock-flags.h: NR_PAGEBLOCK_BITS 4 (6.12.115); 7.2.13 adds PB_migrate_isolate with
  // MEMORY_ISOLATION and rounds to a power of two (upstream "make page isolation a standalone bit", taken as 6.16)
  const nrPageblockBits = traits.pageblockIsolateBit ? (kernelConfig(ctx.kernel, 'MEMORY_ISOLATION') === 'y' ? 8n : NR_PAGEBLOCK_BITS) : NR_PAGEBLOCK_BITS;
  const blockflagsBits = (pagesPerSection >> pageblock) * nrPageblockBits;
  return {
    sectionSizeBits, pagesPerSection, pageBytes, memSectionBytes, sectionsPerRoot, nrSectionRoots,
    sectionMapSize: ALIGN(pageBytes * pagesPerSection, PMD_SIZE_64),
    usageSize: usageBytes + ((blockflagsBits + 63n) / 64n) * 8n,
    levels: [...(la57 ? [P4D_TABLE] : []), PUD_TABLE, PMD_TABLE],
  };
}

/**
 * memblocks_present(): each memory region's sections, first region's node wins. Regions ascend,
 * so a region's sections overlap earlier ones only at or below the highest section seen so far,
 * and its new roots are those above the highest root so far: ranges, not a walk over sections.
 */
function memblocksPresent(mb0: MemblockState, g: SparseGeometry): { mb: MemblockState; present: SectionSpan[] } {
  let mb = mb0;
  const present: SectionSpan[] = []; // [lo, hi) section numbers
  let sectionsTop = 0n; // one past the highest present section
  let rootsTop = 0n; // one past the highest allocated root
  let first = true;
  const shift = g.sectionSizeBits - PAGE_SHIFT;
  for (const m of mb0.memory) {
    const startPfn = (m.start + PAGE_SIZE - 1n) >> PAGE_SHIFT;
    const endPfn = m.end >> PAGE_SHIFT;
    if (startPfn >= endPfn) continue;
    if (first) {
      // memory_present(): the mem_section root array, memblock_alloc(size, 1 << INTERNODE_CACHE_SHIFT)
      const r = memblockAlloc(mb, { size: g.nrSectionRoots * 8n, align: SMP_CACHE_BYTES, nid: NUMA_NO_NODE, ...w('mem_section root array', 'mm/sparse.c: memory_present() (6.1)', 'sparse_init > memblocks_present > memory_present') });
      mb = r.mb;
      first = false;
    }
    const secLo = startPfn >> shift;
    const secHi = ((endPfn - 1n) >> shift) + 1n;
    // sparse_index_init() → sparse_index_alloc(): memblock_alloc_node(SECTIONS_PER_ROOT × sizeof(struct mem_section)) per new root
    const rootLo = secLo / g.sectionsPerRoot > rootsTop ? secLo / g.sectionsPerRoot : rootsTop;
    const rootHi = (secHi - 1n) / g.sectionsPerRoot + 1n;
    if (rootLo < rootHi) {
      const src = 'mm/sparse.c: sparse_index_alloc() (6.1)';
      mb = memblockAllocRepeat(mb, { size: g.sectionsPerRoot * g.memSectionBytes, align: SMP_CACHE_BYTES, nid: m.nid, ...w(`mem_section root ${rootLo}`, src, 'sparse_index_init > sparse_index_alloc') }, rootHi - rootLo, {
        whyOf: (i) => `mem_section root ${rootLo + i}`,
        blockWhy: (n) => `mem_section roots ${rootLo}–${rootLo + n - 1n}`,
      }).mb;
      rootsTop = rootHi;
    }
    const lo = secLo > sectionsTop ? secLo : sectionsTop;
    if (lo < secHi) {
      const last = present[present.length - 1];
      if (last && last.hi === lo && last.nid === m.nid) present[present.length - 1] = { ...last, hi: secHi };
      else present.push({ lo, hi: secHi, nid: m.nid });
      sectionsTop = secHi;
    }
  }
  return { mb, present };
}

/** sparse_init_nid(): one node's run of present sections: its usemaps, then its memmap and the vmemmap page tables. */
function sparseInitNid(mb0: MemblockState, run: { nid: number; spans: readonly SectionSpan[] }, nodeDataStart: bigint, g: SparseGeometry, tables: TableSet, sparseBuffer: boolean): MemblockState {
  let mb = mb0;
  const nid = run.nid;
  const mapCount = run.spans.reduce((n, p) => n + (p.hi - p.lo), 0n);
  // sparse_early_usemaps_alloc_pgdat_section(): in the pgdat's own section, else anywhere
  const goal = nodeDataStart & ~((1n << g.sectionSizeBits) - 1n);
  const usemaps = { size: g.usageSize * mapCount, align: SMP_CACHE_BYTES, start: goal, nid, ...w(`usemaps of node ${nid}`, 'mm/sparse.c: sparse_early_usemaps_alloc_pgdat_section() (6.1)', 'sparse_init_nid > sparse_early_usemaps_alloc_pgdat_section') };
  try {
    mb = memblockAlloc(mb, { ...usemaps, end: goal + (1n << g.sectionSizeBits) }).mb;
  } catch {
    mb = memblockAlloc(mb, usemaps).mb;
  }
  const sectionVmemmap = g.pagesPerSection * g.pageBytes;
  const tablePages = (t: { level: string; count: bigint }): void => {
    // vmemmap_alloc_block_zero(PAGE_SIZE, node) → memblock_alloc_try_nid_raw(PAGE_SIZE, PAGE_SIZE, 16M, ACCESSIBLE, node)
    mb = memblockAllocRepeat(mb, { size: PAGE_SIZE, align: PAGE_SIZE, start: MAX_DMA_ADDRESS, nid, ...w(`vmemmap page table (${t.level})`, 'mm/sparse-vmemmap.c: vmemmap_alloc_block_zero() (6.1)', 'vmemmap_populate > vmemmap_alloc_block_zero') }, t.count).mb;
  };
  if (!sparseBuffer) {
    // 7.2 sparse_init_nid(): no buffer; __populate_section_memmap() → vmemmap_populate_hugepages() takes
    // each 2M block with vmemmap_alloc_block_buf(PMD_SIZE, node) → memmap_alloc(PMD_SIZE, PMD_SIZE,
    // __pa(MAX_DMA_ADDRESS), node, exact_nid false) = memblock_alloc_try_nid_raw, after the table pages
    // the block's address needs. Tables change only at each 1G of vmemmap (one PMD table page maps
    // 1G), so between those boundaries the blocks are one run of identical allocations.
    if (sectionVmemmap % PMD_SIZE_64 !== 0n) throw new SimError('SIM_NOT_MODELLED', STAGE, `vmemmap_populate_hugepages: a section's memmap (${sectionVmemmap} bytes) is not whole 2M blocks`);
    const pmdTableSpan = 1n << PMD_TABLE.shift;
    for (const p of run.spans) {
      for (let a = p.lo * sectionVmemmap, end = p.hi * sectionVmemmap; a < end;) {
        const b = (a / pmdTableSpan + 1n) * pmdTableSpan < end ? (a / pmdTableSpan + 1n) * pmdTableSpan : end;
        for (const t of populateTables(tables, a, b, g.levels)) tablePages(t);
        mb = memblockAllocRepeat(mb, {
          size: PMD_SIZE_64, align: PMD_SIZE_64, start: MAX_DMA_ADDRESS, nid,
          ...w(`memmap block (2M of struct pages) of node ${nid}`, 'mm/sparse-vmemmap.c: vmemmap_populate_hugepages() → vmemmap_alloc_block_buf() (7.2)', 'vmemmap_populate > vmemmap_populate_hugepages'),
        }, (b - a) / PMD_SIZE_64, { blockWhy: (n) => `memmap of node ${nid}: ${n} blocks of 2M` }).mb;
        a = b;
      }
    }
    return mb;
  }
  // sparse_buffer_init(): memblock_alloc_exact_nid_raw(map_count × section_map_size(), section_map_size(), 16M, ACCESSIBLE, nid)
  mb = memblockAlloc(mb, { size: mapCount * g.sectionMapSize, align: g.sectionMapSize, start: MAX_DMA_ADDRESS, nid, exactNid: true, ...w(`memmap (struct pages) of node ${nid}`, 'mm/sparse.c: sparse_buffer_init() (6.1)', 'sparse_init_nid > sparse_buffer_init') }).mb;
  // __populate_section_memmap() → vmemmap_populate_hugepages(): the table pages the run's vmemmap
  // span needs (its 2M blocks themselves come from the buffer), section after section
  for (const p of run.spans) {
    for (const t of populateTables(tables, p.lo * sectionVmemmap, p.hi * sectionVmemmap, g.levels)) tablePages(t);
  }
  // sparse_buffer_fini(): the buffer is used exactly (one section_map_size per present section): nothing to free
  return mb;
}

/** sparse_init() (mm/sparse.c, SPARSEMEM_VMEMMAP): memblocks_present(), then sparse_init_nid() for each run of one node's present sections. */
export const sparseInit: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  if (traits.arch !== 'x86_64') return { state, lines: [] };
  if (kernelConfig(ctx.kernel, 'SPARSEMEM_VMEMMAP') !== 'y') throw new SimError('SIM_NOT_MODELLED', STAGE, `kernel ${ctx.kernel.id}: x86_64 without SPARSEMEM_VMEMMAP is not modelled`);
  const g = sparseGeometry(ctx);
  const numa = numaStateOf(state);
  const { mb: afterPresent, present } = memblocksPresent(memblockStateOf(state), g);
  let mb = afterPresent;
  // sparse_init(): runs of present sections with the same node → sparse_init_nid
  const runs: { nid: number; spans: SectionSpan[] }[] = [];
  for (const p of present) {
    const last = runs[runs.length - 1];
    if (last && last.nid === p.nid) last.spans.push(p);
    else runs.push({ nid: p.nid, spans: [p] });
  }
  const tables: TableSet = new Map();
  const sectionsPerNode = new Map<number, bigint>();
  let memmapBytes = 0n;
  for (const run of runs) {
    const mapCount = run.spans.reduce((n, p) => n + (p.hi - p.lo), 0n);
    sectionsPerNode.set(run.nid, (sectionsPerNode.get(run.nid) ?? 0n) + mapCount);
    const nd = numa.nodes.find((n) => n.nid === run.nid)?.nodeData;
    if (!nd) throw new SimError('SIM_NOT_MODELLED', STAGE, `sparse_init: node ${run.nid} has no NODE_DATA`);
    memmapBytes += mapCount * g.sectionMapSize;
    // mm/sparse.c sparse_buffer_init(): in 6.12.115, gone in 7.2.13 (the versions read bound the change)
    mb = sparseInitNid(mb, run, nd.start, g, tables, traits.sparseBuffer);
  }
  const sparse: SparseState = { sectionsPerNode, memmapBytes };
  return { state: withSlice(withMemblock(state, mb), 'sparse', sparse), lines: [] };
};

// setup_arch → paging_init → sparse_init (≤ 6.12: before free_area_init, in setup_arch)
export const sparseFromSetupArch: StageFn = (state, ctx) =>
  ctx.traits.freeAreaInitFrom === 'setup_arch' ? sparseInit(state, ctx) : { state, lines: [] };

// start_kernel → mm_core_init_early → free_area_init → sparse_init (7.2: after setup_arch's small allocations)
export const sparseFromMmCoreInitEarly: StageFn = (state, ctx) =>
  ctx.traits.freeAreaInitFrom === 'mm_core_init_early' ? sparseInit(state, ctx) : { state, lines: [] };
