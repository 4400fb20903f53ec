import { describe, expect, test } from 'vitest';
import { nosaveRegions, pciGap } from '../../../sim/stages/setup-arch-late.ts';
import { E820_RAM, E820_RESERVED, type E820Entry } from '../../../sim/firmware/qemu-7.2.ts';

const e = (addr: bigint, end: bigint, type: number): E820Entry => ({ addr, size: end - addr, type });
// pc 4G after trim_bios_range: [0,4K) res, RAM to 0x9fc00, EBDA, BIOS, RAM to 3G−128K, ACPI, 4G−256K, RAM 4–5G
const PC4G = [
  e(0n, 0x1000n, E820_RESERVED), e(0x1000n, 0x9fc00n, E820_RAM), e(0x9fc00n, 0xa0000n, E820_RESERVED), e(0xf0000n, 0x100000n, E820_RESERVED),
  e(0x100000n, 0xbffe0000n, E820_RAM), e(0xbffe0000n, 0xc0000000n, E820_RESERVED), e(0xfffc0000n, 0x100000000n, E820_RESERVED),
  e(0x100000000n, 0x140000000n, E820_RAM), e(0xfd00000000n, 0x10000000000n, E820_RESERVED),
];
const hex = (rs: [bigint, bigint][]) => rs.map(([s, en]) => `${s.toString(16)}-${en.toString(16)}`);

describe('e820__register_nosave_regions', () => {
  test('nosave_5_10_walks_entries', () => {
    // expect: every gap and every non-RAM entry below max_pfn, each printed separately
    expect(hex(nosaveRegions(PC4G, 0x140000n, 'walk-entries', true))).toEqual(['0-1', '9f-a0', 'a0-f0', 'f0-100', 'bffe0-c0000', 'c0000-fffc0', 'fffc0-100000']);
  });
  test('nosave_6_1_ram_gaps', () => {
    // expect: only the gaps between RAM entries (sub-page ends rounded outwards), none after max_pfn
    expect(hex(nosaveRegions(PC4G, 0x140000n, 'ram-gaps', true))).toEqual(['0-1', '9f-100', 'bffe0-100000']);
  });
});

describe('e820__setup_pci_gap', () => {
  test('pci_gap_largest_below_4g', () => {
    // expect: [3G, 4G−256K) — the largest hole under MAX_GAP_END, both search directions
    expect(pciGap(PC4G, 'backward', 'x86_64')).toMatchObject({ start: 0xc0000000n, size: 0x3ffc0000n });
    expect(pciGap(PC4G, 'forward', 'x86_64')).toMatchObject({ start: 0xc0000000n, size: 0x3ffc0000n });
  });
  test('pci_gap_forward_counts_gap_after_last_entry', () => {
    // expect: 7.2 also considers [end of the last entry, 4G)
    const t = [e(0n, 0x9fc00n, E820_RAM), e(0x100000n, 0x20000000n, E820_RAM)];
    expect(pciGap(t, 'forward', 'x86_64')).toMatchObject({ start: 0x20000000n, size: 0xe0000000n });
  });
});
