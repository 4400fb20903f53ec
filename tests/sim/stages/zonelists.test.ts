// Stage tests for sim/stages/zonelists.ts, mm/page_alloc.c build_all_zonelists() → build_zonelists()
// with find_next_best_node(), and nr_free_zone_pages() (5.10.223, 6.1.192, 6.12.115, 7.2.13). The
// node orders asserted are the ones the real kernels print in the NUMA goldens (4 nodes:
// x86_64-6.12-pc-4g-numa4; memoryless: x86_64-6.1-pc-2g-numa2-memless, x86_64-6.12-pc-2g-numa2-memless,
// x86_64-7.2-pc-2g-numa3-memless), and follow from the rule: the local node first, then the least
// val = (node_distance + (n < local) + PENALTY_FOR_NODE_WITH_CPUS) × MAX_NUMNODES + node_load[n].
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { buildZonelists, nrFreeZonePages, zonelistsMmCore, zonelistsStartKernel } from '../../../sim/stages/zonelists.ts';
import type { NodeZones, ZoneInfo } from '../../../sim/stages/zones.ts';
import { withSlice, slice } from '../../../sim/state.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const GiB = 2 ** 30;
const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: 2 * GiB, memoryText: '2G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const ctxOf = (kernel: string, o: Partial<MachineSpec> = {}): BootContext => bootContext({ spec: spec(kernel, o), kernel: loadKernelWithFacts(kernel) });
/** MAX_NUMNODES of the Debian x86_64 builds: 1 << CONFIG_NODES_SHIFT (10). */
const MAX_NUMNODES = 1024;
const orders = (m: Map<number, number[]>): [number, number[]][] => [...m.entries()];

describe('buildZonelists (build_zonelists / find_next_best_node)', () => {
  // expect the round robin the 6.12 kernel prints for four equal nodes: 0 1 2 3, 1 2 3 0, 2 3 0 1, 3 0 1 2
  // (a lower node costs +1, so each node's followers start above it)
  test('zonelists_four_nodes_round_robin', () => {
    expect(orders(buildZonelists([0, 1, 2, 3], new Set(), [0, 1, 2, 3], MAX_NUMNODES))).toEqual([
      [0, [0, 1, 2, 3]], [1, [1, 2, 3, 0]], [2, [2, 3, 0, 1]], [3, [3, 0, 1, 2]],
    ]);
  });

  // expect three nodes as the kernels print them: 0 1 2, 1 2 0, 2 0 1
  test('zonelists_three_nodes_round_robin', () => {
    expect(orders(buildZonelists([0, 1, 2], new Set(), [0, 1, 2], MAX_NUMNODES))).toEqual([[0, [0, 1, 2]], [1, [1, 2, 0]], [2, [2, 0, 1]]]);
  });

  // expect a node with CPUs to go after an equally distant one without (PENALTY_FOR_NODE_WITH_CPUS 1, × MAX_NUMNODES)
  test('zonelists_cpu_penalty: expect node 1 (with CPUs) last from node 0', () => {
    expect(buildZonelists([0, 1, 2, 3], new Set([1]), [0], MAX_NUMNODES).get(0)).toEqual([0, 2, 3, 1]);
  });

  // expect node_load[] (shared across one build_all_zonelists) to break a tie: after node 1's list
  // (1, then 2 at the step from distance 10 to 20, so node_load[2] = 1, then 3 0), node 0 finds 1, 2 and 3
  // at 20 × MAX_NUMNODES and 2 one more: 0 1 3 2; built alone, node 0 is 0 1 2 3
  test('zonelists_node_load_breaks_ties: expect 0 1 3 2 after node 1, 0 1 2 3 alone', () => {
    expect(buildZonelists([0, 1, 2, 3], new Set(), [1, 0], MAX_NUMNODES).get(0)).toEqual([0, 1, 3, 2]);
    expect(buildZonelists([0, 1, 2, 3], new Set(), [0], MAX_NUMNODES).get(0)).toEqual([0, 1, 2, 3]);
  });

  // expect a memoryless local node first on 6.1 ("1 0") and skipped from 6.12 ("0"): 6.12's
  // find_next_best_node() takes the local node only if node_state(node, N_MEMORY)
  test('zonelists_memoryless_local_node: expect 1 0 with memorylessLocalFirst, 0 without', () => {
    const dist = (a: number, b: number): number => (a === b ? 10 : 20);
    expect(orders(buildZonelists([0], new Set(), [0, 1], MAX_NUMNODES, dist, true))).toEqual([[0, [0]], [1, [1, 0]]]);
    expect(orders(buildZonelists([0], new Set(), [0, 1], MAX_NUMNODES, dist, false))).toEqual([[0, [0]], [1, [0]]]);
  });

  // expect 7.2's three nodes with memoryless node 1 as printed: 0 2, 2 0, 2 0 (node 0 costs +1 from node 1)
  test('zonelists_memoryless_middle_node_7_2: expect 0 2, 2 0, 2 0', () => {
    expect(orders(buildZonelists([0, 2], new Set(), [0, 1, 2], MAX_NUMNODES, undefined, false))).toEqual([[0, [0, 2]], [1, [2, 0]], [2, [2, 0]]]);
  });
});

const zone = (name: ZoneInfo['name'], idx: number, present: bigint, managed: bigint): ZoneInfo => ({ name, idx, startPfn: 0n, spannedPages: present, presentPages: present, memmapPages: 0n, managedAtInit: managed });
const node = (nid: number, zones: ZoneInfo[]): NodeZones => ({ node: nid, startPfn: 0n, endPfn: 0n, spannedPages: 0n, presentPages: zones.reduce((n, z) => n + z.presentPages, 0n), zones });

describe('nrFreeZonePages (nr_free_zone_pages at boot)', () => {
  // expect Σ managed pages of the populated zones on every node (no watermark yet); an empty zone adds nothing even with managed pages set
  test('free_zone_pages_sum_populated_zones: expect 3998 + 253952 + 262144 over two nodes, the empty zone ignored', () => {
    const z = { nodes: [node(0, [zone('DMA', 0, 3999n, 3998n), zone('DMA32', 1, 258048n, 253952n), zone('Normal', 2, 0n, 7n)]), node(1, [zone('Normal', 2, 262144n, 262144n)])] };
    const r = nrFreeZonePages(z);
    expect(r.total).toBe(3998n + 253952n + 262144n);
    expect(r.terms.map((t) => t.name)).toEqual(['node 0 DMA managed', 'node 0 DMA32 managed', 'node 1 Normal managed']);
  });
});

describe('zonelist stages on the real pipeline', () => {
  const upTo = (ctx: BootContext, run: typeof zonelistsStartKernel) => simulate(ctx, stagesBefore(run)).state;

  // expect 6.1 to print from start_kernel (after setup_per_cpu_areas) and not from mm_core_init; one node: no
  // Fallback line is printed only with CONFIG_NUMA, Built 1 zonelists, grouping on, and the policy zone
  test('zonelists_position_6_1: expect the lines at start_kernel, none at mm_core_init', () => {
    const ctx = ctxOf('6.1-amd64');
    const state = upTo(ctx, zonelistsStartKernel);
    const texts = zonelistsStartKernel(state, ctx).lines.map((l) => l.text);
    expect(texts[0]).toBe('Fallback order for Node 0: 0 ');
    expect(texts[1]).toMatch(/^Built 1 zonelists, mobility grouping on\.  Total pages: \d+$/);
    expect(texts[2]).toBe('Policy zone: DMA32');
    expect(zonelistsMmCore(state, ctx).lines).toEqual([]);
  });

  // expect 6.12 the other way round: nothing at start_kernel, the lines from mm_core_init
  test('zonelists_position_6_12: expect none at start_kernel, the lines at mm_core_init', () => {
    const ctx = ctxOf('6.12-amd64');
    expect(zonelistsStartKernel(upTo(ctx, zonelistsStartKernel), ctx).lines).toEqual([]);
    expect(zonelistsMmCore(upTo(ctx, zonelistsMmCore), ctx).lines.map((l) => l.fmt)).toEqual(['zonelists.fallback', 'zonelists.built', 'zonelists.policy']);
  });

  // expect mobility grouping off when the free pages are below pageblock_nr_pages × MIGRATE_TYPES
  // (mm/page_alloc.c build_all_zonelists(); 6.1-amd64: pageblock_order 9, MEMORY_ISOLATION without CMA:
  // include/linux/mmzone.h MIGRATE_UNMOVABLE, MOVABLE, RECLAIMABLE, HIGHATOMIC, ISOLATE, so 512 × 5 = 2560)
  test('zonelists_mobility_grouping_threshold: expect off at 2559 free pages, on at 2560', () => {
    const ctx = ctxOf('6.1-amd64');
    const state = upTo(ctx, zonelistsStartKernel);
    const zones = slice(state, 'zones');
    const built = (pages: bigint): string | undefined => {
      const z = { ...zones, nodes: [node(0, [zone('DMA32', 1, pages, pages)])] };
      return zonelistsStartKernel(withSlice(state, 'zones', z), ctx).lines.find((l) => l.fmt === 'zonelists.built')?.text;
    };
    expect(built(2559n)).toBe('Built 1 zonelists, mobility grouping off.  Total pages: 2559');
    expect(built(2560n)).toBe('Built 1 zonelists, mobility grouping on.  Total pages: 2560');
  });
});
