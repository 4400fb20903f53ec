// models the counters a 3.0.1 state probe boot fixes at 0 by construction, as /proc/meminfo
// (fs/proc/meminfo.c meminfo_proc_show), /proc/zoneinfo (mm/vmstat.c zoneinfo_show_print, per
// populated zone) and /proc/vmstat (vmstat_show: the zone counters summed, then the vm_event_item
// counters) print them (3.0.1). The probe (qemu-scripts/initramfs/mini-init.ts on 3.0) mounts proc
// and sysfs, reads files and reboots: no swapon, no NFS, FUSE or disk mount, and the mini /init makes
// no system call but exit, read, write, open, close, mount, reboot and getdents. Every other counter
// counts the run or depends on reclaim having run, and stays unmodelled (harness/catalog/state-families.ts).
import type { Boot30Context } from './context-30.ts';
import { configEnabled } from '../../traits.ts';
import type { Zone30 } from './state-30.ts';

/** A counter the probe boot leaves at 0: its vmstat_text name, its meminfo line if any, and why. */
export interface ZeroCounter30 {
  readonly name: string;
  readonly meminfo?: string;
  readonly why: string;
  readonly source: string;
}

const NO_VM_LOCKED = 'a page is PageMlocked only in a VM_LOCKED vma (mlock, mlockall, MAP_LOCKED, mm->def_flags), and the mini /init calls none of them; kernel threads have no user vma';
const NO_SWAP = 'the probe never calls swapon: no swap area';

/**
 * The zone_stat_item counters fixed at 0 (include/linux/mmzone.h, 3.0.1), each printed per populated
 * zone and summed in vmstat; those with a meminfo line name it. Mlocked and Shmem rest on the mini
 * /init's system calls (traits.state.probeImage 'mini'); nr_anon_transparent_hugepages on a build
 * without TRANSPARENT_HUGEPAGE (PageTransHuge() is 0). Left out: nr_bounce (a bio on a request
 * queue: whether the build has a block driver is not in the facts) and nr_isolated_* (pages a reclaim
 * or migration holds off the LRU: 0 only if none runs at the read).
 */
export function zoneZeros30(ctx: Boot30Context): ZeroCounter30[] {
  const mini = ctx.traits.state.probeImage === 'mini';
  const out: ZeroCounter30[] = [];
  if (mini) out.push({ name: 'nr_mlock', meminfo: 'Mlocked', why: `NR_MLOCK: mlock_vma_page() counts a page of a VM_LOCKED vma; ${NO_VM_LOCKED}`, source: 'mm/mlock.c mlock_vma_page(), mm/internal.h mlock_vma_newpage() (3.0.1); qemu-scripts/initramfs/mini-init.ts SYS' });
  out.push(
    { name: 'nr_dirty', meminfo: 'Dirty', why: 'NR_FILE_DIRTY: account_page_dirtied() counts only in a mapping with dirty accounting (mapping_cap_account_dirty); rootfs is ramfs (BDI_CAP_NO_ACCT_AND_WRITEBACK, __set_page_dirty_no_writeback), proc and sysfs write no page cache, and nothing mounts a disk', source: 'mm/page-writeback.c account_page_dirtied(); fs/ramfs/inode.c ramfs_backing_dev_info, fs/ramfs/file-mmu.c ramfs_aops (3.0.1)' },
    { name: 'nr_writeback', meminfo: 'Writeback', why: `NR_WRITEBACK: account_page_writeback() runs from test_set_page_writeback(), on a page written back to a block device or swap; no mapping is dirty-accounted and ${NO_SWAP}`, source: 'mm/page-writeback.c account_page_writeback(), test_set_page_writeback() (3.0.1)' },
    { name: 'nr_unstable', meminfo: 'NFS_Unstable', why: 'NR_UNSTABLE_NFS: raised only by nfs_mark_request_commit(), on a page written to an NFS mount; the probe mounts only proc and sysfs', source: 'fs/nfs/write.c nfs_mark_request_commit() (3.0.1)' },
    { name: 'nr_vmscan_write', why: `NR_VMSCAN_WRITE: raised by pageout() after a ->writepage() for reclaim; ramfs pages are unevictable and have no writepage, an anon page without a swap area is activated, not written (${NO_SWAP}), and no block device's page cache exists to write`, source: 'mm/vmscan.c pageout(), shrink_page_list() (3.0.1)' },
    { name: 'nr_writeback_temp', meminfo: 'WritebackTmp', why: 'NR_WRITEBACK_TEMP: raised only by FUSE\'s writeback through a temporary page; the probe mounts no FUSE file system', source: 'fs/fuse/file.c fuse_writepage_locked() (3.0.1)' },
  );
  if (mini) out.push({ name: 'nr_shmem', meminfo: 'Shmem', why: 'NR_SHMEM: add_to_page_cache_locked() counts a PageSwapBacked page, i.e. a shmem page, and a shmem file comes only from a tmpfs mount, shmem_file_setup() or a shared anonymous or /dev/zero mmap (mmap_region, mmap_zero → shmem_zero_setup); the mini /init mounts proc and sysfs and calls no mmap', source: 'mm/filemap.c add_to_page_cache_locked(), mm/shmem.c shmem_zero_setup() (3.0.1)' });
  out.push(
    { name: 'nr_dirtied', why: 'NR_DIRTIED: raised beside NR_FILE_DIRTY in account_page_dirtied(), only in a dirty-accounted mapping; none exists here', source: 'mm/page-writeback.c account_page_dirtied() (3.0.1)' },
    { name: 'nr_written', why: 'NR_WRITTEN: raised beside NR_WRITEBACK in account_page_writeback(); nothing is written back', source: 'mm/page-writeback.c account_page_writeback() (3.0.1)' },
  );
  // include/linux/page-flags.h PageTransHuge() is 0 without CONFIG_TRANSPARENT_HUGEPAGE (3.0.1)
  if (!configEnabled(ctx.kernel, 'TRANSPARENT_HUGEPAGE')) out.push({ name: 'nr_anon_transparent_hugepages', why: 'NR_ANON_TRANSPARENT_HUGEPAGES: page_add_new_anon_rmap() and page_add_anon_rmap() count it only for a PageTransHuge() page, which a build without CONFIG_TRANSPARENT_HUGEPAGE never has', source: 'mm/rmap.c page_add_new_anon_rmap() (3.0.1)' });
  return out;
}

/** mm/vmstat.c TEXTS_FOR_ZONES() suffixes (3.0.1): TEXT_FOR_DMA "_dma", "_normal", TEXT_FOR_HIGHMEM "_high", "_movable". */
const ZONE_TEXT: Readonly<Record<Zone30['name'], string>> = { DMA: 'dma', Normal: 'normal', HighMem: 'high', Movable: 'movable' };
/** The FOR_ALL_ZONES() events (include/linux/vm_event_item.h, 3.0.1) and where each is counted. */
const ZONE_EVENTS: readonly (readonly [string, string])[] = [
  ['pgalloc', 'buffered_rmqueue() takes pages from'],
  ['pgrefill', 'shrink_active_list() scans'],
  ['pgsteal', 'shrink_inactive_list() reclaims from'],
  ['pgscan_kswapd', 'kswapd\'s shrink_inactive_list() scans'],
  ['pgscan_direct', 'direct reclaim\'s shrink_inactive_list() scans'],
];

/**
 * The vm_event_item counters fixed at 0 (include/linux/vm_event_item.h, CONFIG_VM_EVENT_COUNTERS;
 * 3.0.1): the swap I/O events; the per-zone events of every unpopulated zone (Movable without
 * kernelcore=, which the 3.0 envelope refuses; HighMem on a lowmem-only boot); on the mini /init
 * pgmajfault, unevictable_pgs_scanned (only scan_mapping_unevictable_pages(), from shmem_lock() for
 * SYSV shm's SHM_UNLOCK) and the mlock events (each counts a page entering or leaving PageMlocked,
 * which needs a VM_LOCKED vma). The reclaim events of a populated zone (pgscan, pgsteal, slabs_scanned,
 * kswapd_*, pageoutrun, allocstall, unevictable_pgs_culled/rescued, pgrotated) are left out: 0 only if
 * reclaim never ran, which no construction rule here gives.
 */
export function eventZeros30(ctx: Boot30Context, unpopulated: readonly Zone30['name'][]): ZeroCounter30[] {
  if (!configEnabled(ctx.kernel, 'VM_EVENT_COUNTERS')) return [];
  const out: ZeroCounter30[] = [
    { name: 'pswpin', why: `PSWPIN: counted only by swap_readpage(); ${NO_SWAP}`, source: 'mm/page_io.c swap_readpage() (3.0.1)' },
    { name: 'pswpout', why: `PSWPOUT: counted only by swap_writepage(); ${NO_SWAP}`, source: 'mm/page_io.c swap_writepage() (3.0.1)' },
  ];
  // the per-zone events of a zone with no present pages: no zonelist holds it (build_zonelists_node adds
  // populated zones only) and kswapd's balance_pgdat() and shrink_zones() skip !populated_zone()
  for (const z of unpopulated) {
    for (const [ev, where] of ZONE_EVENTS) out.push({ name: `${ev}_${ZONE_TEXT[z]}`, why: `${ev.toUpperCase()}_${ZONE_TEXT[z].toUpperCase()}: counted only for a zone ${where}, and zone ${z} has no present pages (populated_zone() false)`, source: 'mm/page_alloc.c buffered_rmqueue(), build_zonelists_node(); mm/vmscan.c shrink_inactive_list(), shrink_active_list(), shrink_zones(), balance_pgdat() (3.0.1)' });
  }
  if (ctx.traits.state.probeImage !== 'mini') return out;
  out.push({ name: 'pgmajfault', why: 'PGMAJFAULT: counted by filemap_fault() when the faulting file page is not in the page cache, by do_swap_page() on a swap entry and by shmem_fault(); the image\'s one program, /init, lives on rootfs, whose pages unpack_to_rootfs() wrote and a ramfs mapping never drops (unevictable, no ->writepage); no swap area, no shmem file', source: 'mm/filemap.c filemap_fault(), mm/memory.c do_swap_page(), mm/shmem.c shmem_fault() (3.0.1)' });
  const mlock = 'mm/mlock.c mlock_vma_page(), munlock_vma_page(), clear_page_mlock(); mm/internal.h; mm/page_alloc.c free_page_mlock() (3.0.1)';
  out.push(
    { name: 'unevictable_pgs_scanned', why: 'UNEVICTABLE_PGSCANNED: counted only by scan_mapping_unevictable_pages(), whose one caller shmem_lock() runs for SYSV shm\'s SHM_UNLOCK (shmctl); the mini /init makes no shmctl', source: 'mm/vmscan.c scan_mapping_unevictable_pages(), mm/shmem.c shmem_lock(), ipc/shm.c (3.0.1)' },
    { name: 'unevictable_pgs_mlocked', why: `UNEVICTABLE_PGMLOCKED: counted when a page becomes PageMlocked; ${NO_VM_LOCKED}`, source: mlock },
    { name: 'unevictable_pgs_munlocked', why: `UNEVICTABLE_PGMUNLOCKED: counted when munlock_vma_page() clears PageMlocked; ${NO_VM_LOCKED}`, source: mlock },
    { name: 'unevictable_pgs_cleared', why: `UNEVICTABLE_PGCLEARED: counted when clear_page_mlock() clears PageMlocked; ${NO_VM_LOCKED}`, source: mlock },
    { name: 'unevictable_pgs_stranded', why: `UNEVICTABLE_PGSTRANDED: counted when a PageMlocked page cannot be isolated on munlock; ${NO_VM_LOCKED}`, source: mlock },
    { name: 'unevictable_pgs_mlockfreed', why: `UNEVICTABLE_MLOCKFREED: counted when a PageMlocked page is freed; ${NO_VM_LOCKED}`, source: mlock },
  );
  return out;
}
