// The state families (issue 13 item 3): what a state.log's /proc files hold, field by field, and
// which of those fields the simulator predicts (sim/stages/state/; a field the kernel tunes at run
// time is predicted as a range from its source rule), and which it does not (unmodelled, each with
// its reason: listed and counted, never hidden; harness/compare/state.ts tells those identical in
// every re-boot of the evidence apart). A golden field that no rule below names is
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

export interface StateRule {
  readonly family: StateFamilyId;
  /** Matches the field key harness/compare/state.ts gives (e.g. "Node 0, zone DMA32: pages free"). */
  readonly key: RegExp;
  /** Why the simulator does not predict it. */
  readonly reason: string;
}

const RUN_TIME = 'nothing in the model predicts it';

/**
 * The fields the simulator does not predict, first match wins, each with its reason. None is
 * "volatile": a field that varies between boots is either predicted with a bound (a range from a
 * source rule, harness/compare/state.ts 'within') or unmodelled, said so here. harness/compare/state.ts
 * counts an unmodelled field identical in every boot of the re-boot evidence as unmodelled-deterministic.
 */
export const STATE_RULES: readonly StateRule[] = [
  // zoneinfo
  { family: 'zoneinfo', key: /: pages free$/, reason: `free pages at the read, after init and the probe ran: the model follows free pages only up to the late Memory: line (6.12+, and outside its bound there); ${RUN_TIME} at the read` },
  { family: 'zoneinfo', key: /: (per-node|zone) (nr_|numa_|pg|workingset_|thp_)\w*$/, reason: `the vmstat counters count run-time events and pages in use: ${RUN_TIME} (nr_zspages and, on one node, numa_miss/numa_foreign/numa_other are predicted 0: sim/stages/state/vmstat.ts; on 3.0.1 nr_mlock, nr_dirty, nr_writeback, nr_unstable, nr_vmscan_write, nr_writeback_temp, nr_shmem, nr_dirtied, nr_written and nr_anon_transparent_hugepages: sim/stages/old/vmstat-30.ts; nr_bounce and nr_isolated_* are not)` },
  { family: 'zoneinfo', key: /: cpu \d+ count$/, reason: `pages on the per-CPU list at the read: its length follows every allocation and free and drains on a timer, ${RUN_TIME}` },
  { family: 'zoneinfo', key: /: node_unreclaimable$/, reason: 'kswapd_failures ≥ MAX_RECLAIM_RETRIES: 0 after a boot that never reclaimed; not predicted' },
  // 3.0.1's zoneinfo_show_print() lines (mm/vmstat.c)
  { family: 'zoneinfo', key: /: zone scanned$/, reason: `zone->pages_scanned: pages the reclaim scan looked at since the last free, ${RUN_TIME} (3.0.1)` },
  { family: 'zoneinfo', key: /: all_unreclaimable$/, reason: 'zone->all_unreclaimable: set by kswapd after a failed reclaim; 0 after a boot that never reclaimed, not predicted (3.0.1)' },
  { family: 'zoneinfo', key: /: (reserved_highatomic|free_highatomic)$/, reason: `highatomic reserves follow high-order atomic allocations at run time: ${RUN_TIME}` },
  // meminfo
  { family: 'meminfo', key: /^(SwapCached|Zswap|Zswapped|NFS_Unstable|WritebackTmp|VmallocChunk|Bounce)$/, reason: 'predicted 0 by the probe\'s construction on the 5.10+ pipeline (sim/stages/state/meminfo.ts probeZeros): Bounce only without CONFIG_HIGHMEM on 6.1+ (a highmem kernel may bounce a bio; 5.10\'s bounce_pfn rule is not read); on 3.0.1 SwapCached, NFS_Unstable, WritebackTmp and the computed VmallocChunk (VMALLOC_TOTAL: vmlist empty) are predicted (sim/stages/old/state-30-proc.ts probeZeros30), Bounce is not (NR_BOUNCE needs a bio on a request queue, and whether the build has a block driver is not in the facts)' },
  { family: 'meminfo', key: /^(MemFree|MemAvailable|Buffers|Cached|Active|Inactive|Active\(anon\)|Inactive\(anon\)|Active\(file\)|Inactive\(file\)|Unevictable|Mlocked|Dirty|Writeback|AnonPages|Mapped|Shmem|KReclaimable|Slab|SReclaimable|SUnreclaim|KernelStack|PageTables|SecPageTables|Committed_AS|VmallocUsed|AnonHugePages|ShmemHugePages|ShmemPmdMapped|FileHugePages|FilePmdMapped|HighFree|LowFree|Unaccepted|Balloon|GPUActive|GPUReclaim)$/, reason: `pages in use and free at the read (the initramfs in the page cache, init's and the probe's pages, the slabs): ${RUN_TIME} (on 3.0.1 Mlocked, Shmem, Dirty, Writeback and VmallocUsed are predicted 0: sim/stages/old/state-30-proc.ts)` },
  { family: 'meminfo', key: /^CmaFree$/, reason: `free CMA pages at the read: ${RUN_TIME}` },
  { family: 'meminfo', key: /^Percpu$/, reason: 'the first chunk plus the pages later dynamic chunks populated: not predicted (percpu.ts models the first chunk only)' },
  // pagetypeinfo
  { family: 'pagetypeinfo', key: /, type \w+: free$/, reason: `free pages per order and migrate type at the read: ${RUN_TIME}` },
  { family: 'pagetypeinfo', key: /: blocks (Unmovable|Movable|Reclaimable|HighAtomic|CMA|Isolate|Reserve)$/, reason: 'which migrate type each pageblock has follows run-time fallback stealing; the total per zone is predicted' },
  // the files not modelled at all
  { family: 'buddyinfo', key: /./, reason: `free blocks per order at the read: ${RUN_TIME}` },
  { family: 'vmstat', key: /./, reason: `run-time counters (nr_free_pages is the zones' pages free): ${RUN_TIME}; the counters the probe boot fixes at 0 (no swap, no zsmalloc user, no hugetlb pool, no drop_caches write, one node's NUMA misses and balancing, nr_unstable) are predicted by sim/stages/state/vmstat.ts (on 3.0.1 by sim/stages/old/vmstat-30.ts: the zone counters above, pswpin/pswpout, the pgalloc/pgrefill/pgsteal/pgscan events of an unpopulated zone, pgmajfault, unevictable_pgs_scanned and the mlock events; not the reclaim events of a populated zone, pgpgin/pgpgout, nr_bounce or the dirty thresholds). Left out: pgmajfault, oom_kill, compact_*, thp_*, unevictable_pgs_*, pgscan/pgsteal, 7.3's pgrotate_anon/pgrotate_file (reclaim's LRU rotations), zone_reclaim_* (no source rule here rules them out for this boot) and zswpwb; nr_bounce, nr_writeback_temp and nr_swapcached are predicted where the build has them (traits.state.counters)` },
  { family: 'slabinfo', key: /: (active_objs|num_objs|active_slabs|num_slabs)$/, reason: `slab object counts at the read: ${RUN_TIME}` },
  { family: 'slabinfo', key: /: (objsize|objperslab|pagesperslab)$/, reason: 'slab geometry of a cache the simulator does not size: predicted (sim/stages/state/slabinfo.ts) for every cache sim/stages/state/slab-create.ts creates from the series\' table of kmem_cache_create() calls (sim/stages/state/caches/) and sized from the facts: on the amd64 5.10, 6.1, 6.12, 6.16, 6.17, 6.18, 7.2 and 7.3 builds every call before the probe\'s read (5.10.ts, 6.1.ts, 6.12.ts with 6.12-post.ts, 6.16.ts, 6.17.ts and 6.18.ts with 6.18-post.ts, 7.2.ts with 7.2-post.ts, 7.3.ts with 7.3-post.ts); on the series without a table (6.5) the kmalloc caches, kmem_cache(_node) and the calls no merge can fold (late-allocs.ts UNMERGEABLE_EVERYWHERE); the 5.10 and 6.1 686 builds every call of 5.10.ts and 6.1.ts too (struct sizes from the DWARF of their -dbg package; with the i386 calls pgd_cache and the biosets of block/bounce.c), and the 6.5 686-pae build the kmalloc caches only (no -dbg package read); 3.0.1: kmem_cache_init()\'s kmem_cache, kmem_cache_node, kmalloc and dma-kmalloc caches (sim/stages/old/slab-30.ts), no later one. Not predicted: every cache of 6.5 not listed above' },
  { family: 'slabinfo', key: /: (limit|batchcount|sharedfactor|sharedavail)$/, reason: 'the tunables and sharedavail of a cache the simulator does not list: 0 under SLUB (cache_show() memsets sinfo, get_slabinfo() sets none of them), predicted (sim/stages/state/slabinfo.ts) for every cache the table\'s calls create (sized or not), and on 3.0.1 for kmem_cache_init()\'s caches (sim/stages/old/slab-30.ts); the caches of calls not in a table are not' },
  { family: 'slab', key: /: (object_size|slab_size|objs_per_slab|order)$/, reason: 'SLUB geometry of a /sys/kernel/slab directory the simulator does not predict: predicted (sim/stages/state/slabinfo.ts predictSlabSysfs) for the unmergeable caches it sizes, under their name, and the mergeable ones under create_unique_id()\'s ":<flags>-<size>" (mm/slub.c sysfs_slab_add; on 3.0.1 kmem_cache_init()\'s caches, sim/stages/old/slab-30.ts), whose object_size only where the table lists every call before the read (caches/index.ts tablePostComplete: the amd64 5.10, 6.1, 6.12, 6.16, 6.17, 6.18, 7.2 and 7.3 builds and the 5.10 and 6.1 686 ones; elsewhere an unlisted alias may raise it, __kmem_cache_alias); the directories of calls not in a table are not' },
  { family: 'iomem', key: /./, reason: 'a resource sim/stages/state/iomem.ts does not insert: acpi=off\'s legacy host-bridge probe and the BARs it claims, crashkernel=\'s "Crash kernel", devices beyond the capture\'s default set' },
];

/** The rule for a golden field the simulator does not predict, or undefined (unclassified). */
export function stateRuleFor(family: StateFamilyId, key: string): StateRule | undefined {
  return STATE_RULES.find((r) => r.family === family && r.key.test(key));
}
