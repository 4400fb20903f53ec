// models free_area_init() and what it calls (mm/page_alloc.c in 5.10.223 and 6.1; mm/mm_init.c in
// 6.12.115 and 7.2.13): the zone boundaries from arch/x86/mm/init.c zone_sizes_init
// (arch_zone_limits_init in 7.2), "Zone ranges", "Early memory node ranges", free_area_init_node
// (calculate_node_totalpages, free_area_init_core with calc_memmap_size, zone_pcp_init's batch) and
// memmap_init's init_unavailable_range. Everything is arithmetic over pfn ranges.
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import type { KernelTraits, ZoneName } from '../traits.ts';
import { fmt018Lx, fmtLu, fmtS } from '../lib/printk.ts';
import { PAGE_SHIFT, PAGE_SIZE, PFN_UP, PFN_DOWN, ALIGN, ALIGN_DOWN, SZ_4G, SZ_16M } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { maxLowPfnOf, maxPfnOf } from './lowmem32.ts';
import { pageblockOrder, structBytes } from './mm-inputs.ts';
import { memoryRangesForZones, type MemPfnRange } from './mem-pfn-ranges.ts';
import { slice, sliceIfAny, withSlice } from '../state.ts';
import { memblockAlloc, SMP_CACHE_BYTES, type MemblockState } from './memblock.ts';
import { adjustZoneRangeForZoneMovable, cmdlineParseCore, findZoneMovablePfnsForNodes, NO_CORE_REQUEST, type CoreRequest, type ZoneMovable } from './zone-movable.ts';
import { bootCommandLine, parseParams } from './cmdline.ts';

/** One zone of one node, as free_area_init_node leaves it. */
export interface ZoneInfo {
  readonly name: ZoneName;
  /** enum zone_type index. */
  readonly idx: number;
  readonly startPfn: bigint;
  readonly spannedPages: bigint;
  readonly presentPages: bigint;
  /** calc_memmap_size(spanned, present) (5.10/6.1); 0 where the version does not compute it (6.12+). */
  readonly memmapPages: bigint;
  /**
   * What zone_init_internals() sets managed_pages to before memblock frees pages: 5.10/6.1
   * freesize = present − memmap (not HighMem) − dma_reserve (zone 0); 6.12+: present_pages.
   */
  readonly managedAtInit: bigint;
}

export interface NodeZones {
  readonly node: number;
  /** get_pfn_range_for_nid(). */
  readonly startPfn: bigint;
  readonly endPfn: bigint;
  readonly spannedPages: bigint;
  readonly presentPages: bigint;
  /** Every zone of enum zone_type, populated or not. */
  readonly zones: readonly ZoneInfo[];
}

/** What the zones stage leaves for percpu, zonelists, hashes, mem_init (zonesStateOf). */
export interface ZonesState {
  /** arch_zone_lowest_possible_pfn / arch_zone_highest_possible_pfn, per zone (Movable: 0, 0). */
  readonly zoneLimits: readonly { readonly name: ZoneName; readonly lowPfn: bigint; readonly highPfn: bigint }[];
  readonly nodes: readonly NodeZones[];
  /** The early node map the zones were built from. */
  readonly memory: readonly MemPfnRange[];
  /** free_area_init_core's accumulators (5.10/6.1; 0 from 6.12 where they are computed elsewhere). */
  readonly nrKernelPages: bigint;
  readonly nrAllPages: bigint;
  readonly dmaReserve: bigint;
  /** Pages memmap_init charged as unavailable, per (node, zone), in print order. */
  readonly unavailable: readonly { readonly nid: number; readonly zone: ZoneName; readonly pages: bigint }[];
  /** find_zone_movable_pfns_for_nodes(): movable_zone and each node's zone_movable_pfn (sim/stages/zone-movable.ts). */
  readonly zoneMovable: ZoneMovable;
}

export function zonesStateOf(state: BootState): ZonesState {
  return slice(state, 'zones');
}

// ---------------------------------------------------------------------------------------------
// Inputs

/** dma_reserve (set_dma_reserve from memblock_find_dma_reserve, x86_64 ≤ 6.1): from the NUMA stage's state. */
export function dmaReserveOf(state: BootState): { value: bigint; known: boolean } {
  const numa = sliceIfAny(state, 'numa');
  if (numa && numa.dmaReserve !== undefined) return { value: numa.dmaReserve, known: true };
  return { value: 0n, known: false };
}

// ---------------------------------------------------------------------------------------------
// The arithmetic

/** arch/x86/include/asm/dma.h MAX_DMA_PFN (16 MiB) and MAX_DMA32_PFN (4 GiB). */
const MAX_DMA_PFN = SZ_16M >> PAGE_SHIFT;
export const MAX_DMA32_PFN = SZ_4G >> PAGE_SHIFT;

/** zone_sizes_init() (arch/x86/mm/init.c; arch_zone_limits_init in 7.2): max_zone_pfns[]; 0 for the rest. */
export function zoneSizesInit(zones: readonly ZoneName[], maxLowPfn: bigint, maxPfn: bigint): bigint[] {
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  return zones.map((z) => {
    switch (z) {
      case 'DMA': return min(MAX_DMA_PFN, maxLowPfn);
      case 'DMA32': return min(MAX_DMA32_PFN, maxLowPfn);
      case 'Normal': return maxLowPfn;
      case 'HighMem': return maxPfn;
      default: return 0n;
    }
  });
}

/** free_area_init(): arch_zone_{lowest,highest}_possible_pfn, ascending (x86 has no descending zones). */
export function zoneLimits(zones: readonly ZoneName[], maxZonePfn: readonly bigint[], firstPfn: bigint): ZonesState['zoneLimits'] {
  let start = firstPfn;
  return zones.map((name, i) => {
    if (name === 'Movable') return { name, lowPfn: 0n, highPfn: 0n };
    const end = maxZonePfn[i]! > start ? maxZonePfn[i]! : start;
    const r = { name, lowPfn: start, highPfn: end };
    start = end;
    return r;
  });
}

const clamp = (x: bigint, lo: bigint, hi: bigint) => (x < lo ? lo : x > hi ? hi : x);

/** Pages of node `nid`'s memory inside [lo, hi): what __absent_pages_in_range subtracts. */
function presentIn(memory: readonly MemPfnRange[], nid: number, lo: bigint, hi: bigint): bigint {
  let n = 0n;
  for (const r of memory) if (r.nid === nid) n += clamp(r.endPfn, lo, hi) - clamp(r.startPfn, lo, hi);
  return n;
}

/** calc_memmap_size(): PAGE_ALIGN(pages × sizeof(struct page)) >> PAGE_SHIFT, present pages if sparse and holey. */
export function calcMemmapSize(spanned: bigint, present: bigint, structPageBytes: bigint, sparsemem: boolean): bigint {
  const pages = spanned > present + (present >> 4n) && sparsemem ? present : spanned;
  return PFN_UP(pages * structPageBytes);
}

/** zone_batchsize() (5.10): managed/1024, capped at 1 MiB of pages, /4, then rounddown_pow_of_two(b + b/2) − 1. */
export function zoneBatchsize(managed: bigint): bigint {
  let batch = managed / 1024n;
  if (batch * PAGE_SIZE > 1024n * 1024n) batch = (1024n * 1024n) / PAGE_SIZE;
  batch /= 4n;
  if (batch < 1n) batch = 1n;
  const x = batch + batch / 2n;
  let p = 1n;
  while (p * 2n <= x) p *= 2n;
  return p - 1n;
}

export interface ZonesInput {
  readonly zones: readonly ZoneName[];
  readonly memory: readonly MemPfnRange[];
  readonly maxLowPfn: bigint;
  readonly maxPfn: bigint;
  readonly structPageBytes: bigint;
  readonly memoryModel: 'flatmem' | 'sparsemem';
  readonly sectionSizeBits: number;
  /** free_area_init_core subtracts memmap and dma_reserve from freesize (5.10/6.1). */
  readonly chargesMemmap: boolean;
  readonly dmaReserve: bigint;
  /** FLATMEM: pfn_valid(pfn) is pfn < max_mapnr (highend_pfn with HIGHMEM, else max_low_pfn). */
  readonly maxMapnr: bigint;
  /** FLATMEM: pageblock_nr_pages, the granule init_unavailable_range() tests pfn_valid() at. */
  readonly pageblockPages?: bigint;
  /** init_unavailable_range is a stub on FLATMEM (5.10). */
  readonly unavailableCounted: boolean;
  /** 7.2 rounds the FLATMEM tail to MAX_ORDER_NR_PAGES; ≤ 6.12 leaves it. */
  readonly flatmemTailRound: bigint | undefined;
  /** kernelcore=/movablecore= as parsed (sim/stages/zone-movable.ts cmdlineParseCore). Default: none given. */
  readonly coreRequest?: CoreRequest;
  /** BITS_PER_LONG, the width of find_zone_movable_pfns_for_nodes()' unsigned long. Default: 64. */
  readonly wordBits?: 32 | 64;
  /**
   * is_highmem_idx(ZONE_MOVABLE) with CONFIG_HIGHMEM: 'constant' where zone_movable_is_highmem() is
   * (ZONE_MOVABLE − 1) == ZONE_HIGHMEM (5.10 without NEED_MULTIPLE_NODES), 'movable_zone' where it
   * tests movable_zone == ZONE_HIGHMEM (6.1+, include/linux/mmzone.h). Default: no CONFIG_HIGHMEM.
   */
  readonly movableHighmem?: 'constant' | 'movable_zone';
}

/** include/linux/mmzone.h zone_movable_is_highmem(), which is_highmem_idx(ZONE_MOVABLE) asks (CONFIG_HIGHMEM only). */
export function movableIsHighmem(zones: readonly ZoneName[], style: ZonesInput['movableHighmem'], zm: ZoneMovable): boolean {
  if (style === 'constant') return zones[zones.indexOf('Movable') - 1] === 'HighMem';
  return style === 'movable_zone' && zm.movableZone === 'HighMem';
}

/** The inputs free_area_init() sizes ZONE_MOVABLE from. */
export type ZoneMovableInput = Pick<ZonesInput, 'zones' | 'memory' | 'maxLowPfn' | 'maxPfn' | 'coreRequest' | 'wordBits'>;

/** free_area_init(): the arch zone limits, then find_zone_movable_pfns_for_nodes() between them and the prints. */
export function zoneMovableOf(i: ZoneMovableInput): { limits: ZonesState['zoneLimits']; zm: ZoneMovable } {
  if (i.memory.length === 0) throw new SimError('SIM_NOT_MODELLED', 'zones', 'memblock.memory is empty');
  const limits = zoneLimits(i.zones, zoneSizesInit(i.zones, i.maxLowPfn, i.maxPfn), i.memory[0]!.startPfn);
  return { limits, zm: findZoneMovablePfnsForNodes(limits, i.memory, i.coreRequest ?? NO_CORE_REQUEST, i.wordBits ?? 64) };
}

/**
 * The lowmem zone a ZONE_MOVABLE was carved from when is_highmem_idx() still calls it highmem, else
 * undefined. 5.10 (zone_movable_is_highmem() is the constant (ZONE_MOVABLE − 1) == ZONE_HIGHMEM
 * without CONFIG_NEED_MULTIPLE_NODES, include/linux/mmzone.h): free_area_init_core() and
 * set_highmem_pages_init() treat ZONE_MOVABLE as highmem although it was carved from lowmem, which
 * memblock_free_all() frees too: a 5.10-686-pae 512M movablecore=64M capture prints "BUG: Bad page
 * state in process swapper  pfn:…" for each MAX_ORDER block of it. Not modelled: sim/envelope.ts
 * refuses such a profile at load time (sim/stages/movable-lowmem.ts), computeZones() such an input.
 */
export function movableFromLowmemAsHighmem(zones: readonly ZoneName[], style: ZonesInput['movableHighmem'], zm: ZoneMovable): ZoneName | undefined {
  return style === 'constant' && movableIsHighmem(zones, style, zm) && zm.zoneMovablePfn.length > 0 && zm.movableZone !== 'HighMem' ? zm.movableZone : undefined;
}

/** free_area_init_node() for every node with memory, then memmap_init(): pure over pfn ranges. */
export function computeZones(i: ZonesInput): ZonesState {
  const { limits, zm } = zoneMovableOf(i);
  const movableIsHigh = movableIsHighmem(i.zones, i.movableHighmem, zm);
  const lowAsHigh = movableFromLowmemAsHighmem(i.zones, i.movableHighmem, zm);
  if (lowAsHigh !== undefined) {
    throw new SimError('SIM_NOT_MODELLED', 'zones', `ZONE_MOVABLE carved from ${lowAsHigh} (no HighMem) is highmem to is_highmem_idx() on this build (zone_movable_is_highmem() is a constant without CONFIG_NEED_MULTIPLE_NODES): set_highmem_pages_init() and memblock_free_all() both free its pages and the kernel reports "BUG: Bad page state", not modelled`);
  }
  const nids = [...new Set(i.memory.map((r) => r.nid))].sort((a, b) => a - b);
  let nrKernelPages = 0n;
  let nrAllPages = 0n;
  const nodes: NodeZones[] = nids.map((nid) => {
    const own = i.memory.filter((r) => r.nid === nid);
    const nodeStart = own.reduce((m, r) => (r.startPfn < m ? r.startPfn : m), own[0]!.startPfn);
    const nodeEnd = own.reduce((m, r) => (r.endPfn > m ? r.endPfn : m), 0n);
    const zones: ZoneInfo[] = limits.map((z, idx) => {
      // zone_spanned_pages_in_node() / zone_absent_pages_in_node()
      let zs = clamp(nodeStart, z.lowPfn, z.highPfn);
      let ze = clamp(nodeEnd, z.lowPfn, z.highPfn);
      ({ startPfn: zs, endPfn: ze } = adjustZoneRangeForZoneMovable(z.name, zm.zoneMovablePfn.find((m) => m.nid === nid)?.pfn, nodeEnd, zm.movableZoneHighPfn, zs, ze));
      let spanned = 0n;
      if (!(ze < nodeStart || zs > nodeEnd)) {
        ze = ze < nodeEnd ? ze : nodeEnd;
        zs = zs > nodeStart ? zs : nodeStart;
        spanned = ze - zs;
      }
      const present = spanned === 0n ? 0n : presentIn(i.memory, nid, zs, ze);
      const highmem = z.name === 'HighMem' || (z.name === 'Movable' && movableIsHigh);
      let memmap = 0n;
      let freesize = present;
      if (i.chargesMemmap) {
        memmap = calcMemmapSize(spanned, present, i.structPageBytes, i.memoryModel === 'sparsemem');
        if (!highmem && freesize >= memmap) freesize -= memmap;
        if (idx === 0 && freesize > i.dmaReserve) freesize -= i.dmaReserve;
        if (!highmem) nrKernelPages += freesize;
        else if (nrKernelPages > memmap * 2n) nrKernelPages -= memmap;
        nrAllPages += freesize;
      }
      return { name: z.name, idx, startPfn: spanned ? zs : 0n, spannedPages: spanned, presentPages: present, memmapPages: memmap, managedAtInit: freesize };
    });
    return {
      node: nid,
      startPfn: nodeStart,
      endPfn: nodeEnd,
      spannedPages: zones.reduce((n, z) => n + z.spannedPages, 0n),
      presentPages: zones.reduce((n, z) => n + z.presentPages, 0n),
      zones,
    };
  });
  return { zoneLimits: limits, nodes, memory: i.memory, nrKernelPages, nrAllPages, dmaReserve: i.dmaReserve, unavailable: initUnavailableRange(i, nodes), zoneMovable: zm };
}

/** pfn_valid() counted over [s, e): present sections (SPARSEMEM, early sections) or pfn < max_mapnr (FLATMEM). */
function validPages(i: ZonesInput, s: bigint, e: bigint): bigint {
  if (s >= e) return 0n;
  if (i.memoryModel === 'flatmem') {
    // 6.1 init_unavailable_range(): pfn_valid(pageblock_start_pfn(pfn)), so the pageblock holding max_mapnr counts whole
    const valid = i.pageblockPages === undefined ? i.maxMapnr : ALIGN(i.maxMapnr, i.pageblockPages);
    const top = e < valid ? e : valid;
    return top > s ? top - s : 0n;
  }
  // memblocks_present(): every section holding a memory pfn is present; pageblocks nest in sections
  const sec = 1n << BigInt(Number(i.sectionSizeBits) - Number(PAGE_SHIFT));
  let n = 0n;
  let covered = s;
  for (const r of i.memory) {
    const ps = ALIGN_DOWN(r.startPfn, sec) > covered ? ALIGN_DOWN(r.startPfn, sec) : covered;
    const pe = ALIGN(r.endPfn, sec) < e ? ALIGN(r.endPfn, sec) : e;
    if (ps < pe) { n += pe - ps; covered = pe; }
  }
  return n;
}

/** memmap_init() → init_unavailable_range(): a hole goes to the zone of the range after it; the tail (SPARSEMEM section) to the last zone. */
function initUnavailableRange(i: ZonesInput, nodes: readonly NodeZones[]): ZonesState['unavailable'] {
  const out: { nid: number; zone: ZoneName; pages: bigint }[] = [];
  let hole = 0n;
  let zoneId: ZoneInfo | undefined;
  let nid = 0;
  let endPfn = 0n;
  const report = (s: bigint, e: bigint, z: ZoneInfo, n: number) => {
    if (!i.unavailableCounted) return;
    const pages = validPages(i, s, e);
    if (pages > 0n) out.push({ nid: n, zone: z.name, pages });
  };
  for (const r of i.memory) {
    const node = nodes.find((n) => n.node === r.nid)!;
    for (const z of node.zones) {
      if (z.presentPages === 0n) continue; // populated_zone()
      nid = r.nid;
      zoneId = z;
      // memmap_init_zone_range()
      const zs = z.startPfn;
      const ze = zs + z.spannedPages;
      const s = clamp(r.startPfn, zs, ze);
      const e = clamp(r.endPfn, zs, ze);
      if (s >= e) continue;
      if (hole < s) report(hole, s, z, r.nid);
      hole = e;
    }
    endPfn = r.endPfn;
  }
  if (!zoneId) return out;
  let tail = endPfn;
  if (i.memoryModel === 'sparsemem') tail = ALIGN(endPfn, 1n << BigInt(i.sectionSizeBits - Number(PAGE_SHIFT)));
  else if (i.flatmemTailRound !== undefined) tail = ALIGN(endPfn, i.flatmemTailRound);
  if (hole < tail) report(hole, tail, zoneId, nid);
  return out;
}

/** mm/mm_init.c calc_nr_kernel_pages() (6.12): nr_all_pages / nr_kernel_pages from the free memblock ranges. */
export function calcNrKernelPages(
  mb: Pick<MemblockState, 'memory' | 'reserved'>,
  highZoneLowPfn: bigint | undefined,
): { nrKernelPages: bigint; nrAllPages: bigint } {
  let nrAllPages = 0n;
  let nrKernelPages = 0n;
  for (const m of mb.memory) {
    // for_each_free_mem_range(): memory minus reserved
    let pieces: { start: bigint; end: bigint }[] = [{ start: m.start, end: m.end }];
    for (const r of mb.reserved) {
      if (r.end <= m.start || r.start >= m.end) continue;
      pieces = pieces.flatMap((p) => (r.end <= p.start || r.start >= p.end ? [p] : [
        ...(p.start < r.start ? [{ start: p.start, end: r.start }] : []),
        ...(r.end < p.end ? [{ start: r.end, end: p.end }] : []),
      ]));
    }
    for (const p of pieces) {
      let s = PFN_UP(p.start);
      let e = PFN_DOWN(p.end);
      if (s >= e) continue;
      nrAllPages += e - s;
      if (highZoneLowPfn !== undefined) {
        s = clamp(s, 0n, highZoneLowPfn);
        e = clamp(e, 0n, highZoneLowPfn);
      }
      nrKernelPages += e - s;
    }
  }
  return { nrKernelPages, nrAllPages };
}

// ---------------------------------------------------------------------------------------------
// The stage

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => (explain ? { stage: 'zones', fmt, text, explain } : { stage: 'zones', fmt, text });
const SRC_FAI = (t: KernelTraits) => (t.numaMemblks === 'generic' ? 'mm/mm_init.c free_area_init' : 'mm/page_alloc.c free_area_init');

/** free_area_init(): prints and state. Runs where traits.freeAreaInitFrom says (see the two stages below). */
export function freeAreaInit(state: BootState, ctx: BootContext): StageResult {
  const traits = ctx.traits;
  if (!traits.memoryModel) throw new SimError('SIM_NOT_MODELLED', 'zones', 'facts.config: expected CONFIG_FLATMEM or CONFIG_SPARSEMEM');
  const memory = memoryRangesForZones(state, ctx);
  const maxPfn = maxPfnOf(state);
  // arch/x86/mm/init.c init_mem_mapping (X86_64): "if (max_pfn > max_low_pfn) max_low_pfn = max_pfn"
  const lowBeforeMapping = maxLowPfnOf(state);
  const maxLowPfn = traits.arch === 'x86_64' && maxPfn > lowBeforeMapping ? maxPfn : lowBeforeMapping;
  const dma = dmaReserveOf(state);
  const chargesMemmap = traits.dmaReserve; // free_area_init_core's memmap/dma_reserve charge (traits.ts dmaReserve)
  const pageBytes = structBytes(ctx, 'page', 'zones');
  const wordBits = traits.arch === 'i386' ? 32 : 64;
  const movableHighmem = !traits.highmem ? undefined : traits.movableIsHighmemConstant ? 'constant' : 'movable_zone';
  let z = computeZones({
    zones: traits.zones,
    memory,
    maxLowPfn,
    maxPfn,
    structPageBytes: pageBytes,
    memoryModel: traits.memoryModel,
    sectionSizeBits: traits.sectionSizeBits,
    chargesMemmap,
    dmaReserve: dma.value,
    maxMapnr: traits.highmem ? maxPfn : maxLowPfn,
    ...(traits.memoryModel === 'flatmem' ? { pageblockPages: 1n << pageblockOrder(ctx, 'zones') } : {}),
    unavailableCounted: traits.memoryModel === 'sparsemem' || traits.unavailableOnFlatmem,
    flatmemTailRound: traits.freeAreaInitFrom === 'mm_core_init_early' ? 1024n : undefined,
    // parse_early_param() → cmdline_parse_kernelcore() / cmdline_parse_movablecore()
    coreRequest: cmdlineParseCore(parseParams(bootCommandLine(ctx.spec)), wordBits),
    wordBits,
    ...(movableHighmem ? { movableHighmem } : {}),
  });
  // free_area_init(): for_each_node(nid) — a memoryless possible node (in the SRAT by its CPUs only)
  // gets its pg_data_t in the node loop on 6.1+ (traits.memorylessNodes), before calc_nr_kernel_pages()
  let mbNow = sliceIfAny(state, 'memblock');
  const mbBefore = mbNow;
  const memlessLines = new Map<number, DmesgLine[]>();
  for (const nid of memorylessNodes(state, traits)) {
    const r = memorylessNodeData(mbNow, ctx, nid);
    mbNow = r.mb;
    memlessLines.set(nid, r.lines);
  }
  if (!chargesMemmap && mbNow) {
    // calc_nr_kernel_pages() (mm/mm_init.c 6.12, 7.2): after the nodes are set up, whole free pages of
    // for_each_free_mem_range; nr_kernel_pages clamped below ZONE_HIGHMEM's lowest pfn
    const k = calcNrKernelPages(mbNow, z.zoneLimits.find((l) => l.name === 'HighMem')?.lowPfn);
    z = { ...z, ...k };
  }
  if (traits.arch === 'i386' && traits.memoryModel === 'flatmem' && traits.freeAreaInitFrom === 'mm_core_init_early') {
    throw new SimError('SIM_NOT_MODELLED', 'zones', 'FLATMEM tail rounding of 7.x memmap_init is not verified against a capture');
  }
  const lines: DmesgLine[] = zoneRangeLines(traits, z.zoneLimits, memory[0]!.startPfn, maxLowPfn, maxPfn);
  lines.push(line('zones.movable_header', 'Movable zone start for each node'));
  for (const m of z.zoneMovable.zoneMovablePfn) {
    lines.push(line('zones.movable_node', `  Node ${m.nid}: ${fmt018Lx(m.pfn << PAGE_SHIFT)}`, {
      start: [
        { name: 'zone_movable_pfn', value: `0x${m.pfn.toString(16)}`, source: `${SRC_FAI(traits).replace('free_area_init', 'find_zone_movable_pfns_for_nodes')}: kernelcore spread over the N_MEMORY nodes above movable_zone's lowest pfn, rounded up to MAX_ORDER_NR_PAGES` },
        { name: 'movable_zone', value: z.zoneMovable.movableZone, source: 'find_usable_zone_for_movable(): the highest zone with pages' },
      ],
    }));
  }
  lines.push(line('zones.early_header', 'Early memory node ranges'));
  const memSrc: ExplainTerm = { name: 'memblock.memory', value: mbNow ? 'memblock stage' : 'e820 RAM (interim)', source: 'for_each_mem_pfn_range: PFN_UP(base), PFN_DOWN(end)' };
  for (const r of memory) {
    lines.push(line('zones.node_range', `  node ${fmtLu(r.nid).padStart(3)}: [mem ${fmt018Lx(r.startPfn << PAGE_SHIFT)}-${fmt018Lx((r.endPfn << PAGE_SHIFT) - 1n)}]`, { start: [memSrc], end: [memSrc] }));
  }
  const order = [...z.nodes.map((n) => ({ nid: n.node, n })), ...memorylessNodes(state, traits).map((nid) => ({ nid, n: undefined }))].sort((a, b) => a.nid - b.nid);
  for (const { nid, n } of order) {
    if (n === undefined) {
      lines.push(...(memlessLines.get(nid) ?? []));
      continue;
    }
    lines.push(line('zones.initmem', `Initmem setup node ${n.node} [mem ${fmt018Lx(n.startPfn << PAGE_SHIFT)}-${fmt018Lx(n.endPfn ? (n.endPfn << PAGE_SHIFT) - 1n : 0n)}]`, {
      start: [{ name: 'node start pfn', value: `0x${n.startPfn.toString(16)}`, source: 'get_pfn_range_for_nid' }],
      end: [{ name: 'node end pfn', value: `0x${n.endPfn.toString(16)}`, source: 'get_pfn_range_for_nid' }],
    }));
    if (traits.zoneDebugLines) lines.push(...nodeDebugLines(n, z, ctx, movableHighmem, dma.known));
  }
  for (const u of z.unavailable) {
    lines.push(line('zones.unavailable', `On node ${u.nid}, zone ${u.zone}: ${fmtLu(u.pages)} pages in unavailable ranges`, {
      pages: [{ name: 'hole pfns with pfn_valid()', value: u.pages, source: `memmap_init → init_unavailable_range (${traits.memoryModel === 'sparsemem' ? `SPARSEMEM: present ${1 << (traits.sectionSizeBits - 20)} MiB sections, tail rounded to a section` : 'FLATMEM: pfn < max_mapnr, no tail'})` }],
    }));
  }
  const next = mbNow && mbNow !== mbBefore ? withSlice(state, 'memblock', mbNow) : state;
  return { state: withSlice(next, 'zones', z), lines };
}

/** The "Zone ranges:" block: each zone's [mem …] or "empty", with what bounds it (zone_sizes_init's max_zone_pfn). */
function zoneRangeLines(traits: KernelTraits, limits: ZonesState['zoneLimits'], firstPfn: bigint, maxLowPfn: bigint, maxPfn: bigint): DmesgLine[] {
  const src = SRC_FAI(traits);
  const lines: DmesgLine[] = [line('zones.header', 'Zone ranges:')];
  const limitsExplain = (name: ZoneName): ExplainTerm[] => [
    { name: 'max_zone_pfn', value: `0x${(zoneSizesInit(traits.zones, maxLowPfn, maxPfn)[traits.zones.indexOf(name)] ?? 0n).toString(16)}`, source: 'arch/x86/mm/init.c zone_sizes_init: DMA min(MAX_DMA_PFN, max_low_pfn), DMA32 min(MAX_DMA32_PFN, max_low_pfn), Normal max_low_pfn, HighMem max_pfn' },
    { name: 'max_low_pfn', value: `0x${maxLowPfn.toString(16)}`, source: traits.arch === 'i386' ? 'find_low_pfn_range (arch/x86/mm/init_32.c)' : 'init_mem_mapping (X86_64): max_low_pfn = max_pfn when above' },
    { name: 'first pfn', value: `0x${firstPfn.toString(16)}`, source: `${src}: find_min_pfn_with_active_regions / memblock_start_of_DRAM` },
  ];
  for (const l of limits) {
    if (l.name === 'Movable') continue;
    const head = `  ${fmtS(l.name, -8)} `;
    if (l.lowPfn === l.highPfn) lines.push(line('zones.range', `${head}empty`, { state: limitsExplain(l.name) }));
    else lines.push(line('zones.range', `${head}[mem ${fmt018Lx(l.lowPfn << PAGE_SHIFT)}-${fmt018Lx((l.highPfn << PAGE_SHIFT) - 1n)}]`, { start: limitsExplain(l.name), end: limitsExplain(l.name) }));
  }
  return lines;
}

/** 5.10's KERN_DEBUG lines of one node: calculate_node_totalpages(), free_area_init_core()'s memmap and dma_reserve, zone_pcp_init()'s batch. */
function nodeDebugLines(n: ZonesState['nodes'][number], z: ZonesState, ctx: BootContext, movableHighmem: 'constant' | 'movable_zone' | undefined, dmaKnown: boolean): DmesgLine[] {
  const traits = ctx.traits;
  const pageBytes = structBytes(ctx, 'page', 'zones');
  const lines: DmesgLine[] = [];
  // 5.10: calculate_node_totalpages, free_area_init_core, zone_pcp_init (KERN_DEBUG)
  lines.push(line('zones.totalpages', `On node ${n.node} totalpages: ${fmtLu(n.presentPages)}`, {
    pages: n.zones.filter((x) => x.presentPages).map((x) => ({ name: `${x.name} present`, value: x.presentPages, source: 'calculate_node_totalpages: spanned − __absent_pages_in_range (5.10)' })),
  }));
  const movableHigh = movableIsHighmem(traits.zones, movableHighmem, z.zoneMovable);
  for (const x of n.zones) {
    // free_area_init_core(): the memmap line for !is_highmem_idx(j) only
    const highmem = x.name === 'HighMem' || (x.name === 'Movable' && movableHigh);
    if (!highmem && x.memmapPages > 0n && x.presentPages >= x.memmapPages) {
      lines.push(line('zones.memmap', `  ${x.name} zone: ${fmtLu(x.memmapPages)} pages used for memmap`, {
        pages: [
          { name: 'spanned', value: x.spannedPages, source: 'zone_spanned_pages_in_node' },
          { name: 'present', value: x.presentPages, source: 'spanned − zone_absent_pages_in_node' },
          { name: 'sizeof(struct page)', value: pageBytes, source: ctx.kernel.facts!.structs['page']!.source },
          { name: 'rule', value: 'PAGE_ALIGN(pages × sizeof(struct page)) >> PAGE_SHIFT', source: 'mm/page_alloc.c calc_memmap_size (5.10): present pages when SPARSEMEM and spanned > present + present/16' },
        ],
      }));
    }
    if (x.idx === 0 && x.presentPages - (!highmem ? x.memmapPages : 0n) > z.dmaReserve) {
      lines.push(line('zones.dma_reserved', `  ${x.name} zone: ${fmtLu(z.dmaReserve)} pages reserved`, {
        pages: [{ name: 'dma_reserve', value: z.dmaReserve, source: dmaKnown ? 'memblock stage: memblock_find_dma_reserve' : traits.arch === 'i386' ? 'set_dma_reserve is x86_64-only (arch/x86/kernel/e820.c memblock_find_dma_reserve)' : 'not yet provided by the memblock stage (taken as 0)' }],
      }));
    }
    if (x.presentPages > 0n) {
      lines.push(line('zones.batch', `  ${x.name} zone: ${fmtLu(x.presentPages)} pages, LIFO batch:${fmtLu(zoneBatchsize(x.managedAtInit))}`, {
        pages: [{ name: 'present_pages', value: x.presentPages, source: 'calculate_node_totalpages' }],
        batch: [{ name: 'managed (freesize)', value: x.managedAtInit, source: 'free_area_init_core → zone_init_internals → zone_pcp_init: zone_batchsize() (5.10)' }],
      }));
    }
  }
  return lines;
}

/**
 * The possible nodes the NUMA stage left without memory and without NODE_DATA, ascending. None on
 * 5.10: free_area_init() walks for_each_online_node, and such a node comes online only later, in
 * init_cpu_to_node() (sim/stages/numa.ts initCpuToNode).
 */
function memorylessNodes(state: BootState, traits: KernelTraits): number[] {
  if (traits.memorylessNodes === 'init_cpu_to_node') return [];
  const numa = sliceIfAny(state, 'numa');
  return numa ? numa.nodes.filter((n) => n.nodeData === undefined && n.start === n.end).map((n) => n.nid) : [];
}

/**
 * free_area_init() for a memoryless node: 6.1 "Initializing node %d as memoryless" and
 * arch_alloc_nodedata() = generic_alloc_nodedata() (include/linux/memory_hotplug.h), 6.12+
 * alloc_offline_node_data() (mm/numa.c): memblock_alloc(sizeof(pg_data_t), SMP_CACHE_BYTES) either
 * way; then free_area_init_node() prints "Initmem setup node %d as memoryless".
 */
function memorylessNodeData(mb: MemblockState | undefined, ctx: BootContext, nid: number): { mb: MemblockState | undefined; lines: DmesgLine[] } {
  const style = ctx.traits.memorylessNodes;
  if (style === 'init_cpu_to_node') throw new SimError('SIM_NOT_MODELLED', 'zones', `numa: node ${nid} is memoryless; on ${ctx.kernel.id} init_cpu_to_node() → init_memory_less_node() gives it NODE_DATA, not modelled`);
  if (!mb) throw new SimError('SIM_NOT_MODELLED', 'zones', `numa: memoryless node ${nid} needs the memblock stage`);
  const size = structBytes(ctx, 'pglist_data', 'zones');
  const lines: DmesgLine[] = [];
  const src = style === 'initializing' ? 'mm/page_alloc.c free_area_init(): arch_alloc_nodedata() (6.1)' : 'mm/numa.c alloc_offline_node_data() (6.12)';
  if (style === 'initializing') lines.push(line('zones.memoryless_init', `Initializing node ${nid} as memoryless`));
  const r = memblockAlloc(mb, {
    size, align: SMP_CACHE_BYTES, why: `pg_data_t of memoryless node ${nid}`, source: src, stage: 'zones',
    caller: style === 'initializing' ? 'free_area_init' : 'free_area_init > alloc_offline_node_data',
  });
  lines.push(line('zones.initmem_memoryless', `Initmem setup node ${nid} as memoryless`, {
    node: [{ name: 'node', value: nid, source: 'get_pfn_range_for_nid(): start_pfn == end_pfn (no memblock.memory on the node)' }],
  }));
  return { mb: r.mb, lines };
}

// setup_arch → x86_init.paging.pagetable_init → paging_init → zone_sizes_init → free_area_init (≤ 6.12)
export const zonesFromSetupArch: StageFn = (state, ctx) =>
  ctx.traits.freeAreaInitFrom === 'setup_arch' ? freeAreaInit(state, ctx) : { state, lines: [] };

// start_kernel → mm_core_init_early → free_area_init, after setup_arch (7.2)
export const zonesFromMmCoreInitEarly: StageFn = (state, ctx) =>
  ctx.traits.freeAreaInitFrom === 'mm_core_init_early' ? freeAreaInit(state, ctx) : { state, lines: [] };
