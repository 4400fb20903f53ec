// models numa=fake=N, NUMA emulation over the fake node dummy_numa_init() made or the SRAT's physical nodes (arch/x86/mm/numa_emulation.c
// 5.10.223 and 6.1.192; mm/numa_emulation.c 6.12.115 and 7.2.13): numa_emulation() →
// split_nodes_interleave() and emu_setup_memblk()'s "Faking node %d at [mem …] (%LuMB)" lines, then
// the distance table the emulated nodes get (numa_set_distance → numa_alloc_distance, from memblock).
// Called by the NUMA stage (sim/stages/numa.ts) between numa_cleanup_meminfo() and numa_register_memblks().
import type { DmesgLine } from '../types.ts';
import { memblockAlloc, type MemblockState } from './memblock.ts';
import { fmt018Lx } from '../lib/printk.ts';
import { PAGE_SHIFT, PAGE_SIZE, PFN_DOWN, PFN_UP } from '../lib/sizes.ts';
import { simpleStrtoull } from '../lib/memparse.ts';
import { SimError } from '../lib/errors.ts';

const STAGE = 'numa';
/** numa_emulation.c FAKE_NODE_MIN_SIZE (32M) and FAKE_NODE_MIN_HASH_MASK. */
const FAKE_NODE_MIN_SIZE = 32n << 20n;
const FAKE_NODE_MIN_HASH_MASK = ~(FAKE_NODE_MIN_SIZE - 1n);
/** include/linux/mmzone.h MAX_DMA32_PFN << PAGE_SHIFT: 4G (6.12+ numa_emu_dma_end(), the same on x86). */
const DMA32_END = 1n << 32n;
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** One numa_memblk. */
export interface NumaBlk {
  readonly nid: number;
  readonly start: bigint;
  readonly end: bigint;
}

/** What "numa=fake=" asks for, from numa_setup()'s emu_cmdline (the last numa=fake= wins). */
export type FakeRequest = { readonly kind: 'nodes'; readonly n: number } | { readonly kind: 'refused'; readonly why: string };

/**
 * numa_emulation(): a 'U' is the uniform split, an 'M' or 'G' a node size, else simple_strtoul(N);
 * a ':' after it starts a distance list. Only the plain N form is modelled.
 */
export function fakeRequest(arg: string): FakeRequest {
  if (arg.includes('U')) return { kind: 'refused', why: 'the uniform split (U, split_nodes_size_interleave_uniform) is not modelled' };
  if (arg.includes('M') || arg.includes('G')) return { kind: 'refused', why: 'the node-size form (split_nodes_size_interleave) is not modelled' };
  const p = simpleStrtoull(arg);
  if (p.rest.startsWith(':')) return { kind: 'refused', why: 'a distance list after ":" is not modelled' };
  // simple_strtoul: unsigned long; split_nodes_interleave() takes an int
  return { kind: 'nodes', n: Number(BigInt.asIntN(32, p.value)) };
}

/** mem_hole_size(): PFN_PHYS(absent_pages_in_range(PFN_UP(start), PFN_DOWN(end))), over memblock.memory. */
function memHoleSize(mb: MemblockState, start: bigint, end: bigint): bigint {
  const s = PFN_UP(start);
  const e = PFN_DOWN(end);
  if (s >= e) return 0n;
  let present = 0n;
  for (const m of mb.memory) {
    const ms = PFN_UP(m.start) > s ? PFN_UP(m.start) : s;
    const me = PFN_DOWN(m.end) < e ? PFN_DOWN(m.end) : e;
    if (ms < me) present += me - ms;
  }
  return (e - s - present) << PAGE_SHIFT;
}

export interface Emulated {
  readonly blocks: readonly NumaBlk[];
  /** emu_nid_to_phys[]: the physical node of each emulated node. */
  readonly emuToPhys: readonly number[];
  readonly lines: readonly DmesgLine[];
}

/**
 * split_nodes_interleave(ei, pi, 0, PFN_PHYS(max_pfn), nr_nodes) over the physical blocks `pi`
 * (numa_meminfo after numa_cleanup_meminfo: dummy_numa_init's one node, or the SRAT's nodes, each
 * filled in turn from its first block, nid++ % nr_nodes), or undefined where emulation is disabled
 * (nr_nodes ≤ 0, or "Not enough memory for each node").
 */
export function splitNodesInterleave(pi: readonly NumaBlk[], mb: MemblockState, maxAddr: bigint, nrNodesIn: number, maxNumNodes: number): Emulated | undefined {
  let nrNodes = nrNodesIn;
  if (nrNodes <= 0) return undefined;
  const lines: DmesgLine[] = [];
  // "numa=fake=%d too large, reducing to %d" (not in the catalog)
  if (nrNodes > maxNumNodes) nrNodes = maxNumNodes;
  const n = BigInt(nrNodes);
  let size = maxAddr - mem(mb, 0n, maxAddr);
  size = ((size >> PAGE_SHIFT) / n) << PAGE_SHIFT;
  const big = ((size & ~FAKE_NODE_MIN_HASH_MASK) * n) / FAKE_NODE_MIN_SIZE;
  size &= FAKE_NODE_MIN_HASH_MASK;
  // "Not enough memory for each node.  NUMA emulation disabled."
  if (size === 0n) return undefined;
  const blks = pi.map((b) => ({ ...b }));
  const phys = [...new Set(pi.map((b) => b.nid))].sort((a, b) => a - b);
  const mask = new Set(phys);
  const out: NumaBlk[] = [];
  const emuToPhys: number[] = [];
  let nid = 0;
  while (mask.size > 0) {
    for (const i of [...mask].sort((a, b) => a - b)) {
      const pb = blks.find((b) => b.nid === i);
      if (!pb) {
        mask.delete(i);
        continue;
      }
      const start = pb.start;
      const limit = pb.end;
      let end = start + size;
      if (BigInt(nid) < big) end += FAKE_NODE_MIN_SIZE;
      // "Continue to add memory to this fake node if its non-reserved memory is less than the per-node size"
      while (u64(end - start - mem(mb, start, end)) < size) {
        end += FAKE_NODE_MIN_SIZE;
        if (end > limit) {
          end = limit;
          break;
        }
      }
      // "at least FAKE_NODE_MIN_SIZE of non-reserved memory in ZONE_DMA32 for the next node"
      if (end < DMA32_END && u64(DMA32_END - end - mem(mb, end, DMA32_END)) < FAKE_NODE_MIN_SIZE) end = DMA32_END;
      // "enough non-reserved memory for the next node"
      if (u64(limit - end - mem(mb, end, limit)) < size) end = limit;
      // emu_setup_memblk(ei, pi, nid++ % nr_nodes, phys_blk, min(end, limit) - start)
      const emu = nid++ % nrNodes;
      const bsize = (end < limit ? end : limit) - start;
      const eb = { nid: emu, start: pb.start, end: pb.start + bsize };
      if (emuToPhys[emu] === undefined) emuToPhys[emu] = pb.nid;
      pb.start += bsize;
      if (pb.start >= pb.end) blks.splice(blks.indexOf(pb), 1);
      out.push(eb);
      lines.push({
        stage: STAGE, fmt: 'numa.fake_node', text: `Faking node ${emu} at [mem ${fmt018Lx(eb.start)}-${fmt018Lx(eb.end - 1n)}] (${(eb.end - eb.start) >> 20n}MB)`,
        explain: { size: [{ name: 'per-node size', value: size, source: 'split_nodes_interleave(): (max_addr − mem_hole_size) / nr_nodes, rounded down to FAKE_NODE_MIN_SIZE (32M); the first `big` nodes get 32M more' }] },
      });
    }
  }
  return { blocks: out, emuToPhys, lines };
}
const mem = memHoleSize;

/**
 * numa_emulation()'s distance table: numa_reset_distance(), then numa_set_distance() for each pair
 * of emulated nodes allocates numa_distance (cnt × cnt bytes, cnt = highest emulated node + 1) with
 * numa_alloc_distance(): memblock_phys_alloc_range(size, PAGE_SIZE, 0, PFN_PHYS(max_pfn_mapped))
 * (≤ 6.1) or memblock_alloc(size, PAGE_SIZE) (6.12+), both under current_limit = max_pfn_mapped.
 */
export function numaAllocDistance(mb: MemblockState, cnt: number, archNuma: boolean): MemblockState {
  const size = BigInt(cnt * cnt);
  return memblockAlloc(mb, {
    size, align: PAGE_SIZE, why: 'numa_distance table',
    source: archNuma ? 'arch/x86/mm/numa.c: numa_alloc_distance() (6.1)' : 'mm/numa_memblks.c: numa_alloc_distance() (6.12)',
    stage: STAGE, caller: 'numa_emulation > numa_set_distance > numa_alloc_distance',
  }).mb;
}

/** Refuses a form of numa=fake= that is not modelled, naming it. */
export function refuseFake(arg: string, why: string): never {
  throw new SimError('SIM_NOT_MODELLED', STAGE, `cmdline: numa=fake=${arg}: ${why}`);
}
