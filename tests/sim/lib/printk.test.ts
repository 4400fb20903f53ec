import { describe, expect, test } from 'vitest';
import { fmt018Lx, fmt010Lx, fmtLx, fmt08lx, fmtPa, hexAlt } from '../../../sim/lib/printk.ts';
import { memparse, simpleStrtoull } from '../../../sim/lib/memparse.ts';
import { ULLONG_MAX, PFN_UP, PFN_DOWN, ALIGN, ALIGN_DOWN, SZ_1M } from '../../../sim/lib/sizes.ts';

describe('printk formatters', () => {
  test.each([
    // expect: "%#018Lx" keeps "0x" inside the width, zero-pads digits, and prints 0 as 0x000…0 (kernel, not glibc)
    ['%#018Lx zero', fmt018Lx(0n), '0x0000000000000000'],
    ['%#018Lx max', fmt018Lx(ULLONG_MAX), '0xffffffffffffffff'],
    ['%#018Lx typical', fmt018Lx(0x9fbffn), '0x000000000009fbff'],
    // expect: %#010Lx overflows its width rather than truncating (e820: remove … 0xfffffffffffffffe)
    ['%#010Lx overflow', fmt010Lx(0xfffffffffffffffen), '0xfffffffffffffffe'],
    ['%#010Lx zero', fmt010Lx(0n), '0x00000000'],
    ['%#lx', fmtLx(0x400000000n), '0x400000000'],
    ['%#lx zero', fmtLx(0n), '0x0'],
    ['%08lx', fmt08lx(0x36ffe000n), '36ffe000'],
    ['%08lx zero', fmt08lx(0n), '00000000'],
    ['%08lx overflow', fmt08lx(0x180000000n), '180000000'],
    ['%pa 64-bit', fmtPa(0x1ffb5000n, 8), '0x000000001ffb5000'],
    ['%pa 32-bit', fmtPa(0x1000n, 4), '0x00001000'],
  ])('format_%s', (_n, got, want) => {
    expect(got).toBe(want);
  });

  test('format_negative_rejected', () => {
    // expect: an unsigned conversion of a negative number is a bug in the caller
    expect(() => hexAlt(-1n, 10)).toThrow(RangeError);
  });
});

describe('memparse', () => {
  test.each([
    ['384M', 384n * SZ_1M, ''],
    ['32M$0x8000000', 32n * SZ_1M, '$0x8000000'],
    ['0x8000000', 0x8000000n, ''],
    ['1g', 1n << 30n, ''],
    ['4k@', 4096n, '@'],
    ['010', 8n, ''], // base 0: leading 0 is octal
    ['2T', 2n << 40n, ''],
  ])('memparse_%s', (s, value, rest) => {
    // expect: lib/cmdline.c memparse — number in base 0, then an optional K/M/G/T/P/E suffix
    const p = memparse(s);
    expect(p.value).toBe(value);
    expect(p.rest).toBe(rest);
  });

  test('memparse_no_digits', () => {
    // expect: "$0x…" alone reads nothing (the kernel's p == oldp)
    expect(simpleStrtoull('$1').empty).toBe(true);
  });
});

describe('pfn helpers', () => {
  test('pfn_round_up_down', () => {
    // expect: PFN_UP rounds a partial page up, PFN_DOWN truncates; ALIGN/ALIGN_DOWN to powers of two
    expect(PFN_UP(0x9fc00n)).toBe(0xa0n);
    expect(PFN_DOWN(0x9fc00n)).toBe(0x9fn);
    expect(ALIGN(0x20600n, 0x1000n)).toBe(0x21000n);
    expect(ALIGN_DOWN(0x20600n, 0x1000n)).toBe(0x20000n);
  });
});
