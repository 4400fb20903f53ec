// Size spelling: what parses, what it is worth, and what a near miss suggests.
import { describe, expect, test } from 'vitest';
import { SZ_1G, SZ_1K, SZ_1M, SZ_1T, formatSize, parseSize, suggestSize } from '../../../sim/base/sizes.ts';

describe('parseSize', () => {
  test.each([
    ['1K', 1024n],
    ['512M', 536_870_912n],
    ['4G', 4_294_967_296n],
    ['1T', 1_099_511_627_776n],
    ['0M', 0n],
    ['3072M', 3_221_225_472n],
    ['99999999999999999999T', 99_999_999_999_999_999_999n * BigInt(SZ_1T)],
  ])('parseSize_accepts %s: expect %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  test.each(['', '512', '512m', '512MB', '512 M', '1.5G', '0512M', '-1G', '+1G', 'G', '1P', ' 1G', '1G ', '0x10M'])(
    'parseSize_refuses %j: expect undefined',
    (text) => {
      expect(parseSize(text)).toBeUndefined();
    },
  );
});

describe('formatSize', () => {
  test.each([
    [0, '0K'],
    [SZ_1K, '1K'],
    [3 * SZ_1G, '3G'],
    [1536 * SZ_1M, '1536M'],
    [SZ_1T, '1T'],
    [4097 * SZ_1K, '4097K'],
    [1000, undefined],
  ])('formatSize_%d: expect %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});

describe('suggestSize', () => {
  test.each([
    ['512m', '512M'],
    ['512MB', '512M'],
    ['512 MiB', '512M'],
    ['4gb', '4G'],
    ['1.5G', '1536M'],
    ['0.5T', '512G'],
    ['1.0000001K', undefined],
    ['512X', undefined],
    ['lots', undefined],
  ])('suggestSize_%s: expect %s', (text, suggestion) => {
    expect(suggestSize(text)).toBe(suggestion);
  });
});
