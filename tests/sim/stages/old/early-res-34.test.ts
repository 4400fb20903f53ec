// kernel/early_res.c (2.6.34) as sim/stages/old/early-res-34.ts models it: reservations in slot order,
// find_early_area() bottom-up past them, and the stages that reserve through it.
import { describe, expect, test } from 'vitest';
import { bootmapBytes34, dmiBrkBytes34, findE820Area34, findEarlyArea34, reserveEarly34, MAX_EARLY_RES_X } from '../../../../sim/stages/old/early-res-34.ts';
import type { EarlyRes34 } from '../../../../sim/stages/old/state-30.ts';
import { E820_RAM, E820_RESERVED } from '../../../../sim/firmware/qemu-7.2.ts';
import { simErrorCode } from '../../sim-error-code.ts';
import { ctx34 } from './kernel-34.ts';

const r = (start: number, end: number, name: string, overlapOk = false): EarlyRes34 => ({ start: BigInt(start), end: BigInt(end), name, overlapOk });

describe('reserve_early', () => {
  test('reserve_appends_in_slot_order: expect each reservation after the others, the name cut to 14 characters (char name[15])', () => {
    const res = reserveEarly34(reserveEarly34([], 0x1000000n, 0x11b8ae0n, 'TEXT DATA BSS'), 0x9fc00n, 0x100000n, 'A NAME LONGER THAN FOURTEEN', true);
    expect(res.map((x) => x.name)).toEqual(['TEXT DATA BSS', 'A NAME LONGER ']);
    expect(res[1]!.overlapOk).toBe(true);
  });
  test('reserve_empty_range: expect start >= end to reserve nothing', () => {
    expect(reserveEarly34([], 0x2000n, 0x2000n, 'X')).toEqual([]);
  });
  test('reserve_overlap_panics: expect an overlap with a plain entry refused as the kernel\'s "Overlapping early reservations" panic', () => {
    expect(simErrorCode(() => reserveEarly34([r(0x1000, 0x3000, 'A')], 0x2000n, 0x4000n, 'B'))).toBe('SIM_NOT_MODELLED');
    expect(() => reserveEarly34([r(0x1000, 0x3000, 'A')], 0x2000n, 0x4000n, 'B')).toThrow(/Overlapping early reservations/);
  });
  test('reserve_overlap_ok_split_refused: expect an overlap with an overlap_ok entry refused by name (drop_overlaps_that_are_ok not modelled)', () => {
    expect(() => reserveEarly34([r(0x9fc00, 0x100000, 'BIOS reserved', true)], 0x9f000n, 0xa0000n, 'X')).toThrow(/overlap_ok BIOS reserved/);
  });
  test('reserve_near_full_refused: expect the slot that would make __check_and_double_early_res() double the array refused', () => {
    const full = Array.from({ length: MAX_EARLY_RES_X - 4 }, (_, i) => r(i * 0x1000, i * 0x1000 + 0x800, `R${i}`));
    expect(() => reserveEarly34(full, 0x100000n, 0x101000n, 'X')).toThrow(/doubling the early_res array/);
    expect(reserveEarly34(full.slice(1), 0x100000n, 0x101000n, 'X')).toHaveLength(MAX_EARLY_RES_X - 4);
  });
});

describe('find_early_area', () => {
  //   0x7000        0x8000        0xc000
  //   |--PGTABLE----|             |
  //   ^ start 0x7000: moved past PGTABLE to 0x8000
  test('find_bottom_up_past_reservations: expect the first address past the overlapping reservation, rounded to align', () => {
    const res = [r(0x7000, 0x7800, 'PGTABLE')];
    expect(findEarlyArea34(res, 0x1000n, 0x9fc00n, 0n, 0x377fe000n, 0x7000n, 0x1000n)).toBe(0x8000n);
    expect(findEarlyArea34(res, 0x1000n, 0x9fc00n, 0x7000n, 0x377fe000n, 0x800n, 0x1000n)).toBe(0x8000n);
    expect(findEarlyArea34([], 0x1000n, 0x9fc00n, 0x7000n, 0x377fe000n, 0x5000n, 0x1000n)).toBe(0x7000n);
  });
  test('find_slot_order_not_address_order: expect bad_addr() to follow the first overlapping slot, then try again', () => {
    // slots out of address order: [0x3000, 0x4000) then [0x1000, 0x2000)
    const res = [r(0x3000, 0x4000, 'B'), r(0x1000, 0x2000, 'A')];
    expect(findEarlyArea34(res, 0x1000n, 0x10000n, 0n, 0x10000n, 0x2000n, 0x1000n)).toBe(0x4000n);
  });
  test('find_no_room: expect undefined when the area would pass ei_last or end', () => {
    expect(findEarlyArea34([], 0x1000n, 0x9fc00n, 0n, 0x2000n, 0x2000n, 0x1000n)).toBeUndefined();
    expect(findEarlyArea34([r(0x1000, 0x9f000, 'X')], 0x1000n, 0x9fc00n, 0n, 0x100000n, 0x1000n, 0x1000n)).toBeUndefined();
  });
  test('find_e820_area_ram_only: expect reserved entries skipped and the next RAM entry tried', () => {
    const e820 = [
      { addr: 0x1000n, size: 0x9ec00n, type: E820_RAM },
      { addr: 0x9fc00n, size: 0x400n, type: E820_RESERVED },
      { addr: 0x100000n, size: 0x3fee0000n, type: E820_RAM },
    ];
    expect(findE820Area34(e820, [], 0n, 0x40000000n, 0x100000n, 0x1000n)).toBe(0x100000n);
    expect(findE820Area34(e820, [], 0n, 0x40000000n, 0x1000n, 0x1000n)).toBe(0x1000n);
  });
});

describe('dmi_scan_machine and the bootmap', () => {
  test('dmi_brk_pc_q35: expect the copies of SeaBIOS type 0 and QEMU types 1 and 3, each aligned to 4', () => {
    // pc: "SeaBIOS" 8 → 8; "1.16.2-debian-1.16.2-1" 23 → 31 | 32; "04/01/2014" 11 → 43 | 44; "QEMU" 5 → 49 | 52;
    // "Standard PC (i440FX + PIIX, 1996)" 34 → 86 | 88; "pc-i440fx-7.2" 14 → 102 | 104; serial "" 1 → 105 | 108;
    // type 3: "QEMU" 5 → 113 | 116; type 4 → 120; "pc-i440fx-7.2" 14 → 134 | 136; serial 1 → 137 | 140; asset 1 → 141
    expect(dmiBrkBytes34(ctx34())).toBe(141n);
    // q35: "Standard PC (Q35 + ICH9, 2009)" 31 → 52 + 31 = 83 | 84; "pc-q35-7.2" 11 → 95 | 96; 1 → 97 | 100;
    // 5 → 105 | 108; 4 → 112; 11 → 123 | 124; 1 → 125 | 128; 1 → 129
    expect(dmiBrkBytes34(ctx34({ machine: 'q35' }))).toBe(129n);
  });
  test('bootmap_bytes: expect one bit per page, rounded up to a long', () => {
    expect(bootmapBytes34(0x377fen)).toBe(0x6f00n);
    expect(bootmapBytes34(1n)).toBe(4n);
    expect(bootmapBytes34(33n)).toBe(8n);
  });
});
