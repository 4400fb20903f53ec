// The kernel function each stage of sim/boot.ts models, and the call that reaches it, as the
// stage's declaration comment there says: what the explorer shows a learner beside the stage name.
// tests/harness/report/explore/explore.test.ts fails when a stage of the pipeline has no entry.

export interface KernelFunction {
  /** The function the stage models, e.g. "e820__memory_setup()". */
  readonly fn: string;
  /** Where it is called from, outermost first. */
  readonly path: string;
  /** The kernel file that holds it. */
  readonly file: string;
}

const f = (fn: string, path: string, file: string): KernelFunction => ({ fn, path, file });

export const STAGE_FUNCTIONS: Readonly<Record<string, KernelFunction>> = {
  envelopeStage: f('(bootsim) the profile envelope', 'before the boot: what the model refuses', 'sim/envelope.ts'),
  cmdlineArch: f('setup_arch(): "Command line:"', 'start_kernel() → setup_arch()', 'arch/x86/kernel/setup.c'),
  e820Setup: f('e820__memory_setup(), e820__finish_early_params()', 'start_kernel() → setup_arch()', 'arch/x86/kernel/e820.c'),
  e820Trim: f('trim_bios_range()', 'start_kernel() → setup_arch()', 'arch/x86/kernel/setup.c'),
  earlyGartIommuCheck: f('early_gart_iommu_check()', 'start_kernel() → setup_arch()', 'arch/x86/kernel/aperture_64.c'),
  e820MaxPfn: f('e820__end_of_ram_pfn()', 'start_kernel() → setup_arch(): max_pfn', 'arch/x86/kernel/e820.c'),
  e820LowPfn: f('e820__end_of_low_ram_pfn()', 'start_kernel() → setup_arch(): max_low_pfn (x86_64)', 'arch/x86/kernel/e820.c'),
  findLowPfnRange: f('find_low_pfn_range()', 'start_kernel() → setup_arch() (X86_32)', 'arch/x86/mm/init_32.c'),
  initialMemoryMapped: f('setup_arch(): "initial memory mapped"', 'start_kernel() → setup_arch() (X86_32)', 'arch/x86/kernel/setup.c'),
  memblockSetup: f('reserve_brk(), e820__memblock_setup(), reserve_real_mode(), init_mem_mapping()', 'start_kernel() → setup_arch()', 'arch/x86/kernel/setup.c, arch/x86/kernel/e820.c, arch/x86/mm/init.c'),
  setupLogBufEarly: f('setup_log_buf(1)', 'start_kernel() → setup_arch()', 'kernel/printk/printk.c'),
  reserveInitrd: f('reserve_initrd()', 'start_kernel() → setup_arch()', 'arch/x86/kernel/setup.c'),
  numaInit: f('initmem_init() → numa_init(), alloc_node_data(); memblock_find_dma_reserve()', 'start_kernel() → setup_arch()', 'arch/x86/mm/numa.c'),
  initmemInit32: f('initmem_init()', 'start_kernel() → setup_arch() (X86_32)', 'arch/x86/mm/init_32.c'),
  dmaContiguousReserve: f('dma_contiguous_reserve()', 'start_kernel() → setup_arch()', 'kernel/dma/contiguous.c'),
  reserveCrashkernel: f('reserve_crashkernel() / arch_reserve_crashkernel()', 'start_kernel() → setup_arch()', 'arch/x86/kernel/setup.c'),
  sparseFromSetupArch: f('sparse_init()', 'setup_arch() → x86_init.paging.pagetable_init() → paging_init()', 'mm/sparse.c'),
  permanentKmapsInit: f('permanent_kmaps_init()', 'setup_arch() → paging_init() → pagetable_init() (X86_32)', 'arch/x86/mm/init_32.c'),
  zonesFromSetupArch: f('free_area_init()', 'setup_arch() → paging_init() → zone_sizes_init()', 'mm/page_alloc.c (6.1), mm/mm_init.c (6.12)'),
  flatmemInit: f('alloc_node_mem_map(), setup_usemap()', 'free_area_init() (X86_32 FLATMEM)', 'mm/page_alloc.c'),
  prefillPossibleMap: f('prefill_possible_map() (≤ 6.1), topology_init_possible_cpus() (6.12+)', 'start_kernel() → setup_arch()', 'arch/x86/kernel/smpboot.c (6.1), arch/x86/kernel/cpu/topology.c (6.12)'),
  setupArchAllocs: f('acpi_boot_init(), init_cpu_to_node(), io_apic_init_mappings(), e820__reserve_resources()', 'start_kernel() → setup_arch()', 'arch/x86/kernel/setup.c'),
  setupArchLate: f('e820__register_nosave_regions(), e820__setup_pci_gap()', 'start_kernel() → setup_arch()', 'arch/x86/kernel/e820.c'),
  sparseFromMmCoreInitEarly: f('sparse_init()', 'start_kernel() → mm_core_init_early() → free_area_init() (7.2)', 'mm/sparse.c'),
  zonesFromMmCoreInitEarly: f('free_area_init()', 'start_kernel() → mm_core_init_early() (7.2)', 'mm/mm_init.c'),
  setupCommandLine: f('setup_command_line()', 'start_kernel()', 'init/main.c'),
  setupPerCpuAreas: f('setup_per_cpu_areas() → pcpu_embed_first_chunk()', 'start_kernel()', 'arch/x86/kernel/setup_percpu.c, mm/percpu.c'),
  zonelistsStartKernel: f('build_all_zonelists()', 'start_kernel() (≤ 6.1)', 'mm/page_alloc.c'),
  cmdlineKernel: f('"Kernel command line:", parse_args(), print_unknown_bootoptions()', 'start_kernel()', 'init/main.c'),
  hugetlbParams: f('hugepages_setup(), hugepagesz_setup()', 'start_kernel() → parse_args()', 'mm/hugetlb.c'),
  setupLogBuf: f('setup_log_buf(0) → log_buf_add_cpu()', 'start_kernel()', 'kernel/printk/printk.c'),
  hashesEarly: f('vfs_caches_init_early() → dcache_init_early(), inode_init_early()', 'start_kernel()', 'fs/dcache.c, fs/inode.c'),
  trapInit: f('trap_init() → setup_cpu_entry_areas()', 'start_kernel()', 'arch/x86/mm/cpu_entry_area.c'),
  pciIommuAllocPreinit: f('pci_iommu_alloc()', 'start_kernel() → mm_core_init() → arch_mm_preinit() (7.2)', 'arch/x86/kernel/pci-dma.c'),
  zonelistsMmCore: f('build_all_zonelists()', 'start_kernel() → mm_core_init() (6.12+)', 'mm/page_alloc.c'),
  reportMeminit: f('report_meminit()', 'start_kernel() → mm_init() / mm_core_init()', 'init/main.c (6.1), mm/mm_init.c (6.12)'),
  stackDepotEarlyInit: f('stack_depot_early_init()', 'start_kernel() → mm_init()', 'lib/stackdepot.c'),
  pciIommuAllocMemInit: f('pci_iommu_alloc()', 'start_kernel() → mm_init() → mem_init() (≤ 6.12)', 'arch/x86/kernel/pci-dma.c'),
  setHighmemPagesInit: f('set_highmem_pages_init()', 'mm_init() → mem_init() (X86_32)', 'arch/x86/mm/highmem_32.c'),
  wpCheckInMemInit: f('test_wp_bit()', 'mm_init() → mem_init() (X86_32, 6.1+)', 'arch/x86/mm/init_32.c'),
  memInitPrintEarly: f('mem_init_print_info()', 'start_kernel() → mm_init() (≤ 6.1)', 'mm/page_alloc.c'),
  wpCheckAfterMemory: f('test_wp_bit()', 'mem_init() (X86_32, 5.10)', 'arch/x86/mm/init_32.c'),
  kmemCacheInit: f('kmem_cache_init()', 'start_kernel() → mm_init() / mm_core_init()', 'mm/slub.c'),
  hashesLate: f('vfs_caches_init() → dcache_init(), inode_init()', 'start_kernel()', 'fs/dcache.c, fs/inode.c'),
  memInitPrintLate: f('mem_init_print_info()', 'kernel_init() → page_alloc_init_late() (6.12+)', 'mm/mm_init.c'),
  acpiProcessorHotadd: f('acpi_processor_add()', 'acpi_init() (subsys_initcall) (≤ 6.1)', 'drivers/acpi/acpi_processor.c'),
  swiotlbPrintInfo: f('swiotlb_print_info()', 'pci_iommu_init() (rootfs_initcall)', 'kernel/dma/swiotlb.c'),
};
