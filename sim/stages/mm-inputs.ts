// What the percpu, zonelists, hash, mem-init, highmem and SLUB stages read from outside their own
// slice: config options and struct sizes (from the kernel facts), the CPU/NUMA topology (the NUMA
// stage's) and the zone sizes (the zones stage's).
import type { BootContext, BootState } from '../boot.ts';
import type { ExplainTerm } from '../types.ts';
import { kernelConfig } from '../traits.ts';
import { sliceIfAny } from '../state.ts';
import { SimError } from '../lib/errors.ts';
import { nodeDistance, numaStateOf } from './numa.ts';
import { possibleCpuMap } from './possible-cpus.ts';

// ---------------------------------------------------------------------------------------------
// Config

/** A config option's value (from the kernel facts), or undefined when not set; with where it came from. */
export function configValue(ctx: BootContext, name: string): { value: string | undefined; source: string } {
  return { value: kernelConfig(ctx.kernel, name), source: `CONFIG_${name} (kernel facts, ${ctx.kernel.id})` };
}

export const configOn = (ctx: BootContext, name: string): boolean => configValue(ctx, name).value === 'y';

/**
 * include/linux/pageblock-flags.h pageblock_order with CONFIG_HUGETLB_PAGE: HUGETLB_PAGE_ORDER =
 * HPAGE_SHIFT − PAGE_SHIFT, HPAGE_SHIFT = PMD_SHIFT (arch/x86/include/asm/page_types.h): 9 with
 * 2M PMDs, 10 on 2-level i386. 6.12 caps it at MAX_PAGE_ORDER and 7.2 at PAGE_BLOCK_MAX_ORDER, both
 * 10 in these builds, so the cap never binds. Without HUGETLB_PAGE (MAX_ORDER − 1) it is not modelled.
 */
export function pageblockOrder(ctx: BootContext, stage: string): bigint {
  if (!configOn(ctx, 'HUGETLB_PAGE')) throw new SimError('SIM_NOT_MODELLED', stage, 'pageblock_order without HUGETLB_PAGE (MAX_ORDER − 1) is not modelled');
  return ctx.traits.pmdShift - 12n; // PAGE_SHIFT
}

/** A numeric option (NR_CPUS, NODES_SHIFT …); throws if the facts lack it, as a build always has it. */
export function configNumber(ctx: BootContext, name: string): number {
  const v = configValue(ctx, name).value;
  if (v === undefined || !/^\d+$/.test(v)) throw new RangeError(`CONFIG_${name}: expected a number in the kernel facts of ${ctx.kernel.id}, got ${String(v)}`);
  return Number(v);
}

/**
 * sizeof(struct `name`) from the kernel facts: BTF on the amd64 builds, the 32-bit derivations of
 * qemu-scripts/kernel/structs.ts on the 686 ones. Refused (in `stage`) when the facts lack it.
 */
export function structBytes(ctx: BootContext, name: string, stage: string): bigint {
  const s = ctx.kernel.facts.structs[name];
  if (!s) throw new SimError('SIM_NOT_MODELLED', stage, `facts.structs.${name}: expected sizeof(struct ${name}) in the facts of ${ctx.kernel.id} (qemu-scripts/kernel/structs.ts)`);
  return BigInt(s.bytes);
}

export const term = (name: string, value: ExplainTerm['value'], source: string): ExplainTerm => ({ name, value, source });

// ---------------------------------------------------------------------------------------------
// CPUs and NUMA

/** The CPU/NUMA topology the kernel has by setup_per_cpu_areas(). */
export interface Topology {
  /** num_possible_cpus() = nr_cpu_ids, from QEMU's MADT and the CPU parameters (sim/stages/possible-cpus.ts). */
  readonly possibleCpus: number;
  /** nr_node_ids: highest possible node + 1 (1 without CONFIG_NUMA, where MAX_NUMNODES = 1). */
  readonly nrNodeIds: number;
  /** early_cpu_to_node(cpu). */
  readonly cpuToNode: readonly number[];
  /** Nodes with memory (N_MEMORY), ascending. */
  readonly memoryNodes: readonly number[];
  readonly numa: boolean;
  /** node_distance(a, b) (sim/stages/numa.ts nodeDistance: no SLIT; numa=fake= nodes of one physical node are LOCAL). */
  readonly distance: (a: number, b: number) => number;
  readonly explain: readonly ExplainTerm[];
}

/**
 * The topology as the NUMA stage left it (sim/stages/numa.ts: numa_init → setup_nr_node_ids,
 * early_cpu_to_node), with the nodes that have memory taken from the zones once they exist.
 */
export function topologyOf(state: BootState, ctx: BootContext): Topology {
  const n = numaStateOf(state);
  const z = sliceIfAny(state, 'zones');
  const memoryNodes = z ? z.nodes.filter((nz) => nz.zones.some((zz) => zz.presentPages > 0n)).map((nz) => nz.node) : n.nodes.map((nd) => nd.nid);
  return {
    possibleCpus: possibleCpuMap(ctx).possible,
    nrNodeIds: n.nrNodeIds,
    cpuToNode: n.cpuToNode,
    memoryNodes: memoryNodes.length > 0 ? memoryNodes : [0],
    numa: configOn(ctx, 'NUMA'),
    distance: (a, b) => nodeDistance(n, a, b),
    explain: [term('nr_node_ids', n.nrNodeIds, 'sim/stages/numa.ts: arch/x86/mm/numa.c numa_init() → setup_nr_node_ids()')],
  };
}

/**
 * defer_init() (mm/page_alloc.c 5.10/6.1, mm/mm_init.c 6.12/7.2): memmap_init_range() counts
 * nr_initialised across the memory ranges of a node's highest zone, from the zone's start pfn;
 * from the first section-aligned pfn after PAGES_PER_SECTION of them every pfn to the node's end is
 * deferred. Returns that first deferred pfn, or undefined when the zone is initialised whole.
 * `ranges` are the node's memblock.memory ranges in bytes, in address order.
 */
export function deferInitStartPfn(ranges: readonly { readonly start: bigint; readonly end: bigint }[], zoneStartPfn: bigint, sectionSizeBits: number): bigint | undefined {
  // include/linux/mmzone.h PAGES_PER_SECTION: defer_init's granule
  const perSection = 1n << (BigInt(sectionSizeBits) - 12n);
  let seen = 0n;
  for (const m of ranges) {
    const s = (m.start + 4095n) >> 12n > zoneStartPfn ? (m.start + 4095n) >> 12n : zoneStartPfn;
    const e = m.end >> 12n;
    if (s >= e) continue;
    // nr_initialised++ per pfn; defer at the first pfn with nr_initialised > PAGES_PER_SECTION and section-aligned
    const firstOver = seen >= perSection ? s : s + (perSection - seen);
    const aligned = ((firstOver + perSection - 1n) / perSection) * perSection;
    if (aligned < e) return aligned;
    seen += e - s;
  }
  return undefined;
}
