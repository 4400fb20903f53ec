// models mm/page_alloc.c build_all_zonelists() → build_zonelists(), find_next_best_node() and
// nr_free_zone_pages() (5.10.223, 6.1.192, 6.12.115, 7.2.13): "Fallback order for Node %d:",
// "Built %u zonelists, mobility grouping %s.  Total pages: %ld" and "Policy zone: %s".
// 5.10/6.1 call it from start_kernel() right after setup_per_cpu_areas(); 6.12+ from
// mm_core_init(), after the hash tables — the two stage positions below, chosen by traits.
import type { BootContext, BootState, StageResult } from '../boot.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import { kernelConfig } from '../traits.ts';
import { configOn, term, topologyOf, pageblockOrder as pageblockOrderOf } from './mm-inputs.ts';
import { sliceIfAny } from '../state.ts';
import type { ZonesState } from './zones.ts';

/** include/linux/topology.h: LOCAL_DISTANCE 10, REMOTE_DISTANCE 20; QEMU builds no SLIT without -numa dist. */
const LOCAL_DISTANCE = 10;
const REMOTE_DISTANCE = 20;
/** mm/page_alloc.c: PENALTY_FOR_NODE_WITH_CPUS 1. */
const PENALTY_FOR_NODE_WITH_CPUS = 1;

/**
 * mm/page_alloc.c build_zonelists() (6.1): node order by find_next_best_node(), with the shared
 * node_load[] penalty (reset once per build_all_zonelists). MAX_NUMNODES = 1 << NODES_SHIFT.
 */
export function buildZonelists(memoryNodes: readonly number[], nodesWithCpus: ReadonlySet<number>, allNodes: readonly number[], maxNumNodes: number, distance: (a: number, b: number) => number = (a, b) => (a === b ? LOCAL_DISTANCE : REMOTE_DISTANCE), memorylessLocalFirst = true): Map<number, number[]> {
  const nodeLoad = new Map<number, number>();
  const out = new Map<number, number[]>();
  for (const local of allNodes) {
    const used = new Set<number>();
    const order: number[] = [];
    let prev = local;
    for (;;) {
      let best = -1;
      // "Use the local node if we haven't already" (6.12+: and only if it has memory)
      if (!used.has(local) && (memorylessLocalFirst || memoryNodes.includes(local))) best = local;
      else {
        let minVal = Number.MAX_SAFE_INTEGER;
        for (const n of memoryNodes) {
          if (used.has(n)) continue;
          let val = distance(local, n);
          val += n < local ? 1 : 0;
          if (nodesWithCpus.has(n)) val += PENALTY_FOR_NODE_WITH_CPUS;
          val *= maxNumNodes;
          val += nodeLoad.get(n) ?? 0;
          if (val < minVal) {
            minVal = val;
            best = n;
          }
        }
      }
      if (best < 0) break;
      used.add(best);
      if (distance(local, best) !== distance(local, prev)) nodeLoad.set(best, (nodeLoad.get(best) ?? 0) + 1);
      order.push(best);
      prev = best;
    }
    out.set(local, order);
  }
  return out;
}

/** nr_free_zone_pages(gfp_zone(GFP_HIGHUSER_MOVABLE)) at boot: Σ managed − high watermark (0 before setup_per_zone_wmarks). */
export function nrFreeZonePages(z: Pick<ZonesState, 'nodes'>): { total: bigint; terms: ExplainTerm[] } {
  let total = 0n;
  const terms: ExplainTerm[] = [];
  for (const n of z.nodes) {
    for (const zone of n.zones) {
      if (zone.presentPages === 0n) continue; // build_zonerefs_node(): populated zones only
      total += zone.managedAtInit;
      terms.push(term(`node ${n.node} ${zone.name} managed`, zone.managedAtInit, 'mm/page_alloc.c nr_free_zone_pages(): zone_managed_pages() − high_wmark_pages() (0 at boot)'));
    }
  }
  return { total, terms };
}

/**
 * build_all_zonelists() (mm/page_alloc.c, 5.10–7.2): build_zonelists() for each online node (its
 * "Fallback order for Node %d:" line with CONFIG_NUMA, 5.12+), then "Built %u zonelists, mobility
 * grouping %s.  Total pages: %ld" and, with CONFIG_NUMA, "Policy zone: %s". Its two callers are the
 * stages below.
 */
function buildAllZonelists(state: BootState, ctx: BootContext): DmesgLine[] {
  const traits = ctx.traits;
  const zt = traits.zonelists;
  const numa = configOn(ctx, 'NUMA');
  const topo = topologyOf(state, ctx);
  const z = sliceIfAny(state, 'zones');
  const lines: DmesgLine[] = [];
  const memoryNodes = z ? z.nodes.filter((n) => n.zones.some((zz) => zz.presentPages > 0n)).map((n) => n.node) : topo.memoryNodes;
  // node_online_map: the nodes with memory, and init_cpu_to_node()'s node_set_online() of each
  // possible CPU's node (a memoryless node with CPUs: arch/x86/mm/numa.c, 5.10–7.2)
  const onlineNodes = [...new Set([...memoryNodes, ...(numa ? topo.cpuToNode : [])])].sort((a, b) => a - b);
  if (numa && zt.printsFallback) {
    // cpumask_of_node(): node_to_cpumask_map gets a CPU only from numa_add_cpu() in identify_cpu(),
    // which for the boot CPU runs in arch_cpu_finalize_init(), after build_all_zonelists() (5.10–7.2
    // init/main.c): at boot no node has CPUs, so PENALTY_FOR_NODE_WITH_CPUS never applies
    const withCpus = new Set<number>();
    const shift = Number(kernelConfig(ctx.kernel, 'NODES_SHIFT') ?? '0');
    // build_zonelists() for each online node; find_next_best_node() picks the local node first, then N_MEMORY nodes
    const orders = buildZonelists(memoryNodes, withCpus, onlineNodes, 1 << shift, topo.distance, zt.memorylessLocalFirst);
    for (const [node, order] of orders) {
      lines.push({
        stage: 'zonelists',
        fmt: 'zonelists.fallback',
        text: `Fallback order for Node ${node}: ${order.map((n) => `${n} `).join('')}`,
        explain: { order: [term('node order', order.join(' '), 'mm/page_alloc.c find_next_best_node(): node_distance (10 local, 20 remote; no SLIT; numa=fake= nodes of one physical node 10), +1 below local, ×MAX_NUMNODES, +node_load (no node has CPUs in its cpumask yet)')] },
      });
    }
  }
  if (!z) return lines; // Total pages needs the zones stage
  const { total, terms } = nrFreeZonePages(z);
  // mm/page_alloc.c build_all_zonelists(): mobility grouping off below pageblock_nr_pages * MIGRATE_TYPES
  const pageblockOrder = Number(pageblockOrderOf(ctx, 'zonelists'));
  const migrateTypes = configOn(ctx, 'CMA') ? (configOn(ctx, 'MEMORY_ISOLATION') ? 6 : 5) : configOn(ctx, 'MEMORY_ISOLATION') ? 5 : 4;
  const grouping = total < BigInt((1 << pageblockOrder) * migrateTypes) ? 'off' : 'on';
  lines.push({
    stage: 'zonelists',
    fmt: 'zonelists.built',
    text: `Built ${onlineNodes.length} zonelists, mobility grouping ${grouping}.  Total pages: ${total}`,
    explain: {
      zonelists: [term('nr_online_nodes', onlineNodes.length, 'include/linux/nodemask.h: num_node_state(N_ONLINE)')],
      grouping: [term('pageblock_nr_pages * MIGRATE_TYPES', (1 << pageblockOrder) * migrateTypes, 'mm/page_alloc.c build_all_zonelists(); include/linux/mmzone.h MIGRATE_TYPES')],
      total: [term('managed pages at init', zt.managedAtInit, zt.managedAtInit === 'freesize' ? 'mm/page_alloc.c free_area_init_core() (6.1): present − memmap − dma_reserve' : 'mm/mm_init.c free_area_init_core() (6.12): present_pages'), ...terms],
    },
  });
  if (numa) {
    // mm/page_alloc.c build_zonerefs_node() → check_highest_zone(): highest populated zone except Movable
    let policy = 0;
    for (const n of z.nodes) for (const zone of n.zones) if (zone.presentPages > 0n && zone.name !== 'Movable') policy = Math.max(policy, traits.zones.indexOf(zone.name));
    lines.push({
      stage: 'zonelists',
      fmt: 'zonelists.policy',
      text: `Policy zone: ${traits.zones[policy]}`,
      explain: { zone: [term('policy_zone', traits.zones[policy]!, 'mm/mempolicy.c check_highest_zone() via build_zonerefs_node()')] },
    });
  }
  return lines;
}

/** start_kernel() → build_all_zonelists(NULL) (5.10, 6.1): right after setup_per_cpu_areas(). */
export function zonelistsStartKernel(state: BootState, ctx: BootContext): StageResult {
  if (ctx.traits.zonelists.where !== 'start_kernel') return { state, lines: [] };
  return { state, lines: buildAllZonelists(state, ctx) };
}

/** mm_core_init() → build_all_zonelists(NULL) (6.12+): after the hash tables (and, in 7.2, after arch_mm_preinit). */
export function zonelistsMmCore(state: BootState, ctx: BootContext): StageResult {
  if (ctx.traits.zonelists.where !== 'mm_core_init') return { state, lines: [] };
  return { state, lines: buildAllZonelists(state, ctx) };
}
