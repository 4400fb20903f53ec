// models setup_arch() → dma_contiguous_reserve(max_pfn_mapped << PAGE_SHIFT), right after
// initmem_init() (kernel/dma/contiguous.c and mm/cma.c, 7.2.13): cma= (early_cma) sets the global
// area's size, base and limit; cma_declare_contiguous_nid() aligns them to CMA_MIN_ALIGNMENT_BYTES,
// cma_alloc_mem() reserves the area from memblock (bottom-up from 4G first when the limit leaves
// room, else top-down), and "cma: Reserved %ld MiB at %pa" is printed. With more than one online
// node, dma_numa_cma_reserve() (CONFIG_DMA_NUMA_CMA, CONFIG_CMA_SIZE_PERNUMA) declares one more area
// of that size per node. The areas stay memblock-reserved; totalcma_pages counts them, which the
// Memory: line prints as cma-reserved and leaves out of reserved (sim/stages/mem-init.ts).
// Without CONFIG_DMA_CMA (the 5.10, 6.1 and 6.12 Debian builds) dma_contiguous_reserve() is an
// empty inline and no cma= handler exists: the parameter goes to init.
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import { sliceIfAny } from '../state.ts';
import { bootCommandLine, parseParams } from './cmdline.ts';
import { term } from './mm-inputs.ts';
import { pageTablesOf } from './memblock-setup.ts';
import {
  memblockAllocRangeNid, memblockEndOfDram, memblockOverlapsRegion, memblockReserve, memblockSetBottomUp, memblockStateOf, withMemblock,
  NUMA_NO_NODE, type LedgerEntry, type MemblockState,
} from './memblock.ts';
import { memparse } from '../lib/memparse.ts';
import { fmtPa } from '../lib/printk.ts';
import { ALIGN, PAGE_SHIFT, PAGE_SIZE, SZ_1M, SZ_4G } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';

export const STAGE = 'cma';
/**
 * include/linux/cma.h CMA_MIN_ALIGNMENT_BYTES = PAGE_SIZE << pageblock_order; pageblock_order is
 * MIN(HUGETLB_PAGE_ORDER 9, CONFIG_PAGE_BLOCK_MAX_ORDER 10) with CONFIG_HUGETLB_PAGE
 * (include/linux/pageblock-flags.h, 7.2.13): 2M.
 */
const CMA_MIN_ALIGNMENT_BYTES = PAGE_SIZE << 9n;

function refuse(what: string): never {
  throw new SimError('SIM_NOT_MODELLED', STAGE, `cmdline: ${what}`);
}

/** What early_cma() leaves after every cma= in order: size_cmdline (-1: none), base_cmdline, limit_cmdline. */
export interface CmaCmdline {
  readonly size: bigint | undefined;
  readonly base: bigint;
  readonly limit: bigint;
  readonly given: readonly string[];
}

/**
 * kernel/dma/contiguous.c early_cma(p): size = memparse(p); "@base" sets base_cmdline, and then
 * "-limit" sets limit_cmdline (else limit = base + size); each call keeps what it does not set.
 */
export function cmaCmdline(cmdline: string): CmaCmdline {
  let size: bigint | undefined;
  let base = 0n;
  let limit = 0n;
  const given: string[] = [];
  for (const p of parseParams(cmdline)) {
    if (p.param === '--' && p.val === undefined) break;
    if (p.param !== 'cma') continue;
    if (p.val === undefined) refuse('cma: early_cma(NULL) prints "Config string not provided", not modelled');
    given.push(`cma=${p.val}`);
    const s = memparse(p.val);
    size = s.value;
    if (s.rest[0] !== '@') continue;
    const b = memparse(s.rest.slice(1));
    base = b.value;
    if (b.rest[0] !== '-') {
      limit = base + size;
      continue;
    }
    limit = memparse(b.rest.slice(1)).value;
  }
  return { size, base, limit, given };
}

interface Declared {
  readonly mb: MemblockState;
  readonly base: bigint;
  readonly size: bigint;
}

/**
 * mm/cma.c __cma_declare_contiguous_nid() (order_per_bit 0, alignment 0) and cma_alloc_mem():
 * the area's memblock reservation; every path that makes the kernel print "Failed to reserve" or a
 * pr_err is refused by name.
 */
function declareContiguous(mb0: MemblockState, base0: bigint, size0: bigint, limit0: bigint, fixed0: boolean, nid: number, what: string, caller: string): Declared {
  const align = CMA_MIN_ALIGNMENT_BYTES;
  const memblockEnd = memblockEndOfDram(mb0);
  if (size0 === 0n) refuse(`${what}: a size of 0 (-EINVAL, "Failed to reserve 0 MiB") is not modelled`);
  if (fixed0 && (base0 & (align - 1n)) !== 0n) refuse(`${what}: a fixed base not aligned to ${align} bytes ("Region at … must be aligned") is not modelled`);
  const base = ALIGN(base0, align);
  const size = ALIGN(size0, align);
  let limit = limit0 & ~(align - 1n);
  const fixed = fixed0 && base !== 0n;
  if (limit === 0n || limit > memblockEnd) limit = memblockEnd;
  if (base + size > limit) refuse(`${what}: a region past its limit ("Size … exceeds limit") is not modelled`);
  const source = 'mm/cma.c: __cma_declare_contiguous_nid() (7.2)';
  if (fixed) {
    // cma_fixed_reserve(): -EBUSY when any of it is already reserved (no CONFIG_HIGHMEM on x86_64)
    if (memblockOverlapsRegion(mb0, 'reserved', base, size)) refuse(`${what}: a fixed area over reserved memory (-EBUSY, "Failed to reserve") is not modelled`);
    return { mb: memblockReserve(mb0, base, size, { why: `CMA area (${what}, fixed)`, source, stage: STAGE, caller: `${caller} > cma_fixed_reserve` }), base, size };
  }
  const w = { why: `CMA area (${what})`, source: 'mm/cma.c: cma_alloc_mem() (7.2)', stage: STAGE, caller: `${caller} > cma_alloc_mem > memblock_alloc_range_nid` };
  // cma_alloc_mem(): CONFIG_PHYS_ADDR_T_64BIT, memblock top-down, limit ≥ 4G + size: bottom-up from 4G first
  if (!mb0.bottomUp && limit >= SZ_4G + size) {
    const r = memblockAllocRangeNid(memblockSetBottomUp(mb0, true), { size, align, start: SZ_4G, end: limit, nid, exactNid: true, ...w });
    if (r) return { mb: memblockSetBottomUp(r.mb, false), base: r.addr, size };
  }
  const r = memblockAllocRangeNid(mb0, { size, align, start: base, end: limit, nid, exactNid: true, ...w });
  if (!r) refuse(`${what}: no room for the area (-ENOMEM, "Failed to reserve ${size / SZ_1M} MiB") is not modelled`);
  return { mb: r.mb, base: r.addr, size };
}

const line = (text: string, explain: Record<string, readonly ExplainTerm[]>): DmesgLine => ({ stage: STAGE, fmt: 'cma.reserved', text, explain });

/** The CMA areas' pages (totalcma_pages): the memblock reservations this stage made. */
/** The CMA areas' ranges, as dma_contiguous_reserve() declared them (what cma_activate_area() later gives the buddy allocator). */
export function cmaAreaRanges(mb: MemblockState): { start: bigint; end: bigint }[] {
  return mb.ledger.filter((e: LedgerEntry) => e.stage === STAGE).flatMap((e) => e.ranges.map((x) => ({ start: x.start, end: x.end })));
}

export function totalcmaPages(mb: MemblockState): bigint {
  return mb.ledger.filter((e: LedgerEntry) => e.stage === STAGE).reduce((n, e) => n + e.ranges.reduce((m, x) => m + ((x.end - x.start) >> PAGE_SHIFT), 0n), 0n);
}

/** setup_arch() → dma_contiguous_reserve(max_pfn_mapped << PAGE_SHIFT) (CONFIG_DMA_CMA). */
export const dmaContiguousReserve: StageFn = (state: BootState, ctx: BootContext): StageResult => {
  if (ctx.kernel.facts.config['DMA_CMA'] !== 'y') return { state, lines: [] };
  // CONFIG_CMA_SIZE_SEL_MBYTES with CONFIG_CMA_SIZE_MBYTES: the default size without cma= (0 on the build read)
  const cfgMbytes = ctx.kernel.facts.config['CMA_SIZE_MBYTES'];
  const cl = cmaCmdline(bootCommandLine(ctx.spec));
  if (cl.size === undefined && cfgMbytes !== undefined && cfgMbytes !== '0') refuse(`CONFIG_CMA_SIZE_MBYTES=${cfgMbytes}: a default CMA area is not modelled`);
  if (cl.size === undefined || cl.size === 0n) return { state, lines: [] };
  const limitArg = pageTablesOf(state).maxPfnMapped << PAGE_SHIFT;
  // "Hornor the user setup dma address limit"; fixed when cma=size@base (limit = base + size)
  const limit = cl.limit !== 0n ? cl.limit : limitArg;
  const fixed = cl.base + cl.size === cl.limit;
  const caller = 'setup_arch > dma_contiguous_reserve > dma_contiguous_reserve_area > cma_declare_contiguous_nid > __cma_declare_contiguous_nid';
  const what = cl.given.join(' ');
  const d = declareContiguous(memblockStateOf(state), cl.base, cl.size, limit, fixed, NUMA_NO_NODE, what, caller);
  let mb = d.mb;
  const ex = {
    size: [term('size', `${d.size} bytes`, `early_cma(): ${what}, ALIGN to CMA_MIN_ALIGNMENT_BYTES (2M)`)],
    base: [term('base', fmtPa(d.base, 8), 'mm/cma.c cma_alloc_mem(): bottom-up from 4G when limit ≥ 4G + size, else top-down below the limit (max_pfn_mapped)')],
  };
  const lines: DmesgLine[] = [line(`cma: Reserved ${d.size / SZ_1M} MiB at ${fmtPa(d.base, 8)}`, ex)];
  // dma_numa_cma_reserve(): with more than one online node, one area of the default area's size per node
  const numa = sliceIfAny(state, 'numa');
  const online = numa?.numa ? numa.nodes : [];
  if (online.length > 1) {
    if (online.some((n) => n.nodeData === undefined)) refuse(`${what}: dma_numa_cma_reserve() with a node that has no NODE_DATA is not modelled`);
    for (const n of online) {
      const dn = declareContiguous(mb, 0n, d.size, 0n, false, n.nid, `numa${n.nid}`, 'setup_arch > dma_contiguous_reserve > dma_numa_cma_reserve > cma_declare_contiguous_nid > __cma_declare_contiguous_nid');
      mb = dn.mb;
      lines.push(line(`cma: Reserved ${dn.size / SZ_1M} MiB at ${fmtPa(dn.base, 8)}`, { ...ex, base: [term('base', fmtPa(dn.base, 8), `mm/cma.c cma_alloc_mem() on node ${n.nid} (exact_nid)`)] }));
    }
  }
  return { state: withMemblock(state, mb), lines };
};
