// models QEMU 7.2 (Debian 1:7.2+dfsg-7+deb12u18) board facts for the guest memory map:
// hw/i386/pc_piix.c pc_init1(), hw/i386/pc_q35.c pc_q35_init() (low/high split), hw/i386/pc.c
// pc_memory_init() (etc/e820, the AMD HyperTransport hole); the vCPU (target/i386/cpu.c) is
// sim/firmware/qemu-7.2-cpu.ts over the generated model table.
// A later QEMU is a new data set of the same shape, not a fork of the code.
import type { Arch, MachineType } from '../types.ts';
import { SZ_1G, SZ_2G, SZ_4G, SZ_256M, ALIGN, bytes } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { effectiveCpu, type CpuVendor, type EffectiveCpu, type QemuCpuTable } from './qemu-7.2-cpu.ts';
import { QEMU_7_2_CPU_TABLE } from './qemu-7.2-cpu-models.ts';

/** e820 types as QEMU and SeaBIOS number them (hw/i386/e820_memory_layout.h, src/e820map.h). */
export const E820_RAM = 1;
export const E820_RESERVED = 2;
export const E820_ACPI = 3;
export const E820_NVS = 4;
export const E820_UNUSABLE = 5;
export const E820_PMEM = 7;
export const E820_PRAM = 12;
// arch/x86/include/asm/e820/types.h (the kernel's E820_TYPE_SOFT_RESERVED, never in a QEMU map)
export const E820_SOFT_RESERVED = 0xefffffff;

export interface E820Entry {
  readonly addr: bigint;
  readonly size: bigint;
  readonly type: number;
}

export interface QemuMachineFacts {
  /** mc->name of the default (latest) machine version; it is also SMBIOS type 1/3/4's version string. */
  readonly versionedName: string;
  /** smbios_set_defaults() product string (pc_piix.c / pc_q35.c). */
  readonly smbiosProduct: string;
  /** Split rule: with RAM ≥ `splitAt`, low RAM is `lowWhenSplit` and the rest goes above 4G. */
  readonly splitAt: bigint;
  readonly lowWhenSplit: bigint;
  /** PCI_HOST_PROP_PCI_HOLE64_SIZE default (hw/pci-host/i440fx.c, hw/pci-host/q35.c). */
  readonly pciHole64Size: bigint;
  /** pcmc->enforce_amd_1tb_hole: true for machine types ≥ 7.1 (hw/i386/pc.c pc_machine_class_init). */
  readonly enforceAmd1TbHole: boolean;
  /** PCIe MMCONFIG window SeaBIOS reserves (q35 only). */
  readonly mmconfig: { readonly base: bigint; readonly size: bigint } | undefined;
  /** ICH9 root complex register block SeaBIOS reserves (q35 only). */
  readonly rcba: { readonly base: bigint; readonly size: bigint } | undefined;
  /** Default CD-ROM hangs off AHCI (q35: block_default_type IF_AHCI), so SeaBIOS sets up one AHCI port. */
  readonly ahciCdrom: boolean;
}

export interface QemuFacts {
  readonly version: readonly [number, number];
  readonly machines: Readonly<Record<MachineType, QemuMachineFacts>>;
  /** The default -cpu of qemu-system-<arch> (target/i386/cpu.c: TARGET_DEFAULT_CPU_TYPE). */
  readonly defaultCpu: Readonly<Record<Arch, string>>;
  /** The CPU model table (target/i386/cpu.c, generated: sim/firmware/qemu-7.2-cpu-models.ts). */
  readonly cpuTable: QemuCpuTable;
  /** hw/i386/pc.c: AMD_HT_START / AMD_HT_END. */
  readonly amdHtStart: bigint;
  readonly amdHtEnd: bigint;
}

export const QEMU_7_2: QemuFacts = {
  version: [7, 2],
  machines: {
    pc: {
      versionedName: 'pc-i440fx-7.2',
      smbiosProduct: 'Standard PC (i440FX + PIIX, 1996)',
      // hw/i386/pc_piix.c pc_init1(): max_ram_below_4g defaults to 0xe0000000; with RAM ≥ that and
      // gigabyte_align (true since 2.1) lowmem is capped at 0xc0000000 (QEMU 7.2)
      splitAt: 0xe0000000n,
      lowWhenSplit: 0xc0000000n,
      pciHole64Size: 1n << 31n, // hw/pci-host/i440fx.c I440FX_PCI_HOST_HOLE64_SIZE_DEFAULT
      enforceAmd1TbHole: true,
      mmconfig: undefined,
      rcba: undefined,
      ahciCdrom: false,
    },
    q35: {
      versionedName: 'pc-q35-7.2',
      smbiosProduct: 'Standard PC (Q35 + ICH9, 2009)',
      // hw/i386/pc_q35.c pc_q35_init(): RAM ≥ 0xb0000000 → lowmem 0x80000000, else all low (QEMU 7.2)
      splitAt: 0xb0000000n,
      lowWhenSplit: SZ_2G,
      pciHole64Size: 1n << 35n, // hw/pci-host/q35.c Q35_PCI_HOST_HOLE64_SIZE_DEFAULT
      enforceAmd1TbHole: true,
      // SeaBIOS src/fw/pciinit.c mch_mmconfig_setup(): Q35_HOST_BRIDGE_PCIEXBAR_ADDR, 256 MiB
      mmconfig: { base: 0xb0000000n, size: SZ_256M },
      // SeaBIOS src/fw/pciinit.c mch_isa_bridge_setup(): e820_add(ICH9_LPC_RCBA_ADDR, 16*1024)
      rcba: { base: 0xfed1c000n, size: 0x4000n },
      ahciCdrom: true,
    },
  },
  defaultCpu: { x86_64: 'qemu64', i386: 'qemu32' },
  cpuTable: QEMU_7_2_CPU_TABLE,
  amdHtStart: 0xfd00000000n,
  amdHtEnd: 0xffffffffffn,
};

const cpuCache = new Map<string, EffectiveCpu>();

/**
 * The vCPU of `-cpu <cpu>` (the binary's default model when the profile names none) on
 * qemu-system-<arch> under TCG: its effective CPUID (sim/firmware/qemu-7.2-cpu.ts). Every stage and
 * the firmware read the CPU through this one function.
 */
export function guestCpu(cpu: string | undefined, arch: Arch, facts: QemuFacts = QEMU_7_2): EffectiveCpu {
  const spec = cpu ?? facts.defaultCpu[arch];
  const key = `${arch} ${spec}`;
  const hit = facts === QEMU_7_2 ? cpuCache.get(key) : undefined;
  if (hit) return hit;
  const r = effectiveCpu(spec, arch, facts.cpuTable);
  if (facts === QEMU_7_2) cpuCache.set(key, r);
  return r;
}

/** What pc_memory_init() decided: the split, where high RAM sits, and the etc/e820 file. */
export interface QemuMemoryLayout {
  readonly belowGb4: bigint;
  readonly above4g: bigint;
  readonly above4gStart: bigint;
  readonly physBits: number;
  readonly vendor: CpuVendor;
  /** fw_cfg etc/e820, in the order pc_memory_init() appended the entries. */
  readonly e820: readonly E820Entry[];
}

export interface QemuInput {
  readonly arch: Arch;
  readonly machine: MachineType;
  readonly memoryBytes: number;
  /** The size as the profile wrote it, for messages. */
  readonly memoryText?: string;
  readonly cpu: string | undefined;
}

export function qemuMemoryLayout(input: QemuInput, facts: QemuFacts = QEMU_7_2): QemuMemoryLayout {
  const m = facts.machines[input.machine];
  const ram = bytes(input.memoryBytes);
  const cpu = guestCpu(input.cpu, input.arch, facts);
  // target/i386/cpu.c x86_cpu_realizefn(): LM → TCG_PHYS_ADDR_BITS, else PSE36 ? 36 : 32 (QEMU 7.2);
  // qemu-system-i386 filters LM out of every model (x86_cpu_get_supported_feature_word)
  const physBits = cpu.physBits;

  // pc_piix.c / pc_q35.c: the low/high split
  const below = ram >= m.splitAt ? m.lowWhenSplit : ram;
  const above = ram - below;
  let aboveStart = SZ_4G;

  const e820: E820Entry[] = [];
  // hw/i386/pc.c pc_max_used_gpa(): ≤ 32 phys bits → the CPU limit, else the end of the 64-bit PCI hole,
  // which pc_pci_hole64_start() puts at ROUND_UP(above-4G end, 1 GiB) (no maxmem, no CXL: not modelled)
  const maxUsedGpa = (start: bigint): bigint =>
    physBits <= 32 ? (1n << BigInt(physBits)) - 1n : ALIGN(start + above, SZ_1G) + m.pciHole64Size - 1n;

  // hw/i386/pc.c pc_memory_init(): AMD vCPU and enforce_amd_1tb_hole → relocate above-4G RAM past 1 TiB
  // when the used GPA range would reach AMD_HT_START, and advertise the HT hole when phys-bits ≥ 40 (QEMU 7.2)
  if (cpu.vendor === 'AMD' && m.enforceAmd1TbHole) {
    if (maxUsedGpa(aboveStart) >= facts.amdHtStart) aboveStart = facts.amdHtEnd + 1n;
    if (physBits >= 40) e820.push({ addr: facts.amdHtStart, size: facts.amdHtEnd + 1n - facts.amdHtStart, type: E820_RESERVED });
  }
  // hw/i386/pc.c pc_memory_init(): "Address space limit … phys-bits too low" and exit(1) (QEMU 7.2)
  const maxPhys = (1n << BigInt(physBits)) - 1n;
  const used = maxUsedGpa(aboveStart);
  if (maxPhys < used) {
    throw new SimError('SIM_QEMU_REFUSES', 'firmware/qemu-7.2',
      `memory ${input.memoryText ?? input.memoryBytes}: QEMU 7.2 exits with "Address space limit 0x${maxPhys.toString(16)} < 0x${used.toString(16)} phys-bits too low (${physBits})"`);
  }
  e820.push({ addr: 0n, size: below, type: E820_RAM });
  if (above > 0n) e820.push({ addr: aboveStart, size: above, type: E820_RAM });
  return { belowGb4: below, above4g: above, above4gStart: aboveStart, physBits, vendor: cpu.vendor, e820 };
}
