// The simulated boot: a pipeline of pure stages in the order the kernel runs them
// (init/main.c: start_kernel → setup_arch → mm_core_init …). See shared/STYLE.md §1–2.
import type { DmesgLine, MachineSpec } from './types.ts';
import type { KernelEntry, KernelFacts } from './kernel-facts.ts';
import { deriveTraits, type KernelTraits } from './traits.ts';
import { e820Setup, e820Trim, e820MaxPfn, e820LowPfn } from './stages/e820.ts';
import { memblockSetup } from './stages/memblock-setup.ts';
import { numaInit } from './stages/numa.ts';
import { reserveCrashkernel } from './stages/crashkernel.ts';
import { dmaContiguousReserve } from './stages/dma-contiguous.ts';
import { hugetlbParams } from './stages/hugetlb.ts';
import { sparseFromSetupArch, sparseFromMmCoreInitEarly } from './stages/sparse.ts';
import { setupArchAllocs } from './stages/setup-arch-allocs.ts';
import { setupCommandLine, trapInit } from './stages/start-kernel.ts';
import { setupLogBuf, setupLogBufEarly } from './stages/log-buf.ts';
import { stackDepotEarlyInit } from './stages/stackdepot.ts';
import { memInitPrintEarly, memInitPrintLate } from './stages/mem-init.ts';
import { envelopeStage } from './envelope.ts';
import { findLowPfnRange, initialMemoryMapped, initmemInit32 } from './stages/lowmem32.ts';
import { zonesFromSetupArch, zonesFromMmCoreInitEarly } from './stages/zones.ts';
import { earlyGartIommuCheck, prefillPossibleMap, setupArchLate } from './stages/setup-arch-late.ts';
import { cmdlineArch, cmdlineKernel } from './stages/cmdline.ts';
import { setupPerCpuAreas } from './stages/percpu.ts';
import { zonelistsStartKernel, zonelistsMmCore } from './stages/zonelists.ts';
import { hashesEarly, hashesLate } from './stages/hashes.ts';
import { reportMeminit, pciIommuAllocPreinit, pciIommuAllocMemInit, swiotlbPrintInfo } from './stages/mm-core-misc.ts';
import { acpiProcessorHotadd } from './stages/possible-cpus.ts';
import { setHighmemPagesInit, wpCheckInMemInit, wpCheckAfterMemory } from './stages/highmem-init.ts';
import { kmemCacheInit } from './stages/slub.ts';
import { permanentKmapsInit, flatmemInit } from './stages/init32.ts';
import { reserveInitrd, type InitrdImage } from './stages/initrd.ts';

/** What a boot starts from: the profile, and the kernel with its facts. */
export interface BootInput {
  readonly spec: MachineSpec;
  readonly kernel: KernelEntry & { readonly facts: KernelFacts };
  /** The -initrd image the boot is given (probe: state: the probe initramfs); absent: no -initrd. */
  readonly initrd?: InitrdImage;
}

/**
 * Everything a stage may read besides the state: the profile, the kernel and its facts, and the
 * kernel's traits (sim/traits.ts), derived once per boot by bootContext(). A stage branches on
 * `ctx.traits`, never on a version of its own.
 */
export interface BootContext extends BootInput {
  readonly traits: KernelTraits;
}

/** The context of one boot: the input with its traits, derived here and nowhere else. */
export function bootContext(input: BootInput): BootContext {
  return { spec: input.spec, kernel: input.kernel, ...(input.initrd !== undefined ? { initrd: input.initrd } : {}), traits: deriveTraits(input.kernel) };
}

/** Named state threaded through the stages: the slices of sim/state.ts. */
export type { BootState } from './state.ts';
import type { BootState, SliceName } from './state.ts';

export interface StageResult<S extends BootState = BootState> {
  readonly state: S;
  readonly lines: readonly DmesgLine[];
}

/** A stage's function: pure, from the state and the context to the next state and its lines (the 3.0 pipeline's context is its own: sim/stages/old/context-30.ts). */
export type StageFn<C = BootContext> = (state: BootState, ctx: C) => StageResult;

/**
 * A stage in the pipeline: its function with the slices it may read and the slices it may write
 * (tests/sim/state.test.ts holds every golden to them, and every read to an earlier stage's write).
 */
export interface Stage<C = BootContext> {
  readonly name: string;
  readonly reads: readonly SliceName[];
  readonly writes: readonly SliceName[];
  readonly run: StageFn<C>;
}

export function defineStage(decl: { readonly name: string; readonly reads: readonly SliceName[]; readonly writes: readonly SliceName[] }, run: StageFn): Stage {
  return { ...decl, run };
}

/** The pipeline's stages that run before `run` (all of them when it is not in the pipeline). */
export function stagesBefore(run: StageFn, pipeline: readonly Stage[] = stages): Stage[] {
  const i = pipeline.findIndex((s) => s.run === run);
  return pipeline.slice(0, i < 0 ? pipeline.length : i);
}

/** The stages, in boot order. Each issue that models a part of the boot adds its stages here. */
export const stages: readonly Stage[] = [
  // the profile envelope (sim/envelope.ts): refuse what the model does not cover, before anything runs
  defineStage({ name: 'envelopeStage', reads: [], writes: [] }, envelopeStage),
  // setup_arch(), X86_64: "Command line:" before the e820 map
  defineStage({ name: 'cmdlineArch', reads: [], writes: [] }, cmdlineArch),
  // setup_arch(): e820__memory_setup … e820__finish_early_params (BIOS-e820, mem=/memmap=, user:)
  defineStage({ name: 'e820Setup', reads: [], writes: ['e820'] }, e820Setup),
  // setup_arch(): trim_bios_range
  defineStage({ name: 'e820Trim', reads: ['e820'], writes: ['e820'] }, e820Trim),
  // setup_arch(): early_gart_iommu_check() (x86_64, AMD GART families): "AGP: No AGP bridge found"
  defineStage({ name: 'earlyGartIommuCheck', reads: [], writes: [] }, earlyGartIommuCheck),
  // setup_arch(): max_pfn = e820__end_of_ram_pfn(): last_pfn
  defineStage({ name: 'e820MaxPfn', reads: ['e820'], writes: ['e820'] }, e820MaxPfn),
  // setup_arch(), x86_64: max_low_pfn = e820__end_of_low_ram_pfn() when RAM is above 4G
  defineStage({ name: 'e820LowPfn', reads: ['e820'], writes: ['e820'] }, e820LowPfn),
  // setup_arch(), X86_32: find_low_pfn_range() (max_low_pfn, MAXMEM_PFN), then "initial memory mapped"
  defineStage({ name: 'findLowPfnRange', reads: ['e820'], writes: ['lowmem32'] }, findLowPfnRange),
  defineStage({ name: 'initialMemoryMapped', reads: ['lowmem32'], writes: [] }, initialMemoryMapped),
  // setup_arch(): reserve_brk, e820__memblock_setup, reserve_real_mode, init_mem_mapping (no lines)
  defineStage({ name: 'memblockSetup', reads: ['e820', 'lowmem32'], writes: ['initrd', 'memblock', 'pageTables', 'pgt32'] }, memblockSetup),
  // setup_arch() → setup_log_buf(1): a log_buf_len= buffer from memblock (printk: log_buf_len:)
  defineStage({ name: 'setupLogBufEarly', reads: ['memblock'], writes: ['logBuf', 'memblock'] }, setupLogBufEarly),
  // setup_arch(): reserve_initrd (RAMDISK:, i386 relocate_initrd)
  defineStage({ name: 'reserveInitrd', reads: ['initrd', 'memblock', 'pageTables'], writes: ['initrd', 'memblock'] }, reserveInitrd),
  // setup_arch(): initmem_init (SRAT / fake node, NODE_DATA), memblock_find_dma_reserve
  defineStage({ name: 'numaInit', reads: ['e820', 'memblock'], writes: ['memblock', 'numa'] }, numaInit),
  // setup_arch(), X86_32: initmem_init() (where x86_64 runs numaInit) — HIGHMEM/LOWMEM available, mapped low ram, low ram
  defineStage({ name: 'initmemInit32', reads: ['lowmem32', 'memblock'], writes: [] }, initmemInit32),
  // setup_arch(): dma_contiguous_reserve (CONFIG_DMA_CMA: 7.2): cma=
  defineStage({ name: 'dmaContiguousReserve', reads: ['memblock', 'numa', 'pageTables'], writes: ['memblock'] }, dmaContiguousReserve),
  // setup_arch(): reserve_crashkernel (≤ 6.1) / arch_reserve_crashkernel (6.12+): crashkernel=
  defineStage({ name: 'reserveCrashkernel', reads: ['memblock'], writes: ['memblock'] }, reserveCrashkernel),
  // setup_arch() → x86_init.paging.pagetable_init() → paging_init() → sparse_init() (x86_64, ≤ 6.12; no lines)
  defineStage({ name: 'sparseFromSetupArch', reads: ['memblock', 'numa'], writes: ['memblock', 'sparse'] }, sparseFromSetupArch),
  // X86_32 paging_init → pagetable_init → permanent_kmaps_init (the pkmap PTE page)
  defineStage({ name: 'permanentKmapsInit', reads: ['lowmem32', 'memblock', 'pgt32'], writes: ['pgt32'] }, permanentKmapsInit),
  // setup_arch() → paging_init → zone_sizes_init → free_area_init (≤ 6.12)
  defineStage({ name: 'zonesFromSetupArch', reads: ['e820', 'lowmem32', 'memblock', 'numa'], writes: ['memblock', 'zones'] }, zonesFromSetupArch),
  // X86_32 FLATMEM: free_area_init → alloc_node_mem_map, setup_usemap (no lines)
  defineStage({ name: 'flatmemInit', reads: ['memblock', 'zones'], writes: ['memblock'] }, flatmemInit),
  // setup_arch() after the ACPI MADT: prefill_possible_map's possible-CPU count
  defineStage({ name: 'prefillPossibleMap', reads: [], writes: [] }, prefillPossibleMap),
  // setup_arch(): acpi_parse_hpet, init_cpu_to_node (5.10: memoryless nodes' NODE_DATA and lines), io_apic_init_mappings,
  // e820__reserve_resources, register_nosave_region (memblock)
  defineStage({ name: 'setupArchAllocs', reads: ['e820', 'lowmem32', 'memblock', 'numa'], writes: ['memblock', 'numa'] }, setupArchAllocs),
  // setup_arch(): e820__register_nosave_regions, e820__setup_pci_gap
  defineStage({ name: 'setupArchLate', reads: ['e820', 'lowmem32'], writes: [] }, setupArchLate),
  // ── start_kernel() after setup_arch() (command line, percpu, zonelists, hashes, mm_init) ──
  // Stages with two positions emit at one of them, as the version's traits say.
  // mm_core_init_early() → free_area_init → sparse_init (7.2; no lines)
  defineStage({ name: 'sparseFromMmCoreInitEarly', reads: ['memblock', 'numa'], writes: ['memblock', 'sparse'] }, sparseFromMmCoreInitEarly),
  // mm_core_init_early() → free_area_init (7.2)
  defineStage({ name: 'zonesFromMmCoreInitEarly', reads: ['e820', 'lowmem32', 'memblock', 'numa'], writes: ['memblock', 'zones'] }, zonesFromMmCoreInitEarly),
  // setup_command_line(): saved/static command line copies (memblock; no lines)
  defineStage({ name: 'setupCommandLine', reads: ['memblock'], writes: ['memblock'] }, setupCommandLine),
  // setup_per_cpu_areas(): setup_percpu:, percpu: Embedded, pcpu-alloc:
  defineStage({ name: 'setupPerCpuAreas', reads: ['lowmem32', 'memblock', 'numa', 'pgt32', 'zones'], writes: ['memblock', 'percpu', 'pgt32'] }, setupPerCpuAreas),
  // build_all_zonelists() in start_kernel (≤ 6.1)
  defineStage({ name: 'zonelistsStartKernel', reads: ['numa', 'zones'], writes: [] }, zonelistsStartKernel),
  // "Kernel command line:", parse_args, print_unknown_bootoptions
  defineStage({ name: 'cmdlineKernel', reads: ['memblock'], writes: ['memblock'] }, cmdlineKernel),
  // parse_args() → hugepages_setup()/hugepagesz_setup() (7.2: replayed in mm_core_init_early): no lines; gigantic pages refused
  defineStage({ name: 'hugetlbParams', reads: [], writes: [] }, hugetlbParams),
  // setup_log_buf(0): log_buf_add_cpu() grows log_buf for many possible CPUs (printk: log_buf_len …)
  defineStage({ name: 'setupLogBuf', reads: ['logBuf', 'memblock', 'numa', 'zones'], writes: ['logBuf', 'memblock'] }, setupLogBuf),
  // vfs_caches_init_early(): Dentry/Inode-cache HASH_EARLY tables (no hashdist)
  defineStage({ name: 'hashesEarly', reads: ['memblock', 'numa', 'zones'], writes: ['hashes', 'memblock'] }, hashesEarly),
  // trap_init() → setup_cpu_entry_areas(): the area's page tables (X86_32 alloc_low_pages, X86_64 spp_getpage; no lines)
  defineStage({ name: 'trapInit', reads: ['lowmem32', 'memblock', 'numa', 'pgt32', 'zones'], writes: ['memblock', 'pgt32'] }, trapInit),
  // mm_core_init() → arch_mm_preinit() → pci_iommu_alloc() (7.2)
  defineStage({ name: 'pciIommuAllocPreinit', reads: ['e820', 'memblock', 'numa', 'zones'], writes: ['memblock', 'swiotlb'] }, pciIommuAllocPreinit),
  // mm_core_init() → build_all_zonelists() (6.12+)
  defineStage({ name: 'zonelistsMmCore', reads: ['numa', 'zones'], writes: [] }, zonelistsMmCore),
  // report_meminit(): mem auto-init
  defineStage({ name: 'reportMeminit', reads: [], writes: [] }, reportMeminit),
  // mm_init() → stack_depot_early_init() (6.1): the "stackdepot" hash slub_debug asks for
  defineStage({ name: 'stackDepotEarlyInit', reads: ['memblock', 'zones'], writes: ['memblock'] }, stackDepotEarlyInit),
  // mem_init() → pci_iommu_alloc() (≤ 6.12): AGP aperture, swiotlb area num
  defineStage({ name: 'pciIommuAllocMemInit', reads: ['e820', 'memblock', 'numa', 'zones'], writes: ['memblock', 'swiotlb'] }, pciIommuAllocMemInit),
  // mem_init() (i386): set_highmem_pages_init(), then test_wp_bit() (6.1+)
  defineStage({ name: 'setHighmemPagesInit', reads: ['zones'], writes: [] }, setHighmemPagesInit),
  defineStage({ name: 'wpCheckInMemInit', reads: [], writes: [] }, wpCheckInMemInit),
  // mm_init() → mem_init_print_info() (≤ 6.1): Memory:
  defineStage({ name: 'memInitPrintEarly', reads: ['lowmem32', 'memblock', 'percpu', 'zones'], writes: ['memInit'] }, memInitPrintEarly),
  // 5.10 i386: test_wp_bit() after mem_init_print_info()
  defineStage({ name: 'wpCheckAfterMemory', reads: [], writes: [] }, wpCheckAfterMemory),
  // kmem_cache_init(): SLUB
  defineStage({ name: 'kmemCacheInit', reads: ['numa', 'zones'], writes: [] }, kmemCacheInit),
  // vfs_caches_init() → dcache_init()/inode_init(): hashdist tables (vmalloc)
  defineStage({ name: 'hashesLate', reads: ['numa', 'zones'], writes: ['hashes'] }, hashesLate),
  // page_alloc_init_late() → mem_init_print_info() (≥ 6.12): Memory:
  defineStage({ name: 'memInitPrintLate', reads: ['hashes', 'memblock', 'numa', 'percpu', 'zones'], writes: ['memInit'] }, memInitPrintLate),
  // acpi_init() (subsys_initcall) → acpi_processor_add(): the MADT CPUs that are not possible, hot-add refused (≤ 6.1)
  defineStage({ name: 'acpiProcessorHotadd', reads: [], writes: [] }, acpiProcessorHotadd),
  // pci_iommu_init() (rootfs_initcall) → swiotlb_print_info(): "software IO TLB: mapped"
  defineStage({ name: 'swiotlbPrintInfo', reads: ['swiotlb'], writes: [] }, swiotlbPrintInfo),
];

export interface SimResult {
  readonly lines: readonly DmesgLine[];
  readonly state: BootState;
}

/**
 * One stage as it ran, for an observer (harness/report/explore/): the state it was given and the
 * state it left (the same immutable objects the pipeline threads, so a slice the stage did not
 * write is the identical object on both sides), and the lines it printed.
 */
export interface StageStep {
  /** The stage's position in the pipeline, from 0. */
  readonly index: number;
  /** Stage.name, or the function's name for a bare StageFn. */
  readonly name: string;
  readonly before: BootState;
  readonly after: BootState;
  readonly lines: readonly DmesgLine[];
}

export interface SimulateOptions {
  /** Called after each stage with what it did; it sees the run and cannot change it. Default: none. */
  readonly observe?: (step: StageStep) => void;
}

/**
 * Runs every stage and gathers the lines. Pure: no file system, clock or globals. Given a bare
 * input, the traits are derived here, once for the whole boot.
 */
export function simulate(input: BootInput | BootContext, pipeline: readonly (Stage | StageFn)[] = stages, opts: SimulateOptions = {}): SimResult {
  const ctx = 'traits' in input ? input : bootContext(input);
  let state: BootState = {};
  const lines: DmesgLine[] = [];
  pipeline.forEach((stage, index) => {
    const r = typeof stage === 'function' ? stage(state, ctx) : stage.run(state, ctx);
    opts.observe?.({ index, name: stage.name, before: state, after: r.state, lines: r.lines });
    state = r.state;
    lines.push(...r.lines);
  });
  return { lines, state };
}
