import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ROM_FILES, dsdtMemWindows, romBarSize, seabiosMemBars, seabiosOptionRoms, type RomFile } from '../../../sim/firmware/qemu-7.2-pci.ts';
import { qemuMemoryLayout } from '../../../sim/firmware/qemu-7.2.ts';
import { simErrorCode } from '../sim-error-code.ts';

const G = 1024 * 1024 * 1024;
const hex = (x: bigint): string => `0x${x.toString(16)}`;
const layout = (machine: 'pc' | 'q35', gib: number) => qemuMemoryLayout({ arch: 'x86_64', machine, memoryBytes: gib * G, cpu: undefined });

describe('ROM BARs and option ROMs', () => {
  test('rom_bar_pow2', () => {
    // expect: pci_add_option_rom() rounds the file up to a power of two: 39936 → 64K, 249856 → 256K
    expect(romBarSize('vgabios-stdvga.bin')).toBe(0x10000n);
    expect(romBarSize('efi-e1000.rom')).toBe(0x40000n);
  });
  test('option_roms_placed', () => {
    // expect: VGA BIOS at 0xc0000 (78 × 512 = 0x9c00), iPXE at ALIGN(0xc9c00, 2K) = 0xca000 shrunk to 7 × 512,
    // linuxboot_dma.bin at ALIGN(0xcae00, 2K) = 0xcb000, 3 × 512; the same on q35 with e1000e's ROM
    for (const m of ['pc', 'q35'] as const) {
      expect(seabiosOptionRoms(m).map((r) => [hex(r.start), hex(r.size)])).toEqual([['0xc0000', '0x9c00'], ['0xca000', '0xe00'], ['0xcb000', '0x600']]);
    }
  });
  const files: Array<[RomFile, string]> = [
    ['vgabios-stdvga.bin', '/usr/share/seabios/vgabios-stdvga.bin'],
    ['efi-e1000.rom', '/usr/lib/ipxe/qemu/efi-e1000.rom'],
    ['efi-e1000e.rom', '/usr/lib/ipxe/qemu/efi-e1000e.rom'],
    ['linuxboot_dma.bin', '/usr/share/qemu/linuxboot_dma.bin'],
  ];
  test.each(files)('rom_file_facts %s', (name, file) => {
    // expect: where the package is installed, its size and the size byte (iPXE: shrunk_rom_size of the "iPXE" header) are the table's
    if (!existsSync(file)) return;
    const d = readFileSync(file);
    expect(BigInt(d.length)).toBe(ROM_FILES[name].bytes);
    const ipxe = d.subarray(0x9c, 0xa0).toString('latin1') === 'iPXE';
    expect(BigInt(ipxe ? d[0xa2]! : d[2]!)).toBe(ROM_FILES[name].sectors);
  });
});

describe('SeaBIOS BAR placement', () => {
  test('pc_bars', () => {
    // expect: MEM (align 256K) sorted 256K ROM, 128K BAR0, 64K VGA ROM, 4K VGA mmio = 0x71000 under 0xfec00000,
    // ALIGN_DOWN(0xfeb8f000, 256K) = 0xfeb80000; PREFMEM (16M VRAM) at ALIGN_DOWN(0xfeb80000 − 16M, 16M) = 0xfd000000
    expect(seabiosMemBars('pc', 0x20000000n).sort((a, b) => (a.start < b.start ? -1 : 1)).map((b) => `${b.device.name}/${b.bar.index}@${hex(b.start)}`)).toEqual([
      '0000:00:02.0/0@0xfd000000', '0000:00:03.0/6@0xfeb80000', '0000:00:03.0/0@0xfebc0000', '0000:00:02.0/6@0xfebe0000', '0000:00:02.0/2@0xfebf0000',
    ]);
  });
  test('q35_bars', () => {
    // expect: 600K of MEM → base ALIGN_DOWN(0xfeb6a000, 256K) = 0xfeb40000; equal sizes keep bus and BAR order
    // (e1000e BAR0 before BAR1, VGA 00:01.0's mmio before AHCI 00:1f.2's ABAR)
    expect(seabiosMemBars('q35', 0x80000000n).sort((a, b) => (a.start < b.start ? -1 : 1)).map((b) => `${b.device.name}/${b.bar.index}@${hex(b.start)}`)).toEqual([
      '0000:00:01.0/0@0xfd000000', '0000:00:02.0/6@0xfeb40000', '0000:00:02.0/0@0xfeb80000', '0000:00:02.0/1@0xfeba0000',
      '0000:00:01.0/6@0xfebc0000', '0000:00:02.0/3@0xfebd0000', '0000:00:01.0/2@0xfebd4000', '0000:00:1f.2/5@0xfebd5000',
    ]);
  });
  test('bars_do_not_fit', () => {
    // expect: a pcimem_start above the region's base would send SeaBIOS to the 64-bit window: refused
    expect(simErrorCode(() => seabiosMemBars('pc', 0xfe000000n))).toBe('SIM_NOT_MODELLED');
  });
});

describe('DSDT windows', () => {
  test('q35_mcfg_cut', () => {
    // expect: q35 1G: the hole [1G, 0xfebfffff] less MCFG [0xb0000000, 0xbfffffff]; 64-bit hole [4G, 4G + 32G − 1]
    const w = dsdtMemWindows('q35', layout('q35', 1));
    expect(w.hole32.map((s) => [hex(s.start), hex(s.end)])).toEqual([['0x40000000', '0xafffffff'], ['0xc0000000', '0xfebfffff']]);
    expect([hex(w.hole64.start), hex(w.hole64.end)]).toEqual(['0x100000000', '0x8ffffffff']);
  });
  test('pc_hole64_after_high_ram', () => {
    // expect: pc 4G: 3G low, 1G above 4G → hole64 from ROUND_UP(5G, 1G), 2G long
    const w = dsdtMemWindows('pc', layout('pc', 4));
    expect(w.hole32.map((s) => [hex(s.start), hex(s.end)])).toEqual([['0xc0000000', '0xfebfffff']]);
    expect([hex(w.hole64.start), hex(w.hole64.end)]).toEqual(['0x140000000', '0x1bfffffff']);
  });
});
