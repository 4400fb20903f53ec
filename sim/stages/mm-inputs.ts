// What the percpu, zonelists, hash, mem-init, highmem and SLUB stages read from outside their own
// slice: config options (from the kernel facts), the CPU/NUMA topology and the zone sizes. One
// adapter each, so that when sim/stages/numa.ts and zones.ts land only this file changes.
import type { BootContext, BootState } from '../boot.ts';
import type { ExplainTerm } from '../types.ts';
import { kernelConfig } from '../traits.ts';
import { KEPT_OPTIONS } from '../../qemu-scripts/kernel/kconfig.ts';

// ---------------------------------------------------------------------------------------------
// Config

/** A config option's value (from the kernel facts), or undefined when not set; with where it came from. */
export function configValue(ctx: BootContext, name: string): { value: string | undefined; source: string } {
  if (!kept(name)) throw new RangeError(`CONFIG_${name}: not among the options the facts keep (qemu-scripts/kernel/kconfig.ts KEPT_OPTIONS); add it there and re-run \`bootsim kernel facts\``);
  return { value: kernelConfig(ctx.kernel, name), source: `CONFIG_${name} (kernel facts, ${ctx.kernel.id})` };
}

const kept = (name: string): boolean => KEPT_OPTIONS.some((k) => (k.endsWith('*') ? name.startsWith(k.slice(0, -1)) : name === k));

export const configOn = (ctx: BootContext, name: string): boolean => configValue(ctx, name).value === 'y';

/** A numeric option (NR_CPUS, NODES_SHIFT …); throws if the facts lack it, as a build always has it. */
export function configNumber(ctx: BootContext, name: string): number {
  const v = configValue(ctx, name).value;
  if (v === undefined || !/^\d+$/.test(v)) throw new RangeError(`CONFIG_${name}: expected a number in the kernel facts of ${ctx.kernel.id}, got ${String(v)}`);
  return Number(v);
}

export const term = (name: string, value: ExplainTerm['value'], source: string): ExplainTerm => ({ name, value, source });

// ---------------------------------------------------------------------------------------------
// CPUs and NUMA

/** The CPU/NUMA topology the kernel has by setup_per_cpu_areas(). */
export interface Topology {
  /** num_possible_cpus() = nr_cpu_ids: QEMU's MADT lists exactly -smp cpus, none hotpluggable. */
  readonly possibleCpus: number;
  /** nr_node_ids: highest possible node + 1 (1 without CONFIG_NUMA, where MAX_NUMNODES = 1). */
  readonly nrNodeIds: number;
  /** early_cpu_to_node(cpu). */
  readonly cpuToNode: readonly number[];
  /** Nodes with memory (N_MEMORY), ascending. */
  readonly memoryNodes: readonly number[];
  readonly numa: boolean;
  readonly explain: readonly ExplainTerm[];
}

/**
 * The NUMA stage's view (sim/stages/numa.ts), once it lands, under state.numa with these names;
 * until then the same facts from the profile: QEMU -numa becomes the SRAT (hw/i386/acpi-build.c
 * build_srat: one memory affinity per node with memory, one processor affinity per CPU), which
 * arch/x86/mm/numa.c numa_init() turns into node_possible_map; without -numa, numa_init falls back
 * to dummy_numa_init(): one node 0 with every CPU.
 */
export function topologyOf(state: BootState, ctx: BootContext): Topology {
  const spec = ctx.spec;
  const numa = configOn(ctx, 'NUMA');
  // sim/stages/numa.ts NumaState: nodes (node_possible_map), nrNodeIds, cpuToNode
  const fromNuma = state['numa'] as { nodes?: readonly { nid: number }[]; nrNodeIds?: number; cpuToNode?: readonly number[] } | undefined;
  if (fromNuma?.nrNodeIds !== undefined && fromNuma.cpuToNode && fromNuma.nodes) {
    const z = zonesViewOf(state);
    const memoryNodes = z ? z.nodes.filter((n) => n.zones.some((zz) => zz.presentPages > 0n)).map((n) => n.node) : fromNuma.nodes.map((n) => n.nid);
    return {
      possibleCpus: spec.cpus,
      nrNodeIds: fromNuma.nrNodeIds,
      cpuToNode: fromNuma.cpuToNode,
      memoryNodes: memoryNodes.length > 0 ? memoryNodes : [0],
      numa,
      explain: [term('nr_node_ids', fromNuma.nrNodeIds, 'sim/stages/numa.ts: arch/x86/mm/numa.c numa_init() → setup_nr_node_ids()')],
    };
  }
  const cpuToNode = new Array<number>(spec.cpus).fill(0);
  let nrNodeIds = 1;
  let memoryNodes: number[] = [0];
  const why: ExplainTerm[] = [term('possible CPUs', spec.cpus, 'QEMU -smp: ACPI MADT lists each CPU enabled (arch/x86/kernel/smpboot.c prefill_possible_map)')];
  if (numa && spec.numa && spec.numa.length > 0) {
    memoryNodes = [];
    spec.numa.forEach((n, i) => {
      for (const c of n.cpus) if (c < spec.cpus) cpuToNode[c] = i;
      if (n.memoryBytes > 0) memoryNodes.push(i);
      if (n.memoryBytes > 0 || n.cpus.length > 0) nrNodeIds = Math.max(nrNodeIds, i + 1);
    });
    why.push(term('nr_node_ids', nrNodeIds, 'SRAT nodes (hw/i386/acpi-build.c build_srat) → arch/x86/mm/numa.c numa_init(): node_possible_map = numa_nodes_parsed; setup_nr_node_ids()'));
  } else {
    why.push(term('nr_node_ids', 1, numa ? 'arch/x86/mm/numa.c dummy_numa_init(): "Faking a node"' : 'include/linux/nodemask.h: nr_node_ids = 1 without CONFIG_NUMA'));
  }
  return { possibleCpus: spec.cpus, nrNodeIds, cpuToNode, memoryNodes, numa, explain: why };
}

// ---------------------------------------------------------------------------------------------
// Zones

/** The zone names, in zone order (include/linux/mmzone.h enum zone_type, x86). */
export type ZoneName = 'DMA' | 'DMA32' | 'Normal' | 'HighMem' | 'Movable' | 'Device';

export interface ZoneView {
  readonly name: ZoneName;
  readonly startPfn: bigint;
  readonly spannedPages: bigint;
  readonly presentPages: bigint;
  /** zone->managed_pages as free_area_init_core() sets it (zone_init_internals). */
  readonly managedAtInit: bigint;
}

export interface NodeZonesView {
  readonly node: number;
  readonly zones: readonly ZoneView[];
}

export interface ZonesView {
  readonly nodes: readonly NodeZonesView[];
  /** mm/page_alloc.c (≤ 6.1) / mm/mm_init.c: nr_kernel_pages, nr_all_pages (alloc_large_system_hash). */
  readonly nrKernelPages: bigint;
  readonly nrAllPages: bigint;
}

/**
 * The zones stage's view (sim/stages/zones.ts, zonesStateOf) under state.zones, or undefined while
 * it has not landed: the stages that need zone sizes then print nothing rather than guess.
 */
export function zonesViewOf(state: BootState): ZonesView | undefined {
  const z = state['zones'] as Partial<ZonesView> | undefined;
  if (!z || !Array.isArray(z.nodes) || typeof z.nrKernelPages !== 'bigint' || typeof z.nrAllPages !== 'bigint') return undefined;
  const ok = z.nodes.every((n: NodeZonesView) => Array.isArray(n.zones) && n.zones.every((zz: ZoneView) => typeof zz.managedAtInit === 'bigint'));
  return ok ? (z as ZonesView) : undefined;
}

// ---------------------------------------------------------------------------------------------
// memblock requests

/**
 * One memblock call a stage makes, for the memblock owner's allocator (sim/stages/memblock.ts) to
 * place and to charge to the reservation ledger. Until that API lands, stages record these in
 * their state slice (`memblock`) so wiring them is one loop.
 */
export interface MemblockRequest {
  readonly op: 'alloc' | 'free';
  /** The kernel API, e.g. 'memblock_alloc_try_nid', 'memblock_alloc_low', 'memblock_free'. */
  readonly api: string;
  readonly size: bigint;
  /** Alignment (alloc only). */
  readonly align: bigint;
  /** NUMA_NO_NODE = -1. */
  readonly nid: number;
  /** Lowest acceptable address (the `from`/min_addr argument). */
  readonly minAddr: bigint;
  /** 'accessible' = MEMBLOCK_ALLOC_ACCESSIBLE; 'low' = ARCH_LOW_ADDRESS_LIMIT (memblock_alloc_low). */
  readonly maxAddr: 'accessible' | 'low' | bigint;
  /** For a free: which earlier alloc (by `why`) it returns part of, and at what offset into it. */
  readonly of?: { readonly why: string; readonly offset: bigint };
  /** The caller as memblock=debug prints it, e.g. 'pcpu_fc_alloc'. */
  readonly caller: string;
  /** What the memory is for (the ledger's label). */
  readonly why: string;
}
