import { describe, expect, test } from 'vitest';
import { e801Top, legacyRamSize, linuxInitrdPlacement, protocolWord, INITRD_ADDR_MAX } from '../../../sim/firmware/linux-loader.ts';
import { firmwareTable } from '../../../sim/firmware/e820-table.ts';
import { parseProfile } from '../../../harness/profile/load.ts';
import { E820_ACPI, E820_RAM, E820_RESERVED } from '../../../sim/firmware/qemu-7.2.ts';
import { simErrorCode } from '../sim-error-code.ts';
import type { Arch } from '../../../sim/types.ts';

const fw = (machine: string, memory: string, arch: Arch) => firmwareTable(parseProfile(`kernel: ${arch === 'x86_64' ? '6.1-amd64' : '6.1-686'}\nmachine: ${machine}\nmemory: ${memory}\ncpus: 1\n`, 't/p.yaml'), arch);
const amd64 = { protocol: 0x20f, canLoadAbove4G: true, initrdAddrMax: INITRD_ADDR_MAX };
const i386 = { protocol: 0x20f, canLoadAbove4G: false, initrdAddrMax: INITRD_ADDR_MAX };

describe('SeaBIOS E801 and calcRamSize', () => {
  test.each([
    // expect: above 16M, DX counts whole 64K blocks above 16M, so the top is rounded down to 64K
    ['64k_aligned', 0x1ffe0000n, 0x1ffe0000n],
    ['rounded_down', 0x1ffe3000n, 0x1ffe0000n],
    ['just_above_16m', 0x1000000n + 0x1000n, 0x1000000n],
    // expect: at or below 16M, CX counts K above 1M
    ['16m', 0x1000000n, 0x1000000n],
    ['below_16m_k', 0x800400n, 0x800400n],
  ])('e801_%s: expect the top the ROM computes', (_n, rs, top) => {
    expect(e801Top(rs)).toBe(top);
  });

  test('legacy_ram_size_last_below_4g: expect the end of the last RAM or ACPI entry ending at or below 4G', () => {
    //   [RAM 0-640K) [RAM 1M-512M-128K) [reserved 512M-128K..512M) [reserved 4G-256K..4G) [RAM 4G..6G)
    const e820 = [
      { addr: 0n, size: 0xa0000n, type: E820_RAM }, { addr: 0x100000n, size: 0x1fee0000n, type: E820_RAM },
      { addr: 0x1ffe0000n, size: 0x20000n, type: E820_RESERVED }, { addr: 0xfffc0000n, size: 0x40000n, type: E820_RESERVED },
      { addr: 0x100000000n, size: 0x80000000n, type: E820_RAM },
    ];
    expect(legacyRamSize(e820)).toBe(0x1ffe0000n);
    expect(legacyRamSize([...e820.slice(0, 2), { addr: 0x1ffe0000n, size: 0x1000n, type: E820_ACPI }])).toBe(0x1ffe1000n);
    // expect: nothing below 4G but low RAM → at least 1M
    expect(legacyRamSize([{ addr: 0n, size: 0xa0000n, type: E820_RAM }])).toBe(0x100000n);
  });
});

describe('x86_load_linux and linuxboot_dma', () => {
  test.each([
    // hand boots of 2026-12-01: the RAMDISK: line's start
    ['amd64_pc_512m', 'pc', '512M', 'x86_64' as Arch, 1000000n, 0x1feeb000n],
    ['amd64_q35_2g', 'q35', '2G', 'x86_64' as Arch, 3000001n, 0x7fcf3000n],
    ['amd64_pc_4g', 'pc', '4G', 'x86_64' as Arch, 777777n, 0xbff22000n],
    ['i386_pc_2g', 'pc', '2G', 'i386' as Arch, 1500000n, 0x7fe71000n],
    ['i386_pc_1g', 'pc', '1G', 'i386' as Arch, 2500000n, 0x3fd7d000n],
  ])('placement_%s: expect the ROM to move it below the E801 top, (top − size) & −4096', (_n, machine, memory, arch, size, image) => {
    const p = linuxInitrdPlacement(fw(machine, memory, arch), arch === 'x86_64' ? amd64 : i386, size);
    expect(p.image).toBe(image);
    expect(p.terms.some((t) => t.name.startsWith('linuxboot_dma: (E801 top'))).toBe(true);
  });

  test('placement_i386_3g_kept: expect initrd_addr_max (2G) to bound it and the ROM to keep QEMU\'s address', () => {
    // below_4g 3G: initrd_max = 0x7fffffff; (0x7fffffff − 2000000) & ~4095 ends in page 0x7ffff000, initrd_addr_max's
    const p = linuxInitrdPlacement(fw('pc', '3G', 'i386'), i386, 2000000n);
    expect(p.image).toBe((0x7fffffffn - 2000000n) & ~0xfffn);
    expect(p.terms.some((t) => t.name.startsWith('linuxboot_dma keeps it'))).toBe(true);
  });

  test('too_large: expect SIM_QEMU_REFUSES naming QEMU\'s message', () => {
    const f = fw('pc', '512M', 'x86_64');
    expect(simErrorCode(() => linuxInitrdPlacement(f, amd64, 0x20000000n))).toBe('SIM_QEMU_REFUSES');
    expect(() => linuxInitrdPlacement(f, amd64, 0x20000000n)).toThrow(/initrd is too large/);
  });

  test('not_ram: expect SIM_NOT_MODELLED when the ROM\'s E801 top lies above usable RAM (calcRamSize counts ACPI entries)', () => {
    //   [RAM 1M … 0x1ff00000) [ACPI 0x1ff00000 … 0x1ffe0000): LegacyRamSize 0x1ffe0000, the image would land in ACPI data
    const f = fw('pc', '512M', 'x86_64');
    const e820 = f.e820.flatMap((e) => (e.type === E820_RAM && e.addr === 0x100000n
      ? [{ addr: e.addr, size: 0x1ff00000n - e.addr, type: E820_RAM }, { addr: 0x1ff00000n, size: e.addr + e.size - 0x1ff00000n, type: E820_ACPI }]
      : [e]));
    expect(simErrorCode(() => linuxInitrdPlacement({ ...f, e820 }, amd64, 4096n))).toBe('SIM_NOT_MODELLED');
    expect(() => linuxInitrdPlacement({ ...f, e820 }, amd64, 4096n)).toThrow(/not inside one usable e820 entry/);
  });

  test('old_protocol_and_empty: expect SIM_NOT_MODELLED', () => {
    const f = fw('pc', '512M', 'x86_64');
    expect(simErrorCode(() => linuxInitrdPlacement(f, { ...amd64, protocol: 0x202 }, 4096n))).toBe('SIM_NOT_MODELLED');
    expect(simErrorCode(() => linuxInitrdPlacement(f, amd64, 0n))).toBe('SIM_NOT_MODELLED');
  });

  test('protocol_word: expect major << 8 | minor, and a bad string refused', () => {
    expect(protocolWord('2.15')).toBe(0x20f);
    expect(protocolWord('2.03')).toBe(0x203);
    expect(simErrorCode(() => protocolWord('2.1'))).toBe('SIM_NOT_MODELLED');
  });
});
