// models the PCI side of QEMU 7.2's default machine as the guest finds it after SeaBIOS 1.16.2 ran:
// the default devices of the capture's command line (qemu-scripts/qemu-argv.ts gives no -vga, -nic,
// -device or -nodefaults, so each board adds its default VGA and NIC), the BARs SeaBIOS's
// pci_bios_map_devices() (src/fw/pciinit.c) places, and the memory windows the DSDT's PCI0._CRS
// (hw/i386/acpi-build.c build_dsdt) offers the kernel. Pure: a machine, its RAM layout in, addresses out.
import type { MachineType } from '../types.ts';
import { SZ_1G, ALIGN } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { QEMU_7_2, type QemuFacts, type QemuMemoryLayout } from './qemu-7.2.ts';

/** A BAR's kind as SeaBIOS sorts it (src/fw/pciinit.c PCI_REGION_TYPE_IO/MEM/PREFMEM); a ROM BAR is MEM. */
export type BarKind = 'io' | 'mem' | 'prefmem';

export interface PciBar {
  /** 0-5, or 6 for the expansion ROM (PCI_ROM_SLOT). */
  readonly index: number;
  readonly kind: BarKind;
  readonly size: bigint;
}

export interface PciDevice {
  /** pci_name() as the kernel prints it: "0000:00:02.0". */
  readonly name: string;
  readonly what: string;
  /** Whether pci_fixup_video() takes the ROM BAR for the shadow copy at 0xc0000 (the boot VGA). */
  readonly bootVga: boolean;
  /** In config-space order, the ROM last (pci_bios_check_devices walks 0 … PCI_ROM_SLOT). */
  readonly bars: readonly PciBar[];
  /** The romfile behind its ROM BAR (PCIDeviceClass.romfile). */
  readonly romfile?: RomFile;
}

/**
 * The firmware files QEMU loads into ROM BARs or fw_cfg, with their sizes in the Debian bookworm
 * packages the captures run: seabios 1.16.2-1 (/usr/share/seabios/vgabios-stdvga.bin), ipxe-qemu
 * 1.0.0+git-20190125.36a4c85-5.1 (/usr/lib/ipxe/qemu/efi-e1000.rom, efi-e1000e.rom), qemu-system-data
 * 1:7.2+dfsg-7+deb12u18 (/usr/share/qemu/linuxboot_dma.bin). `bytes`: the file; `sectors`: the
 * option-ROM header's size byte (offset 2, 512-byte units) once the ROM's init ran: the header's own
 * for the VGA BIOS and linuxboot_dma, and for iPXE the shrunk_rom_size byte of its "iPXE" header (the
 * header at 0x9c, the byte at 0xa2), which romprefix.S's init copies into the size byte. tests/sim/firmware/qemu-7.2-pci.test.ts
 * reads the installed files where they exist. A different firmware package is a new data set.
 */
export const ROM_FILES = {
  'vgabios-stdvga.bin': { bytes: 39936n, sectors: 78n },
  'efi-e1000.rom': { bytes: 249856n, sectors: 7n },
  'efi-e1000e.rom': { bytes: 249856n, sectors: 7n },
  'linuxboot_dma.bin': { bytes: 1536n, sectors: 3n },
} as const;
export type RomFile = keyof typeof ROM_FILES;

/** hw/pci/pci.c pci_add_option_rom(): the ROM BAR is the file's size rounded up to a power of two. */
export function romBarSize(file: RomFile): bigint {
  let s = 1n;
  while (s < ROM_FILES[file].bytes) s <<= 1n;
  return s;
}

const KiB = 1024n;
const MiB = 1024n * KiB;

// hw/display/vga-pci.c pci_std_vga_realize(): BAR0 the VRAM (vgamem_mb default 16, prefetchable),
// BAR2 the MMIO page (PCI_VGA_MMIO_SIZE, the "mmio" flag defaults on), romfile vgabios-stdvga.bin
const stdVga = (name: string): PciDevice => ({
  name, what: 'VGA (std)', bootVga: true, romfile: 'vgabios-stdvga.bin',
  bars: [{ index: 0, kind: 'prefmem', size: 16n * MiB }, { index: 2, kind: 'mem', size: 0x1000n }, { index: 6, kind: 'mem', size: romBarSize('vgabios-stdvga.bin') }],
});

/**
 * The PCI functions with BARs on each board, in bus order (SeaBIOS foreachpci walks devfn up).
 * pc (hw/i386/pc_piix.c pc_init1): PIIX3 at 00:01.x (its IDE and PM functions have I/O BARs only),
 * pc_vga_init() takes the next free slot 00:02.0, pc_nic_init() the default NIC model "e1000" at
 * 00:03.0 (pcmc->default_nic_model). q35 (hw/i386/pc_q35.c pc_q35_init): VGA 00:01.0, the default
 * NIC "e1000e" 00:02.0, ICH9 at 00:1f (LPC and SMBus without memory BARs, AHCI 00:1f.2).
 */
export const DEFAULT_PCI_DEVICES: Readonly<Record<MachineType, readonly PciDevice[]>> = {
  pc: [
    stdVga('0000:00:02.0'),
    // hw/net/e1000.c pci_e1000_realize(): BAR0 PNPMMIO_SIZE 0x20000, BAR1 I/O 0x40; romfile efi-e1000.rom
    { name: '0000:00:03.0', what: 'e1000', bootVga: false, romfile: 'efi-e1000.rom', bars: [{ index: 0, kind: 'mem', size: 0x20000n }, { index: 1, kind: 'io', size: 0x40n }, { index: 6, kind: 'mem', size: romBarSize('efi-e1000.rom') }] },
  ],
  q35: [
    stdVga('0000:00:01.0'),
    // hw/net/e1000e.c e1000e_pci_realize(): BAR0 E1000E_MMIO_SIZE, BAR1 E1000E_FLASH_SIZE (128 KiB each),
    // BAR2 I/O 32, BAR3 E1000E_MSIX_SIZE 16 KiB; romfile efi-e1000e.rom
    { name: '0000:00:02.0', what: 'e1000e', bootVga: false, romfile: 'efi-e1000e.rom', bars: [{ index: 0, kind: 'mem', size: 128n * KiB }, { index: 1, kind: 'mem', size: 128n * KiB }, { index: 2, kind: 'io', size: 32n }, { index: 3, kind: 'mem', size: 16n * KiB }, { index: 6, kind: 'mem', size: romBarSize('efi-e1000e.rom') }] },
    // hw/ide/ich.c pci_ich9_ahci_realize(): BAR4 I/O 32 (the index/data pair), BAR5 the ABAR, AHCI_MEM_BAR_SIZE 0x1000
    { name: '0000:00:1f.2', what: 'ICH9 AHCI', bootVga: false, bars: [{ index: 4, kind: 'io', size: 32n }, { index: 5, kind: 'mem', size: 0x1000n }] },
  ],
};

/** A function on bus 0 as read_pci_config(0, slot, func, 0x00) returns its ID register: vendor in the low half, device in the high. */
export interface PciFunctionId {
  readonly slot: number;
  readonly func: number;
  readonly vendor: number;
  readonly device: number;
}

/**
 * Every function on bus 0 of each board, with its vendor and device ID (include/hw/pci/pci_ids.h, QEMU 7.2).
 * pc: the i440FX host bridge 00:00.0 (hw/pci-host/i440fx.c, 8086:1237), PIIX3 ISA 00:01.0 (hw/isa/piix3.c,
 * 8086:7000), its IDE 00:01.1 (hw/ide/piix.c, 8086:7010), PIIX4 PM 00:01.3 (hw/acpi/piix4.c, 8086:7113), the std
 * VGA 00:02.0 (hw/display/vga-pci.c, 1234:1111), e1000 00:03.0 (hw/net/e1000.c, 8086:100e). q35: the MCH 00:00.0
 * (hw/pci-host/q35.c, 8086:29c0), VGA 00:01.0, e1000e 00:02.0 (hw/net/e1000e.c, 8086:10d3), ICH9 LPC 00:1f.0
 * (hw/isa/lpc_ich9.c, 8086:2918), AHCI 00:1f.2 (hw/ide/ich.c, 8086:2922), SMBus 00:1f.3 (hw/i2c/smbus_ich9.c,
 * 8086:2930). No AMD (0x1022) function: the K8 northbridge scans of old x86_64 kernels find none.
 */
export const BUS0_FUNCTIONS: Readonly<Record<MachineType, readonly PciFunctionId[]>> = {
  pc: [
    { slot: 0, func: 0, vendor: 0x8086, device: 0x1237 }, { slot: 1, func: 0, vendor: 0x8086, device: 0x7000 },
    { slot: 1, func: 1, vendor: 0x8086, device: 0x7010 }, { slot: 1, func: 3, vendor: 0x8086, device: 0x7113 },
    { slot: 2, func: 0, vendor: 0x1234, device: 0x1111 }, { slot: 3, func: 0, vendor: 0x8086, device: 0x100e },
  ],
  q35: [
    { slot: 0, func: 0, vendor: 0x8086, device: 0x29c0 }, { slot: 1, func: 0, vendor: 0x1234, device: 0x1111 },
    { slot: 2, func: 0, vendor: 0x8086, device: 0x10d3 }, { slot: 0x1f, func: 0, vendor: 0x8086, device: 0x2918 },
    { slot: 0x1f, func: 2, vendor: 0x8086, device: 0x2922 }, { slot: 0x1f, func: 3, vendor: 0x8086, device: 0x2930 },
  ],
};

/** read_pci_config(0, slot, func, 0x00) (arch/x86_64/pci/direct.c-style type-1 access): the ID register, or all ones where no function answers. */
export function pciIdRegister(functions: readonly PciFunctionId[], slot: number, func: number): number {
  const f = functions.find((x) => x.slot === slot && x.func === func);
  return f === undefined ? 0xffffffff : ((f.device << 16) | f.vendor) >>> 0;
}

/** One BAR where SeaBIOS put it. */
export interface MappedBar {
  readonly device: PciDevice;
  readonly bar: PciBar;
  readonly start: bigint;
}

/** src/fw/pciinit.c BUILD_PCIMEM_END: the 32-bit MMIO window ends below the IOAPIC. */
export const PCIMEM_END = 0xfec00000n;
/** src/fw/pciinit.c PCI_DEVICE_MEM_MIN: a memory BAR takes at least a page. */
const PCI_DEVICE_MEM_MIN = 0x1000n;

interface Region {
  readonly entries: Array<{ device: PciDevice; bar: PciBar; size: bigint }>;
}

const regionSum = (r: Region): bigint => r.entries.reduce((s, e) => s + e.size, 0n);
// src/fw/pciinit.c pci_region_align(): the first entry's (the list is sorted, largest align first)
const regionAlign = (r: Region): bigint => r.entries[0]?.size ?? 1n;
const alignDown = (x: bigint, a: bigint): bigint => x - (x % a);

/**
 * SeaBIOS 1.16.2 src/fw/pciinit.c: pci_bios_check_devices() sorts each region's entries by
 * alignment then size, largest first, later equal ones after earlier (pci_region_create_entry; a
 * memory BAR's size is at least PCI_DEVICE_MEM_MIN); pci_bios_init_root_regions_mem() puts the
 * region of the smaller alignment at the top, ALIGN_DOWN(pcimem_end − sum, align), the other below
 * it; pci_region_map_entries() places the entries one after the other from the region's base. The
 * memory BARs of the board's default devices, in that order.
 */
export function seabiosMemBars(machine: MachineType, pcimemStart: bigint): MappedBar[] {
  const mem: Region = { entries: [] };
  const pref: Region = { entries: [] };
  for (const device of DEFAULT_PCI_DEVICES[machine]) {
    for (const bar of device.bars) {
      if (bar.kind === 'io') continue;
      const size = bar.size < PCI_DEVICE_MEM_MIN ? PCI_DEVICE_MEM_MIN : bar.size;
      const r = bar.kind === 'prefmem' ? pref : mem;
      const at = r.entries.findIndex((e) => e.size < size);
      r.entries.splice(at < 0 ? r.entries.length : at, 0, { device, bar, size });
    }
  }
  let [start, end] = [mem, pref];
  if (regionAlign(start) < regionAlign(end)) [start, end] = [pref, mem];
  const endBase = alignDown(PCIMEM_END - regionSum(end), regionAlign(end));
  const startBase = alignDown(endBase - regionSum(start), regionAlign(start));
  if (startBase < pcimemStart) {
    throw new SimError('SIM_NOT_MODELLED', 'firmware/qemu-7.2-pci', `PCI: the default devices' BARs do not fit between 0x${pcimemStart.toString(16)} and 0x${PCIMEM_END.toString(16)}; SeaBIOS's move to the 64-bit window is not modelled`);
  }
  const out: MappedBar[] = [];
  for (const [r, base] of [[start, startBase], [end, endBase]] as const) {
    let addr = base;
    for (const e of r.entries) {
      out.push({ device: e.device, bar: e.bar, start: addr });
      addr += e.size;
    }
  }
  return out;
}

/** An inclusive address range. */
export interface Span {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * The memory windows of PCI0._CRS in the DSDT (hw/i386/acpi-build.c build_dsdt, QEMU 7.2): the
 * legacy VGA window 0xa0000-0xbffff; the 32-bit hole [below-4G RAM end, IO_APIC_DEFAULT_ADDRESS − 1]
 * (hw/pci-host/i440fx.c i440fx_init, hw/pci-host/q35.c mch_update: "mmconfig will be excluded by the
 * dsdt builder") less the MCFG window (crs_range_insert(mem_ranges, mcfg) then
 * crs_replace_with_free_ranges over the hole); the 64-bit hole from pc_pci_hole64_start(),
 * ROUND_UP(above-4G RAM end, 1 GiB), to ROUND_UP(start + pci-hole64-size, 1 GiB) (the
 * *_get_pci_hole64_end getters with x-pci-hole64-fix; SeaBIOS mapped no 64-bit BAR, so w64 is empty).
 * `mcfg`: whether the MCFG table exists (q35 with PCIEXBAR enabled by SeaBIOS).
 */
export function dsdtMemWindows(machine: MachineType, layout: QemuMemoryLayout, facts: QemuFacts = QEMU_7_2): { legacy: Span; hole32: Span[]; hole64: Span } {
  const m = facts.machines[machine];
  const hole: Span = { start: layout.belowGb4, end: PCIMEM_END - 1n };
  const mm = m.mmconfig;
  const hole32 = mm === undefined || mm.base > hole.end || mm.base + mm.size - 1n < hole.start
    ? [hole]
    : [{ start: hole.start, end: mm.base - 1n }, { start: mm.base + mm.size, end: hole.end }].filter((s) => s.start <= s.end);
  // hw/i386/pc.c pc_above_4g_end(): above_4g_mem_start + above_4g_mem_size (the start is 4G, or past the AMD HT hole)
  const start64 = ALIGN(layout.above4gStart + layout.above4g, SZ_1G);
  const hole64: Span = { start: start64, end: ALIGN(start64 + m.pciHole64Size, SZ_1G) - 1n };
  return { legacy: { start: 0xa0000n, end: 0xbffffn }, hole32, hole64 };
}

/** include/hw/timer/hpet.h HPET_BASE, HPET_LEN: the HPET pc_basic_device_init() maps (hw/i386/pc.c, pcms->hpet_enabled by default), in the ACPI HPET table and the DSDT's HPET _CRS. */
export const HPET = { base: 0xfed00000n, len: 0x400n } as const;
/** include/hw/i386/ioapic.h IO_APIC_DEFAULT_ADDRESS: the MADT's one IOAPIC (hw/i386/acpi-common.c acpi_build_madt). */
export const IOAPIC_BASE = 0xfec00000n;
/** target/i386/cpu.h APIC_DEFAULT_ADDRESS: the MADT's local APIC address (hw/i386/acpi-common.c acpi_build_madt). */
export const LAPIC_BASE = 0xfee00000n;

/** One option ROM where SeaBIOS left it in the 0xc0000-0xeffff window. */
export interface PlacedRom {
  readonly file: RomFile;
  readonly start: bigint;
  /** sectors × 512: what the header says after init. */
  readonly size: bigint;
}

/** src/config.h BUILD_ROM_START, src/optionroms.h OPTION_ROM_ALIGN. */
const BUILD_ROM_START = 0xc0000n;
const OPTION_ROM_ALIGN = 2048n;

/**
 * SeaBIOS 1.16.2 src/optionroms.c: vgarom_setup() puts the boot VGA's ROM at BUILD_ROM_START;
 * optionrom_setup() then deploys each other PCI device's ROM in bus order and the fw_cfg "genroms/"
 * files, each at RomEnd, and rom_confirm() moves RomEnd to ALIGN(start + header size × 512,
 * OPTION_ROM_ALIGN) after the ROM's init (iPXE shrinks itself there). The genroms come in the reverse
 * of fw_cfg's name order (src/romfile.c romfile_add() pushes each file at the head): a -kernel boot's
 * linuxboot_dma.bin (hw/i386/x86.c x86_load_linux, fw_cfg DMA on) before kvmvapic.bin (hw/i386/kvmvapic.c
 * vapic_realize, every APIC with the vapic property). kvmvapic.bin is left out: QEMU rewrites it in guest
 * memory (vapic_prepare → patch_hypercalls) without its checksum, so probe_roms() skips it, and nothing
 * the kernel lists lies after it.
 */
export function seabiosOptionRoms(machine: MachineType): PlacedRom[] {
  const out: PlacedRom[] = [];
  let romEnd = BUILD_ROM_START;
  const place = (file: RomFile): void => {
    const start = ALIGN(romEnd, OPTION_ROM_ALIGN);
    const size = ROM_FILES[file].sectors * 512n;
    out.push({ file, start, size });
    romEnd = ALIGN(start + size, OPTION_ROM_ALIGN);
  };
  const devices = DEFAULT_PCI_DEVICES[machine];
  for (const d of devices) if (d.bootVga && d.romfile) place(d.romfile);
  for (const d of devices) if (!d.bootVga && d.romfile) place(d.romfile);
  place('linuxboot_dma.bin');
  return out;
}

/**
 * The DSDT devices the kernel's pnpacpi enumerates (drivers/pnp/pnpacpi/core.c: acpi_get_devices()
 * walks the namespace depth first; a device counts when the PNP scan handler takes its _HID,
 * drivers/acpi/acpi_pnp.c acpi_pnp_device_ids, or it is a CMOS RTC, and it has _CRS) before q35's
 * \_SB.DRAC (PNP0C01, hw/i386/acpi-build.c build_q35_dram_controller, a sibling after \_SB.PCI0): the
 * ISA devices under \_SB.PCI0.ISA of the capture's command line, i8042's KBD (PNP0303) and MOU
 * (PNP0F13, hw/input/pckbd.c i8042_build_aml), the RTC (PNP0B00, hw/rtc/mc146818rtc.c), COM1 (PNP0501,
 * hw/char/serial-isa.c: -nographic's stdio serial) and LPT1 (PNP0400, hw/char/parallel.c: -nographic
 * adds a "null" parallel port, softmmu/vl.c). q35 has no floppy (mc->no_floppy); SMI0 and the hotplug
 * blocks are PNP0A06, which the handler does not take.
 */
export const Q35_PNP_BEFORE_DRAC = ['KBD PNP0303', 'MOU PNP0F13', 'RTC PNP0B00', 'COM1 PNP0501', 'LPT1 PNP0400'] as const;
