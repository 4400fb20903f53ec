// Tests for sim/lib/sizes.ts: the sizes and PFN helpers named as in the kernel. Each value is the
// kernel's definition, computed here from it (include/linux/sizes.h SZ_x, include/linux/pfn.h,
// include/linux/align.h, include/linux/log2.h), not copied from the module.
import { describe, expect, test } from 'vitest';
import {
  SZ_1K, SZ_4K, SZ_64K, SZ_128K, SZ_256K, SZ_1M, SZ_2M, SZ_16M, SZ_256M, SZ_1G, SZ_2G, SZ_4G, SZ_1T,
  PAGE_SHIFT, PAGE_SIZE, ISA_END_ADDRESS, PMD_SIZE_64, PUD_SHIFT_64, P4D_SHIFT_64, PGDIR_SHIFT_L5, ULLONG_MAX,
  PFN_UP, PFN_DOWN, PFN_PHYS, ALIGN, ALIGN_DOWN, ilog2, roundupPowOfTwo, u64, u32, bytes,
} from '../../../sim/lib/sizes.ts';

describe('sizes.h and page_types.h', () => {
  // expect SZ_x = x × 1024^k, as include/linux/sizes.h spells each one out
  test('sizes_are_powers_of_1024: expect SZ_1K 1024 … SZ_1T 2^40', () => {
    const K = 1024n;
    expect([SZ_1K, SZ_4K, SZ_64K, SZ_128K, SZ_256K]).toEqual([K, 4n * K, 64n * K, 128n * K, 256n * K]);
    expect([SZ_1M, SZ_2M, SZ_16M, SZ_256M]).toEqual([K * K, 2n * K * K, 16n * K * K, 256n * K * K]);
    expect([SZ_1G, SZ_2G, SZ_4G, SZ_1T]).toEqual([K ** 3n, 2n * K ** 3n, 4n * K ** 3n, K ** 4n]);
  });

  // expect x86's 4K pages, ISA_END_ADDRESS at 1M, the 64-bit shifts (PMD 2M, PUD 1G, P4D 512G, 5-level PGDIR 256T)
  test('page_geometry_x86_64: expect PAGE_SIZE 4096, PMD_SIZE 2M, PUD_SHIFT 30, P4D_SHIFT 39, PGDIR_SHIFT 48', () => {
    expect(PAGE_SHIFT).toBe(12n);
    expect(PAGE_SIZE).toBe(4096n);
    expect(ISA_END_ADDRESS).toBe(0x100000n);
    expect(PMD_SIZE_64).toBe(2n * 1024n * 1024n);
    expect([PUD_SHIFT_64, P4D_SHIFT_64, PGDIR_SHIFT_L5]).toEqual([30n, 39n, 48n]);
    expect(ULLONG_MAX).toBe(0xffffffffffffffffn);
  });
});

describe('pfn.h and align.h', () => {
  // expect PFN_UP to round a partial page up and PFN_DOWN down, PFN_PHYS back to the address
  test('pfn_up_down_phys: expect 0x1001 → up 2, down 1; 0x1000 → 1 both ways; pfn 0x9f → 0x9f000', () => {
    expect([PFN_UP(0x1001n), PFN_DOWN(0x1001n)]).toEqual([2n, 1n]);
    expect([PFN_UP(0x1000n), PFN_DOWN(0x1000n)]).toEqual([1n, 1n]);
    expect([PFN_UP(0n), PFN_DOWN(0xfffn)]).toEqual([0n, 0n]);
    expect(PFN_PHYS(0x9fn)).toBe(0x9f000n);
    // above 4G stays exact (1 TiB of RAM ends at pfn 0x10000000)
    expect(PFN_DOWN(SZ_1T)).toBe(0x10000000n);
  });

  // expect ALIGN to round up to the power of two, ALIGN_DOWN down, an aligned value unchanged
  test('align_up_down: expect ALIGN(0x1801, 2M) = 2M, ALIGN_DOWN(0x3fffff, 2M) = 2M, aligned values kept', () => {
    expect(ALIGN(0x1801n, SZ_2M)).toBe(SZ_2M);
    expect(ALIGN_DOWN(0x3fffffn, SZ_2M)).toBe(SZ_2M);
    expect([ALIGN(SZ_4G, SZ_2M), ALIGN_DOWN(SZ_4G, SZ_2M)]).toEqual([SZ_4G, SZ_4G]);
    expect(ALIGN(1n, 8n)).toBe(8n);
  });
});

describe('log2.h and the C integer widths', () => {
  // expect ilog2 the index of the highest set bit, roundup_pow_of_two the next power of two (1 for 0 and 1)
  test('ilog2_roundup_pow_of_two: expect ilog2(1) 0, ilog2(4095) 11, ilog2(4096) 12; roundup(3) 4, roundup(4) 4, roundup(0) 1', () => {
    expect([ilog2(1n), ilog2(4095n), ilog2(4096n), ilog2(SZ_1T)]).toEqual([0, 11, 12, 40]);
    expect([roundupPowOfTwo(0n), roundupPowOfTwo(1n), roundupPowOfTwo(3n), roundupPowOfTwo(4n), roundupPowOfTwo(4097n)]).toEqual([1n, 1n, 4n, 4n, 8192n]);
  });

  // expect u64/u32 to wrap as unsigned C arithmetic does: -1 is the type's maximum, 2^64 is 0
  test('u64_u32_wrap: expect u64(-1) ULLONG_MAX, u64(2^64 + 5) 5, u32(-1) 0xffffffff', () => {
    expect(u64(-1n)).toBe(ULLONG_MAX);
    expect(u64((1n << 64n) + 5n)).toBe(5n);
    expect(u32(-1n)).toBe(0xffffffffn);
    expect(u32(SZ_4G + 1n)).toBe(1n);
  });

  // expect bytes() exact for safe integers and a RangeError for what a byte count cannot be
  test('bytes_safe_integers_only: expect 2^53 − 1 exact, RangeError for −1, 1.5 and 2^53', () => {
    expect(bytes(Number.MAX_SAFE_INTEGER)).toBe(2n ** 53n - 1n);
    for (const bad of [-1, 1.5, 2 ** 53]) expect(() => bytes(bad)).toThrow(RangeError);
  });
});
