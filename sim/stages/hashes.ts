// models alloc_large_system_hash() (mm/page_alloc.c ≤ 6.1, mm/mm_init.c 6.12+) for the two early
// VFS tables: fs/dcache.c dcache_init_early()/dcache_init() ("Dentry cache", scale 13) and
// fs/inode.c inode_init_early()/inode_init() ("Inode-cache", scale 14) (5.10.223, 6.1.192,
// 6.12.115, 7.2.13). Without hashdist they are HASH_EARLY memblock allocations from
// vfs_caches_init_early(); with hashdist (NUMA, 64-bit, more than one memory node) they are
// vmalloc'ed later from vfs_caches_init(), after SLUB.
import type { BootContext, BootState, StageResult } from '../boot.ts';
import { sliceIfAny, withSlice } from '../state.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import { configOn, structBytes, term, topologyOf } from './mm-inputs.ts';
import { cmdlineValue } from './cmdline.ts';
import { memblockAlloc, memblockStateOf, withMemblock, SMP_CACHE_BYTES } from './memblock.ts';
import { ilog2, roundupPowOfTwo, PMD_SIZE_64 } from '../lib/sizes.ts';
import { simpleStrtoull } from '../lib/memparse.ts';

const STAGE = 'hashes';
const PAGE_SHIFT = 12;
const PAGE_SIZE = 1 << PAGE_SHIFT;

export interface HashTable {
  readonly name: 'Dentry cache' | 'Inode-cache';
  readonly entries: bigint;
  readonly log2qty: number;
  readonly bytes: bigint;
  readonly order: number;
  readonly alloc: 'linear' | 'vmalloc' | 'vmalloc hugepage';
  readonly explain: readonly ExplainTerm[];
}

export interface HashesState {
  readonly hashdist: boolean;
  readonly tables: readonly HashTable[];
}

export function hashesStateOf(state: BootState): HashesState | undefined {
  return sliceIfAny(state, 'hashes');
}

/** include/asm-generic/getorder.h get_order(). */
export const getOrder = (size: bigint): number => (size <= BigInt(PAGE_SIZE) ? 0 : ilog2((size - 1n) >> BigInt(PAGE_SHIFT)) + 1);

export interface HashInput {
  readonly bucketsize: bigint;
  /** dhash_entries= / ihash_entries=, 0 when not given. */
  readonly numentries: bigint;
  readonly scale: number;
  readonly early: boolean;
  readonly lowLimit: bigint;
  readonly nrKernelPages: bigint;
  readonly nrAllPages: bigint;
  readonly is64: boolean;
}

/** alloc_large_system_hash(): the size arithmetic (6.1; same in 5.10–7.2 for these callers). */
export function hashSize(h: HashInput): { log2qty: number; bytes: bigint; explain: ExplainTerm[] } {
  const src = 'alloc_large_system_hash()';
  const ex: ExplainTerm[] = [];
  let numentries = h.numentries;
  let scale = h.scale;
  if (numentries === 0n) {
    numentries = h.nrKernelPages;
    ex.push(term('nr_kernel_pages', h.nrKernelPages, 'zones stage: free_area_init_core() lowmem freesize (mm_init.c calc_nr_kernel_pages on 6.12+)'));
    // "round applicable memory size up to nearest megabyte"
    numentries = ((numentries + 255n) / 256n) * 256n;
    ex.push(term('rounded to 1M', numentries, `${src}: round_up(numentries, SZ_1M / PAGE_SIZE)`));
    if (h.is64) {
      // ADAPT_SCALE_BASE 64G, ADAPT_SCALE_SHIFT 2 (no high_limit)
      for (let adapt = (64n << 30n) >> BigInt(PAGE_SHIFT); adapt < numentries; adapt <<= 2n) scale++;
    }
    numentries = scale > PAGE_SHIFT ? numentries >> BigInt(scale - PAGE_SHIFT) : numentries << BigInt(PAGE_SHIFT - scale);
    ex.push(term(`>> (scale ${scale} − PAGE_SHIFT)`, numentries, `${src}: one bucket per 2^scale bytes of low memory`));
    if (numentries * h.bucketsize < BigInt(PAGE_SIZE)) numentries = BigInt(PAGE_SIZE) / h.bucketsize;
  }
  numentries = roundupPowOfTwo(numentries);
  ex.push(term('roundup_pow_of_two', numentries, src));
  // "limit allocation size to 1/16 total memory by default"
  let max = ((h.nrAllPages << BigInt(PAGE_SHIFT)) >> 4n) / h.bucketsize;
  if (max > 0x80000000n) max = 0x80000000n;
  if (numentries < h.lowLimit) numentries = h.lowLimit;
  if (numentries > max) {
    numentries = max;
    ex.push(term('capped at nr_all_pages/16', max, src));
  }
  const log2qty = ilog2(numentries);
  const bytes = h.bucketsize << BigInt(log2qty);
  ex.push(term('bucket size', h.bucketsize, 'sizeof(struct hlist_bl_head) / sizeof(struct hlist_head)'));
  return { log2qty, bytes, explain: ex };
}

/** fs/dcache.c / fs/inode.c bucket sizes, from the kernel facts (BTF, or the 686 derivation). */
function bucket(ctx: BootContext, struct: 'hlist_bl_head' | 'hlist_head'): { size: bigint; source: string } {
  return { size: structBytes(ctx, struct, STAGE), source: `kernel facts structs.${struct} (${ctx.kernel.facts.structs[struct]!.source})` };
}

/** page_alloc_init()/fixup_hashdist(): HASHDIST_DEFAULT (NUMA && 64BIT), off with one memory node; hashdist= overrides. */
export function hashdistOf(state: BootState, ctx: BootContext): { on: boolean; why: string } {
  const traits = ctx.traits;
  if (!configOn(ctx, 'NUMA')) return { on: false, why: 'include/linux/memblock.h: hashdist (0) without CONFIG_NUMA' };
  let on = traits.arch === 'x86_64';
  const arg = cmdlineValue(ctx.spec, 'hashdist');
  if (arg !== undefined) on = (Number.parseInt(arg, /^0x/i.test(arg) ? 16 : 10) || 0) !== 0; // simple_strtoul(str, 0)
  const memNodes = topologyOf(state, ctx).memoryNodes.length;
  if (memNodes === 1) on = false;
  return { on, why: `include/linux/memblock.h HASHDIST_DEFAULT IS_ENABLED(CONFIG_64BIT); mm/page_alloc.c page_alloc_init() (mm_init.c fixup_hashdist 6.12): 0 when num_node_state(N_MEMORY) == 1 (here ${memNodes})` };
}

/**
 * fs/dcache.c set_dhash_entries() / fs/inode.c set_ihash_entries() (__setup, the last one wins):
 * simple_strtoul(str, &str, 0) up to 6.12.115, kstrtoul(str, 0) in 7.2.13 (which rejects a tail and
 * then returns 0, leaving the parameter to init). A plain number parses alike in both; any other
 * value is refused by PARAM_REVIEWS (cmdline.ts hashEntriesMalformed).
 */
export function hashEntriesParam(ctx: BootContext, param: 'dhash_entries' | 'ihash_entries'): bigint | undefined {
  const v = cmdlineValue(ctx.spec, param);
  return v === undefined ? undefined : simpleStrtoull(v).value;
}

function tables(state: BootState, ctx: BootContext, hashdist: boolean): HashTable[] | undefined {
  const z = sliceIfAny(state, 'zones');
  // the zones stage leaves nr_kernel_pages 0 where it does not compute it (6.12+: calc_nr_kernel_pages
  // counts free memblock ranges); print nothing rather than a wrong size
  if (!z || z.nrKernelPages === 0n) return undefined;
  const traits = ctx.traits;
  const ht = traits.hashes;
  const is64 = traits.arch === 'x86_64';
  const topo = topologyOf(state, ctx);
  const defs = [
    { name: 'Dentry cache' as const, struct: 'hlist_bl_head' as const, param: 'dhash_entries' as const, scale: 13, lowLimit: 2n, src: 'fs/dcache.c dcache_init_early(): scale 13, low_limit 2' },
    { name: 'Inode-cache' as const, struct: 'hlist_head' as const, param: 'ihash_entries' as const, scale: 14, lowLimit: 0n, src: 'fs/inode.c inode_init_early(): scale 14' },
  ];
  return defs.map((d) => {
    const b = bucket(ctx, d.struct);
    const given = hashEntriesParam(ctx, d.param);
    const { log2qty, bytes, explain } = hashSize({
      bucketsize: b.size,
      numentries: given ?? 0n,
      scale: d.scale,
      early: !hashdist,
      lowLimit: d.lowLimit,
      nrKernelPages: z.nrKernelPages,
      nrAllPages: z.nrAllPages,
      is64,
    });
    // 5.10: order printed as ilog2(size) − PAGE_SHIFT; 6.1+: get_order(size)
    const order = ht.hugeVmalloc ? getOrder(bytes) : ilog2(bytes) - PAGE_SHIFT;
    let alloc: HashTable['alloc'] = 'linear';
    if (hashdist) {
      // mm/vmalloc.c __vmalloc_node_range(): VM_ALLOW_HUGE_VMAP → PMD mapping when size / num_online_nodes() ≥ PMD_SIZE
      // (≤ 6.12; 7.2: size ≥ PMD_SIZE). HAVE_ARCH_HUGE_VMALLOC is selected if X86_64, arch/x86/Kconfig.
      const perNode = ht.hugeSizePerNode ? bytes / BigInt(Math.max(topo.memoryNodes.length, 1)) : bytes;
      alloc = ht.hugeVmalloc && is64 && perNode >= PMD_SIZE_64 ? 'vmalloc hugepage' : 'vmalloc';
    }
    return {
      name: d.name,
      entries: 1n << BigInt(log2qty),
      log2qty,
      bytes,
      order,
      alloc,
      explain: [term('caller', d.name, d.src), term('bucketsize', b.size, b.source), ...explain],
    };
  });
}

function lines(ts: readonly HashTable[]): DmesgLine[] {
  return ts.map((t) => ({
    stage: STAGE,
    fmt: t.name === 'Dentry cache' ? 'hash.dentry' : 'hash.inode',
    text: `${t.name} hash table entries: ${t.entries} (order: ${t.order}, ${t.bytes} bytes, ${t.alloc})`,
    explain: {
      entries: t.explain,
      order: [term('order', t.order, 'get_order(size) (6.1+); ilog2(size) − PAGE_SHIFT (5.10)')],
      bytes: [term('size', t.bytes, 'bucketsize << log2qty')],
      alloc: [term('allocator', t.alloc, t.alloc === 'linear' ? 'HASH_EARLY: memblock_alloc(size, SMP_CACHE_BYTES)' : 'hashdist: vmalloc_huge() (6.1+) / __vmalloc() (5.10)')],
    },
  }));
}

/** start_kernel() → vfs_caches_init_early(): the HASH_EARLY tables, when hashdist is off. */
export function hashesEarly(state: BootState, ctx: BootContext): StageResult {
  const hd = hashdistOf(state, ctx);
  if (hd.on) return { state: withSlice(state, 'hashes', { hashdist: true, tables: [] }), lines: [] };
  const ts = tables(state, ctx, false);
  if (!ts) return { state, lines: [] };
  // HASH_EARLY: memblock_alloc(size, SMP_CACHE_BYTES) (memblock_alloc_raw without HASH_ZERO; same placement), in place
  let mb = memblockStateOf(state);
  for (const t of ts) {
    mb = memblockAlloc(mb, { size: t.bytes, align: SMP_CACHE_BYTES, why: `${t.name} hash table`, source: 'mm/mm_init.c: alloc_large_system_hash() HASH_EARLY (6.12; mm/page_alloc.c ≤ 6.1)', stage: STAGE, caller: 'alloc_large_system_hash' }).mb;
  }
  const slice: HashesState = { hashdist: false, tables: ts };
  return { state: withSlice(withMemblock(state, mb), 'hashes', slice), lines: lines(ts) };
}

/** start_kernel() → vfs_caches_init() → dcache_init()/inode_init(): the vmalloc'ed tables under hashdist, after SLUB. */
export function hashesLate(state: BootState, ctx: BootContext): StageResult {
  const hd = hashdistOf(state, ctx);
  if (!hd.on) return { state, lines: [] };
  const ts = tables(state, ctx, true);
  if (!ts) return { state, lines: [] };
  return { state: withSlice(state, 'hashes', { hashdist: true, tables: ts }), lines: lines(ts) };
}
