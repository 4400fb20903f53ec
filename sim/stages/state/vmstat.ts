// models the /proc/vmstat and /proc/zoneinfo counters the probe boot fixes by construction (mm/vmstat.c
// vmstat_show and zoneinfo_show_print, 5.10 … 7.2): the probe's /init (qemu-scripts/initramfs/image.ts
// initScript) mounts proc and sysfs, cats files and powers off, so no swap area, no zsmalloc user, no
// hugetlb pool and no drop_caches write exist, and on one node no allocation can miss its node. Every
// other counter counts the run (allocations, faults, LRU moves) and stays unmodelled
// (harness/catalog/state-families.ts).
import type { BootContext } from '../../boot.ts';
import type { ExplainTerm } from '../../types.ts';
import { configEnabled, kernelConfig } from '../../traits.ts';
import { bootCommandLine, parseParams } from '../cmdline.ts';
import type { ZoneinfoState } from './zoneinfo.ts';
import type { StateField } from './index.ts';

/** One counter fixed at 0: its vmstat_text name and why. */
interface ZeroCounter {
  readonly name: string;
  readonly why: string;
  readonly source: string;
}

const NO_SWAP = 'the probe never calls swapon: no swap area, so no page is swapped out or in';

/**
 * The zone and NUMA counters fixed at 0, printed per populated zone in zoneinfo and summed in vmstat.
 * numa_miss/numa_foreign/numa_other: zone_statistics() counts NUMA_MISS (and NUMA_FOREIGN on the
 * preferred zone) only when the zone's node differs from the preferred zone's, NUMA_OTHER only when it
 * differs from numa_node_id(); with one node online neither can (mm/page_alloc.c 6.1, 6.12, 7.2).
 */
function zoneCounters(ctx: BootContext, zi: ZoneinfoState): ZeroCounter[] {
  const out: ZeroCounter[] = [];
  // include/linux/mmzone.h: NR_ZSPAGES under IS_ENABLED(CONFIG_ZSMALLOC) (5.10 … 7.2)
  const zsmalloc = kernelConfig(ctx.kernel, 'ZSMALLOC');
  if (zsmalloc === 'y' || zsmalloc === 'm') {
    out.push({ name: 'nr_zspages', why: `NR_ZSPAGES: raised only by zsmalloc's alloc_zspage() under zs_malloc(), whose users are zswap (on a swap-out: ${NO_SWAP}) and zram (a block device the probe never writes)`, source: 'mm/zsmalloc.c: alloc_zspage() (6.12, 7.2)' });
  }
  // NR_BOUNCE (traits.state.counters.nrBounce): raised only by block/bounce.c for a highmem page, as meminfo's Bounce (meminfo.ts probeZeros)
  if (ctx.traits.state.counters.nrBounce && ctx.traits.state.bounceHighmemOnly && !ctx.traits.highmem) {
    out.push({ name: 'nr_bounce', why: 'NR_BOUNCE: __blk_queue_bounce() bounces only a PageHighMem() page, and a kernel without CONFIG_HIGHMEM has none', source: 'block/bounce.c: __blk_queue_bounce() (6.1, 6.12)' });
  }
  if (configEnabled(ctx.kernel, 'NUMA') && oneNode(ctx, zi)) {
    const src = 'mm/page_alloc.c: zone_statistics() (6.1, 6.12, 7.2)';
    out.push({ name: 'numa_miss', why: 'NUMA_MISS: counted only when the zone\'s node is not the preferred zone\'s; one node online', source: src });
    out.push({ name: 'numa_foreign', why: 'NUMA_FOREIGN: counted on the preferred zone only with a NUMA_MISS; one node online', source: src });
    out.push({ name: 'numa_other', why: 'NUMA_OTHER: counted only when the zone\'s node is not numa_node_id(); one node online', source: src });
  }
  return out;
}

/**
 * The node counters fixed at 0, printed in zoneinfo's "per-node stats" of each node's first populated zone
 * (mm/vmstat.c zoneinfo_show_print() is_zone_first_populated()) and summed in vmstat: the same counters as
 * meminfo's WritebackTmp and SwapCached (meminfo.ts probeZeros), where the build has them (traits.state.counters).
 */
function nodeCounters(ctx: BootContext): ZeroCounter[] {
  const out: ZeroCounter[] = [];
  if (ctx.traits.state.counters.nrWritebackTemp) {
    out.push({ name: 'nr_writeback_temp', why: 'NR_WRITEBACK_TEMP: raised only by FUSE\'s writeback through a temporary page, and the probe mounts no FUSE file system', source: 'fs/fuse/file.c: fuse_writepage_locked(), fuse_writepages_fill() (6.1), fuse_writepage_args_page_fill() (6.12)' });
  }
  if (ctx.traits.state.counters.nrSwapcached && configEnabled(ctx.kernel, 'SWAP')) {
    out.push({ name: 'nr_swapcached', why: `NR_SWAPCACHE: a folio enters the swap cache only with a swap entry from a swap area (add_to_swap_cache); ${NO_SWAP}`, source: 'mm/swap_state.c: add_to_swap_cache() (6.1, 6.12); mm/vmstat.c vmstat_text (CONFIG_SWAP)' });
  }
  return out;
}

/** One online node: zoneinfo lists every online pgdat (memoryless nodes with CPUs included), and no numa= emulation. */
function oneNode(ctx: BootContext, zi: ZoneinfoState): boolean {
  const nodes = new Set(zi.zones.map((z) => z.node));
  return nodes.size === 1 && !parseParams(bootCommandLine(ctx.spec)).some((p) => p.param === 'numa');
}

/**
 * NUMA balancing never enabled: one node and neither numa_balancing= nor sysctl.kernel.numa_balancing=
 * (do_sysctl_args). sim/stages/cmdline.ts refuses both today (not reviewed); the check keeps a later review from making these counters wrong.
 */
function numaBalancingOff(ctx: BootContext, zi: ZoneinfoState): boolean {
  return oneNode(ctx, zi) && !parseParams(bootCommandLine(ctx.spec)).some((p) => p.param === 'numa_balancing' || p.param === 'sysctl.kernel.numa_balancing');
}

/** The vmstat-only counters fixed at 0 or printed as a literal. */
function vmstatOnly(ctx: BootContext, zi: ZoneinfoState): ZeroCounter[] {
  const out: ZeroCounter[] = [];
  // mm/vmstat.c vmstat_text: the vm_event_item names under CONFIG_VM_EVENT_COUNTERS (6.1, 6.12, 7.2)
  if (configEnabled(ctx.kernel, 'VM_EVENT_COUNTERS')) {
    const io = 'mm/page_io.c: PSWPOUT on the swap write path (count_swpout_vm_event, 6.12), PSWPIN on the swap read paths (swap_readpage 6.1, swap_read_folio_bdev_* 6.12, sio_read_complete 7.2)';
    out.push({ name: 'pswpin', why: `PSWPIN: counted only when a page is read back from a swap area; ${NO_SWAP}`, source: io });
    out.push({ name: 'pswpout', why: `PSWPOUT: counted only when a page is written to a swap area; ${NO_SWAP}`, source: io });
    const drop = 'fs/drop_caches.c: drop_caches_sysctl_handler() (6.1, 6.12, 7.2)';
    out.push({ name: 'drop_pagecache', why: 'DROP_PAGECACHE: counted only by a write to /proc/sys/vm/drop_caches; the probe writes only /proc/sys/kernel/printk', source: drop });
    out.push({ name: 'drop_slab', why: 'DROP_SLAB: counted only by a write to /proc/sys/vm/drop_caches; the probe writes only /proc/sys/kernel/printk', source: drop });
    if (configEnabled(ctx.kernel, 'HUGETLB_PAGE')) {
      // hugepages= is refused (meminfo.ts predictMeminfo), so the pool starts and stays empty
      const htlb = 'mm/hugetlb.c: alloc_buddy_huge_page() (6.1), alloc_buddy_hugetlb_folio() (6.12), alloc_buddy_frozen_folio() (7.2)';
      out.push({ name: 'htlb_buddy_alloc_success', why: 'HTLB_BUDDY_PGALLOC: counted only when the hugetlb pool grows from the buddy allocator: no hugepages=, no nr_hugepages write, no hugetlbfs mount', source: htlb });
      out.push({ name: 'htlb_buddy_alloc_fail', why: 'HTLB_BUDDY_PGALLOC_FAIL: counted only when such a pool growth fails; the pool never grows', source: htlb });
    }
    if (configEnabled(ctx.kernel, 'SWAP')) {
      const ra = 'mm/swap_state.c: swap_cache_get_folio() → SWAP_RA_HIT, swap readahead → SWAP_RA (6.1, 6.12, 7.2)';
      out.push({ name: 'swap_ra', why: `SWAP_RA: counted only for a page swap readahead read; ${NO_SWAP}`, source: ra });
      out.push({ name: 'swap_ra_hit', why: `SWAP_RA_HIT: counted only when a swap fault finds a readahead page; ${NO_SWAP}`, source: ra });
      if (ctx.traits.state.swapSubmitEvents) {
        const sub = 'mm/page_io.c: swap_read_submit() → NRSWPIN, swap_write_submit() → NRSWPOUT (7.3)';
        out.push({ name: 'nrswpin', why: `NRSWPIN: counted only when a swap read is submitted to a swap area; ${NO_SWAP}`, source: sub });
        out.push({ name: 'nrswpout', why: `NRSWPOUT: counted only when a swap write is submitted to a swap area; ${NO_SWAP}`, source: sub });
      }
    }
    if (ctx.traits.state.zswapStats && configEnabled(ctx.kernel, 'ZSWAP')) {
      const zs = 'mm/zswap.c: zswap_store() → ZSWPOUT, zswap_load() → ZSWPIN (6.12)';
      out.push({ name: 'zswpin', why: `ZSWPIN: counted only when a swapped-out page is loaded back from zswap; ${NO_SWAP}`, source: zs });
      out.push({ name: 'zswpout', why: `ZSWPOUT: counted only when zswap stores a page being swapped out; ${NO_SWAP}`, source: zs });
    }
    if (configEnabled(ctx.kernel, 'NUMA_BALANCING') && numaBalancingOff(ctx, zi)) {
      const nb = 'mm/mempolicy.c: check_numabalancing_enable() enables it only with more than one node online or numa_balancing= (6.1, 6.12, 7.2)';
      const why = 'automatic NUMA balancing stays off on one node (no numa_balancing=, no kernel.numa_balancing write), so task_numa_work() never marks a PTE and no NUMA hinting fault happens';
      for (const n of ['numa_pte_updates', 'numa_huge_pte_updates', 'numa_hint_faults', 'numa_hint_faults_local', 'numa_pages_migrated']) out.push({ name: n, why, source: nb });
    }
  }
  out.push(
    { name: 'nr_unstable', why: 'a literal "nr_unstable 0" printed after the last counter for userspace that reads it (NR_UNSTABLE_NFS folded into NR_WRITEBACK, 5.8)', source: 'mm/vmstat.c: vmstat_show() (6.1, 6.12, 7.2)' },
  );
  return out;
}

/** The zoneinfo ("<zone>: zone <name>", populated zones only) and vmstat fields of the counters fixed at 0. */
export function predictProbeCounters(ctx: BootContext, zi: ZoneinfoState): StateField[] {
  const out: StateField[] = [];
  const term = (c: ZeroCounter, scope: string): ExplainTerm[] => [{ name: `${c.why} (${scope})`, value: 0, source: c.source }];
  const zone = zoneCounters(ctx, zi);
  for (const z of zi.zones) {
    // mm/vmstat.c zoneinfo_show_print(): an unpopulated zone prints no counters (6.12)
    if (!z.populated) continue;
    for (const c of zone) out.push({ family: 'zoneinfo', key: `Node ${z.node}, zone ${z.zone}: zone ${c.name}`, value: '0', explain: term(c, 'this zone') });
  }
  const node = nodeCounters(ctx);
  const firstOfNode = new Set<number>();
  for (const z of zi.zones) {
    if (!z.populated || firstOfNode.has(z.node)) continue;
    firstOfNode.add(z.node);
    for (const c of node) out.push({ family: 'zoneinfo', key: `Node ${z.node}, zone ${z.zone}: per-node ${c.name}`, value: '0', explain: term(c, 'this node') });
  }
  for (const c of [...zone, ...node, ...vmstatOnly(ctx, zi)]) out.push({ family: 'vmstat', key: c.name, value: '0', explain: term(c, 'summed over the zones') });
  return out;
}
