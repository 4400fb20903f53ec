import { describe, expect, test } from 'vitest';
import {
  calculateMinFreeKbytes, calculateNormalThreshold, fls, intSqrt, nrFreeBufferPages, recommendedMinFreeKbytes,
  setupPerZoneLowmemReserve, setupPerZoneWmarks, zoneBatchsize, zoneHighsize, type WmarkZone,
} from '../../../../sim/stages/state/watermarks.ts';
import type { StateTraits } from '../../../../sim/traits.ts';

const T61: StateTraits = { batchsize: 'quarter-mb', pagesetHigh: 'low-split', wmarkMovableAsHighmem: false, hypervDecryptedPage: false, lowmemReserveFollowsManaged: false, probeImage: 'busybox', zoneinfoPrints: { boostCma: true, promo: false, highMinMax: false }, zswapStats: true, swapSubmitEvents: false, bounceHighmemOnly: true, counters: { nrBounce: true, nrWritebackTemp: true, nrSwapcached: true }, iomem: { lapicAt: 'phys', mmcfgName: 'PCI MMCONFIG', motherboardResources: 'pnp-system' }, slabCacheTable: 'unread' };
const T612: StateTraits = { ...T61, pagesetHigh: 'tuned', wmarkMovableAsHighmem: true };
const z = (name: WmarkZone['name'], managed: bigint): WmarkZone => ({ name, managed, present: managed });

describe('int_sqrt / fls', () => {
  test.each([
    // expect: floor of the square root, exact at squares and just below them
    [0n, 0n], [1n, 1n], [3n, 1n], [4n, 2n], [7351232n, 2711n], [(1n << 52n) - 1n, (1n << 26n) - 1n], [1n << 52n, 1n << 26n],
  ])('int_sqrt_%s', (x, r) => expect(intSqrt(x)).toBe(r));
  test.each([[0n, 0n], [1n, 1n], [2n, 2n], [3n, 2n], [8n, 4n]])('fls_%s', (x, r) => expect(fls(x)).toBe(r));
});

describe('calculate_min_free_kbytes', () => {
  test.each([
    // expect: the 6.1 pc 512M boot's 114863 user pages → int_sqrt(459452 × 16) = 2711
    ['pc_512m', 459452n, 2711n],
    // expect: the clamps: 128 at the bottom, 262144 at the top
    ['floor', 100n, 128n],
    ['ceiling', 1n << 34n, 262144n],
  ])('%s', (_n, kb, want) => expect(calculateMinFreeKbytes(kb)).toBe(want));
});

describe('__setup_per_zone_wmarks', () => {
  test('wmarks_pc_512m', () => {
    // expect: the 6.1 pc 512M numbers: DMA 22/27/32, DMA32 654/817/980 from min_free_kbytes 2711
    const w = setupPerZoneWmarks([z('DMA', 3840n), z('DMA32', 111032n)], 2711n, T61);
    expect(w.map((x) => [x.min, x.low, x.high])).toEqual([[22n, 27n, 32n], [654n, 817n, 980n]]);
  });
  test('wmarks_highmem_capped', () => {
    // expect: HighMem's min is managed/1024 clamped to [32, 128] and it is left out of lowmem_pages
    const w = setupPerZoneWmarks([z('DMA', 4000n), z('Normal', 200000n), z('HighMem', 10000n)], 4000n, T61);
    expect(w[2]!.min).toBe(32n);
    expect(w[0]!.lowmemPages).toBe(204000n);
    const big = setupPerZoneWmarks([z('Normal', 200000n), z('HighMem', 500000n)], 4000n, T61);
    expect(big[1]!.min).toBe(128n);
  });
  test('wmarks_scale_factor_wins', () => {
    // expect: with a large zone the step is managed × 10 / 10000, not share / 4
    const w = setupPerZoneWmarks([z('Normal', 4_000_000n)], 1000n, T61);
    expect(w[0]!.low - w[0]!.min).toBe(4000n);
  });
  test('wmarks_movable_of_highmem', () => {
    // expect: with movable_zone ZONE_HIGHMEM (i386) an empty ZONE_MOVABLE is highmem: min 32 = low = high
    const w = setupPerZoneWmarks([z('DMA', 4000n), z('Normal', 200000n), z('HighMem', 10000n), z('Movable', 0n)], 4000n, T61, 'HighMem');
    expect([w[3]!.min, w[3]!.low, w[3]!.high]).toEqual([32n, 32n, 32n]);
    expect(setupPerZoneWmarks([z('DMA32', 1000n), z('Movable', 0n)], 4000n, T61, 'DMA32')[1]!.min).toBe(0n);
  });
  test('wmarks_movable_6_12', () => {
    // expect: 6.12 caps ZONE_MOVABLE like highmem and leaves it out of lowmem_pages; 6.1 counts it
    const zones = [z('DMA32', 100000n), z('Movable', 100000n)];
    expect(setupPerZoneWmarks(zones, 4000n, T612)[1]!.min).toBe(97n);
    expect(setupPerZoneWmarks(zones, 4000n, T61)[1]!.min).toBe(500n);
  });
});

describe('setup_per_zone_lowmem_reserve', () => {
  test('reserve_pc_512m', () => {
    // expect: DMA keeps 111032 / 256 = 433 against every higher class; DMA32 keeps nothing (no managed above it)
    const r = setupPerZoneLowmemReserve([z('DMA', 3840n), z('DMA32', 111032n), z('Normal', 0n), z('Movable', 0n), z('Device', 0n)]);
    expect(r[0]).toEqual([0n, 433n, 433n, 433n, 433n]);
    expect(r[1]).toEqual([0n, 0n, 0n, 0n, 0n]);
  });
  test('reserve_empty_zone_cleared', () => {
    // expect: a zone without managed pages reserves nothing; HighMem's ratio is 0
    const r = setupPerZoneLowmemReserve([z('DMA', 0n), z('Normal', 1000n), z('HighMem', 3200n), z('Movable', 0n)]);
    expect(r[0]).toEqual([0n, 0n, 0n, 0n]);
    expect(r[1]).toEqual([0n, 0n, 100n, 100n]);
    expect(r[2]).toEqual([0n, 0n, 0n, 0n]);
  });
});

describe('zone_batchsize / zone_highsize / calculate_normal_threshold', () => {
  test.each([
    // expect: 6.1 DMA32 111032 >> 10 = 108, / 4 = 27, 27 + 13 = 40 → 32 − 1 = 31; DMA 0 → 1 → 0 (the pageset takes 1)
    ['quarter_dma32', 111032n, 'quarter-mb', 31n], ['quarter_dma', 3840n, 'quarter-mb', 0n],
    // expect: the 1 MiB cap: 256 / 4 = 64 → 96 → 63
    ['quarter_cap', 10_000_000n, 'quarter-mb', 63n],
    // expect: 7.2: 111032 >> 12 = 27 → 40 → 31; tiny zones 1; the 64 cap → 96 → 63
    ['small_dma32', 111032n, 'small', 31n], ['small_dma', 3840n, 'small', 1n], ['small_cap', 10_000_000n, 'small', 63n],
  ] as const)('batch_%s', (_n, managed, rule, want) => expect(zoneBatchsize(managed, rule)).toBe(want));
  test('highsize', () => {
    // expect: low 817 over 2 CPUs = 408; at least 4 × batch; a CPU-less node splits over all online CPUs
    expect(zoneHighsize(817n, 111032n, 31n, 2n, 2n, 0n)).toBe(408n);
    expect(zoneHighsize(27n, 3840n, 1n, 2n, 2n, 0n)).toBe(13n);
    expect(zoneHighsize(20n, 3840n, 31n, 2n, 2n, 0n)).toBe(124n);
    expect(zoneHighsize(800n, 100000n, 1n, 0n, 4n, 0n)).toBe(200n);
    expect(zoneHighsize(800n, 100000n, 1n, 2n, 2n, 8n)).toBe(6250n);
  });
  test.each([
    // expect: DMA 3840 → mem 0 → 2 × 2 × 1 = 4; DMA32 111032 → mem 3 → 2 × 2 × 3 = 12; capped at 125
    [3840n, 2n, 4n], [111032n, 2n, 12n], [1n << 30n, 64n, 125n],
  ])('threshold_%s', (managed, cpus, want) => expect(calculateNormalThreshold(managed, cpus)).toBe(want));
});

describe('khugepaged', () => {
  test('recommended_min_free_kbytes', () => {
    // expect: 512 × 2 zones × 11 = 11264 pages = 45056K, unless 5% of the free buffer pages is less
    expect(recommendedMinFreeKbytes(512n, 2n, 1_000_000n)).toBe(45056n);
    expect(recommendedMinFreeKbytes(512n, 2n, 200_000n)).toBe(40000n);
  });
  test('nr_free_buffer_pages', () => {
    // expect: managed − high over the user zones only, never negative
    expect(nrFreeBufferPages([z('DMA', 100n), z('Normal', 1000n), z('HighMem', 5000n)], [200n, 100n, 0n])).toBe(900n);
  });
});
