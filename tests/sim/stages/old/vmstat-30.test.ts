// The counters a 3.0.1 probe boot fixes at 0 (sim/stages/old/vmstat-30.ts), on the seeds' build
// (tests/sim/stages/old/kernel-30.ts: no SWAP, no TRANSPARENT_HUGEPAGE; VM_EVENT_COUNTERS as the
// 3.0.1-i386-elf build sets it). The names are 3.0.1 mm/vmstat.c vmstat_text's.
import { describe, expect, test } from 'vitest';
import { eventZeros30, zoneZeros30 } from '../../../../sim/stages/old/vmstat-30.ts';
import type { Boot30Context } from '../../../../sim/stages/old/context-30.ts';
import { CONFIG_30_ELF, ctx30 } from './kernel-30.ts';

const mini = ctx30({}, { ...CONFIG_30_ELF, VM_EVENT_COUNTERS: 'y' });
// the same build had its probe been busybox's (whose applets are not read for mlock, mmap or shmctl)
const busybox = (c: Boot30Context): Boot30Context => ({ ...c, traits: { ...c.traits, state: { ...c.traits.state, probeImage: 'busybox' } } });
const names = (cs: readonly { name: string }[]): string[] => cs.map((c) => c.name);

describe('zoneZeros30', () => {
  test('zoneZeros30_mini: expect the ten zone_stat_items no path of this boot raises, in vmstat_text order', () => {
    expect(names(zoneZeros30(mini))).toEqual(['nr_mlock', 'nr_dirty', 'nr_writeback', 'nr_unstable', 'nr_vmscan_write', 'nr_writeback_temp', 'nr_shmem', 'nr_dirtied', 'nr_written', 'nr_anon_transparent_hugepages']);
  });

  test('zoneZeros30_meminfo: expect the six with a meminfo line to name it (Mlocked, Dirty, Writeback, NFS_Unstable, WritebackTmp, Shmem)', () => {
    expect(zoneZeros30(mini).flatMap((c) => (c.meminfo ? [c.meminfo] : []))).toEqual(['Mlocked', 'Dirty', 'Writeback', 'NFS_Unstable', 'WritebackTmp', 'Shmem']);
  });

  test('zoneZeros30_busybox: expect nr_mlock and nr_shmem left out (they rest on the mini /init\'s system calls)', () => {
    const n = names(zoneZeros30(busybox(mini)));
    expect([n.includes('nr_mlock'), n.includes('nr_shmem'), n.includes('nr_dirty')]).toEqual([false, false, true]);
  });

  test('zoneZeros30_thp: expect nr_anon_transparent_hugepages left out with TRANSPARENT_HUGEPAGE (PageTransHuge pages exist)', () => {
    expect(names(zoneZeros30(ctx30({}, { ...CONFIG_30_ELF, TRANSPARENT_HUGEPAGE: 'y' })))).not.toContain('nr_anon_transparent_hugepages');
  });

  test('zoneZeros30_noBounce: expect nr_bounce and nr_isolated_* never predicted', () => {
    expect(names(zoneZeros30(mini)).filter((n) => n === 'nr_bounce' || n.startsWith('nr_isolated'))).toEqual([]);
  });
});

describe('eventZeros30', () => {
  test('eventZeros30_mini: expect the swap I/O events, pgmajfault, unevictable_pgs_scanned and the five mlock events (every zone populated)', () => {
    expect(names(eventZeros30(mini, []))).toEqual(['pswpin', 'pswpout', 'pgmajfault', 'unevictable_pgs_scanned', 'unevictable_pgs_mlocked', 'unevictable_pgs_munlocked', 'unevictable_pgs_cleared', 'unevictable_pgs_stranded', 'unevictable_pgs_mlockfreed']);
  });

  test('eventZeros30_unpopulated: expect the five FOR_ALL_ZONES events of each zone without present pages (HighMem "_high", Movable "_movable"), after the swap events', () => {
    expect(names(eventZeros30(busybox(mini), ['HighMem', 'Movable']))).toEqual([
      'pswpin', 'pswpout',
      'pgalloc_high', 'pgrefill_high', 'pgsteal_high', 'pgscan_kswapd_high', 'pgscan_direct_high',
      'pgalloc_movable', 'pgrefill_movable', 'pgsteal_movable', 'pgscan_kswapd_movable', 'pgscan_direct_movable',
    ]);
  });

  test('eventZeros30_busybox: expect the swap events only', () => {
    expect(names(eventZeros30(busybox(mini), []))).toEqual(['pswpin', 'pswpout']);
  });

  test('eventZeros30_noEventCounters: expect none without VM_EVENT_COUNTERS (vmstat_text has no event names)', () => {
    expect(eventZeros30(ctx30({}, CONFIG_30_ELF), ['Movable'])).toEqual([]);
  });
});
