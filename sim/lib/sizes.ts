// Size constants and PFN helpers named as in the kernel (include/linux/sizes.h, include/linux/pfn.h,
// include/linux/align.h). Addresses are bigint: a 1 TiB machine and the 64-bit e820 sentinels
// (ULLONG_MAX) must be exact.

export const SZ_1K = 0x400n;
export const SZ_4K = 0x1000n;
export const SZ_64K = 0x10000n;
export const SZ_128K = 0x20000n;
export const SZ_256K = 0x40000n;
export const SZ_1M = 0x100000n;
export const SZ_2M = 0x200000n;
export const SZ_16M = 0x1000000n;
export const SZ_256M = 0x10000000n;
export const SZ_1G = 0x40000000n;
export const SZ_2G = 0x80000000n;
export const SZ_4G = 0x100000000n;
export const SZ_1T = 0x10000000000n;

/** arch/x86/include/asm/page_types.h: PAGE_SHIFT 12 on every x86 build. */
export const PAGE_SHIFT = 12n;
export const PAGE_SIZE = 1n << PAGE_SHIFT;

/** arch/x86/include/asm/e820/types.h ISA_END_ADDRESS: the end of the ISA hole, 1M. */
export const ISA_END_ADDRESS = SZ_1M;

/**
 * arch/x86/include/asm/pgtable_64_types.h (X86_64; 4- and 5-level alike but PGDIR_SHIFT): PMD_SHIFT 21,
 * PUD_SHIFT 30, P4D_SHIFT 39, and PGDIR_SHIFT 48 with 5 levels. X86_32's PMD_SHIFT depends on PAE
 * (sim/traits.ts pagingGeometry, which takes these for PAE's 3 levels: asm/pgtable-3level_types.h).
 */
export const PMD_SHIFT_64 = 21n;
export const PMD_SIZE_64 = 1n << PMD_SHIFT_64;
export const PUD_SHIFT_64 = 30n;
export const P4D_SHIFT_64 = 39n;
export const PGDIR_SHIFT_L5 = 48n;

/** include/linux/limits.h: ULLONG_MAX, the u64 the e820 code saturates at. */
export const ULLONG_MAX = (1n << 64n) - 1n;

/** include/linux/pfn.h */
export const PFN_UP = (x: bigint): bigint => (x + PAGE_SIZE - 1n) >> PAGE_SHIFT;
export const PFN_DOWN = (x: bigint): bigint => x >> PAGE_SHIFT;
export const PFN_PHYS = (pfn: bigint): bigint => pfn << PAGE_SHIFT;

/** include/linux/align.h ALIGN (up), and ALIGN_DOWN; `a` must be a power of two. */
export const ALIGN = (x: bigint, a: bigint): bigint => (x + a - 1n) & ~(a - 1n);
export const ALIGN_DOWN = (x: bigint, a: bigint): bigint => x & ~(a - 1n);

/** include/linux/log2.h ilog2(x) for x ≥ 1: the index of the highest set bit. */
export const ilog2 = (x: bigint): number => x.toString(2).length - 1;
/** include/linux/log2.h roundup_pow_of_two(x): the smallest power of two ≥ x (1 for x ≤ 1). */
export const roundupPowOfTwo = (x: bigint): bigint => (x <= 1n ? 1n : 1n << BigInt((x - 1n).toString(2).length));

/** Wraps to u64 as C unsigned long long arithmetic does. */
export const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
/** Wraps to u32, for SeaBIOS's u32 arithmetic. */
export const u32 = (x: bigint): bigint => BigInt.asUintN(32, x);

/** Exact bigint from a safe-integer byte count (MachineSpec sizes are numbers). */
export function bytes(n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`expected a non-negative safe integer, got ${n}`);
  return BigInt(n);
}
