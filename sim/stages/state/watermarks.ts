// models the per-zone limits mm/page_alloc.c computes from managed_pages once the boot has freed
// its memory (5.10.223, 6.1.192, 6.12.115, 7.2.13): calculate_min_free_kbytes() with int_sqrt and
// its clamps, mm/khugepaged.c set_recommended_min_free_kbytes(), __setup_per_zone_wmarks() with
// watermark_scale_factor (boost 0), setup_per_zone_lowmem_reserve() from sysctl_lowmem_reserve_ratio,
// zone_batchsize()/zone_highsize() for the pagesets, and mm/vmstat.c calculate_normal_threshold().
// Pure arithmetic over bigint page counts; the caller says which managed_pages each one sees.
import type { StateTraits, ZoneName } from '../../traits.ts';

/** lib/math/int_sqrt.c int_sqrt(): floor(sqrt(x)). */
export function intSqrt(x: bigint): bigint {
  if (x < 2n) return x;
  let r = BigInt(Math.floor(Math.sqrt(Number(x))));
  while (r * r > x) r--;
  while ((r + 1n) * (r + 1n) <= x) r++;
  return r;
}

/** include/asm-generic/bitops/fls.h fls(): 1-based index of the highest set bit, 0 for 0. */
export const fls = (x: bigint): bigint => BigInt(x === 0n ? 0 : x.toString(2).length);

/** rounddown_pow_of_two(). */
const rounddownPow2 = (x: bigint): bigint => (x < 1n ? 0n : 1n << (fls(x) - 1n));

/** One zone as the watermark code sees it. */
export interface WmarkZone {
  readonly name: ZoneName;
  readonly managed: bigint;
  readonly present: bigint;
}

/** mm/page_alloc.c: watermark_scale_factor = 10 (sysctl vm.watermark_scale_factor, 0.1% of the zone). */
export const WATERMARK_SCALE_FACTOR = 10n;
/** include/linux/swap.h SWAP_CLUSTER_MAX: the floor of a highmem zone's min. */
const SWAP_CLUSTER_MAX = 32n;
/** include/linux/mmzone.h MIGRATE_PCPTYPES (unmovable, movable, reclaimable). */
const MIGRATE_PCPTYPES = 3n;

/** The zones gfp_zone(GFP_USER) allows (≤ ZONE_NORMAL): what nr_free_buffer_pages() and khugepaged count. */
export const isUserZone = (z: ZoneName): boolean => z === 'DMA' || z === 'DMA32' || z === 'Normal';

/**
 * nr_free_zone_pages(gfp_zone(GFP_USER)) = nr_free_buffer_pages(): Σ over the user zones of every
 * node of managed − high watermark, where positive (mm/page_alloc.c 6.1).
 */
export function nrFreeBufferPages(zones: readonly WmarkZone[], high: readonly bigint[]): bigint {
  let sum = 0n;
  zones.forEach((z, i) => {
    if (!isUserZone(z.name)) return;
    const h = high[i] ?? 0n;
    if (z.managed > h) sum += z.managed - h;
  });
  return sum;
}

/**
 * calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes × 16) clamped to [128, 262144] (6.1;
 * init_per_zone_wmark_min() inline in 5.10, the same clamps). No user value: the kernel's default.
 */
export function calculateMinFreeKbytes(lowmemKbytes: bigint): bigint {
  const v = intSqrt(lowmemKbytes * 16n);
  return v < 128n ? 128n : v > 262144n ? 262144n : v;
}

/**
 * set_recommended_min_free_kbytes() with THP enabled (mm/khugepaged.c 6.1): pageblock_nr_pages ×
 * nr_zones × (2 + MIGRATE_PCPTYPES²) over the populated user zones, at most nr_free_buffer_pages()/20,
 * in K; min_free_kbytes becomes it when larger.
 */
export function recommendedMinFreeKbytes(pageblockPages: bigint, populatedUserZones: bigint, freeBufferPages: bigint): bigint {
  let rec = pageblockPages * populatedUserZones * 2n + pageblockPages * populatedUserZones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
  const cap = freeBufferPages / 20n;
  if (rec > cap) rec = cap;
  return rec << 2n; // <<= (PAGE_SHIFT - 10)
}

export interface Wmarks {
  readonly min: bigint;
  readonly low: bigint;
  readonly high: bigint;
  readonly promo: bigint;
  /** pages_min × managed / lowmem_pages, before the highmem cap: what low and high add a quarter of. */
  readonly share: bigint;
  readonly lowmemPages: bigint;
}

/**
 * __setup_per_zone_wmarks() over every zone of every node (mm/page_alloc.c 6.1): min is the zone's
 * share of min_free_kbytes by managed pages among the lowmem zones (a highmem zone — ZONE_MOVABLE too
 * when movable_zone is ZONE_HIGHMEM — and on 6.12+ every movable one, gets managed/1024 clamped to
 * [SWAP_CLUSTER_MAX, 128]); low and high add
 * max(share/4, managed × watermark_scale_factor / 10000) once and twice; boost is 0.
 */
export function setupPerZoneWmarks(zones: readonly WmarkZone[], minFreeKbytes: bigint, traits: StateTraits, movableZone: ZoneName = 'Normal'): Wmarks[] {
  const pagesMin = minFreeKbytes >> 2n; // >> (PAGE_SHIFT - 10)
  // is_highmem_idx(): ZONE_HIGHMEM, and ZONE_MOVABLE when movable_zone is ZONE_HIGHMEM (include/linux/mmzone.h, CONFIG_HIGHMEM)
  const capped = (z: ZoneName): boolean => z === 'HighMem' || (z === 'Movable' && (movableZone === 'HighMem' || traits.wmarkMovableAsHighmem));
  let lowmemPages = 0n;
  for (const z of zones) if (!capped(z.name)) lowmemPages += z.managed;
  return zones.map((z) => {
    const share = lowmemPages === 0n ? 0n : (pagesMin * z.managed) / lowmemPages;
    let min = share;
    if (capped(z.name)) {
      const m = z.managed / 1024n;
      min = m < SWAP_CLUSTER_MAX ? SWAP_CLUSTER_MAX : m > 128n ? 128n : m;
    }
    const scaled = (z.managed * WATERMARK_SCALE_FACTOR) / 10000n; // mult_frac
    const tmp = share >> 2n > scaled ? share >> 2n : scaled;
    return { min, low: min + tmp, high: min + 2n * tmp, promo: min + 3n * tmp, share, lowmemPages };
  });
}

/** mm/page_alloc.c sysctl_lowmem_reserve_ratio[] (5.10 … 7.2): DMA 256, DMA32 256, Normal 32, HighMem 0, Movable 0. */
export function lowmemReserveRatio(z: ZoneName): bigint {
  switch (z) {
    case 'DMA': case 'DMA32': return 256n;
    case 'Normal': return 32n;
    default: return 0n;
  }
}

/**
 * setup_per_zone_lowmem_reserve() for one node's zones, in enum zone_type order (6.1): zone i keeps
 * (Σ managed of zones i+1 … j) / ratio[i] against an allocation that may use zones up to j; 0 when
 * the ratio is 0 or the zone has no managed pages. The last zone's entries are never written (0).
 */
export function setupPerZoneLowmemReserve(zones: readonly WmarkZone[]): bigint[][] {
  return zones.map((z, i) => {
    const ratio = lowmemReserveRatio(z.name);
    const clear = ratio === 0n || z.managed === 0n || i === zones.length - 1;
    let upper = 0n;
    return zones.map((u, j) => {
      if (j <= i) return 0n;
      upper += u.managed;
      return clear ? 0n : upper / ratio;
    });
  });
}

/**
 * zone_batchsize(): 'quarter-mb' min(managed >> 10, 256) / 4 (≥ 1), then rounddown_pow_of_two(b + b/2) − 1
 * (5.10 … 6.18); 'small' min(managed >> 12, 64), 1 when ≤ 1, the same rounding (7.2). The pageset
 * takes max(1, batch) (zone_set_pageset_high_and_batch, 6.1; pageset_set_batch, 5.10).
 */
export function zoneBatchsize(managed: bigint, rule: StateTraits['batchsize']): bigint {
  let batch: bigint;
  if (rule === 'small') {
    batch = managed >> 12n;
    if (batch > 64n) batch = 64n;
    if (batch <= 1n) return 1n;
  } else {
    batch = managed >> 10n;
    if (batch > 256n) batch = 256n;
    batch /= 4n;
    if (batch < 1n) batch = 1n;
  }
  return rounddownPow2(batch + batch / 2n) - 1n;
}

/**
 * zone_highsize(zone, batch, cpu_online = 0, high_fraction) (6.1, 6.12, 7.2): the low watermark (or
 * managed / high_fraction) split over the node's online CPUs (all online CPUs for a CPU-less node), at
 * least 4 × batch.
 */
export function zoneHighsize(low: bigint, managed: bigint, batch: bigint, nodeCpus: bigint, onlineCpus: bigint, highFraction: bigint): bigint {
  const total = highFraction === 0n ? low : managed / highFraction;
  const split = nodeCpus === 0n ? onlineCpus : nodeCpus;
  const high = total / split;
  return high > batch << 2n ? high : batch << 2n;
}

/** MIN_PERCPU_PAGELIST_HIGH_FRACTION (mm/page_alloc.c 6.1 … 7.2): high_max's fraction. */
export const MIN_PERCPU_PAGELIST_HIGH_FRACTION = 8n;

/**
 * calculate_normal_threshold() (mm/vmstat.c 5.10 … 7.2): 2 × fls(num_online_cpus) × (1 + fls(managed
 * >> (27 − PAGE_SHIFT))), at most 125.
 */
export function calculateNormalThreshold(managed: bigint, onlineCpus: bigint): bigint {
  const mem = managed >> 15n;
  const t = 2n * fls(onlineCpus) * (1n + fls(mem));
  return t < 125n ? t : 125n;
}
