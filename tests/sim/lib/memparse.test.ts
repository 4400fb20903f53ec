// Stage-library tests for sim/lib/memparse.ts: lib/cmdline.c memparse() and the simple_strtoull()
// it calls with base 0 (lib/kstrtox.c _parse_integer_fixup_radix), as mem=, memmap= and
// log_buf_len= read their sizes. Each case is what the kernel's C does with the same text.
import { describe, expect, test } from 'vitest';
import { memparse, simpleStrtoull } from '../../../sim/lib/memparse.ts';

const K = 1n << 10n;
const M = 1n << 20n;
const G = 1n << 30n;

describe('memparse', () => {
  // expect each suffix, either case, to shift by 10 more bits and be consumed
  test.each([
    ['4k', 4n * K], ['4K', 4n * K], ['512M', 512n * M], ['512m', 512n * M], ['3G', 3n * G],
    ['1T', 1n << 40n], ['2P', 2n << 50n], ['15E', 15n << 60n],
  ])('memparse_suffix %s: expect %s bytes and nothing left', (text, value) => {
    expect(memparse(text)).toEqual({ value, rest: '', empty: false });
  });

  // expect the number to stop at the first character that is neither a digit nor a suffix, and the rest kept for the caller (memmap=nn[KMG]@ss[KMG])
  test('memparse_rest: expect "@0x1000" left after 512M', () => {
    expect(memparse('512M@0x1000')).toEqual({ value: 512n * M, rest: '@0x1000', empty: false });
  });

  // expect only one suffix: "1MK" is 1M with "K" left
  test('memparse_one_suffix: expect the second suffix left in rest', () => {
    expect(memparse('1MK')).toEqual({ value: M, rest: 'K', empty: false });
  });

  // expect a hex number's "e" to be a digit, not the exa suffix: 0x1E is 30 bytes
  test('memparse_hex_e_is_a_digit: expect 0x1E = 30 and 0x1000M = 4G', () => {
    expect(memparse('0x1E')).toEqual({ value: 30n, rest: '', empty: false });
    expect(memparse('0x1000M')).toEqual({ value: 0x1000n * M, rest: '', empty: false });
  });

  // expect the value to wrap at 64 bits as unsigned long long does: 16E is 2^64, which is 0
  test('memparse_wraps_u64: expect 16E to be 0 and 2^64 + 5 to be 5', () => {
    expect(memparse('16E').value).toBe(0n);
    expect(memparse('18446744073709551621').value).toBe(5n);
  });

  // expect a suffix with no digits to shift 0 (the kernel switches on *endptr whatever was read) and to be flagged empty
  test('memparse_no_digits: expect value 0, the suffix consumed, empty', () => {
    expect(memparse('M')).toEqual({ value: 0n, rest: '', empty: true });
    expect(memparse('')).toEqual({ value: 0n, rest: '', empty: true });
    expect(memparse('abc')).toEqual({ value: 0n, rest: 'abc', empty: true });
  });
});

describe('simple_strtoull, base 0', () => {
  // expect the radix from the prefix: 0x… hex, 0… octal, else decimal
  test.each([
    ['4096', 4096n, ''], ['0x1000', 4096n, ''], ['0X1f', 31n, ''], ['010', 8n, ''], ['0', 0n, ''],
  ])('strtoull_radix %s: expect %s', (text, value, rest) => {
    expect(simpleStrtoull(text)).toEqual({ value, rest, empty: false });
  });

  // expect octal to stop at 8 or 9: "08" is 0 with "8" left
  test('strtoull_octal_stops_at_8: expect 0 and rest "8"', () => {
    expect(simpleStrtoull('08')).toEqual({ value: 0n, rest: '8', empty: false });
  });

  // expect "0x" with no hex digit after it to be octal 0 followed by "x…" (_parse_integer_fixup_radix checks isxdigit(s[2]))
  test('strtoull_0x_without_digit: expect 0 and rest "xg"', () => {
    expect(simpleStrtoull('0xg')).toEqual({ value: 0n, rest: 'xg', empty: false });
  });

  // expect a hex letter in a decimal number to end it
  test('strtoull_decimal_stops_at_hex_letter: expect 12 and rest "ab"', () => {
    expect(simpleStrtoull('12ab')).toEqual({ value: 12n, rest: 'ab', empty: false });
  });
});
