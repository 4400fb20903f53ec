// KernelTraits: what the stages may branch on, derived once from the kernel's version and config
// (shared/STYLE.md §2). Stages never look at profile or catalog names.
import type { Arch } from './types.ts';
import type { KernelEntry, KernelFacts } from './kernel-facts.ts';

export type KernelVersion = readonly [major: number, minor: number];

export interface KernelTraits {
  readonly arch: Arch;
  readonly version: KernelVersion;
  /** CONFIG_X86_PAE (i386 only; x86_64 is always 64-bit physical). */
  readonly pae: boolean;
  /** CONFIG_X86_5LEVEL: the build can run 5-level paging when the CPU has LA57. */
  readonly fiveLevel: boolean;
  /**
   * e820 message style. 'classic': "usable"/"reserved" after one space (5.10, 6.1, 6.12).
   * 'named': " System RAM"/" device reserved" after the space, `[gap …]` lines in tables and
   * no trailing space before " ==>" (arch/x86/kernel/e820.c of 7.2).
   */
  readonly e820Style: 'classic' | 'named';
  /** e820__end_ram_pfn counts E820_TYPE_ACPI as well as RAM (6.12 and 7.2; 5.10 and 6.1 RAM only). */
  readonly endPfnCountsAcpi: boolean;
  /** CONFIG_NR_CPUS; undefined when the kernel has no facts. */
  readonly nrCpus: number | undefined;
  /** CONFIG_NUMA: SRAT is parsed and memory gets node ids (the i386 builds have none). */
  readonly numa: boolean;
  /** CONFIG_HIGHMEM (i386): ZONE_HIGHMEM exists and find_low_pfn_range splits at MAXMEM_PFN. */
  readonly highmem: boolean;
  /** CONFIG_FLATMEM or CONFIG_SPARSEMEM (include/linux/mmzone.h pfn_valid); undefined without facts. */
  readonly memoryModel: 'flatmem' | 'sparsemem' | undefined;
  /** arch/x86/include/asm/sparsemem.h SECTION_SIZE_BITS: 27 on x86_64, 29 with PAE, 26 without. */
  readonly sectionSizeBits: number;
  /** enum zone_type in order (include/linux/mmzone.h), from CONFIG_ZONE_DMA/DMA32/HIGHMEM/ZONE_DEVICE. */
  readonly zones: readonly ZoneName[];
  /**
   * 5.10 prints "On node N totalpages", "  Z zone: N pages used for memmap", "… pages reserved",
   * "… pages, LIFO batch:N" (KERN_DEBUG in calculate_node_totalpages, free_area_init_core,
   * zone_pcp_init); 6.1.192 has none of them. Versions between are taken as 6.1.
   */
  readonly zoneDebugLines: boolean;
  /**
   * memmap_init's init_unavailable_range() is built on FLATMEM too: 5.10.223 compiles it only
   * #if !defined(CONFIG_FLAT_NODE_MEM_MAP) (an empty stub on FLATMEM); 6.1 builds it always.
   * Versions between are taken as 6.1.
   */
  readonly unavailableOnFlatmem: boolean;
  /**
   * Where free_area_init() runs: from setup_arch via paging_init → zone_sizes_init (5.10–6.12.115),
   * or from start_kernel → mm_core_init_early() after setup_arch (7.2.13). Only those two are
   * verified; the switch is taken as 7.0.
   */
  readonly freeAreaInitFrom: 'setup_arch' | 'mm_core_init_early';
  /**
   * e820__register_nosave_regions(): 5.10 walks every entry (gaps and non-RAM entries, stopping at
   * limit_pfn); 6.1/6.12 register only the gaps between RAM entries, then [last RAM end, limit_pfn).
   */
  readonly nosaveStyle: 'walk-entries' | 'ram-gaps';
  /** "smpboot: Allowing %d CPUs, %d hotplug CPUs" (prefill_possible_map, ≤ 6.1) or "CPU topo: …" (≥ 6.12). */
  readonly possibleCpusStyle: 'smpboot' | 'cpu-topo';
  /** CONFIG_GART_IOMMU: arch/x86/kernel/aperture_64.c is built and early_gart_iommu_check() runs. */
  readonly gartIommu: boolean;
}

export type ZoneName = 'DMA' | 'DMA32' | 'Normal' | 'HighMem' | 'Movable' | 'Device';

/** Version of the build, from `release` ("6.1.0-56-amd64", "7.2.13+deb14-amd64"). */
export function parseKernelVersion(release: string): KernelVersion {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (!m) throw new RangeError(`kernel release: expected "<major>.<minor>…", got ${JSON.stringify(release)}`);
  return [Number(m[1]), Number(m[2])];
}

export const versionAtLeast = (v: KernelVersion, major: number, minor: number): boolean =>
  v[0] > major || (v[0] === major && v[1] >= minor);

type KernelLike = Pick<KernelEntry, 'id' | 'arch' | 'release'> & { readonly facts?: Pick<KernelFacts, 'config'> | undefined };

/**
 * One config option, without CONFIG_, from `facts.config` (extracted from the package by
 * qemu-scripts/kernel/facts.ts). An option that is absent is "is not set"; a kernel without facts
 * knows no options at all (the harness always loads facts: harness/kernels.ts loadKernelWithFacts).
 */
export function kernelConfig(kernel: KernelLike, name: string): string | undefined {
  const cfg = kernel.facts?.config;
  return cfg && Object.prototype.hasOwnProperty.call(cfg, name) ? cfg[name] : undefined;
}

export const configEnabled = (kernel: KernelLike, name: string): boolean => kernelConfig(kernel, name) === 'y';

export function deriveTraits(kernel: KernelLike): KernelTraits {
  const version = parseKernelVersion(kernel.release);
  return {
    arch: kernel.arch,
    version,
    pae: kernel.arch === 'i386' && configEnabled(kernel, 'X86_PAE'),
    fiveLevel: kernel.arch === 'x86_64' && (configEnabled(kernel, 'X86_5LEVEL') || versionAtLeast(version, 6, 16)),
    // Checked in the 6.12.115 and 7.2.13 sources; upstream reworded e820 output in between
    // ("x86/boot/e820" series, 6.16). Versions between 6.13 and 6.15 are taken as classic.
    e820Style: versionAtLeast(version, 6, 16) ? 'named' : 'classic',
    // 6.1.192: e820_end_pfn(limit, E820_TYPE_RAM); 6.12.115: e820__end_ram_pfn counts RAM and ACPI.
    endPfnCountsAcpi: versionAtLeast(version, 6, 12),
    nrCpus: kernelConfig(kernel, 'NR_CPUS') === undefined ? undefined : Number(kernelConfig(kernel, 'NR_CPUS')),
    numa: configEnabled(kernel, 'NUMA'),
    highmem: configEnabled(kernel, 'HIGHMEM'),
    memoryModel: configEnabled(kernel, 'FLATMEM') ? 'flatmem' : configEnabled(kernel, 'SPARSEMEM') ? 'sparsemem' : undefined,
    sectionSizeBits: kernel.arch === 'x86_64' ? 27 : configEnabled(kernel, 'X86_PAE') ? 29 : 26,
    zones: [
      ...(configEnabled(kernel, 'ZONE_DMA') ? ['DMA' as const] : []),
      ...(configEnabled(kernel, 'ZONE_DMA32') ? ['DMA32' as const] : []),
      'Normal' as const,
      ...(configEnabled(kernel, 'HIGHMEM') ? ['HighMem' as const] : []),
      'Movable' as const,
      ...(configEnabled(kernel, 'ZONE_DEVICE') ? ['Device' as const] : []),
    ],
    zoneDebugLines: !versionAtLeast(version, 5, 11),
    unavailableOnFlatmem: versionAtLeast(version, 5, 11),
    freeAreaInitFrom: versionAtLeast(version, 7, 0) ? 'mm_core_init_early' : 'setup_arch',
    // 5.10.223 walks entries; 6.1.192 and later walk RAM gaps (upstream "x86/e820: Fix handling of
    // subpage regions when calculating nosave ranges", 6.0)
    nosaveStyle: versionAtLeast(version, 6, 0) ? 'ram-gaps' : 'walk-entries',
    // 6.1.192: prefill_possible_map(); 6.12.115: topology_init_possible_cpus() (x86 topology rework, 6.9)
    possibleCpusStyle: versionAtLeast(version, 6, 9) ? 'cpu-topo' : 'smpboot',
    gartIommu: kernel.arch === 'x86_64' && configEnabled(kernel, 'GART_IOMMU'),
  };
}
