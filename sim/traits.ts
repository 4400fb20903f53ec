// KernelTraits: what the stages may branch on, derived once from the kernel's version and config
// (shared/STYLE.md §2). Stages never look at profile or catalog names.
import type { Arch } from './types.ts';
import type { KernelEntry, KernelFacts } from './kernel-facts.ts';
import { isKeptOption } from './kept-options.ts';

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
  /** PMD_SHIFT (PGDIR_SHIFT on 2-level i386): what one PMD-level entry maps. See pagingGeometry(). */
  readonly pmdShift: bigint;
  /** PTRS_PER_PTE: entries in one PTE page. See pagingGeometry(). */
  readonly ptrsPerPte: bigint;
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
  /**
   * Where arch/x86/kernel/alternative.c frees the SMP alternatives (free_init_pages of .smp_locks):
   * alternative_instructions(), from start_kernel's check_bugs()/arch_cpu_finalize_init() (5.10.223,
   * 6.1.192, 6.12.115), or the arch_initcall free_smp_locks(), after deferred struct page init
   * (7.2.13). Only those sources were read: the switch is placed at 7.0.
   */
  readonly smpLocksFreedFrom: 'alternative_instructions' | 'arch_initcall';
  /** init/main.c print_unknown_bootoptions(): since 5.14 (absent in 5.10.223, present in 6.1.192). */
  readonly printsUnknownBootoptions: boolean;
  /**
   * Who prints "Memory:" (mem_init_print_info): mem_init() itself on 5.10.223 (arch/x86/mm/init_*.c,
   * then test_wp_bit() on X86_32), mm_init() right after mem_init() on 6.1.192, page_alloc_init_late()
   * after deferred init and SLUB on 6.12.115 and 7.2.13 (mm/mm_init.c). Only those sources were read:
   * the switches are placed at 6.1 and 6.12.
   */
  readonly memoryLineFrom: 'mem_init' | 'mm_init' | 'page_alloc_init_late';
  /**
   * zone_movable_is_highmem() is the compile-time constant (ZONE_MOVABLE − 1 == ZONE_HIGHMEM) on 5.10
   * without CONFIG_NEED_MULTIPLE_NODES (no NUMA); from 6.1 (only the 5.10 and 6.1 sources were read)
   * and on NUMA builds movable_zone decides (include/linux/mmzone.h).
   */
  readonly movableIsHighmemConstant: boolean;
  /**
   * What memblock.<type>.cnt reads for an empty array: 1 where mm/memblock.c keeps an "empty dummy
   * entry" (5.10.223, 6.1.192), 0 where it does not (6.12.115, 7.2.13). Only those sources were
   * read: the switch is placed at 6.12.
   */
  readonly memblockEmptyCnt: 0 | 1;
  readonly percpu: PercpuTraits;
  readonly zonelists: ZonelistTraits;
  readonly hashes: HashTraits;
  readonly mmCore: MmCoreTraits;
}

/** Version differences of the percpu code (mm/percpu.c, include/linux/percpu.h, cpumask.h). */
export interface PercpuTraits {
  /**
   * pcpu_build_alloc_info grouping. 'first-fit' (5.10): each CPU takes the lowest group with no
   * remote CPU in it. 'pop-first' (6.1+): pop the first ungrouped CPU, add every CPU local to it.
   */
  readonly grouping: 'first-fit' | 'pop-first';
  /** include/linux/cpumask.h: nr_cpumask_bits is nr_cpu_ids (6.1+), or NR_CPUS without CPUMASK_OFFSTACK (5.10). */
  readonly cpumaskBitsAlwaysNrCpuIds: boolean;
  /** include/linux/percpu.h: PERCPU_DYNAMIC_EARLY_SIZE is (20 << PERCPU_DYNAMIC_SIZE_SHIFT) from 6.12; 12K before. */
  readonly dynamicSizeShift: boolean;
  /** mm/percpu.c (5.10): pcpu_nr_slots = slot + 2 lists per chunk type; 6.1+ one set with sidelined/free/to_depopulate slots. */
  readonly chunkListsPerType: boolean;
  /** setup_cpu_local_masks() allocates four masks (5.10, 6.1) or only cpu_sibling_setup_mask (6.12+; taken as 6.5, the x86 hotplug rework). */
  readonly fourLocalMasks: boolean;
}

/** Version differences of build_all_zonelists (mm/page_alloc.c, mm/mm_init.c). */
export interface ZonelistTraits {
  /** init/main.c: build_all_zonelists() in start_kernel (≤ 6.1) or in mm_core_init (6.12+, mm/mm_init.c). */
  readonly where: 'start_kernel' | 'mm_core_init';
  /** mm/page_alloc.c build_zonelists() prints "Fallback order" (since 5.12; absent in 5.10.223). */
  readonly printsFallback: boolean;
  /**
   * zone->managed_pages when the zonelists are built: ≤ 6.1 free_area_init_core() sets
   * freesize = present − memmap − dma_reserve; 6.12+ zone_init_internals(…, present_pages).
   */
  readonly managedAtInit: 'freesize' | 'present';
}

/** Version differences of alloc_large_system_hash (mm/page_alloc.c ≤ 6.1, mm/mm_init.c 6.12+). */
export interface HashTraits {
  /** 5.10 prints order as ilog2(size) − PAGE_SHIFT and never "vmalloc hugepage"; 6.1+ get_order() and vmalloc_huge(). */
  readonly hugeVmalloc: boolean;
  /**
   * __vmalloc_node_range() compares size / num_online_nodes() with PMD_SIZE (6.12 source); 7.2 compares
   * the whole size. Only the 6.12 and 7.2 sources were read, so the switch is placed at 7.0.
   */
  readonly hugeSizePerNode: boolean;
}

/** Version differences of mm_core_init()'s x86 pieces (arch/x86/kernel/pci-dma.c, kernel/dma/swiotlb.c). */
export interface MmCoreTraits {
  /** pci_iommu_alloc() from arch_mm_preinit() before build_all_zonelists (7.2) or from mem_init() (≤ 6.12). */
  readonly pciIommuAllocIn: 'mem_init' | 'arch_mm_preinit';
  /** kernel/dma/swiotlb.c swiotlb_adjust_nareas() prints "area num" (since 6.0; absent in 5.10.223). */
  readonly swiotlbAreas: boolean;
}

export type ZoneName = 'DMA' | 'DMA32' | 'Normal' | 'HighMem' | 'Movable' | 'Device';

/**
 * The PMD-level page size and PTE-page fan-out: 3/4/5-level paging (X86_64, X86_PAE) has PMD_SHIFT 21
 * and PTRS_PER_PTE 512 (asm/pgtable_64_types.h, asm/pgtable-3level_types.h); 2-level X86_32 folds the
 * PMD into the PGD, PGDIR_SHIFT 22, PTRS_PER_PTE 1024 (asm/pgtable-2level_types.h).
 */
export function pagingGeometry(wideEntries: boolean): { pmdShift: bigint; ptrsPerPte: bigint } {
  return wideEntries ? { pmdShift: 21n, ptrsPerPte: 512n } : { pmdShift: 22n, ptrsPerPte: 1024n };
}

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
  // The facts keep only some options; any other would read as "not set" whatever the build says.
  if (!isKeptOption(name)) throw new RangeError(`CONFIG_${name}: not among the options the facts keep (sim/kept-options.ts KEPT_OPTIONS); add it there and re-run \`bootsim kernel facts\``);
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
    // arch/x86/include/asm/sparsemem.h: SECTION_SIZE_BITS 27 (X86_64), 29 (X86_PAE), 26 (2-level X86_32)
    sectionSizeBits: kernel.arch === 'x86_64' ? 27 : configEnabled(kernel, 'X86_PAE') ? 29 : 26,
    ...pagingGeometry(kernel.arch === 'x86_64' || configEnabled(kernel, 'X86_PAE')),
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
    smpLocksFreedFrom: versionAtLeast(version, 7, 0) ? 'arch_initcall' : 'alternative_instructions',
    printsUnknownBootoptions: versionAtLeast(version, 5, 14),
    memoryLineFrom: versionAtLeast(version, 6, 12) ? 'page_alloc_init_late' : versionAtLeast(version, 6, 1) ? 'mm_init' : 'mem_init',
    movableIsHighmemConstant: !versionAtLeast(version, 6, 1) && !configEnabled(kernel, 'NUMA'),
    memblockEmptyCnt: versionAtLeast(version, 6, 12) ? 0 : 1,
    percpu: {
      // checked in 5.10.223 (first-fit loop with goto next_group) and 6.1.192 (cpumask pop)
      grouping: versionAtLeast(version, 6, 1) ? 'pop-first' : 'first-fit',
      // 5.10.223 cpumask.h: #ifdef CONFIG_CPUMASK_OFFSTACK; 6.1.192: "#define nr_cpumask_bits nr_cpu_ids"
      cpumaskBitsAlwaysNrCpuIds: versionAtLeast(version, 6, 1),
      // 6.1.192 percpu.h: PERCPU_DYNAMIC_EARLY_SIZE (12 << 10); 6.12.115: (20 << PERCPU_DYNAMIC_SIZE_SHIFT)
      dynamicSizeShift: versionAtLeast(version, 6, 12),
      // 5.10.223: PCPU_NR_CHUNK_TYPES lists; 6.1.192: pcpu_to_depopulate_slot + 1
      chunkListsPerType: !versionAtLeast(version, 5, 14),
      fourLocalMasks: !versionAtLeast(version, 6, 5),
    },
    zonelists: {
      where: versionAtLeast(version, 6, 12) ? 'mm_core_init' : 'start_kernel',
      printsFallback: versionAtLeast(version, 5, 12),
      managedAtInit: versionAtLeast(version, 6, 12) ? 'present' : 'freesize',
    },
    hashes: { hugeVmalloc: versionAtLeast(version, 5, 18), hugeSizePerNode: !versionAtLeast(version, 7, 0) },
    mmCore: { pciIommuAllocIn: versionAtLeast(version, 7, 0) ? 'arch_mm_preinit' : 'mem_init', swiotlbAreas: versionAtLeast(version, 6, 0) },
  };
}
