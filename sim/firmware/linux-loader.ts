// models where QEMU 7.2 puts the -initrd image for a Linux -kernel boot: hw/i386/x86.c
// x86_load_linux() picks an address from the setup header's initrd limit and the RAM below 4G, and
// the linuxboot_dma option ROM (pc-bios/optionrom/linuxboot_dma.c load_kernel()) moves it below
// SeaBIOS's INT 15h E801 top of memory (src/system.c handle_15e801, src/malloc.c calcRamSize) unless
// it ends at the kernel's own limit. Data for the kernel's early_reserve_initrd() (sim/stages/initrd.ts).
import type { ExplainTerm } from '../types.ts';
import type { FirmwareTable } from './e820-table.ts';
import { E820_ACPI, E820_RAM } from './qemu-7.2.ts';
import { SimError } from '../lib/errors.ts';
import { SZ_1K, SZ_1M, SZ_16M, SZ_64K, u32 } from '../lib/sizes.ts';

const WHERE = 'firmware/linux-loader';

/**
 * hw/i386/pc.c pc_machine_class_init(): acpi_data_size = 0x20000 + 0x8000 ("BIOS ACPI tables: 128K.
 * Other BIOS datastructures: less than 4K reported … 32K should be enough"); only the pc-i440fx-2.0
 * compat machine sets 0x10000 (hw/i386/pc_piix.c), and profiles boot the 7.2 machines (QEMU 7.2).
 */
export const ACPI_DATA_SIZE = 0x28000n;

/**
 * arch/x86/boot/header.S (5.10.223, 6.1.192, 6.12.117, 6.18, 7.2.13 alike): `initrd_addr_max: .long
 * 0x7fffffff`, and xloadflags' XLF_CAN_BE_LOADED_ABOVE_4G (XLF1) when CONFIG_RELOCATABLE and
 * CONFIG_X86_64. Read off every pinned bzImage at 0x22c / 0x236 too: 0x7fffffff everywhere, bit 1
 * set on the amd64 builds only.
 */
export const INITRD_ADDR_MAX = 0x7fffffffn;

/** The setup header fields x86_load_linux() reads for the initrd (Documentation/arch/x86/boot.rst). */
export interface InitrdHeader {
  /** The boot protocol as a number, e.g. 0x20f for "2.15". */
  readonly protocol: number;
  /** xloadflags XLF_CAN_BE_LOADED_ABOVE_4G. */
  readonly canLoadAbove4G: boolean;
  /** initrd_addr_max (header offset 0x22c). */
  readonly initrdAddrMax: bigint;
}

/** Where the image ends up and how: boot_params.hdr.ramdisk_image / ramdisk_size as the kernel reads them. */
export interface InitrdPlacement {
  /** hdr.ramdisk_image: the physical address of the image. */
  readonly image: bigint;
  /** hdr.ramdisk_size: the image's size in bytes. */
  readonly size: bigint;
  /** The derivation, for `bootsim explain`. */
  readonly terms: readonly ExplainTerm[];
}

/** "2.15" → 0x20f (the header's version word: major << 8 | minor). */
export function protocolWord(protocol: string): number {
  const m = /^(\d+)\.(\d{2})$/.exec(protocol);
  if (!m) throw new SimError('SIM_NOT_MODELLED', WHERE, `bzImage.protocol: expected a protocol like "2.15", got ${JSON.stringify(protocol)}`);
  return (Number(m[1]) << 8) | Number(m[2]);
}

/**
 * src/malloc.c calcRamSize() (SeaBIOS 1.16.2), as malloc_prepboot() leaves it: the end of the last
 * RAM or ACPI entry of e820_list that ends at or below 4G, at least 1M.
 */
export function legacyRamSize(e820: FirmwareTable['e820']): bigint {
  for (let i = e820.length - 1; i >= 0; i--) {
    const e = e820[i]!;
    const end = e.addr + e.size;
    if (end <= 0xffffffffn && (e.type === E820_ACPI || e.type === E820_RAM)) return end >= SZ_1M ? end : SZ_1M;
  }
  return SZ_1M;
}

/**
 * linuxboot_dma.c get_e801_addr() over SeaBIOS's handle_15e801(): above 16M, DX = (rs − 16M) / 64K
 * blocks and the ROM returns (DX + 256) << 16, so LegacyRamSize rounded down to 64K; else
 * ((rs − 1M) / 1K + 1024) << 10.
 */
export function e801Top(rs: bigint): bigint {
  if (rs > SZ_16M) return (((rs - SZ_16M) / SZ_64K) + 256n) << 16n;
  return (((rs - SZ_1M) / SZ_1K) + 1024n) << 10n;
}

/**
 * x86_load_linux() (hw/i386/x86.c, QEMU 7.2) then linuxboot_dma's load_kernel(): initrd_max is
 * UINT32_MAX with XLF_CAN_BE_LOADED_ABOVE_4G (protocol ≥ 2.12), else the header's initrd_addr_max
 * (protocol ≥ 2.03), capped at below_4g_mem_size − acpi_data_size − 1; an image of initrd_max bytes
 * or more makes QEMU exit; the address is (initrd_max − size) & ~4095. The ROM keeps it only when the
 * image's end page is initrd_addr_max's page; otherwise it puts it at (E801 top − size) & −4096 and
 * writes that into hdr.ramdisk_image.
 */
export function linuxInitrdPlacement(fw: FirmwareTable, header: InitrdHeader, size: bigint): InitrdPlacement {
  if (header.protocol < 0x203) throw new SimError('SIM_NOT_MODELLED', WHERE, `boot protocol 0x${header.protocol.toString(16)}: the initrd limit of protocols before 2.03 is not modelled`);
  if (size <= 0n) throw new SimError('SIM_NOT_MODELLED', WHERE, `initrd: expected an image of at least one byte, got ${size}`);
  const below = fw.qemu.belowGb4;
  const terms: ExplainTerm[] = [];
  let initrdMax = header.protocol >= 0x20c && header.canLoadAbove4G ? 0xffffffffn : header.initrdAddrMax;
  terms.push({ name: 'initrd_max from the setup header', value: `0x${initrdMax.toString(16)}`, source: header.canLoadAbove4G ? 'hw/i386/x86.c x86_load_linux(): XLF_CAN_BE_LOADED_ABOVE_4G → UINT32_MAX (QEMU 7.2)' : 'hw/i386/x86.c x86_load_linux(): ldl_p(header + 0x22c) = initrd_addr_max (arch/x86/boot/header.S)' });
  if (initrdMax >= below - ACPI_DATA_SIZE) {
    initrdMax = below - ACPI_DATA_SIZE - 1n;
    terms.push({ name: 'capped at below_4g_mem_size − acpi_data_size − 1', value: `0x${initrdMax.toString(16)}`, source: `hw/i386/x86.c x86_load_linux(): below_4g 0x${below.toString(16)}, acpi_data_size 0x${ACPI_DATA_SIZE.toString(16)} (hw/i386/pc.c)` });
  }
  if (size >= initrdMax) {
    throw new SimError('SIM_QEMU_REFUSES', WHERE, `initrd: ${size} bytes; QEMU 7.2 exits with "qemu: initrd is too large, cannot support.(max: ${initrdMax}, need ${size})" (hw/i386/x86.c x86_load_linux)`);
  }
  let image = u32(initrdMax - size) & ~0xfffn;
  terms.push({ name: 'QEMU: (initrd_max − size) & ~4095', value: `0x${image.toString(16)}`, source: 'hw/i386/x86.c x86_load_linux(): initrd_addr (QEMU 7.2)' });
  const endPage = u32(image + size) & ~0xfffn;
  const maxAllowedPage = header.initrdAddrMax & ~0xfffn;
  if (endPage !== 0n && maxAllowedPage !== 0n && endPage !== maxAllowedPage) {
    const rs = legacyRamSize(fw.e820);
    const top = e801Top(rs);
    image = u32(top - size) & ~0xfffn;
    terms.push({ name: `linuxboot_dma: (E801 top 0x${top.toString(16)} − size) & −4096 (LegacyRamSize 0x${rs.toString(16)})`, value: `0x${image.toString(16)}`, source: 'pc-bios/optionrom/linuxboot_dma.c load_kernel(): the end page differs from initrd_addr_max\'s (QEMU 7.2); SeaBIOS src/system.c handle_15e801' });
  } else {
    terms.push({ name: 'linuxboot_dma keeps it: its end page is initrd_addr_max\'s page', value: `0x${image.toString(16)}`, source: 'pc-bios/optionrom/linuxboot_dma.c load_kernel() (QEMU 7.2)' });
  }
  // the image must be RAM the e820 map gives: a copy over SeaBIOS's tables would not boot the way the model says
  const inRam = fw.e820.some((e) => e.type === E820_RAM && e.addr <= image && image + size <= e.addr + e.size);
  if (!inRam) throw new SimError('SIM_NOT_MODELLED', WHERE, `initrd: [0x${image.toString(16)}, 0x${(image + size).toString(16)}) is not inside one usable e820 entry; the firmware's copy over reserved memory is not modelled`);
  return { image, size, terms };
}
