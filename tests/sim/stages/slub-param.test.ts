// sim/stages/slub-param.ts: the slab-order parameters' values as get_option() (__setup, ≤ 6.12) and
// kstrtouint() (core_param, 7.2) read them, and the refusals of the command-line register.
import { describe, expect, test } from 'vitest';
import { SLUB_ORDER_CAP, slubOrderRefusal, slubOrderValue } from '../../../sim/stages/slub-param.ts';

describe('slub-param', () => {
  test.each([
    // expect: values the two parsers read differently, and orders no zone can give, refused by reason
    ['slub_max_order=3x', /plain number/],
    ['slub_min_objects=-1', /plain number/],
    ['slub_min_objects=4294967296', /plain number/],
    ['slub_min_order=11', /above 10/],
  ])('slub_order_refusal %s', (arg, re) => {
    expect(slubOrderRefusal(arg)).toMatch(re);
  });
  test.each(['slub_max_order=11', 'slab_min_order=10', 'slub_min_objects=0x20', 'slub_min_objects=2147483647'])('slub_order_accepted %s', (arg) => {
    expect(slubOrderRefusal(arg)).toBeUndefined();
  });


  test.each([
    // expect: decimal, 0x hex and 0 octal (base 0), up to INT_MAX; anything else is no value
    ['8', 8], ['0x10', 16], ['010', 8], ['0', 0], ['2147483647', 2147483647],
    ['2147483648', undefined], ['8k', undefined], ['-1', undefined], ['09', undefined], [undefined, undefined],
  ] as const)('slub_order_value %s: expect %s', (val, want) => {
    expect(slubOrderValue(val)).toBe(want);
  });

  test('slub_order_cap: expect MAX_PAGE_ORDER 10 (include/linux/mmzone.h, x86 without ARCH_FORCE_MAX_ORDER)', () => {
    expect(SLUB_ORDER_CAP).toBe(10);
  });
});
