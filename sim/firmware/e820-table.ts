// The e820 table QEMU 7.2 + SeaBIOS 1.16.2 hand the kernel for a MachineSpec: QEMU's etc/e820,
// then SeaBIOS's reservations and ZoneHigh, plus the SRAT memory ranges for -numa.
import type { Arch, MachineSpec } from '../types.ts';
import { QEMU_7_2, qemuMemoryLayout, type E820Entry, type QemuFacts, type QemuMemoryLayout, E820_RAM } from './qemu-7.2.ts';
import { seabiosE820, type HighAlloc, type SeabiosResult } from './seabios.ts';
import { smbiosTableLength, smbiosInZoneHigh } from './smbios.ts';
import { sratMemoryAffinity, type SratMemory } from './srat.ts';
import { bytes } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';

/**
 * hw/i386/acpi-build.c acpi_build(): the etc/acpi/tables blob is padded to ACPI_BUILD_TABLE_SIZE
 * (0x20000) and allocated high with 64-byte alignment ("Ensure FACS is aligned").
 */
export const ACPI_BUILD_TABLE_SIZE = 0x20000n;
const ACPI_TABLES_ALIGN = 64n;
/**
 * The padding is ROUND_UP(len, 0x20000): one step as long as the tables stay under 128 KiB. We do not
 * build the tables; the bound comes from what they contain per vCPU and from captures. The blob
 * (FACS, DSDT, FACP, APIC, HPET, [SRAT], [MCFG], WAET, RSDT) grows by one DSDT CPU device (~86
 * bytes: hw/acpi/cpu.c build_cpus_aml) and one MADT LAPIC entry (8 bytes: hw/i386/acpi-common.c
 * build_madt) per vCPU, plus 16 bytes of SRAT per vCPU and 40 per node with -numa
 * (hw/i386/acpi-build.c build_srat). Captured: 6.1 pc with 2 vCPUs spans 0x1b67 bytes, with 255
 * vCPUs 0x7850 (30 KiB); 5.10 q35 with 200 vCPUs 0x6c2b. At QEMU's TCG maximum of 255 vCPUs
 * (sim/envelope.ts TCG_MAX_CPUS) with 64 nodes that is under 48 KiB, below even QEMU's 64 KiB
 * warning, so the blob is always one step. tests/sim/firmware/acpi-blob.test.ts checks every
 * golden's tables against the step.
 */
const MAX_CPUS_FOR_ONE_TABLE_STEP = 255;

export interface FirmwareTable {
  readonly qemu: QemuMemoryLayout;
  readonly seabios: SeabiosResult;
  /** The map the kernel reads through int 15h e820 (boot_params.e820_table), in SeaBIOS order. */
  readonly e820: readonly E820Entry[];
  /** SRAT memory affinity ranges, when the profile has -numa nodes. */
  readonly srat: readonly SratMemory[] | undefined;
  readonly smbiosLength: number;
}

export function firmwareTable(spec: Pick<MachineSpec, 'machine' | 'memoryBytes' | 'memoryText' | 'cpu' | 'cpus' | 'numa'>, arch: Arch, facts: QemuFacts = QEMU_7_2): FirmwareTable {
  if (spec.cpus > MAX_CPUS_FOR_ONE_TABLE_STEP) {
    throw new SimError('SIM_NOT_MODELLED', 'firmware/e820-table', `cpus: the ACPI table blob size is modelled only up to ${MAX_CPUS_FOR_ONE_TABLE_STEP} vCPUs, got ${spec.cpus}`);
  }
  if (spec.numa) {
    const total = spec.numa.reduce((n, x) => n + x.memoryBytes, 0);
    if (total !== spec.memoryBytes) {
      throw new SimError('SIM_QEMU_REFUSES', 'firmware/e820-table', `numa: node memory must add up to memory (${spec.memoryText}), got ${total} bytes`);
    }
  }
  const machine = facts.machines[spec.machine];
  const qemu = qemuMemoryLayout({ arch, machine: spec.machine, memoryBytes: spec.memoryBytes, memoryText: spec.memoryText, cpu: spec.cpu }, facts);
  const smbiosLength = smbiosTableLength({
    machine,
    ramBytes: bytes(spec.memoryBytes),
    sockets: 1,
    ramAreas: qemu.e820.filter((e) => e.type === E820_RAM).length,
  });
  const highAllocs: HighAlloc[] = [];
  // src/fw/paravirt.c qemu_platform_setup(): smbios_setup() before the table loader runs
  if (smbiosInZoneHigh(smbiosLength)) highAllocs.push({ what: 'SMBIOS tables', size: BigInt(smbiosLength), align: 16n });
  // src/fw/romfile_loader.c romfile_loader_allocate(): etc/acpi/tables into ZoneHigh
  highAllocs.push({ what: 'etc/acpi/tables', size: ACPI_BUILD_TABLE_SIZE, align: ACPI_TABLES_ALIGN });
  if (machine.ahciCdrom) {
    // src/hw/ahci.c ahci_port_realloc(): command list, FIS area and command table of the CD-ROM port
    highAllocs.push({ what: 'AHCI port list', size: 1024n, align: 1024n });
    highAllocs.push({ what: 'AHCI port fis', size: 256n, align: 256n });
    highAllocs.push({ what: 'AHCI port cmd', size: 256n, align: 256n });
  }
  const seabios = seabiosE820({ qemuE820: qemu.e820, highAllocs, mmconfig: machine.mmconfig, rcba: machine.rcba });
  // -numa changes neither etc/e820 nor SeaBIOS's map: only the SRAT (hw/i386/acpi-build.c build_srat)
  const srat = spec.numa ? sratMemoryAffinity(spec.numa.map((n) => n.memoryBytes), qemu.belowGb4, qemu.above4gStart) : undefined;
  return { qemu, seabios, e820: seabios.e820, srat, smbiosLength };
}
