// models SeaBIOS 1.16.2 (Debian 1.16.2-1) building the e820 map it hands the kernel:
// src/e820map.c e820_add (sorted insert, overlaps overwritten, same-type neighbours merged),
// src/fw/paravirt.c qemu_preinit/qemu_early_e820, src/post.c bda_init (EBDA), src/malloc.c
// malloc_preinit/malloc_prepboot (ZoneHigh), src/fw/pciinit.c (q35 MMCONFIG, RCBA).
import { E820_RAM, E820_RESERVED, type E820Entry } from './qemu-7.2.ts';
import { SZ_1M, SZ_4K, SZ_16M, SZ_256K, ALIGN_DOWN, u32 } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';

/** src/e820map.h: used internally to remove entries. */
const E820_HOLE = -1;

/** src/config.h (1.16.2). */
export const SEABIOS = {
  BUILD_LOWRAM_END: 0xa0000n,
  BUILD_BIOS_ADDR: 0xf0000n,
  BUILD_BIOS_SIZE: 0x10000n,
  BUILD_MIN_HIGHTABLE: SZ_256K,
  BUILD_MAX_HIGHTABLE: SZ_16M,
  /** src/malloc.h */
  MALLOC_MIN_ALIGN: 16n,
  /** src/std/bda.h EBDA_SEGMENT_START 0x9FC0, EBDA_SIZE_START 1 (KiB); CONFIG_MALLOC_UPPERMEMORY=y in the QEMU build. */
  EBDA_START: 0x9fc00n,
  /** src/fw/paravirt.c qemu_preinit(): "reserve 256KB BIOS area at the end of 4 GB". */
  BIOS_ROM_BASE: 0xfffc0000n,
  BIOS_ROM_SIZE: SZ_256K,
} as const;

/** SeaBIOS's e820_add(), step for step, on an immutable list. */
export function e820Add(list: readonly E820Entry[], startIn: bigint, sizeIn: bigint, type: number): E820Entry[] {
  if (sizeIn === 0n) return [...list];
  const l: { addr: bigint; size: bigint; type: number }[] = list.map((e) => ({ ...e }));
  let start = startIn;
  let size = sizeIn;
  const end = start + size;
  let i = 0;
  for (; i < l.length; i++) {
    const e = l[i]!;
    const eEnd = e.addr + e.size;
    if (start > eEnd) continue;
    if (start > e.addr) {
      if (type === e.type) {
        size += start - e.addr;
        start = e.addr;
      } else {
        e.size = start - e.addr;
        i++;
        if (eEnd > end) l.splice(i, 0, { addr: end, size: eEnd - end, type: e.type });
      }
    }
    break;
  }
  while (i < l.length) {
    const e = l[i]!;
    if (end < e.addr) break;
    const eEnd = e.addr + e.size;
    if (end >= eEnd) {
      l.splice(i, 1);
      continue;
    }
    e.addr = end;
    e.size = eEnd - end;
    if (type === e.type) {
      size += e.size;
      l.splice(i, 1);
    }
    break;
  }
  if (type !== E820_HOLE) l.splice(i, 0, { addr: start, size, type });
  return l;
}

export const e820Remove = (list: readonly E820Entry[], start: bigint, size: bigint): E820Entry[] =>
  e820Add(list, start, size, E820_HOLE);

/** One ZoneHigh allocation in the order SeaBIOS makes it. */
export interface HighAlloc {
  readonly what: string;
  readonly size: bigint;
  readonly align: bigint;
}

/** Where malloc_preinit() put ZoneHigh, or undefined if low RAM is too small for one. */
export interface ZoneHigh {
  readonly start: bigint;
  readonly size: bigint;
}

/** src/malloc.c malloc_preinit(): the highest RAM entry below 4G that ends above 1M gets ZoneHigh at its top. */
export function placeZoneHigh(list: readonly E820Entry[]): ZoneHigh | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const en = list[i]!;
    const end = en.addr + en.size;
    if (end < SZ_1M) break;
    if (en.type !== E820_RAM || end > 0xffffffffn) continue;
    const s = en.addr;
    const e = end;
    // u32 arithmetic, as in the C
    const newMax = ALIGN_DOWN(u32(e - SEABIOS.BUILD_MAX_HIGHTABLE), SEABIOS.MALLOC_MIN_ALIGN);
    const newMin = ALIGN_DOWN(u32(e - SEABIOS.BUILD_MIN_HIGHTABLE), SEABIOS.MALLOC_MIN_ALIGN);
    if (newMax <= e && newMax >= s + SEABIOS.BUILD_MAX_HIGHTABLE) return { start: newMax, size: SEABIOS.BUILD_MAX_HIGHTABLE };
    if (newMin <= e && newMin >= s) return { start: newMin, size: SEABIOS.BUILD_MIN_HIGHTABLE };
    return undefined; // only the first (highest) candidate is tried: `if (!highram_start)` then alloc_add
  }
  return undefined;
}

/**
 * src/malloc.c alloc_new(): top-down, each allocation at ALIGN_DOWN(range_end - size, align) below the
 * previous one. Returns the lowest address used (the sentinel's range_end afterwards).
 */
export function allocateTopDown(zone: ZoneHigh, allocs: readonly HighAlloc[]): bigint {
  let rangeEnd = zone.start + zone.size;
  for (const a of allocs) {
    const next = ALIGN_DOWN(rangeEnd - a.size, a.align);
    if (next < zone.start) {
      throw new SimError('SIM_NOT_MODELLED', 'firmware/seabios', `ZoneHigh: ${a.what} (${a.size} bytes) does not fit in the ${zone.size}-byte zone; SeaBIOS would warn_noalloc()`);
    }
    rangeEnd = next;
  }
  return rangeEnd;
}

export interface SeabiosInput {
  /** QEMU's etc/e820, in file order. */
  readonly qemuE820: readonly E820Entry[];
  /** What SeaBIOS allocates permanently from ZoneHigh, in allocation order. */
  readonly highAllocs: readonly HighAlloc[];
  readonly mmconfig: { readonly base: bigint; readonly size: bigint } | undefined;
  readonly rcba: { readonly base: bigint; readonly size: bigint } | undefined;
}

export interface SeabiosResult {
  readonly e820: readonly E820Entry[];
  readonly zoneHigh: ZoneHigh | undefined;
  /** The part of ZoneHigh that stays reserved after malloc_prepboot's giveback. */
  readonly zoneHighKept: bigint;
}

/** The e820 map at boot: the calls in POST order, replayed through e820_add. */
export function seabiosE820(input: SeabiosInput): SeabiosResult {
  let l: E820Entry[] = [];
  // src/fw/paravirt.c qemu_early_e820(): every etc/e820 entry through e820_add
  for (const e of input.qemuE820) l = e820Add(l, e.addr, e.size, e.type);
  // qemu_preinit(): BIOS ROM at the end of 4 GB
  l = e820Add(l, SEABIOS.BIOS_ROM_BASE, SEABIOS.BIOS_ROM_SIZE, E820_RESERVED);
  // src/malloc.c malloc_preinit(): no memory between 0xa0000 and 1M; the f-segment reserved
  l = e820Remove(l, SEABIOS.BUILD_LOWRAM_END, SEABIOS.BUILD_BIOS_ADDR - SEABIOS.BUILD_LOWRAM_END);
  l = e820Add(l, SEABIOS.BUILD_BIOS_ADDR, SEABIOS.BUILD_BIOS_SIZE, E820_RESERVED);
  const zone = placeZoneHigh(l);
  if (zone) l = e820Add(l, zone.start, zone.size, E820_RESERVED);
  // src/post.c bda_init(): the 1 KiB EBDA below 640K
  l = e820Add(l, SEABIOS.EBDA_START, SEABIOS.BUILD_LOWRAM_END - SEABIOS.EBDA_START, E820_RESERVED);
  // src/fw/pciinit.c (q35): mch_mmconfig_setup() and the ICH9 RCBA
  if (input.mmconfig) l = e820Add(l, input.mmconfig.base, input.mmconfig.size, E820_RESERVED);
  if (input.rcba) l = e820Add(l, input.rcba.base, input.rcba.size, E820_RESERVED);
  let kept = 0n;
  if (zone) {
    // src/malloc.c malloc_prepboot(): give back ALIGN_DOWN(unused, PAGE_SIZE) from the bottom of ZoneHigh
    const lowest = allocateTopDown(zone, input.highAllocs);
    const giveback = ALIGN_DOWN(lowest - zone.start, SZ_4K);
    l = e820Add(l, zone.start, giveback, E820_RAM);
    kept = zone.size - giveback;
  }
  // malloc_prepboot(): e820_add(endlow, 0xa0000 - endlow) with endlow = the EBDA start again: no change
  return { e820: l, zoneHigh: zone, zoneHighKept: kept };
}
