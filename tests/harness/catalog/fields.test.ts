// Field values: parsing by kind, printing, and the per-field mismatch line.
import { describe, expect, test } from 'vitest';
import { describeFieldMismatch, fieldPath, formatFieldDelta, formatFieldValue, parseFieldValue } from '../../../harness/catalog/index.ts';

describe('parseFieldValue', () => {
  test.each([
    ['addr', '0x000000001ffdffff', 0x1ffdffffn],
    ['addr', '36ffe000', 0x36ffe000n],
    ['addr', '0xfffffffffffffffe', 0xfffffffffffffffen],
    ['pfn', '00000000', 0n],
    ['kbytes', '464212', 464212],
    ['count', '-1', -1],
    ['text', ' vmalloc ', ' vmalloc '],
  ] as const)('%s %j → %s', (kind, raw, value) => {
    expect(parseFieldValue(kind, raw)).toBe(value);
  });

  test.each([
    ['addr', 'zz'],
    ['pages', '12K'],
    ['count', '99999999999999999999'],
  ] as const)('%s %j: expect undefined', (kind, raw) => {
    expect(parseFieldValue(kind, raw)).toBeUndefined();
  });
});

describe('describeFieldMismatch', () => {
  test('kbytes_smaller: expect a signed delta in K with a true minus sign', () => {
    expect(describeFieldMismatch('mem.summary.available', 'kbytes', 464200, 464212)).toBe('mem.summary.available: sim 464200K, golden 464212K (−12K)');
  });
  test('addr_keyed: expect the key in brackets and a hex delta', () => {
    expect(describeFieldMismatch(fieldPath('zones.range', 'DMA32', 'end'), 'addr', 0x1ffdefffn, 0x1ffdffffn)).toBe(
      'zones.range[DMA32].end: sim 0x1ffdefff, golden 0x1ffdffff (−0x1000)',
    );
  });
  test('text: expect no delta', () => {
    expect(describeFieldMismatch('e820.entry.type', 'text', 'usable', 'reserved')).toBe('e820.entry.type: sim usable, golden reserved');
  });
  test('absent_on_one_side: expect "absent" and no delta', () => {
    expect(describeFieldMismatch('mem.summary.highmem', 'kbytes', undefined, 1195912)).toBe('mem.summary.highmem: sim absent, golden 1195912K');
  });
  test('equal: expect no delta', () => {
    expect(formatFieldDelta('pages', 97, 97)).toBeUndefined();
    expect(formatFieldDelta('pages', 98, 97)).toBe('+1 pages');
    expect(formatFieldValue('addr', 0n)).toBe('0x0');
  });
});
