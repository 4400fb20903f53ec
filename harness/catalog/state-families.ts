// The state families (issue 13 item 3): what a state.log's /proc files hold, field by field, and
// which of those fields the simulator predicts (sim/stages/state/), which vary from boot to boot
// (volatile: never compared as exact, shown with their evidence), and which are deterministic but
// not modelled yet (listed and counted, never hidden). A golden field that no rule below names is
// "unclassified": the comparison reports it, so a new kernel's new line cannot pass unseen.
import type { StateFamily } from '../../sim/stages/state/index.ts';

/** Every /proc file of a state.log the comparison reads, with the family it feeds. */
export type StateFile = '/proc/zoneinfo' | '/proc/meminfo' | '/proc/pagetypeinfo' | '/proc/buddyinfo' | '/proc/vmstat' | '/proc/slabinfo' | '/proc/iomem' | '/sys/kernel/slab';

/** Every state family: the three the simulator predicts (StateFamily) and the files it does not model yet. */
export const STATE_FAMILY_IDS = ['zoneinfo', 'meminfo', 'pagetypeinfo', 'buddyinfo', 'vmstat', 'slabinfo', 'iomem', 'slab'] as const;
export type StateFamilyId = (typeof STATE_FAMILY_IDS)[number];

export const STATE_FILES: Readonly<Record<StateFile, StateFamilyId>> = {
  '/proc/zoneinfo': 'zoneinfo',
  '/proc/meminfo': 'meminfo',
  '/proc/pagetypeinfo': 'pagetypeinfo',
  '/proc/buddyinfo': 'buddyinfo',
  '/proc/vmstat': 'vmstat',
  '/proc/slabinfo': 'slabinfo',
  '/proc/iomem': 'iomem',
  '/sys/kernel/slab': 'slab',
};

/** How a golden state field is treated when the simulator does not predict it. */
export type StateClass = 'volatile' | 'unmodelled';

export interface StateRule {
  readonly family: StateFamilyId;
  /** Matches the field key harness/compare/state.ts gives (e.g. "Node 0, zone DMA32: pages free"). */
  readonly key: RegExp;
  readonly class: StateClass;
  readonly reason: string;
}

/**
 * The rules, first match wins. Volatile: seen to differ between boots of one profile (issue 13's
 * 12 boots: free pages, buddyinfo, pageset counts, slab object counts, MemFree) or moved by run-time
 * tuning (6.7+ pcp->high). Unmodelled: identical across boots, not predicted yet.
 */
export const STATE_RULES: readonly StateRule[] = [
  // zoneinfo
  { family: 'zoneinfo', key: /: pages free$/, class: 'volatile', reason: 'free pages depend on what ran before the probe read them' },
  { family: 'zoneinfo', key: /: (per-node|zone) (nr_|numa_|pg|workingset_|thp_)\w*$/, class: 'volatile', reason: 'the vmstat counters count run-time events and pages in use' },
  { family: 'zoneinfo', key: /: cpu \d+ count$/, class: 'volatile', reason: 'pages on the per-CPU lists at the read' },
  { family: 'zoneinfo', key: /: cpu \d+ high$/, class: 'volatile', reason: '6.7+ tunes pcp->high at run time (decay_pcp_high, nr_pcp_high); predicted only where it is fixed (5.10, 6.1). Not even [high_min, high_max] bounds it: the 6.12 q35 8G golden shows 0 and 252 under a high_min of 4 and 639' },
  { family: 'zoneinfo', key: /: node_unreclaimable$/, class: 'unmodelled', reason: 'kswapd_failures ≥ MAX_RECLAIM_RETRIES: 0 after a boot that never reclaimed; not predicted' },
  { family: 'zoneinfo', key: /: (reserved_highatomic|free_highatomic)$/, class: 'volatile', reason: 'highatomic reserves follow high-order atomic allocations at run time' },
  // meminfo
  { family: 'meminfo', key: /^(MemFree|MemAvailable|Buffers|Cached|SwapCached|Active|Inactive|Active\(anon\)|Inactive\(anon\)|Active\(file\)|Inactive\(file\)|Unevictable|Mlocked|Dirty|Writeback|AnonPages|Mapped|Shmem|KReclaimable|Slab|SReclaimable|SUnreclaim|KernelStack|PageTables|SecPageTables|NFS_Unstable|Bounce|WritebackTmp|Committed_AS|VmallocUsed|VmallocChunk|AnonHugePages|ShmemHugePages|ShmemPmdMapped|FileHugePages|FilePmdMapped|HighFree|LowFree|Zswap|Zswapped|Unaccepted|Balloon|GPUActive|GPUReclaim)$/, class: 'volatile', reason: 'pages in use and free at the read: run-time' },
  { family: 'meminfo', key: /^CmaFree$/, class: 'volatile', reason: 'free CMA pages at the read' },
  { family: 'meminfo', key: /^Percpu$/, class: 'unmodelled', reason: 'the first chunk plus the pages later dynamic chunks populated: not predicted (percpu.ts models the first chunk only)' },
  { family: 'meminfo', key: /^DirectMap(4k|2M|4M|1G)$/, class: 'volatile', reason: 'direct_pages_count after set_memory_*() split large pages: differed between boots (6.12 q35 2G, 3 boots: DirectMap4k 20348/22396/20348 kB)' },
  // pagetypeinfo
  { family: 'pagetypeinfo', key: /, type \w+: free$/, class: 'volatile', reason: 'free pages per order and migrate type at the read' },
  { family: 'pagetypeinfo', key: /: blocks (Unmovable|Movable|Reclaimable|HighAtomic|CMA|Isolate)$/, class: 'unmodelled', reason: 'which migrate type each pageblock has follows run-time fallback stealing; the total per zone is predicted' },
  // the files not modelled at all
  { family: 'buddyinfo', key: /./, class: 'volatile', reason: 'free blocks per order at the read' },
  { family: 'vmstat', key: /./, class: 'volatile', reason: 'run-time counters' },
  { family: 'slabinfo', key: /: (active_objs|num_objs|active_slabs|num_slabs)$/, class: 'volatile', reason: 'slab object counts at the read' },
  { family: 'slabinfo', key: /: (objsize|objperslab|pagesperslab)$/, class: 'unmodelled', reason: 'slab geometry of a cache the simulator does not size: predicted (sim/stages/state/slabinfo.ts) only on 6.12 and 7.2 for the caches alive at the late Memory: print whose slot late-allocs.ts derives from the facts; the caches created after the print, the others of BOOT_CACHES and every cache of 5.10, 6.1, 6.5, 6.16-6.18 (no BOOT_CACHES list read) are not' },
  { family: 'slabinfo', key: /: (limit|batchcount|sharedfactor|sharedavail)$/, class: 'unmodelled', reason: 'the tunables and sharedavail of a cache the simulator does not list: 0 under SLUB (cache_show() memsets sinfo, get_slabinfo() sets none of them), predicted (sim/stages/state/slabinfo.ts) for every cache late-allocs.ts lists; the caches it does not list are not' },
  { family: 'slab', key: /: (object_size|slab_size|objs_per_slab|order)$/, class: 'unmodelled', reason: 'SLUB geometry per cache (object_size, slab_size, objs_per_slab, order): not predicted yet' },
  { family: 'iomem', key: /./, class: 'unmodelled', reason: 'the iomem tree (e820, kernel sections, PCI windows, QEMU device resources): not predicted yet' },
];

/** The rule for a golden field the simulator does not predict, or undefined (unclassified). */
export function stateRuleFor(family: StateFamilyId, key: string): StateRule | undefined {
  return STATE_RULES.find((r) => r.family === family && r.key.test(key));
}
