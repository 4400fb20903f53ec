import { describe, expect, test } from 'vitest';
import { areaSymbols } from '../../../qemu-scripts/kernel/boot-lists.ts';

describe('kprobe_add_area_blacklist (kernel/kprobes.c): one entry per symbol of an area', () => {
  // symbols at 0x10, 0x20, 0x30, 0x40:   [0x10 ─ 0x20 ─ 0x30 ─ 0x40)
  const addrs = [0x10n, 0x20n, 0x30n, 0x40n];
  test.each([
    // expect: [0x10, 0x40) starts on a symbol: 0x10, 0x20, 0x30 → 3 entries
    ['starts_on_a_symbol', 0x10n, 0x40n, 3],
    // expect: [0x18, 0x40): the symbol holding 0x18 (0x10's), then 0x20 and 0x30 → 3 entries
    ['starts_inside_a_symbol', 0x18n, 0x40n, 3],
    // expect: an empty area (start = end, the kprobes text of the 6.12 and 7.2 builds) → none
    ['empty_area', 0x30n, 0x30n, 0],
  ] as const)('area_%s', (_n, start, end, n) => {
    expect(areaSymbols(addrs, start, end)).toBe(n);
  });
});
