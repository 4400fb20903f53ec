import { describe, expect, test } from 'vitest';
import { isKeptOption } from '../../sim/kept-options.ts';

describe('kept-options', () => {
  test.each([
    // expect an exact name, a `*` prefix entry, and an option no stage reads
    ['NR_CPUS', true], ['VMSPLIT_3G', true], ['DEBUG_KOBJECT_RELEASE', true], ['ZRAM', false], ['NR_CPU', false],
  ])('isKeptOption_%s', (name, kept) => {
    expect(isKeptOption(name)).toBe(kept);
  });
});
